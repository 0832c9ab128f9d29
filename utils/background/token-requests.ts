/**
 * The popup's requests about tokens and the vault: lock state, unlock, passphrase, reveal, the console-format
 * download of one token, its label, deleting it, and clearing a copied secret later. Only the extension's own
 * pages may ask. Plaintext leaves the vault only in the answer to an explicit reveal or download.
 */
import { fail, ok, type Result } from '../shared/result';
import { getToken } from '../store/queries';
import { deleteToken, updateToken } from '../store/writes';
import { CONSOLE_CSV_FILE_NAME, tokensToConsoleCsv, tokenToJson } from '../token/token-csv';
import type { AutoLock } from '../vault/types';
import { AUTO_LOCK_CHOICES } from '../vault/vault';
import type { SealedToken } from './keep-token';
import type { Route, Routes } from './request-table';
import type { BackgroundServices } from './services';

const NOT_ALLOWED = fail('not-allowed', "Only Astra Companion's popup can ask for that.", 'Open the popup.');
const gone = () => fail('not-found', 'That token is no longer in Astra Companion.', 'Open the popup again; it may have been deleted.');

async function openToken(services: BackgroundServices, id: unknown): Promise<Result<SealedToken & { role?: string }>> {
  if (typeof id !== 'string') return gone();
  const record = await getToken(await services.db(), id);
  if (!record) return gone();
  const opened = await (await services.vault()).open<SealedToken>(record.sealed);
  if (!opened.ok) return opened;
  return ok({ ...opened.value, role: record.role });
}

function fileSafe(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'astra';
}

function saveText(services: BackgroundServices, text: string, fileName: string, mime: string) {
  return services.saveFile({ bytes: new TextEncoder().encode(text), fileName, mime, saveAs: true });
}

/** A popup-only request answered by the vault. */
function vaultRoute<K extends 'vault-status' | 'vault-unlock' | 'vault-lock' | 'vault-set-passphrase' | 'vault-set-auto-lock'>(handle: Route<K>['handle']): Route<K> {
  return { from: ['extension'], refused: NOT_ALLOWED, handle };
}

export const tokenRoutes: Routes<
  | 'vault-status'
  | 'vault-unlock'
  | 'vault-lock'
  | 'vault-set-passphrase'
  | 'vault-set-auto-lock'
  | 'token-reveal'
  | 'token-save-file'
  | 'token-set-label'
  | 'token-delete'
  | 'clear-clipboard-later'
> = {
  'vault-status': vaultRoute(async (_request, _sender, services) => (await services.vault()).status()),
  'vault-unlock': vaultRoute(async (request, _sender, services) =>
    typeof request.passphrase === 'string'
      ? (await services.vault()).unlock(request.passphrase)
      : fail('wrong-passphrase', 'No passphrase was given.', 'Type your passphrase.'),
  ),
  'vault-lock': vaultRoute(async (_request, _sender, services) => (await services.vault()).lock()),
  'vault-set-passphrase': vaultRoute(async (request, _sender, services) => {
    const text = (v: unknown) => (typeof v === 'string' ? v : null);
    return (await services.vault()).setPassphrase(text(request.current), text(request.next));
  }),
  'vault-set-auto-lock': vaultRoute(async (request, _sender, services) =>
    AUTO_LOCK_CHOICES.includes(request.choice as AutoLock)
      ? (await services.vault()).setAutoLock(request.choice)
      : fail('invalid-choice', 'That auto-lock choice is not offered.', 'Pick one of the choices in the list.'),
  ),
  'token-reveal': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const opened = await openToken(services, request.id);
      if (!opened.ok) return opened;
      await (await services.vault()).touch();
      return ok({ token: opened.value.token, secret: opened.value.secret });
    },
  },
  'token-save-file': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const opened = await openToken(services, request.id);
      if (!opened.ok) return opened;
      const { token, secret, role } = opened.value;
      const clientId = token.split(':')[1] ?? '';
      if (request.format === 'json') {
        const fileName = `${fileSafe(role ?? 'astra')}-token.json`;
        const saved = await saveText(services, tokenToJson({ clientId, secret: secret ?? '', token, role }, 'organization'), fileName, 'application/json');
        return ok({ fileName, saved });
      }
      const saved = await saveText(services, tokensToConsoleCsv([{ token, clientId, secret, role }]), CONSOLE_CSV_FILE_NAME, 'text/csv');
      return ok({ fileName: CONSOLE_CSV_FILE_NAME, saved });
    },
  },
  'token-set-label': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const db = await services.db();
      const id = String(request.id);
      if (!(await getToken(db, id))) return gone();
      const label = typeof request.label === 'string' ? request.label.replace(/[\u0000-\u001f]/g, ' ').trim().slice(0, 100) : '';
      const next = await updateToken(db, id, (current) => ({ ...current!, label: label || undefined }));
      services.announce('tokens');
      return ok(next.label ? { label: next.label } : {});
    },
  },
  'token-delete': {
    from: ['extension'],
    refused: NOT_ALLOWED,
    async handle(request, _sender, services) {
      const id = String(request.id);
      await deleteToken(await services.db(), id);
      services.announce('tokens');
      return ok({ id });
    },
  },
  'clear-clipboard-later': {
    from: ['extension'],
    refused: { scheduled: false },
    handle: (request, _sender, services) => services.scheduleClipboardClear(request.hash),
  },
};
