import { describe, expect, it } from 'vitest';
import { linkTime, msUntilNextTick } from './link-clock';
import { parseBundleLink } from '../bundle/bundle-link';

const signed = (date: string, expires: number) =>
  `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/0b8e4d27-91c3-4f6a-8e2d-7c5a3b1f9e42-1/secure-connect-inventory.zip?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAQ3EGRJ7VZB2MXN4P%2F20261201%2Fus-east-2%2Fs3%2Faws4_request&X-Amz-Date=${date}&X-Amz-Expires=${expires}&X-Amz-SignedHeaders=host&X-Amz-Signature=${'a'.repeat(64)}`;

describe('one clock for a link: its signed expiry', () => {
  const link = parseBundleLink(signed('20261201T203542Z', 300));
  if (!link.ok) throw new Error('link did not parse');
  const expiresAt = link.value.expiresAt!;

  it('is X-Amz-Date + X-Amz-Expires, whatever the page clock says', () => {
    expect(new Date(expiresAt).toISOString()).toBe('2026-12-01T20:40:42.000Z');
  });

  it('counts whole seconds down like the console (4:59 just after signing, 0:00 in the last second)', () => {
    expect(linkTime(expiresAt, Date.parse('2026-12-01T20:35:42.400Z')).text).toBe('Link valid for 4:59');
    expect(linkTime(expiresAt, Date.parse('2026-12-01T20:40:41.999Z')).text).toBe('Link valid for 0:00');
    // The countdown runs to the signed expiry; starting a download stops being offered 5 s before it.
    expect(linkTime(expiresAt, expiresAt - 5_001).alive).toBe(true);
    expect(linkTime(expiresAt, expiresAt - 5_000)).toEqual({ alive: false, text: 'Link valid for 0:05', left: '0:05' });
    expect(linkTime(expiresAt, expiresAt)).toEqual({ alive: false, text: 'Link expired', left: '' });
    expect(linkTime(undefined, expiresAt).text).toBe('Link expiry unknown');
  });

  it('redraws right after the shown value changes, so panel, popup and toast tick together', () => {
    const now = Date.parse('2026-12-01T20:35:42.400Z');
    const wait = msUntilNextTick(expiresAt, now);
    expect(linkTime(expiresAt, now + wait).text).toBe('Link valid for 4:58');
    expect(linkTime(expiresAt, now + wait - 10).text).toBe('Link valid for 4:59');
  });
});
