import { useCallback, useEffect, useState } from 'preact/hooks';
import { askBackground } from '@/utils/protocol/messages';
import { TokenList } from './TokenList';
import { VaultPanel } from './VaultPanel';
import { copyThenClear } from './clipboard-clear';
import { sha256Hex } from '@/utils/token/token';
import type { TabProps } from '../shared/tab-props';
import { orgNames, type TokenRow } from '@/utils/store/queries';
import type { VaultStatus } from '@/utils/vault/types';

/** The Tokens tab: the vault's lock state and the token list. Loaded when first opened. */
export default function TokensTab(props: TabProps & { tokens: TokenRow[]; matched: number | null }) {
  const { runtime, data } = props;
  const [vault, setVault] = useState<VaultStatus | null>(null);
  const refreshVault = useCallback(async () => {
    const status = await askBackground(runtime, 'vault-status', {}).catch(() => null);
    setVault(status?.ok ? status.value : null);
  }, [runtime]);
  useEffect(() => void refreshVault(), [refreshVault, data.version]);
  const [names, setNames] = useState<Record<string, string>>({});
  useEffect(() => {
    if (data.db) void orgNames(data.db).then(setNames, () => undefined);
  }, [data.db, data.version]);

  const withRefresh = async <T extends { ok: boolean; error?: { code: string } }>(answer: Promise<T>): Promise<T> => {
    const result = await answer;
    // An auto-lock while the popup was open shows up as a 'locked' answer: the panel follows.
    if (!result.ok || result.error?.code === 'locked') await refreshVault();
    return result;
  };
  const vaultAction = async <T,>(answer: Promise<T>): Promise<T> => {
    const result = await answer;
    await refreshVault();
    return result;
  };

  const [guarded, setGuarded] = useState(false);
  useEffect(() => {
    props.clipboardGuard?.granted().then(setGuarded, () => setGuarded(false));
  }, [props.clipboardGuard]);
  const toggleGuard = async (on: boolean) => {
    // Asked in the click itself: browsers grant permissions only during a user gesture.
    const done = on ? await props.clipboardGuard?.request() : await props.clipboardGuard?.revoke();
    setGuarded(on ? Boolean(done) : !done);
  };

  return (
    <>
      <VaultPanel
        status={vault}
        actions={{
          unlock: (passphrase) => vaultAction(askBackground(runtime, 'vault-unlock', { passphrase })),
          lock: () => vaultAction(askBackground(runtime, 'vault-lock', {})),
          setPassphrase: (current, next) => vaultAction(askBackground(runtime, 'vault-set-passphrase', { current, next })),
          setAutoLock: (choice) => vaultAction(askBackground(runtime, 'vault-set-auto-lock', { choice })),
        }}
      />
      {props.clipboardGuard && (
        <label class="clipboard-guard" title="The browser asks you to let Astra Companion read the clipboard: it only checks that the clipboard still holds what it copied, and leaves anything else alone.">
          <input type="checkbox" checked={guarded} onChange={(event) => void toggleGuard((event.target as HTMLInputElement).checked)} />
          <span>Clear copied secrets from the clipboard after 30 s, even with the popup closed</span>
        </label>
      )}
      {props.query && props.matched === 0 && data.tokenCount > 0 ? (
        <p class="empty">No token matches “{props.query}”.</p>
      ) : (
        <TokenList
          tokens={props.tokens}
          now={props.now}
          locked={vault?.locked ?? false}
          orgNames={names}
          actions={{
            reveal: (id) => withRefresh(askBackground(runtime, 'token-reveal', { id })),
            saveFile: (id, format) => withRefresh(askBackground(runtime, 'token-save-file', { id, format })),
            async setLabel(id, label) {
              await askBackground(runtime, 'token-set-label', { id, label });
            },
            async remove(id) {
              await askBackground(runtime, 'token-delete', { id });
            },
            async copy(text) {
              await copyThenClear(props.clipboard, text);
              if (guarded) await askBackground(runtime, 'clear-clipboard-later', { hash: await sha256Hex(text) }).catch(() => undefined);
            },
          }}
        />
      )}
    </>
  );
}
