import { _electron as electron, expect, test } from '@playwright/test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOllamaEmulator } from './emulators/ollama-emulator';

const root = path.resolve(import.meta.dirname, '..');

/** The Electron binary, if this machine has one (npm's electron ≥ 42 fetches it on first run, which needs network). */
function electronBinary(): string | null {
  if (process.env.AERIS_ELECTRON_BIN) return process.env.AERIS_ELECTRON_BIN;
  const dist = path.join(root, 'node_modules', 'electron', 'dist');
  const name =
    process.platform === 'win32'
      ? 'electron.exe'
      : process.platform === 'darwin'
        ? 'Electron.app/Contents/MacOS/Electron'
        : 'electron';
  const bin = path.join(dist, name);
  return fs.existsSync(bin) ? bin : null;
}

const bin = electronBinary();

test.describe('Electron shell', () => {
  test.skip(
    !bin,
    'no Electron binary on this machine (node_modules/electron/dist is empty and cannot be downloaded without network); runs wherever it exists or AERIS_ELECTRON_BIN points to one',
  );

  test('window, sandboxed renderer, the preload contract and navigation limits', async () => {
    const emulator = await startOllamaEmulator();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-electron-'));
    // Past the first-run wizard (e2e/onboarding.spec.ts covers it), so the window opens on Chat.
    fs.writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({ onboardingDone: true }));
    const app = await electron.launch({
      executablePath: bin!,
      args: [path.join(root, 'dist', 'electron', 'main.cjs')],
      env: { ...process.env, AERIS_DATA_DIR: dataDir, AERIS_OLLAMA_HOST: emulator.url },
    });
    try {
      const win = await app.firstWindow();
      await expect(win).toHaveTitle(/AERIS-AQ/);
      await expect(win.getByRole('button', { name: /New chat/ })).toBeVisible();
      // no Node in the page, only the contract
      const surface = await win.evaluate(() => ({
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        aeris: Object.keys((globalThis as unknown as { aeris: object }).aeris).sort(),
      }));
      expect(surface).toEqual({
        require: 'undefined',
        process: 'undefined',
        aeris: ['call', 'on', 'pathForFile', 'reply'],
      });
      const info = await win.evaluate(() =>
        (globalThis as unknown as { aeris: { call(n: string, i: object): Promise<{ shell: string }> } }).aeris.call(
          'app.info',
          {},
        ),
      );
      expect(info.shell).toBe('electron');
      // a payload that breaks its schema is refused by main
      const refused = await win.evaluate(() =>
        (globalThis as unknown as { aeris: { call(n: string, i: object): Promise<unknown> } }).aeris
          .call('sessions.rename', { id: 'x', title: 42 })
          .then(
            () => 'accepted',
            (e: Error) => e.message,
          ),
      );
      expect(refused).toMatch(/Invalid input/);
      // `reply` hands the failure over as data: its code survives contextBridge (a thrown error keeps its message only)
      const replied = await win.evaluate(() =>
        (
          globalThis as unknown as { aeris: { reply(n: string, i: object): Promise<{ ok: boolean; error?: object }> } }
        ).aeris.reply('sessions.rename', { id: 'x', title: 42 }),
      );
      expect(replied).toMatchObject({ ok: false, error: { code: 'bad_request' } });
      // navigation away from the app is blocked; new windows are denied
      const before = win.url();
      await win.evaluate(() => {
        (globalThis as unknown as { location: { href: string } }).location.href = 'https://example.com/';
      });
      await win.waitForTimeout(500);
      expect(win.url()).toBe(before);
      await win.evaluate(
        () => void (globalThis as unknown as { open(u: string): unknown }).open('https://example.com/'),
      );
      await win.waitForTimeout(500);
      expect(app.windows()).toHaveLength(1);
    } finally {
      await app.close();
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  test('a fresh install opens on the first-run wizard, which can be skipped into Chat', async () => {
    const emulator = await startOllamaEmulator();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-electron-'));
    const app = await electron.launch({
      executablePath: bin!,
      args: [path.join(root, 'dist', 'electron', 'main.cjs')],
      env: { ...process.env, AERIS_DATA_DIR: dataDir, AERIS_OLLAMA_HOST: emulator.url },
    });
    try {
      const win = await app.firstWindow();
      await expect(win.getByText('AERIS-AQ setup')).toBeVisible();
      await win.getByRole('button', { name: 'Skip for now' }).click();
      await expect(win.getByRole('button', { name: /New chat/ })).toBeVisible();
      const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'config.json'), 'utf8')) as {
        onboardingDone: boolean;
      };
      expect(saved.onboardingDone).toBe(true);
    } finally {
      await app.close();
      await emulator.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
