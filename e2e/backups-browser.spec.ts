import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures/serve-app';

test.describe('backups through the browser against serve mode', () => {
  test('Back up now, Download it byte for byte, Upload it back and see it listed', async ({ app, page }) => {
    await app.open(page);
    await page.getByRole('button', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'Back up now' }).click();
    const list = page.getByRole('list', { name: 'Backups' });
    const mine = list.locator('.db-backup[data-kind="manual"]');
    await expect(mine).toHaveCount(1);
    const name = (await mine.getAttribute('data-name'))!;
    const onDisk = fs.readFileSync(path.join(app.dataDir, 'backups', name));

    // Download: the browser saves the very bytes of the backup, under its own name.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      mine.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    const saved = await download.path();
    expect(fs.readFileSync(saved).equals(onDisk)).toBe(true);

    // A browser has no server path to type: the import row uploads a file from this computer instead.
    await expect(page.getByPlaceholder(/\.aerisbak$/)).toHaveCount(0);
    await page.getByLabel('Backup file to upload').setInputFiles({
      name,
      mimeType: 'application/octet-stream',
      buffer: fs.readFileSync(saved),
    });
    await expect(page.getByText(/^Imported .*It is checked and listed below\./)).toBeVisible();
    await expect(mine).toHaveCount(2);
    const names = await mine.evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
    const copy = names.find((n) => n !== name)!;
    expect(fs.readFileSync(path.join(app.dataDir, 'backups', copy)).equals(onDisk)).toBe(true);
  });
});
