import { describe, expect, it } from 'vitest';
import { LOW_SPACE_BYTES, spaceWarningFor } from './space';

describe('spaceWarningFor', () => {
  it('says nothing while there is room, or when the browser gives no figures', () => {
    expect(spaceWarningFor({ usage: 120e6, quota: 60e9 })).toBeNull();
    expect(spaceWarningFor({})).toBeNull();
    expect(spaceWarningFor({ usage: 5, quota: 0 })).toBeNull();
  });

  it('warns with what is left when little is, or when most of the quota is used', () => {
    const low = spaceWarningFor({ usage: 120e6, quota: 120e6 + LOW_SPACE_BYTES - 1 });
    expect(low?.message).toBe('Storage is running low: 6.0 MB left for Astra Companion (120 MB used). New bundles may not be kept.');
    expect(spaceWarningFor({ usage: 91e9, quota: 100e9 })?.code).toBe('space-low');
    expect(spaceWarningFor({ usage: 200e6, quota: 100e6 })?.message).toContain('0.0 MB left');
  });
});
