import { useEffect, useState } from 'preact/hooks';
import { askBackground } from '@/utils/protocol/messages';
import { base64ToBytes, bytesToBase64 } from '@/utils/shared/bytes';
import { ok } from '@/utils/shared/result';
import { ExportPanel } from './ExportPanel';
import type { TabProps } from './tab-props';
import type { TokenExportChoice } from '@/utils/backup/types';

function saveInBrowser(bytes: Uint8Array, fileName: string) {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/zip' }));
  const anchor = Object.assign(document.createElement('a'), { href: url, download: fileName });
  anchor.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The Backup tab: export and import run in the background, where the vault lives. Loaded when first opened. */
export default function BackupTab(props: TabProps) {
  const { data, runtime } = props;
  const [locked, setLocked] = useState(false);
  useEffect(() => {
    askBackground(runtime, 'vault-status', {}).then((status) => setLocked(status.ok && status.value.locked), () => {});
  }, [runtime]);
  return (
    <ExportPanel
      exportAll={async (tokens: TokenExportChoice) => {
        const answer = await askBackground(runtime, 'export-store', { tokens });
        return answer.ok ? ok(base64ToBytes(answer.value.base64)) : answer;
      }}
      importAll={(bytes, options) => askBackground(runtime, 'import-store', { base64: bytesToBase64(bytes), ...options })}
      saveFile={props.saveFile ?? saveInBrowser}
      tokenCount={data.tokenCount}
      bundleCount={data.bundleCount}
      vaultLocked={locked}
      onImported={() => void data.refresh()}
      openInTab={() => props.openTab(`${location.origin}${location.pathname}#backup`)}
    />
  );
}
