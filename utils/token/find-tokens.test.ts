import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PAIR_A, PAIR_B } from '../../tests/unit/fixtures/token-pairs';
import { findTokens, mightContainTokens } from './find-tokens';
import { isSecret, parseToken } from './token';

const A = PAIR_A;
const B = PAIR_B;
const ORG = 'f2cbd4b3-7f5e-4a5e-9b9d-2c1a64a3a0e1';
const ROLE_ID = '4e52b3b0-1c17-4f5a-9d4b-3d3c1a1b2c3d';

describe('findTokens in DevOps API responses', () => {
  it('takes everything from POST /v2/clientIdSecrets', () => {
    const body = JSON.stringify({
      clientId: A.clientId,
      orgId: ORG,
      secret: A.secret,
      token: A.token,
      generatedOn: '2024-05-14T09:21:43.123Z',
      roles: [ROLE_ID],
    });
    expect(findTokens(body)).toEqual([
      { token: A.token, clientId: A.clientId, secret: A.secret, orgId: ORG, roles: [ROLE_ID], generatedOn: '2024-05-14T09:21:43.123Z', source: 'rest' },
    ]);
  });

  it('keeps the token but drops fields that fail validation', () => {
    const body = JSON.stringify({
      clientId: A.clientId,
      orgId: 'not-an-org',
      secret: A.secret.slice(1),
      token: A.token,
      generatedOn: 'yesterday-ish',
      roles: ['R/W User', 42, '<img src=x onerror=alert(1)>', ''],
      role: 'x'.repeat(201),
    });
    expect(findTokens(body)).toEqual([{ token: A.token, clientId: A.clientId, roles: ['R/W User'], source: 'rest' }]);
  });

  it('trusts nothing beside a token in an object that names another client', () => {
    const body = JSON.stringify({ clientId: B.clientId, secret: A.secret, token: A.token, orgId: ORG });
    expect(findTokens(body)).toEqual([{ token: A.token, clientId: A.clientId, source: 'rest' }]);
  });
});

describe('findTokens in console GraphQL responses', () => {
  it('finds the token of generateToken', () => {
    const body = JSON.stringify({ data: { generateToken: { token: A.token, __typename: 'GenerateTokenPayload' } } });
    expect(findTokens(body)).toEqual([{ token: A.token, clientId: A.clientId, source: 'graphql' }]);
  });

  it('finds tokens in batched responses, once each', () => {
    const body = JSON.stringify([
      { data: { generateToken: { token: A.token } } },
      { data: { generateToken: { token: B.token } } },
      { data: { generateToken: { token: A.token } } },
    ]);
    expect(findTokens(body).map((c) => [c.token, c.source])).toEqual([
      [A.token, 'graphql'],
      [B.token, 'graphql'],
    ]);
  });
});

describe('findTokens in page text', () => {
  it('pairs the 2023 "Token Details" JSON block (clientID, clientSecret, token)', () => {
    const page = `Token Details\nCopy these values now.\n{\n  "clientID": "${A.clientId}",\n  "clientSecret": "${A.secret}",\n  "token": "${A.token}"\n}\nDownload Token Details`;
    expect(findTokens(page)).toEqual([{ token: A.token, clientId: A.clientId, secret: A.secret, source: 'text' }]);
  });

  it('pairs each JSON block with its own secret when a page holds two', () => {
    const block = (t: typeof A) => `{ "clientId": "${t.clientId}", "secret": "${t.secret}", "token": "${t.token}" }`;
    const page = `Connect: ${block(A)} and later ${block(B)} done`;
    expect(findTokens(page)).toEqual([
      { token: A.token, clientId: A.clientId, secret: A.secret, source: 'text' },
      { token: B.token, clientId: B.clientId, secret: B.secret, source: 'text' },
    ]);
  });

  it('reads a Connect-tab block carried as a JSON string inside a response', () => {
    const inner = JSON.stringify({ clientId: B.clientId, secret: B.secret, token: B.token });
    const body = JSON.stringify({ result: { payload: inner } });
    expect(findTokens(body)).toEqual([{ token: B.token, clientId: B.clientId, secret: B.secret, source: 'text' }]);
  });

  it('reads labelled fields without braces when the page holds a single token', () => {
    const page = `Client ID\n${A.clientId}\nClient Secret\n${A.secret}\nToken\n${A.token}\nThese are shown only once.`;
    expect(findTokens(page)).toEqual([{ token: A.token, clientId: A.clientId, secret: A.secret, source: 'text' }]);
  });

  it('does not pair a secret when the block names another client id', () => {
    const page = `Token Details { "clientID": "${B.clientId}", "clientSecret": "${A.secret}", "token": "${A.token}" }`;
    expect(findTokens(page)).toEqual([{ token: A.token, clientId: A.clientId, source: 'text' }]);
  });

  it('finds the newest console\'s bare token', () => {
    expect(findTokens(`Your token: ${A.token} (shown once)`)).toEqual([{ token: A.token, clientId: A.clientId, source: 'text' }]);
  });
});

describe('findTokens on junk', () => {
  it.each([
    ['uppercase hex', A.token.slice(0, 33) + A.token.slice(33).toUpperCase()],
    ['63 hex characters', A.token.slice(0, -1)],
    ['65 hex characters', `${A.token}a`],
    ['23-character client id', A.token.replace('A3v47', 'A3v4')],
    ['a token followed by letters', `${A.token}zz`],
  ])('finds nothing in %s', (_, text) => {
    expect(findTokens(`{"token":"${text}"}`)).toEqual([]);
    expect(findTokens(`token ${text} end`)).toEqual([]);
  });

  it('agrees with parseToken and isSecret on what a token and a secret are', () => {
    const candidates = [A.token, B.token, A.token.replace('8ea6', '8EA6'), A.token.replace(':', ';'), `${A.token.slice(0, 40)}`];
    const secrets = [A.secret, B.secret, A.secret.slice(2), `${A.secret}x`, A.secret.replace('b', '/')];
    for (const token of candidates) {
      for (const secret of secrets) {
        const found = findTokens(JSON.stringify({ token, secret }));
        expect(found.length).toBe(parseToken(token).ok ? 1 : 0);
        if (found[0]) expect(found[0].secret !== undefined).toBe(isSecret(secret));
      }
    }
  });

  it('skips texts over 5 MB and texts without the prefix', () => {
    expect(findTokens(`${A.token} ${' '.repeat(5 * 1024 * 1024)}`)).toEqual([]);
    expect(mightContainTokens('{"clients":[]}')).toBe(false);
    expect(mightContainTokens(`"${A.token}"`)).toBe(true);
    expect(findTokens(undefined)).toEqual([]);
  });

  it('survives very deep JSON and still finds the token by pattern', () => {
    const deep = `${'['.repeat(100_000)}"${A.token}"${']'.repeat(100_000)}`;
    expect(findTokens(deep).map((c) => c.token)).toEqual([A.token]);
  });

  it('never throws and returns only well-formed tokens, whatever the text', () => {
    const piece = fc.oneof(
      fc.string(),
      fc.constantFrom(A.token, B.token, A.secret, '"clientSecret":"', '{', '}', '"token":', 'AstraCS:', '\\"', '&quot;', '[', ']'),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const found = findTokens(pieces.join(''));
        for (const capture of found) {
          expect(parseToken(capture.token).ok).toBe(true);
          if (capture.secret !== undefined) expect(isSecret(capture.secret)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });
});
