import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { keepTokens, type SealedToken } from './keep-token';
import { openStore } from '../store/schema';
import { createVault } from '../vault/vault';
import { getKv, listTokens } from '../store/queries';
import { setKv } from '../store/writes';

const SECRET_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._,+-';
function makeSecret(): string {
  return Array.from(randomBytes(128), (b) => SECRET_CHARS[b % SECRET_CHARS.length]).join('');
}
function makeToken(secret: string, clientId = 'ZbQpWcDkLmNrStUvXyAbCdEf') {
  return { clientId, secret, token: `AstraCS:${clientId}:${createHash('sha256').update(secret).digest('hex')}` };
}

let n = 0;
async function setup() {
  const db = await openStore(`keep-token-${++n}`);
  const session = new Map<string, unknown>();
  const vault = createVault({
    kv: { get: (k) => getKv(db, k), set: (k, v) => setKv(db, k, v) },
    session: { get: async (k) => session.get(k), set: async (k, v) => void session.set(k, v) },
  });
  return { db, vault, deps: { db, vault, now: () => Date.UTC(2026, 10, 23) } };
}

describe('keepTokens', () => {
  it('keeps a token with its secret sealed, and only masked values in the clear', async () => {
    const { db, vault, deps } = await setup();
    const generated = makeToken(makeSecret());
    const result = await keepTokens(deps, [{ ...generated, role: 'R/W User', orgId: 'a3f7c2d1-5b8e-4c9a-9f1e-2d6b8c4e7a10' }], 'https://astra.datastax.com/', 'network');
    expect(result).toMatchObject({ accepted: 1, dropped: 0 });
    const [record] = await listTokens(db);
    expect(record).toMatchObject({ clientId: generated.clientId, hasSecret: true, secretCheck: 'match', role: 'R/W User' });
    expect(JSON.stringify(record)).not.toContain(generated.secret);
    expect(JSON.stringify(record)).not.toContain(generated.token);
    const opened = await vault.open<SealedToken>(record!.sealed);
    expect(opened).toEqual({ ok: true, value: { token: generated.token, secret: generated.secret } });
  });

  it('flags a secret that does not hash to the token, and never lets it replace a matching one', async () => {
    const { db, vault, deps } = await setup();
    const generated = makeToken(makeSecret());
    await keepTokens(deps, [{ ...generated, secret: makeSecret() }], 'p', 'network');
    expect((await listTokens(db))[0]).toMatchObject({ secretCheck: 'mismatch', hasSecret: true });
    await keepTokens(deps, [generated], 'p', 'dom');
    expect((await listTokens(db))[0]).toMatchObject({ secretCheck: 'match', source: 'network+dom' });
    await keepTokens(deps, [{ ...generated, secret: makeSecret() }], 'p', 'file');
    const [record] = await listTokens(db);
    expect(record?.secretCheck).toBe('match');
    expect(await vault.open<SealedToken>(record!.sealed)).toEqual({ ok: true, value: { token: generated.token, secret: generated.secret } });
  });

  it('is one record per token however often it is seen, and a later token-only capture loses nothing', async () => {
    const { db, deps } = await setup();
    const generated = makeToken(makeSecret());
    await keepTokens(deps, [generated], 'p', 'network');
    await keepTokens(deps, [{ token: generated.token, clientId: generated.clientId }], 'p', 'dom');
    const records = await listTokens(db);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ hasSecret: true, secretCheck: 'match' });
  });

  it('drops forged junk: bad formats and a client id that is not the token\'s', async () => {
    const { db, deps } = await setup();
    const generated = makeToken(makeSecret());
    const result = await keepTokens(
      deps,
      [
        { token: 'AstraCS:short:abc', clientId: 'short' },
        { token: generated.token.toUpperCase(), clientId: generated.clientId },
        { token: generated.token, clientId: 'SomeOtherClientIdXXXXXXX' },
      ],
      'p',
      'network',
    );
    expect(result).toMatchObject({ accepted: 0, dropped: 3 });
    expect(await listTokens(db)).toEqual([]);
  });

  it('stores captures while the vault is locked, readable after unlocking', async () => {
    const { db, vault, deps } = await setup();
    expect((await vault.setPassphrase(null, 'correct horse battery')).ok).toBe(true);
    await vault.lock();
    const generated = makeToken(makeSecret());
    expect((await keepTokens(deps, [generated], 'p', 'network')).accepted).toBe(1);
    const [record] = await listTokens(db);
    expect((await vault.open(record!.sealed)).ok).toBe(false);
    expect((await vault.unlock('correct horse battery')).ok).toBe(true);
    expect(await vault.open<SealedToken>(record!.sealed)).toEqual({ ok: true, value: { token: generated.token, secret: generated.secret } });
  });
});
