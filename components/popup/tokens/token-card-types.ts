/**
 * What a token card and its parts share: the row it draws (a token without its sealed box, as store/queries gives
 * it), the actions the Tokens tab hands it, and the words for what is off while locked.
 */
import type { SaveOutcome } from '@/utils/downloads/types';
import type { Result } from '@/utils/shared/result';
import type { TokenRecord } from '@/utils/token/types';

/** Lists get tokens without their sealed boxes (store/queries' TokenRow). */
export type ShownToken = Omit<TokenRecord, 'sealed'>;

export interface TokenListActions {
  /** The token and its secret in the clear (the vault must be unlocked). */
  reveal(id: string): Promise<Result<{ token: string; secret?: string }>>;
  /** Saves the token details (with the secret) through the browser's downloads; how the save ended. */
  saveFile(id: string, format: 'csv' | 'json'): Promise<Result<{ fileName: string; saved: SaveOutcome }>>;
  setLabel(id: string, label: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Copies and clears the clipboard later (copyThenClear). */
  copy(text: string): Promise<void>;
}

/** A revealed token and secret disappear again after this long. */
export const REVEAL_MS = 60_000;
export const LOCKED_NOTE = 'Unlock to see or copy secrets';
export const NO_SECRET_NOTE = 'No secret was captured with this token, only the token itself';

export type Revealed = { token: string; secret?: string };
/** Which of a card's actions is running (one at a time). */
export type Busy = 'reveal' | 'copy-token' | 'copy-secret' | 'csv' | 'json' | 'label' | 'delete' | null;
