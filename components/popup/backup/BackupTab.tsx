import { useEffect, useState } from 'preact/hooks';
import { askBackground } from '@/utils/protocol/messages';
import { FILE_CHANNEL, offerFile } from '@/utils/protocol/file-handover';
import { fail, ok } from '@/utils/shared/result';
import { getOutboxFile } from '@/utils/store/queries';
import { BackupProgress } from './BackupProgress';
import { ExportPanel } from './ExportPanel';
import type { TabProps } from '../shared/tab-props';
import type { TokenExportChoice } from '@/utils/backup/types';

function saveInBrowser(bytes: Uint8Array | Blob, fileName: string) {
  const url = URL.createObjectURL(bytes instanceof Blob ? bytes : new Blob([bytes as BlobPart], { type: 'application/zip' }));
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
    <>
    <BackupProgress runtime={runtime} />
    <ExportPanel
      exportAll={async (tokens: TokenExportChoice) => {
        const answer = await askBackground(runtime, 'export-store', { tokens });
        if (!answer.ok) return answer;
        // The zip waits in the store: a file, not a copy in a message; it is let go once the browser has it.
        const file = data.db ? await getOutboxFile(data.db, answer.value.outbox) : undefined;
        if (!file) return fail('zip-failed', 'The export could not be handed over.', 'Export again.');
        return ok(file.blob);
      }}
      saveFile={async (bytes, fileName) => {
        await (props.saveFile ?? saveInBrowser)(bytes, fileName);
        if (bytes instanceof Blob) void askBackground(runtime, 'export-saved', { outbox: 'export' }).catch(() => undefined);
      }}
      importAll={async (file, options) => {
        // The file goes as a Blob over the extension's own BroadcastChannel, under an id only the background issues.
        const begun = await askBackground(runtime, 'import-begin', { size: file.size });
        if (!begun.ok) return begun;
        const stop = offerFile(new BroadcastChannel(FILE_CHANNEL), begun.value.id, file);
        try {
          return await askBackground(runtime, 'import-store', { id: begun.value.id, ...options });
        } finally {
          stop();
        }
      }}
      tokenCount={data.tokenCount}
      bundleCount={data.bundleCount}
      vaultLocked={locked}
      onImported={() => void data.refresh()}
      openInTab={() => props.openTab(`${location.origin}${location.pathname}#backup`)}
    />
    </>
  );
}
