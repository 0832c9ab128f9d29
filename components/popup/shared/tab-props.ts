import type { ClipboardLike } from './CopyButton';
import type { RuntimeLike, StoreData } from './use-store-data';

/** What every popup tab gets from the App. */
export interface TabProps {
  data: StoreData;
  runtime: RuntimeLike;
  clipboard: ClipboardLike;
  now: number;
  query: string;
  openTab(url: string): void;
  saveFile?: (bytes: Uint8Array | Blob, fileName: string) => void | Promise<void>;
  /** The optional clipboardRead permission, which lets the background clear copied secrets later. */
  clipboardGuard?: ClipboardGuardPermission;
}

export interface ClipboardGuardPermission {
  granted(): Promise<boolean>;
  request(): Promise<boolean>;
  revoke(): Promise<boolean>;
}
