import { describe, expect, it } from 'vitest';
import { toolbarButtonOf } from './toolbar-button';

describe('toolbarButtonOf', () => {
  const button = { setBadgeText: async () => {}, setBadgeBackgroundColor: async () => {} };

  it("uses MV3's action (Chrome)", () => {
    expect(toolbarButtonOf({ action: button, browserAction: undefined })).toBe(button);
  });

  it("falls back to MV2's browserAction (Firefox's build has no action)", () => {
    expect(toolbarButtonOf({ browserAction: button })).toBe(button);
  });

  it('says so when the browser has neither', () => {
    expect(() => toolbarButtonOf({})).toThrow(/neither action nor browserAction/);
  });
});
