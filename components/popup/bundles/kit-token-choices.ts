import { askBackground, type MessageSender } from '@/utils/protocol/messages';
import { newestTokens } from '@/utils/store/queries';
import type { CompanionDb } from '@/utils/store/schema';
import type { KitTokenChoices } from './KitExport';

/** The newest kept tokens (masked, never opened here) and the vault's lock state, for the kit's token choice. */
export async function kitTokenChoices(runtime: MessageSender, db: CompanionDb | null): Promise<KitTokenChoices> {
  const [status, rows] = await Promise.all([askBackground(runtime, 'vault-status', {}), db ? newestTokens(db, 0, 200) : Promise.resolve([])]);
  return {
    unlocked: status.ok && !status.value.locked,
    tokens: rows.map((row) => ({ id: row.id, label: `${row.label ?? row.role ?? 'Token'} (${row.maskedToken})` })),
  };
}
