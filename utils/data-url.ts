/** A `data:` URL for bytes: MV3 service workers have no `URL.createObjectURL`, and bundles are small. */
export function toDataUrl(bytes: Uint8Array, mime = 'application/zip'): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return `data:${mime};base64,${btoa(binary)}`;
}
