/**
 * Just enough GraphQL for the console replica: parses one operation (no fragments), binds variables and answers
 * with exactly the fields asked for, so the page sees the response shapes a real GraphQL server gives.
 */

export interface Field {
  alias: string | undefined;
  name: string;
  args: Record<string, unknown>;
  selections: Field[] | undefined;
}

export interface Operation {
  type: 'query' | 'mutation';
  name: string | undefined;
  selections: Field[];
}

export interface GraphQLError {
  message: string;
  path?: string[];
  extensions?: Record<string, unknown>;
}

/** Thrown by resolvers to answer a GraphQL error for their field (the field becomes null). */
export class FieldError extends Error {
  constructor(
    message: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

type Token = { kind: 'punct' | 'name' | 'string' | 'number'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/[\s,\uFEFF]/.test(c)) {
      i++;
    } else if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', text: '...' });
      i += 3;
    } else if ('!$()[]{}:=@|&'.includes(c)) {
      tokens.push({ kind: 'punct', text: c });
      i++;
    } else if (/[_A-Za-z]/.test(c)) {
      const m = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i))!;
      tokens.push({ kind: 'name', text: m[0] });
      i += m[0].length;
    } else if (/[-0-9]/.test(c)) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(source.slice(i));
      if (!m) throw new SyntaxError(`Syntax Error: Unexpected character "${c}".`);
      tokens.push({ kind: 'number', text: m[0] });
      i += m[0].length;
    } else if (c === '"') {
      const m = /^"(?:[^"\\\n]|\\.)*"/.exec(source.slice(i));
      if (!m) throw new SyntaxError('Syntax Error: Unterminated string.');
      tokens.push({ kind: 'string', text: JSON.parse(m[0]) as string });
      i += m[0].length;
    } else {
      throw new SyntaxError(`Syntax Error: Unexpected character "${c}".`);
    }
  }
  return tokens;
}

/** Parses the operation named `operationName` (or the only one) of `source`, with `variables` bound. */
export function parseOperation(
  source: string,
  variables: Record<string, unknown>,
  operationName?: string | null,
): Operation {
  const tokens = tokenize(source);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => {
    const token = tokens[at++];
    if (!token) throw new SyntaxError('Syntax Error: Unexpected <EOF>.');
    return token;
  };
  const expect = (text: string) => {
    const token = next();
    if (token.text !== text || token.kind === 'string') {
      throw new SyntaxError(`Syntax Error: Expected "${text}", found "${token.text}".`);
    }
  };
  const isPunct = (text: string) => peek()?.kind === 'punct' && peek()?.text === text;
  const name = () => {
    const token = next();
    if (token.kind !== 'name') throw new SyntaxError(`Syntax Error: Expected Name, found "${token.text}".`);
    return token.text;
  };

  function skipBalanced(open: string, close: string) {
    let depth = 0;
    do {
      const token = next();
      if (token.kind === 'punct' && token.text === open) depth++;
      if (token.kind === 'punct' && token.text === close) depth--;
    } while (depth > 0);
  }

  function skipDirectives() {
    while (isPunct('@')) {
      next();
      name();
      if (isPunct('(')) skipBalanced('(', ')');
    }
  }

  function value(): unknown {
    const token = next();
    if (token.kind === 'punct' && token.text === '$') {
      const variable = name();
      return variables[variable] ?? null;
    }
    if (token.kind === 'string') return token.text;
    if (token.kind === 'number') return Number(token.text);
    if (token.kind === 'name') {
      if (token.text === 'true') return true;
      if (token.text === 'false') return false;
      if (token.text === 'null') return null;
      return token.text;
    }
    if (token.text === '[') {
      const list: unknown[] = [];
      while (!isPunct(']')) list.push(value());
      next();
      return list;
    }
    if (token.text === '{') {
      const object: Record<string, unknown> = {};
      while (!isPunct('}')) {
        const key = name();
        expect(':');
        object[key] = value();
      }
      next();
      return object;
    }
    throw new SyntaxError(`Syntax Error: Unexpected "${token.text}".`);
  }

  function selectionSet(): Field[] {
    expect('{');
    const fields: Field[] = [];
    while (!isPunct('}')) {
      if (isPunct('...')) throw new SyntaxError('Fragments are not supported by this server.');
      let fieldName = name();
      let alias: string | undefined;
      if (isPunct(':')) {
        next();
        alias = fieldName;
        fieldName = name();
      }
      const args: Record<string, unknown> = {};
      if (isPunct('(')) {
        next();
        while (!isPunct(')')) {
          const arg = name();
          expect(':');
          args[arg] = value();
        }
        next();
      }
      skipDirectives();
      fields.push({ alias, name: fieldName, args, selections: isPunct('{') ? selectionSet() : undefined });
    }
    next();
    return fields;
  }

  const operations: Operation[] = [];
  while (peek()) {
    if (isPunct('{')) {
      operations.push({ type: 'query', name: undefined, selections: selectionSet() });
      continue;
    }
    const keyword = name();
    if (keyword === 'fragment') throw new SyntaxError('Fragments are not supported by this server.');
    if (keyword !== 'query' && keyword !== 'mutation') {
      throw new SyntaxError(`Syntax Error: Unexpected Name "${keyword}".`);
    }
    const opName = peek()?.kind === 'name' ? name() : undefined;
    if (isPunct('(')) skipBalanced('(', ')');
    skipDirectives();
    operations.push({ type: keyword, name: opName, selections: selectionSet() });
  }
  const chosen = operationName ? operations.find((op) => op.name === operationName) : operations[0];
  if (!chosen) throw new SyntaxError(operationName ? `Unknown operation named "${operationName}".` : 'Must provide an operation.');
  if (!operationName && operations.length > 1) {
    throw new SyntaxError('Must provide operation name if query contains multiple operations.');
  }
  return chosen;
}

/** A resolved object: plain values, or functions of the field's arguments for fields computed on demand. */
export type Resolved = { __typename: string; [field: string]: unknown };

/** Answers `operation` against `root`, picking only the selected fields, GraphQL-style (`{data, errors}`). */
export function execute(operation: Operation, root: Resolved): { data: unknown; errors?: GraphQLError[] } {
  const errors: GraphQLError[] = [];

  function complete(value: unknown, field: Field, path: string[]): unknown {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value)) return value.map((item, i) => complete(item, field, [...path, String(i)]));
    if (typeof value === 'object') {
      if (!field.selections) {
        errors.push({ message: `Field "${field.name}" must have a selection of subfields.`, path });
        return null;
      }
      return select(value as Resolved, field.selections, path);
    }
    if (field.selections) {
      errors.push({ message: `Field "${field.name}" must not have a selection since it has no subfields.`, path });
      return null;
    }
    return value;
  }

  function select(object: Resolved, fields: Field[], path: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const key = field.alias ?? field.name;
      const fieldPath = [...path, key];
      if (field.name === '__typename') {
        out[key] = object.__typename;
        continue;
      }
      if (!Object.hasOwn(object, field.name)) {
        errors.push({ message: `Cannot query field "${field.name}" on type "${object.__typename}".`, path: fieldPath });
        out[key] = null;
        continue;
      }
      try {
        const raw = object[field.name];
        const value = typeof raw === 'function' ? (raw as (args: Record<string, unknown>) => unknown)(field.args) : raw;
        out[key] = complete(value, field, fieldPath);
      } catch (error) {
        const extensions = error instanceof FieldError ? error.extensions : { code: 'INTERNAL_SERVER_ERROR' };
        errors.push({ message: (error as Error).message, path: fieldPath, extensions });
        out[key] = null;
      }
    }
    return out;
  }

  const data = select(root, operation.selections, []);
  return errors.length > 0 ? { data, errors } : { data };
}
