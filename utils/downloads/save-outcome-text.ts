/**
 * How a save ended, in the person's words: the one wording of "did my file save?", for the popup and every console
 * panel alike. The background follows the download to its end (background/follow-saves.ts).
 */
import type { SaveOutcome } from './types';

export function describeSave(outcome: SaveOutcome): string {
  if (outcome.state === 'saved') return `Saved ${outcome.fileName} to your downloads.`;
  if (outcome.state === 'failed') return outcome.reason === 'USER_CANCELED' ? 'Saving was cancelled.' : `Saving failed (${outcome.reason}): try again.`;
  return 'Saving started: see the browser\u2019s downloads.';
}
