import { beforeAll, describe, expect, it } from 'vitest';
import { makeBundle, makeBundleParts, zipBundle } from '../../tests/replica/make-bundle';
import { checkBundle, type BundleVerdict } from './check-bundle';

const spec = { dbId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', dbName: 'ledger', region: 'eu-west-1' };
const codes = (verdict: BundleVerdict) => verdict.problems.map((p) => `${p.severity}:${p.code}`);

describe('hostile bundles: who vouches for the client certificate', () => {
  let good: Uint8Array;
  beforeAll(async () => {
    good = await makeBundle(spec);
  });

  it('a real bundle is trusted: no certificate-untrusted, no unusual-host', async () => {
    const verdict = await checkBundle(good);
    expect(verdict.ok).toBe(true);
    expect(codes(verdict)).toEqual([]);
  });

  it('a client cert signed by another CA of the same name: certificate-untrusted (error)', async () => {
    const verdict = await checkBundle(await makeBundle({ ...spec, signedBy: 'other-ca' }));
    expect(verdict.ok).toBe(false);
    expect(codes(verdict)).toContain('error:certificate-untrusted');
    expect(verdict.problems.find((p) => p.code === 'certificate-untrusted')?.message).toMatch(/not issued by/);
  });

  it('a ca.crt without the CA basic constraint: certificate-untrusted (error), though it signed the cert', async () => {
    const verdict = await checkBundle(await makeBundle({ ...spec, caWithoutCaFlag: true }));
    expect(verdict.ok).toBe(false);
    expect(codes(verdict)).toContain('error:certificate-untrusted');
    expect(verdict.problems.find((p) => p.code === 'certificate-untrusted')?.message).toMatch(/not a certificate authority/);
  });

  it('cert and key taken from a bundle of another CA, ca.crt kept: certificate-untrusted', async () => {
    const [parts, foreign] = await Promise.all([makeBundleParts(spec), makeBundleParts({ ...spec, signedBy: 'other-ca' })]);
    // ca.crt stays the bundle's own; cert and key come from a bundle the other CA issued.
    const verdict = await checkBundle(await zipBundle({ ...parts, cert: foreign.cert!, key: foreign.key! }));
    expect(codes(verdict)).toContain('error:certificate-untrusted');
  });
});

describe('hostile bundles: where config.json sends the drivers', () => {
  it.each([
    ['another host', 'db.attacker.example'],
    ['a look-alike suffix', `${spec.dbId}-${spec.region}.db.astra.datastax.com.attacker.example`],
    ['an IP address', '203.0.113.7'],
  ])('%s: unusual-host (a warning that mentions custom domains)', async (_label, host) => {
    const verdict = await checkBundle(await makeBundle({ ...spec, host }));
    const problem = verdict.problems.find((p) => p.code === 'unusual-host');
    expect(problem?.severity).toBe('warning');
    expect(problem?.hint).toMatch(/custom-domain/);
    expect(verdict.ok).toBe(true);
  });

  it('an Astra database host in any region: no unusual-host', async () => {
    const verdict = await checkBundle(await makeBundle({ ...spec, region: 'ap-south-1' }));
    expect(codes(verdict)).not.toContain('warning:unusual-host');
  });
});
