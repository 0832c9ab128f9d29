/** Sizes: what loads on every Astra page (the two console content scripts), and the packed extension. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import JSZip from 'jszip';
import type { BenchRow } from './bench-row';

const BUILD = path.resolve('.output/chrome-mv3');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Content scripts that match every console page, read from the built manifest. */
export function everyPageScripts(): string[] {
  const manifest = JSON.parse(readFileSync(path.join(BUILD, 'manifest.json'), 'utf8')) as {
    content_scripts?: Array<{ matches: string[]; js?: string[] }>;
  };
  return (manifest.content_scripts ?? [])
    .filter((script) => script.matches.some((m) => m.startsWith('https://astra.datastax.com/')))
    .flatMap((script) => script.js ?? []);
}

export async function benchSizes(): Promise<BenchRow[]> {
  const scripts = everyPageScripts();
  const bytes = scripts.map((file) => readFileSync(path.join(BUILD, file)));
  const raw = bytes.reduce((sum, b) => sum + b.byteLength, 0) / 1000;
  const gzip = bytes.reduce((sum, b) => sum + gzipSync(b).byteLength, 0) / 1000;

  const zip = new JSZip();
  for (const file of filesUnder(BUILD)) zip.file(path.relative(BUILD, file), readFileSync(file));
  const packed = (await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE' })).byteLength / 1000;

  return [
    { name: `every-page scripts (${scripts.length}) minified`, value: raw, unit: 'KB', budget: '< 15 KB', pass: raw < 15 },
    { name: 'every-page scripts gzipped', value: gzip, unit: 'KB', budget: 'report', pass: true },
    { name: 'packed extension (zip)', value: packed, unit: 'KB', budget: '< 1000 KB', pass: packed < 1000 },
  ];
}
