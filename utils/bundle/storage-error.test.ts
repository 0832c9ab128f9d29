import { describe, expect, it } from 'vitest';
import * as bodies from '../../tests/unit/fixtures/storage-errors';
import { explainErrorDocument, readErrorDocument } from './storage-error';

describe('readErrorDocument', () => {
  it.each([
    ['S3 expired', bodies.S3_EXPIRED, { service: 's3', code: 'AccessDenied', expired: true, notYetValid: false, altered: false }],
    ['S3 not yet valid', bodies.S3_NOT_YET_VALID, { service: 's3', expired: false, notYetValid: true }],
    ['S3 signature', bodies.S3_SIGNATURE_DOES_NOT_MATCH, { service: 's3', code: 'SignatureDoesNotMatch', altered: true, expired: false }],
    ['S3 no such key', bodies.S3_NO_SUCH_KEY, { service: 's3', code: 'NoSuchKey', expired: false, altered: false }],
    ['GCS expired', bodies.GCS_EXPIRED, { service: 'gcs', code: 'ExpiredToken', expired: true, detail: 'Request signature expired at: 2024-03-05T10:15:42+00:00' }],
    ['GCS signature', bodies.GCS_SIGNATURE_DOES_NOT_MATCH, { service: 'gcs', altered: true }],
    ['Azure expired', bodies.AZURE_EXPIRED, { service: 'azure', code: 'AuthenticationFailed', expired: true, notYetValid: false }],
    ['Azure not yet valid', bodies.AZURE_NOT_YET_VALID, { service: 'azure', expired: false, notYetValid: true }],
    ['Azure signature', bodies.AZURE_SIGNATURE_DID_NOT_MATCH, { service: 'azure', altered: true, expired: false }],
    ['Azure blob not found', bodies.AZURE_BLOB_NOT_FOUND, { service: 'azure', code: 'BlobNotFound', message: 'The specified blob does not exist.' }],
    ['Astra API', bodies.ASTRA_API_ERROR, { service: 'astra-api', format: 'json', code: '340018' }],
  ])('%s', (_, body, expected) => {
    expect(readErrorDocument(body)).toMatchObject(expected);
  });

  it('keeps only the first line of an Azure message (no RequestId and Time)', () => {
    expect(readErrorDocument(bodies.AZURE_EXPIRED)!.message).toBe(
      'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.',
    );
  });

  it('names the service from the link when the body alone does not', () => {
    const bare = '<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
    expect(readErrorDocument(bare)!.service).toBe('unknown');
    expect(readErrorDocument(bare, 'https://datastax-cluster-config-prod.s3.us-east-2.amazonaws.com/x/y.zip?X-Amz-Date=1')!.service).toBe('s3');
    expect(readErrorDocument(bare, 'https://storage.googleapis.com/b/y.zip')!.service).toBe('gcs');
    expect(readErrorDocument(bare, 'https://acct.blob.core.windows.net/c/y.zip?se=2024')!.service).toBe('azure');
  });

  it('decodes XML entities in the message', () => {
    const doc = readErrorDocument('<Error><Code>InvalidArgument</Code><Message>a &amp; b &lt;c&gt; &#65;</Message></Error>');
    expect(doc!.message).toBe('a & b <c> A');
  });

  it('is not fooled by other XML, JSON or text', () => {
    for (const text of ['<ListBucketResult/>', '<Error>no code</Error>', '{"host":"x"}', '[1,2]', 'Error: Code', '{oops']) {
      expect(readErrorDocument(text)).toBeUndefined();
    }
  });
});

describe('explainErrorDocument', () => {
  it('gives every kind of failure a message and a hint in plain words', () => {
    for (const body of Object.values(bodies).filter((b) => !b.includes('<html'))) {
      const doc = readErrorDocument(body)!;
      const { message, hint } = explainErrorDocument(doc);
      expect(message).toMatch(/^This file is not a bundle/);
      expect(hint).toMatch(/Astra console|Connect tab|Get Bundle|clock/);
    }
  });
});
