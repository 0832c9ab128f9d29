/**
 * "Save the verified copy" from a console page: the background saves it, follows the download to its end and
 * answers; this turns the answer into the words every panel shows (the same words as the popup's).
 */
import { describeSave } from '@/utils/downloads/save-outcome-text';
import { askBackground, type MessageSender } from '@/utils/protocol/messages';

export const NO_ANSWER = 'Astra Companion did not answer; open its popup and save the copy there.';

export async function saveCopyInWords(runtime: MessageSender, bundleId: string): Promise<string> {
  const answer = await askBackground(runtime, 'save-bundle-copy', { id: bundleId }).catch(() => undefined);
  if (!answer) return NO_ANSWER;
  return answer.ok ? describeSave(answer.saved) : `${answer.error.message} ${answer.error.hint}`;
}
