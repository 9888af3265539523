import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures/serve-app';
import { overwriteBytes } from '../test/helpers/damage-store';

const CLI = path.resolve(import.meta.dirname, '../dist/cli.cjs');
const SHOTS = path.resolve(import.meta.dirname, '../.tmp/recovery-shots');

test.describe('a damaged store in the browser against serve mode', () => {
  test('recovery screen after garbage over the header; restoring the backup brings the conversation back', async ({
    app,
    page,
  }) => {
    app.emulator.script({
      match: 'Gulu',
      reply: { content: 'In Gulu the PM2.5 is good this morning.', tokenDelayMs: 5 },
    });
    await app.open(page);
    await page.getByLabel('Message').fill('How is the air in Gulu?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('good this morning');

    // A backup by the CLI, as a person would make one, while serve runs.
    const made = JSON.parse(
      execFileSync(process.execPath, [CLI, 'backup', 'create', '--json', '--data-dir', app.dataDir], {
        encoding: 'utf8',
        env: { ...process.env, OLLAMA_HOST: app.emulator.url },
      }),
    ) as { sessions: number; messages: number };
    expect(made).toMatchObject({ sessions: 1, messages: 2 });

    // The laptop dies; when it comes back, the first 100 bytes of the store are garbage.
    const db = path.join(app.dataDir, 'data', 'aeris_agent.db');
    await app.restart({ hard: true, whileStopped: () => overwriteBytes(db, 0, 100) });

    await page.goto(`${app.url}/#token=${app.token}`);
    await expect(page.getByRole('heading', { name: 'Your chat history needs repair' })).toBeVisible();
    await expect(page.getByText('What was found:')).toBeVisible();
    await expect(page.getByText(/start of the chat history file is damaged/)).toBeVisible();
    const newest = page.locator('.recovery-backup').first();
    await expect(newest).toContainText('1 conversation, 2 messages');
    await expect(page.getByRole('button', { name: 'Salvage what can be read' })).toBeVisible();
    // The API behind it says the same to scripts.
    const health = await page.request.get(`${app.url}/health`);
    expect(health.status()).toBe(503);

    fs.mkdirSync(SHOTS, { recursive: true });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const [w, h] of [
        [1280, 800],
        [800, 600],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        await page.screenshot({ path: path.join(SHOTS, `recovery-${scheme}-${w}x${h}.png`) });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 800 });

    await newest.getByRole('button', { name: /Restore the backup from/ }).click();
    await expect(page.getByRole('heading', { name: 'Your chat history is back' })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByText(/kept \(not deleted\) as/)).toBeVisible();
    await page.screenshot({ path: path.join(SHOTS, 'recovered-light-1280x800.png') });
    const aside = fs.readdirSync(path.join(app.dataDir, 'data')).filter((n) => n.includes('.corrupt-'));
    expect(aside.length).toBeGreaterThan(0);

    await page.getByRole('button', { name: 'Open AERIS-AQ' }).click();
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('good this morning');
    // /health answers from a result shared for 1.5 s (probes cannot load the server), so it turns within that.
    await expect.poll(async () => (await page.request.get(`${app.url}/health`)).status(), { timeout: 5_000 }).toBe(200);
  });

  test('without a backup: salvage from the screen keeps every readable row, says what was kept, opens the app', async ({
    app,
    page,
  }) => {
    app.emulator.script({
      match: 'Lira',
      reply: { content: 'In Lira the PM10 is high near the road.', tokenDelayMs: 5 },
    });
    await app.open(page);
    await page.getByLabel('Message').fill('How is the air in Lira?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('high near the road');
    const db = path.join(app.dataDir, 'data', 'aeris_agent.db');
    await app.restart({
      hard: true,
      whileStopped: () => {
        // No backup to fall back on; the reply may still be only in the WAL beside the damaged file.
        for (const f of fs.readdirSync(path.join(app.dataDir, 'backups'))) {
          fs.rmSync(path.join(app.dataDir, 'backups', f), { force: true });
        }
        overwriteBytes(db, 0, 100);
      },
    });
    await page.goto(`${app.url}/#token=${app.token}`);
    await expect(page.getByRole('heading', { name: 'Your chat history needs repair' })).toBeVisible();
    await expect(page.getByText(/No backups were found/)).toBeVisible();
    await page.getByRole('button', { name: 'Salvage what can be read' }).click();
    await expect(page.getByRole('heading', { name: 'Your chat history is back' })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('row', { name: /Conversations/ })).toBeVisible();
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'salvaged-light-1280x800.png') });
    await expect(page.getByRole('row', { name: /Messages/ })).toContainText('2 kept');
    await page.getByRole('button', { name: 'Open AERIS-AQ' }).click();
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('high near the road');
    // /health answers from a result shared for 1.5 s (probes cannot load the server), so it turns within that.
    await expect.poll(async () => (await page.request.get(`${app.url}/health`)).status(), { timeout: 5_000 }).toBe(200);
  });
});
