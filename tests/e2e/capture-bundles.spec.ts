import { test, expect } from './fixtures';
import { DB, ORG } from '../replica/fixtures';

const connect = (dbId: string) => `https://astra.datastax.com/org/${ORG.id}/database/${dbId}/connect`;

test('Get Bundle on a two-region database: both regions verified in the dialog and the popup', async ({ context, serviceWorker, openPopup, shoot }) => {
  void serviceWorker;
  const page = await context.newPage();
  await page.goto(connect(DB.orders.id));
  await page.getByRole('button', { name: 'Get Bundle' }).click();
  const dialog = page.getByRole('dialog', { name: 'Secure Connect Bundle Download' });
  await expect(dialog).toBeVisible();
  const panel = dialog.getByTestId('astra-companion-bundle-panel');
  await expect(panel).toContainText(/Verified: 1\d\.\d KB, 8 files, cert valid until \d{4}-\d{2}-\d{2}, copy kept/);
  await expect(panel).toContainText(/Link valid for [45]:\d\d/);
  await shoot(page, 'console-get-bundle-dialog');

  const popup = await openPopup();
  // The response carries all four link kinds per region: the regular ones show, the others are folded.
  await expect(popup.locator('[data-testid="bundle-row"][data-kind="external"]')).toHaveCount(2);
  await expect(popup.getByText('6 more: VPC peering and migration proxy bundles')).toBeVisible();
  for (const region of ['us-east1', 'europe-west1']) {
    const row = popup.locator(`[data-testid="bundle-row"][data-region="${region}"][data-kind="external"]`);
    await expect(row.getByText('Verified', { exact: true })).toBeVisible();
    await expect(row.getByTestId('link-time')).toContainText(/Link valid for [45]:\d\d/);
  }
  await shoot(popup, 'popup-bundles');
});
