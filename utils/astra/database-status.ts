/**
 * A database's state (ACTIVE, HIBERNATED, TERMINATED, ...) as the console's own API responses carry it, found by
 * shape in any JSON text (DevOps `GET /v2/databases`, `/v2/databases/{id}`, the console's GraphQL): an object with a
 * database id (a UUID) and a `status` among Astra's database statuses (ASTRA.md section 7). Datacenter objects
 * (`<dbId>-1`) and anything whose id is not a UUID are not databases. Pure: the background keeps what this finds.
 */
import { CONSOLE_HOST } from './hosts';

export const DATABASE_STATUSES = [
  'ACTIVE',
  'PENDING',
  'INITIALIZING',
  'HIBERNATING',
  'HIBERNATED',
  'RESUMING',
  'PARKING',
  'PARKED',
  'UNPARKING',
  'MAINTENANCE',
  'RESIZING',
  'TERMINATING',
  'TERMINATED',
  'ERROR',
] as const;

export type DatabaseStatus = (typeof DATABASE_STATUSES)[number];

export interface SeenDatabaseStatus {
  dbId: string;
  status: DatabaseStatus;
  name?: string;
}

/** The DevOps API host the console calls (cookie or bearer auth). */
export const DEVOPS_API_HOST = `api.${CONSOLE_HOST}`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STATUS_SET: ReadonlySet<string> = new Set(DATABASE_STATUSES);
const STATUS_IN_TEXT = new RegExp(`"status"\\s*:\\s*"(${DATABASE_STATUSES.join('|')})"`);
/** Walking stops here: a response larger than this many objects is not a database list. */
const MAX_OBJECTS = 200_000;
const MAX_FOUND = 5_000;

export function isDatabaseStatus(value: unknown): value is DatabaseStatus {
  return typeof value === 'string' && STATUS_SET.has(value);
}

/** Only the console's own API speaks for a database: `https://astra.datastax.com/api/...` or the DevOps API. */
export function isConsoleApiUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'https:' || parsed.port !== '' || parsed.username || parsed.password) return false;
  if (parsed.hostname === DEVOPS_API_HOST) return parsed.pathname.startsWith('/v2/');
  return parsed.hostname === CONSOLE_HOST && parsed.pathname.startsWith('/api/');
}

/** Cheap test before parsing: the text names a database status as a JSON `status` value. */
export function mightContainDatabaseStatus(text: string): boolean {
  return STATUS_IN_TEXT.test(text);
}

function nameOf(object: Record<string, unknown>): string | undefined {
  const info = object.info;
  const candidate = typeof object.name === 'string' ? object.name : info && typeof info === 'object' ? (info as Record<string, unknown>).name : undefined;
  return typeof candidate === 'string' && candidate.length > 0 && candidate.length <= 200 ? candidate : undefined;
}

/** Every database id with its status in a JSON response; the last mention of an id wins. */
export function findDatabaseStatuses(text: string): SeenDatabaseStatus[] {
  if (!mightContainDatabaseStatus(text)) return [];
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    return [];
  }
  const found = new Map<string, SeenDatabaseStatus>();
  const stack: unknown[] = [root];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_OBJECTS) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      // Reversed onto the stack, so the list is visited in its own order.
      for (let i = value.length - 1; i >= 0; i--) stack.push(value[i]);
      continue;
    }
    const object = value as Record<string, unknown>;
    const id = typeof object.id === 'string' ? object.id : typeof object.databaseId === 'string' ? object.databaseId : undefined;
    if (id !== undefined && UUID.test(id) && isDatabaseStatus(object.status) && found.size < MAX_FOUND) {
      const dbId = id.toLowerCase();
      const name = nameOf(object);
      found.delete(dbId);
      found.set(dbId, { dbId, status: object.status, ...(name ? { name } : {}) });
    }
    const inner = Object.values(object);
    for (let i = inner.length - 1; i >= 0; i--) stack.push(inner[i]);
  }
  return [...found.values()];
}

