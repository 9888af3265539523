import { defineConfig } from '@playwright/test';
import { CHROMIUM_LAUNCH } from './e2e/chromium-launch';

// The UI is tested in Debian's Chromium against `aeris serve` (Playwright cannot download browsers here).
export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  timeout: 45_000,
  expect: { timeout: 8_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list'], ['json', { outputFile: '.tmp/playwright-report.json' }]] : [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: CHROMIUM_LAUNCH,
    viewport: { width: 1280, height: 800 },
    // The UI follows navigator.languages: the suite runs in English unless a spec says otherwise (e2e/i18n.spec.ts).
    locale: 'en-US',
    trace: 'retain-on-failure',
  },
});
