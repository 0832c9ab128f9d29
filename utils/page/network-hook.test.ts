import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { installNetworkHook, isTextualResponse, isWorthScanning } from './network-hook';
import { MAX_SCANNED_BODY, PAGE_RESPONSE_EVENT, readPageResponse } from '../protocol/messages';

const LINK_BODY = JSON.stringify({
  downloadURL:
    'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/x-1/secure-connect-orders.zip?X-Amz-Date=20261123T101500Z&X-Amz-Expires=300',
});

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/links') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(LINK_BODY);
    } else if (req.url === '/html') {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<html>Bad gateway</html>');
    } else if (req.url === '/binary') {
      res.writeHead(200, { 'content-type': 'application/zip' });
      res.end(Buffer.from('PK\x03\x04 secure-connect'));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A window-like object with Node's real fetch, so the hook wraps a real network call. */
function fakeWindow() {
  const target = new EventTarget();
  const win = Object.assign(target, { fetch: globalThis.fetch.bind(globalThis) }) as unknown as Window & typeof globalThis;
  const seen: unknown[] = [];
  win.addEventListener(PAGE_RESPONSE_EVENT, (event) => seen.push(readPageResponse((event as CustomEvent).detail)));
  installNetworkHook(win);
  return { win, seen };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

describe('network hook', () => {
  it('hands the page its response untouched and reports a body that holds a bundle link', async () => {
    const { win, seen } = fakeWindow();
    const response = await win.fetch(`${origin}/links`);
    expect(await response.text()).toBe(LINK_BODY);
    await settle();
    expect(seen).toEqual([{ via: 'fetch', url: `${origin}/links`, status: 200, body: LINK_BODY }]);
  });

  it('stays silent on error pages and binary bodies, and the page still reads them', async () => {
    const { win, seen } = fakeWindow();
    const html = await win.fetch(`${origin}/html`);
    expect(html.status).toBe(502);
    expect(await html.text()).toContain('Bad gateway');
    const zip = await win.fetch(`${origin}/binary`);
    expect((await zip.arrayBuffer()).byteLength).toBeGreaterThan(0);
    await settle();
    expect(seen).toEqual([]);
  });

  it('passes a failing fetch through to the page as it was', async () => {
    const { win } = fakeWindow();
    await expect(win.fetch('http://127.0.0.1:1/refused')).rejects.toThrow();
  });

  it('scans only what could hold a link or a token', () => {
    expect(isWorthScanning('{"token":"AstraCS:abc"}')).toBe(true);
    expect(isWorthScanning('{"databases":[]}')).toBe(false);
    expect(isWorthScanning('{"data":{"currentOrg":{"id":"x","name":"Acme Data"}}}')).toBe(true);
    expect(isWorthScanning('{"id":"x","name":"Acme Data"}', 'https://api.astra.datastax.com/v2/currentOrg')).toBe(true);
    expect(isWorthScanning('{"id":"x","name":"Acme Data"}', 'https://api.astra.datastax.com/v2/databases')).toBe(false);
    expect(isWorthScanning('secure-connect'.repeat(MAX_SCANNED_BODY))).toBe(false);
    expect(isTextualResponse('application/json; charset=utf-8', '120')).toBe(true);
    expect(isTextualResponse('image/png', null)).toBe(false);
    expect(isTextualResponse('text/event-stream', null)).toBe(false);
    expect(isTextualResponse('application/json', String(MAX_SCANNED_BODY + 1))).toBe(false);
  });
});

describe('page events', () => {
  it('drops anything forged or malformed', () => {
    expect(readPageResponse({ via: 'fetch' })).toBeNull();
    expect(readPageResponse('not json')).toBeNull();
    expect(readPageResponse(JSON.stringify({ via: 'eval', url: 'x', status: 200, body: '' }))).toBeNull();
    expect(readPageResponse(JSON.stringify({ via: 'xhr', url: 'x', status: '200', body: '' }))).toBeNull();
    expect(readPageResponse(JSON.stringify({ via: 'xhr', url: 'x', status: 200, body: 5 }))).toBeNull();
    expect(readPageResponse(JSON.stringify({ via: 'xhr', url: 'x', status: 200, body: 'ok' }))).toEqual({ via: 'xhr', url: 'x', status: 200, body: 'ok' });
  });
});
