// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepBundles, type KeepBundleDeps } from './keep-bundle';
import { findBundleLinks } from '../bundle/find-bundle-links';
import { openStore } from '../store/schema';
import { listBundles } from '../store/queries';
import { startReplica, DB, type Replica } from '../../tests/replica/server';
import { replicaFetch } from '../../tests/unit/fixtures/replica-fetch';

let replica: Replica;
beforeAll(async () => {
  replica = await startReplica({ port: 0 });
});
afterAll(() => replica.close());

const page = `https://astra.datastax.com/org/x/database/${DB.inventory.id}/connect`;
let n = 0;
async function deps(): Promise<KeepBundleDeps> {
  return { db: await openStore(`keep-bundle-${++n}`), fetch: replicaFetch(replica), now: () => Date.now() };
}

/** The console's Get Bundle response as text, and the same link as the dialog shows it (no region next to it). */
async function captures() {
  const response = await replicaFetch(replica, { authorization: `Bearer ${replica.apiToken}` })(
    `https://api.astra.datastax.com/v2/databases/${DB.inventory.id}/secureBundleURL`,
    { method: 'POST' },
  );
  const network = findBundleLinks(await response.text()).filter((link) => /\/secure-connect-inventory\.zip/.test(link.url));
  const dialog = findBundleLinks(network.map((link) => link.url).join('\n'));
  expect(network[0]?.context.region).toBe('us-east-1');
  expect(dialog[0]?.context.region).toBeUndefined();
  return { network, dialog };
}

describe('keepBundles: one link captured twice', () => {
  // Firefox's page hook reports the response after the dialog has drawn the link: the dialog's capture comes first.
  it('takes the region from the API response when the dialog captured the link first', async () => {
    const keep = await deps();
    const { network, dialog } = await captures();
    await keepBundles(keep, dialog, page, 'dom');
    await keepBundles(keep, network, page, 'network');
    const [record] = await listBundles(keep.db);
    expect(record).toMatchObject({ region: 'us-east-1', status: 'verified' });
  });

  it('takes the region from the API response while the dialog capture is still being fetched', async () => {
    const keep = await deps();
    const { network, dialog } = await captures();
    await Promise.all([keepBundles(keep, dialog, page, 'dom'), keepBundles(keep, network, page, 'network')]);
    const records = await listBundles(keep.db);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ region: 'us-east-1', status: 'verified' });
  });
});

describe('keepBundles: storage cuts the body short', () => {
  it('says the download was cut, with how much arrived, not a bare error name', async () => {
    const keep = await deps();
    const { network } = await captures();
    replica.setFaults({ truncateBodyAt: 4000 });
    try {
      await keepBundles(keep, network, page, 'network');
    } finally {
      replica.resetFaults();
    }
    const [record] = await listBundles(keep.db);
    expect(record?.status).toBe('problem');
    const problem = record!.problems[0]!;
    expect(problem.code).toBe('fetch-cut');
    expect(problem.message).toMatch(/^The bundle download was cut off: 4,000 of 1\d,\d{3} bytes arrived, then storage closed the connection\.$/);
    expect(`${problem.message} ${problem.hint}`).not.toMatch(/TypeError|Check your connection/);
  });
});
