/**
 * The console host (astra.datastax.com): the single-page app shell for every route, its GraphQL endpoint
 * (cookie session), and the replica's own fault knobs under /__replica/.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type Database, findRole } from './fixtures';
import { execute, FieldError, parseOperation, type Resolved } from './graphql';
import { ASTRA_HOST } from './hosts';
import { HIBERNATED_ERROR_ID } from './devops-api';
import { parseJson, send, sendJson } from './http-io';
import { checkFaults, isAuthorized, issueToken, sessionOf, SESSION_COOKIE, signLinks, type Faults, type ReplicaState } from './replica-state';

const CONSOLE_DIR = fileURLToPath(new URL('./console/', import.meta.url));

const ASSETS: Record<string, { file: string; type: string }> = {
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

export interface FaultControls {
  setFaults(f: Partial<Faults>): void;
  resetFaults(): void;
}

function datacenterNodes(state: ReplicaState, db: Database): Resolved[] {
  return db.datacenters.map((dc, i) => {
    let links: ReturnType<typeof signLinks> | undefined;
    const link = (field: keyof ReturnType<typeof signLinks>) => () => {
      if (db.status !== 'ACTIVE') return null;
      links ??= signLinks(state, db, i);
      return links[field];
    };
    return {
      __typename: 'Datacenter',
      id: dc.id,
      name: dc.name,
      region: dc.region,
      cloudProvider: dc.cloudProvider,
      status: db.status,
      secureBundleUrl: link('downloadURL'),
      secureBundleInternalUrl: link('downloadURLInternal'),
      secureBundleMigrationProxyUrl: link('downloadURLMigrationProxy'),
      secureBundleMigrationProxyInternalUrl: link('downloadURLMigrationProxyInternal'),
    };
  });
}

function databaseNode(state: ReplicaState, db: Database): Resolved {
  return {
    __typename: 'Database',
    id: db.id,
    name: db.name,
    status: db.status,
    dbType: db.kind === 'vector' ? 'vector' : null,
    tier: db.tier,
    keyspace: db.keyspace,
    cloudProvider: db.datacenters[0]!.cloudProvider,
    createdAt: db.createdAt,
    datacenters: () => datacenterNodes(state, db),
  };
}

function bundleNodes(state: ReplicaState, databaseId: unknown): Resolved[] {
  const db = state.databases.find((d) => d.id === databaseId);
  if (!db) throw new FieldError(`Database ${String(databaseId)} not found`, { code: 'NOT_FOUND' });
  if (db.status !== 'ACTIVE') {
    throw new FieldError(`The secure connect bundle cannot be downloaded while the database is ${db.status.toLowerCase()}.`, {
      code: 'CONFLICT',
      ID: HIBERNATED_ERROR_ID,
    });
  }
  return db.datacenters.map((dc, i) => ({
    __typename: 'SecureBundle',
    region: dc.region,
    datacenterID: dc.id,
    ...signLinks(state, db, i),
  }));
}

function rootFor(state: ReplicaState, type: 'query' | 'mutation'): Resolved {
  if (type === 'mutation') {
    return {
      __typename: 'Mutation',
      generateToken: ({ input }: Record<string, unknown>) => {
        const { roles, description } = (input ?? {}) as { roles?: unknown; description?: unknown };
        const roleId = Array.isArray(roles) && roles.length === 1 ? roles[0] : undefined;
        const role = typeof roleId === 'string' ? findRole(roleId) : undefined;
        if (!role) throw new FieldError('input.roles must hold exactly one known role id', { code: 'BAD_USER_INPUT' });
        const t = issueToken(state, role, typeof description === 'string' ? description : '');
        return {
          __typename: 'GeneratedToken',
          clientId: t.clientId,
          secret: t.secret,
          token: t.token,
          orgId: t.orgId,
          roles: [t.roleId],
          generatedOn: t.generatedOn,
        };
      },
    };
  }
  return {
    __typename: 'Query',
    currentOrg: { __typename: 'Organization', id: state.org.id, name: state.org.name },
    roles: state.roles.map((r) => ({ __typename: 'Role', id: r.id, name: r.name })),
    databases: () => state.databases.map((db) => databaseNode(state, db)),
    database: ({ id }: Record<string, unknown>) => {
      const db = state.databases.find((d) => d.id === id);
      if (!db) throw new FieldError(`Database ${String(id)} not found`, { code: 'NOT_FOUND' });
      return databaseNode(state, db);
    },
    secureBundles: ({ databaseId }: Record<string, unknown>) => bundleNodes(state, databaseId),
    secureBundle: ({ databaseId, region }: Record<string, unknown>) => {
      const nodes = bundleNodes(state, databaseId);
      const node = region === undefined || region === null ? nodes[0] : nodes.find((n) => n.region === region);
      if (!node) throw new FieldError(`Region ${String(region)} not found`, { code: 'NOT_FOUND' });
      return node;
    },
  };
}

function answerGraphql(state: ReplicaState, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (!isAuthorized(state, req)) {
    sendJson(res, 401, { errors: [{ message: 'Not authenticated', extensions: { code: 'UNAUTHENTICATED' } }] });
    return;
  }
  const parsed = parseJson(body);
  const request = (parsed.ok ? parsed.value : undefined) as
    | { query?: unknown; variables?: unknown; operationName?: unknown }
    | undefined;
  if (!request || typeof request.query !== 'string') {
    sendJson(res, 400, { errors: [{ message: 'POST body must be JSON with a "query" string', extensions: { code: 'BAD_REQUEST' } }] });
    return;
  }
  try {
    const variables = (typeof request.variables === 'object' && request.variables) || {};
    const operationName = typeof request.operationName === 'string' ? request.operationName : undefined;
    const operation = parseOperation(request.query, variables as Record<string, unknown>, operationName);
    sendJson(res, 200, execute(operation, rootFor(state, operation.type)));
  } catch (error) {
    sendJson(res, 400, {
      errors: [{ message: (error as Error).message, extensions: { code: 'GRAPHQL_PARSE_FAILED' } }],
    });
  }
}

async function serveShell(state: ReplicaState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const html = await readFile(`${CONSOLE_DIR}index.html`);
  const headers: Record<string, string | string[]> = {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  };
  const session = sessionOf(req);
  if (!session || !state.sessions.has(session)) {
    const fresh = randomBytes(24).toString('base64url');
    state.sessions.add(fresh);
    headers['set-cookie'] = `${SESSION_COOKIE}=${fresh}; Domain=${ASTRA_HOST}; Path=/; Secure; HttpOnly; SameSite=Lax`;
  }
  send(res, 200, html, headers);
}

export async function handleConsole(
  state: ReplicaState,
  controls: FaultControls,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<void> {
  const method = req.method ?? 'GET';
  const path = url.pathname;
  if (path === '/api/v2/graphql') {
    if (method === 'POST') answerGraphql(state, req, res, body);
    else sendJson(res, 405, { errors: [{ message: 'GraphQL only accepts POST here' }] }, { allow: 'POST' });
    return;
  }
  if (path === '/__replica/faults' || path === '/__replica/reset') {
    if (method === 'POST' && path === '/__replica/reset') {
      controls.resetFaults();
    } else if (method === 'POST') {
      const parsed = parseJson(body);
      const update = parsed.ok ? checkFaults(parsed.value) : 'body must be JSON';
      if (typeof update === 'string') {
        sendJson(res, 400, { error: update });
        return;
      }
      controls.setFaults(update);
    } else if (method !== 'GET') {
      sendJson(res, 405, { error: 'use GET or POST' }, { allow: 'GET, POST' });
      return;
    }
    sendJson(res, 200, state.faults);
    return;
  }
  const asset = ASSETS[path];
  if (asset && (method === 'GET' || method === 'HEAD')) {
    const cache = asset.file === 'favicon.svg' ? 'public, max-age=86400' : 'no-store';
    send(res, 200, await readFile(`${CONSOLE_DIR}${asset.file}`), { 'content-type': asset.type, 'cache-control': cache });
    return;
  }
  if (path.startsWith('/assets/') || path.startsWith('/api/')) {
    sendJson(res, 404, { error: 'not found' });
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    sendJson(res, 405, { error: 'the console only serves pages here' }, { allow: 'GET, HEAD' });
    return;
  }
  await serveShell(state, req, res);
}
