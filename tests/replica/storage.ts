/**
 * The bundle bucket (datastax-cluster-config-prod on S3): checks the SigV4 query signature and the link's time
 * window, answers S3's XML errors, and streams the zip, honouring the fault knobs.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { send } from './http-io';
import type { Faults, ReplicaState } from './replica-state';
import type { StorageRefusal } from './sign-storage-link';

const CHUNK_BYTES = 1024;

function xmlEscape(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[c]};`);
}

function requestIds(): { requestId: string; hostId: string } {
  return {
    requestId: randomBytes(8).toString('hex').toUpperCase(),
    hostId: randomBytes(56).toString('base64'),
  };
}

export function errorDocument(fields: Array<[string, string]>, ids = requestIds()): string {
  const body = [...fields, ['RequestId', ids.requestId], ['HostId', ids.hostId]]
    .map(([tag, value]) => `<${tag}>${xmlEscape(value!)}</${tag}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${body}</Error>`;
}

function s3Headers(ids: { requestId: string; hostId: string }): Record<string, string> {
  return { 'x-amz-request-id': ids.requestId, 'x-amz-id-2': ids.hostId, server: 'AmazonS3' };
}

function refuse(res: ServerResponse, refusal: Pick<StorageRefusal, 'status' | 'fields'>): void {
  const ids = requestIds();
  send(res, refusal.status, errorDocument(refusal.fields, ids), {
    'content-type': 'application/xml',
    ...s3Headers(ids),
  });
}

/** A single `bytes=a-b` / `bytes=a-` / `bytes=-n` range, or undefined when absent or not satisfiable here. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | undefined {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? 'unsatisfiable' : { start, end };
}

/**
 * Sends bytes [start, end] of the object. A truncation point is an offset in the whole object, so a browser that
 * resumes with a Range request (Chrome does) keeps failing at the same byte instead of quietly completing.
 */
async function stream(res: ServerResponse, object: Uint8Array, start: number, end: number, faults: Faults): Promise<void> {
  const stopAt = faults.truncateBodyAt === null ? end + 1 : Math.min(faults.truncateBodyAt, end + 1);
  const chunk = faults.slowBodyMs > 0 ? CHUNK_BYTES : 64 * CHUNK_BYTES;
  for (let offset = start; offset < stopAt; offset += chunk) {
    if (res.destroyed) return;
    const piece = object.subarray(offset, Math.min(offset + chunk, stopAt));
    await new Promise<void>((resolve) => res.write(piece, () => resolve()));
    if (faults.slowBodyMs > 0 && offset + chunk < stopAt) await delay(faults.slowBodyMs);
  }
  if (stopAt <= end) {
    // The length was promised in full: closing the connection now is what a dropped transfer looks like.
    // headersSent is already true after writeHead, though nothing went out when no body byte was written yet
    res.flushHeaders();
    await new Promise((resolve) => setImmediate(resolve));
    res.socket?.end();
    return;
  }
  res.end();
}

export async function handleStorage(
  state: ReplicaState,
  req: IncomingMessage,
  res: ServerResponse,
  host: string,
  rawPath: string,
  rawQuery: string,
): Promise<void> {
  const now = new Date();
  const verdict = state.signer.check({ method: req.method ?? 'GET', host, path: rawPath, query: rawQuery, now });
  if (!verdict.ok) {
    refuse(res, verdict);
    return;
  }
  const object = state.objects.get(verdict.key);
  if (!object) {
    refuse(res, {
      status: 404,
      fields: [
        ['Code', 'NoSuchKey'],
        ['Message', 'The specified key does not exist.'],
        ['Key', verdict.key],
      ],
    });
    return;
  }

  const faults = { ...state.faults };
  if (faults.redirectTo) {
    res.writeHead(302, { location: faults.redirectTo, 'content-length': '0' });
    res.end();
    return;
  }
  const ids = requestIds();
  const contentType = faults.wrongContentType ? 'text/html' : 'application/zip';
  const headers: Record<string, string> = {
    ...s3Headers(ids),
    'last-modified': object.lastModified.toUTCString(),
    etag: object.etag,
    'accept-ranges': 'bytes',
    'content-type': contentType,
  };
  if (faults.errorDocumentWith200) {
    const expiry = new Date(now.getTime() - 60_000);
    const xml = errorDocument(
      [
        ['Code', 'AccessDenied'],
        ['Message', 'Request has expired'],
        ['X-Amz-Expires', String(faults.linkLifetimeSeconds)],
        ['Expires', expiry.toISOString().replace(/\.\d{3}Z$/, 'Z')],
        ['ServerTime', now.toISOString().replace(/\.\d{3}Z$/, 'Z')],
      ],
      ids,
    );
    send(res, 200, xml, headers);
    return;
  }

  const size = object.bytes.length;
  let status = 200;
  let start = 0;
  let end = size - 1;
  const range = parseRange(req.headers.range, size);
  if (range === 'unsatisfiable') {
    refuse(res, {
      status: 416,
      fields: [
        ['Code', 'InvalidRange'],
        ['Message', 'The requested range is not satisfiable'],
        ['RangeRequested', req.headers.range ?? ''],
        ['ActualObjectSize', String(size)],
      ],
    });
    return;
  }
  if (range) {
    status = 206;
    ({ start, end } = range);
    headers['content-range'] = `bytes ${start}-${end}/${size}`;
  }
  res.writeHead(status, { ...headers, 'content-length': String(end - start + 1) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await stream(res, object.bytes, start, end, faults);
}
