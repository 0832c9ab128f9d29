/**
 * What a token card does with the secret: reveal it for REVEAL_MS (hidden again at once when the vault locks),
 * copy the token or the secret, save the token file. The plaintext comes from the background each time and stays
 * in this card only while revealed; every action ends in a message or a problem the card shows.
 */
import { useEffect, useState } from 'preact/hooks';
import { describeSave } from '@/utils/downloads/save-outcome-text';
import type { Problem } from '@/utils/shared/result';
import { REVEAL_MS, type Busy, type Revealed, type ShownToken, type TokenListActions } from './token-card-types';

export function useTokenSecret(token: ShownToken, locked: boolean, actions: TokenListActions) {
  const [revealed, setRevealed] = useState<{ value: Revealed; at: number } | null>(null);
  const [busy, setBusy] = useState<Busy>(null);
  const [copied, setCopied] = useState<'token' | 'secret' | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (!revealed) return;
    const timer = setTimeout(() => setRevealed(null), REVEAL_MS);
    return () => clearTimeout(timer);
  }, [revealed]);

  // Locking (by hand or auto-lock) hides whatever was shown.
  useEffect(() => {
    if (locked) setRevealed(null);
  }, [locked]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(timer);
  }, [copied]);

  const run = async (kind: Exclude<Busy, null>, work: () => Promise<void>) => {
    setBusy(kind);
    setProblem(null);
    setMessage(null);
    try {
      await work();
    } catch {
      setProblem({ code: 'popup-error', message: 'That did not work.', hint: 'Try again; if it keeps failing, reopen the popup.' });
    } finally {
      setBusy(null);
    }
  };

  /** The plaintext, from what is shown or freshly from the vault; kept only in this call unless revealed. */
  const plaintext = async (): Promise<Revealed | null> => {
    if (revealed) return revealed.value;
    const answer = await actions.reveal(token.id);
    if (!answer.ok) {
      setProblem(answer.error);
      return null;
    }
    return answer.value;
  };

  const toggleReveal = () =>
    run('reveal', async () => {
      if (revealed) {
        setRevealed(null);
        return;
      }
      const value = await plaintext();
      if (value) setRevealed({ value, at: Date.now() });
    });

  const copy = (what: 'token' | 'secret') =>
    run(what === 'token' ? 'copy-token' : 'copy-secret', async () => {
      const value = await plaintext();
      if (!value) return;
      const text = what === 'token' ? value.token : value.secret;
      if (!text) {
        setProblem({ code: 'no-secret', message: 'No secret is kept for this token.', hint: 'Only the token was captured; use it with the username "token".' });
        return;
      }
      try {
        await actions.copy(text);
      } catch {
        setProblem({
          code: 'clipboard',
          message: 'The browser did not let Astra Companion use the clipboard.',
          hint: 'Click inside the popup and try again.',
        });
        return;
      }
      setCopied(what);
      setMessage(`${what === 'token' ? 'Token' : 'Secret'} copied.`);
    });

  const download = (format: 'csv' | 'json') =>
    run(format, async () => {
      const answer = await actions.saveFile(token.id, format);
      if (!answer.ok) setProblem(answer.error);
      else setMessage(`${describeSave(answer.value.saved)}${answer.value.saved.state !== 'failed' && token.hasSecret ? ' It holds the secret in plain text: keep it somewhere safe.' : ''}`);
    });

  return { revealed, busy, copied, message, problem, run, toggleReveal, copy, download };
}
