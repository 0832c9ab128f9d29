// `npm start`: builds the extension, starts the local Astra replica and opens a browser with both.
// Env: CHROME_PATH (browser), DEMO_HEADLESS=1 (no window, keeps running), DEMO_PORT (replica port, default random),
// DEMO_SKIP_BUILD=1 (use the existing .output/chrome-mv3).
import { spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXTENSION_DIR = join(ROOT, '.output', 'chrome-mv3');
const HEADLESS = process.env.DEMO_HEADLESS === '1';
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function fail(lines) {
  console.error(`\n${lines.join('\n')}\n`);
  process.exit(1);
}

function executable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findBrowser() {
  if (process.env.CHROME_PATH) {
    if (executable(process.env.CHROME_PATH)) return process.env.CHROME_PATH;
    fail([`CHROME_PATH is set to "${process.env.CHROME_PATH}", which is not an executable file.`]);
  }
  if (executable('/usr/bin/chromium')) return '/usr/bin/chromium';
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of BROWSER_NAMES) {
      if (executable(join(dir, name))) return join(dir, name);
    }
  }
  if (process.platform === 'darwin') {
    const mac = '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome';
    if (executable(mac)) return mac;
  }
  return fail([
    'No Chromium or Google Chrome found.',
    `Looked at CHROME_PATH, /usr/bin/chromium and ${BROWSER_NAMES.join(', ')} on PATH.`,
    'Install one (Debian: sudo apt-get install -y chromium) or run: CHROME_PATH=/path/to/chrome npm start',
  ]);
}

function hasDisplay() {
  return process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

if (!HEADLESS && !hasDisplay()) {
  fail([
    'There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the demo browser cannot open a window.',
    'Run it with a virtual display:   xvfb-run -a npm start',
    '(Debian: sudo apt-get install -y xvfb), or without a window:   DEMO_HEADLESS=1 npm start',
  ]);
}

const browserPath = findBrowser();

if (process.env.DEMO_SKIP_BUILD !== '1') {
  console.log('Building the extension (wxt build)...');
  const build = spawnSync('npx', ['wxt', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) fail(['The extension build failed (see above). Fix it, then run npm start again.']);
}
if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
  fail([`No built extension at ${EXTENSION_DIR}. Run npx wxt build (or npm start without DEMO_SKIP_BUILD).`]);
}

register();
const { startReplica, DB, ORG } = await import('./server.ts');
const replica = await startReplica({ port: Number(process.env.DEMO_PORT ?? 0) });
const userDataDir = mkdtempSync(join(tmpdir(), 'astra-companion-demo-'));

const args = [
  `--user-data-dir=${userDataDir}`,
  `--disable-extensions-except=${EXTENSION_DIR}`,
  `--load-extension=${EXTENSION_DIR}`,
  '--disable-features=DisableLoadExtensionCommandLineSwitch',
  '--no-first-run',
  '--no-default-browser-check',
  // No "unsupported command-line flag" bar for the demo's own flags (the certificate pin among them).
  '--test-type',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ...(HEADLESS ? ['--headless', '--disable-gpu'] : []),
  ...replica.chromiumArgs,
  `${replica.origin}/`,
];
const browser = spawn(browserPath, args, { stdio: 'ignore' });

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (browser.exitCode === null && browser.signalCode === null) {
    browser.kill('SIGTERM');
    const killer = setTimeout(() => browser.kill('SIGKILL'), 3000);
    await new Promise((done) => browser.once('exit', done));
    clearTimeout(killer);
  }
  clearInterval(seen);
  await replica.close();
  rmSync(userDataDir, { recursive: true, force: true });
  process.exit(code);
}

browser.once('error', (error) => {
  console.error(`Could not start ${browserPath}: ${error.message}`);
  void stop(1);
});
browser.once('exit', () => {
  if (!stopping) {
    console.log('The browser closed; stopping the replica.');
    void stop(0);
  }
});
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

// Says when the browser has really loaded the console, so a headless run can be checked from the terminal.
const seen = setInterval(() => {
  const graphql = replica.requests.find((r) => r.host === 'astra.datastax.com' && r.path === '/api/v2/graphql');
  if (!graphql) return;
  clearInterval(seen);
  console.log(`The browser loaded the console (GraphQL answered ${graphql.status}).`);
}, 500);

const org = `${replica.origin}/org/${ORG.id}`;
console.log(`
Astra Companion demo
  Browser:  ${browserPath}${HEADLESS ? ' (headless)' : ''}
  Replica:  https://127.0.0.1:${replica.port}  (serves astra.datastax.com, api.astra.datastax.com and the bundle bucket)
  Port:     ${replica.port}
  Metadata: ${replica.metadataService.connectTo}  (GET /metadata for the demo bundles, for scb-check --probe)
  Opened:   ${replica.origin}/  -> ${org}

A short tour:
  1. Databases > orders > Connect > "Get Bundle": two regions; switch the Region, watch the countdown,
     use "Download Secure Bundle". The extension checks each bundle and keeps a copy (toolbar icon).
  2. Databases > vectors > Region row "More" > "Download SCB": the newer console's download.
  3. Settings > Tokens: "Select a Token Role", "Generate Token", "Download Token Details";
     Token Management (classic) saves GeneratedToken.csv. Connect tab "Generate Token" uses the REST API.
  4. events-archive is hibernated: "Get Bundle" answers 409.
  5. Break things from the page's DevTools console (F12), then Get Bundle again:
       await fetch('/__replica/faults', { method: 'POST', body: JSON.stringify({ linkLifetimeSeconds: 15 }) })
       ...or { truncateBodyAt: 4000 }, { errorDocumentWith200: true }, { wrongContentType: true },
          { slowBodyMs: 300 }, { linkDateOffsetSeconds: 600 }
       await fetch('/__replica/reset', { method: 'POST' })
     An expired link opened in the browser shows S3's "Request has expired" XML.
  6. Probe a downloaded bundle against the replica's metadata service (mutual TLS with the bundle's own CA):
       node bin/scb-check.mjs --probe --connect-to ${replica.metadataService.connectTo} ~/Downloads/secure-connect-orders.zip

Database ids: orders ${DB.orders.id}, vectors ${DB.vectors.id}
Ctrl-C stops the browser and the replica and removes the temporary profile.
`);
