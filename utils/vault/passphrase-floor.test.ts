import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { describe, expect, it } from 'vitest';
import { COMMON_PASSWORDS } from './common-passwords';
import { FLOOR_SCORE, floorScore, isGuessable } from './passphrase-floor';

// The popup's judge, as components/popup/passphrase-strength.ts builds it (every dictionary and keyboard graph).
const popupJudge = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
const popupScore = (text: string) => popupJudge.check(text, ['astra', 'datastax', 'astra companion', 'cassandra']).score;

describe('the background\'s passphrase floor', () => {
  it('carries exactly the head of the popup\'s common-password list, most common first', () => {
    const head = common.dictionary['passwords-common'].slice(0, 2000);
    expect(COMMON_PASSWORDS.split('\n')).toEqual(head);
  });

  it('refuses common passwords and simple patterns of any length', () => {
    for (const weak of ['password1234', 'Password123!', 'P@ssw0rd2024', 'qwertyuiop123', 'iloveyou2024', 'aaaaaaaaaaaa', 'abcdefghijkl', '12345678901', 'sunshine123', 'dragon12345', 'datastax2024']) {
      expect(isGuessable(weak), weak).toBe(true);
    }
  });

  it('lets through what the popup calls strong enough, so the two never disagree that way', () => {
    const words = en.dictionary['wikipedia-en'].slice(2000, 2400);
    const candidates = ['correct horse battery staple', 'Tr0ub4dor&3', 'vivid-otter-kettle-93', 'export passphrase for tests'];
    for (let i = 0; i + 3 < words.length; i += 4) candidates.push(`${words[i]} ${words[i + 1]} ${words[i + 2]}`, `${words[i + 3]}${i}!`);
    const strong = candidates.filter((text) => popupScore(text) >= FLOOR_SCORE);
    expect(strong.length).toBeGreaterThan(50);
    for (const text of strong) expect(floorScore(text), text).toBeGreaterThanOrEqual(FLOOR_SCORE);
  });
});
