/**
 * How hard a passphrase is to guess, by zxcvbn-ts (dictionaries, names, keyboard walks, dates, l33t): length alone
 * calls "Password1!" fine. Its dictionaries weigh hundreds of KB, so they load only where a passphrase is typed
 * (a dynamic import: the popup's first screen never pays for it), once per popup.
 */
import type { ZxcvbnResult } from '@zxcvbn-ts/core';
import { useEffect, useState } from 'preact/hooks';

/** zxcvbn's 3: "safely unguessable: moderate protection from offline slow-hash scenario" (about 10^10 guesses). */
export const STRONG_ENOUGH = 3;

export interface PassphraseStrength {
  score: 0 | 1 | 2 | 3 | 4;
  label: string;
  /** zxcvbn's warning and first suggestion, in plain English, when there are any. */
  advice: string;
  strongEnough: boolean;
}

const LABELS = ['very weak', 'weak', 'fair', 'strong', 'very strong'] as const;

let judge: Promise<(text: string) => ZxcvbnResult> | undefined;

export function loadPassphraseJudge(): Promise<(text: string) => ZxcvbnResult> {
  // English words, first names and Wikipedia's words; not the 473 KB of last names (a quarter of the packed
  // extension): a surname alone in a passphrase is still caught by the common-password and Wikipedia lists.
  judge ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en/dist/commonWords.json.mjs'),
    import('@zxcvbn-ts/language-en/dist/firstnames.json.mjs'),
    import('@zxcvbn-ts/language-en/dist/wikipedia.json.mjs'),
    import('@zxcvbn-ts/language-en/dist/wordSequences.json.mjs'),
    import('@zxcvbn-ts/language-en/dist/translations.mjs'),
  ]).then(([core, common, commonWords, firstnames, wikipedia, wordSequences, translations]) => {
    const zxcvbn = new core.ZxcvbnFactory({
      dictionary: {
        ...common.dictionary,
        'commonWords-en': commonWords.default,
        'firstnames-en': firstnames.default,
        'wikipedia-en': wikipedia.default,
        ...wordSequences.default,
      },
      graphs: common.adjacencyGraphs,
      translations: translations.default,
    });
    return (text: string) => zxcvbn.check(text, ['astra', 'datastax', 'astra companion', 'cassandra']);
  });
  return judge;
}

export async function judgePassphrase(text: string): Promise<PassphraseStrength> {
  const result = (await loadPassphraseJudge())(text.slice(0, 256));
  const advice = [result.feedback.warning, result.feedback.suggestions[0]].filter(Boolean).join(' ');
  return { score: result.score, label: LABELS[result.score], advice, strongEnough: result.score >= STRONG_ENOUGH };
}

/**
 * The strength of what is being typed, once it is `minLength` long; null while too short or being judged. The
 * estimator loads on the first judgement (a dynamic import), so a view that never gets a passphrase never pays.
 */
export function usePassphraseStrength(text: string, minLength: number): PassphraseStrength | null {
  const [strength, setStrength] = useState<{ text: string; judged: PassphraseStrength } | null>(null);
  useEffect(() => {
    let live = true;
    if (text.length >= minLength) void judgePassphrase(text).then((judged) => live && setStrength({ text, judged }), () => {});
    return () => void (live = false);
  }, [text, minLength]);
  return strength?.text === text ? strength.judged : null;
}
