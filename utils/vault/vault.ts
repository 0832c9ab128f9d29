/**
 * The vault: the only code that ever sees plaintext tokens and secrets. WebCrypto only; storage is passed in.
 *
 * Design:
 * - One ECDH P-256 key pair per installation. `seal` is ECIES: a fresh ephemeral key pair per box, ECDH with the
 *   vault's public key, HKDF-SHA-256, AES-256-GCM. It needs only the public key, so captures are stored while locked.
 * - `open` needs the private key. It is never stored in the clear: it is kept wrapped (AES-GCM, PKCS#8) by either
 *   the device key (a random non-extractable AES key in `kv`, when no passphrase is set) or by a key derived from
 *   the passphrase (PBKDF2-SHA-256, 600,000 iterations, 16-byte random salt). Setting, changing or removing the
 *   passphrase re-wraps only the private key; sealed boxes are untouched. (Device-wrapping rather than keeping a
 *   non-extractable private key: such a key could never be wrapped under a passphrase later.)
 * - Unlocked = a second wrap of the private key in `kv` under an unlock key that lives where the auto-lock choice
 *   says: in this object's memory ('immediately': gone when the service worker stops or `lock()` runs), in the
 *   session store (minutes and 'restart': `browser.storage.session` holds only those 32 random bytes and the last
 *   activity time, so neither that memory-only store nor the disk alone can open anything, and a browser restart
 *   forgets the key), or the device key ('never': stays open across restarts until `lock()`).
 *   CryptoKeys cannot go into storage.session, hence raw bytes there; keep its access level TRUSTED_CONTEXTS.
 * - Without a passphrase, anyone who can copy the browser profile can open the vault; the passphrase is what
 *   protects secrets at rest against that. Non-extractable keys still keep page scripts from exporting them.
 * - Create one vault per background worker; operations run one at a time. Two contexts creating the very first
 *   key pair at once would race (kv has no compare-and-set), so only the background should call `seal` first.
 * Passwords, tokens and secrets never appear in a Problem.
 */
import { fail, ok, type Result } from '../shared/result';
import { base64ToBytes as fromBase64, bytesToBase64 as toBase64 } from '../shared/bytes';
import type { AutoLock, VaultStatus } from './types';
import { isGuessable } from './passphrase-floor';

/** Structured-clone storage (IndexedDB): CryptoKey and Uint8Array values are kept as they are. */
export interface KeyValueStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** JSON-only, memory-only storage that the browser clears on restart (`browser.storage.session`). */
export interface SessionStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export const AUTO_LOCK_CHOICES: readonly AutoLock[] = ['immediately', 1, 5, 15, 30, 60, 240, 'restart', 'never'];
export const DEFAULT_AUTO_LOCK: AutoLock = 15;
export const PBKDF2_ITERATIONS = 600_000;
/** Boxes opened at once by openMany. */
const OPEN_LANES = 16;
export const MIN_PASSPHRASE_LENGTH = 8;
/** Exports claiming more than this are refused: a crafted file must not stall the browser for minutes. */
const MAX_IMPORT_ITERATIONS = 10_000_000;

export interface SealedBox {
  format: 'astra-companion-sealed';
  version: 1;
  /** Which vault key pair sealed it: first 8 bytes of sha256(public key), hex. */
  kid: string;
  /** Ephemeral ECDH P-256 public key, raw, base64. */
  epk: string;
  iv: string;
  data: string;
}

export interface EncryptedExport {
  format: 'astra-companion-encrypted';
  version: 1;
  kdf: 'PBKDF2-SHA-256';
  iterations: number;
  salt: string;
  iv: string;
  cipher: 'AES-256-GCM';
  data: string;
}

export type VaultProblemCode =
  | 'locked'
  | 'wrong-passphrase'
  | 'weak-passphrase'
  | 'invalid-choice'
  | 'cannot-seal'
  | 'damaged'
  | 'foreign-box'
  | 'unknown-format'
  | 'unsupported-version'
  | 'vault-error';

export interface Vault {
  seal(plain: unknown): Promise<Result<SealedBox, VaultProblemCode>>;
  /** Seals many values with one read of the vault's key, several boxes in flight (an import's thousands of tokens); all or nothing. */
  sealMany(plains: readonly unknown[], onProgress?: (done: number) => void): Promise<Result<SealedBox[], VaultProblemCode>>;
  open<T = unknown>(box: unknown): Promise<Result<T, VaultProblemCode>>;
  /** Opens many boxes with one read of the vault's key (an export's thousands of tokens); fails whole only when locked. */
  openMany<T = unknown>(boxes: readonly unknown[], onProgress?: (done: number) => void): Promise<Result<Array<Result<T, VaultProblemCode>>, VaultProblemCode>>;
  status(): Promise<Result<VaultStatus, VaultProblemCode>>;
  isLockedNow(): Promise<boolean>;
  setPassphrase(current: string | null, next: string | null): Promise<Result<VaultStatus, VaultProblemCode>>;
  setAutoLock(choice: AutoLock): Promise<Result<VaultStatus, VaultProblemCode>>;
  unlock(passphrase: string): Promise<Result<VaultStatus, VaultProblemCode>>;
  lock(): Promise<Result<VaultStatus, VaultProblemCode>>;
  /** Call on user activity: restarts the idle countdown of a minutes auto-lock. */
  touch(): Promise<Result<VaultStatus, VaultProblemCode>>;
  exportEncrypted(plain: unknown, passphrase: string): Promise<Result<EncryptedExport, VaultProblemCode>>;
  importEncrypted<T = unknown>(file: unknown, passphrase: string): Promise<Result<T, VaultProblemCode>>;
}

export interface VaultOptions {
  kv: KeyValueStore;
  session: SessionStore;
  now?: () => number;
}

const META_KEY = 'vault.meta';
const UNLOCKED_KEY = 'vault.unlocked';
const SESSION_KEY = 'vault.session';
const HKDF_INFO = 'astra-companion/vault/v1';
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;

interface WrappedKey {
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

interface VaultMeta {
  version: 1;
  kid: string;
  publicKey: CryptoKey;
  deviceKey: CryptoKey;
  privateKey: WrappedKey & { by: 'device' | 'passphrase' };
  passphrase: { kdf: 'PBKDF2-SHA-256'; iterations: number; salt: Uint8Array<ArrayBuffer> } | null;
  autoLock: AutoLock;
}

interface UnlockedRecord extends WrappedKey {
  by: 'memory' | 'session' | 'device';
  id: string;
}

interface SessionEntry {
  id: string;
  key: string;
  lastActivity: number;
}

const LOCKED = () =>
  fail('locked' as const, 'The vault is locked.', 'Unlock it with your passphrase to see tokens and secrets.');
const WRONG_PASSPHRASE = () =>
  fail('wrong-passphrase' as const, 'That passphrase is not the right one.', 'Check it and try again; nothing was changed.');

export function createVault({ kv, session, now = Date.now }: VaultOptions): Vault {
  let memoryUnlock: { id: string; key: CryptoKey } | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  /** One operation at a time, and no exception ever leaves the vault. */
  function serial<T>(work: () => Promise<Result<T, VaultProblemCode>>): Promise<Result<T, VaultProblemCode>> {
    const run = queue.then(work, work).catch(() =>
      fail('vault-error' as const, 'The vault could not complete this.', 'Try again; if it keeps failing, reload the extension.'),
    );
    queue = run;
    return run;
  }

  async function readMeta(): Promise<VaultMeta | undefined> {
    const meta = await kv.get(META_KEY);
    return isMeta(meta) ? meta : undefined;
  }

  async function ensureMeta(): Promise<VaultMeta> {
    const existing = await readMeta();
    if (existing) return existing;
    const pair = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
    const deviceKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
    const meta: VaultMeta = {
      version: 1,
      kid: await keyId(pair.publicKey),
      publicKey: pair.publicKey,
      deviceKey,
      privateKey: { by: 'device', ...(await wrapPrivate(pair.privateKey, deviceKey)) },
      passphrase: null,
      autoLock: DEFAULT_AUTO_LOCK,
    };
    await kv.set(META_KEY, meta);
    return meta;
  }

  async function wipeUnlocked(): Promise<void> {
    memoryUnlock = null;
    await kv.set(UNLOCKED_KEY, null);
    await session.set(SESSION_KEY, null);
  }

  /** Locked right now? Wipes what an expired or orphaned unlock left behind. */
  async function lockedNow(meta: VaultMeta): Promise<boolean> {
    if (!meta.passphrase) return false;
    const record = await kv.get(UNLOCKED_KEY);
    let open = false;
    if (isUnlockedRecord(record)) {
      if (record.by === 'memory') open = memoryUnlock?.id === record.id;
      else if (record.by === 'device') open = true;
      else {
        const entry = await session.get(SESSION_KEY);
        open = isSessionEntry(entry) && entry.id === record.id && !idleTooLong(meta.autoLock, entry.lastActivity);
      }
    }
    if (!open && (record || memoryUnlock)) await wipeUnlocked();
    return !open;
  }

  function idleTooLong(autoLock: AutoLock, lastActivity: number): boolean {
    return typeof autoLock === 'number' && now() - lastActivity >= autoLock * 60_000;
  }

  /** The private key, or null when locked. Extractable only to re-wrap it at once. */
  async function privateKey(meta: VaultMeta, extractable: boolean): Promise<CryptoKey | null> {
    if (!meta.passphrase) return unwrapPrivate(meta.privateKey, meta.deviceKey, extractable);
    if (await lockedNow(meta)) return null;
    const record = (await kv.get(UNLOCKED_KEY)) as UnlockedRecord;
    let unlockKey: CryptoKey;
    if (record.by === 'memory') unlockKey = memoryUnlock!.key;
    else if (record.by === 'device') unlockKey = meta.deviceKey;
    else {
      const entry = (await session.get(SESSION_KEY)) as SessionEntry;
      unlockKey = await crypto.subtle.importKey('raw', fromBase64(entry.key), 'AES-GCM', false, ['unwrapKey']);
    }
    try {
      return await unwrapPrivate(record, unlockKey, extractable);
    } catch {
      await wipeUnlocked();
      return null;
    }
  }

  /** Puts the vault in the unlocked state its auto-lock choice asks for. */
  async function keepUnlocked(meta: VaultMeta, key: CryptoKey): Promise<void> {
    await wipeUnlocked();
    if (!meta.passphrase) return;
    const id = toHex(crypto.getRandomValues(new Uint8Array(16)));
    let by: UnlockedRecord['by'];
    let unlockKey: CryptoKey;
    if (meta.autoLock === 'immediately') {
      by = 'memory';
      unlockKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['wrapKey', 'unwrapKey']);
      memoryUnlock = { id, key: unlockKey };
    } else if (meta.autoLock === 'never') {
      by = 'device';
      unlockKey = meta.deviceKey;
    } else {
      by = 'session';
      const raw = crypto.getRandomValues(new Uint8Array(32));
      unlockKey = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['wrapKey']);
      const entry: SessionEntry = { id, key: toBase64(raw), lastActivity: now() };
      raw.fill(0);
      await session.set(SESSION_KEY, entry);
    }
    const record: UnlockedRecord = { by, id, ...(await wrapPrivate(key, unlockKey)) };
    await kv.set(UNLOCKED_KEY, record);
  }

  async function statusOf(meta: VaultMeta | undefined): Promise<VaultStatus> {
    if (!meta) return { hasPassphrase: false, locked: false, autoLock: DEFAULT_AUTO_LOCK };
    return { hasPassphrase: meta.passphrase !== null, locked: await lockedNow(meta), autoLock: meta.autoLock };
  }

  /** The private key (extractable, to re-wrap) proven by the current passphrase, if one is set. */
  async function provePassphrase(meta: VaultMeta, passphrase: string | null): Promise<CryptoKey | null> {
    if (!meta.passphrase) return unwrapPrivate(meta.privateKey, meta.deviceKey, true);
    if (typeof passphrase !== 'string' || passphrase === '') return null;
    const kek = await deriveKey(passphrase, meta.passphrase.salt, meta.passphrase.iterations, ['wrapKey', 'unwrapKey']);
    try {
      return await unwrapPrivate(meta.privateKey, kek, true);
    } catch {
      return null;
    }
  }

  return {
    seal: (plain) =>
      serial(async () => {
        let json: string | undefined;
        try {
          json = JSON.stringify(plain);
        } catch {
          json = undefined;
        }
        if (json === undefined) {
          return fail('cannot-seal', 'This value cannot be stored in the vault.', 'Only plain data (objects, strings, numbers) can be sealed.');
        }
        const meta = await ensureMeta();
        return ok(await sealFor(meta, json));
      }),

    sealMany: (plains, onProgress) =>
      serial<SealedBox[]>(async () => {
        const jsons: string[] = [];
        for (const plain of plains) {
          let json: string | undefined;
          try {
            json = JSON.stringify(plain);
          } catch {
            json = undefined;
          }
          if (json === undefined) return fail('cannot-seal', 'This value cannot be stored in the vault.', 'Only plain data (objects, strings, numbers) can be sealed.');
          jsons.push(json);
        }
        const meta = await ensureMeta();
        const boxes: SealedBox[] = new Array(jsons.length);
        let next = 0;
        let done = 0;
        // As openMany: WebCrypto runs off the calling thread, so several boxes in flight overlap their waits.
        const lane = async () => {
          for (let i = next++; i < jsons.length; i = next++) {
            boxes[i] = await sealFor(meta, jsons[i]!);
            if (++done % 250 === 0) onProgress?.(done);
          }
        };
        await Promise.all(Array.from({ length: Math.min(OPEN_LANES, jsons.length) }, lane));
        return ok(boxes);
      }),

    open: <T>(box: unknown) =>
      serial<T>(async () => {
        if (!isSealedBox(box)) {
          return fail('damaged', 'This stored secret is damaged or not from this vault.', 'Capture or import the token again.');
        }
        const meta = await readMeta();
        if (!meta || box.kid !== meta.kid) {
          return fail('foreign-box', 'This secret was sealed by another installation of the extension.', 'Capture or import the token again; use an encrypted export to move secrets between browsers.');
        }
        const key = await privateKey(meta, false);
        if (!key) return LOCKED();
        const plain = await openWith(key, meta.kid, box);
        if (plain === undefined) {
          return fail('damaged', 'This stored secret is damaged and cannot be read.', 'Capture or import the token again.');
        }
        return ok(JSON.parse(plain) as T);
      }),

    openMany: <T>(boxes: readonly unknown[], onProgress?: (done: number) => void) =>
      serial<Array<Result<T, VaultProblemCode>>>(async () => {
        const meta = await readMeta();
        const key = meta ? await privateKey(meta, false) : null;
        if (meta && !key) return LOCKED();
        const opened: Array<Result<T, VaultProblemCode>> = new Array(boxes.length);
        const openOne = async (box: unknown): Promise<Result<T, VaultProblemCode>> => {
          if (!isSealedBox(box)) return fail('damaged', 'This stored secret is damaged or not from this vault.', 'Capture or import the token again.');
          if (!meta || !key || box.kid !== meta.kid) {
            return fail('foreign-box', 'This secret was sealed by another installation of the extension.', 'Capture or import the token again; use an encrypted export to move secrets between browsers.');
          }
          const plain = await openWith(key, meta.kid, box);
          return plain === undefined ? fail('damaged', 'This stored secret is damaged and cannot be read.', 'Capture or import the token again.') : ok(JSON.parse(plain) as T);
        };
        // Several boxes in flight: WebCrypto runs them off the calling thread, so the waits overlap.
        let next = 0;
        let done = 0;
        const lane = async () => {
          for (let i = next++; i < boxes.length; i = next++) {
            opened[i] = await openOne(boxes[i]);
            if (++done % 500 === 0) onProgress?.(done);
          }
        };
        await Promise.all(Array.from({ length: Math.min(OPEN_LANES, boxes.length) }, lane));
        return ok(opened);
      }),

    status: () => serial(async () => ok(await statusOf(await readMeta()))),

    isLockedNow: async () => {
      const result = await serial(async () => ok((await statusOf(await readMeta())).locked));
      return result.ok ? result.value : true;
    },

    setPassphrase: (current, next) =>
      serial(async () => {
        if (next !== null && (typeof next !== 'string' || next.length < MIN_PASSPHRASE_LENGTH)) {
          return fail('weak-passphrase', `A passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`, 'A few unrelated words make a strong passphrase that is easy to type.');
        }
        if (next !== null && isGuessable(next)) {
          return fail('weak-passphrase', 'That passphrase is too easy to guess: it is a common password or a simple pattern.', 'A few unrelated words make a strong passphrase that is easy to type.');
        }
        const meta = await ensureMeta();
        const key = await provePassphrase(meta, current);
        if (!key) return WRONG_PASSPHRASE();
        let changed: VaultMeta;
        if (next === null) {
          changed = { ...meta, passphrase: null, privateKey: { by: 'device', ...(await wrapPrivate(key, meta.deviceKey)) } };
        } else {
          const salt = crypto.getRandomValues(new Uint8Array(16));
          const kek = await deriveKey(next, salt, PBKDF2_ITERATIONS, ['wrapKey', 'unwrapKey']);
          changed = {
            ...meta,
            passphrase: { kdf: 'PBKDF2-SHA-256', iterations: PBKDF2_ITERATIONS, salt },
            privateKey: { by: 'passphrase', ...(await wrapPrivate(key, kek)) },
          };
        }
        await kv.set(META_KEY, changed);
        // Whoever just typed the passphrase stays unlocked.
        await keepUnlocked(changed, key);
        return ok(await statusOf(changed));
      }),

    setAutoLock: (choice) =>
      serial(async () => {
        if (!AUTO_LOCK_CHOICES.includes(choice)) {
          return fail('invalid-choice', 'That auto-lock time is not one of the choices.', 'Pick immediately, 1, 5, 15, 30, 60 or 240 minutes, on browser restart, or never.');
        }
        const meta = await ensureMeta();
        const key = meta.passphrase ? await privateKey(meta, true) : null;
        const changed: VaultMeta = { ...meta, autoLock: choice };
        await kv.set(META_KEY, changed);
        if (key) await keepUnlocked(changed, key);
        return ok(await statusOf(changed));
      }),

    unlock: (passphrase) =>
      serial(async () => {
        const meta = await ensureMeta();
        if (!meta.passphrase) return ok(await statusOf(meta));
        const key = await provePassphrase(meta, passphrase);
        if (!key) return WRONG_PASSPHRASE();
        await keepUnlocked(meta, key);
        return ok(await statusOf(meta));
      }),

    lock: () =>
      serial(async () => {
        await wipeUnlocked();
        return ok(await statusOf(await readMeta()));
      }),

    touch: () =>
      serial(async () => {
        const meta = await readMeta();
        if (meta && !(await lockedNow(meta)) && typeof meta.autoLock === 'number') {
          const entry = await session.get(SESSION_KEY);
          if (isSessionEntry(entry)) await session.set(SESSION_KEY, { ...entry, lastActivity: now() });
        }
        return ok(await statusOf(meta));
      }),

    exportEncrypted: (plain, passphrase) => serial(() => exportEncrypted(plain, passphrase)),
    importEncrypted: <T>(file: unknown, passphrase: string) => serial(() => importEncrypted<T>(file, passphrase)),
  };
}

async function sealFor(meta: VaultMeta, json: string): Promise<SealedBox> {
  const ephemeral = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const epk = new Uint8Array(await crypto.subtle.exportKey('raw', ephemeral.publicKey));
  const key = await boxKey(ephemeral.privateKey, meta.publicKey, epk, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const plain = new TextEncoder().encode(json);
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(meta.kid) }, key, plain);
  plain.fill(0);
  return { format: 'astra-companion-sealed', version: 1, kid: meta.kid, epk: toBase64(epk), iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

async function openWith(privateKey: CryptoKey, kid: string, box: SealedBox): Promise<string | undefined> {
  try {
    const epk = fromBase64(box.epk);
    const ephemeralPublic = await crypto.subtle.importKey('raw', epk, ECDH, false, []);
    const key = await boxKey(privateKey, ephemeralPublic, epk, ['decrypt']);
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(box.iv), additionalData: new TextEncoder().encode(kid) },
      key,
      fromBase64(box.data),
    );
    return new TextDecoder().decode(plain);
  } catch {
    return undefined;
  }
}

/** ECDH shared secret -> HKDF-SHA-256 (bound to the ephemeral key) -> AES-256-GCM key for one box. */
async function boxKey(own: CryptoKey, other: CryptoKey, epk: Uint8Array<ArrayBuffer>, usages: KeyUsage[]): Promise<CryptoKey> {
  const shared = await crypto.subtle.deriveBits({ name: 'ECDH', public: other }, own, 256);
  const base = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
  const info = concat(new TextEncoder().encode(HKDF_INFO), epk);
  return crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info }, base, { name: 'AES-GCM', length: 256 }, false, usages);
}

async function wrapPrivate(key: CryptoKey, wrappingKey: CryptoKey): Promise<WrappedKey> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.wrapKey('pkcs8', key, wrappingKey, { name: 'AES-GCM', iv }) };
}

function unwrapPrivate(wrapped: WrappedKey, wrappingKey: CryptoKey, extractable: boolean): Promise<CryptoKey> {
  return crypto.subtle.unwrapKey('pkcs8', wrapped.data, wrappingKey, { name: 'AES-GCM', iv: wrapped.iv }, ECDH, extractable, ['deriveBits']);
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number, usages: KeyUsage[]): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, { name: 'AES-GCM', length: 256 }, false, usages);
}

async function keyId(publicKey: CryptoKey): Promise<string> {
  const raw = await crypto.subtle.exportKey('raw', publicKey);
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', raw)).slice(0, 8));
}

/** Password-protected, self-describing export; independent of the vault's keys, so any install can read it. */
export async function exportEncrypted(plain: unknown, passphrase: string): Promise<Result<EncryptedExport, VaultProblemCode>> {
  if (typeof passphrase !== 'string' || passphrase.length < MIN_PASSPHRASE_LENGTH) {
    return fail('weak-passphrase', `An export passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters.`, 'A few unrelated words make a strong passphrase that is easy to type.');
  }
  // The file may travel (mail, a shared drive): its passphrase stands against offline guessing, as the vault's does.
  if (isGuessable(passphrase)) {
    return fail('weak-passphrase', 'That export passphrase is too easy to guess: it is a common password or a simple pattern.', 'A few unrelated words make a strong passphrase that is easy to type.');
  }
  const json = JSON.stringify(plain);
  if (json === undefined) return fail('cannot-seal', 'This value cannot be exported.', 'Only plain data can be exported.');
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveKey(passphrase, salt, PBKDF2_ITERATIONS, ['encrypt']);
  const bytes = new TextEncoder().encode(json);
  const data = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, bytes);
  bytes.fill(0);
  return ok({
    format: 'astra-companion-encrypted',
    version: 1,
    kdf: 'PBKDF2-SHA-256',
    iterations: PBKDF2_ITERATIONS,
    salt: toBase64(salt),
    iv: toBase64(iv),
    cipher: 'AES-256-GCM',
    data: toBase64(new Uint8Array(data)),
  });
}

/** Reads an export (the object or the file's text). A wrong passphrase and a changed file look alike to AES-GCM. */
export async function importEncrypted<T = unknown>(file: unknown, passphrase: string): Promise<Result<T, VaultProblemCode>> {
  const notOurs = () =>
    fail('unknown-format' as const, 'This is not an encrypted Astra Companion export.', 'Choose a file saved with "Export (encrypted)".');
  let box: unknown = file;
  if (typeof file === 'string') {
    try {
      box = JSON.parse(file);
    } catch {
      return notOurs();
    }
  }
  if (!isRecord(box) || box.format !== 'astra-companion-encrypted') return notOurs();
  if (box.version !== 1) {
    return fail('unsupported-version', 'This export was made by a newer version of Astra Companion.', 'Update the extension, then import again.');
  }
  const { kdf, cipher, iterations, salt, iv, data } = box;
  if (
    kdf !== 'PBKDF2-SHA-256' ||
    cipher !== 'AES-256-GCM' ||
    typeof iterations !== 'number' ||
    !Number.isInteger(iterations) ||
    iterations < PBKDF2_ITERATIONS ||
    iterations > MAX_IMPORT_ITERATIONS ||
    typeof salt !== 'string' ||
    typeof iv !== 'string' ||
    typeof data !== 'string'
  ) {
    return notOurs();
  }
  let bytes: { salt: Uint8Array<ArrayBuffer>; iv: Uint8Array<ArrayBuffer>; data: Uint8Array<ArrayBuffer> };
  try {
    bytes = { salt: fromBase64(salt), iv: fromBase64(iv), data: fromBase64(data) };
  } catch {
    return notOurs();
  }
  if (bytes.salt.length < 16 || bytes.iv.length !== 12) return notOurs();
  if (typeof passphrase !== 'string' || passphrase === '') return WRONG_PASSPHRASE();
  const key = await deriveKey(passphrase, bytes.salt, iterations, ['decrypt']);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: bytes.iv }, key, bytes.data);
  } catch {
    return fail('wrong-passphrase', 'That passphrase does not open this export (or the file was changed).', 'Check the passphrase used when the file was exported.');
  }
  try {
    return ok(JSON.parse(new TextDecoder().decode(plain)) as T);
  } catch {
    return notOurs();
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isSealedBox(value: unknown): value is SealedBox {
  return (
    isRecord(value) &&
    value.format === 'astra-companion-sealed' &&
    value.version === 1 &&
    typeof value.kid === 'string' &&
    typeof value.epk === 'string' &&
    typeof value.iv === 'string' &&
    typeof value.data === 'string'
  );
}

function isMeta(value: unknown): value is VaultMeta {
  return (
    isRecord(value) &&
    value.version === 1 &&
    typeof value.kid === 'string' &&
    value.publicKey instanceof CryptoKey &&
    value.deviceKey instanceof CryptoKey &&
    isRecord(value.privateKey)
  );
}

function isUnlockedRecord(value: unknown): value is UnlockedRecord {
  return isRecord(value) && typeof value.id === 'string' && (value.by === 'memory' || value.by === 'session' || value.by === 'device');
}

function isSessionEntry(value: unknown): value is SessionEntry {
  return isRecord(value) && typeof value.id === 'string' && typeof value.key === 'string' && typeof value.lastActivity === 'number';
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

