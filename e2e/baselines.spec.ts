import type { Locator, Page } from '@playwright/test';
import { test, expect } from './fixtures/serve-app';

// Screenshot baselines of the main pages in light and dark (issue 15): a change that moves, recolours or hides
// something on these pages fails here until the new look is accepted with `npx playwright test
// e2e/baselines.spec.ts --update-snapshots` (and the PNGs are looked at before they are committed).
// Masked: only what depends on this computer (the model picker's fit note, from its memory) or the clock.
// Models and Dashboard have no baseline: their content is this machine's hardware and live figures.

interface Shot {
  name: string;
  nav: 'Chat' | 'Sources' | 'Data';
  ready: (page: Page) => Locator;
  mask: (page: Page) => Locator[];
}

/** The model picker's fit note (this computer's memory) and the Ollama address (a new port each run). */
const chatMasks = (page: Page): Locator[] => [page.getByLabel('Model'), page.locator('.status-line')];

const SHOTS: Shot[] = [
  {
    name: 'chat',
    nav: 'Chat',
    ready: (page) => page.getByLabel('Message'),
    mask: (page) => chatMasks(page),
  },
  {
    name: 'sources',
    nav: 'Sources',
    ready: (page) => page.getByRole('heading', { level: 1 }).first(),
    // The emulators' addresses (a new port each run) show as endpoints and as the fields' placeholders.
    mask: (page) => [page.locator('main code, main input')],
  },
  {
    name: 'data',
    nav: 'Data',
    ready: (page) => page.getByRole('heading', { level: 1 }).first(),
    mask: (page) => [page.locator('time')],
  },
];

// Anti-aliasing may differ by a pixel here and there between runs; a moved or recoloured element is far more.
const LOOK = { animations: 'disabled', caret: 'hide', maxDiffPixelRatio: 0.01 } as const;

for (const scheme of ['light', 'dark'] as const) {
  test(`main pages look as accepted in ${scheme} at 1280×800`, async ({ app, page }) => {
    await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' });
    await app.open(page);
    for (const shot of SHOTS) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: shot.nav }).click();
      await expect(shot.ready(page)).toBeVisible();
      await expect(page).toHaveScreenshot(`${shot.name}-${scheme}-1280.png`, { ...LOOK, mask: shot.mask(page) });
    }
  });
}

test('the chat at 800×600 with the conversation drawer open looks as accepted', async ({ app, page }) => {
  await page.setViewportSize({ width: 800, height: 600 });
  await page.emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
  await app.open(page);
  await expect(page.getByLabel('Message')).toBeVisible();
  await page.getByRole('button', { name: 'Conversations' }).click();
  await expect(page.getByLabel('Search conversations')).toBeVisible();
  await expect(page).toHaveScreenshot('chat-drawer-light-800.png', { ...LOOK, mask: chatMasks(page) });
});
