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
      async saveCopy(id) {
        const answer = (await browser.runtime.sendMessage({ type: 'save-bundle-copy', id })) as { ok?: boolean; error?: { message: string; hint: string } } | undefined;
        if (answer?.ok) return 'Saving the verified copy…';
        return answer?.error ? `${answer.error.message} ${answer.error.hint}` : 'Astra Companion did not answer; open its popup and save the copy there.';
      },
    });
  },
});
