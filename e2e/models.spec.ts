import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/serve-app';
import { backgroundLuminance, expectLaidOut } from './fixtures/layout-checks';
import { pullable } from '../main/ollama/test-support/pullable';

/**
 * A fake `nvidia-smi` first on serve's PATH: one 6 GB card with 5.7 GB free, so the fit badges are the same
 * on every machine (RAM is this machine's own, which only decides whether a 70B model is "too large").
 */
const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-e2e-bin-'));
fs.writeFileSync(
  path.join(binDir, 'nvidia-smi'),
  '#!/bin/sh\necho "0, NVIDIA GeForce RTX 3050 Laptop GPU, 6144, 300, 5844, 550.54.14, 8.6"\n',
);
fs.chmodSync(path.join(binDir, 'nvidia-smi'), 0o755);
test.use({ serveEnv: { PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` } });
test.afterAll(() => fs.rmSync(binDir, { recursive: true, force: true }));

async function openModels(app: { open(page: Page): Promise<void> }, page: Page): Promise<void> {
  await app.open(page);
  await page.getByRole('button', { name: /^Models/ }).click();
  await expect(page.getByRole('heading', { name: 'Models', level: 1 })).toBeVisible();
}

/** The total bar's value for a pull, 0–100 (null while unknown). */
async function percentOf(page: Page, name: string): Promise<number | null> {
  const v = await page.getByRole('progressbar', { name: `${name} total` }).getAttribute('aria-valuenow');
  return v === null ? null : Number(v);
}

test.describe('Models page against serve mode', () => {
  test('shows the engine, fit badges with the numbers behind them, and pulls a model with a progress bar', async ({
    app,
    page,
  }) => {
    app.emulator.publish(pullable('qwen2.5:0.5b', 3, 40_000_000));
    app.emulator.pullTickMs = 50;
    app.emulator.pullBytesPerTick = 2_000_000;
    await openModels(app, page);

    await expect(page.getByTestId('engine-state')).toHaveText('Connected');
    await expect(page.getByLabel('Ollama engine')).toContainText(app.emulator.url);

    const catalog = page.getByLabel('Catalog');
    await expect(catalog).toContainText('NVIDIA GeForce RTX 3050 Laptop GPU, 6 GB VRAM');
    const small = page.getByTestId('catalog-qwen2.5:3b');
    await expect(small.locator('.mp-fit')).toHaveText('Full GPU');
    await expect(small).toContainText('needs');
    await expect(page.getByTestId('catalog-qwen2.5:14b').locator('.mp-fit')).toHaveText(/Partial · \d+% GPU/);
    // A badge for every catalog model that fits, plus those too large once shown.
    await expect(catalog.locator('.mp-cat-list .mp-fit.fit-full-gpu').first()).toBeVisible();
    const tooLarge = catalog.getByRole('button', { name: /^Show \d+ models? too large for this computer/ });
    if (os.freemem() < 30 * 1024 ** 3) {
      await tooLarge.click();
      await expect(page.getByTestId('catalog-llama3:70b').locator('.mp-fit')).toHaveText('Too large');
    }

    // "Why?" opens the estimate's parts.
    await small.getByRole('button', { name: 'Why?' }).click();
    const why = small.locator('.mp-why');
    await expect(why).toContainText('Weights');
    await expect(why).toContainText('KV cache');
    await expect(why).toContainText('GPU overhead');
    await expect(why).toContainText('VRAM free');

    await page.getByRole('button', { name: 'Pull qwen2.5:0.5b' }).click();
    const row = page.getByTestId('pull-qwen2.5:0.5b');
    await expect(row).toBeVisible();
    await expect.poll(async () => percentOf(page, 'qwen2.5:0.5b'), { timeout: 10_000 }).toBeGreaterThan(0);
    await expect(row.getByRole('progressbar', { name: /^layer / }).first()).toBeVisible();
    await expect(row).toContainText(/MB of 120 MB/);
    await expect(row.locator('.mp-chip')).toHaveText('Installed', { timeout: 20_000 });
    await expect(page.getByTestId('installed-qwen2.5:0.5b')).toBeVisible();
    await expect(page.getByTestId('catalog-qwen2.5:0.5b')).toContainText('On this computer');
  });

  test('refuses a bad name, cancels a download and resumes it', async ({ app, page }) => {
    app.emulator.publish(pullable('llama3.2:1b', 2, 100_000_000));
    app.emulator.pullTickMs = 50;
    app.emulator.pullBytesPerTick = 2_000_000;
    await openModels(app, page);

    const box = page.getByLabel('Pull by name');
    await box.fill('bad name!');
    await expect(page.locator('#mp-pull-name-help')).toContainText('no spaces');
    await expect(page.locator('.mp-pull-name-form').getByRole('button', { name: 'Pull' })).toBeDisabled();
    await box.fill('llama3.2:1b');
    await page.keyboard.press('Enter');

    const row = page.getByTestId('pull-llama3.2:1b');
    await expect.poll(async () => percentOf(page, 'llama3.2:1b'), { timeout: 10_000 }).toBeGreaterThan(5);
    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect(row.locator('.mp-chip')).toHaveText('Cancelled');
    const stoppedAt = (await percentOf(page, 'llama3.2:1b')) ?? 0;
    expect(app.emulator.isInstalled('llama3.2:1b')).toBe(false);
    await expect(row).toContainText('Resume continues where it stopped');

    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row.locator('.mp-chip')).toHaveText('Downloading');
    // Ollama kept the partial blob: the bar does not go back to zero.
    await expect.poll(async () => percentOf(page, 'llama3.2:1b')).toBeGreaterThanOrEqual(Math.floor(stoppedAt));
    app.emulator.pullBytesPerTick = 50_000_000;
    await expect(row.locator('.mp-chip')).toHaveText('Installed', { timeout: 20_000 });
    expect(app.emulator.isInstalled('llama3.2:1b')).toBe(true);
  });

  test('offers a download the app was killed in for resume after a restart', async ({ app, page }) => {
    app.emulator.publish(pullable('qwen3:0.6b', 2, 200_000_000));
    app.emulator.pullTickMs = 50;
    app.emulator.pullBytesPerTick = 2_000_000;
    await openModels(app, page);
    await page.getByRole('button', { name: 'Pull qwen3:0.6b' }).click();
    await expect.poll(async () => percentOf(page, 'qwen3:0.6b'), { timeout: 10_000 }).toBeGreaterThan(0);
    await app.restart({ hard: true });
    await openModels(app, page);
    const row = page.getByTestId('pull-qwen3:0.6b');
    await expect(row.locator('.mp-chip')).toHaveText('Interrupted');
    await expect(page.getByLabel('Downloads')).toContainText('1 unfinished download can be resumed');
    expect(app.emulator.isInstalled('qwen3:0.6b')).toBe(false);
    app.emulator.pullBytesPerTick = 50_000_000;
    await row.getByRole('button', { name: 'Resume' }).click();
    await expect(row.locator('.mp-chip')).toHaveText('Installed', { timeout: 20_000 });
  });

  test('deletes a model only after confirmation; loaded models show their GPU share', async ({ app, page }) => {
    app.emulator.setGpuShare('qwen2.5:3b', 0.62);
    await app.open(page);
    // The chat's model picker says which models will be slow here.
    await expect(page.getByLabel('Model', { exact: true }).locator('option', { hasText: 'llama3.1:8b' })).toHaveText(
      /% on GPU, slower/,
    );
    await openModels(app, page);
    const row = page.getByTestId('installed-llama3.1:8b');
    await expect(row).toContainText('4.9 GB');
    await expect(row.locator('.mp-cap.cap-tools')).toHaveText('tools');

    await row.getByRole('button', { name: 'Delete llama3.1:8b' }).click();
    const dialog = page.getByRole('alertdialog', { name: 'Delete llama3.1:8b?' });
    await expect(dialog).toContainText('frees 4.9 GB');
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    await expect(dialog).toBeHidden();
    expect(app.emulator.isInstalled('llama3.1:8b')).toBe(true);

    await row.getByRole('button', { name: 'Delete llama3.1:8b' }).click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(row).toBeHidden();
    expect(app.emulator.isInstalled('llama3.1:8b')).toBe(false);

    const qwen = page.getByTestId('installed-qwen2.5:3b');
    await qwen.getByRole('button', { name: 'Load' }).click();
    await expect(page.getByTestId('share-qwen2.5:3b')).toHaveText('62% GPU');
    await expect(qwen).toContainText(/estimate \d/);
    await qwen.getByRole('button', { name: 'Make qwen2.5:3b the default model' }).click();
    await expect(qwen.locator('.mp-default-tag')).toHaveText('default');
  });

  test('light and dark: the models page is painted and laid out inside the window (screenshots kept)', async ({
    app,
    page,
  }, info) => {
    app.emulator.publish(pullable('llama3.2:3b', 4, 500_000_000));
    app.emulator.publish(pullable('gemma2:2b', 2, 400_000_000));
    app.emulator.pullTickMs = 60;
    app.emulator.pullBytesPerTick = 3_000_000;
    app.emulator.setGpuShare('qwen2.5:3b', 0.62);
    await page.setViewportSize({ width: 1280, height: 2900 });
    await openModels(app, page);
    await page.getByTestId('installed-qwen2.5:3b').getByRole('button', { name: 'Load' }).click();
    await expect(page.getByTestId('share-qwen2.5:3b')).toHaveText('62% GPU');
    await page.getByRole('button', { name: 'Pull gemma2:2b' }).click();
    await expect.poll(async () => percentOf(page, 'gemma2:2b')).toBeGreaterThan(0);
    await page.getByTestId('pull-gemma2:2b').getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Pull llama3.2:3b' }).click();
    await expect.poll(async () => percentOf(page, 'llama3.2:3b')).toBeGreaterThan(0);
    await page.getByTestId('catalog-qwen2.5:7b').getByRole('button', { name: 'Why?' }).click();
    await page.getByText('Engine log').click();
    await page.getByRole('button', { name: 'Make qwen2.5:3b the default model' }).click();
    const parts = [
      page.getByTestId('installed-qwen2.5:3b'),
      page.getByTestId('pull-llama3.2:3b'),
      page.getByTestId('catalog-qwen2.5:7b'),
      page.getByLabel('Offline transfer'),
    ];
    await expectLaidOut(page, parts);
    expect(await backgroundLuminance(page)).toBeGreaterThan(0.6);
    await page.screenshot({ path: info.outputPath('models-light.png') });
    await page.screenshot({
      path: info.outputPath('models-light-top.png'),
      clip: { x: 0, y: 0, width: 1280, height: 820 },
    });
    // Errors are shown in words: a relative folder is refused with what to type instead.
    const transfer = page.getByLabel('Offline transfer');
    await transfer.getByLabel('To folder').fill('usb-stick');
    await transfer.getByRole('button', { name: 'Export' }).click();
    await expect(transfer.getByRole('alert')).toContainText('is not a full folder path');
    await transfer.screenshot({ path: info.outputPath('models-light-transfer.png') });
    const more = page.getByRole('button', { name: /models too large for this computer/ });
    if (await more.isVisible()) await more.click();
    const list = page.locator('.mp-cat-list');
    const box = (await list.boundingBox())!;
    await page.screenshot({
      path: info.outputPath('models-light-catalog-end.png'),
      clip: { x: box.x, y: box.y + box.height - 500, width: box.width, height: 500 },
    });

    await page.getByRole('button', { name: /^Settings/ }).click();
    await page.getByRole('radio', { name: 'Dark' }).click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.keyboard.press('Escape');
    await expectLaidOut(page, parts);
    expect(await backgroundLuminance(page)).toBeLessThan(0.1);
    await page.screenshot({ path: info.outputPath('models-dark.png') });
    await page.screenshot({
      path: info.outputPath('models-dark-top.png'),
      clip: { x: 0, y: 0, width: 1280, height: 820 },
    });
    await page.getByTestId('installed-llama3.1:8b').getByRole('button', { name: 'Delete llama3.1:8b' }).click();
    const dialog = page.getByRole('alertdialog');
    await expect(dialog).toBeVisible();
    await dialog.screenshot({ path: info.outputPath('models-dark-confirm.png') });
  });
});
