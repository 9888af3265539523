import fs from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { untilReplyEnds } from './fixtures/chat';
import { expect, test, type ServeApp } from './fixtures/serve-app';
import { startOpenAiEmulator, type OpenAiCompatibleEmulator } from './emulators/openai-compatible-emulator';

/**
 * Choosing who answers: the first-run wizard's provider step (Ollama preselected, an optional online provider
 * tested through the engine), the chat screen's provider picker, and each answer saying which provider and
 * model wrote it, with its time to first word and tokens per second. The machine is offline
 * (AERIS_OFFLINE=1): a server on this computer or the LAN still works, the cloud does not.
 */
const MODEL = 'Qwen/Qwen2.5-7B-Instruct';
const KEY = 'sk-office-gpu-key';

test.use({ onboarding: true, serveEnv: { AERIS_OFFLINE: '1' } });

const config = (app: ServeApp) =>
  JSON.parse(fs.readFileSync(path.join(app.dataDir, 'config.json'), 'utf8')) as Record<string, unknown>;
const lastAnswer = (page: Page) =>
  page
    .getByTestId('message')
    .filter({ has: page.locator('.markdown') })
    .last();

test.describe('who answers', () => {
  let server: OpenAiCompatibleEmulator;
  test.beforeEach(async () => {
    server = await startOpenAiEmulator({ models: [MODEL], apiKey: KEY, tokenDelayMs: 10 });
  });
  test.afterEach(async () => {
    await server.close();
  });

  test('the wizard keeps Ollama first, tests and adds a LAN server offline; the chat picks its provider and each answer says who wrote it and how fast', async ({
    app,
    page,
  }) => {
    server.script({ match: 'team server', reply: { content: 'The GPU server answers this one.' } });
    app.emulator.script({ match: 'laptop', reply: { content: 'The laptop answers this one.' } });

    await page.goto(`${app.url}/#token=${app.token}`);
    await expect(page.getByTestId('onboarding')).toBeVisible();
    await page.getByRole('button', { name: /Who answers/ }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Who answers' })).toBeFocused();
    await expect(page.getByRole('radio', { name: /Local \(Ollama\) — works offline/ })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'The online provider below' })).toBeDisabled();

    await page.getByRole('checkbox', { name: 'Also use an online provider' }).check();
    // Gemini is on the internet, and this computer is offline: the test says so instead of trying.
    await page.getByLabel('Kind').selectOption('gemini');
    await page.getByLabel('API key').fill('AIza-not-sent');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByTestId('ob-provider-test')).toContainText('offline');

    // The office's GPU server: a wrong key is refused in words, the right one lists its model.
    await page.getByLabel('Kind').selectOption('openai-compatible');
    await page.getByLabel('Server address').fill(server.baseUrl);
    await page.getByLabel('API key').fill('sk-wrong');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect(page.getByTestId('ob-provider-test')).toHaveClass(/tone-bad/);
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Test connection' }).click();
    // Worded by the UI from the engine's message id (issue 15): one model, in the singular.
    await expect(page.getByTestId('ob-provider-test')).toContainText(`1 model at ${server.baseUrl}`);
    await page.getByLabel('Model').fill(MODEL);
    await page.getByRole('radio', { name: 'The online provider below' }).check();
    await page.getByRole('button', { name: 'Save online provider' }).click();
    await expect(page.getByTestId('ob-provider-saved')).toHaveText('Saved. New chats use the online provider.');
    // The Gemini key typed earlier never went to this server; the saved key is not in config.json.
    expect(JSON.stringify(server.requests.map((r) => r.headers))).not.toContain('AIza-not-sent');
    expect(JSON.stringify(config(app))).not.toContain(KEY);
    expect(config(app)).toMatchObject({ defaultProvider: 'openai-compatible', openaiModel: MODEL });

    // Offline, finishing is never blocked.
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start chatting' }).click();
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();

    // The picker: the server is chosen for a new chat; Gemini is offered disabled with the reason and a way to set it up.
    const picker = page.getByLabel('Provider');
    await expect(picker).toHaveValue('openai-compatible');
    await expect(picker.locator('option[value="gemini"]')).toBeDisabled();
    await expect(picker.locator('option[value="gemini"]')).toHaveText(/Gemini — not set up/);
    await expect(page.getByRole('button', { name: 'Set up providers' })).toBeVisible();
    await expect(page.getByLabel('Model')).toHaveValue(MODEL);

    await page.getByLabel('Message').fill('Hello team server');
    await page.keyboard.press('Enter');
    await expect(lastAnswer(page).locator('.markdown')).toContainText('The GPU server answers this one.');
    await expect(lastAnswer(page).getByTestId('msg-figures')).toContainText(`OpenAI-compatible server · ${MODEL}`);
    // Tokens/s only when the engine saw them generated (not read all at once on a busy machine); numbers grouped.
    await expect(lastAnswer(page).getByTestId('msg-speed')).toHaveText(/to first word( · [\d.,]+ tokens\/s)?$/);

    await untilReplyEnds(page);
    // The same chat moves to the laptop's Ollama: its model follows, and the next answer says so.
    await picker.selectOption('ollama');
    await expect(page.getByLabel('Model')).toHaveValue(/qwen2\.5:3b|llama3\.1:8b/);
    await page.getByLabel('Message').fill('And now the laptop?');
    await page.keyboard.press('Enter');
    await expect(lastAnswer(page).locator('.markdown')).toContainText('The laptop answers this one.');
    await expect(lastAnswer(page).getByTestId('msg-figures')).toContainText('Ollama · ');
    // Ollama reports its own eval_duration: the rate is always there.
    await expect(lastAnswer(page).getByTestId('msg-speed')).toHaveText(/to first word · [\d.,]+ tokens\/s$/);

    // After a reload each answer still names who wrote it, with its figures; the chat keeps its provider.
    await page.reload();
    await expect(page.getByRole('button', { name: /New chat/ })).toBeVisible();
    await page
      .getByRole('button', { name: /Hello team server/ })
      .first()
      .click();
    const answers = page.getByTestId('message').filter({ has: page.locator('.markdown') });
    await expect(answers.first().getByTestId('msg-figures')).toContainText(`OpenAI-compatible server · ${MODEL}`);
    await expect(answers.last().getByTestId('msg-figures')).toContainText('Ollama · ');
    await expect(answers.first().getByTestId('msg-speed')).toHaveText(/to first word( · [\d.,]+ tokens\/s)?$/);
    await expect(picker).toHaveValue('ollama');
  });
});
