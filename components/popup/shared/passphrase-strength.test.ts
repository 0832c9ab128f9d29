import { describe, expect, it } from 'vitest';
import { judgePassphrase } from './passphrase-strength';

describe('judgePassphrase', () => {
  it.each(['password', 'Password1!', 'astracompanion', 'qwertyuiop', '12345678', 'datastax2026'])('%s: long enough by length, too weak by guessing', async (text) => {
    const strength = await judgePassphrase(text);
    expect(strength.strongEnough).toBe(false);
  });

  it('a few unrelated words are strong', async () => {
    expect(await judgePassphrase('velvet tractor oboe lighthouse')).toMatchObject({ strongEnough: true });
  });

  it('says why a weak one is weak', async () => {
    const strength = await judgePassphrase('Password1!');
    expect(strength.advice.length).toBeGreaterThan(0);
    expect(['very weak', 'weak', 'fair']).toContain(strength.label);
  });
});
