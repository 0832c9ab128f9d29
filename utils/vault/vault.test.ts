import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { createVault, exportEncrypted, importEncrypted, PBKDF2_ITERATIONS, type KeyValueStore, type SealedBox, type SessionStore } from './vault';

// Each passphrase derivation costs 600,000 PBKDF2 iterations: tests keep the number of them small.

const SECRET = {
  token: 'AstraCS:A3v47OYvKcCwjmmi7xOc1Y36:8ea6c8e7dd2f6f78d36cea947109808c942cef13e708d1e2ebef9d8efae5e6ed',
  secret: 'bnNyNRpSZBvI,i.4a94z54KauMx4JuZ,4aTgNw0IO.Lg1E.E3H,IgYgymT655wdWbzPjC9Eaym.ZSXKfz-PXm9Kcumu9dC2tV8P3br_zxvwe3dN3YFAsPR1aR0n99_++',
};
const OTHER = {
  token: 'AstraCS:nYTOQvsFVwameGuckyAhfRTR:3aa748245386ca1de6ed7e131fbf31eac74e1b43f62ba3d769ee8077e22015cd',
  secret: '-,CZLE,JGLJojg__NR6SjqT36tSuEh+VhJh5sJu_vSDx_iz3jo1GILB8TFJBv0uUDUg30QoJur5OvL5xNRkNkTH4pTlpD_xx.hLGD5vI33pYABVNupXBjQB+3Xs.ZaXQ',
};
const PASSPHRASE = 'correct horse battery staple';
const MINUTE = 60_000;

let dbCount = 0;
/** IndexedDB (fake-indexeddb) as the background would back it: structured clone keeps CryptoKeys. */
async function indexedDbStore(): Promise<KeyValueStore & { raw(): Promise<unknown[]> }> {
  const db = await openDB(`vault-test-${++dbCount}`, 1, { upgrade: (d) => void d.createObjectStore('kv') });
  return {
    get: (key) => db.get('kv', key),
    set: async (key, value) => void (await db.put('kv', value, key)),
    raw: () => db.getAll('kv'),
  };
}

/** Like browser.storage.session: JSON values only, and a browser restart starts it empty. */
function sessionStore(): SessionStore & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    get: async (key) => (data.has(key) ? JSON.parse(data.get(key)!) : undefined),
    set: async (key, value) => void data.set(key, JSON.stringify(value)),
  };
}

async function setup(startAt = Date.UTC(2026, 0, 5, 9)) {
  const clock = { now: startAt };
  const kv = await indexedDbStore();
  const session = sessionStore();
  const vault = createVault({ kv, session, now: () => clock.now });
  /** The same storage seen by a restarted service worker. */
  const restartWorker = () => createVault({ kv, session, now: () => clock.now });
  /** A browser restart: session storage is gone. */
  const restartBrowser = () => createVault({ kv, session: sessionStore(), now: () => clock.now });
  return { clock, kv, session, vault, restartWorker, restartBrowser };
}

function value<T>(result: { ok: true; value: T } | { ok: false; error: { code: string } }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}`);
  return result.value;
}

function code(result: { ok: boolean; error?: { code: string } }): string | undefined {
  return result.ok ? undefined : result.error?.code;
}

describe('vault without a passphrase', () => {
  it('seals and opens a token, also after the service worker restarts', async () => {
    const { vault, restartWorker } = await setup();
    const box = value(await vault.seal(SECRET));
    expect(value(await vault.open(box))).toEqual(SECRET);
    expect(value(await restartWorker().open(box))).toEqual(SECRET);
    expect(value(await vault.status())).toEqual({ hasPassphrase: false, locked: false, autoLock: 15 });
  });

  it('never stores the plaintext: not in the box, not in IndexedDB', async () => {
    const { vault, kv } = await setup();
    const box = value(await vault.seal(SECRET));
    const first = value(await vault.seal(SECRET));
    expect(box.data).not.toBe(first.data);
    const visible = JSON.stringify(box) + JSON.stringify(await kv.raw(), (_, v) => (v instanceof Uint8Array ? Array.from(v) : v));
    for (const part of [SECRET.secret, SECRET.secret.slice(10, 40), SECRET.token.slice(33), btoa(SECRET.secret.slice(0, 48))]) {
      expect(visible).not.toContain(part);
    }
  });

  it('refuses a changed box, a box from another installation and junk', async () => {
    const { vault } = await setup();
    const other = await setup();
    const box = value(await vault.seal(SECRET));
    const flipped = atob(box.data);
    const changed: SealedBox = { ...box, data: btoa(String.fromCharCode(flipped.charCodeAt(0) ^ 1) + flipped.slice(1)) };
    expect(code(await vault.open(changed))).toBe('damaged');
    expect(code(await vault.open({ ...box, iv: '!!' }))).toBe('damaged');
    expect(code(await vault.open({ hello: 'world' }))).toBe('damaged');
    value(await other.vault.seal(OTHER));
    expect(code(await other.vault.open(box))).toBe('foreign-box');
  });

  it('seals concurrent first captures under one key pair', async () => {
    const { vault } = await setup();
    const boxes = await Promise.all([vault.seal(SECRET), vault.seal(OTHER), vault.seal({ n: 3 })]);
    expect(new Set(boxes.map((b) => value(b).kid)).size).toBe(1);
    expect(value(await vault.open(value(boxes[1]!)))).toEqual(OTHER);
  });

  it('seals many values at once, each in its own box (own ephemeral key, own iv), opened back in order', async () => {
    const { vault, restartWorker } = await setup();
    const plains = Array.from({ length: 40 }, (_, i) => (i % 2 ? { ...SECRET, n: i } : { ...OTHER, n: i }));
    const progress: number[] = [];
    const boxes = value(await vault.sealMany(plains, (done) => progress.push(done)));
    expect(boxes).toHaveLength(40);
    expect(new Set(boxes.map((b) => b.epk)).size).toBe(40);
    expect(new Set(boxes.map((b) => b.iv)).size).toBe(40);
    expect(value(await restartWorker().openMany(boxes)).map((r) => value(r))).toEqual(plains);
    expect(JSON.stringify(boxes)).not.toContain(SECRET.secret.slice(0, 30));
    // All or nothing: one value that cannot be sealed leaves no boxes.
    expect(code(await vault.sealMany([SECRET, { n: 1n }]))).toBe('cannot-seal');
  });

  it('turns storage failures into a problem instead of throwing', async () => {
    const broken: KeyValueStore = { get: () => Promise.reject(new Error('QuotaExceededError')), set: () => Promise.resolve() };
    const vault = createVault({ kv: broken, session: sessionStore() });
    expect(code(await vault.seal(SECRET))).toBe('vault-error');
    expect(await vault.isLockedNow()).toBe(true);
  });

  it('refuses short passphrases and unknown auto-lock times before doing any work', async () => {
    const { vault } = await setup();
    expect(code(await vault.setPassphrase(null, 'short'))).toBe('weak-passphrase');
    expect(code(await vault.setAutoLock(7 as never))).toBe('invalid-choice');
    expect(value(await vault.status()).hasPassphrase).toBe(false);
  });
});

describe('vault with a passphrase', () => {
  it('keeps capturing while locked, refuses a wrong passphrase, and opens everything once unlocked', async () => {
    const { vault, kv } = await setup();
    const before = value(await vault.seal(SECRET));
    expect(value(await vault.setPassphrase(null, PASSPHRASE))).toEqual({ hasPassphrase: true, locked: false, autoLock: 15 });
    const meta = (await kv.get('vault.meta')) as { passphrase: { iterations: number; salt: Uint8Array; kdf: string } };
    expect(meta.passphrase.kdf).toBe('PBKDF2-SHA-256');
    expect(meta.passphrase.iterations).toBeGreaterThanOrEqual(600_000);
    expect(meta.passphrase.salt).toHaveLength(16);

    value(await vault.lock());
    expect(await vault.isLockedNow()).toBe(true);
    expect(code(await vault.open(before))).toBe('locked');
    const whileLocked = value(await vault.seal(OTHER));

    const metaBefore = await kv.get('vault.meta');
    const wrong = await vault.unlock('correct horse battery stapler');
    expect(code(wrong)).toBe('wrong-passphrase');
    expect(JSON.stringify(wrong)).not.toContain('stapler');
    expect(await kv.get('vault.meta')).toEqual(metaBefore);
    expect(code(await vault.open(whileLocked))).toBe('locked');

    value(await vault.unlock(PASSPHRASE));
    expect(value(await vault.open(before))).toEqual(SECRET);
    expect(value(await vault.open(whileLocked))).toEqual(OTHER);
  });

  it('changing the passphrase re-wraps only the private key: old boxes still open, the old passphrase no longer does', async () => {
    const { vault, kv } = await setup();
    value(await vault.setPassphrase(null, PASSPHRASE));
    const box = value(await vault.seal(SECRET));
    const saltBefore = ((await kv.get('vault.meta')) as { passphrase: { salt: Uint8Array } }).passphrase.salt;

    expect(code(await vault.setPassphrase('not the passphrase', 'a brand new passphrase'))).toBe('wrong-passphrase');
    expect(code(await vault.setPassphrase(null, 'a brand new passphrase'))).toBe('wrong-passphrase');
    value(await vault.setPassphrase(PASSPHRASE, 'a brand new passphrase'));
    const saltAfter = ((await kv.get('vault.meta')) as { passphrase: { salt: Uint8Array } }).passphrase.salt;
    expect(saltAfter).not.toEqual(saltBefore);

    value(await vault.lock());
    expect(code(await vault.unlock(PASSPHRASE))).toBe('wrong-passphrase');
    value(await vault.unlock('a brand new passphrase'));
    expect(value(await vault.open(box))).toEqual(SECRET);

    expect(value(await vault.setPassphrase('a brand new passphrase', null))).toEqual({ hasPassphrase: false, locked: false, autoLock: 15 });
    value(await vault.lock());
    expect(value(await vault.open(box))).toEqual(SECRET);
  });
});

describe('auto-lock', () => {
  it('locks after the chosen idle time; activity restarts the countdown; a worker restart keeps the unlock', async () => {
    const { vault, clock, kv, session, restartWorker } = await setup();
    value(await vault.setAutoLock(5));
    value(await vault.setPassphrase(null, PASSPHRASE));
    const box = value(await vault.seal(SECRET));

    clock.now += 4 * MINUTE;
    expect(value(await vault.open(box))).toEqual(SECRET);
    value(await vault.touch());
    clock.now += 4 * MINUTE;
    expect(value(await restartWorker().open(box))).toEqual(SECRET);

    clock.now += 1 * MINUTE;
    expect(await vault.isLockedNow()).toBe(true);
    expect(code(await vault.open(box))).toBe('locked');
    expect(await kv.get('vault.unlocked')).toBeNull();
    expect(await session.get('vault.session')).toBeNull();
    expect(value(await vault.status()).locked).toBe(true);
  });

  it('keeps only 32 random bytes and a time in session storage, never the passphrase or a secret', async () => {
    const { vault, session } = await setup();
    value(await vault.setPassphrase(null, PASSPHRASE));
    value(await vault.seal(SECRET));
    const stored = [...session.data.values()].join('');
    expect(stored).not.toContain('horse');
    const entry = (await session.get('vault.session')) as { key: string; lastActivity: number };
    expect(Object.keys(entry).sort()).toEqual(['id', 'key', 'lastActivity']);
    expect(atob(entry.key)).toHaveLength(32);
  });

  it("'restart' ignores idle time and locks when the browser restarts", async () => {
    const { vault, clock, restartBrowser } = await setup();
    value(await vault.setPassphrase(null, PASSPHRASE));
    const box = value(await vault.seal(SECRET));
    value(await vault.setAutoLock('restart'));
    clock.now += 24 * 60 * MINUTE;
    expect(value(await vault.open(box))).toEqual(SECRET);
    expect(code(await restartBrowser().open(box))).toBe('locked');
  });

  it("'immediately' keeps the unlock only in this worker's memory", async () => {
    const { vault, restartWorker } = await setup();
    value(await vault.setAutoLock('immediately'));
    value(await vault.setPassphrase(null, PASSPHRASE));
    const box = value(await vault.seal(SECRET));
    expect(value(await vault.open(box))).toEqual(SECRET);
    expect(code(await restartWorker().open(box))).toBe('locked');
    expect(code(await vault.open(box))).toBe('locked');
  });

  it("'never' stays unlocked across browser restarts until locked by hand", async () => {
    const { vault, clock, restartBrowser } = await setup();
    value(await vault.setAutoLock('never'));
    value(await vault.setPassphrase(null, PASSPHRASE));
    const box = value(await vault.seal(SECRET));
    clock.now += 30 * 24 * 60 * MINUTE;
    const afterRestart = restartBrowser();
    expect(value(await afterRestart.open(box))).toEqual(SECRET);
    value(await afterRestart.lock());
    expect(code(await vault.open(box))).toBe('locked');
  });
});

describe('encrypted export', () => {
  it('round-trips with the right passphrase and refuses a wrong one', async () => {
    const plain = { tokens: [SECRET, OTHER] };
    const file = value(await exportEncrypted(plain, PASSPHRASE));
    expect(file).toMatchObject({ format: 'astra-companion-encrypted', version: 1, kdf: 'PBKDF2-SHA-256', cipher: 'AES-256-GCM' });
    expect(file.iterations).toBe(PBKDF2_ITERATIONS);
    expect(file.iterations).toBeGreaterThanOrEqual(600_000);
    expect(atob(file.salt)).toHaveLength(16);
    expect(JSON.stringify(file)).not.toContain(SECRET.secret.slice(0, 30));

    const { vault } = await setup();
    expect(value(await vault.importEncrypted(JSON.stringify(file, null, 2), PASSPHRASE))).toEqual(plain);
    const wrong = await importEncrypted(file, 'correct horse battery stapler');
    expect(code(wrong)).toBe('wrong-passphrase');
    expect(JSON.stringify(wrong)).not.toContain('stapler');
  });

  it('says what is wrong with files that are not exports, newer, or weakened', async () => {
    const file = { format: 'astra-companion-encrypted', version: 1, kdf: 'PBKDF2-SHA-256', iterations: 600_000, salt: btoa('s'.repeat(16)), iv: btoa('i'.repeat(12)), cipher: 'AES-256-GCM', data: btoa('x'.repeat(40)) };
    expect(code(await importEncrypted('not json', PASSPHRASE))).toBe('unknown-format');
    expect(code(await importEncrypted({ format: 'bitwarden' }, PASSPHRASE))).toBe('unknown-format');
    expect(code(await importEncrypted({ ...file, version: 2 }, PASSPHRASE))).toBe('unsupported-version');
    expect(code(await importEncrypted({ ...file, iterations: 1000 }, PASSPHRASE))).toBe('unknown-format');
    expect(code(await importEncrypted({ ...file, iterations: 1e12 }, PASSPHRASE))).toBe('unknown-format');
    expect(code(await importEncrypted({ ...file, salt: '%%%' }, PASSPHRASE))).toBe('unknown-format');
    expect(code(await exportEncrypted({}, 'short'))).toBe('weak-passphrase');
    // Long enough but guessable: refused by strength, as the vault's own passphrase is.
    expect(await exportEncrypted({}, 'Password1234!')).toMatchObject({ ok: false, error: { code: 'weak-passphrase', message: 'That export passphrase is too easy to guess: it is a common password or a simple pattern.' } });
  });
});
