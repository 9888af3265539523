import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures/serve-app';

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/dashboard-shots');

test.describe('dashboard in the browser against serve mode', () => {
  test('health card, Back up now with progress, verify, log filters; screenshots light and dark', async ({
    app,
    page,
  }) => {
    app.emulator.script({
      match: 'Kampala',
      reply: { content: 'In Kampala the PM2.5 is moderate today.', tokenDelayMs: 10 },
    });
    await app.open(page);
    // Some activity for the charts: a chat reply (tokens/s) and the calls around it.
    await page.getByLabel('Message').fill('How is the air in Kampala?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('moderate today');

    await page.getByRole('button', { name: 'Dashboard' }).click();
    await expect(page.getByRole('heading', { name: 'Dashboard', level: 1 })).toBeVisible();

    // Health: a light and a reason for each check (the first daily backup waits 2 minutes after start).
    const health = page.locator('.db-health');
    await expect(health.locator('[data-check="store"]')).toContainText('1 conversation, 2 messages');
    await expect(health.locator('[data-check="ollama"]')).toHaveClass(/status-ok/);
    await expect(health.locator('[data-check="backup"]')).toContainText('Last backup');
    await expect(health.locator('.db-check')).toHaveCount(8);

    // Hardware card.
    await expect(page.locator('.db-hardware')).toContainText('Memory');
    await expect(page.locator('.db-hardware')).toContainText('Recommended model');

    // Back up now: the bar shows up, fills, the backup is listed with its counts, the health turns green.
    await page.getByRole('button', { name: 'Back up now' }).click();
    const bar = page.getByRole('progressbar', { name: /Backing up progress/ });
    await expect(bar).toBeVisible();
    await expect(bar).toHaveAttribute('aria-valuenow', '100');
    await expect(page.locator('.db-progress')).toContainText('Backed up 1 conversation, 2 messages.');
    const list = page.getByRole('list', { name: 'Backups' });
    const mine = list.locator('.db-backup[data-kind="manual"]');
    await expect(mine).toHaveCount(1);
    await expect(mine).toContainText('1 conversation · 2 messages');
    await expect(health.locator('[data-check="backup"]')).toContainText('1 conversation, 2 messages');

    // Verify it.
    await mine.getByRole('button', { name: 'Verify' }).click();
    await expect(mine.getByRole('status')).toContainText('Verified: checksum, integrity and schema are good.');

    // Restore shows a preview and asks for confirmation before anything changes.
    await mine.getByRole('button', { name: 'Restore…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' });
    await expect(dialog).toContainText('Conversations');
    await expect(dialog.getByRole('button', { name: 'Restore' })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();

    // Log viewer: the app log has the engine start and the backup; filters narrow it.
    const logs = page.getByRole('log', { name: 'Log entries' });
    await page.getByLabel('Search the log').fill('backup');
    await expect(logs.locator('.db-log-row').filter({ hasNotText: /backup/i })).toHaveCount(0);
    // Just the one made above: the scheduled first backup waits 2 minutes after start (AERIS_FIRST_BACKUP_DELAY_MS).
    await expect(logs.locator('.db-log-row').filter({ hasText: 'backup created' })).toHaveCount(1);
    await page.getByLabel('Search the log').fill('');
    await page.getByLabel('Level').selectOption('error');
    await expect(logs).toContainText('No entries match.');
    await page.getByLabel('Level').selectOption('');
    await expect(logs).toContainText('engine started');
    await page.getByLabel('Log file').selectOption('access');
    await expect(logs).toContainText('/bridge/call/backups.create');

    // Live tail: a new backup's log line shows up without a new query.
    await page.getByLabel('Log file').selectOption('app');
    await expect(logs.locator('.db-log-row').filter({ hasText: 'backup created' })).toHaveCount(1);
    await page.getByLabel('Live tail').check();
    await page.getByRole('button', { name: 'Back up now' }).click();
    await expect(logs.locator('.db-log-row').filter({ hasText: 'backup created' })).toHaveCount(2);
    await page.getByLabel('Live tail').uncheck();

    // A chart tile opens the detailed chart.
    await page.getByRole('button', { name: 'Requests: show the detailed chart' }).click();
    await expect(page.locator('.db-expanded svg').first()).toBeVisible();

    // Screenshots, light and dark (the theme follows the system by default).
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.setViewportSize({ width: 1360, height: 2000 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: path.join(SHOTS, 'dashboard-dark.png'), fullPage: true });
  });

  test('the health card gives the reason for anything not green', async ({ app, page }) => {
    // The engine here is healthy; the answer is shaped by hand to show each light.
    await page.route('**/bridge/call/health.detail', async (route) => {
      const real = (await (await route.fetch()).json()) as {
        result: { checks: { id: string; status: string; reason: string }[] };
      };
      for (const c of real.result.checks) {
        if (c.id === 'ollama')
          Object.assign(c, {
            status: 'fail',
            reason: 'Ollama crashed 3 times in a minute; see logs/ollama.log. Restart it from the Models page.',
            // Shaped by hand: no message id, so the UI shows these words as they are (as for the supervisor's).
            reasonText: undefined,
          });
        if (c.id === 'disk')
          Object.assign(c, {
            status: 'warn',
            reason: '1.4 GB free of 238 GB (99 % used): under 2 GB or 10 % free; backups may not fit.',
            reasonText: undefined,
          });
      }
      await route.fulfill({ json: real });
    });
    await app.open(page);
    await page.getByRole('button', { name: 'Dashboard' }).click();
    const health = page.locator('.db-health');
    // The two shaped above, and the real one: no backup yet (the first daily one waits 2 minutes after start).
    await expect(health).toContainText('3 things need attention');
    await expect(health.locator('[data-check="backup"]')).toContainText('No backup yet');
    await expect(health.locator('[data-check="ollama"]')).toHaveClass(/status-fail/);
    await expect(health.locator('[data-check="ollama"]')).toContainText('Ollama crashed 3 times');
    await expect(health.locator('[data-check="disk"] [role="img"]')).toHaveAttribute('aria-label', 'Warning');
    fs.mkdirSync(SHOTS, { recursive: true });
    await health.screenshot({ path: path.join(SHOTS, 'health-problems-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await health.screenshot({ path: path.join(SHOTS, 'health-problems-dark.png') });
  });
});
