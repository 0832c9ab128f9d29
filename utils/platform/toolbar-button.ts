/**
 * The toolbar button's API. Chrome's MV3 build has `action`; Firefox's MV2 build has only `browserAction`
 * (same methods), so code that wrote to `action` left Firefox without a badge.
 */
export interface ToolbarButton {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  openPopup?(): Promise<unknown>;
}

export function toolbarButtonOf(api: { action?: unknown; browserAction?: unknown }): ToolbarButton {
  const button = (api.action ?? api.browserAction) as ToolbarButton | undefined;
  if (!button) throw new Error('This browser has neither action nor browserAction.');
  return button;
}
