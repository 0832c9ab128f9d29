/**
 * The background's own passphrase check, behind the popup's (zxcvbn with every dictionary, score 3 or more): a
 * request that skipped the popup, or a popup that failed to load its dictionaries, still cannot set a guessable
 * passphrase. A service worker cannot `import()` lazily, and 1.6 MB of dictionaries would be parsed on every wake-up,
 * so this runs zxcvbn's core (repeats, sequences, dates, l33t, reversed words, brute force) with only the 2,000 most
 * common passwords. Fewer dictionaries can only raise zxcvbn's guess count, so what the popup accepts passes here too.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { COMMON_PASSWORDS } from './common-passwords';

/** zxcvbn's 3, as in the popup: about 10^10 guesses, "safely unguessable" against an offline slow-hash attack. */
export const FLOOR_SCORE = 3;
/** The words the popup also counts as known: the product's own names. */
const KNOWN_WORDS = ['astra', 'datastax', 'astra companion', 'cassandra'];
/** zxcvbn's cost grows with length; the popup judges the first 256 characters too. */
const JUDGED_LENGTH = 256;

let judge: ZxcvbnFactory | undefined;

/** zxcvbn's score (0 to 4) for `passphrase`, built on first use: never at a service worker's wake-up. */
export function floorScore(passphrase: string): number {
  judge ??= new ZxcvbnFactory({ dictionary: { 'passwords-common': COMMON_PASSWORDS.split('\n') } });
  return judge.check(passphrase.slice(0, JUDGED_LENGTH), KNOWN_WORDS).score;
}

export function isGuessable(passphrase: string): boolean {
  return floorScore(passphrase) < FLOOR_SCORE;
}
