import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { tokensToConsoleCsv, tokenToJson } from './token-csv';
import { parseTokenFile } from './token-file';
import { verifyTokenSecret } from './token';

// Pairs generated like Astra's: each token's hex part is sha256 of its secret.
const A = {
  clientId: 'A3v47OYvKcCwjmmi7xOc1Y36',
  secret: 'bnNyNRpSZBvI,i.4a94z54KauMx4JuZ,4aTgNw0IO.Lg1E.E3H,IgYgymT655wdWbzPjC9Eaym.ZSXKfz-PXm9Kcumu9dC2tV8P3br_zxvwe3dN3YFAsPR1aR0n99_++',
  token: 'AstraCS:A3v47OYvKcCwjmmi7xOc1Y36:8ea6c8e7dd2f6f78d36cea947109808c942cef13e708d1e2ebef9d8efae5e6ed',
};
const DASH = {
  clientId: 'nYTOQvsFVwameGuckyAhfRTR',
  secret: '-,CZLE,JGLJojg__NR6SjqT36tSuEh+VhJh5sJu_vSDx_iz3jo1GILB8TFJBv0uUDUg30QoJur5OvL5xNRkNkTH4pTlpD_xx.hLGD5vI33pYABVNupXBjQB+3Xs.ZaXQ',
  token: 'AstraCS:nYTOQvsFVwameGuckyAhfRTR:3aa748245386ca1de6ed7e131fbf31eac74e1b43f62ba3d769ee8077e22015cd',
};
const PLUS = {
  clientId: 'BbILym8wI5EXJ3nIhS7BFqkA',
  secret: '+6ge+1wFQLeRVzH9X3Op3n_GQHSJvW8Q71m0WkU5l4dfCluXRc,s24xWrCgBfwTigCYCOeVh52YBG3YjGYOSeN,QMPXGsxtFj4CdBqs7Cj+PYuE91gAjIfS1pVGR,9fQ',
  token: 'AstraCS:BbILym8wI5EXJ3nIhS7BFqkA:18acaa6573ed44d8f4c5377cc370a244d4c24fe444b364889086bc000f908f19',
};

describe('tokensToConsoleCsv', () => {
  it("writes the console's GeneratedToken.csv layout: quoted header and fields, LF, no final line end", () => {
    expect(tokensToConsoleCsv([{ ...A, role: 'Organization Administrator' }])).toBe(
      `"Client Id","Client Secret","Role","Token"\n"${A.clientId}","${A.secret}","Organization Administrator","${A.token}"`,
    );
  });

  it('round-trips 128-character secrets with commas, a leading dash or plus, and roles with quotes', async () => {
    const tokens = [
      { ...A, role: 'R/W "Svc", Acct' },
      { ...DASH, role: 'RO User' },
      { ...PLUS, role: 'Database Administrator' },
    ];
    const parsed = parseTokenFile(tokensToConsoleCsv(tokens), 'GeneratedToken.csv');
    expect(parsed).toEqual({ ok: true, value: tokens });
    for (const t of parsed.ok ? parsed.value : []) expect(await verifyTokenSecret(t.token, t.secret)).toBe('match');
  });

  it('keeps secrets starting with - or + usable: no quote added in front', () => {
    const csv = tokensToConsoleCsv([DASH, PLUS]);
    expect(csv).toContain(`,"${DASH.secret}",`);
    expect(csv).toContain(`,"${PLUS.secret}",`);
    expect(Papa.parse<string[]>(csv).data[1]?.[1]).toBe(DASH.secret);
  });

  it.each([
    ['a formula followed by a line break', '=HYPERLINK("https://evil.example","Click")\nfoo'],
    ['a plus command', "+cmd|' /C calc'!A0"],
    ['a minus sum', '-2+3+cmd|x'],
    ['an at function', '@SUM(1+1)*cmd|x'],
    ['a leading tab', '\t=1+1'],
    ['a leading carriage return', '\r=1+1'],
  ])('neutralizes a role that is %s', (_, role) => {
    const csv = tokensToConsoleCsv([{ ...A, role }]);
    const cell = Papa.parse<string[]>(csv).data[1]?.[2];
    expect(cell).toBe(`'${role}`);
  });

  it('gets back the original role when reading our own file', () => {
    const role = '=HYPERLINK("https://evil.example","Click")\nfoo';
    const parsed = parseTokenFile(tokensToConsoleCsv([{ ...A, role }]));
    expect(parsed.ok && parsed.value[0]?.role).toBe(role);
  });

  it('neutralizes a secret or client id that is not a real one', () => {
    const csv = tokensToConsoleCsv([{ token: A.token, clientId: '=1+1', secret: '-2+3+cmd|x' }]);
    const row = Papa.parse<string[]>(csv).data[1];
    expect(row?.slice(0, 2)).toEqual(["'=1+1", "'-2+3+cmd|x"]);
  });

  it('leaves the secret cell empty for a token captured without its secret', () => {
    expect(tokensToConsoleCsv([{ token: A.token }]).split('\n')[1]).toBe(`"${A.clientId}","","","${A.token}"`);
  });

  it('writes just the header for no tokens', () => {
    expect(tokensToConsoleCsv([])).toBe('"Client Id","Client Secret","Role","Token"');
  });
});

describe('tokenToJson', () => {
  it("writes the organization file {clientID, clientSecret, token} and reads back", () => {
    const json = tokenToJson(DASH);
    expect(Object.keys(JSON.parse(json))).toEqual(['clientID', 'clientSecret', 'token']);
    expect(parseTokenFile(json, 'org-token.json')).toEqual({ ok: true, value: [DASH] });
  });

  it("writes the database file {clientId, secret, token} and reads back", () => {
    const json = tokenToJson(PLUS, 'database');
    expect(JSON.parse(json)).toEqual({ clientId: PLUS.clientId, secret: PLUS.secret, token: PLUS.token });
    expect(parseTokenFile(json, 'db-token.json')).toEqual({ ok: true, value: [PLUS] });
  });
});
