import { test, expect } from './fixtures';
import { expectPanel } from './panel';
import { DB, ORG } from '../replica/fixtures';

const databasePage = (dbId: string, tab = '') => `https://astra.datastax.com/org/${ORG.id}/database/${dbId}${tab}`;

test('a database hibernated after its bundle was kept: its popup card says so, learned from the console\'s own responses', async ({ context, replica, serviceWorker, openPopup, shoot }) => {
  void serviceWorker;
  const archive = DB.archive;
  // The bundle is kept while the database is active; then it hibernates, as free databases do after 48 idle hours.
  replica.setDatabaseStatus(archive.id, 'ACTIVE');
  try {
    const page = await context.newPage();
    await page.goto(databasePage(archive.id, '/connect'));
    await page.getByRole('button', { name: 'Get Bundle' }).click();
    await expectPanel(page, 'bundle').toContainText('Verified');

    const popup = await openPopup();
    const card = popup.locator(`[data-testid="bundle-row"][data-region="${archive.datacenters[0]!.region}"][data-kind="external"]`);
    await expect(card.getByText('Verified', { exact: true })).toBeVisible();
    await expect(card.getByTestId('db-state')).toHaveCount(0);

    replica.setDatabaseStatus(archive.id, 'HIBERNATED');
    await page.goto(databasePage(archive.id));
    await expect(page.getByText('Hibernated').first()).toBeVisible();

    // The open popup hears the change ('store-changed') and redraws the card.
    await expect(card.getByTestId('db-state')).toHaveText('Hibernated: drivers fail until you resume it in the console.');
    await expect(card.getByTestId('db-state')).toHaveAttribute('data-status', 'HIBERNATED');
    await shoot(popup, 'popup-database-hibernated');

    // Resumed: the line goes away again.
    replica.setDatabaseStatus(archive.id, 'ACTIVE');
    await page.goto(databasePage(archive.id));
    await expect(card.getByTestId('db-state')).toHaveCount(0);
  } finally {
    replica.setDatabaseStatus(archive.id, 'HIBERNATED');
  }
});
