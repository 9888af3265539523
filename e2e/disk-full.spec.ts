import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startOllamaEmulator, type OllamaEmulator } from './emulators/ollama-emulator';
import { untilReplyEnds } from './fixtures/chat';
import { freeBytes, mountTmpfs, type Tmpfs } from '../test/helpers/tmpfs';

const CLI = path.resolve(import.meta.dirname, '../dist/cli.cjs');
const TOKEN = 'disk-full-e2e-token-0123456789';
const SHOTS = path.resolve(import.meta.dirname, '../test-results/screenshots');

/**
 * What a person sees when the laptop's disk fills: the data dir on a 20 MB tmpfs (root only, so the spec
 * says why it skips elsewhere), filled while `aeris serve` runs, then emptied again.
 */
test.describe('a full disk in the browser', () => {
  let disk: Tmpfs;
  let emulator: OllamaEmulator;
  let serve: ChildProcess | null = null;
  let url = '';

  test.beforeAll(async () => {
    disk = mountTmpfs('20m');
    if (!disk.ok) return;
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.cjs is missing: run `npm run build` first');
    emulator = await startOllamaEmulator({ tokenDelayMs: 2 });
    emulator.script({
      match: 'long report',
      reply: { tokens: Array.from({ length: 1500 }, (_, i) => `word${i} `), tokenDelayMs: 2 },
    });
    const dataDir = path.join(disk.dir, 'aeris');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ onboardingDone: true }));
    const proc = spawn(
      process.execPath,
      [CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--ollama-host', emulator.url],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AERIS_API_TOKEN: TOKEN, OLLAMA_HOST: '', AERIS_OPENAQ_URL: 'http://127.0.0.1:9' },
      },
    );
    serve = proc;
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      proc.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /serving on (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      proc.stderr.on('data', (b: Buffer) => (out += b.toString()));
      proc.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${out}`)));
    });
  });

  test.afterAll(async () => {
    if (serve && serve.exitCode === null) {
      serve.kill('SIGTERM');
      await new Promise((r) => serve!.once('exit', r));
    }
    await emulator?.close();
    if (disk?.ok) disk.cleanup();
  });

  test('the reply says the disk is full, the Dashboard names the disk, and all works again once freed', async ({
    page,
  }) => {
    test.skip(!disk.ok, disk.ok ? '' : disk.reason);
    if (!disk.ok) return;
    const dataDir = path.join(disk.dir, 'aeris');
    const filler = path.join(disk.dir, 'filler.bin');

    await page.goto(`${url}/#token=${TOKEN}`);
    await page.getByLabel('Message').fill('first question');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('You said: first question');
    await untilReplyEnds(page);

    fs.writeFileSync(filler, Buffer.alloc(freeBytes(disk.dir) - 150 * 1024));
    await page.getByLabel('Message').fill('write a long report');
    await page.keyboard.press('Enter');
    // Said once, in words, under the reply (not also as a toast), naming the disk; the text shown before the
    // disk filled stays on screen.
    const failed = page.locator('.from-assistant').last();
    await expect(failed.locator('.msg-status')).toContainText(`could not save on the disk that holds ${dataDir}`, {
      timeout: 15_000,
    });
    await expect(failed).toContainText('word0 word1');
    await expect(page.getByRole('status').filter({ hasText: 'The disk is full' })).toHaveCount(0);

    await page.getByRole('button', { name: 'Dashboard' }).click();
    const diskCheck = page.locator('.db-health [data-check="disk"]');
    await expect(diskCheck).toHaveClass(/status-fail/);
    await expect(diskCheck).toContainText(`Disk full:`);
    await expect(diskCheck).toContainText(`free on ${dataDir}; free at least`);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.locator('.db-health').screenshot({ path: path.join(SHOTS, 'health-disk-full.png') });

    fs.rmSync(filler);
    await page.getByRole('button', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('after the cleanup');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('You said: after the cleanup');
    // The cut reply is final now, with its reason and its text.
    const cut = page.locator('.from-assistant').filter({ hasText: 'word0 word1' });
    await expect(cut.locator('.msg-status')).toContainText('The disk is full');
    await page.getByRole('button', { name: 'Dashboard' }).click();
    await page.getByRole('button', { name: 'Check again' }).click();
    await expect(page.locator('.db-health [data-check="disk"]')).not.toHaveClass(/status-fail/);
  });
});
