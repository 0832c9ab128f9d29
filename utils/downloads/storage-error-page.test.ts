import { describe, expect, it } from 'vitest';
import {
  AZURE_BLOB_NOT_FOUND,
  AZURE_EXPIRED,
  AZURE_NOT_YET_VALID,
  CONSOLE_SIGN_IN_PAGE,
  GCS_EXPIRED,
  S3_EXPIRED,
  S3_NO_SUCH_KEY,
  S3_NOT_YET_VALID,
  S3_SIGNATURE_DOES_NOT_MATCH,
} from '../../tests/unit/fixtures/storage-errors';
import { readStorageErrorContext, readStorageErrorPage } from './storage-error-page';
import { openStore } from '../store/schema';
import type { BundleRecord } from '../bundle/types';
import { updateBundle } from '../store/writes';
import { storageErrorContext } from '../background/storage-tab-context';

const DB_ID = '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6';
const ORG_ID = '0b0f1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d';
const OBJECT = `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/${DB_ID}-1/secure-connect-orders.zip`;
const linkSignedAt = (date: string) =>
  `${OBJECT}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAZ7EXAMPLE3QF4JH2%2F20240305%2Fus-east-2%2Fs3%2Faws4_request` +
  `&X-Amz-Date=${date}&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef`;
const LINK = linkSignedAt('20240305T101042Z');
const NOW = Date.parse('2024-03-05T11:02:17Z');
const UTC = { timeZone: 'UTC' };

describe('readStorageErrorPage', () => {
  it("explains S3's expired-link page with when it expired and how long links live", () => {
    const report = readStorageErrorPage(S3_EXPIRED, LINK, NOW, UTC);
    expect(report).toMatchObject({
      code: 'link-expired',
      service: 's3',
      storageCode: 'AccessDenied',
      storageMessage: 'Request has expired',
      expiredAt: Date.parse('2024-03-05T10:15:42Z'),
      signedAt: Date.parse('2024-03-05T10:10:42Z'),
      serverTime: NOW,
    });
    expect(report?.message).toBe(
      "This bundle link expired at 10:15:42 (5 minutes after it was made), 47 minutes ago. Storage links from the Astra console only work for 5 minutes, so instead of the bundle the browser shows storage's error message.",
    );
    expect(report?.hint).toMatch(/Save the verified copy/);
  });

  it('reads the same page from the fields of the <Error> element (the DOM of the XML document)', () => {
    const fields = {
      Code: 'AccessDenied',
      Message: 'Request has expired',
      'X-Amz-Expires': '300',
      Expires: '2024-03-05T10:15:42Z',
      ServerTime: '2024-03-05T11:02:17Z',
      RequestId: '6QZ1H7V2M4KXYB8T',
    };
    expect(readStorageErrorPage(fields, LINK, NOW, UTC)).toEqual(readStorageErrorPage(S3_EXPIRED, LINK, NOW, UTC));
  });

  it("reads the text of Chromium's XML tree view, note and all", () => {
    const treeText =
      'This XML file does not appear to have any style information associated with it. The document tree is shown below.\n' +
      '<Error>\n<Code>AccessDenied</Code>\n<Message>Request has expired</Message>\n<X-Amz-Expires>300</X-Amz-Expires>\n' +
      '<Expires>2024-03-05T10:15:42Z</Expires>\n<ServerTime>2024-03-05T11:02:17Z</ServerTime>\n</Error>';
    expect(readStorageErrorPage(treeText, LINK, NOW, UTC)?.expiredAt).toBe(Date.parse('2024-03-05T10:15:42Z'));
  });

  it("explains GCS's and Azure's expired links with their own times", () => {
    const gcs = readStorageErrorPage(GCS_EXPIRED, 'https://storage.googleapis.com/astra-bundles/secure-connect-orders.zip?X-Goog-Date=20240305T101042Z', NOW, {
      ...UTC,
      link: { signedAt: Date.parse('2024-03-05T10:10:42Z') },
    });
    expect(gcs).toMatchObject({ code: 'link-expired', service: 'gcs', expiredAt: Date.parse('2024-03-05T10:15:42Z') });
    expect(gcs?.message).toContain('expired at 10:15:42 (5 minutes after it was made)');

    const azure = readStorageErrorPage(AZURE_EXPIRED, 'https://astrabundles.blob.core.windows.net/bundles/secure-connect-orders.zip?se=2024-03-05T10%3A15%3A42Z', NOW, UTC);
    expect(azure).toMatchObject({
      code: 'link-expired',
      service: 'azure',
      signedAt: Date.parse('2024-03-05T10:10:42Z'),
      expiredAt: Date.parse('2024-03-05T10:15:42Z'),
      serverTime: NOW,
    });
  });

  it('says how long links live from the link itself when the body does not', () => {
    const report = readStorageErrorPage(GCS_EXPIRED, 'https://storage.googleapis.com/b/secure-connect-orders.zip', NOW, {
      ...UTC,
      link: { signedAt: Date.parse('2024-03-05T10:05:42Z') },
    });
    expect(report?.message).toContain('only work for 10 minutes');
  });

  it('tells a link used too early, an altered link and a missing file apart', () => {
    const early = readStorageErrorPage(S3_NOT_YET_VALID, LINK, NOW, UTC);
    expect(early?.code).toBe('link-not-yet-valid');
    expect(early?.message).toContain('signed for 10:10:42, but storage\'s clock said 09:58:03');
    expect(readStorageErrorPage(AZURE_NOT_YET_VALID, LINK, NOW, UTC)?.code).toBe('link-not-yet-valid');

    const altered = readStorageErrorPage(S3_SIGNATURE_DOES_NOT_MATCH, LINK, NOW, UTC);
    expect(altered?.code).toBe('link-altered');
    expect(altered?.message).toContain("'&amp;' in place of '&'");

    expect(readStorageErrorPage(S3_NO_SUCH_KEY, LINK, NOW, UTC)?.code).toBe('no-such-bundle');
    expect(readStorageErrorPage(AZURE_BLOB_NOT_FOUND, LINK, NOW, UTC)?.code).toBe('no-such-bundle');
  });

  it('leaves every other page alone', () => {
    expect(readStorageErrorPage(CONSOLE_SIGN_IN_PAGE, LINK, NOW)).toBeNull();
    expect(readStorageErrorPage('', LINK, NOW)).toBeNull();
    expect(readStorageErrorPage('PK\u0003\u0004\u0014\u0000\u0008\u0000', LINK, NOW)).toBeNull();
    expect(readStorageErrorPage({}, LINK, NOW)).toBeNull();
    expect(readStorageErrorPage('<ListBucketResult><Name>b</Name></ListBucketResult>', LINK, NOW)).toBeNull();
  });
});

let dbCount = 0;
const freshDb = () => openStore(`storage-error-page-test-${++dbCount}`);

function record(extra: Partial<BundleRecord> = {}): BundleRecord {
  return {
    id: `${DB_ID}|${DB_ID}-1|external`,
    dbId: DB_ID,
    dbName: 'orders',
    kind: 'external',
    fileName: 'secure-connect-orders.zip',
    link: LINK,
    signedAt: Date.parse('2024-03-05T10:10:42Z'),
    expiresAt: Date.parse('2024-03-05T10:15:42Z'),
    capturedAt: 1,
    updatedAt: 1,
    page: `https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`,
    source: 'network',
    status: 'verified',
    problems: [],
    hasCopy: true,
    ...extra,
  };
}

describe('storageErrorContext: what the background tells the page', () => {
  it('finds the kept copy and the Connect page for the exact link', async () => {
    const db = await freshDb();
    await updateBundle(db, record().id, () => record());
    expect(await storageErrorContext(db, LINK)).toEqual({
      bundleId: record().id,
      dbName: 'orders',
      hasCopy: true,
      fileName: 'secure-connect-orders.zip',
      connectUrl: `https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`,
      signedAt: Date.parse('2024-03-05T10:10:42Z'),
      expiresAt: Date.parse('2024-03-05T10:15:42Z'),
    });
  });

  it('finds the record of the same file when a newer link replaced the dead one', async () => {
    const db = await freshDb();
    await updateBundle(db, record().id, () => record({ link: linkSignedAt('20240305T105000Z') }));
    const context = await storageErrorContext(db, LINK);
    expect(context).toMatchObject({ bundleId: record().id, hasCopy: true });
    expect(context.expiresAt).toBeUndefined();
  });

  it('still points at the database when nothing was kept, and at the console when even that is unknown', async () => {
    const db = await freshDb();
    expect(await storageErrorContext(db, LINK)).toEqual({
      hasCopy: false,
      fileName: 'secure-connect-orders.zip',
      connectUrl: 'https://astra.datastax.com/',
    });
    await updateBundle(db, 'other', () => record({ id: 'other', kind: 'internal', fileName: 'secure-connect-internal-orders.zip', link: `${OBJECT.replace('orders.zip', 'internal-orders.zip')}?X-Amz-Date=1` }));
    const viaSibling = await storageErrorContext(db, linkSignedAt('20240305T101042Z').replace('-1/', '-2/'));
    expect(viaSibling.connectUrl).toBe(`https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect`);
    expect(viaSibling.hasCopy).toBe(false);
  });
});

describe('readStorageErrorContext', () => {
  it('accepts the background\'s answer and refuses anything that would send the page elsewhere', () => {
    const answer = { bundleId: 'b', hasCopy: true, fileName: 'secure-connect-orders.zip', connectUrl: `https://astra.datastax.com/org/${ORG_ID}/database/${DB_ID}/connect` };
    expect(readStorageErrorContext(answer)).toEqual(answer);
    expect(readStorageErrorContext({ ...answer, connectUrl: 'https://evil.example/astra.datastax.com/' })).toBeNull();
    expect(readStorageErrorContext({ ...answer, connectUrl: 'javascript:alert(1)' })).toBeNull();
    expect(readStorageErrorContext(undefined)).toBeNull();
    expect(readStorageErrorContext({ ...answer, hasCopy: 'yes' })?.hasCopy).toBe(false);
  });
});
