import { describe, expect, it } from 'vitest';
import { PAIR_A, PAIR_B } from '../../tests/unit/fixtures/token-pairs';
import { clientIdOf, isClientId, isSecret, isToken, maskToken, parseToken, verifyTokenSecret } from './token';

const PAIR = PAIR_A;
const DASH_SECRET = PAIR_B.secret;
const DASH_TOKEN = PAIR_B.token;

describe('parseToken', () => {
  it('splits a token into client id and secret hash', () => {
    expect(parseToken(PAIR.token)).toEqual({
      ok: true,
      value: { token: PAIR.token, clientId: PAIR.clientId, secretHash: PAIR.token.slice(33) },
    });
    expect(PAIR.token).toHaveLength(97);
    expect(clientIdOf(PAIR.token)).toBe(PAIR.clientId);
  });

  it.each([
    ['empty', ''],
    ['wrong prefix', PAIR.token.replace('AstraCS:', 'AstraCs:')],
    ['uppercase hex', PAIR.token.toUpperCase().replace('ASTRACS:', 'AstraCS:')],
    ['client id too short', PAIR.token.replace('A3v47', 'A3v4')],
    ['hash too long', `${PAIR.token}0`],
    ['surrounding space', ` ${PAIR.token}`],
    ['non-ASCII client id', PAIR.token.replace('A3v47', 'Ä3v47')],
    ['not a string', 42],
  ])('refuses %s', (_, input) => {
    const result = parseToken(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('not-a-token');
      expect(result.error.message).not.toContain('AstraCS:A3v');
    }
    expect(isToken(input)).toBe(false);
  });
});

describe('isSecret and isClientId', () => {
  it('accepts 128 characters from the secret alphabet, including a leading dash', () => {
    expect(isSecret(PAIR.secret)).toBe(true);
    expect(isSecret(DASH_SECRET)).toBe(true);
  });

  it('refuses other lengths and characters', () => {
    expect(isSecret(PAIR.secret.slice(1))).toBe(false);
    expect(isSecret(`${PAIR.secret}a`)).toBe(false);
    expect(isSecret(PAIR.secret.replace('b', '"'))).toBe(false);
    expect(isSecret(PAIR.secret.replace('b', '='))).toBe(false);
    expect(isSecret(PAIR.secret.replace('b', ' '))).toBe(false);
    expect(isSecret(undefined)).toBe(false);
  });

  it('knows a client id', () => {
    expect(isClientId(PAIR.clientId)).toBe(true);
    expect(isClientId(`${PAIR.clientId}x`)).toBe(false);
    expect(isClientId(PAIR.clientId.replace('A', '-'))).toBe(false);
  });
});

describe('verifyTokenSecret', () => {
  it('matches a secret to its own token', async () => {
    expect(await verifyTokenSecret(PAIR.token, PAIR.secret)).toBe('match');
    expect(await verifyTokenSecret(DASH_TOKEN, DASH_SECRET)).toBe('match');
  });

  it('tells a secret from another token apart', async () => {
    expect(await verifyTokenSecret(DASH_TOKEN, PAIR.secret)).toBe('mismatch');
    expect(await verifyTokenSecret(PAIR.token, PAIR.secret.replace('b', 'c'))).toBe('mismatch');
    expect(await verifyTokenSecret('AstraCS:junk', PAIR.secret)).toBe('mismatch');
    expect(await verifyTokenSecret(PAIR.token, '')).toBe('mismatch');
  });
});

describe('masks', () => {
  it('shows only the first 4 of the client id and the last 4 of the hash', () => {
    expect(maskToken(PAIR.token)).toBe('AstraCS:A3v4…:…e6ed');
  });

  it('shows nothing of a string that is not a token', () => {
    expect(maskToken('AstraCS:some-leaked-text')).toBe('AstraCS:…');
  });

});
