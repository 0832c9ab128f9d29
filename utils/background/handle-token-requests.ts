/**
 * The popup's requests about tokens and the vault: lock state, unlock, passphrase, reveal, and the
 * console-format download of one token. Only the extension's own pages may ask (the caller checks).
 * Plaintext leaves the vault only in the answer to an explicit reveal or download.
 */
import type { BackgroundMessage } from '../protocol/messages';
import { fail, ok, type Result } from '../shared/result';
import { type CompanionDb } from '../store/schema';
import { tokensToConsoleCsv, tokenToJson, CONSOLE_CSV_FILE_NAME } from '../token/token-csv';
import type { SealedToken } from './keep-token';
import { AUTO_LOCK_CHOICES, type Vault } from '../vault/vault';
import type { AutoLock } from '../vault/types';
import { getToken } from '../store/queries';

export interface TokenRequestDeps {
  db: () => Promise<CompanionDb>;
  vault: () => Promise<Vault>;
  saveText(text: string, fileName: string, mime: string): Promise<void>;
}

type TokenMessage = Extract<BackgroundMessage, { type: `vault-${string}` | `token-${string}` }>;

export function isTokenRequest(message: BackgroundMessage): message is TokenMessage {
  return message.type.startsWith('vault-') || message.type.startsWith('token-');
}

const gone = () => fail('not-found', 'That token is no longer in Astra Companion.', 'Open the popup again; it may have been deleted.');

async function openToken(deps: TokenRequestDeps, id: unknown): Promise<Result<SealedToken & { role?: string }>> {
  if (typeof id !== 'string') return gone();
  const record = await getToken(await deps.db(), id);
  if (!record) return gone();
  const opened = await (await deps.vault()).open<SealedToken>(record.sealed);
  if (!opened.ok) return opened;
  return ok({ ...opened.value, role: record.role });
}

function fileSafe(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'astra';
}

export async function handleTokenRequest(deps: TokenRequestDeps, request: TokenMessage): Promise<unknown> {
  const vault = await deps.vault();
  switch (request.type) {
    case 'vault-status':
      return vault.status();
    case 'vault-unlock':
      return typeof request.passphrase === 'string' ? vault.unlock(request.passphrase) : fail('wrong-passphrase', 'No passphrase was given.', 'Type your passphrase.');
    case 'vault-lock':
      return vault.lock();
    case 'vault-set-passphrase': {
      const text = (v: unknown) => (typeof v === 'string' ? v : null);
      return vault.setPassphrase(text(request.current), text(request.next));
    }
    case 'vault-set-auto-lock':
      return AUTO_LOCK_CHOICES.includes(request.choice as AutoLock)
        ? vault.setAutoLock(request.choice)
        : fail('invalid-choice', 'That auto-lock choice is not offered.', 'Pick one of the choices in the list.');
    case 'token-reveal': {
      const opened = await openToken(deps, request.id);
      if (opened.ok) await vault.touch();
      return opened.ok ? ok({ token: opened.value.token, secret: opened.value.secret }) : opened;
    }
    case 'token-save-file': {
      const opened = await openToken(deps, request.id);
      if (!opened.ok) return opened;
      const { token, secret, role } = opened.value;
      const clientId = token.split(':')[1] ?? '';
      if (request.format === 'json') {
        const fileName = `${fileSafe(role ?? 'astra')}-token.json`;
        await deps.saveText(tokenToJson({ clientId, secret: secret ?? '', token, role }, 'organization'), fileName, 'application/json');
        return ok({ fileName });
      }
      await deps.saveText(tokensToConsoleCsv([{ token, clientId, secret, role }]), CONSOLE_CSV_FILE_NAME, 'text/csv');
      return ok({ fileName: CONSOLE_CSV_FILE_NAME });
    }
  }
}
