import fs from 'node:fs';
import path from 'node:path';
import { buildLegacyDb } from '../test/helpers/legacy-db';
import { expect, test } from './fixtures/serve-app';

test.use({ onboarding: true });

test.describe('first-run wizard: conversations from the AirQualityAgent server', () => {
  test('uploads the old database, shows the report, and the conversations are in the app', async ({ app, page }) => {
    const legacy = path.join(path.dirname(app.dataDir), `${path.basename(app.dataDir)}-aeris_agent.db`);
    buildLegacyDb(legacy);
    try {
      await page.goto(`${app.url}/#token=${app.token}`);
      await expect(page.getByTestId('onboarding')).toBeVisible();
      await page.getByRole('button', { name: 'Get started' }).click();
      await expect(page.getByRole('heading', { level: 1, name: /AirQualityAgent server/ })).toBeFocused();

      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose the database file…' }).click();
      await (await chooser).setFiles(legacy);
      const result = page.getByTestId('ob-history-result');
      await expect(result).toContainText('Imported 2 conversations and 6 messages');
      await expect(result).toContainText('2 rows skipped: 1 × message role "tool", 1 × message of no session.');
      // The upload was read from the data dir's uploads folder and removed.
      expect(fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([]);

      // A second time adds nothing, and says so.
      const again = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose the database file…' }).click();
      await (await again).setFiles(legacy);
      await expect(result).toContainText('Nothing new to bring in');

      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'This computer' })).toBeFocused();
      await page.getByRole('button', { name: 'Skip for now' }).click();
      await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
      await expect(page.getByText('Air quality in Kampala?').first()).toBeVisible();
      await expect(page.getByText('Is it safe to run outside in Nairobi?').first()).toBeVisible();
    } finally {
      fs.rmSync(legacy, { force: true });
    }
  });

  test('a file that is not the server’s database is refused in words; the step can be skipped', async ({
    app,
    page,
  }) => {
    const notDb = path.join(path.dirname(app.dataDir), `${path.basename(app.dataDir)}-notes.db`);
    fs.writeFileSync(notDb, 'these are notes, not a database');
    try {
      await page.goto(`${app.url}/#token=${app.token}`);
      await page.getByRole('button', { name: 'Get started' }).click();
      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Choose the database file…' }).click();
      await (await chooser).setFiles(notDb);
      const result = page.getByTestId('ob-history-result');
      await expect(result.getByRole('alert')).toContainText('Could not import that file');
      await expect(result).toContainText(/is not an SQLite database/);
      await page.getByRole('button', { name: 'Next' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'This computer' })).toBeFocused();
    } finally {
      fs.rmSync(notDb, { force: true });
    }
  });
});
