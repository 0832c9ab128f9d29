import { saveCopyInWords } from '@/components/console/save-copy-words';
import { explainStorageError } from '@/components/console/storage-error-explainer';
import { readStorageErrorContext } from '@/utils/downloads/storage-error-page';
import { STORAGE_MATCHES } from '@/utils/astra/hosts';

// On the bundle bucket: when the browser shows storage's error page instead of the bundle, explain it.
export default defineContentScript({
  matches: STORAGE_MATCHES,
  runAt: 'document_end',
  main() {
    void explainStorageError({
      document,
      url: location.href,
      now: () => Date.now(),
      // The background answers about the sender's own URL only.
      context: async (_url, report) => readStorageErrorContext(await browser.runtime.sendMessage({ type: 'storage-error-context', report: { code: report.code } })),
      saveCopy: (id) => saveCopyInWords(browser.runtime, id),
    });
  },
});
