/**
 * Where an import's time goes, outside the browser: `npx tsx tests/bench/profile-import.ts [bundles] [tokens]` exports
 * a filled store (real bundles, real sealed tokens, encrypted) and imports it into a fresh store under V8's sampling
 * profiler; prints the share of time per function of ours (self) and per import step (inclusive). IndexedDB here is
 * fake-indexeddb, so the store's share says little: the browser's figure is the bench (bench-backup.ts).
 */
import 'fake-indexeddb/auto';
import 'reflect-metadata';
import { exportStore } from '../../utils/backup/export-store';
import { importStore } from '../../utils/backup/import-store';
import { filledStore, freshStore, newVault, T0 } from '../unit/fixtures/filled-store';
import { packageOf, profileCpu } from './cpu-profile';

const [bundles = 1000, tokens = 1000, distinct = 50] = process.argv.slice(2).map(Number);
const store = await filledStore({ bundles, tokens, distinct: Math.min(bundles, distinct) });
const passphrase = 'profile passphrase, long enough';
const exported = await exportStore({ db: store.db, vault: store.vault, extensionVersion: 'profile', now: () => T0, tokens: { mode: 'encrypted', passphrase } });
if (!exported.ok) throw new Error(exported.error.message);
const intoDb = await freshStore('profile-import');

const profile = await profileCpu(
  () => importStore({ db: intoDb, vault: newVault(), bytes: exported.value, passphrase, now: () => T0 }),
  200,
);
const report = profile.result;
const took = profile.ms;
if (!report.ok) throw new Error(report.error.message);
const self = profile.self((frame) => packageOf(frame) ?? (frame.url ? `${frame.functionName || '(anonymous)'} (${frame.url.split('/').pop()})` : '(waiting: WebCrypto, idle, GC)'));
const steps = profile.steps(/\/utils\/(backup|bundle|zip|vault|token)\//);
const show = profile.show;
console.log(`import of ${bundles} bundles + ${tokens} tokens (${(exported.value.byteLength / 1e6).toFixed(1)} MB): ${took.toFixed(0)} ms; added ${report.value.added.bundles} + ${report.value.added.tokens}`);
show('self time:', self, 14);
show('by step (inclusive):', steps, 16);
