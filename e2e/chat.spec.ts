import { expect, test } from './fixtures/serve-app';
import { backgroundLuminance, expectLaidOut } from './fixtures/layout-checks';
import { useTheme } from './fixtures/theme';

test.describe('chat in the browser against serve mode', () => {
  test('streams a reply as Markdown and keeps it after a reload and a server restart', async ({ app, page }) => {
    app.emulator.script({
      match: 'Kampala',
      reply: { content: 'In **Kampala** the PM2.5 is *moderate* today.', tokenDelayMs: 20 },
    });
    await app.open(page);
    await page.getByLabel('Message').fill('How is the air in Kampala?');
    await page.keyboard.press('Enter');
    const reply = page.locator('.from-assistant .markdown').last();
    await expect(reply).toContainText('PM2.5 is moderate today.');
    await expect(reply.locator('strong')).toHaveText('Kampala');
    await expect(page.locator('.session.active')).toContainText('How is the air in Kampala?');

    await page.reload();
    await expect(page.locator('.from-assistant .markdown').last()).toContainText('PM2.5 is moderate today.');

    await app.restart({ hard: true });
    await app.open(page);
    await expect(page.locator('.from-user').first()).toContainText('How is the air in Kampala?');
    await expect(page.locator('.from-assistant').last()).toContainText('moderate');
  });

  test('Stop ends a long reply and keeps what was written', async ({ app, page }) => {
    app.emulator.script({ reply: { tokens: Array.from({ length: 400 }, (_, i) => `word${i} `), tokenDelayMs: 25 } });
    await app.open(page);
    await page.getByLabel('Message').fill('Write a long report');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant')).toContainText('word5');
    await page.getByRole('button', { name: /Stop/ }).click();
    await expect(page.locator('.from-assistant .msg-status')).toHaveText('Stopped');
    await expect(page.getByRole('button', { name: /Send/ })).toBeVisible();
    const text = await page.locator('.from-assistant .markdown').innerText();
    expect(text).not.toContain('word399');
  });

  test('Escape stops a reply too', async ({ app, page }) => {
    app.emulator.script({ reply: { tokens: Array.from({ length: 400 }, (_, i) => `w${i} `), tokenDelayMs: 25 } });
    await app.open(page);
    await page.getByLabel('Message').fill('go on');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant')).toContainText('w3');
    await page.keyboard.press('Escape');
    await expect(page.locator('.from-assistant .msg-status')).toHaveText('Stopped');
  });

  test('search finds a message in another conversation and opens it', async ({ app, page }) => {
    app.emulator.script({ match: 'harmattan', reply: { content: 'Harmattan dust raises PM10 sharply.' } });
    await app.open(page);
    await page.getByLabel('Message').fill('Tell me about harmattan dust');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant')).toContainText('raises PM10');
    await page.keyboard.press('Control+Shift+O');
    await page.getByLabel('Message').fill('Something else entirely');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant')).toContainText('You said: Something else');

    await page.keyboard.press('Control+k');
    await expect(page.getByLabel('Search conversations')).toBeFocused();
    await page.keyboard.type('harmat');
    // both the question and the answer match; open the answer
    await expect(page.locator('.search-hit')).toHaveCount(2);
    const hit = page.locator('.search-hit', { hasText: 'raises PM10' });
    await expect(hit).toContainText('Harmattan');
    await expect(hit.locator('mark').first()).toBeVisible();
    await hit.click();
    await expect(page.locator('.chat-title')).toHaveText('Tell me about harmattan dust');
  });

  test('an XSS payload in a model reply stays inert', async ({ app, page }) => {
    const payload = [
      'Results: <img src=x onerror="window.__xss=1">',
      '<script>window.__xss=2</script>',
      '[click me](javascript:window.__xss=3)',
      '<a href="javascript:window.__xss=4">raw link</a>',
      '<iframe src="javascript:window.__xss=5"></iframe>',
      '<div onmouseover="window.__xss=6">hover</div>',
      '[safe](https://www.who.int)',
    ].join('\n\n');
    app.emulator.script({ match: 'xss', reply: { content: payload } });
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await app.open(page);
    await page.getByLabel('Message').fill('xss test');
    await page.keyboard.press('Enter');
    const reply = page.locator('.from-assistant .markdown').last();
    await expect(reply).toContainText('safe');
    await reply.getByText('hover').hover();
    await reply.getByText('click me').click();
    await reply.getByText('raw link').click();
    // Raw HTML is shown as the text the model wrote (escaped), never built: no such element, no handler, no
    // javascript: address on any element.
    await expect(reply).toContainText('<img src=x onerror="window.__xss=1">');
    expect(await reply.innerHTML()).not.toMatch(/<(script|iframe|img|div)\b/i);
    const live = await reply.evaluate((el) =>
      [...el.querySelectorAll('*')].flatMap((n) =>
        [...n.attributes].filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => a.name),
      ),
    );
    expect(live).toEqual([]);
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(dialogs).toBe(0);
    await expect(reply.getByRole('link', { name: 'safe' })).toHaveAttribute('rel', /noopener/);
  });

  test('explains a dead Ollama and works again when it returns', async ({ app, page }) => {
    await app.open(page);
    // Ollama dies after the app has loaded its models (the page shows before that call returns: wait for it,
    // else the send carries no model, the engine cannot pick one from a dead Ollama, and the error is a toast).
    await expect(page.getByLabel('Model')).toBeEnabled();
    await app.emulator.close();
    await page.getByLabel('Message').fill('anyone there?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.from-assistant .msg-status')).toContainText('Ollama is not answering', {
      timeout: 15_000,
    });
  });

  test('light and dark themes paint the page and keep the chat laid out inside the window', async ({ app, page }) => {
    app.emulator.script({
      reply: {
        content:
          '**PM2.5 in Kampala: 38 µg/m³** (AQI 107, *Unhealthy for Sensitive Groups*).\n\n| Group | Advice |\n|---|---|\n| Children | Shorter outdoor play |\n| Asthma | Keep inhaler close |',
      },
    });
    await app.open(page);
    await page.getByLabel('Message').fill('How is the air in Kampala now, and is it safe for the school run?');
    await page.keyboard.press('Enter');
    await expect(page.locator('.markdown table')).toBeVisible();
    const parts = [
      page.locator('.sidebar'),
      page.locator('.from-user'),
      page.locator('.from-assistant'),
      page.locator('.markdown table'),
      page.getByLabel('Message'),
    ];
    const theme = async (name: 'Dark' | 'Light') => {
      await useTheme(page, name);
      await expectLaidOut(page, parts);
      // Kept for a person to look at (test-results/); the checks above are what the test asserts.
      await page.screenshot({ path: test.info().outputPath(`chat-${name.toLowerCase()}.png`) });
      return backgroundLuminance(page);
    };
    const dark = await theme('Dark');
    const light = await theme('Light');
    expect(dark).toBeLessThan(0.1);
    expect(light).toBeGreaterThan(0.6);
  });
});
