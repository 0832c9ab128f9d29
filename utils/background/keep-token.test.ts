import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { keepTokens, type SealedToken } from './keep-token';
import { openStore } from '../store/schema';
import { createVault } from '../vault/vault';
import { getKv, getToken, listTokens, listWarnings } from '../store/queries';
import { listTokenConflicts } from './token-conflicts';
import { setKv, updateToken } from '../store/writes';

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

  it('never keeps a secret that does not hash to the token: the token is kept alone, the secret apart, and a matching one joins later', async () => {
    const { db, vault, deps } = await setup();
    const generated = makeToken(makeSecret());
    const first = await keepTokens(deps, [{ ...generated, secret: makeSecret() }], 'p', 'network');
    expect(first).toMatchObject({ accepted: 1, conflicts: 1 });
    expect((await listTokens(db))[0]).toMatchObject({ secretCheck: 'no-secret', hasSecret: false });
    expect(await listWarnings(db)).toMatchObject([{ code: 'token-secret-mismatch' }]);
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

  it('attack: a page reports the same client id with a made-up secret and a token that hashes to it; the kept token stays', async () => {
    const { db, vault, deps } = await setup();
    const real = makeToken(makeSecret());
    await keepTokens(deps, [real], 'p', 'network');
    const before = await getToken(db, real.clientId);
    // The forgery is self-consistent: its secret matches its own token, just not the kept one.
    const forged = makeToken(makeSecret(), real.clientId);
    for (const capture of [forged, { token: forged.token, clientId: forged.clientId }]) {
      expect(await keepTokens(deps, [capture], 'https://astra.datastax.com/', 'network')).toMatchObject({ accepted: 0, conflicts: 1 });
    }
    expect(await getToken(db, real.clientId)).toEqual(before);
    expect(await vault.open<SealedToken>(before!.sealed)).toEqual({ ok: true, value: { token: real.token, secret: real.secret } });
    // Kept apart, sealed, and shown once (one warning per client id, however many reports).
    const conflicts = await listTokenConflicts(db);
    expect(conflicts).toHaveLength(2);
    expect(conflicts.every((c) => c.reason === 'different-token')).toBe(true);
    expect(JSON.stringify(conflicts)).not.toContain(forged.secret);
    expect(await vault.open<SealedToken>(conflicts[0]!.sealed)).toEqual({ ok: true, value: { token: forged.token, secret: forged.secret } });
    const warnings = await listWarnings(db);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ code: 'token-different-token', message: expect.stringContaining('2 such reports') });
    // The same forgery again is a repeat: counted once.
    await keepTokens(deps, [forged], 'p', 'network');
    expect(await listTokenConflicts(db)).toHaveLength(2);
  });

  it('attack while the vault is locked: the forged token still cannot replace the kept one', async () => {
    const { db, vault, deps } = await setup();
    expect((await vault.setPassphrase(null, 'correct horse battery')).ok).toBe(true);
    const real = makeToken(makeSecret());
    await keepTokens(deps, [{ token: real.token, clientId: real.clientId }], 'p', 'network');
    await vault.lock();
    const before = await getToken(db, real.clientId);
    const forged = makeToken(makeSecret(), real.clientId);
    expect(await keepTokens(deps, [forged], 'p', 'network')).toMatchObject({ accepted: 0, conflicts: 1 });
    expect(await getToken(db, real.clientId)).toEqual(before);
    // The real secret still joins the real token while locked: sealing needs only the public key.
    expect(await keepTokens(deps, [real], 'p', 'dom')).toMatchObject({ accepted: 1, conflicts: 0 });
    expect(await getToken(db, real.clientId)).toMatchObject({ secretCheck: 'match', hasSecret: true });
    expect((await vault.unlock('correct horse battery')).ok).toBe(true);
    const kept = await getToken(db, real.clientId);
    expect(await vault.open<SealedToken>(kept!.sealed)).toEqual({ ok: true, value: { token: real.token, secret: real.secret } });
  });

  it('a record kept before fingerprints: recognised when the vault opens it, kept apart when it cannot', async () => {
    const { db, vault, deps } = await setup();
    const real = makeToken(makeSecret());
    await keepTokens(deps, [{ token: real.token, clientId: real.clientId }], 'p', 'network');
    const { tokenSha256: _dropped, ...old } = (await getToken(db, real.clientId))!;
    await updateToken(db, real.clientId, () => old);
    expect(await keepTokens(deps, [real], 'p', 'dom')).toMatchObject({ accepted: 1, conflicts: 0 });
    expect(await getToken(db, real.clientId)).toMatchObject({ secretCheck: 'match', tokenSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });

    await updateToken(db, real.clientId, () => old);
    expect((await vault.setPassphrase(null, 'correct horse battery')).ok).toBe(true);
    await vault.lock();
    expect(await keepTokens(deps, [real], 'p', 'dom')).toMatchObject({ accepted: 0, conflicts: 1 });
    expect(await getToken(db, real.clientId)).toEqual(old);
  });

  it('a role id with no name learned gives way to the name picked in the dialog; a known name is never replaced', async () => {
    const { db, deps } = await setup();
    const generated = makeToken(makeSecret());
    const roleId = '1faa93f2-b889-4190-9585-4bc6e3c3595a';
    await keepTokens(deps, [{ ...generated, roles: [roleId] }], 'p', 'network');
    expect((await listTokens(db))[0]?.role).toBe(roleId);
    await keepTokens(deps, [{ token: generated.token, clientId: generated.clientId, role: 'Database Administrator' }], 'p', 'dom');
    expect((await listTokens(db))[0]?.role).toBe('Database Administrator');
    await keepTokens(deps, [{ token: generated.token, clientId: generated.clientId, role: 'RO User' }], 'p', 'dom');
    expect((await listTokens(db))[0]?.role).toBe('Database Administrator');
  });
});
