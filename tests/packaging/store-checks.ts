/**
 * The store checks we can run here, on a built extension folder and on the sources zip: names and descriptions
 * within the stores' limits, every icon size present as a PNG of that size, no remote code, Firefox's settings.
 * Pure: files are read through `read`, so the rules are unit-tested on broken manifests (store-checks.test.ts).
 */
export const ICON_SIZES = [16, 32, 48, 128] as const;
/** Chrome Web Store: name 45, description 132 characters. AMO: name 50; we hold the description to Chrome's 132. */
export const LIMITS = { chrome: { name: 45, description: 132 }, firefox: { name: 50, description: 132 } } as const;
export const FIREFOX_MIN_VERSION = 140;

export type Target = 'chrome' | 'firefox';

export interface PackageFiles {
  /** Paths relative to the package root, `/` separated. */
  list(): string[];
  read(path: string): Uint8Array | undefined;
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array | undefined): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!bytes || bytes.length < 24 || signature.some((byte, i) => bytes[i] !== byte)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function iconProblems(label: string, icons: unknown, files: PackageFiles): string[] {
  if (!icons || typeof icons !== 'object') return [`${label}: no icons`];
  const problems: string[] = [];
  for (const size of ICON_SIZES) {
    const path = (icons as Record<string, unknown>)[String(size)];
    if (typeof path !== 'string') {
      problems.push(`${label}: no ${size} px icon`);
      continue;
    }
    const found = pngSize(files.read(path.replace(/^\//, '')));
    if (!found) problems.push(`${label}: ${path} is missing or not a PNG`);
    else if (found.width !== size || found.height !== size) problems.push(`${label}: ${path} is ${found.width}x${found.height}, not ${size}x${size}`);
  }
  return problems;
}

const REMOTE = /^(?:https?:)?\/\//i;

/** Every problem a store would refuse (or a reviewer would flag) in a built extension; empty when it passes. */
export function checkBuiltExtension(target: Target, files: PackageFiles): string[] {
  const text = (path: string) => {
    const bytes = files.read(path);
    return bytes ? new TextDecoder().decode(bytes) : undefined;
  };
  const raw = text('manifest.json');
  if (!raw) return ['manifest.json is missing'];
  const manifest = JSON.parse(raw);
  const problems: string[] = [];
  const limits = LIMITS[target];
  if (typeof manifest.name !== 'string' || !manifest.name) problems.push('no name');
  else if ([...manifest.name].length > limits.name) problems.push(`name is ${[...manifest.name].length} characters; the limit is ${limits.name}`);
  if (typeof manifest.description !== 'string' || !manifest.description) problems.push('no description');
  else if ([...manifest.description].length > limits.description) problems.push(`description is ${[...manifest.description].length} characters; the limit is ${limits.description}`);

  const expectedVersion = target === 'chrome' ? 3 : 2;
  if (manifest.manifest_version !== expectedVersion) problems.push(`manifest_version is ${manifest.manifest_version}, expected ${expectedVersion}`);
  problems.push(...iconProblems('icons', manifest.icons, files));
  const action = target === 'chrome' ? manifest.action : manifest.browser_action;
  problems.push(...iconProblems(target === 'chrome' ? 'action.default_icon' : 'browser_action.default_icon', action?.default_icon, files));

  // No remote code: every script the pages load is in the package, and the CSP allows no other origin.
  for (const page of files.list().filter((path) => path.endsWith('.html'))) {
    for (const match of (text(page) ?? '').matchAll(/<script\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)) {
      if (REMOTE.test(match[1]!)) problems.push(`${page} loads a remote script: ${match[1]}`);
    }
  }
  for (const script of files.list().filter((path) => path.endsWith('.js'))) {
    const source = text(script) ?? '';
    for (const match of source.matchAll(/\b(?:importScripts|import)\s*\(\s*["'`]((?:https?:)?\/\/[^"'`]+)/g)) problems.push(`${script} loads remote code: ${match[1]}`);
  }
  const csp = typeof manifest.content_security_policy === 'string' ? manifest.content_security_policy : manifest.content_security_policy?.extension_pages;
  if (typeof csp === 'string' && /https?:|unsafe-eval|\*/.test(csp)) problems.push(`content_security_policy allows remote or eval'd code: ${csp}`);
  for (const script of manifest.background?.scripts ?? []) if (REMOTE.test(script)) problems.push(`remote background script ${script}`);
  for (const [kind, path] of [['background page', manifest.background?.page], ['service worker', manifest.background?.service_worker]] as const) {
    if (typeof path === 'string' && !files.read(path)) problems.push(`${kind} ${path} is not in the package`);
  }

  if (target === 'firefox') {
    const gecko = manifest.browser_specific_settings?.gecko;
    if (!gecko?.id) problems.push('no browser_specific_settings.gecko.id (AMO needs a stable add-on id)');
    const min = Number.parseFloat(gecko?.strict_min_version ?? '0');
    if (!(min >= FIREFOX_MIN_VERSION)) problems.push(`gecko.strict_min_version is ${gecko?.strict_min_version}; data_collection_permissions needs ${FIREFOX_MIN_VERSION}.0`);
    const required = gecko?.data_collection_permissions?.required;
    if (!Array.isArray(required) || !required.length) problems.push('no gecko.data_collection_permissions.required (AMO asks for it; "none" when nothing is collected)');
    if (manifest.permissions?.includes('offscreen')) problems.push('Firefox has no offscreen permission');
  }
  return problems;
}

/** What a reviewer needs to rebuild, present; nothing secret, built or huge. */
export const SOURCES_REQUIRED = ['package.json', 'package-lock.json', 'wxt.config.ts', 'tsconfig.json', 'README.md', 'assets/icon.svg', 'entrypoints/background.ts'];
const SOURCES_FORBIDDEN = [/^node_modules\//, /^\.output\//, /^\.wxt\//, /^tests\/\.artifacts\//, /(^|\/)\.env(\.|$)/, /\.(pem|key|p12|pfx|jks)$/i, /^\.git\//];
export const SOURCES_MAX_FILE_BYTES = 1_000_000;
export const SOURCES_MAX_TOTAL_BYTES = 5_000_000;

export function checkSourcesZip(files: PackageFiles): string[] {
  const paths = files.list();
  const problems: string[] = [];
  for (const required of SOURCES_REQUIRED) if (!paths.includes(required)) problems.push(`sources zip lacks ${required}`);
  let total = 0;
  for (const path of paths) {
    if (SOURCES_FORBIDDEN.some((pattern) => pattern.test(path))) problems.push(`sources zip holds ${path}, which a reviewer must not get`);
    const size = files.read(path)?.byteLength ?? 0;
    total += size;
    if (size > SOURCES_MAX_FILE_BYTES) problems.push(`sources zip holds ${path} of ${size} bytes`);
  }
  if (total > SOURCES_MAX_TOTAL_BYTES) problems.push(`sources zip is ${total} bytes unpacked`);
  return problems;
}
