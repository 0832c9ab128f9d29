import { useEffect, useRef, useState } from 'preact/hooks';
import { askBackground } from '@/utils/protocol/messages';
import { FILE_CHANNEL, offerFile, wantFile } from '@/utils/protocol/file-handover';
import { fail, ok } from '@/utils/shared/result';
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
  // The export being handed over, told to the background once saved.
  const handover = useRef<string | undefined>(undefined);
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
        // The zip comes as a Blob over the extension's own channel (not a copy in a message), under the id it named.
        const file = await wantFile(new BroadcastChannel(FILE_CHANNEL), answer.value.handover);
        if (!file) return fail('zip-failed', 'The export could not be handed over.', 'Export again.');
        handover.current = answer.value.handover;
        return ok(file);
      }}
      saveFile={async (bytes, fileName) => {
        await (props.saveFile ?? saveInBrowser)(bytes, fileName);
        // The browser has it: the background may let its copy go.
        const taken = handover.current;
        handover.current = undefined;
        if (taken) void askBackground(runtime, 'export-saved', { handover: taken }).catch(() => undefined);
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
