/** Errors are values: a stable code, a message for people, and a hint that says what to do. */
export interface Problem<Code extends string = string> {
  code: Code;
  message: string;
  hint: string;
}

export type Result<T, Code extends string = string> =
  | { ok: true; value: T }
  | { ok: false; error: Problem<Code> };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });

export const fail = <Code extends string>(
  code: Code,
  message: string,
  hint: string,
): { ok: false; error: Problem<Code> } => ({ ok: false, error: { code, message, hint } });
