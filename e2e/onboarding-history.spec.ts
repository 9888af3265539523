import fs from 'node:fs';
import os from 'node:os';
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

test.describe('first-run wizard: the server’s database found where it was kept', () => {
  // The original reads DATABASE_URL; serve is pointed at a database built for this run (four slashes: absolute).
  // Named per worker, made only when the tests here run (loading the file to list tests leaves nothing behind).
  const dir = path.join(os.tmpdir(), `aeris-e2e-legacy-${process.pid}`);
  const legacy = path.join(dir, 'aeris_agent.db');
  test.use({ serveEnv: { DATABASE_URL: `sqlite:///${legacy}` } });
  test.beforeAll(() => {
    fs.mkdirSync(dir, { recursive: true });
    fs.rmSync(legacy, { force: true });
    buildLegacyDb(legacy);
  });
  test.afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('offers the found file with its counts; Import them brings the conversations in', async ({ app, page }) => {
    await page.goto(`${app.url}/#token=${app.token}`);
    await page.getByRole('button', { name: 'Get started' }).click();
    const found = page.getByTestId('ob-history-found');
    await expect(found).toContainText(
      `Found conversations from the AirQualityAgent server: 2 conversations, 8 messages, at ${legacy}.`,
    );
    // The manual choice stays below the offer.
    await expect(page.getByRole('button', { name: 'Choose the database file…' })).toBeVisible();
    await found.getByRole('button', { name: 'Import them' }).click();
    const result = page.getByTestId('ob-history-result');
    await expect(result).toContainText('Imported 2 conversations and 6 messages');
    await expect(result).toContainText('2 rows skipped: 1 × message role "tool", 1 × message of no session.');

    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'This computer' })).toBeFocused();
    await page.getByRole('button', { name: 'Skip for now' }).click();
    await expect(page.getByText('Air quality in Kampala?').first()).toBeVisible();
    await expect(page.getByText('Is it safe to run outside in Nairobi?').first()).toBeVisible();
  });
});
