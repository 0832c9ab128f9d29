import { describe, expect, it } from 'vitest';
import { startBackground } from './start-background';
import { fakePorts, TEST_EXTENSION_ID, TEST_EXTENSION_ORIGIN } from '../../tests/unit/fixtures/fake-ports';
import { getKv } from '../store/queries';

const popup = { id: TEST_EXTENSION_ID, url: `${TEST_EXTENSION_ORIGIN}popup.html` };

describe('a passphrase sent straight to the background, past the popup\'s strength meter', () => {
  it('is refused when it is a common password, with a clear message, and nothing stored changes', async () => {
    const background = startBackground(fakePorts(), { storeName: `passphrase-floor-${Math.random()}` });
    const handle = background.onMessage;
    expect(await handle({ type: 'vault-status' }, popup)).toMatchObject({ ok: true, value: { hasPassphrase: false } });
    const db = await background.services.db();
    const before = await getKv(db, 'vault.meta');

    const answer = await handle({ type: 'vault-set-passphrase', current: null, next: 'Password1234!' }, popup);
    expect(answer).toMatchObject({ ok: false, error: { code: 'weak-passphrase', message: 'That passphrase is too easy to guess: it is a common password or a simple pattern.' } });
    expect(JSON.stringify(answer)).not.toContain('Password1234!');
    expect(await getKv(db, 'vault.meta')).toEqual(before);
    expect(await handle({ type: 'vault-status' }, popup)).toMatchObject({ ok: true, value: { hasPassphrase: false, locked: false } });

    // A strong one is taken at once: the refusal was about the passphrase, not the route.
    expect(await handle({ type: 'vault-set-passphrase', current: null, next: 'correct horse battery staple' }, popup)).toMatchObject({ ok: true, value: { hasPassphrase: true } });
  });
});
