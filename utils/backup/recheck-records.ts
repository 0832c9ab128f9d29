/**
 * What an imported bundle record may claim is recomputed here, never taken from the file: a kept copy is checked
 * again with the bundle checker (its verdict gives the status and the facts), the link is parsed again and must be
 * a signed link on the storage host (else the record is refused), and the file name is made safe to save under.
 */
import { parseBundleLink } from '../bundle/bundle-link';
import { checkBundle, type BundleVerdict } from '../bundle/check-bundle';
import type { BundleRecord } from '../bundle/types';
import type { BundleFile } from '../store/schema';

/** `secure-connect-<name>.zip` with nothing a file system or a shell could misread: no separators, controls, bidi marks or leading dots. */
export function safeBundleFileName(name: string): string {
  const base = name
    .normalize('NFC')
    .replace(/\.zip$/i, '')
    .replace(/[^\p{L}\p{N}._-]+/gu, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
    .slice(0, 120);
  const withPrefix = base.startsWith('secure-connect-') ? base : `secure-connect-${base || 'bundle'}`;
  // A name that was all junk leaves only the kind's prefix: give it a database part, or it reads as another kind.
  return /^secure-connect(-proxy)?(-internal)?$/.test(withPrefix) ? `${withPrefix}-bundle.zip` : `${withPrefix}.zip`;
}

export type RecheckOutcome = { ok: true; record: BundleRecord; file?: BundleFile; note?: string } | { ok: false; reason: string };

/** Verdicts by SHA-256 within one import: an export often holds one bundle under many records. */
export type VerdictCache = Map<string, Promise<BundleVerdict>>;

export async function recheckBundle(record: BundleRecord, file: BundleFile | undefined, now: number, cache: VerdictCache): Promise<RecheckOutcome> {
  const link = parseBundleLink(record.link);
  if (!link.ok) return { ok: false, reason: `Its link is not a signed bundle link on the storage host (${link.error.message}); left out.` };
  const fileName = safeBundleFileName(record.fileName);
  const fromLink: BundleRecord = {
    ...record,
    link: link.value.url,
    fileName,
    kind: link.value.kind,
    ...(link.value.signedAt !== undefined ? { signedAt: link.value.signedAt } : {}),
    ...(link.value.expiresAt !== undefined ? { expiresAt: link.value.expiresAt } : {}),
  };
  const withoutCopy = (status: BundleRecord['status'], problems: BundleRecord['problems']): BundleRecord => {
    const { facts: _f, size: _s, sha256: _h, entryCount: _e, certNotAfter: _c, copySha256: _k, ...rest } = fromLink;
    return { ...rest, status, problems, hasCopy: false };
  };
  if (!file) {
    // Nothing to check again: a record without a copy never arrives verified.
    const status = record.status === 'link-expired' || (link.value.expiresAt !== undefined && link.value.expiresAt <= now) ? 'link-expired' : 'problem';
    const problems = record.status === 'problem' || record.status === 'link-expired' ? record.problems : [];
    return { ok: true, record: withoutCopy(status, problems) };
  }
  let verdict = cache.get(file.sha256);
  if (!verdict) cache.set(file.sha256, (verdict = checkBundle(file.bytes, { name: fileName, now: new Date(now) })));
  const checked = await verdict;
  if (!checked.ok) {
    const first = checked.problems.find((p) => p.severity === 'error');
    return { ok: true, record: withoutCopy('problem', checked.problems), note: `Its kept copy fails the bundle check (${first?.code ?? 'unknown'}); the copy was left out.` };
  }
  const facts = { ...checked.facts, name: fileName };
  return {
    ok: true,
    record: {
      ...fromLink,
      status: 'verified',
      problems: checked.problems,
      facts,
      size: file.bytes.byteLength,
      sha256: checked.facts.sha256,
      entryCount: checked.facts.entries.length,
      certNotAfter: checked.facts.certificates.cert?.notAfter,
      hasCopy: true,
      copySha256: checked.facts.sha256,
    },
    file,
  };
}
