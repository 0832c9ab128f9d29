/**
 * The DevOps API host (api.astra.datastax.com/v2): databases with freshly signed bundle links, secureBundleURL,
 * and application tokens. Answers JSON the way Go encodes it (`&` as `\u0026`), with CORS for the console.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ASTRA_ORIGIN } from './hosts';
import type { Database } from './fixtures';
import { findRole } from './fixtures';
import { parseJson, send } from './http-io';
import { isAuthorized, issueToken, signLinks, type ReplicaState } from './replica-state';

/** Go's encoding/json escapes &, < and > inside strings; the extension must read links in that form too. */
export function goJson(value: unknown): string {
  return `${JSON.stringify(value).replace(/&/g, '\\u0026').replace(/</g, '\\u003c').replace(/>/g, '\\u003e')}\n`;
}

function corsHeaders(req: IncomingMessage): Record<string, string> {
  if (req.headers.origin !== ASTRA_ORIGIN) return { vary: 'Origin' };
  return {
    'access-control-allow-origin': ASTRA_ORIGIN,
    'access-control-allow-credentials': 'true',
    'access-control-expose-headers': 'Content-Length, Content-Type',
    vary: 'Origin',
  };
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, value: unknown): void {
  send(res, status, status === 204 ? '' : goJson(value), {
    ...(status === 204 ? {} : { 'content-type': 'application/json' }),
    ...corsHeaders(req),
  });
}

function fail(req: IncomingMessage, res: ServerResponse, status: number, id: number, message: string): void {
  reply(req, res, status, { errors: [{ ID: id, message }] });
}

const ACTIVE_ACTIONS = [
  'park',
  'getCreds',
  'resetPassword',
  'addKeyspace',
  'addDatacenters',
  'terminateDatacenter',
  'removeKeyspace',
  'launchMigrationProxy',
  'removeMigrationProxy',
  'terminate',
];

function appsUrl(db: Database, region: string, path: string): string {
  return `https://${db.id}-${region}.apps.astra.datastax.com${path}`;
}

/** The v2 database object, with links signed now for every datacenter (none while hibernated). */
export function databaseJson(state: ReplicaState, db: Database): Record<string, unknown> {
  const active = db.status === 'ACTIVE';
  const primary = db.datacenters[0]!;
  const datacenters = db.datacenters.map((dc, i) => {
    const links = active ? signLinks(state, db, i) : undefined;
    return {
      id: dc.id,
      name: dc.name,
      tier: db.tier,
      status: db.status,
      cloudProvider: dc.cloudProvider,
      region: dc.region,
      regionZone: 'na',
      regionClassification: 'standard',
      capacityUnits: 1,
      grafanaUrl: `https://${dc.region}.monitoring.astra.datastax.com/d/cloud/?var-cluster=${dc.id}&var-tenant=${db.id}&refresh=30s`,
      cqlshUrl: appsUrl(db, dc.region, '/cqlsh'),
      graphqlUrl: appsUrl(db, dc.region, `/api/graphql/${db.keyspace}`),
      dataEndpointUrl: appsUrl(db, dc.region, '/api/rest'),
      secureBundleUrl: links?.downloadURL ?? '',
      secureBundleInternalUrl: links?.downloadURLInternal ?? '',
      secureBundleMigrationProxyUrl: links?.downloadURLMigrationProxy ?? '',
      secureBundleMigrationProxyInternalUrl: links?.downloadURLMigrationProxyInternal ?? '',
      dateCreated: db.createdAt,
    };
  });
  return {
    id: db.id,
    orgId: state.org.id,
    ownerId: state.org.id,
    info: {
      name: db.name,
      keyspace: db.keyspace,
      cloudProvider: primary.cloudProvider,
      tier: db.tier,
      capacityUnits: 1,
      region: primary.region,
      keyspaces: [db.keyspace],
      ...(db.kind === 'vector' ? { dbType: 'vector' } : {}),
      datacenters,
    },
    creationTime: db.createdAt,
    terminationTime: '0001-01-01T00:00:00Z',
    status: db.status,
    storage: { nodeCount: 3, replicationFactor: 3, totalStorage: 20 },
    availableActions: active ? ACTIVE_ACTIONS : ['unpark', 'terminate'],
    message: '',
    studioUrl: appsUrl(db, primary.region, '/studio'),
    grafanaUrl: datacenters[0]!.grafanaUrl,
    cqlshUrl: datacenters[0]!.cqlshUrl,
    graphqlUrl: datacenters[0]!.graphqlUrl,
    dataEndpointUrl: datacenters[0]!.dataEndpointUrl,
  };
}

export const HIBERNATED_ERROR_ID = 340002;

/** The secureBundleURL answer for one datacenter; `misspelled` reproduces the API's `datcenterID` typo. */
function secureBundleJson(state: ReplicaState, db: Database, dcIndex: number, misspelled: boolean) {
  const dc = db.datacenters[dcIndex]!;
  return {
    ...signLinks(state, db, dcIndex),
    [misspelled ? 'datcenterID' : 'datacenterID']: dc.id,
    region: dc.region,
  };
}

export function handleDevopsApi(
  state: ReplicaState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): void {
  const method = req.method ?? 'GET';
  if (method === 'OPTIONS') {
    send(res, 204, '', {
      ...corsHeaders(req),
      'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
      'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type',
      'access-control-max-age': '600',
    });
    return;
  }
  if (!isAuthorized(state, req)) {
    fail(req, res, 401, 401, 'The Astra DevOps API requires a valid application token or console session.');
    return;
  }

  const path = url.pathname.replace(/\/+$/, '');
  const route = (pattern: RegExp) => pattern.exec(path);
  let m: RegExpExecArray | null;

  if (method === 'GET' && path === '/v2/currentOrg') {
    reply(req, res, 200, { id: state.org.id, name: state.org.name });
  } else if (method === 'GET' && path === '/v2/databases') {
    reply(req, res, 200, state.databases.map((db) => databaseJson(state, db)));
  } else if (method === 'GET' && (m = route(/^\/v2\/databases\/([^/]+)$/))) {
    const db = state.databases.find((d) => d.id === m![1]);
    if (!db) fail(req, res, 404, 2000, `Database ${m[1]} not found`);
    else reply(req, res, 200, databaseJson(state, db));
  } else if (method === 'POST' && (m = route(/^\/v2\/databases\/([^/]+)\/secureBundleURL$/))) {
    const db = state.databases.find((d) => d.id === m![1]);
    if (!db) {
      fail(req, res, 404, 2000, `Database ${m[1]} not found`);
    } else if (db.status !== 'ACTIVE') {
      fail(
        req,
        res,
        409,
        HIBERNATED_ERROR_ID,
        `The secure connect bundle cannot be downloaded while the database is ${db.status.toLowerCase()}: resume the database first.`,
      );
    } else if (url.searchParams.get('all') === 'true') {
      reply(
        req,
        res,
        200,
        db.datacenters.map((_, i) => secureBundleJson(state, db, i, i === 1)),
      );
    } else {
      reply(req, res, 200, secureBundleJson(state, db, 0, false));
    }
  } else if (method === 'POST' && path === '/v2/clientIdSecrets') {
    const parsed = parseJson(body);
    const input = (parsed.ok ? parsed.value : undefined) as { roles?: unknown; description?: unknown } | undefined;
    const roleId = Array.isArray(input?.roles) && input.roles.length === 1 ? input.roles[0] : undefined;
    const role = typeof roleId === 'string' ? findRole(roleId) : undefined;
    if (!parsed.ok || !role) {
      fail(req, res, 400, 34001, 'roles must hold exactly one known role id');
      return;
    }
    const description = typeof input?.description === 'string' ? input.description : '';
    const t = issueToken(state, role, description);
    reply(req, res, 201, {
      clientId: t.clientId,
      orgId: t.orgId,
      secret: t.secret,
      token: t.token,
      generatedOn: t.generatedOn,
      roles: [t.roleId],
    });
  } else if (method === 'GET' && path === '/v2/clientIdSecrets') {
    reply(req, res, 200, {
      clients: state.issuedTokens
        .filter((t) => !state.revokedClientIds.has(t.clientId))
        .map((t) => ({
          clientId: t.clientId,
          roles: [t.roleId],
          generatedOn: t.generatedOn,
          description: t.description,
          tokenExpiry: '',
        })),
    });
  } else if (method === 'DELETE' && (m = route(/^\/v2\/clientIdSecrets\/([^/]+)$/))) {
    const known = state.issuedTokens.some((t) => t.clientId === m![1] && !state.revokedClientIds.has(t.clientId));
    if (!known) {
      fail(req, res, 404, 34004, 'client id not found');
      return;
    }
    state.revokedClientIds.add(m[1]!);
    reply(req, res, 204, undefined);
  } else {
    fail(req, res, 404, 404, `${method} ${url.pathname} is not an endpoint of the DevOps API`);
  }
}
