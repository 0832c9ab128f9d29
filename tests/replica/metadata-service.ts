/**
 * A stand-in for Astra's metadata service (shared/ASTRA.md section 7): mutual TLS on loopback, a server certificate
 * for each database host signed by the bundles' own CA, client certificates required from that CA, and
 * `GET /metadata` answering what drivers read. Faults make it fail the ways a probe must tell apart.
 * Node only: used by the probe tests and the replica (`npm start`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authorityPem, issueServerCertificate } from './make-bundle';

export interface MetadataDatabase {
  /** config.host of the bundle: `<dbId>-<region>.db.astra.datastax.com`. */
  host: string;
  region: string;
  /** contact_info.local_dc; Astra names it after the region. */
  localDc?: string;
}

export type MetadataFault =
  /** Answers like Astra. */
  | 'none'
  /** Presents a certificate from another CA with the same name: the client must refuse it. */
  | 'wrong-server-ca'
  /** Presents a certificate for another host: the client's name check must refuse it. */
  | 'wrong-host'
  /**
   * Trusts only another CA for client certificates: the bundle's certificate is refused with a TLS alert (unknown_ca).
   * Node's own server drops such a connection without an alert, so `openssl s_server` answers this fault, as a TLS
   * terminator in front of the real service would.
   */
  | 'refuse-client-cert'
  /** The same over TLS 1.2, where the alert ends the handshake itself (in TLS 1.3 it comes after it). */
  | 'refuse-client-cert-tls12'
  /** 503 with a short text body. */
  | 'status-503'
  /** 200 with JSON that is not the metadata shape. */
  | 'not-metadata'
  /** Reads the request and never answers. */
  | 'no-reply';

export interface MetadataService {
  port: number;
  /** `127.0.0.1:<port>`, for `scb-check --probe --connect-to`. */
  connectTo: string;
  setFault(fault: MetadataFault): Promise<void>;
  /** The reply body for a host, as served when there is no fault. */
  metadataFor(host: string): MetadataReply | undefined;
  /** Requests that reached the HTTP layer: the SNI name, the path and the client certificate's subject CN. */
  requests: Array<{ servername: string; path: string; clientCommonName: string }>;
  close(): Promise<void>;
}

export interface MetadataReply {
  version: number;
  region: string;
  contact_info: { type: 'sni_proxy'; local_dc: string; contact_points: string[]; sni_proxy_address: string };
}

export async function startMetadataService(opts: {
  databases: MetadataDatabase[];
  port?: number;
  fault?: MetadataFault;
}): Promise<MetadataService> {
  const hosts = opts.databases.map((db) => db.host);
  const replies = new Map<string, MetadataReply>(
    opts.databases.map((db) => [
      db.host,
      {
        version: 1,
        region: db.region,
        contact_info: {
          type: 'sni_proxy',
          local_dc: db.localDc ?? db.region,
          contact_points: [randomUUID(), randomUUID(), randomUUID()],
          sni_proxy_address: `${db.host}:29042`,
        },
      },
    ]),
  );
  const good = issueServerCertificate(hosts);
  const goodContext = { key: good.key, cert: good.cert, ca: [authorityPem()] };
  // The fault certificates are made on first use: RSA key generation is the slow part of starting.
  const faultContexts = new Map<MetadataFault, { key: string; cert: string; ca: string[] }>();
  const contextFor = (next: MetadataFault) => {
    if (next !== 'wrong-server-ca' && next !== 'wrong-host') return goodContext;
    let context = faultContexts.get(next);
    if (!context) {
      const issued =
        next === 'wrong-server-ca'
          ? issueServerCertificate(hosts, { authority: 'other-ca' })
          : issueServerCertificate(['00000000-0000-4000-8000-000000000000-nowhere-1.db.astra.datastax.com']);
      context = { key: issued.key, cert: issued.cert, ca: [authorityPem()] };
      faultContexts.set(next, context);
    }
    return context;
  };
  let fault: MetadataFault = opts.fault ?? 'none';
  const requests: MetadataService['requests'] = [];

  const https = createHttpsServer({ ...goodContext, requestCert: true, rejectUnauthorized: true }, (req, res) => answer(req, res));
  // A refused handshake is the point of some faults: keep it off the test output.
  https.on('tlsClientError', () => {});
  type Refusing = Promise<{ child: ChildProcess; port: number; dir: string }>;
  const refusing = new Map<MetadataFault, Refusing>();

  function answer(req: IncomingMessage, res: ServerResponse) {
    const socket = req.socket as Socket & { servername?: string; getPeerCertificate(): { subject?: { CN?: string } } };
    const servername = socket.servername ?? '';
    requests.push({ servername, path: req.url ?? '', clientCommonName: socket.getPeerCertificate().subject?.CN ?? '' });
    req.resume();
    if (fault === 'no-reply') return;
    if (fault === 'status-503') {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    }
    if (fault === 'not-metadata') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', region: 'us-east1' }));
      return;
    }
    const reply = replies.get(servername);
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metadata' || !reply) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  }

  // One loopback port for every fault: each connection goes to Node's HTTPS server, or to openssl when it refuses.
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const front = createServer((socket) => {
    track(socket);
    const refuser = refusing.get(fault);
    if (!refuser) {
      https.emit('connection', socket);
      return;
    }
    socket.pause();
    void refuser.then(({ port: refusingPort }) => {
      const upstream = connect({ host: '127.0.0.1', port: refusingPort }, () => {
        socket.pipe(upstream).pipe(socket);
        socket.resume();
      });
      track(upstream);
      upstream.on('close', () => socket.destroy());
      socket.on('close', () => upstream.destroy());
    }, () => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = front.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  const service: MetadataService = {
    port,
    connectTo: `127.0.0.1:${port}`,
    async setFault(next) {
      fault = next;
      https.setSecureContext(contextFor(next));
      if (next === 'refuse-client-cert' || next === 'refuse-client-cert-tls12') {
        if (!refusing.has(next)) refusing.set(next, startRefusingServer(good, next === 'refuse-client-cert-tls12'));
        await refusing.get(next);
      }
    },
    metadataFor: (host) => replies.get(host),
    requests,
    async close() {
      const closed = new Promise<void>((resolve) => front.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      for (const refuser of refusing.values()) {
        const { child, dir } = await refuser.catch(() => ({ child: undefined, dir: undefined }));
        child?.kill();
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
      await closed;
    },
  };
  if (fault !== 'none') await service.setFault(fault);
  return service;
}

/** `openssl s_server` with the service's certificate, requiring client certificates from a CA the bundles do not use. */
function startRefusingServer(material: { key: string; cert: string }, tls12: boolean): Promise<{ child: ChildProcess; port: number; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'metadata-refusing-'));
  writeFileSync(join(dir, 'server.key'), material.key, { mode: 0o600 });
  writeFileSync(join(dir, 'server.crt'), material.cert);
  writeFileSync(join(dir, 'trusted-clients.crt'), authorityPem({ authority: 'other-ca' }));
  // -Verify (capital) requires a client certificate; -verify_return_error turns a failed check into a TLS alert.
  const child = spawn(
    'openssl',
    ['s_server', '-accept', '127.0.0.1:0', '-cert', join(dir, 'server.crt'), '-key', join(dir, 'server.key'),
      '-Verify', '1', '-verify_return_error', '-CAfile', join(dir, 'trusted-clients.crt'), '-www', ...(tls12 ? ['-tls1_2'] : [])],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('openssl s_server did not start'));
    }, 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const accept = /ACCEPT 127\.0\.0\.1:(\d+)/.exec(output);
      if (accept) {
        clearTimeout(timer);
        resolve({ child, port: Number(accept[1]), dir });
      }
    });
  });
}
