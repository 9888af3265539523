import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type ServeApp } from './fixtures/serve-app';

/** The system prompt of the last chat request Ollama received. */
function lastSystemPrompt(requests: Array<{ path: string; body: unknown }>): string {
  const chat = requests.filter((r) => r.path === '/api/chat').at(-1);
  const body = chat?.body as { messages?: Array<{ role: string; content: string }> } | undefined;
  return body?.messages?.find((m) => m.role === 'system')?.content ?? '';
}

/** app.open() waits for the English "New chat": here the page is opened the same way and waited for in French. */
async function openInFrench(app: ServeApp, page: Page): Promise<void> {
  await page.goto(`${app.url}/#token=${app.token}`);
  await expect(page.getByRole('button', { name: /Nouvelle discussion/ }).first()).toBeVisible();
}

test.describe('French and Swahili beside English', () => {
  // A French-speaking computer: navigator.languages is ['fr-FR'].
  test.use({ locale: 'fr-FR' });

  test('a French browser sees the app in French; Kiswahili chosen in Settings applies at once and survives a reload', async ({
    app,
    page,
  }) => {
    await openInFrench(app, page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expect(page.getByRole('heading', { name: 'Que voulez-vous savoir sur l’air ?' })).toBeVisible();
    await expect(page.getByRole('button', { name: /Nouvelle discussion/ }).first()).toBeVisible();
    await expect(page.getByPlaceholder(/Posez une question sur l’air/)).toBeVisible();
    const nav = page.getByRole('navigation', { name: 'Principal' });
    await expect(nav.getByRole('button', { name: 'Modèles' })).toBeVisible();

    await nav.getByRole('button', { name: 'Réglages' }).click();
    const dialog = page.getByRole('dialog', { name: 'Réglages' });
    await expect(dialog.getByRole('heading', { name: 'Langue' })).toBeVisible();
    await expect(dialog.getByRole('heading', { name: 'Apparence' })).toBeVisible();
    const language = dialog.getByLabel('Langue', { exact: true });
    await expect(language.locator('option:checked')).toHaveText('Comme cet ordinateur (Français)');

    await language.selectOption('sw');
    // At once, without a reload: the dialog and the page behind it.
    await expect(page.getByRole('dialog', { name: 'Mipangilio' })).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Lugha' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'sw');
    // Saved by the engine (shared with the desktop app and the CLI), not only in this browser.
    await expect
      .poll(() => JSON.parse(fs.readFileSync(path.join(app.dataDir, 'config.json'), 'utf8')) as { uiLanguage?: string })
      .toMatchObject({ uiLanguage: 'sw' });

    await page.reload();
    await expect(page.getByRole('heading', { name: 'Ungependa kujua nini kuhusu hewa?' })).toBeVisible();
    await expect(
      page.getByRole('navigation', { name: 'Kuu' }).getByRole('button', { name: 'Mipangilio' }),
    ).toBeVisible();

    // Back to following the system: French again.
    await page.getByRole('navigation', { name: 'Kuu' }).getByRole('button', { name: 'Mipangilio' }).click();
    await page.getByRole('dialog', { name: 'Mipangilio' }).getByLabel('Lugha', { exact: true }).selectOption('');
    await expect(page.getByRole('dialog', { name: 'Réglages' })).toBeVisible();
  });

  test('a French browser downloads the French strings only, not the English nor the Swahili', async ({ app, page }) => {
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await openInFrench(app, page);
    await page.screenshot({ path: test.info().outputPath('first-screen-fr.png') });
    expect(scripts.filter((s) => /\/assets\/fr-[^/]*\.js$/.test(s))).toHaveLength(1);
    expect(scripts.filter((s) => /\/assets\/(en|sw)-[^/]*\.js$/.test(s))).toEqual([]);
  });

  test('a question asked in French mode asks the model to answer in French', async ({ app, page }) => {
    app.emulator.script({ match: 'Dakar', reply: { content: 'À Dakar, le PM2.5 est modéré aujourd’hui.' } });
    await openInFrench(app, page);
    await page.getByLabel('Message').fill('Comment est l’air à Dakar ?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('PM2.5 est modéré');
    expect(lastSystemPrompt(app.emulator.requests)).toContain('Réponds en français.');
    // The reply's figures are written the French way.
    await expect(page.getByTestId('msg-figures').last()).toContainText(/jetons? en \d+(,\d)? s/);
  });
});

test.describe("the engine's own words in French (issue 15)", () => {
  test.use({ locale: 'fr-FR' });

  test("a fit verdict on the Models page and a dead Ollama's error come in French, from the engine's message ids", async ({
    app,
    page,
  }) => {
    await openInFrench(app, page);
    await page.getByRole('navigation', { name: 'Principal' }).getByRole('button', { name: 'Modèles' }).click();
    // The verdict's reason is worded by the UI from the engine's id and figures ("nécessite 2,1 GB …").
    await expect(page.locator('.mp-reason').first()).toContainText(/nécessite|aucun GPU/);
    await expect(page.locator('.mp-reason').first()).not.toContainText(/needs|no GPU/);

    await page
      .getByRole('navigation', { name: 'Principal' })
      .getByRole('button', { name: /Discussion/ })
      .click();
    await expect(page.getByLabel('Modèle', { exact: true })).toBeEnabled();
    await app.emulator.close();
    await page.getByLabel('Message').fill('il y a quelqu’un ?');
    await page.keyboard.press('Enter');
    // The engine wrote "Ollama is not answering at …" and sent error.ollamaUnavailable beside it.
    const status = page.locator('.from-assistant .msg-status');
    await expect(status).toContainText('Ollama ne répond pas sur http://127.0.0.1:', { timeout: 15_000 });
    await expect(status).not.toContainText('is not answering');

    // After a reload the reply comes from the store: its saved message id keeps the error in French.
    await page.reload();
    await expect(page.locator('.from-user').last()).toContainText('il y a quelqu’un ?');
    await expect(status).toContainText('Ollama ne répond pas sur http://127.0.0.1:');
    await expect(status).not.toContainText('is not answering');
  });
});

test.describe('English stays the default', () => {
  test('an English browser gets English and no language instruction', async ({ app, page }) => {
    app.emulator.script({ match: 'Kampala', reply: { content: 'Moderate.' } });
    const scripts: string[] = [];
    page.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    await app.open(page);
    // The English strings only: French and Swahili load when chosen.
    expect(scripts.filter((s) => /\/assets\/en-[^/]*\.js$/.test(s))).toHaveLength(1);
    expect(scripts.filter((s) => /\/assets\/(fr|sw)-[^/]*\.js$/.test(s))).toEqual([]);
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await page.getByLabel('Message').fill('How is the air in Kampala?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('Moderate.');
    expect(lastSystemPrompt(app.emulator.requests)).not.toMatch(/Réponds|Jibu|Answer in/);
  });
});
