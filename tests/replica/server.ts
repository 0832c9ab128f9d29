/**
 * A local HTTPS replica of the Astra console, the DevOps API and the bundle bucket, all on one port. Chromium reaches
 * it under the real host names through --host-resolver-rules, so the extension's production manifest runs unchanged.
 * Used by the e2e tests and by `npm start` (the demo). Facts it follows: shared/ASTRA.md.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BUNDLE_KINDS, bundleObjectKey } from './bundle-links';
import { handleConsole } from './console-host';
import { handleDevopsApi } from './devops-api';
import { DATABASES, ORG, ROLES, type DatabaseStatus } from './fixtures';
import { API_HOST, ASTRA_HOST, ASTRA_ORIGIN, STORAGE_HOST } from './hosts';
import { readBody, sendJson } from './http-io';
import { bundleHost, makeBundle } from './make-bundle';
import { startMetadataService, type MetadataService } from './metadata-service';
import type { IssuedToken } from './mint-token';
import { DEFAULT_FAULTS, type Faults, type ReplicaState, type StoredObject } from './replica-state';
import { loadTls } from './replica-tls';
import { createStorageSigner } from './sign-storage-link';
import { handleStorage } from './storage';

export { API_HOST, ASTRA_HOST, STORAGE_HOST } from './hosts';
export type { Faults } from './replica-state';
export type { IssuedToken } from './mint-token';
export { DB, DATABASES, ORG, ROLES } from './fixtures';

export interface RequestRecord {
  host: string;
  method: string;
  /** Path with its query string, as received. */
  path: string;
  status: number;
}

export interface Replica {
  port: number;
  /** https://astra.datastax.com */
  origin: string;
  /** base64 SHA-256 of the server certificate's SPKI, for --ignore-certificate-errors-spki-list. */
  spkiHash: string;
  /** --host-resolver-rules for the three hosts and --ignore-certificate-errors-spki-list. */
  chromiumArgs: string[];
  setFaults(f: Partial<Faults>): void;
  resetFaults(): void;
  /** Hibernates or resumes a database (ACTIVE signs links; any other status answers 409 on secureBundleURL). */
  setDatabaseStatus(dbId: string, status: DatabaseStatus): void;
  /** The exact bytes storage serves for this database and region (all four link kinds serve them). */
  bundleFor(dbId: string, region: string): Uint8Array;
  issuedTokens: IssuedToken[];
  /** Every link handed out, all four kinds per region, oldest first. */
  issuedLinks: string[];
  requests: RequestRecord[];
  /** Current fault settings (read-only view). */
  readonly faults: Readonly<Faults>;
  /** A bearer token the DevOps API and GraphQL accept, for calling them directly from tests. */
  apiToken: string;
  /** Signs a storage link for any object key (e.g. one that does not exist), valid from `date` (default now). */
  signStorageLink(key: string, opts?: { date?: Date; lifetimeSeconds?: number }): string;
  /** The databases' metadata service (mutual TLS, the bundles' CA) for `scb-check --probe --connect-to`. */
  metadataService: MetadataService;
  close(): Promise<void>;
}

const TLS_CACHE = fileURLToPath(new URL('../.artifacts/replica-tls.json', import.meta.url));
const bundleCache = new Map<string, Promise<Uint8Array>>();

/** One bundle per database and region, made once per process: startup stays fast when tests start many replicas. */
function cachedBundle(dbId: string, dbName: string, region: string, keyspace: string): Promise<Uint8Array> {
  const key = `${dbId}/${region}`;
  let bundle = bundleCache.get(key);
  if (!bundle) {
    bundle = makeBundle({ dbId, dbName, region, keyspace });
    bundle.catch(() => bundleCache.delete(key));
    bundleCache.set(key, bundle);
  }
  return bundle;
}

function hostOf(req: IncomingMessage): string {
  return (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

export async function startReplica(opts: { port?: number; faults?: Partial<Faults> } = {}): Promise<Replica> {
  const tls = loadTls([ASTRA_HOST, API_HOST, STORAGE_HOST], TLS_CACHE);
  const objects = new Map<string, StoredObject>();
  const bundles = new Map<string, Uint8Array>();
  const lastModified = new Date(Math.floor(Date.now() / 1000) * 1000);
  await Promise.all(
    DATABASES.flatMap((db) =>
      db.datacenters.map(async (dc, i) => {
        const bytes = await cachedBundle(db.id, db.name, dc.region, db.keyspace);
        bundles.set(`${db.id}/${dc.region}`, bytes);
        const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
        for (const kind of BUNDLE_KINDS) objects.set(bundleObjectKey(db, i, kind), { bytes, etag, lastModified });
      }),
    ),
  );

  const state: ReplicaState = {
    org: ORG,
    // Copies: a test that changes a database's status changes it in this replica only.
    databases: DATABASES.map((db) => ({ ...db })),
    roles: ROLES,
    faults: { ...DEFAULT_FAULTS, ...opts.faults },
    signer: createStorageSigner(),
    objects,
    issuedTokens: [],
    revokedClientIds: new Set(),
    issuedLinks: [],
    sessions: new Set(),
    apiToken: `AstraCS:${randomBytes(12).toString('hex').slice(0, 24)}:${randomBytes(32).toString('hex')}`,
  };
  const controls = {
    setFaults(f: Partial<Faults>) {
      Object.assign(state.faults, f);
    },
    resetFaults() {
      state.faults = { ...DEFAULT_FAULTS };
    },
    setDatabaseStatus(dbId: string, status: DatabaseStatus) {
      const db = state.databases.find((d) => d.id === dbId);
      if (!db) throw new Error(`the replica has no database ${dbId}`);
      db.status = status;
    },
  };
  const requests: RequestRecord[] = [];

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = hostOf(req);
    const rawUrl = req.url ?? '/';
    res.on('close', () => requests.push({ host, method: req.method ?? '', path: rawUrl, status: res.statusCode }));
    const queryAt = rawUrl.indexOf('?');
    const rawPath = queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt);
    const rawQuery = queryAt < 0 ? '' : rawUrl.slice(queryAt + 1);
    if (host === STORAGE_HOST) {
      req.resume();
      await handleStorage(state, req, res, host, rawPath, rawQuery);
      return;
    }
    const body = await readBody(req);
    const url = new URL(rawUrl, `https://${host || ASTRA_HOST}`);
    if (host === API_HOST) handleDevopsApi(state, req, res, url, body);
    else if (host === ASTRA_HOST) await handleConsole(state, controls, req, res, url, body);
    else sendJson(res, 421, { error: `this replica does not serve host "${host}"` });
  }

  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      console.error('[replica]', req.method, req.headers.host, req.url, error);
      if (!res.headersSent) sendJson(res, 500, { error: 'replica failure' });
      else res.destroy();
    });
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  // A hibernated database has no bundle to probe (Get Bundle answers 409), so only active ones are served.
  const metadataService = await startMetadataService({
    databases: DATABASES.filter((db) => db.status === 'ACTIVE').flatMap((db) =>
      db.datacenters.map((dc) => ({ host: bundleHost({ dbId: db.id, region: dc.region }), region: dc.region })),
    ),
  });
  const hostRules = [ASTRA_HOST, API_HOST, STORAGE_HOST].map((h) => `MAP ${h} 127.0.0.1:${port}`).join(',');

  return {
    port,
    origin: ASTRA_ORIGIN,
    spkiHash: tls.spkiHash,
    chromiumArgs: [`--host-resolver-rules=${hostRules}`, `--ignore-certificate-errors-spki-list=${tls.spkiHash}`],
    setFaults: controls.setFaults,
    resetFaults: controls.resetFaults,
    setDatabaseStatus: controls.setDatabaseStatus,
    bundleFor(dbId: string, region: string) {
      const bytes = bundles.get(`${dbId}/${region}`);
      if (!bytes) throw new Error(`the replica has no bundle for database ${dbId} in region ${region}`);
      return bytes;
    },
    issuedTokens: state.issuedTokens,
    issuedLinks: state.issuedLinks,
    requests,
    get faults() {
      return state.faults;
    },
    apiToken: state.apiToken,
    signStorageLink(key, { date = new Date(), lifetimeSeconds = state.faults.linkLifetimeSeconds } = {}) {
      return state.signer.presign(key, date, lifetimeSeconds);
    },
    metadataService,
    async close() {
      await Promise.all([
        metadataService.close(),
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
      ]);
    },
  };
}
