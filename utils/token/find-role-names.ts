/**
 * Role names from any console response that lists roles (`"roles": [{ "id": <uuid>, "name": ... }]`).
 * Token APIs answer with role ids; the console (and its CSV) shows names, so the background learns them.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME = /^[\p{L}\p{N} /&()._+-]{1,80}$/u;
const MAX_NAMES = 500;

export function mightContainRoleNames(text: string): boolean {
  return text.includes('"roles"');
}

export function findRoleNames(text: string): Record<string, string> {
  const names: Record<string, string> = {};
  let count = 0;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 32 || count >= MAX_NAMES || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach((item) => visit(item, depth + 1));
    for (const [key, value] of Object.entries(node)) {
      if (key === 'roles' && Array.isArray(value)) {
        for (const role of value) {
          const { id, name } = (role ?? {}) as { id?: unknown; name?: unknown };
          if (typeof id === 'string' && UUID.test(id) && typeof name === 'string' && NAME.test(name) && count < MAX_NAMES) {
            names[id.toLowerCase()] = name;
            count++;
          }
        }
      } else visit(value, depth + 1);
    }
  };
  try {
    visit(JSON.parse(text), 0);
  } catch {
    // not JSON: nothing to learn
  }
  return names;
}
