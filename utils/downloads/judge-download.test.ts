import { describe, expect, it } from 'vitest';
import {
  browserKindOf,
  isTemporaryPath,
  judgeDownload,
  recognizeUnpackedBundle,
  type BundleVerdictLike,
  type DownloadFacts,
  type JudgeContext,
} from './judge-download';
import type { BundleRecord } from '../bundle/types';

const DC = '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6-1';
const SIGNED_AT = Date.UTC(2024, 2, 5, 10, 10, 42);
const EXPIRES_AT = SIGNED_AT + 300_000;
const LINK =
  `https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/${DC}/secure-connect-orders.zip` +
  '?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAZ7EXAMPLE3QF4JH2%2F20240305%2Fus-east-2%2Fs3%2Faws4_request' +
  '&X-Amz-Date=20240305T101042Z&X-Amz-Expires=300&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const BUNDLE_SIZE = 12_263;

function bundle(extra: Partial<BundleRecord> = {}): BundleRecord {
  return {
    id: '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6|8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6-1|external',
    dbId: '8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6',
    dbName: 'orders',
    region: 'us-east-2',
    kind: 'external',
    fileName: 'secure-connect-orders.zip',
    link: LINK,
    signedAt: SIGNED_AT,
    expiresAt: EXPIRES_AT,
    capturedAt: SIGNED_AT + 1000,
    updatedAt: SIGNED_AT + 2000,
    page: 'https://astra.datastax.com/org/0b0f1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d/database/8d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6/connect',
    source: 'network',
    status: 'verified',
    problems: [],
    size: BUNDLE_SIZE,
    hasCopy: true,
    ...extra,
  };
}

/** A download as Chromium reports it once it ended. */
function download(extra: Partial<DownloadFacts> = {}): DownloadFacts {
  return {
    id: 7,
    url: LINK,
    finalUrl: LINK,
    filename: '/home/ada/Downloads/secure-connect-orders.zip',
    mime: 'application/zip',
    fileSize: BUNDLE_SIZE,
    totalBytes: BUNDLE_SIZE,
    bytesReceived: BUNDLE_SIZE,
    state: 'complete',
    exists: true,
    danger: 'safe',
    startTime: new Date(SIGNED_AT + 60_000).toISOString(),
    endTime: new Date(SIGNED_AT + 61_000).toISOString(),
    ...extra,
  };
}

const ctx = (extra: Partial<JudgeContext> = {}): JudgeContext => ({ bundle: bundle(), now: SIGNED_AT + 62_000, timeZone: 'UTC', ...extra });
const codes = (facts: DownloadFacts, context: JudgeContext) => judgeDownload(facts, context).map((f) => f.code);

const GOOD_RECHECK: BundleVerdictLike = { ok: true, problems: [], facts: { size: BUNDLE_SIZE, kind: 'zip' } };
const EXPIRED_RECHECK: BundleVerdictLike = {
  ok: false,
  problems: [{ code: 'storage-error', severity: 'error', message: 'This file is not a bundle: it holds the error Amazon S3 sends because the download link had expired (AccessDenied: Request has expired).', hint: 'Get Bundle again.' }],
  facts: { size: 512, kind: 'error-document', errorDocument: { code: 'AccessDenied', message: 'Request has expired', expired: true } },
};

describe('judgeDownload', () => {
  it('calls a download before expiry with the verified size good, and says it matches', () => {
    const [finding, ...rest] = judgeDownload(download(), ctx());
    expect(rest).toEqual([]);
    expect(finding?.code).toBe('ok');
    expect(finding?.message).toContain('matches the verified bundle');
    expect(finding?.actions).toEqual([]);
  });

  it('says nothing about a download that is still running', () => {
    expect(judgeDownload(download({ state: 'in_progress' }), ctx())).toEqual([]);
  });

  it('calls a download started after the link expired an expired link, with when, and both fixes', () => {
    const facts = download({
      fileSize: 512,
      totalBytes: 512,
      bytesReceived: 512,
      mime: 'application/xml',
      startTime: new Date(EXPIRES_AT + 120_000).toISOString(),
    });
    const [finding, ...rest] = judgeDownload(facts, ctx({ now: EXPIRES_AT + 121_000 }));
    expect(rest).toEqual([]);
    expect(finding?.code).toBe('link-expired');
    expect(finding?.message).toContain('had expired at 10:15:42 (5 minutes after it was made)');
    expect(finding?.message).toContain("storage's error message, not the bundle");
    expect(finding?.actions).toEqual(['save-copy', 'fresh-link']);
    expect(finding?.hint).toMatch(/Save the verified copy/);
  });

  it('offers only a fresh link when no verified copy was kept', () => {
    const facts = download({ state: 'interrupted', error: 'SERVER_FORBIDDEN', fileSize: 0, startTime: new Date(EXPIRES_AT + 5_000).toISOString() });
    const [finding] = judgeDownload(facts, ctx({ bundle: bundle({ hasCopy: false, size: undefined }) }));
    expect(finding?.code).toBe('link-expired');
    expect(finding?.message).toContain('storage refused it and nothing was saved');
    expect(finding?.actions).toEqual(['fresh-link']);
    expect(finding?.hint).toMatch(/Get Bundle/);
  });

  it('tells an altered link (403 before expiry) from an expired one', () => {
    const [finding] = judgeDownload(download({ state: 'interrupted', error: 'SERVER_FORBIDDEN' }), ctx());
    expect(finding?.code).toBe('interrupted');
    expect(finding?.message).toMatch(/had not expired/);
    expect(finding?.message).toMatch(/changed when it was copied/);
  });

  it('calls a 403 on a link of unknown age most likely expired', () => {
    const facts = download({ url: 'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/x/secure-connect-a.zip', finalUrl: undefined, state: 'interrupted', error: 'SERVER_FORBIDDEN' });
    const [finding] = judgeDownload(facts, { now: SIGNED_AT, timeZone: 'UTC' });
    expect(finding?.code).toBe('link-expired');
    expect(finding?.message).toContain('had most likely expired');
  });

  it('ignores a download the user cancelled', () => {
    expect(judgeDownload(download({ state: 'interrupted', error: 'USER_CANCELED' }), ctx())).toEqual([]);
  });

  it('explains other interruptions in plain words', () => {
    const [network] = judgeDownload(download({ state: 'interrupted', error: 'NETWORK_FAILED', bytesReceived: 4096 }), ctx());
    expect(network?.code).toBe('interrupted');
    expect(network?.message).toContain(`was cut off: 4,096 of ${BUNDLE_SIZE.toLocaleString('en-US')} bytes arrived, then the connection dropped (NETWORK_FAILED)`);
    const [short] = judgeDownload(download({ state: 'interrupted', error: 'FILE_TOO_SHORT' }), ctx({ bundle: bundle({ hasCopy: false }) }));
    expect(short?.message).toContain('shorter than announced');
    expect(short?.hint).toBe('The link is still valid until 10:15:42: download it again.');
    expect(short?.actions).toEqual(['retry-download']);
  });

  it('a cut download while the link is valid: says it was cut, offers the same link again or the kept copy, not a fresh link', () => {
    const facts = download({ state: 'interrupted', error: 'SERVER_CONTENT_LENGTH_MISMATCH', bytesReceived: 4000, totalBytes: BUNDLE_SIZE });
    const [finding] = judgeDownload(facts, ctx());
    expect(finding?.message).toBe(
      `The download of secure-connect-orders.zip was cut off: 4,000 of 12,263 bytes arrived, then storage sent fewer bytes than it announced (SERVER_CONTENT_LENGTH_MISMATCH). The part that was saved is not a usable bundle: delete it.`,
    );
    expect(finding?.hint).toBe('The link is still valid until 10:15:42: download it again, or save the verified copy Astra Companion kept.');
    expect(finding?.actions).toEqual(['retry-download', 'save-copy']);
    expect(finding?.linkExpiresAt).toBe(EXPIRES_AT);
  });

  it('a cut download judged after the link expired: the kept copy or a fresh link, never "still valid"', () => {
    const facts = download({ state: 'interrupted', error: 'SERVER_CONTENT_LENGTH_MISMATCH', bytesReceived: 4000, totalBytes: BUNDLE_SIZE });
    const [finding] = judgeDownload(facts, ctx({ now: EXPIRES_AT + 1000 }));
    expect(finding?.hint).not.toMatch(/still valid/);
    expect(finding?.actions).toEqual(['save-copy', 'fresh-link']);
  });

  it('calls a 200 answer with an XML body an error document even while the link is alive', () => {
    const facts = download({ mime: 'application/xml', fileSize: 493, totalBytes: 493, bytesReceived: 493 });
    const [finding, ...rest] = judgeDownload(facts, ctx());
    expect(rest).toEqual([]);
    expect(finding?.code).toBe('error-document');
    expect(finding?.message).toContain('(application/xml)');
  });

  it('calls a tiny zip-typed file too small to be a bundle', () => {
    const [finding] = judgeDownload(download({ fileSize: 493, totalBytes: 493, bytesReceived: 493 }), ctx({ bundle: undefined }));
    expect(finding?.code).toBe('too-small');
    expect(finding?.message).toContain('only 493 bytes');
    expect(finding?.actions).toEqual(['fresh-link']);
  });

  it('calls a file cut short of what storage announced a size mismatch', () => {
    const [finding] = judgeDownload(download({ fileSize: 8192, bytesReceived: 8192, totalBytes: BUNDLE_SIZE }), ctx());
    expect(finding?.code).toBe('size-mismatch');
    expect(finding?.message).toContain(`8192 of ${BUNDLE_SIZE} bytes`);
  });

  it('calls a file of another size than the verified copy a size mismatch', () => {
    const [finding] = judgeDownload(download({ fileSize: 12_001, totalBytes: -1, bytesReceived: 12_001 }), ctx());
    expect(finding?.code).toBe('size-mismatch');
    expect(finding?.message).toContain(`verified bundle is ${BUNDLE_SIZE} bytes`);
  });

  it('uses a recheck to confirm: the same size as freshly checked bytes is good even when sent as text/html', () => {
    const facts = download({ mime: 'text/html' });
    expect(codes(facts, ctx({ bundle: undefined }))).toEqual(['error-document']);
    expect(codes(facts, ctx({ bundle: undefined, recheck: GOOD_RECHECK }))).toEqual(['ok']);
  });

  it('uses a recheck that finds storage saying "expired" to call a small file an expired link', () => {
    const facts = download({ url: 'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/x/secure-connect-orders.zip', fileSize: 512, totalBytes: 512, bytesReceived: 512 });
    expect(codes(facts, ctx({ bundle: undefined, recheck: EXPIRED_RECHECK }))).toEqual(['link-expired']);
  });

  it('takes "expired" from storage\'s parsed error document, never from the words of a message', () => {
    const facts = download({ url: 'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/x/secure-connect-orders.zip', fileSize: 512, totalBytes: 512, bytesReceived: 512 });
    const wordsOnly: BundleVerdictLike = { ...EXPIRED_RECHECK, facts: { ...EXPIRED_RECHECK.facts, errorDocument: { code: 'AccessDenied', message: 'Request has expired', expired: false } } };
    expect(codes(facts, ctx({ bundle: undefined, recheck: wordsOnly }))).toEqual(['error-document']);
  });

  it('calls storage\'s error body behind a 200 on a live link an error document, not an expiry, even when sent as a zip', () => {
    // What Chromium reports when storage answers 200 application/zip with an XML error body.
    const facts = download({ fileSize: 367, totalBytes: 367, bytesReceived: 367, mime: 'application/zip' });
    const [finding, ...rest] = judgeDownload(facts, ctx({ recheck: EXPIRED_RECHECK }));
    expect(rest).toEqual([]);
    expect(finding?.code).toBe('error-document');
    expect(finding?.message).toContain('storage sent an error message and the browser saved it as the zip');
    expect(finding?.message).toContain('Storage said: AccessDenied: Request has expired. The link itself has not expired.');
    expect(finding?.actions).toEqual(['retry-download', 'save-copy']);
  });

  it('calls a truncated transfer (Chromium: SERVER_CONTENT_LENGTH_MISMATCH) an interrupted download', () => {
    const facts = download({ state: 'interrupted', error: 'SERVER_CONTENT_LENGTH_MISMATCH', bytesReceived: 4000 });
    const [finding] = judgeDownload(facts, ctx());
    expect(finding?.code).toBe('interrupted');
    expect(finding?.message).toContain('storage sent fewer bytes than it announced');
  });

  it('calls a link whose fresh bytes fail the checker not a bundle, with the checker\'s hint', () => {
    const recheck: BundleVerdictLike = {
      ok: false,
      problems: [{ code: 'missing-entry', severity: 'error', message: 'The bundle has no config.json.', hint: 'Download the bundle again.' }],
      facts: { size: 11_000, kind: 'zip' },
    };
    const [finding] = judgeDownload(download({ fileSize: 11_000, totalBytes: 11_000, bytesReceived: 11_000 }), ctx({ bundle: undefined, recheck }));
    expect(finding?.code).toBe('not-a-bundle');
    expect(finding?.message).toContain('no config.json');
    expect(finding?.hint).toBe('Download the bundle again.');
  });

  it('catches the browser opening the zip: gone after completion, in a temp folder, or flagged', () => {
    const gone = judgeDownload(download({ exists: false }), ctx({ browser: 'chrome' }));
    expect(gone.map((f) => f.code)).toEqual(['opened-by-browser']);
    expect(gone[0]?.hint).toContain('Save the zip as it is; do not let the browser open it.');
    expect(gone[0]?.hint).toContain('chrome://settings/downloads');
    expect(gone[0]?.actions).toEqual(['save-copy', 'browser-setting']);

    const firefox = judgeDownload(download({ filename: '/tmp/mozilla_ada0/secure-connect-orders.zip' }), ctx({ browser: 'firefox' }));
    expect(firefox.map((f) => f.code)).toEqual(['opened-by-browser']);
    expect(firefox[0]?.hint).toContain('Files and Applications');

    const windows = judgeDownload(download({ filename: 'C:\\Users\\ada\\AppData\\Local\\Temp\\secure-connect-orders.zip' }), ctx());
    expect(windows.map((f) => f.code)).toEqual(['opened-by-browser']);

    expect(codes(download({ opened: true }), ctx({ browser: 'safari' }))).toEqual(['opened-by-browser']);
  });

  it('reports what is wrong with the content before where the file went', () => {
    expect(codes(download({ exists: false, fileSize: 400, totalBytes: 400, bytesReceived: 400, mime: 'application/xml' }), ctx())).toEqual(['error-document']);
  });

  it('judges our own save of the kept copy by the file only, never by the old link', () => {
    const own = download({ url: 'data:application/zip;base64,UEsDBA==', finalUrl: undefined, startTime: new Date(EXPIRES_AT + 600_000).toISOString() });
    expect(codes(own, ctx({ ownSave: true, now: EXPIRES_AT + 601_000 }))).toEqual(['ok']);
    expect(codes({ ...own, exists: false }, ctx({ ownSave: true }))).toEqual(['opened-by-browser']);
  });
});

describe('where browsers put files they open', () => {
  it.each([
    ['C:\\Users\\ada\\AppData\\Local\\Temp\\secure-connect-orders.zip', true],
    ['/var/folders/7x/k2j3h4g5f6d7s8a9_0000gn/T/secure-connect-orders.zip', true],
    ['/private/var/folders/7x/k2j3h4g5f6d7s8a9_0000gn/T/secure-connect-orders.zip', true],
    ['/tmp/mozilla_ada0/secure-connect-orders.zip', true],
    ['/home/ada/Downloads/secure-connect-orders.zip', false],
    ['/tmp/astra-companion-downloads-x1/secure-connect-orders.zip', false],
    ['C:\\Users\\ada\\Downloads\\secure-connect-orders.zip', false],
  ])('%s: %s', (path, temporary) => {
    expect(isTemporaryPath(path)).toBe(temporary);
  });
});

describe('browserKindOf', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'chrome'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86', 'edge'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0', 'firefox'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'safari'],
  ])('%s', (ua, kind) => {
    expect(browserKindOf(ua)).toBe(kind);
  });
});

describe('recognizeUnpackedBundle', () => {
  it('recognizes the folder a browser unpacked a bundle into', () => {
    const finding = recognizeUnpackedBundle([
      'secure-connect-orders/ca.crt',
      'secure-connect-orders/cert',
      'secure-connect-orders/key',
      'secure-connect-orders/identity.jks',
      'secure-connect-orders/trustStore.jks',
      'secure-connect-orders/config.json',
      'secure-connect-orders/cqlshrc',
      'secure-connect-orders/cert.pfx',
    ]);
    expect(finding?.code).toBe('opened-by-browser');
    expect(finding?.message).toMatch(/^This is an extracted folder/);
    expect(finding?.hint).toMatch(/original secure-connect-\*\.zip/);
  });

  it('leaves other folders alone', () => {
    expect(recognizeUnpackedBundle(['photos/config.json', 'photos/cat.jpg'])).toBeUndefined();
    expect(recognizeUnpackedBundle([])).toBeUndefined();
  });
});
