// A real version 2 store with tokens sealed by the real vault, upgraded by the background: every token still opens.
import JSZip from 'jszip';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { startBackground } from '../background/start-background';
import { fakePorts, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../../tests/unit/fixtures/fake-ports';
import { clientIdFor } from '../../tests/unit/fixtures/filled-store';
import { makeSecret, tokenFor } from '../../tests/replica/mint-token';
import { maskToken } from '../token/token';
import { createVault } from '../vault/vault';
import { getToken, listTokens, newestTokens, readCounts, tokenSummaries } from './queries';
import { DB_VERSION } from './schema';

const popup = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}popup.html` };
const TOKENS = 12;

/** Version 2 of the extension's store, created and filled as that version did: each token with its sealed box. */
async function version2Store(name: string) {
  const v2 = await openDB(name, 2, {
    upgrade(db) {
      db.createObjectStore('bundles', { keyPath: 'id' }).createIndex('byLink', 'link', { unique: false });
      db.createObjectStore('bundleFiles', { keyPath: 'id' });
      db.createObjectStore('tokens', { keyPath: 'id' }).createIndex('byCapturedAt', 'capturedAt', { unique: false });
      db.createObjectStore('warnings', { keyPath: 'id' }).createIndex('byCreatedAt', 'createdAt', { unique: false });
      db.createObjectStore('downloads', { keyPath: 'downloadId' });
      db.createObjectStore('kv');
      db.createObjectStore('outbox');
    },
  });
  // The vault keeps its keys in the store's kv, as the version 2 background did.
  const vault = createVault({ kv: { get: (key) => v2.get('kv', key), set: async (key, value) => void (await v2.put('kv', value, key)) }, session: fakePorts().session });
  const plain: Array<{ clientId: string; token: string; secret?: string }> = [];
  for (let n = 0; n < TOKENS; n++) {
    const clientId = clientIdFor(n);
    const secret = makeSecret(n % 2 === 0);
    const token = tokenFor(clientId, secret);
    const withSecret = n % 4 !== 3;
    const sealed = await vault.seal(withSecret ? { token, secret } : { token });
    if (!sealed.ok) throw new Error(sealed.error.message);
    await v2.put('tokens', {
      id: clientId, clientId, sealed: sealed.value, maskedToken: maskToken(token), hasSecret: withSecret, secretCheck: withSecret ? 'match' : 'no-secret',
      role: 'R/W User', capturedAt: 1_000 + n, page: 'https://astra.datastax.com/', source: 'network',
    });
    plain.push({ clientId, token, ...(withSecret ? { secret } : {}) });
  }
  await v2.put('warnings', { id: 'w1', createdAt: 1, code: 'link-expired', message: 'm', hint: 'h', actions: [] });
  await v2.put('outbox', { blob: new Blob(['old']), fileName: 'old.zip', createdAt: 1 }, 'export');
  v2.close();
  return plain;
}

describe('the upgrade to version 3', () => {
  it('moves every sealed box apart, and every token still reveals, exports, takes a label and goes', async () => {
    const name = `upgrade-v3-${Math.random().toString(36).slice(2)}`;
    const plain = await version2Store(name);
    const ports = fakePorts();
    const background = startBackground(ports, { storeName: name });
    const handle = background.onMessage;
    const db = await background.services.db();
    expect(db.version).toBe(DB_VERSION);

    // Rows without boxes for lists; boxes apart; the counters set by the upgrade.
    for (const row of [...(await newestTokens(db, 0, 100)), ...(await tokenSummaries(db, undefined, 100)).map((s) => s.row)]) expect(row).not.toHaveProperty('sealed');
    expect(await db.count('tokenBoxes')).toBe(TOKENS);
    expect(await readCounts(db)).toEqual({ bundles: 0, shownBundles: 0, tokens: TOKENS, warnings: 1, openWarnings: 1 });
    expect((await listTokens(db)).every((t) => t.sealed !== undefined)).toBe(true);

    for (const { clientId, token, secret } of plain) {
      expect(await handle({ type: 'token-reveal', id: clientId }, popup)).toEqual({ ok: true, value: { token, secret } });
    }
    // The whole store, exported: every token in the CSV, opened from its box.
    const exported = (await handle({ type: 'export-store', tokens: { mode: 'plain-csv' } }, popup)) as { ok: boolean; value: { handover: string } };
    expect(exported.ok).toBe(true);
    const zip = await JSZip.loadAsync(await ports.offered.get(exported.value.handover)!.arrayBuffer());
    const csvName = Object.keys(zip.files).find((n) => n.endsWith('.csv'))!;
    const csv = await zip.file(csvName)!.async('string');
    for (const { token } of plain) expect(csv).toContain(token);
    // A label change keeps the box.
    await handle({ type: 'token-set-label', id: plain[0]!.clientId, label: 'ci' }, popup);
    expect((await getToken(db, plain[0]!.clientId))?.label).toBe('ci');
    expect(await handle({ type: 'token-reveal', id: plain[0]!.clientId }, popup)).toMatchObject({ ok: true, value: { token: plain[0]!.token } });
    await handle({ type: 'token-delete', id: plain[1]!.clientId }, popup);
    expect(await db.count('tokenBoxes')).toBe(TOKENS - 1);
    expect((await readCounts(db)).tokens).toBe(TOKENS - 1);
  });
});
