import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { untilReplyEnds } from './fixtures/chat';
import { expect, test, type ServeApp } from './fixtures/serve-app';

interface ChatBody {
  messages: Array<{ role: string; content: string }>;
  options: { temperature: number; num_ctx: number };
}

/** The last /api/chat request that answered `question` (its last user turn). */
function requestFor(app: ServeApp, question: string): ChatBody | undefined {
  return app.emulator.requests
    .filter((r) => r.path === '/api/chat')
    .map((r) => r.body as ChatBody)
    .filter((b) => b.messages.filter((m) => m.role === 'user').at(-1)?.content === question)
    .at(-1);
}

/** Asks in the open chat and waits for the answer's text and the reply's end (the next question is sent then). */
async function ask(page: Page, question: string): Promise<void> {
  await page.getByLabel('Message').fill(question);
  await page.keyboard.press('Enter');
  await expect(page.locator('.from-assistant').last()).toContainText(`You said: ${question}`);
  await untilReplyEnds(page);
}

async function axeSerious(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .include('.chat-settings-dialog')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('a chat’s own instructions, temperature and context length reach Ollama, survive a reload and reset', async ({
  app,
  page,
}, info) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await app.open(page);
  await ask(page, 'First question');
  const before = requestFor(app, 'First question')!;
  expect(before.options.num_ctx).toBe(4096);

  await page.getByRole('button', { name: 'Chat settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat settings' });
  await dialog.getByLabel('Instructions for this chat').fill('Answer like a ship captain.');
  await dialog.getByRole('spinbutton', { name: 'Temperature' }).fill('1.1');
  await dialog.getByRole('spinbutton', { name: 'Context length' }).fill('16384');
  await expect(dialog.getByText('Lower = more focused, higher = more creative', { exact: false })).toBeVisible();
  await expect(dialog.getByText('How much of the conversation the model remembers', { exact: false })).toBeVisible();
  // Kept for a person to look at (test-results/): light and dark at 1280×800, and 800×600.
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: info.outputPath(`chat-settings-${scheme}-1280.png`) });
    expect(await axeSerious(page)).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();

  await ask(page, 'Second question');
  const tuned = requestFor(app, 'Second question')!;
  expect(tuned.options).toMatchObject({ temperature: 1.1, num_ctx: 16384 });
  expect(tuned.messages[0]!.role).toBe('system');
  expect(tuned.messages[0]!.content).toContain(
    'Instructions from the user for this conversation:\nAnswer like a ship captain.',
  );

  // A reload keeps them: they live with the chat in the database. (At 800×600, the smallest window.)
  await page.setViewportSize({ width: 800, height: 600 });
  await page.reload();
  await expect(page.locator('.from-assistant').last()).toContainText('You said: Second question');
  await page.getByRole('button', { name: 'Chat settings' }).click();
  await expect(dialog.getByLabel('Instructions for this chat')).toHaveValue('Answer like a ship captain.');
  await expect(dialog.getByRole('spinbutton', { name: 'Temperature' })).toHaveValue('1.1');
  await expect(dialog.getByRole('spinbutton', { name: 'Context length' })).toHaveValue('16384');
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeInViewport();
  await page.screenshot({ path: info.outputPath('chat-settings-light-800.png') });

  await dialog.getByRole('button', { name: 'Reset to defaults' }).click();
  await expect(dialog).toBeHidden();
  await ask(page, 'Third question');
  const reset = requestFor(app, 'Third question')!;
  expect(reset.options).toEqual(expect.objectContaining({ temperature: before.options.temperature, num_ctx: 4096 }));
  expect(reset.messages[0]!.content).not.toContain('Instructions from the user');
});
