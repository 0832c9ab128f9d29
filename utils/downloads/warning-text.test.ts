import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, badgeFor } from './warning-text';
import { storageTabWarning, storageTabWarningId } from './storage-tab-warning';
import type { WarningRecord } from './types';

const warning = (code: string, extra: Partial<WarningRecord> = {}): WarningRecord => ({ id: `w-${code}`, createdAt: 1, code, message: 'm', hint: 'h', actions: [], ...extra });

describe('badge colours per state', () => {
  it('is empty with nothing to see, red when a file or link is bad, amber when only where the zip went needs a look', () => {
    expect(badgeFor([]).text).toBe('');
    expect(badgeFor([warning('opened-by-browser')])).toEqual({ text: '1', color: BADGE_COLORS.attention });
    expect(badgeFor([warning('opened-by-browser'), warning('interrupted')])).toEqual({ text: '2', color: BADGE_COLORS.bad });
    expect(badgeFor([warning('link-expired', { dismissed: true })]).text).toBe('');
  });
});

describe('a dead link opened in a tab', () => {
  const url =
    'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/0b8e4d27-91c3-4f6a-8e2d-7c5a3b1f9e42-1/secure-connect-inventory.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date=20261201T203542Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=a240b7d280d57dbdc493dda4a22e56149fa726419c3a92b9b773e256caaf93c8';
  const context = { bundleId: 'b1', hasCopy: true, fileName: 'secure-connect-inventory.zip', connectUrl: 'https://astra.datastax.com/' };

  it('is one warning per link, with the kept copy as the first fix', () => {
    const record = storageTabWarning(url, 'link-expired', context, 5);
    expect(record.id).toBe(storageTabWarningId(url));
    expect(record.id).toBe('storage-tab-a240b7d280d57dbd');
    expect(record.code).toBe('link-expired');
    expect(record.message).toBe("The link to secure-connect-inventory.zip had expired when it was opened: the browser showed storage's error page, and nothing was downloaded.");
    expect(record.actions).toEqual(['save-copy', 'fresh-link']);
  });

  it('offers only a fresh link when nothing was kept', () => {
    expect(storageTabWarning(url, 'link-expired', { ...context, hasCopy: false }, 5).actions).toEqual(['fresh-link']);
  });
});
