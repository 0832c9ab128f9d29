// @vitest-environment node
import { execFile } from 'node:child_process';
import { globalAgent } from 'node:https';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bundleHost, makeBundleParts, zipBundle } from '../tests/replica/make-bundle';
import { startMetadataService, type MetadataService } from '../tests/replica/metadata-service';
import { DB, startReplica } from '../tests/replica/server';
import { parseConnectTo, probeBundle, readMetadata } from './probe-metadata';
import { runScbCheck, type CliReport, type ScbCheckIo } from './scb-check';

const spec = { dbId: '7d3e9a41-2c5b-4f8e-9a6d-1b4c7e2f5a93', dbName: 'payments', region: 'europe-west1' };
const host = bundleHost(spec);
let parts: Record<string, Uint8Array>;
let good: Uint8Array;
let secrets: string[];
let service: MetadataService;

/** The bundle with config.json edited: the same certificates and keystores, another host or port. */
async function withConfig(change: Record<string, unknown>, omit: string[] = []): Promise<Uint8Array> {
  const config = { ...JSON.parse(new TextDecoder().decode(parts['config.json'])), ...change };
  const edited: Record<string, Uint8Array> = { ...parts, 'config.json': new TextEncoder().encode(JSON.stringify(config, null, 2)) };
  for (const name of omit) delete edited[name];
  return zipBundle(edited);
}

beforeAll(async () => {
  parts = await makeBundleParts(spec);
  good = await zipBundle(parts);
  const config = JSON.parse(new TextDecoder().decode(parts['config.json']));
  const keyBody = new TextDecoder().decode(parts.key).split('\n')[1]!;
  secrets = [config.keyStorePassword, config.trustStorePassword, config.pfxCertPassword, keyBody];
  service = await startMetadataService({ databases: [{ host, region: spec.region }] });
});
afterAll(() => service.close());
beforeEach(() => service.setFault('none'));

function memoryIo(files: Record<string, Uint8Array>) {
  const out = { stdout: '', stderr: '' };
  const io: ScbCheckIo = {
    readFile: async (path, maxBytes) => files[path]!.subarray(0, maxBytes),
    stat: async (path) => {
      const f = files[path];
      if (!f) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
      return { isDirectory: () => false, isFile: () => true, size: f.length };
    },
    readdir: async () => [],
    stdout: (t) => void (out.stdout += t),
    stderr: (t) => void (out.stderr += t),
    probe: probeBundle,
    parseConnectTo,
  };
  return { io, out };
}

async function probeJson(bundle: Uint8Array, ...args: string[]) {
  const { io, out } = memoryIo({ 'secure-connect-payments.zip': bundle });
  const status = await runScbCheck(['--json', '--probe', ...args, 'secure-connect-payments.zip'], io);
  const [report] = JSON.parse(out.stdout) as CliReport[];
  for (const secret of secrets) expect(out.stdout).not.toContain(secret);
  return { status, report: report! };
}

async function probeText(bundle: Uint8Array, ...args: string[]) {
  const { io, out } = memoryIo({ 'secure-connect-payments.zip': bundle });
  const status = await runScbCheck(['--probe', ...args, 'secure-connect-payments.zip'], io);
  for (const secret of secrets) expect(out.stdout).not.toContain(secret);
  return { status, lines: out.stdout.trimEnd().split('\n') };
}

describe('scb-check --probe against a mutual-TLS metadata service', () => {
  it('fetches the metadata with the bundle certificate, names config.host in SNI, and exits 0', async () => {
    const { status, report } = await probeJson(good, '--connect-to', service.connectTo);
    expect(status).toBe(0);
    const expected = service.metadataFor(host)!;
    expect(report.probe).toEqual({
      ok: true,
      stage: 'metadata',
      metadata: {
        region: spec.region,
        localDc: expected.contact_info.local_dc,
        sniProxy: `${host}:29042`,
        contactPoints: 3,
      },
    });
    expect(service.requests.at(-1)).toEqual({ servername: host, path: '/metadata', clientCommonName: `client.${host}` });
  });

  it('says in one line what the service answered', async () => {
    const { status, lines } = await probeText(good, `--connect-to=${service.connectTo}`, '--timeout', '5');
    expect(status).toBe(0);
    expect(lines[0]).toMatch(/^secure-connect-payments.zip: OK \(/);
    expect(lines[1]).toBe(
      `  probe OK: the metadata service answered (region ${spec.region}, local DC ${spec.region}, SNI proxy ${host}:29042, 3 contact points); drivers can start connecting.`,
    );
  });

  it('refuses a server whose certificate comes from another CA (probe-tls at tls)', async () => {
    await service.setFault('wrong-server-ca');
    const { status, report } = await probeJson(good, '--connect-to', service.connectTo);
    expect(status).toBe(1);
    expect(report.ok).toBe(true);
    expect(report.probe).toMatchObject({ ok: false, stage: 'tls', problem: { code: 'probe-tls' } });
    expect(report.probe!.problem!.message).toMatch(/does not trust .*another Astra environment/);
  });

  it('refuses a trusted certificate issued for another host: the name check is on config.host, not the --connect-to address', async () => {
    await service.setFault('wrong-host');
    const { report } = await probeJson(good, '--connect-to', service.connectTo);
    expect(report.probe).toMatchObject({ ok: false, stage: 'tls', problem: { code: 'probe-tls' } });
    expect(report.probe!.problem!.message).toContain(`certificate for another name, not ${host}`);
  });

  it('reports a client certificate the service refuses with a TLS alert as probe-rejected', async () => {
    await service.setFault('refuse-client-cert');
    const { status, lines } = await probeText(good, '--connect-to', service.connectTo);
    expect(status).toBe(1);
    expect(lines[1]).toMatch(/^ {2}probe FAILED at tls, probe-rejected: .*refused the bundle's client certificate \(TLS alert: unknown_ca\)\. This usually means the bundle belongs to another database/);
    expect(lines[1]).toContain('Hint: Download the bundle again');
  });

  it('reports the same refusal over TLS 1.2, where the alert ends the handshake, as probe-rejected', async () => {
    await service.setFault('refuse-client-cert-tls12');
    const { report } = await probeJson(good, '--connect-to', service.connectTo);
    expect(report.probe).toMatchObject({ ok: false, stage: 'tls', problem: { code: 'probe-rejected' } });
    expect(report.probe!.problem!.message).toContain('(TLS alert: unknown_ca)');
  });

  it('reports a 503 as probe-http with the status', async () => {
    await service.setFault('status-503');
    const { report } = await probeJson(good, '--connect-to', service.connectTo);
    expect(report.probe).toMatchObject({ ok: false, stage: 'http', problem: { code: 'probe-http' } });
    expect(report.probe!.problem!.message).toContain('answered HTTP 503 instead of 200 ("Service Unavailable")');
  });

  it('reports a 200 that is not the metadata shape as probe-bad-metadata', async () => {
    await service.setFault('not-metadata');
    const { report } = await probeJson(good, '--connect-to', service.connectTo);
    expect(report.probe).toMatchObject({ ok: false, stage: 'metadata', problem: { code: 'probe-bad-metadata' } });
    expect(report.probe!.problem!.message).toContain('it has no contact_info');
  });

  it('reports a closed port as probe-unreachable, in words about hibernation, IP access lists and port 29080', async () => {
    const closed = await freePort();
    const { status, lines } = await probeText(good, '--connect-to', `127.0.0.1:${closed}`);
    expect(status).toBe(1);
    expect(lines[1]).toMatch(/^ {2}probe FAILED at tcp, probe-unreachable: .*refused \(ECONNREFUSED\)\. This usually means the database is hibernated or parked, its IP access list leaves this computer out, or a firewall blocks port 29080\./);
    expect(lines.join('\n')).toContain("resume it if it is Hibernated or Parked");
    expect(lines.join('\n')).toContain("Astra Companion's bundle cards show the database's state");
  });

  it('gives up on a server that accepts the connection and never speaks (probe-timeout at tls)', async () => {
    const silent = await silentServer();
    try {
      const { report } = await probeJson(good, '--connect-to', `127.0.0.1:${silent.port}`, '--timeout', '0.3');
      expect(report.probe).toMatchObject({ ok: false, stage: 'tls', problem: { code: 'probe-timeout' } });
      expect(report.probe!.problem!.message).toContain('did not finish the TLS handshake within 0.3 s');
    } finally {
      await silent.close();
    }
  });

  it('gives up on a service that takes the request and never answers (probe-timeout at http)', async () => {
    await service.setFault('no-reply');
    const { report } = await probeJson(good, '--connect-to', service.connectTo, '--timeout', '0.3');
    expect(report.probe).toMatchObject({ ok: false, stage: 'http', problem: { code: 'probe-timeout' } });
  });

  it('reports a host that does not resolve as probe-dns: a terminated or mistyped database', async () => {
    const bundle = await withConfig({ host: `${spec.dbId}-${spec.region}.db.astra.invalid` });
    const { status, lines } = await probeText(bundle);
    expect(status).toBe(1);
    expect(lines[1]).toMatch(/^ {2}probe FAILED at dns, probe-dns: The database's host .*\.invalid does not resolve \(ENOTFOUND\)\. This usually means the database was terminated or deleted/);
    expect(lines.join('\n')).toContain('whether it is Terminated or Hibernated');
  });

  it('skips the probe of a bundle without a key, says why, and exits 1', async () => {
    const { status, lines } = await probeText(await withConfig({}, ['key']), '--connect-to', service.connectTo);
    expect(status).toBe(1);
    expect(lines[0]).toMatch(/FAILED missing-entry/);
    expect(lines[1]).toBe('  probe skipped: Not probed: the bundle lacks key.');
  });

  it('exits 2 on probe options without --probe, a bad --timeout or a bad --connect-to', async () => {
    for (const argv of [
      ['--connect-to', '127.0.0.1:1', 'a.zip'],
      ['--timeout', '3', 'a.zip'],
      ['--probe', '--timeout', 'soon', 'a.zip'],
      ['--probe', '--timeout', '0', 'a.zip'],
      ['--probe', '--connect-to', '127.0.0.1', 'a.zip'],
      ['--probe', '--connect-to'],
    ]) {
      const { io, out } = memoryIo({ 'a.zip': good });
      expect(await runScbCheck(argv, io)).toBe(2);
      expect(out.stderr).toContain('Usage: scb-check');
    }
  });
});

describe('the DataStax Node.js driver judges the stand-in', () => {
  const require = createRequire(import.meta.url);
  const cloud = require('cassandra-driver/lib/datastax/cloud/index.js') as { init(options: object): Promise<void> };
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'probe-driver-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The driver's own cloud setup on a bundle whose config.json port is the service's; only DNS is pointed at loopback. */
  async function driverFetch(bundle: Uint8Array) {
    // The driver uses Node's global agent, which keeps connections alive: a new fault needs a new connection.
    globalAgent.destroy();
    const path = join(dir, `bundle-${Math.random().toString(36).slice(2)}.zip`);
    writeFileSync(path, bundle);
    const lookup = (_host: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) =>
      options.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
    const options = {
      cloud: { secureConnectBundle: path },
      sslOptions: { lookup },
      socketOptions: { connectTimeout: 5000 },
      logEmitter: () => {},
    } as { contactPoints?: string[]; localDataCenter?: string; sni?: { address: string } };
    await cloud.init(options);
    return options;
  }

  it('reads the same contact points, local DC and SNI proxy as scb-check --probe', async () => {
    const bundle = await withConfig({ port: service.port });
    const driver = await driverFetch(bundle);
    const expected = service.metadataFor(host)!.contact_info;
    expect(driver.contactPoints).toEqual(expected.contact_points);
    expect(driver.localDataCenter).toBe(expected.local_dc);
    expect(driver.sni).toEqual({ address: expected.sni_proxy_address });
    expect(service.requests.at(-1)).toMatchObject({ servername: host, path: '/metadata', clientCommonName: `client.${host}` });

    const { report } = await probeJson(bundle, '--connect-to', service.connectTo);
    expect(report.probe!.metadata).toEqual({
      region: spec.region,
      localDc: driver.localDataCenter,
      sniProxy: driver.sni!.address,
      contactPoints: driver.contactPoints!.length,
    });
  });

  it('fails where the probe fails: a foreign server CA, a refused client certificate, a reply without contact_info', async () => {
    const bundle = await withConfig({ port: service.port });
    for (const [fault, error] of [
      ['wrong-server-ca', /error fetching the metadata/],
      ['refuse-client-cert', /error fetching the metadata/],
      ['not-metadata', /error while parsing the metadata/],
    ] as const) {
      await service.setFault(fault);
      await expect(driverFetch(bundle), fault).rejects.toThrow(error);
    }
  });
});

describe('the replica (npm start) serves its demo bundles a metadata service', () => {
  it('probes every region of every active database OK', async () => {
    const replica = await startReplica();
    try {
      for (const db of [DB.orders, DB.inventory, DB.vectors]) {
        for (const dc of db.datacenters) {
          const { io, out } = memoryIo({ 'demo.zip': replica.bundleFor(db.id, dc.region) });
          const status = await runScbCheck(['--json', '--probe', '--connect-to', replica.metadataService.connectTo, 'demo.zip'], io);
          const [report] = JSON.parse(out.stdout) as CliReport[];
          expect(report!.probe, `${db.name} ${dc.region}`).toMatchObject({ ok: true, metadata: { region: dc.region, localDc: dc.region } });
          expect(status).toBe(0);
        }
      }
    } finally {
      await replica.close();
    }
  });
});

describe('readMetadata', () => {
  it('names every field drivers need that is missing', () => {
    expect(readMetadata('{"contact_info":{"local_dc":"dc","contact_points":[]}}')).toEqual({
      ok: false,
      error: 'contact_info.sni_proxy_address, contact_info.contact_points are missing or empty',
    });
    expect(readMetadata('<html>')).toEqual({ ok: false, error: 'the answer is not JSON' });
  });
});

describe('parseConnectTo', () => {
  it('reads host:port and [ipv6]:port, and nothing else', () => {
    expect(parseConnectTo('127.0.0.1:29080')).toEqual({ host: '127.0.0.1', port: 29080 });
    expect(parseConnectTo('[::1]:443')).toEqual({ host: '::1', port: 443 });
    expect(parseConnectTo('proxy.internal:8443')).toEqual({ host: 'proxy.internal', port: 8443 });
    for (const bad of ['127.0.0.1', ':29080', 'host:0', 'host:70000', '::1:443', 'a b:1']) expect(parseConnectTo(bad), bad).toBeUndefined();
  });
});

describe('bin/scb-check.mjs --probe on a real file', () => {
  it('exits 0 on a good probe and 1 with the plain-words failure on a refused connection', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'probe-bin-'));
    try {
      writeFileSync(join(dir, 'secure-connect-payments.zip'), good);
      const bin = join(__dirname, '..', 'bin', 'scb-check.mjs');
      const run = (...args: string[]) =>
        new Promise<{ status: number; stdout: string }>((resolve) => {
          execFile(process.execPath, [bin, ...args], { cwd: dir, timeout: 60_000 }, (error, stdout) =>
            resolve({ status: error ? Number((error as { code?: number }).code ?? 99) : 0, stdout }),
          );
        });
      const okRun = await run('--probe', '--connect-to', service.connectTo, 'secure-connect-payments.zip');
      expect(okRun.stdout).toContain('probe OK: the metadata service answered');
      expect(okRun.status).toBe(0);
      const refused = await run('--probe', '--connect-to', `127.0.0.1:${await freePort()}`, 'secure-connect-payments.zip');
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain('probe FAILED at tcp, probe-unreachable');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

/** A port nothing listens on: bound, then closed. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Accepts TCP connections and never sends a byte. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
