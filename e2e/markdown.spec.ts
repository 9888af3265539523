import type { Page } from '@playwright/test';
import { expect, test } from './fixtures/serve-app';
import { useTheme } from './fixtures/theme';

const CODE = [
  'import pandas as pd',
  'df = pd.read_csv("pm25.csv")  # hourly readings',
  'print(df["pm25"].mean() > 15)',
];

const REPLY = [
  'Here is a script for the daily mean:',
  '',
  '```python',
  ...CODE,
  '```',
  '',
  '> The WHO guideline for PM2.5 is 15 µg/m³ over 24 hours.',
  '',
  'Raw markup stays text: <img src=x onerror=alert(1)> and <script>alert(2)</script>',
  '',
  '[not a link](javascript:alert(3)) and [WHO](https://www.who.int)',
].join('\n');

/**
 * zod 4 probes once whether it may compile validators (`Function('')` in a try): the CSP refuses, zod falls back,
 * and Chromium reports that refusal. It is the app's start-up, not the reply, so it is left out of the count.
 */
const ZOD_EVAL_PROBE = 'Content Security Policy violation: script-src eval';

/** Console errors, page errors and CSP violations (reported on the console), from the first byte on. */
async function watchErrors(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && m.text() !== ZOD_EVAL_PROBE) errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // A string: the e2e programs have no DOM types.
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));`,
  });
  return errors;
}

test.describe('Markdown in model replies', () => {
  test('a streamed reply shows a labelled, highlighted code block that copies, a blockquote, and raw HTML as inert text', async ({
    app,
    page,
  }) => {
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    const errors = await watchErrors(page);
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    app.emulator.script({ match: 'daily mean', reply: { content: REPLY, tokenDelayMs: 5 } });
    await app.open(page);
    await page.getByLabel('Message').fill('Write a script for the daily mean of PM2.5');
    await page.keyboard.press('Enter');

    const reply = page.locator('.from-assistant .markdown').last();
    await expect(reply).toContainText('WHO');
    const block = reply.locator('.code-block');
    await expect(block.locator('.code-lang')).toHaveText('python');
    // Highlighting arrives on demand (its own chunk), once the reply holds a fence that names a language.
    await expect(block.locator('.hljs-keyword').first()).toHaveText('import');
    await expect(block.locator('.hljs-string').first()).toHaveText('"pm25.csv"');
    await expect(block.locator('.hljs-comment')).toHaveText('# hourly readings');
    await expect(block.locator('pre code')).toHaveText(CODE.join('\n'));

    await block.getByRole('button', { name: 'Copy' }).click();
    await expect(block.getByRole('button', { name: 'Copied' })).toBeVisible();
    // A string: the e2e programs have no DOM types.
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(CODE.join('\n'));
    await expect(block.getByRole('button', { name: 'Copy' })).toBeVisible();

    const quote = reply.locator('blockquote');
    await expect(quote).toContainText('WHO guideline');
    await expect(quote).toHaveCSS('border-left-width', '3px');

    // Raw HTML is shown as the text the model wrote: no element, no handler, no dialog.
    await expect(reply).toContainText('<img src=x onerror=alert(1)> and <script>alert(2)</script>');
    await expect(reply.locator('img, script')).toHaveCount(0);
    await expect(reply.getByRole('link', { name: 'not a link' })).toHaveCount(0);
    await expect(reply.getByRole('link', { name: 'WHO' })).toHaveAttribute('href', 'https://www.who.int');

    // Kept for a person to look at (test-results/); the checks above are what the test asserts.
    for (const theme of ['Light', 'Dark'] as const) {
      await useTheme(page, theme);
      await block.scrollIntoViewIfNeeded();
      await page.screenshot({ path: test.info().outputPath(`markdown-${theme.toLowerCase()}.png`) });
    }
    expect(dialogs).toBe(0);
    expect(errors).toEqual([]);
  });

  test('with no model installed, a refused send is explained once, by the card, not also by a toast', async ({
    app,
    page,
  }) => {
    app.emulator.uninstall('qwen2.5:3b');
    app.emulator.uninstall('llama3.1:8b');
    await app.open(page);
    await expect(page.locator('.empty .card.warn')).toContainText('No model installed yet.');
    await page.getByLabel('Message').fill('Is the air safe today?');
    const refused = page.waitForResponse((r) => r.url().endsWith('/bridge/call/chat.send'));
    await page.keyboard.press('Enter');
    const body = (await (await refused).json()) as { ok: boolean; error?: { code: string } };
    expect(body).toMatchObject({ ok: false, error: { code: 'model_not_found' } });
    // The failed send gives the typed text back to the box; by then any toast would be showing.
    await expect(page.getByLabel('Message')).toHaveValue('Is the air safe today?');
    await expect(page.getByRole('button', { name: /Send/ })).toBeEnabled();
    await expect(page.locator('.notices .notice-error')).toHaveCount(0);
    await expect(page.locator('.empty .card.warn')).toContainText('No model installed yet.');
  });
});
