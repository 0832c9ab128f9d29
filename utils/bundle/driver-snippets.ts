/**
 * Ready-to-run connection snippets for one saved bundle: cqlsh, Python, Java (driver 4) and Node.js.
 * They name the saved file next to them (`./secure-connect-<db>.zip`) and read the token from
 * `ASTRA_DB_APPLICATION_TOKEN`; nothing here ever takes a credential, so no snippet can carry one.
 */

export const TOKEN_ENV_VAR = 'ASTRA_DB_APPLICATION_TOKEN';

export interface DriverSnippetInput {
  /** The bundle's file name as saved next to the code, e.g. `secure-connect-orders.zip`. */
  fileName: string;
  /** Used only when it is a valid CQL keyspace name; otherwise the snippets connect without one. */
  keyspace?: string;
  dbName: string;
}

export interface DriverSnippets {
  cqlsh: string;
  python: string;
  java: string;
  nodejs: string;
}

/** Astra keyspace names: letters, digits and underscores, 48 at most, starting with a letter. */
const KEYSPACE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

export function isKeyspaceName(value: unknown): value is string {
  return typeof value === 'string' && KEYSPACE_PATTERN.test(value);
}

/**
 * A file name every shell and every language's string literal takes as is: letters and digits in any script,
 * `.`, `_` and `-`; anything else becomes `_`. Keeps `.zip`, and never starts with a dot.
 */
export function portableFileName(name: string, fallback = 'secure-connect.zip'): string {
  const base = name.normalize('NFC').split(/[\\/]/).pop() ?? '';
  const cleaned = base
    .replace(/[^\p{L}\p{N}._-]/gu, '_')
    .replace(/^[._-]+/, '')
    .slice(0, 120);
  if (!cleaned || !/\.zip$/i.test(cleaned)) return cleaned ? `${cleaned}.zip` : fallback;
  return cleaned;
}

/** The file name Astra gives a database's bundle. */
export function bundleFileNameFor(dbName: string): string {
  return portableFileName(`secure-connect-${dbName}.zip`);
}

/** The database name for comments and titles: nothing that could end a comment, a line or a code span. */
export function labelOf(dbName: string): string {
  return dbName.normalize('NFC').replace(/[^\p{L}\p{N} ._-]/gu, '_').slice(0, 100) || 'database';
}

export function driverSnippets(input: DriverSnippetInput): DriverSnippets {
  const path = `./${portableFileName(input.fileName, bundleFileNameFor(input.dbName))}`;
  const keyspace = isKeyspaceName(input.keyspace) ? input.keyspace : undefined;
  const dbLabel = labelOf(input.dbName);
  const query = 'SELECT release_version FROM system.local';

  const cqlsh = [
    `# Connect to ${dbLabel} with cqlsh (the Astra build: https://downloads.datastax.com/#cqlsh).`,
    `# Set ${TOKEN_ENV_VAR} to your application token first; it never goes into this file.`,
    `cqlsh -b ${path} -u token -p "$${TOKEN_ENV_VAR}"${keyspace ? ` -k ${keyspace}` : ''}`,
    '',
  ].join('\n');

  const python = [
    `# Connect to ${dbLabel}: pip install cassandra-driver`,
    `# Set ${TOKEN_ENV_VAR} to your application token first; it never goes into this file.`,
    'import os',
    '',
    'from cassandra.auth import PlainTextAuthProvider',
    'from cassandra.cluster import Cluster',
    '',
    `cloud_config = {'secure_connect_bundle': '${path}'}`,
    `auth_provider = PlainTextAuthProvider('token', os.environ['${TOKEN_ENV_VAR}'])`,
    'cluster = Cluster(cloud=cloud_config, auth_provider=auth_provider)',
    `session = cluster.connect(${keyspace ? `'${keyspace}'` : ''})`,
    '',
    `row = session.execute('${query}').one()`,
    'print(row[0])',
    'cluster.shutdown()',
    '',
  ].join('\n');

  const java = [
    `// Connect to ${dbLabel}: Java driver 4 (com.datastax.oss:java-driver-core).`,
    `// Set ${TOKEN_ENV_VAR} to your application token first; it never goes into this file.`,
    'import com.datastax.oss.driver.api.core.CqlSession;',
    'import com.datastax.oss.driver.api.core.cql.Row;',
    'import java.nio.file.Paths;',
    '',
    'public class Connect {',
    '  public static void main(String[] args) {',
    '    try (CqlSession session = CqlSession.builder()',
    `        .withCloudSecureConnectBundle(Paths.get("${path}"))`,
    `        .withAuthCredentials("token", System.getenv("${TOKEN_ENV_VAR}"))`,
    ...(keyspace ? [`        .withKeyspace("${keyspace}")`] : []),
    '        .build()) {',
    `      Row row = session.execute("${query}").one();`,
    '      System.out.println(row.getString("release_version"));',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');

  const nodejs = [
    `// Connect to ${dbLabel}: npm install cassandra-driver`,
    `// Set ${TOKEN_ENV_VAR} to your application token first; it never goes into this file.`,
    "const cassandra = require('cassandra-driver');",
    '',
    'const client = new cassandra.Client({',
    `  cloud: { secureConnectBundle: '${path}' },`,
    `  credentials: { username: 'token', password: process.env.${TOKEN_ENV_VAR} },`,
    ...(keyspace ? [`  keyspace: '${keyspace}',`] : []),
    '});',
    '',
    'async function main() {',
    '  await client.connect();',
    `  const rs = await client.execute('${query}');`,
    '  console.log(rs.first().release_version);',
    '  await client.shutdown();',
    '}',
    '',
    'main().catch((error) => {',
    '  console.error(error);',
    '  process.exit(1);',
    '});',
    '',
  ].join('\n');

  return { cqlsh, python, java, nodejs };
}

/** The README that goes next to an exported bundle. */
export function driverReadme(input: DriverSnippetInput): string {
  const snippets = driverSnippets(input);
  const file = portableFileName(input.fileName, bundleFileNameFor(input.dbName));
  const dbLabel = labelOf(input.dbName);
  return [
    `# Connect to ${dbLabel}`,
    '',
    `\`${file}\` is the database's secure connect bundle, byte for byte as Astra served it. Keep it next to the code`,
    'below (or change the path), and keep it private: it holds the client certificate and key.',
    '',
    `Every snippet reads your application token from the environment variable \`${TOKEN_ENV_VAR}\`:`,
    '',
    '```sh',
    `export ${TOKEN_ENV_VAR}='<your application token>'`,
    '```',
    '',
    '## cqlsh',
    '',
    '```sh',
    snippets.cqlsh.trimEnd(),
    '```',
    '',
    '## Python (cassandra-driver)',
    '',
    '```python',
    snippets.python.trimEnd(),
    '```',
    '',
    '## Java (driver 4)',
    '',
    '```java',
    snippets.java.trimEnd(),
    '```',
    '',
    '## Node.js (cassandra-driver)',
    '',
    '```js',
    snippets.nodejs.trimEnd(),
    '```',
    '',
  ].join('\n');
}
