import { test, expect } from './fixtures';
import { DB, ORG } from '../replica/fixtures';

const home = `https://astra.datastax.com/org/${ORG.id}`;

test('the MAIN-world hook sees an API response made by a page script', async ({ context, serviceWorker }) => {
  void serviceWorker;
  const page = await context.newPage();
  await page.goto(home);
  const seen = await page.evaluate(async (dbId) => {
    const events: string[] = [];
    const seen = new Promise<void>((resolve) =>
      window.addEventListener('astra-companion:response', (event) => {
        const detail = String((event as CustomEvent).detail);
        // The console's own calls are reported too (role names): keep only the one this test made.
        if (!detail.includes('secureBundleURL')) return;
        events.push(detail);
        resolve();
      }),
    );
    const response = await fetch(`https://api.astra.datastax.com/v2/databases/${dbId}/secureBundleURL`, { method: 'POST', credentials: 'include' });
    const body = await response.json();
    await Promise.race([seen, new Promise((resolve) => setTimeout(resolve, 5000))]);
    // Anything reported twice would show up here.
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { status: response.status, hasLink: typeof body.downloadURL === 'string', events };
  }, DB.inventory.id);
  expect(seen.status).toBe(200);
  expect(seen.hasLink).toBe(true);
  expect(seen.events).toHaveLength(1);
  const event = JSON.parse(seen.events[0]!);
  expect(event.via).toBe('fetch');
  expect(event.body).toContain('secure-connect-inventory.zip');
});

test('the page keeps working when the hook meets non-JSON, failing and refused responses', async ({ context, serviceWorker }) => {
  void serviceWorker;
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(home);
  const results = await page.evaluate(async () => {
    const notJson = await fetch('/this/page/does/not/exist.txt', { headers: { accept: 'text/plain' } });
    const text = await notJson.text();
    const refused = await fetch('https://127.0.0.1:1/').then(
      () => 'resolved',
      (error: Error) => error.name,
    );
    const xhr = await new Promise<{ status: number; length: number }>((resolve) => {
      const request = new XMLHttpRequest();
      request.open('GET', '/no-such-api');
      request.responseType = 'arraybuffer';
      request.onload = () => resolve({ status: request.status, length: (request.response as ArrayBuffer).byteLength });
      request.send();
    });
    const hibernated = await fetch(`https://api.astra.datastax.com/v2/databases/${'f2c8b6a4-0e1d-4b7c-9a35-6d8e2f4a1c90'}/secureBundleURL`, { method: 'POST', credentials: 'include' });
    return { textLength: text.length, refused, xhr, hibernated: { status: hibernated.status, body: await hibernated.json() } };
  });
  expect(results.textLength).toBeGreaterThan(0);
  expect(results.refused).toBe('TypeError');
  expect(results.xhr.length).toBeGreaterThan(0);
  expect(results.hibernated.status).toBe(409);
  expect(results.hibernated.body.errors[0].ID).toBe(340002);
  // The console's own app still navigates and renders after all that.
  await page.getByRole('link', { name: DB.orders.name, exact: true }).first().click();
  await expect(page).toHaveURL(new RegExp(`/database/${DB.orders.id}`));
  expect(errors).toEqual([]);
});

test('the popup opens and renders from the store', async ({ openPopup, shoot }) => {
  const popup = await openPopup();
  await expect(popup.getByRole('heading', { name: 'No bundles yet' })).toBeVisible();
  await expect(popup.getByRole('tab', { name: /Bundles/ })).toHaveAttribute('aria-selected', 'true');
  await shoot(popup, 'popup-empty');
});
