// @vitest-environment node
/** Issue 11, weaknesses 2 and 8: forged or redirected links against the real replica storage. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { keepBundles, type KeepBundleDeps } from './keep-bundle';
import { findBundleLinks } from '../bundle/find-bundle-links';
import { openStore } from '../store/schema';
import { getBundleFile, listBundles, listWarnings } from '../store/queries';
import { startReplica, DB, type Replica } from '../../tests/replica/server';
import { replicaFetch } from '../../tests/unit/fixtures/replica-fetch';
import type { CapturedLink } from '../protocol/messages';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ port: 0 });
});
afterAll(() => replica.close());
beforeEach(() => replica.resetFaults());

const page = `https://astra.datastax.com/org/x/database/${DB.inventory.id}/connect`;
let n = 0;
async function deps(): Promise<KeepBundleDeps> {
  return { db: await openStore(`keep-bundle-trust-${++n}`), fetch: replicaFetch(replica), now: () => Date.now() };
}

async function freshLink(): Promise<CapturedLink> {
  const response = await replicaFetch(replica, { authorization: `Bearer ${replica.apiToken}` })(
    `https://api.astra.datastax.com/v2/databases/${DB.inventory.id}/secureBundleURL`,
    { method: 'POST' },
  );
  return findBundleLinks(await response.text()).find((link) => /\/secure-connect-inventory\.zip/.test(link.url))!;
}

/** What a page script can make: the real datacenter folder, its own file name, a well-formed but made-up signature. */
function forge(real: CapturedLink, fileName: string): CapturedLink {
  const url = new URL(real.url);
  url.pathname = url.pathname.replace(/[^/]+$/, fileName);
  url.searchParams.set('X-Amz-Signature', 'e'.repeat(64));
  return { url: url.toString(), context: { ...real.context, dbName: 'attacker' } };
}

async function snapshot(keep: KeepBundleDeps) {
  const records = await listBundles(keep.db);
  return { records, file: records[0] ? await getBundleFile(keep.db, records[0].id) : undefined };
}

describe('a verified bundle against forged and failing links', () => {
  it('attack 2: a forged link reusing the datacenter folder changes nothing kept, and is recorded apart as a warning', async () => {
    const keep = await deps();
    const real = await freshLink();
    await keepBundles(keep, [real], page, 'network');
    const before = await snapshot(keep);
    expect(before.records).toMatchObject([{ status: 'verified', fileName: 'secure-connect-inventory.zip', hasCopy: true }]);

    const result = await keepBundles(keep, [forge(real, 'secure-connect-evil.zip')], page, 'network');
    expect(result.accepted).toBe(1);
    expect(await snapshot(keep)).toEqual(before);
    const [warning] = await listWarnings(keep.db);
    expect(warning).toMatchObject({ code: 'bundle-link-refused', bundleId: before.records[0]!.id });
    expect(warning!.message).toContain('The verified copy and its link were kept');
  });

  it('an expired new link for the same bundle leaves the verified record as it was', async () => {
    const keep = await deps();
    await keepBundles(keep, [await freshLink()], page, 'network');
    const before = await snapshot(keep);
    replica.setFaults({ errorDocumentWith200: true, linkDateOffsetSeconds: -5 });
    await keepBundles(keep, [await freshLink()], page, 'network');
    expect(await snapshot(keep)).toEqual(before);
    expect(await listWarnings(keep.db)).toMatchObject([{ code: 'bundle-link-refused' }]);
  });

  it('a good new link does replace the verified record (the rule is not "never change")', async () => {
    const keep = await deps();
    await keepBundles(keep, [await freshLink()], page, 'network');
    const before = await snapshot(keep);
    // Signed a few seconds earlier, so it is another link even within the same second.
    replica.setFaults({ linkDateOffsetSeconds: -5 });
    const next = await freshLink();
    await keepBundles(keep, [next], page, 'network');
    const after = await snapshot(keep);
    expect(after.records).toMatchObject([{ status: 'verified', link: next.url }]);
    expect(after.records[0]!.link).not.toBe(before.records[0]!.link);
    expect(await listWarnings(keep.db)).toEqual([]);
  });
});

describe('attack 8: bundle fetches never follow a redirect', () => {
  it('storage answering 302 elsewhere: refused as fetch-redirected, the target is never asked', async () => {
    const keep = await deps();
    replica.setFaults({ redirectTo: 'https://astra.datastax.com/stolen/secure-connect-inventory.zip' });
    const before = replica.requests.length;
    await keepBundles(keep, [await freshLink()], page, 'network');
    const [record] = await listBundles(keep.db);
    expect(record).toMatchObject({ status: 'problem', hasCopy: false, problems: [{ code: 'fetch-redirected' }] });
    expect(record!.problems[0]!.message).toContain('astra.datastax.com');
    expect(replica.requests.slice(before).filter((r) => r.path.startsWith('/stolen'))).toEqual([]);
  });

  it('a redirect on a new link of a verified bundle: the record is kept, the refusal is a warning', async () => {
    const keep = await deps();
    await keepBundles(keep, [await freshLink()], page, 'network');
    const before = await snapshot(keep);
    replica.setFaults({ redirectTo: 'https://astra.datastax.com/stolen.zip', linkDateOffsetSeconds: -5 });
    await keepBundles(keep, [await freshLink()], page, 'network');
    expect(await snapshot(keep)).toEqual(before);
    expect(await listWarnings(keep.db)).toMatchObject([{ code: 'bundle-link-refused' }]);
  });
});
