import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleFileNameFor, driverReadme, driverSnippets, portableFileName, TOKEN_ENV_VAR } from './driver-snippets';

const TOKEN = `AstraCS:${'a'.repeat(24)}:${'0123456789abcdef'.repeat(4)}`;
const has = (tool: string, args: string[]) => !spawnSync(tool, args).error;

/** Runs a snippet against stand-ins for the driver that print what the real one would receive. */
function run(tool: string, args: string[], cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync(tool, args, { cwd, encoding: 'utf8', env: { ...process.env, [TOKEN_ENV_VAR]: TOKEN, ...env } });
  return { status: result.status, out: result.stdout.trim(), err: result.stderr };
}

describe('driverSnippets', () => {
  const snippets = driverSnippets({ fileName: 'secure-connect-orders.zip', keyspace: 'shop', dbName: 'orders' });

  it('names the saved file and reads the token from the environment, in all four languages', () => {
    expect(snippets.cqlsh).toContain('cqlsh -b ./secure-connect-orders.zip -u token -p "$ASTRA_DB_APPLICATION_TOKEN" -k shop');
    expect(snippets.python).toContain("Cluster(cloud=cloud_config, auth_provider=auth_provider)");
    expect(snippets.python).toContain("{'secure_connect_bundle': './secure-connect-orders.zip'}");
    expect(snippets.python).toContain("PlainTextAuthProvider('token', os.environ['ASTRA_DB_APPLICATION_TOKEN'])");
    expect(snippets.java).toContain('.withCloudSecureConnectBundle(Paths.get("./secure-connect-orders.zip"))');
    expect(snippets.java).toContain('.withAuthCredentials("token", System.getenv("ASTRA_DB_APPLICATION_TOKEN"))');
    expect(snippets.nodejs).toContain("cloud: { secureConnectBundle: './secure-connect-orders.zip' }");
    expect(snippets.nodejs).toContain("credentials: { username: 'token', password: process.env.ASTRA_DB_APPLICATION_TOKEN }");
  });

  it('never holds a token, whatever it is given', () => {
    const hostile = driverSnippets({ fileName: `${TOKEN}.zip`, keyspace: TOKEN, dbName: TOKEN });
    for (const text of [...Object.values(hostile), driverReadme({ fileName: TOKEN, dbName: TOKEN })]) {
      expect(text).not.toContain(TOKEN);
      expect(text).not.toMatch(/AstraCS:/);
    }
  });

  it('leaves out a keyspace that is not a valid name instead of quoting it into code', () => {
    const odd = driverSnippets({ fileName: 'secure-connect-orders.zip', keyspace: "x'); drop --", dbName: 'orders' });
    expect(odd.cqlsh).not.toContain(' -k ');
    expect(odd.python).toContain('session = cluster.connect()');
    expect(odd.java).not.toContain('withKeyspace');
    expect(odd.nodejs).not.toContain('keyspace:');
  });

  it('turns hostile file and database names into plain file names', () => {
    expect(portableFileName('../../etc/passwd')).toBe('passwd.zip');
    expect(portableFileName('secure-connect-my db$(rm -rf ~).zip')).toBe('secure-connect-my_db__rm_-rf___.zip');
    expect(portableFileName("it's\".zip")).toBe('it_s_.zip');
    expect(portableFileName('..')).toBe('secure-connect.zip');
    expect(bundleFileNameFor('Bestellungen-Größe')).toBe('secure-connect-Bestellungen-Größe.zip');
    expect(bundleFileNameFor('Cafe\u0301')).toBe('secure-connect-Caf\u00e9.zip');
    const snippet = driverSnippets({ fileName: "a'b\";`$x\n.zip", dbName: "evil'\n*/ db" });
    expect(snippet.python).toContain("'./a_b____x_.zip'");
    expect(snippet.java).not.toContain('*/');
  });

  it.skipIf(!has('bash', ['--version']))('cqlsh: the shell passes the bundle and the token from the environment', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippet-cqlsh-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'cqlsh'), '#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n');
    chmodSync(join(dir, 'bin', 'cqlsh'), 0o755);
    writeFileSync(join(dir, 'connect.sh'), snippets.cqlsh);
    const result = run('bash', ['connect.sh'], dir, { PATH: `${join(dir, 'bin')}:${process.env.PATH}` });
    expect(result.status).toBe(0);
    expect(result.out.split('\n')).toEqual(['-b', './secure-connect-orders.zip', '-u', 'token', '-p', TOKEN, '-k', 'shop']);
  });

  it.skipIf(!has('python3', ['--version']))('Python: runs against a stand-in cassandra-driver and passes what the driver needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippet-python-'));
    mkdirSync(join(dir, 'cassandra'));
    writeFileSync(join(dir, 'cassandra', '__init__.py'), '');
    writeFileSync(
      join(dir, 'cassandra', 'auth.py'),
      'class PlainTextAuthProvider:\n    def __init__(self, username, password):\n        self.username, self.password = username, password\n',
    );
    writeFileSync(
      join(dir, 'cassandra', 'cluster.py'),
      [
        'class _Rows:',
        '    def one(self):',
        "        return ['4.0.11']",
        'class _Session:',
        '    def execute(self, query):',
        '        return _Rows()',
        'class Cluster:',
        '    def __init__(self, cloud=None, auth_provider=None):',
        "        print(cloud['secure_connect_bundle'])",
        '        print(auth_provider.username)',
        '        print(auth_provider.password)',
        '    def connect(self, keyspace=None):',
        '        print(keyspace)',
        '        return _Session()',
        '    def shutdown(self):',
        '        pass',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'connect.py'), snippets.python);
    const result = run('python3', ['connect.py'], dir, { PYTHONPATH: dir });
    expect(result.err).toBe('');
    expect(result.out.split('\n')).toEqual(['./secure-connect-orders.zip', 'token', TOKEN, 'shop', '4.0.11']);
  });

  it.skipIf(!has('node', ['--version']))('Node.js: runs against a stand-in cassandra-driver and passes what the driver needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippet-node-'));
    mkdirSync(join(dir, 'node_modules', 'cassandra-driver'), { recursive: true });
    writeFileSync(
      join(dir, 'node_modules', 'cassandra-driver', 'index.js'),
      [
        'exports.Client = class {',
        '  constructor(options) { console.log(JSON.stringify(options)); }',
        '  async connect() {}',
        "  async execute() { return { first: () => ({ release_version: '4.0.11' }) }; }",
        '  async shutdown() {}',
        '};',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'connect.js'), snippets.nodejs);
    const result = run('node', ['connect.js'], dir);
    expect(result.status).toBe(0);
    const [options, version] = result.out.split('\n');
    expect(JSON.parse(options!)).toEqual({
      cloud: { secureConnectBundle: './secure-connect-orders.zip' },
      credentials: { username: 'token', password: TOKEN },
      keyspace: 'shop',
    });
    expect(version).toBe('4.0.11');
  });

  it.skipIf(!has('javac', ['-version']))('Java: compiles against the driver 4 API shape and passes what the driver needs', () => {
    const dir = mkdtempSync(join(tmpdir(), 'snippet-java-'));
    const api = join(dir, 'com', 'datastax', 'oss', 'driver', 'api', 'core');
    mkdirSync(join(api, 'cql'), { recursive: true });
    writeFileSync(
      join(api, 'CqlSession.java'),
      [
        'package com.datastax.oss.driver.api.core;',
        'import com.datastax.oss.driver.api.core.cql.Row;',
        'public class CqlSession implements AutoCloseable {',
        '  public static Builder builder() { return new Builder(); }',
        '  public static class Builder {',
        '    public Builder withCloudSecureConnectBundle(java.nio.file.Path path) { System.out.println(path); return this; }',
        '    public Builder withAuthCredentials(String user, String password) { System.out.println(user); System.out.println(password); return this; }',
        '    public Builder withKeyspace(String keyspace) { System.out.println(keyspace); return this; }',
        '    public CqlSession build() { return new CqlSession(); }',
        '  }',
        '  public Result execute(String query) { return new Result(); }',
        '  public static class Result { public Row one() { return new Row(); } }',
        '  public void close() {}',
        '}',
      ].join('\n'),
    );
    writeFileSync(
      join(api, 'cql', 'Row.java'),
      'package com.datastax.oss.driver.api.core.cql;\npublic class Row { public String getString(String column) { return "4.0.11"; } }\n',
    );
    writeFileSync(join(dir, 'Connect.java'), snippets.java);
    const compiled = spawnSync('javac', ['-d', 'out', '-sourcepath', '.', 'Connect.java'], { cwd: dir, encoding: 'utf8' });
    expect(compiled.stderr).toBe('');
    const result = run('java', ['-cp', 'out', 'Connect'], dir);
    expect(result.out.split('\n')).toEqual(['./secure-connect-orders.zip', 'token', TOKEN, 'shop', '4.0.11']);
  }, 60_000);
});

describe('driverReadme', () => {
  it('explains the file, the variable and carries all four snippets', () => {
    const readme = driverReadme({ fileName: 'secure-connect-orders.zip', keyspace: 'shop', dbName: 'orders' });
    expect(readme).toContain('`secure-connect-orders.zip`');
    expect(readme).toContain("export ASTRA_DB_APPLICATION_TOKEN='<your application token>'");
    for (const fence of ['```sh', '```python', '```java', '```js']) expect(readme).toContain(fence);
    expect(readme.split('```').length % 2).toBe(1);
  });
});
