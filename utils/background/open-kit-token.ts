/**
 * The token a connection kit carries: opened here in the background, through the vault, only when the user
 * picked one and the vault is unlocked. No pick, no token: the kit gets a placeholder line instead.
 */
import { fail, ok, type Result } from '../shared/result';
import { getToken } from '../store/queries';
import { isToken } from '../token/token';
import type { SealedToken } from './keep-token';
import type { BackgroundServices } from './services';

export async function openKitToken(services: Pick<BackgroundServices, 'db' | 'vault'>, tokenId: unknown): Promise<Result<string | undefined>> {
  if (tokenId === undefined || tokenId === null || tokenId === '') return ok(undefined);
  const gone = fail('not-found', 'That token is no longer in Astra Companion.', 'Pick another token, or export the kit without one.');
  if (typeof tokenId !== 'string') return gone;
  const vault = await services.vault();
  // Asked before the record is read: a locked vault answers the same for every id.
  if (await vault.isLockedNow()) {
    return fail('locked', 'The vault is locked, so no token can go into the kit.', 'Unlock the vault in the Tokens tab, or export the kit with a placeholder for the token.');
  }
  const record = await getToken(await services.db(), tokenId);
  if (!record) return gone;
  const opened = await vault.open<SealedToken>(record.sealed);
  if (!opened.ok) return opened;
  if (!isToken(opened.value.token)) return fail('unreadable-token', `The token ${record.maskedToken} cannot be read from the vault.`, 'Capture it again, or export the kit without it.');
  await vault.touch();
  return ok(opened.value.token);
}
