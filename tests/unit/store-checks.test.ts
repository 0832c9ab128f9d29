// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { checkBuiltExtension, checkSourcesZip, pngSize, type PackageFiles } from '../packaging/store-checks';

/** A real PNG header (signature + IHDR) of the given size. */
function png(size: number): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(bytes.buffer).setUint32(16, size);
  new DataView(bytes.buffer).setUint32(20, size);
  return bytes;
}

function folder(entries: Record<string, string | Uint8Array>): PackageFiles {
  const map = new Map(Object.entries(entries).map(([path, value]) => [path, typeof value === 'string' ? new TextEncoder().encode(value) : value]));
  return { list: () => [...map.keys()], read: (path) => map.get(path) };
}

const icons = { 16: 'icons/16.png', 32: 'icons/32.png', 48: 'icons/48.png', 128: 'icons/128.png' };
const iconFiles = { 'icons/16.png': png(16), 'icons/32.png': png(32), 'icons/48.png': png(48), 'icons/128.png': png(128) };
const chrome = {
  manifest_version: 3,
  name: 'Astra Companion',
  description: 'Captures and verifies DataStax Astra secure connect bundles and application tokens before they expire.',
  icons,
  action: { default_icon: icons, default_popup: 'popup.html' },
  background: { service_worker: 'background.js' },
};
const firefox = {
  ...chrome,
  manifest_version: 2,
  action: undefined,
  background: { scripts: ['background.js'] },
  browser_action: { default_icon: icons },
  browser_specific_settings: { gecko: { id: 'astra-companion@astra-companion.dev', strict_min_version: '140.0', data_collection_permissions: { required: ['none'] } } },
};
const build = (manifest: object, extra: Record<string, string | Uint8Array> = {}) =>
  folder({ 'manifest.json': JSON.stringify(manifest), 'background.js': '', 'popup.html': '<script type="module" src="/chunks/popup.js"></script>', ...iconFiles, ...extra });

describe('store checks on a built extension', () => {
  it('passes the Chrome and the Firefox build as we make them', () => {
    expect(checkBuiltExtension('chrome', build(chrome))).toEqual([]);
    expect(checkBuiltExtension('firefox', build(firefox))).toEqual([]);
  });

  it('reads the size of a PNG from its header, and refuses what is not one', () => {
    expect(pngSize(png(48))).toEqual({ width: 48, height: 48 });
    expect(pngSize(new TextEncoder().encode('<svg/>'))).toBeUndefined();
  });

  it('names a missing icon size, a missing file and a PNG of the wrong size', () => {
    const { 48: _dropped, ...without48 } = icons;
    expect(checkBuiltExtension('chrome', build({ ...chrome, icons: without48 }))).toEqual(['icons: no 48 px icon']);
    const missing = build(chrome);
    const read = missing.read;
    missing.read = (path) => (path === 'icons/128.png' ? undefined : read(path));
    expect(checkBuiltExtension('chrome', missing)).toContain('icons: icons/128.png is missing or not a PNG');
    expect(checkBuiltExtension('chrome', build(chrome, { 'icons/32.png': png(64) }))).toContain('icons: icons/32.png is 64x64, not 32x32');
    expect(checkBuiltExtension('firefox', build({ ...firefox, browser_action: {} }))).toContain('browser_action.default_icon: no icons');
  });

  it("holds names and descriptions to the stores' limits (Chrome 45/132, AMO 50)", () => {
    const name = 'Astra Companion: bundles, tokens and more tools'; // 47 characters
    expect(checkBuiltExtension('chrome', build({ ...chrome, name }))).toEqual(['name is 47 characters; the limit is 45']);
    expect(checkBuiltExtension('firefox', build({ ...firefox, name }))).toEqual([]);
    expect(checkBuiltExtension('chrome', build({ ...chrome, description: 'x'.repeat(133) }))).toEqual(['description is 133 characters; the limit is 132']);
  });

  it('finds remote code: a remote script tag, a remote import, a CSP that allows other origins', () => {
    expect(checkBuiltExtension('chrome', build(chrome, { 'popup.html': '<script src="https://cdn.example.com/x.js"></script>' }))).toEqual([
      'popup.html loads a remote script: https://cdn.example.com/x.js',
    ]);
    expect(checkBuiltExtension('chrome', build(chrome, { 'background.js': 'importScripts("https://cdn.example.com/sw.js")' }))).toEqual([
      'background.js loads remote code: https://cdn.example.com/sw.js',
    ]);
    expect(checkBuiltExtension('chrome', build({ ...chrome, content_security_policy: { extension_pages: "script-src 'self' https://cdn.example.com" } }))[0]).toMatch(/allows remote/);
  });

  it("wants Firefox's add-on id, its minimum version and the data collection declaration", () => {
    const gecko = { id: 'astra-companion@astra-companion.dev', strict_min_version: '128.0' };
    expect(checkBuiltExtension('firefox', build({ ...firefox, browser_specific_settings: { gecko } }))).toEqual([
      'gecko.strict_min_version is 128.0; data_collection_permissions needs 140.0',
      'no gecko.data_collection_permissions.required (AMO asks for it; "none" when nothing is collected)',
    ]);
  });
});

describe('store checks on the sources zip', () => {
  const sources = { 'package.json': '{}', 'package-lock.json': '{}', 'wxt.config.ts': '', 'tsconfig.json': '{}', 'README.md': '', 'assets/icon.svg': '<svg/>', 'entrypoints/background.ts': '' };

  it('passes what a reviewer needs to rebuild', () => {
    expect(checkSourcesZip(folder(sources))).toEqual([]);
  });

  it('names what is missing, and anything secret, built or huge', () => {
    const { 'package-lock.json': _lock, ...noLock } = sources;
    expect(checkSourcesZip(folder(noLock))).toEqual(['sources zip lacks package-lock.json']);
    expect(checkSourcesZip(folder({ ...sources, 'tests/.artifacts/replica-tls.json': '{}', '.env': 'X=1', 'node_modules/x/index.js': '', 'big.bin': new Uint8Array(1_000_001) }))).toEqual([
      'sources zip holds tests/.artifacts/replica-tls.json, which a reviewer must not get',
      'sources zip holds .env, which a reviewer must not get',
      'sources zip holds node_modules/x/index.js, which a reviewer must not get',
      'sources zip holds big.bin of 1000001 bytes',
    ]);
  });
});

describe("web-ext lint's warnings", () => {
  // The piece of minified setimmediate (jszip's dependency) that web-ext flags as eval.
  const library = 'u.setImmediate=function(e){typeof e!=`function`&&(e=Function(``+e));';
  const warning = { code: 'DANGEROUS_EVAL', file: 'background.js', message: 'The Function constructor is eval.' };

  it('accepts as many as the libraries in the flagged file account for, and no more', async () => {
    const { unexplainedLint } = await import('../packaging/check-packages');
    expect(unexplainedLint([warning], () => library)).toEqual([]);
    expect(unexplainedLint([warning, warning], () => `${library} new Function(code)`)).toEqual([warning]);
    expect(unexplainedLint([{ ...warning, file: 'popup.js' }], () => 'eval(x)')).toHaveLength(1);
  });
});
