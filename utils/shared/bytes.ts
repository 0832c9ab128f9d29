/** A `data:` URL for bytes: MV3 service workers have no `URL.createObjectURL`, and bundles are small. */
export function toDataUrl(bytes: Uint8Array, mime = 'application/zip'): string {
  return `data:${mime};base64,${bytesToBase64(bytes)}`;
}

/** Bytes as base64 text: runtime messages carry JSON, and a Uint8Array does not survive it. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** Throws on text that is not base64; callers catch. */
export function base64ToBytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
