import { describe, expect, it } from 'vitest';
import { PAIR_A, PAIR_B } from '../../tests/unit/fixtures/token-pairs';
import { parseTokenFile } from './token-file';
import { verifyTokenSecret } from './token';

const A = PAIR_A;
const B = PAIR_B;

const q = (cells: string[]) => cells.map((c) => `"${c}"`).join(',');

describe('parseTokenFile: GeneratedToken.csv', () => {
  it('reads the Client Id, Client Secret, Role, Token order', () => {
    const csv = [q(['Client Id', 'Client Secret', 'Role', 'Token']), q([A.clientId, A.secret, 'Organization Administrator', A.token])].join('\n');
    expect(parseTokenFile(csv, 'GeneratedToken.csv')).toEqual({
      ok: true,
      value: [{ clientId: A.clientId, secret: A.secret, token: A.token, role: 'Organization Administrator' }],
    });
  });

  it('reads the Client Id, Client Secret, Token, Role order with CRLF, a BOM and a final line end', () => {
    const csv = `\uFEFF${[q(['Client Id', 'Client Secret', 'Token', 'Role']), q([A.clientId, A.secret, A.token, 'R/W User']), q([B.clientId, B.secret, B.token, 'RO Svc Acct'])].join('\r\n')}\r\n`;
    const result = parseTokenFile(csv);
    expect(result).toEqual({
      ok: true,
      value: [
        { clientId: A.clientId, secret: A.secret, token: A.token, role: 'R/W User' },
        { clientId: B.clientId, secret: B.secret, token: B.token, role: 'RO Svc Acct' },
      ],
    });
  });

  it('gives back secrets that still match their tokens, commas and leading dash included', async () => {
    const csv = [q(['Client Id', 'Client Secret', 'Role', 'Token']), q([B.clientId, B.secret, '', B.token])].join('\n');
    const result = parseTokenFile(csv);
    expect(result.ok && result.value[0]).toEqual({ clientId: B.clientId, secret: B.secret, token: B.token });
    if (result.ok) expect(await verifyTokenSecret(result.value[0]!.token, result.value[0]!.secret)).toBe('match');
  });

  it("takes back a spreadsheet's quote before a secret starting with a dash", () => {
    const csv = [q(['Client Id', 'Client Secret', 'Role', 'Token']), q([B.clientId, `'${B.secret}`, "'=cmd", B.token])].join('\n');
    expect(parseTokenFile(csv)).toEqual({ ok: true, value: [{ clientId: B.clientId, secret: B.secret, token: B.token, role: '=cmd' }] });
  });
});

describe('parseTokenFile: token JSON', () => {
  it('reads <org>-token.json {clientID, clientSecret, token}', () => {
    const json = JSON.stringify({ clientID: A.clientId, clientSecret: A.secret, token: A.token }, null, 2);
    expect(parseTokenFile(json, 'my-org-token.json')).toEqual({ ok: true, value: [{ clientId: A.clientId, secret: A.secret, token: A.token }] });
  });

  it('reads <db>-token.json {clientId, secret, token}', () => {
    const json = JSON.stringify({ clientId: B.clientId, secret: B.secret, token: B.token });
    expect(parseTokenFile(json, 'vectors-token.json')).toEqual({ ok: true, value: [{ clientId: B.clientId, secret: B.secret, token: B.token }] });
  });
});

describe('parseTokenFile: problems', () => {
  const header = q(['Client Id', 'Client Secret', 'Role', 'Token']);
  it.each([
    ['an empty file', '  \n', 'empty-file'],
    ['a CSV with other columns', `${q(['Name', 'Value'])}\n${q(['a', 'b'])}`, 'unknown-format'],
    ['a secure connect bundle config', JSON.stringify({ host: 'x.db.astra.datastax.com', port: 29080 }), 'unknown-format'],
    ['JSON cut short', `{"clientId": "${A.clientId}", "secret": "`, 'invalid-json'],
    ['a CSV with an unclosed quote', `${header}\n"${A.clientId}","${A.secret},"R","${A.token}"`, 'invalid-csv'],
    ['a header without rows', header, 'no-tokens'],
    ['a broken token', `${header}\n${q([A.clientId, A.secret, 'R', A.token.slice(0, -1)])}`, 'invalid-token'],
    ['a shortened secret', `${header}\n${q([A.clientId, A.secret.slice(0, 100), 'R', A.token])}`, 'invalid-secret'],
    ['rows paired wrongly', `${header}\n${q([B.clientId, A.secret, 'R', A.token])}`, 'client-id-mismatch'],
    ['an empty JSON list', '[]', 'no-tokens'],
    ['a JSON list of strings', `["${A.token}"]`, 'unknown-format'],
  ])('reports %s', (_, text, code) => {
    const result = parseTokenFile(text, 'GeneratedToken.csv');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe(code);
      expect(result.error.hint.length).toBeGreaterThan(10);
      for (const secretPart of [A.secret.slice(0, 20), A.token.slice(33, 50)]) {
        expect(JSON.stringify(result.error)).not.toContain(secretPart);
      }
    }
  });

  it('names the row that is wrong', () => {
    const csv = `${header}\n${q([A.clientId, A.secret, 'R', A.token])}\n${q([B.clientId, 'not-a-secret', 'R', B.token])}`;
    const result = parseTokenFile(csv, 'GeneratedToken.csv');
    expect(result.ok ? '' : result.error.message).toBe('The file "GeneratedToken.csv", row 2: the client secret is not an Astra client secret.');
  });
});
