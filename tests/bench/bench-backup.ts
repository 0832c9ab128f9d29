/**
 * Export and import where users run them: in Chromium, through the extension's own path (the popup asks, the
 * background does the work on the real IndexedDB with real WebCrypto), next to jszip doing the same zip work in the
 * same page, plus the one PBKDF2 derivation a passphrase-protected file needs.
 * Export baseline: jszip zipping the export's own entries (bundles stored, the rest deflated) + one PBKDF2.
 * Import baseline: jszip loading the export with CRC checks and inflating every entry + one PBKDF2.
 */
import type { Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { median, type BenchRow } from './bench-row';
import { allowBenchCode } from './seed-extension';

export const BENCH_PASSPHRASE = 'bench passphrase, long enough to pass';

interface Times {
  exportMs: number;
  importMs: number | null;
  zipMs: number;
  loadMs: number;
  pbkdf2Ms: number;
  bytes: number;
  importError?: string;
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
      const toBase64 = (bytes: Uint8Array) => {
        let out = '';
        for (let i = 0; i < bytes.length; i += 0x8000) out += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return btoa(out);
      };
      /** The export as the popup gets it, ready to hand to the browser's download, whichever way the background gives it. */
      const exportFile = async (): Promise<Blob | Uint8Array> => {
        const answer = await chrome.runtime.sendMessage({ type: 'export-store', tokens: { mode: 'encrypted', passphrase } });
        if (!answer.ok) throw new Error(`export failed: ${answer.error?.message}`);
        const value = answer.value!;
        if (typeof value.base64 === 'string') return fromBase64(value.base64);
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const open = indexedDB.open('astra-companion');
          open.onsuccess = () => resolve(open.result);
          open.onerror = () => reject(open.error);
        });
        const file = await new Promise<{ blob: Blob }>((resolve, reject) => {
          const request = db.transaction('outbox').objectStore('outbox').get(String(value.outbox));
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        db.close();
        // What the popup does next: an object URL for the download (no copy of the bytes).
        URL.revokeObjectURL(URL.createObjectURL(file.blob));
        return file.blob;
      };

      let start = performance.now();
      const file = await exportFile();
      const exportMs = performance.now() - start;
      const bytes = file instanceof Blob ? new Uint8Array(await file.arrayBuffer()) : file;
      await chrome.runtime.sendMessage({ type: 'export-saved', outbox: 'export' }).catch(() => undefined);

      let importMs: number | null = null;
      let importError: string | undefined;
      if (withImport) {
        start = performance.now();
        const answer = await chrome.runtime.sendMessage({ type: 'import-store', base64: toBase64(bytes), passphrase }).catch((e: Error) => ({ ok: false, error: { message: e.message } }) as Answer);
        importMs = performance.now() - start;
        if (!answer.ok) importError = answer.error?.message ?? 'failed';
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
      const check = await JSZip.loadAsync(bytes, { checkCRC32: true });
      for (const file of Object.values(check.files) as any[]) await file.async('uint8array');
      const loadMs = performance.now() - start;

      start = performance.now();
      const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
      await crypto.subtle.deriveKey({ name: 'PBKDF2', hash: 'SHA-256', salt: new Uint8Array(16), iterations: 600_000 }, base, { name: 'AES-GCM', length: 256 }, false, ['decrypt']);
      const pbkdf2Ms = performance.now() - start;
      return { exportMs, importMs, zipMs, loadMs, pbkdf2Ms, bytes: bytes.byteLength, importError };
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
  for (let i = 0; i < runs; i++) all.push(await backupOnce(page, withImport));
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
      name: `import, ${sizes} (baseline: jszip loading it with CRC checks, inflating every entry + one PBKDF2)${failed ? ` FAILED: ${failed.importError}` : ''}`,
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
