import { describe, expect, it } from 'vitest';
import { describeBundleStatus } from './bundle-status-text';

describe('describeBundleStatus: a verified bundle with a warning', () => {
  it('shows the checker\'s warning (unusual-host) under the verdict, in the panel\'s words', () => {
    const words = describeBundleStatus(
      {
        id: 'x',
        url: 'https://example/x',
        fileName: 'secure-connect-orders.zip',
        dbName: 'orders',
        status: 'verified',
        hasCopy: true,
        size: 12_000,
        entryCount: 8,
        problem: { code: 'unusual-host', message: 'config.json sends drivers to db.example.com, which is not an Astra database host.', hint: 'A custom-domain bundle names your own domain here.' },
      },
      Date.now(),
    );
    expect(words.tone).toBe('ok');
    expect(words.detail).toContain('not an Astra database host');
    expect(words.detail).toContain('custom-domain');
  });
});
