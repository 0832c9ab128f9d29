/** What the Chromium and the Firefox backup specs compare between two exports. */
import JSZip from 'jszip';

/** Every file of an export but the two that differ by design: the export time and the random salt and IV. */
export async function contentOf(bytes: Uint8Array): Promise<Record<string, string>> {
  const zip = await JSZip.loadAsync(bytes);
  const files: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort()) {
    if (name === 'manifest.json' || name === 'tokens.encrypted.json' || zip.files[name]!.dir) continue;
    files[name] = Buffer.from(await zip.files[name]!.async('uint8array')).toString('base64');
  }
  return files;
}
