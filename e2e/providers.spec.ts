import { expect, test } from './fixtures/serve-app';
import { startOpenAiEmulator, type OpenAiCompatibleEmulator } from './emulators/openai-compatible-emulator';

const MODEL = 'Qwen/Qwen2.5-7B-Instruct';

test.describe('model providers in the browser', () => {
  let server: OpenAiCompatibleEmulator;
  test.beforeEach(async () => {
    server = await startOpenAiEmulator({ models: [MODEL] });
  });
  test.afterEach(async () => {
    await server.close();
  });

  test('a chat with a tool call through an OpenAI-compatible server, then back to Ollama for the next chat', async ({
    app,
    page,
  }) => {
    server.script({
      match: 'PM2.5 of 42',
      reply: {
        toolCalls: [{ name: 'compute_aqi', arguments: { pollutant: 'pm25', value: 42 } }],
        argumentPieceChars: 3,
      },
      times: 1,
    });
    server.script({ afterTool: true, reply: { content: 'The team server says: AQI 117.' } });
    app.emulator.script({ match: 'and now', reply: { content: 'The laptop answers now.' } });

    await app.open(page);
    await page.getByRole('button', { name: /^Settings/ }).click();
    await page.getByLabel('OpenAI-compatible base URL').fill(server.baseUrl);
    await page.getByLabel('OpenAI-compatible model').fill(MODEL);
    await page.getByRole('button', { name: 'Save provider settings' }).click();
    await expect(page.getByRole('region', { name: 'Model provider' }).getByRole('status')).toHaveText('Saved.');
    await page.getByLabel('Default provider').selectOption('openai-compatible');
    await page.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('Message').fill('What AQI is a PM2.5 of 42?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('The team server says: AQI 117.');
    const rounds = server.requests.filter((r) => r.path === '/v1/chat/completions');
    expect(rounds).toHaveLength(2);
    expect((rounds[1]!.body!.messages as Array<{ role: string }>).at(-1)!.role).toBe('tool');

    // Back to Ollama as the default: a new chat is answered by the laptop (a chat keeps its own provider).
    await page.getByRole('button', { name: /^Settings/ }).click();
    await page.getByLabel('Default provider').selectOption('ollama');
    await page.getByRole('button', { name: 'Close' }).click();
    await page.keyboard.press('Control+Shift+O');
    await page.getByLabel('Message').fill('and now?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('The laptop answers now.');
    expect(server.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(2);
  });
});
