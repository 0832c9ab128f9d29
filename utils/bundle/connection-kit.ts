/**
 * A connection kit for one database: its kept bundle(s), a `.env` with everything the DataStax tools read
 * (ASTRA_DB_API_ENDPOINT, ASTRA_DB_SECURE_BUNDLE_PATH, ASTRA_DB_KEYSPACE, ASTRA_DB_ID, ASTRA_DB_REGION and, only
 * when the user picked one, ASTRA_DB_APPLICATION_TOKEN), and ready snippets for cqlsh, the CQL drivers and the
 * Data API. Pure: the caller reads the store and opens the token. Never a bundle link: it expires in minutes.
 * Every value in `.env` is checked against a narrow pattern and single-quoted, so a hostile keyspace or file name
 * from a bundle can neither add a line nor expand in a shell that sources the file.
 */
import JSZip from 'jszip';
import { DATA_API_HOST_SUFFIX } from '../astra/hosts';
import { isToken } from '../token/token';
import { dataApiSnippets, ENDPOINT_ENV_VAR } from './data-api-snippets';
import { bundleFileNameFor, driverReadme, driverSnippets, isKeyspaceName, labelOf, portableFileName, TOKEN_ENV_VAR } from './driver-snippets';

export const BUNDLE_PATH_ENV_VAR = 'ASTRA_DB_SECURE_BUNDLE_PATH';
export const KEYSPACE_ENV_VAR = 'ASTRA_DB_KEYSPACE';
export const DB_ID_ENV_VAR = 'ASTRA_DB_ID';
export const REGION_ENV_VAR = 'ASTRA_DB_REGION';
export const ENV_FILE = '.env';

/** Every entry carries this date, so one kit always zips to the same bytes. */
const KIT_ENTRY_DATE = new Date(Date.UTC(2020, 0, 1, 0, 0, 0));

export interface KitBundle {
  fileName: string;
  region?: string;
  /** config.json's keyspace (the checker's facts); used only when it is a valid CQL name. */
  keyspace?: string;
  bytes: Uint8Array;
}

export interface ConnectionKitInput {
  dbId?: string;
  dbName: string;
  /** The first is the default region. */
  bundles: KitBundle[];
  /** Opened by the background through the vault, only when the user picked it with the vault unlocked. */
  token?: string;
}

export interface KitFile {
  path: string;
  content: string | Uint8Array;
}

const DB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const REGION = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** What may stand inside single quotes in `.env`: no quote, no `$`, no backslash, no space, no line break. */
const ENV_VALUE = /^[\p{L}\p{N}._:/-]+$/u;

export function isDatabaseId(value: unknown): value is string {
  return typeof value === 'string' && DB_ID.test(value);
}

export function isRegionName(value: unknown): value is string {
  return typeof value === 'string' && REGION.test(value);
}

/** `https://<dbId>-<region>.apps.astra.datastax.com`, or nothing when either part is not well formed. */
export function dataApiEndpoint(dbId: string | undefined, region: string | undefined): string | undefined {
  if (!isDatabaseId(dbId) || !isRegionName(region)) return undefined;
  return `https://${dbId.toLowerCase()}-${region}${DATA_API_HOST_SUFFIX}`;
}

function envLine(name: string, value: string | undefined, why: string, commented = false): string {
  if (value === undefined || !ENV_VALUE.test(value)) return `# ${name}: ${why}`;
  return `${commented ? '# ' : ''}${name}='${value}'`;
}

interface KitRegion {
  region?: string;
  fileName: string;
  endpoint?: string;
}

/** The bundles' saved names: portable, and unique (a second region's copy is named for its region, as Astra does). */
function kitRegions(input: ConnectionKitInput): KitRegion[] {
  const taken = new Set<string>();
  return input.bundles.map((bundle) => {
    const region = isRegionName(bundle.region) ? bundle.region : undefined;
    let fileName = portableFileName(bundle.fileName, bundleFileNameFor(input.dbName));
    if (taken.has(fileName.toLowerCase()) && region) fileName = fileName.replace(/\.zip$/i, `-${region}.zip`);
    for (let n = 2; taken.has(fileName.toLowerCase()); n++) fileName = fileName.replace(/(-\d+)?\.zip$/i, `-${n}.zip`);
    taken.add(fileName.toLowerCase());
    return { region, fileName, endpoint: dataApiEndpoint(input.dbId, region) };
  });
}

function kitKeyspace(input: ConnectionKitInput): string | undefined {
  return input.bundles.map((b) => b.keyspace).find(isKeyspaceName);
}

/** The `.env`: the first region's lines active, every other region's lines beside them as comments. */
export function connectionEnv(input: ConnectionKitInput): string {
  const regions = kitRegions(input);
  const keyspace = kitKeyspace(input);
  const lines = [
    `# Astra Companion connection kit: ${labelOf(input.dbName)}`,
    '# Read by python-dotenv, the dotenv package, Node.js (process.loadEnvFile), or a shell: set -a; . ./.env; set +a',
    '# Nothing here expires except the token you choose; no download link is ever written.',
    '',
    envLine(DB_ID_ENV_VAR, isDatabaseId(input.dbId) ? input.dbId.toLowerCase() : undefined, 'the database id was not known'),
    envLine(KEYSPACE_ENV_VAR, keyspace, "the bundle's config.json names no valid keyspace"),
  ];
  regions.forEach((region, index) => {
    const commented = index > 0;
    lines.push(
      '',
      index === 0
        ? `# Region ${region.region ?? 'unknown'} (the default)${regions.length > 1 ? ': to use another region, swap these lines with its lines below' : ''}`
        : `# Region ${region.region ?? 'unknown'}`,
      envLine(REGION_ENV_VAR, region.region, 'the region was not known', commented),
      envLine(ENDPOINT_ENV_VAR, region.endpoint, 'the database id or region was not known', commented),
      envLine(BUNDLE_PATH_ENV_VAR, region.fileName, 'the bundle has no portable file name', commented),
    );
  });
  lines.push('');
  if (isToken(input.token)) {
    lines.push('# The application token you chose: anyone with this file can use it. Keep the file private.', `${TOKEN_ENV_VAR}='${input.token}'`);
  } else {
    lines.push("# Your application token (AstraCS:...): paste it here and remove the '# ', or export it in the shell.", `# ${TOKEN_ENV_VAR}='AstraCS:...'`);
  }
  lines.push('');
  return lines.join('\n');
}

function kitReadme(input: ConnectionKitInput, regions: KitRegion[], keyspace: string | undefined): string {
  const data = dataApiSnippets({ dbName: input.dbName, keyspace });
  const files = regions.map((r) => `- \`${r.fileName}\`: the secure connect bundle${r.region ? ` for ${r.region}` : ''}${r.endpoint ? ` (Data API: ${r.endpoint})` : ''}`);
  return [
    driverReadme({ fileName: regions[0]?.fileName ?? bundleFileNameFor(input.dbName), dbName: input.dbName, keyspace }).trimEnd(),
    '',
    '## What is in this kit',
    '',
    ...files,
    `- \`${ENV_FILE}\`: ${DB_ID_ENV_VAR}, ${KEYSPACE_ENV_VAR}, ${REGION_ENV_VAR}, ${ENDPOINT_ENV_VAR}, ${BUNDLE_PATH_ENV_VAR} and ${TOKEN_ENV_VAR}`,
    `  (${isToken(input.token) ? 'with the token you chose: keep the kit private' : 'a placeholder: paste your token there'}). Load it in a shell with`,
    '  `set -a; . ./.env; set +a`.',
    '',
    '## Python, Data API (astrapy)',
    '',
    '```python',
    data.astrapy.trimEnd(),
    '```',
    '',
    '## JavaScript, Data API (astra-db-ts)',
    '',
    '```js',
    data.astraDbTs.trimEnd(),
    '```',
    '',
  ].join('\n');
}

/** The kit's files, in the order they go into the zip. */
export function connectionKitFiles(input: ConnectionKitInput): KitFile[] {
  const regions = kitRegions(input);
  const keyspace = kitKeyspace(input);
  const snippetInput = { fileName: regions[0]?.fileName ?? bundleFileNameFor(input.dbName), dbName: input.dbName, keyspace };
  const cql = driverSnippets(snippetInput);
  const data = dataApiSnippets(snippetInput);
  return [
    ...input.bundles.map((bundle, index) => ({ path: regions[index]!.fileName, content: bundle.bytes })),
    { path: ENV_FILE, content: connectionEnv(input) },
    { path: 'README.md', content: kitReadme(input, regions, keyspace) },
    { path: 'connect.sh', content: cql.cqlsh },
    { path: 'connect.py', content: cql.python },
    { path: 'Connect.java', content: cql.java },
    { path: 'connect.js', content: cql.nodejs },
    { path: 'data_api.py', content: data.astrapy },
    { path: 'data-api.mjs', content: data.astraDbTs },
  ];
}

/** The kit as one zip; bundles stored as they are (they are zips already), text deflated. */
export async function zipConnectionKit(files: KitFile[]): Promise<Uint8Array> {
  const zip = new JSZip();
  for (const file of files) {
    const binary = typeof file.content !== 'string';
    zip.file(file.path, file.content, { date: KIT_ENTRY_DATE, createFolders: false, compression: binary ? 'STORE' : 'DEFLATE', binary });
  }
  return zip.generateAsync({ type: 'uint8array', platform: 'DOS' });
}
