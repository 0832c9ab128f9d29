/**
 * Asks a bundle's metadata service what every driver asks first: a mutual-TLS `GET https://<host>:<port>/metadata`
 * with the bundle's cert and key, trusting only its ca.crt and checking the server's name against config.host
 * (shared/ASTRA.md section 7). Each stage (dns, tcp, tls, http, metadata) has its own time limit and its own
 * plain-words explanation of what a failure there usually means. Node only (node:dns, node:net, node:tls).
 */
import { lookup } from 'node:dns/promises';
import { request } from 'node:http';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as connectTls, type TLSSocket } from 'node:tls';
import JSZip from 'jszip';
import type { BundleVerdict } from '../utils/bundle/check-bundle';
import { fail, ok, type Problem, type Result } from '../utils/shared/result';

export type ProbeStage = 'dns' | 'tcp' | 'tls' | 'http' | 'metadata';

export type ProbeProblemCode =
  | 'probe-dns'
  | 'probe-unreachable'
  | 'probe-tls'
  | 'probe-rejected'
  | 'probe-http'
  | 'probe-bad-metadata'
  | 'probe-timeout';

export interface ProbeMetadata {
  region?: string;
  localDc: string;
  /** `host:port` drivers send CQL to (with SNI). */
  sniProxy: string;
  /** How many contact points (host ids) the service lists. */
  contactPoints: number;
}

export interface ProbeResult {
  ok: boolean;
  /** The last stage reached. */
  stage: ProbeStage;
  metadata?: ProbeMetadata;
  problem?: Problem<ProbeProblemCode>;
}

/** What a probe needs from a bundle: config.json's host and port, and the three PEM files. */
export interface ProbeTarget {
  host: string;
  port: number;
  ca: string;
  cert: string;
  key: string;
}

export interface ProbeOptions {
  /** Where the TCP connection goes instead of host:port; SNI and the name check stay on the target's host. */
  connectTo?: { host: string; port: number };
  /** The limit of each stage. */
  timeoutMs: number;
}

/** The metadata reply is a few hundred bytes; anything past this is not it. */
const MAX_REPLY_BYTES = 64 * 1024;

const DOWNLOAD_AGAIN =
  "Download the bundle again from this database's Connection details (Connect) page in the Astra console and use it unchanged.";

/**
 * The probe target inside a checked bundle, or why there is none. Only call it on bytes the checker has already
 * unpacked without a structural problem, so the entries are known to inflate to their declared small sizes.
 */
export async function readProbeTarget(bytes: Uint8Array, verdict: BundleVerdict): Promise<Result<ProbeTarget>> {
  const structural = verdict.problems.find((p) =>
    ['not-a-zip', 'storage-error', 'truncated', 'corrupt', 'unsafe-entry', 'too-large'].includes(p.code),
  );
  const notProbed = (why: string) => fail('probe-skipped', `Not probed: ${why}.`, 'Fix the problems above first.');
  if (structural) return notProbed('the bundle cannot be unpacked');
  const prefix = verdict.facts.folder ? `${verdict.facts.folder}/` : '';
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes, { checkCRC32: true });
  } catch {
    return notProbed('the bundle cannot be unpacked');
  }
  const read = async (name: string) => zip.file(`${prefix}${name}`)?.async('string');
  const [configText, ca, cert, key] = await Promise.all(['config.json', 'ca.crt', 'cert', 'key'].map(read));
  const missing = [
    ...(configText === undefined ? ['config.json'] : []),
    ...(ca === undefined ? ['ca.crt'] : []),
    ...(cert === undefined ? ['cert'] : []),
    ...(key === undefined ? ['key'] : []),
  ];
  if (missing.length) return notProbed(`the bundle lacks ${missing.join(', ')}`);
  let config: { host?: unknown; port?: unknown };
  try {
    config = JSON.parse(configText!.replace(/^\uFEFF/, '')) as typeof config;
  } catch {
    return notProbed('config.json is not valid JSON');
  }
  if (typeof config?.host !== 'string' || !config.host.trim() || !Number.isInteger(config.port)) {
    return notProbed('config.json has no usable host and port');
  }
  return ok({ host: config.host.trim(), port: config.port as number, ca: ca!, cert: cert!, key: key! });
}

/** The probe of a checked bundle: its target read from the bytes, then the metadata service asked. */
export async function probeBundle(bytes: Uint8Array, verdict: BundleVerdict, options: ProbeOptions): Promise<Result<ProbeResult>> {
  const target = await readProbeTarget(bytes, verdict);
  return target.ok ? ok(await probeMetadata(target.value, options)) : target;
}

/** Parses `HOST:PORT` or `[IPv6]:PORT`. */
export function parseConnectTo(text: string): { host: string; port: number } | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return undefined;
  return { host: (match[1] ?? match[2])!, port };
}

export async function probeMetadata(target: ProbeTarget, options: ProbeOptions): Promise<ProbeResult> {
  const dial = options.connectTo ?? { host: target.host, port: target.port };
  const service = `${target.host}:${target.port}`;
  const via = options.connectTo ? ` (connecting to ${formatHostPort(dial)})` : '';
  const seconds = `${options.timeoutMs / 1000} s`;
  const timedOut = (stage: ProbeStage, what: string, usually: string, hint: string): ProbeResult => ({
    ok: false,
    stage,
    problem: { code: 'probe-timeout', message: `${what} within ${seconds}${via}. ${usually}`, hint },
  });

  // dns
  let addresses: string[];
  if (isIP(dial.host)) addresses = [dial.host];
  else {
    const found = await within(options.timeoutMs, lookup(dial.host, { all: true }));
    if (found.kind === 'timeout') {
      return timedOut('dns', `The name ${dial.host} did not resolve`, 'This computer could not get an answer from its DNS server.', 'Check this network connection and its DNS settings, then try again (or give a longer --timeout).');
    }
    if (found.kind === 'failed' || !found.value.length) {
      const code = found.kind === 'failed' ? errorCode(found.error) : '';
      return { ok: false, stage: 'dns', problem: dnsProblem(dial.host, code, options.connectTo !== undefined) };
    }
    addresses = found.value.map((a) => a.address);
  }

  // tcp: every address in turn, all within one stage limit
  const deadline = Date.now() + options.timeoutMs;
  let socket: Socket | undefined;
  let lastError: unknown;
  for (const address of addresses) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    const attempt = await openTcp(address, dial.port, left);
    if (attempt.socket) {
      socket = attempt.socket;
      break;
    }
    lastError = attempt.error;
  }
  if (!socket) {
    if (!lastError) {
      return timedOut('tcp', `Nothing answered on ${formatHostPort(dial)}`, UNREACHABLE_USUALLY, UNREACHABLE_HINT);
    }
    return { ok: false, stage: 'tcp', problem: unreachableProblem(service, dial, errorCode(lastError), options.connectTo !== undefined) };
  }

  // tls
  const handshake = await shakeHands(socket, target, options.timeoutMs);
  if (handshake.kind === 'timeout') {
    return timedOut(
      'tls',
      `${formatHostPort(dial)} accepted the connection but did not finish the TLS handshake`,
      'Something other than the metadata service may be listening there (a proxy, another service), or it is overloaded.',
      `Check that ${formatHostPort(dial)} is the metadata service of this database (port ${target.port} of ${target.host}); try again later.`,
    );
  }
  if (handshake.kind === 'failed') return { ok: false, stage: 'tls', problem: tlsProblem(handshake.error, service, via) };
  const tls = handshake.value;

  // http
  const answer = await getMetadata(tls, target, options.timeoutMs);
  if (answer.kind === 'timeout') {
    return timedOut(
      'http',
      `The metadata service at ${service} accepted the bundle's certificate but did not answer GET /metadata`,
      'The service may be starting (a database resuming) or overloaded.',
      "Try again in a minute; if it stays silent, check the database's status in the Astra console.",
    );
  }
  if (answer.kind === 'failed') {
    if (isRejectionAlert(answer.error)) return { ok: false, stage: 'tls', problem: rejectedProblem(answer.error, service, via) };
    return {
      ok: false,
      stage: 'http',
      problem: {
        code: 'probe-http',
        message: `The metadata service at ${service}${via} closed the connection without an HTTP answer (${describeError(answer.error)}); a server that refuses a client certificate without saying so looks like this too.`,
        hint: `Try again; if it persists, ${DOWNLOAD_AGAIN.charAt(0).toLowerCase()}${DOWNLOAD_AGAIN.slice(1)}`,
      },
    };
  }
  const reply = answer.value;
  if (reply.status !== 200) {
    const body = printable(reply.body.slice(0, 200));
    return {
      ok: false,
      stage: 'http',
      problem: {
        code: 'probe-http',
        message: `The metadata service at ${service}${via} accepted the bundle's certificate but answered HTTP ${reply.status} instead of 200${body ? ` ("${body}")` : ''}, so drivers fail here.`,
        hint: "Try again in a few minutes (a resuming or busy database answers like this); if it persists, check the database's status in the Astra console and give DataStax support this status.",
      },
    };
  }

  // metadata
  const shape = readMetadata(reply.body);
  if (!shape.ok) {
    return {
      ok: false,
      stage: 'metadata',
      problem: {
        code: 'probe-bad-metadata',
        message: `The service at ${service}${via} answered 200, but not with the metadata drivers need: ${shape.error}. Drivers fail with "There was an error while parsing the metadata service information".`,
        hint: options.connectTo
          ? `Check that ${formatHostPort(dial)} is this database's metadata service and that nothing between rewrites its answers.`
          : 'Something between this computer and Astra (a proxy or captive portal) may be answering instead: try from another network.',
      },
    };
  }
  return { ok: true, stage: 'metadata', metadata: shape.value };
}

const UNREACHABLE_USUALLY =
  'This usually means the database is hibernated or parked, its IP access list leaves this computer out, or a firewall blocks port 29080.';
const UNREACHABLE_HINT =
  "Open the database in the Astra console: resume it if it is Hibernated or Parked, and add this computer's address to its IP access list if it has one; otherwise allow outgoing TCP port 29080 (and 29042 for CQL) on this network. Astra Companion's bundle cards show the database's state once the console has shown the database.";

function dnsProblem(host: string, code: string, viaConnectTo: boolean): Problem<'probe-dns'> {
  if (code === 'EAI_AGAIN') {
    return {
      code: 'probe-dns',
      message: `The name ${host} could not be looked up: the DNS server did not answer (${code}).`,
      hint: 'Check this network connection and its DNS settings, then try again.',
    };
  }
  if (viaConnectTo) {
    return {
      code: 'probe-dns',
      message: `The --connect-to host ${host} does not resolve${code ? ` (${code})` : ''}.`,
      hint: 'Check the host name given to --connect-to.',
    };
  }
  return {
    code: 'probe-dns',
    message: `The database's host ${host} does not resolve${code ? ` (${code})` : ''}. This usually means the database was terminated or deleted, or the bundle's config.json was edited and its host mistyped.`,
    hint: "Check in the Astra console that the database still exists (a terminated database's bundles never work again); if it does, download a fresh bundle from its Connection details page. Astra Companion's bundle cards show whether it is Terminated or Hibernated once the console has shown the database.",
  };
}

function unreachableProblem(
  service: string,
  dial: { host: string; port: number },
  code: string,
  viaConnectTo: boolean,
): Problem<'probe-unreachable'> {
  const how =
    code === 'ECONNREFUSED'
      ? 'the connection was refused'
      : code === 'EHOSTUNREACH' || code === 'ENETUNREACH'
        ? 'the address cannot be reached from this network'
        : 'the connection failed';
  return {
    code: 'probe-unreachable',
    message: `Nothing accepts connections for the metadata service ${service}${viaConnectTo ? ` at ${formatHostPort(dial)}` : ''}: ${how}${code ? ` (${code})` : ''}. ${UNREACHABLE_USUALLY}`,
    hint: UNREACHABLE_HINT,
  };
}

/** Alerts a server sends when it does not accept the client certificate we presented. */
const REJECTION_ALERT =
  /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_REQUIRED|CERTIFICATE_UNKNOWN|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)$/;

function isRejectionAlert(error: unknown): boolean {
  return REJECTION_ALERT.test(errorCode(error));
}

function alertName(error: unknown): string {
  const match = REJECTION_ALERT.exec(errorCode(error));
  return match ? match[1]!.toLowerCase() : errorCode(error);
}

function rejectedProblem(error: unknown, service: string, via: string): Problem<'probe-rejected'> {
  return {
    code: 'probe-rejected',
    message: `The metadata service at ${service}${via} refused the bundle's client certificate (TLS alert: ${alertName(error)}). This usually means the bundle belongs to another database, or its cert or key was damaged or replaced.`,
    hint: DOWNLOAD_AGAIN,
  };
}

/** Errors of our own check of the server's certificate, by OpenSSL's and Node's codes. */
const UNTRUSTED_SERVER = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

function tlsProblem(error: unknown, service: string, via: string): Problem<'probe-tls' | 'probe-rejected'> {
  const code = errorCode(error);
  if (isRejectionAlert(error)) return rejectedProblem(error, service, via);
  if (UNTRUSTED_SERVER.has(code)) {
    return {
      code: 'probe-tls',
      message: `The server at ${service}${via} presented a certificate that the bundle's ca.crt does not trust (${code}). This usually means the bundle comes from another Astra environment, its ca.crt was damaged, or something between you and Astra (a TLS-inspecting proxy) answered instead.`,
      hint: `${DOWNLOAD_AGAIN} On a network that inspects TLS, ask for port 29080 to be let through untouched.`,
    };
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      code: 'probe-tls',
      message: `The server at ${service}${via} presented a certificate for another name, not ${service.replace(/:\d+$/, '')}. This usually means the connection reached another database's service, or the bundle's config.json host was edited.`,
      hint: DOWNLOAD_AGAIN,
    };
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return {
      code: 'probe-tls',
      message: `The server at ${service}${via} presented a certificate that is ${code === 'CERT_HAS_EXPIRED' ? 'expired' : 'not yet valid'} (${code}); this computer's clock may be wrong.`,
      hint: "Check this computer's date and time; if they are right, report it to DataStax support.",
    };
  }
  if (code.startsWith('ERR_OSSL') || code === 'ERR_INVALID_ARG_TYPE') {
    return {
      code: 'probe-tls',
      message: `The bundle's cert, key or ca.crt cannot be used for TLS (${code}): they are damaged or do not belong together.`,
      hint: DOWNLOAD_AGAIN,
    };
  }
  return {
    code: 'probe-tls',
    message: `The TLS handshake with ${service}${via} failed (${describeError(error)}). This usually means the bundle is from another database or its certificate files are damaged; a proxy or firewall that cuts TLS connections looks like this too.`,
    hint: DOWNLOAD_AGAIN,
  };
}

/** How a stage ended: in time with a value, in time with an error, or out of time. */
type Outcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: unknown } | { kind: 'timeout' };

/** The promise's outcome, or a time-out; a lookup cannot be cancelled, so its late answer is dropped. */
function within<T>(ms: number, promise: Promise<T>): Promise<Outcome<T>> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve({ kind: 'done', value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ kind: 'failed', error });
      },
    );
  });
}

/** An open socket, an error, or neither (the time ran out). */
function openTcp(address: string, port: number, ms: number): Promise<{ socket?: Socket; error?: unknown }> {
  return new Promise((resolve) => {
    const socket = connectTcp({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({});
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve({ socket });
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ error });
    });
  });
}

function shakeHands(
  socket: Socket,
  target: ProbeTarget,
  ms: number,
): Promise<Outcome<TLSSocket>> {
  return new Promise((resolve) => {
    let tls: TLSSocket;
    try {
      tls = connectTls({
        socket,
        ...(isIP(target.host) ? {} : { servername: target.host }),
        ca: [target.ca],
        cert: target.cert,
        key: target.key,
        rejectUnauthorized: true,
        // The name check is on config.host, wherever the TCP connection went.
        checkServerIdentity: (_name, cert) => checkServerIdentity(target.host, cert),
        ALPNProtocols: ['http/1.1'],
      });
    } catch (error) {
      socket.destroy();
      resolve({ kind: 'failed', error });
      return;
    }
    const timer = setTimeout(() => {
      tls.destroy();
      resolve({ kind: 'timeout' });
    }, ms);
    const closedEarly = () => {
      clearTimeout(timer);
      resolve({ kind: 'failed', error: Object.assign(new Error('the connection closed during the handshake'), { code: 'ECONNRESET' }) });
    };
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      tls.removeAllListeners('error');
      tls.removeListener('close', closedEarly);
      resolve({ kind: 'done', value: tls });
    });
    tls.once('error', (error) => {
      clearTimeout(timer);
      tls.destroy();
      resolve({ kind: 'failed', error });
    });
    tls.once('close', closedEarly);
  });
}

function getMetadata(
  tls: TLSSocket,
  target: ProbeTarget,
  ms: number,
): Promise<Outcome<{ status: number; body: string }>> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome<{ status: number; body: string }>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      tls.destroy();
      resolve(outcome);
    };
    const timer = setTimeout(() => settle({ kind: 'timeout' }), ms);
    // TLS 1.3 sends the client certificate after the handshake: a refusal arrives as an alert on this socket.
    tls.on('error', (error) => settle({ kind: 'failed', error }));
    const req = request(
      {
        createConnection: () => tls,
        host: target.host,
        port: target.port,
        method: 'GET',
        path: '/metadata',
        headers: { host: `${target.host}:${target.port}`, accept: 'application/json' },
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_REPLY_BYTES) {
            settle({ kind: 'done', value: { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') } });
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => settle({ kind: 'done', value: { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') } }));
        res.on('error', (error) => settle({ kind: 'failed', error }));
      },
    );
    req.on('error', (error) => settle({ kind: 'failed', error }));
    req.end();
  });
}

/** The fields drivers read (contact_info, local_dc, sni_proxy_address, contact_points), or what is wrong. */
export function readMetadata(body: string): { ok: true; value: ProbeMetadata } | { ok: false; error: string } {
  let reply: unknown;
  try {
    reply = JSON.parse(body);
  } catch {
    return { ok: false, error: body.trim() ? 'the answer is not JSON' : 'the answer is empty' };
  }
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) return { ok: false, error: 'the answer is not a JSON object' };
  const r = reply as { region?: unknown; contact_info?: unknown };
  if (typeof r.contact_info !== 'object' || r.contact_info === null) return { ok: false, error: 'it has no contact_info' };
  const info = r.contact_info as { local_dc?: unknown; sni_proxy_address?: unknown; contact_points?: unknown };
  const wrong = [
    ...(typeof info.local_dc === 'string' && info.local_dc ? [] : ['contact_info.local_dc']),
    ...(typeof info.sni_proxy_address === 'string' && info.sni_proxy_address ? [] : ['contact_info.sni_proxy_address']),
    ...(Array.isArray(info.contact_points) && info.contact_points.length > 0 && info.contact_points.every((p) => typeof p === 'string')
      ? []
      : ['contact_info.contact_points']),
  ];
  if (wrong.length) return { ok: false, error: `${wrong.join(', ')} ${wrong.length > 1 ? 'are' : 'is'} missing or empty` };
  return {
    ok: true,
    value: {
      ...(typeof r.region === 'string' ? { region: r.region } : {}),
      localDc: info.local_dc as string,
      sniProxy: info.sni_proxy_address as string,
      contactPoints: (info.contact_points as string[]).length,
    },
  };
}

function errorCode(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
}

function describeError(error: unknown): string {
  const code = errorCode(error);
  if (code) return code;
  return error instanceof Error ? printable(error.message) : 'unknown error';
}

function formatHostPort(where: { host: string; port: number }): string {
  return isIP(where.host) === 6 ? `[${where.host}]:${where.port}` : `${where.host}:${where.port}`;
}

/** Text from a server: one short line without control characters. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, 200);
}
