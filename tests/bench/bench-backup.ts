/**
 * Export and import where users run them: in Chromium, through the extension's own path (the popup asks, the
 * background does the work on the real IndexedDB with real WebCrypto), next to jszip doing the same zip work in the
 * same page, plus the one PBKDF2 derivation a passphrase-protected file needs.
 * Export baseline: jszip zipping the export's own entries (bundles stored, the rest deflated) + one PBKDF2.
 * Import baseline: jszip reading the file, loading it with CRC checks and inflating every entry + one PBKDF2.
 * The import goes into an emptied store (every record added: the heavier case, and a move to a new browser).
 * Run alone: `npx tsx tests/bench/bench-backup.ts [--runs 3] [--bundles 10000] [--tokens 10000]` (after `npm run build`).
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../e2e/launch';
import { formatTable, median, type BenchRow } from './bench-row';
import { fillStore, popupUrlOf } from './bench-popup';
import { allowBenchCode, seedMaterial } from './seed-extension';

export const BENCH_PASSPHRASE = 'bench passphrase, long enough to pass';

interface Times {
  exportMs: number;
  importMs: number | null;
  zipMs: number;
  loadMs: number;
  pbkdf2Ms: number;
  bytes: number;
  importError?: string;
  importSummary?: string;
}

/** One export (and, with `withImport`, one import of it back) through the extension, and the baselines beside them. */
async function backupOnce(page: Page, withImport: boolean): Promise<Times> {
  await allowBenchCode(page);
  return page.evaluate(
    async ({ passphrase, withImport }) => {
      type Answer = { ok: boolean; value?: Record<string, unknown>; error?: { message: string } };
      const chrome = (globalThis as unknown as { chrome: { runtime: { sendMessage(m: unknown): Promise<Answer> } } }).chrome;
      const JSZip = (globalThis as unknown as { JSZipBench: any }).JSZipBench;
      const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
      let lastHandover = '';
      /** The export as the popup gets it, ready to hand to the browser's download, whichever way the background gives it. */
      const exportFile = async (): Promise<Blob | Uint8Array> => {
        const answer = await chrome.runtime.sendMessage({ type: 'export-store', tokens: { mode: 'encrypted', passphrase } });
        if (!answer.ok) throw new Error(`export failed: ${answer.error?.message}`);
        const value = answer.value!;
        if (typeof value.base64 === 'string') return fromBase64(value.base64);
        // As the popup takes it (BackupTab.tsx): asked for on the extension's channel, under the id the answer named.
        const id = String(value.handover);
        const channel = new BroadcastChannel('astra-companion:files');
        const file = await new Promise<Blob>((resolve, reject) => {
          const giveUp = setTimeout(() => reject(new Error('the export never came over the channel')), 15_000);
          channel.onmessage = (event) => {
            if (event.data?.type === 'file' && event.data.id === id) clearTimeout(giveUp), resolve(event.data.file as Blob);
          };
          channel.postMessage({ type: 'file-wanted', id });
        });
        channel.close();
        // What the popup does next: an object URL for the download (no copy of the bytes).
        URL.revokeObjectURL(URL.createObjectURL(file));
        lastHandover = id;
        return file;
      };

      let start = performance.now();
      const file = await exportFile();
      const exportMs = performance.now() - start;
      const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : file;
      await chrome.runtime.sendMessage({ type: 'export-saved', handover: lastHandover }).catch(() => undefined);

      let importMs: number | null = null;
      let importError: string | undefined;
      let importSummary: string | undefined;
      if (withImport) {
        // Into an empty store, as when moving to a new browser: every record added, every kept copy re-checked and
        // written (the import puts back what was cleared, so the next round exports the same again).
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('astra-companion');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const names = [...db.objectStoreNames].filter((n) => ['bundles', 'bundleFiles', 'tokens', 'tokenBoxes'].includes(n));
        const clear = db.transaction(names, 'readwrite');
        for (const name of names) clear.objectStore(name).clear();
        await new Promise((resolve, reject) => ((clear.oncomplete = resolve), (clear.onerror = () => reject(clear.error))));
        db.close();
        const blob = file instanceof Blob ? file : new Blob([file as BlobPart]);
        start = performance.now();
        // What the popup does (BackupTab.tsx): an id from the background, then the file as a Blob on the extension's channel.
        const answer = await (async (): Promise<Answer> => {
          const begun = await chrome.runtime.sendMessage({ type: 'import-begin', size: blob.size });
          if (!begun.ok) return begun;
          const id = String(begun.value!.id);
          const channel = new BroadcastChannel('astra-companion:files');
          channel.onmessage = (event) => {
            if (event.data?.type === 'file-wanted' && event.data.id === id) channel.postMessage({ type: 'file', id, file: blob });
          };
          try {
            return await chrome.runtime.sendMessage({ type: 'import-store', id, passphrase });
          } finally {
            channel.close();
          }
        })().catch((e: Error) => ({ ok: false, error: { message: e.message } }) as Answer);
        importMs = performance.now() - start;
        if (!answer.ok) importError = answer.error?.message ?? 'failed';
        else {
          const v = answer.value as { added: { bundles: number; tokens: number } };
          if (v.added.bundles === 0) importError = `nothing added: ${JSON.stringify(answer.value).slice(0, 300)}`;
          const reasons: Record<string, number> = {};
          for (const r of (answer.value as { refused: Array<{ reason: string }> }).refused) reasons[r.reason.slice(0, 70)] = (reasons[r.reason.slice(0, 70)] ?? 0) + 1;
          importSummary = JSON.stringify({ ...answer.value, refused: reasons });
        }
      }

      // The same zip work in the same page: the export's own entries, zipped the same way.
      const loaded = await JSZip.loadAsync(bytes);
      const entries: Array<[string, Uint8Array]> = [];
      for (const file of Object.values(loaded.files) as any[]) entries.push([file.name, await file.async('uint8array')]);
      start = performance.now();
      const zip = new JSZip();
      for (const [name, data] of entries) zip.file(name, data, { compression: name.startsWith('bundles/') ? 'STORE' : 'DEFLATE', binary: true });
      await zip.generateAsync({ type: 'uint8array' });
      const zipMs = performance.now() - start;

      start = performance.now();
      const read = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : bytes;
      const check = await JSZip.loadAsync(read, { checkCRC32: true });
      for (const file of Object.values(check.files) as any[]) await file.async('uint8array');
      const loadMs = performance.now() - start;

      start = performance.now();
      const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
      await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 600_000 }, base, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
      const pbkdf2Ms = performance.now() - start;
      return { exportMs, importMs, zipMs, loadMs, pbkdf2Ms, bytes: bytes.byteLength, importError, importSummary };
    },
    { passphrase: BENCH_PASSPHRASE, withImport },
  );
}

/** Loads jszip into an extension page (DevTools evaluation is not bound by the page's script policy). */
export async function loadJsZip(page: Page): Promise<void> {
  const source = readFileSync(path.resolve('node_modules/jszip/dist/jszip.min.js'), 'utf8');
  await page.evaluate(`(() => { const module = undefined, exports = undefined, define = undefined; ${source}; globalThis.JSZipBench = JSZip; })()`);
}

export async function benchBackup(page: Page, sizes: string, { runs, withImport }: { runs: number; withImport: boolean }): Promise<BenchRow[]> {
  await loadJsZip(page);
  const all: Times[] = [];
  for (let i = 0; i < runs; i++) {
    const times = await backupOnce(page, withImport);
    process.stderr.write(`bench: export ${Math.round(times.exportMs)} ms (jszip ${Math.round(times.zipMs)}), import ${Math.round(times.importMs ?? NaN)} ms (jszip ${Math.round(times.loadMs)}), PBKDF2 ${Math.round(times.pbkdf2Ms)} ms; ${times.importSummary ?? times.importError ?? ''}\n`);
    all.push(times);
  }
  const pick = (key: 'exportMs' | 'zipMs' | 'loadMs' | 'pbkdf2Ms') => median(all.map((t) => t[key]));
  const mb = (all[0]!.bytes / 1e6).toFixed(1);
  const exportBaseline = pick('zipMs') + pick('pbkdf2Ms');
  const rows: BenchRow[] = [
    {
      name: `export, ${sizes} (${mb} MB; baseline: jszip zipping the same entries + one PBKDF2)`,
      value: pick('exportMs'),
      unit: 'ms',
      baseline: exportBaseline,
      ratio: pick('exportMs') / exportBaseline,
      budget: 'ratio < 2',
      pass: pick('exportMs') / exportBaseline < 2,
    },
  ];
  if (withImport) {
    const failed = all.find((t) => t.importError);
    const importMs = median(all.map((t) => t.importMs ?? Number.NaN));
    const importBaseline = pick('loadMs') + pick('pbkdf2Ms');
    rows.push({
      name: `import into an empty store, ${sizes} (baseline: jszip reading the file with CRC checks, inflating every entry + one PBKDF2)${failed ? ` FAILED: ${failed.importError}` : ''}`,
      value: importMs,
      unit: 'ms',
      baseline: importBaseline,
      ratio: importMs / importBaseline,
      budget: 'ratio < 2',
      pass: !failed && importMs / importBaseline < 2,
    });
  }
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const arg = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
  const counts = { bundles: arg('--bundles', 10_000), tokens: arg('--tokens', 10_000) };
  const context = await launchChromium({ withExtension: true, extraArgs: [] });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
    const id = new URL(worker.url()).host;
    await fillStore(context, id, await seedMaterial(), counts);
    const page = await context.newPage();
    await page.goto(popupUrlOf(id));
    const rows = await benchBackup(page, `${counts.bundles.toLocaleString('en')} bundles + ${counts.tokens.toLocaleString('en')} tokens`, { runs: arg('--runs', 3), withImport: true });
    console.log(formatTable(rows));
  } finally {
    await context.close();
  }
}
