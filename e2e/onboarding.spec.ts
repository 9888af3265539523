import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type ServeApp } from './fixtures/serve-app';
import { pullable } from '../main/ollama/test-support/pullable';

/**
 * The first-run wizard on a fresh data dir. A fake `nvidia-smi` (one 6 GB card) makes the hardware step and
 * the recommendation the same on every machine. The emulator's registry is empty unless a test publishes a
 * model, as for a laptop with no internet.
 */
const binDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-e2e-bin-'));
fs.writeFileSync(
  path.join(binDir, 'nvidia-smi'),
  '#!/bin/sh\necho "0, NVIDIA GeForce RTX 3050 Laptop GPU, 6144, 300, 5844, 550.54.14, 8.6"\n',
);
fs.chmodSync(path.join(binDir, 'nvidia-smi'), 0o755);
test.use({ onboarding: true, serveEnv: { PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` } });
test.afterAll(() => fs.rmSync(binDir, { recursive: true, force: true }));

/** Screenshots for review, only when asked for (AERIS_SHOTS=dir). */
const SHOTS = process.env.AERIS_SHOTS ?? '';
async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await page.screenshot({ path: path.join(SHOTS, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Every request the page makes, so a test can show that nothing left this machine. */
function watchRequests(page: Page): string[] {
  const hosts: string[] = [];
  page.on('request', (r) => hosts.push(new URL(r.url()).hostname));
  return hosts;
}

async function openWizard(app: ServeApp, page: Page): Promise<void> {
  await page.goto(`${app.url}/#token=${app.token}`);
  await expect(page.getByTestId('onboarding')).toBeVisible();
}

const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
const config = (app: ServeApp) =>
  JSON.parse(fs.readFileSync(path.join(app.dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;

test.describe('first-run wizard', () => {
  test('completes with no network: the download fails in words, an installed model finishes it', async ({
    app,
    page,
  }) => {
    const hosts = watchRequests(page);
    await openWizard(app, page);

    // 1. Welcome: what stays local, and where.
    await expect(heading(page, 'Welcome to AERIS-AQ')).toBeFocused();
    await expect(page.getByTestId('ob-data-dir')).toHaveText(app.dataDir);
    await expect(page.getByText('Everything stays on this computer')).toBeVisible();
    await shot(page, '1-welcome');

    // The optional step for the original server's history (e2e/onboarding-history.spec.ts), passed by with Enter.
    await page.keyboard.press('Enter');
    await expect(heading(page, /AirQualityAgent server/)).toBeFocused();

    // 2. This computer, reached with Enter.
    await page.keyboard.press('Enter');
    await expect(heading(page, 'This computer')).toBeFocused();
    await expect(page.getByTestId('ob-hardware')).toContainText('NVIDIA GeForce RTX 3050 Laptop GPU');
    await expect(page.getByTestId('ob-hardware')).toContainText('RAM');
    await shot(page, '2-computer');

    // 3. Ollama: the emulator is found at its address.
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByTestId('ob-engine')).toContainText('Found');
    await expect(page.getByTestId('ob-engine')).toContainText(app.emulator.url);
    await shot(page, '3-ollama');

    // 4. Your model: a recommendation with its fit, and the download fails as it would offline.
    await page.getByRole('button', { name: 'Next' }).click();
    const rec = page.getByTestId('ob-recommended');
    await expect(rec.locator('.mp-fit')).toBeVisible();
    await expect(rec).toContainText('needs');
    const name = (await rec.getAttribute('data-model'))!;
    expect(app.emulator.isInstalled(name)).toBe(false);
    await page.getByRole('button', { name: `Download ${name}` }).click();
    const failed = page.getByTestId('ob-pull-failed');
    await expect(failed).toContainText('The download did not work');
    await expect(failed).toContainText('registry');
    await expect(failed).toContainText('does not need the internet');
    await expect(failed.getByRole('button', { name: 'Import from a folder or USB drive' })).toBeVisible();
    await failed.scrollIntoViewIfNeeded();
    await shot(page, '4-model-offline');

    // The USB way refuses, in words, a folder outside the export folder (a browser may not name other
    // folders on the server) and one that is not there.
    await failed.getByRole('button', { name: 'Import from a folder or USB drive' }).click();
    await page.getByRole('textbox', { name: 'Folder' }).fill('/no/such/usb');
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('ob-import-error')).toContainText('works only with the export folder');
    await page.getByRole('textbox', { name: 'Folder' }).fill(path.join(app.dataDir, 'exports', 'no-such-usb'));
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByTestId('ob-import-error')).toContainText('does not exist');
    await page.getByTestId('ob-import-error').scrollIntoViewIfNeeded();
    await shot(page, '4-model-usb');

    // An installed model that fits finishes the wizard and becomes the default.
    await page.getByRole('button', { name: 'Use qwen2.5:3b and finish' }).click();
    await expect(page.getByTestId('onboarding')).toHaveCount(0);
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    expect(config(app)).toMatchObject({ onboardingDone: true, defaultModel: 'qwen2.5:3b' });
    expect(hosts.filter((h) => h !== '127.0.0.1' && h !== 'localhost')).toEqual([]);
  });

  test('pulls the recommended model with a progress bar and uses it', async ({ app, page }) => {
    await openWizard(app, page);
    await page.getByRole('button', { name: /Your model/ }).click();
    const rec = page.getByTestId('ob-recommended');
    await expect(rec.locator('.mp-fit')).toBeVisible();
    const name = (await rec.getAttribute('data-model'))!;
    // Layers as large as the catalog says the model is: Ollama announces them one at a time.
    const bytes = Number(await rec.getAttribute('data-download-bytes'));
    const size = (await rec.locator('.ob-rec-size').textContent())!;
    app.emulator.publish(pullable(name, 3, Math.ceil(bytes / 3)));
    app.emulator.pullTickMs = 50;
    // Slow at first: the first layer takes ~10 s, so what is read below is read during it.
    app.emulator.pullBytesPerTick = Math.ceil(bytes / 600);

    await page.getByRole('button', { name: `Download ${name}` }).click();
    const bar = page.getByRole('progressbar', { name: `${name} total` });
    await expect
      .poll(async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0), { timeout: 10_000 })
      .toBeGreaterThan(0.5);
    // Counted over all the layers from the start, not over the one being downloaded (read once, in layer one).
    expect(await page.getByTestId('ob-pull').textContent()).toContain(`of ${size}`);
    expect(Number(await bar.getAttribute('aria-valuenow'))).toBeLessThan(34);
    app.emulator.pullBytesPerTick = Math.ceil(bytes / 30);
    await page.getByTestId('ob-pull').scrollIntoViewIfNeeded();
    await shot(page, '4-model-pulling');
    await expect(page.getByTestId('ob-pull-done')).toBeVisible({ timeout: 20_000 });
    expect(app.emulator.isInstalled(name)).toBe(true);
    await page
      .getByRole('button', { name: `Use ${name} and finish` })
      .first()
      .click();
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    expect(config(app)).toMatchObject({ onboardingDone: true, defaultModel: name });
  });

  test('connects to an Ollama on the network, finishes on Done, and stays finished after a reload', async ({
    app,
    page,
  }) => {
    await openWizard(app, page);
    await page
      .getByRole('button', { name: /Ollama/ })
      .first()
      .click();

    // A typo is refused in words before anything is saved.
    const field = page.getByLabel('Address');
    await field.fill('gpu box');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('ob-lan-result')).toContainText('is not a computer name');
    // The emulator stands in for a GPU desktop on the LAN.
    await field.fill(app.emulator.url.replace('http://', ''));
    await page.getByRole('button', { name: 'Connect' }).click();
    await expect(page.getByTestId('ob-lan-result')).toContainText(`Connected to Ollama 0.12.6 at ${app.emulator.url}`);
    await shot(page, '3-ollama-lan');

    // Esc in the field only leaves it; Back and Next move between steps.
    await field.click();
    await page.keyboard.press('Escape');
    await expect(field).not.toBeFocused();
    await expect(page.getByTestId('onboarding')).toBeVisible();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(heading(page, 'Your model')).toBeFocused();
    await page.getByRole('button', { name: 'Back' }).click();
    await expect(heading(page, /Ollama/)).toBeFocused();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    // 5. Who answers: this computer's Ollama, preselected (an online provider is optional).
    await expect(heading(page, 'Who answers')).toBeFocused();
    await expect(page.getByRole('radio', { name: /Local \(Ollama\) — works offline/ })).toBeChecked();
    await page.getByRole('button', { name: 'Next' }).click();

    // 6. Done: a summary, and Start chatting.
    await expect(heading(page, 'You are ready')).toBeFocused();
    await expect(page.getByTestId('ob-summary')).toContainText(/New chats use (qwen2\.5:3b|llama3\.1:8b)/);
    await shot(page, '5-done');
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    expect(config(app)).toMatchObject({ onboardingDone: true, ollamaHost: app.emulator.url });

    await page.reload();
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    await expect(page.getByTestId('onboarding')).toHaveCount(0);
    await app.restart();
    await app.open(page);
    await expect(page.getByTestId('onboarding')).toHaveCount(0);
  });

  test('"Skip for now" and Esc leave the wizard for good', async ({ app, page }) => {
    await openWizard(app, page);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    expect(config(app).onboardingDone).toBe(true);
  });
});
