import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures/serve-app';

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/pw-agent/screens');

/** Twelve hourly PM2.5 values ending now, as a model would pass them from get_airqo_history. */
function hourlyPoints(): Array<[string, number]> {
  const now = Date.now() - (Date.now() % 3_600_000);
  const values = [31, 35, 42, 48, 55, 61, 58, 52, 47, 44, 40, 38];
  return values.map((v, i) => [new Date(now - (values.length - 1 - i) * 3_600_000).toISOString(), v]);
}

test.describe('the agent in the chat', () => {
  test('a question about Kampala shows the tool chip, the AQI badge and a chart, also after a reload', async ({
    app,
    page,
  }, testInfo) => {
    app.emulator.script({
      match: 'Kampala',
      times: 1,
      reply: { toolCalls: [{ name: 'get_city_air_quality', arguments: { city: 'Kampala' } }] },
    });
    app.emulator.script({
      match: 'Kampala',
      times: 1,
      reply: {
        toolCalls: [
          {
            name: 'generate_chart',
            arguments: {
              title: 'PM2.5 in Kampala, last 12 hours',
              chart_type: 'line',
              series: [{ name: 'Makerere University', points: hourlyPoints() }],
              units: 'µg/m³',
              who_guideline: 'pm25_24h',
            },
          },
        ],
      },
    });
    app.emulator.script({
      match: 'Kampala',
      reply: {
        content:
          'The air in **Kampala** is *Unhealthy for Sensitive Groups* right now (AirQo, Makerere University). ' +
          'Children with asthma should avoid long outdoor exertion on the school run.',
        tokenDelayMs: 10,
      },
    });
    await app.open(page);
    await page.getByLabel('Message').fill('How is the air in Kampala now, and is it safe for the school run?');
    await page.keyboard.press('Enter');

    const reply = page.locator('.from-assistant').last();
    await expect(reply.locator('.markdown')).toContainText('Children with asthma');
    const chip = reply.getByTestId('tool-chip').filter({ hasText: 'get_city_air_quality' });
    await expect(chip).toContainText('Kampala');
    await expect(chip).toContainText('AirQo');
    await expect(chip).toContainText(/\d+ ms|\d\.\d s/);
    await expect(reply.getByTestId('tool-chip').filter({ hasText: 'generate_chart' })).toBeVisible();
    const badge = reply.getByTestId('aqi-badge').first();
    await expect(badge).toContainText(/AQI \d+/);
    // Plain words first; opened, the chip shows the tool and what it found. The badge says when it was measured.
    await expect(chip.locator('summary')).toContainText('Looked up the air in Kampala (AirQo)');
    await chip.locator('summary').click();
    await expect(chip.getByText('get_city_air_quality')).toBeVisible();
    await expect(badge.locator('.aqi-time')).toContainText(/\d[:.]\d\d/);
    await reply.screenshot({ path: testInfo.outputPath('agent-reply.png') });
    // The root tsconfig has no DOM lib: reach the browser's getComputedStyle through globalThis.
    const color = await badge.evaluate(
      (el) =>
        (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el)
          .backgroundColor,
    );
    // one of the six EPA category colours
    expect([
      'rgb(0, 228, 0)',
      'rgb(255, 255, 0)',
      'rgb(255, 126, 0)',
      'rgb(255, 0, 0)',
      'rgb(143, 63, 151)',
      'rgb(126, 0, 35)',
    ]).toContain(color);
    const chart = reply.getByTestId('chart');
    await expect(chart.locator('svg')).toBeVisible();
    await expect(chart).toContainText('PM2.5 in Kampala, last 12 hours');
    await expect(chart).toContainText('WHO 24h guideline');
    await expect(chart).toContainText('µg/m³');

    // the tooltip follows the pointer
    const box = (await chart.locator('.chart-hit').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await expect(chart.getByRole('tooltip')).toContainText('Makerere University');
    await expect(chart.getByRole('tooltip')).toContainText('µg/m³');

    fs.mkdirSync(SHOTS, { recursive: true });
    await page.mouse.move(box.x + box.width * 0.62, box.y + box.height * 0.4);
    await page.screenshot({ path: path.join(SHOTS, 'chat-agent-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: path.join(SHOTS, 'chat-agent-dark.png') });
    await page.emulateMedia({ colorScheme: 'light' });

    // Export PNG downloads a real PNG
    const download = page.waitForEvent('download');
    await chart.getByRole('button', { name: 'Export PNG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('pm25-in-kampala-last-12-hours.png');
    const bytes = fs.readFileSync(await file.path());
    expect(bytes.subarray(1, 4).toString()).toBe('PNG');
    expect(bytes.length).toBeGreaterThan(5000);

    // kept with the message
    await page.reload();
    const again = page.locator('.from-assistant').last();
    await expect(again.getByTestId('tool-chip').filter({ hasText: 'get_city_air_quality' })).toContainText('AirQo');
    await expect(again.getByTestId('aqi-badge').first()).toBeVisible();
    await expect(again.getByTestId('chart').locator('svg')).toBeVisible();
  });

  test('the Data sources page shows status and takes keys without ever showing them again', async ({ app, page }) => {
    await app.open(page);
    await page.getByRole('button', { name: 'Sources' }).click();
    await expect(page.getByRole('heading', { name: 'Data sources' })).toBeVisible();
    const waqi = page.getByTestId('source-waqi');
    await expect(waqi.getByTestId('key-state')).toHaveText('Configured (from the environment)');
    const openaq = page.getByTestId('source-openaq');
    await expect(openaq.getByTestId('key-state')).toHaveText('Not configured');
    await expect(openaq.getByTestId('source-state')).toHaveText('Not configured');

    const secret = 'oaq-e2e-key-5d1c9b';
    await openaq.getByLabel('OpenAQ API key').fill(secret);
    await openaq.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('source-openaq').getByTestId('key-state')).toHaveText('Configured (saved here)');
    await expect(page.getByTestId('source-openaq').getByLabel('OpenAQ API key')).toHaveValue('');
    expect(await page.content()).not.toContain(secret);
    expect(fs.readFileSync(path.join(app.dataDir, 'secrets.json'), 'utf8')).toContain(secret);
    const config = path.join(app.dataDir, 'config.json');
    if (fs.existsSync(config)) expect(fs.readFileSync(config, 'utf8')).not.toContain(secret);

    // The web tools are off until this switch is on; it is kept with the source settings and survives a reload.
    const webSwitch = () =>
      page
        .getByTestId('web-tools')
        .getByLabel('Let the assistant search the web and read pages (online; what it reads is not checked)');
    await expect(webSwitch()).not.toBeChecked();
    await webSwitch().click();
    await expect(webSwitch()).toBeChecked();
    expect(JSON.parse(fs.readFileSync(path.join(app.dataDir, 'secrets.json'), 'utf8'))).toMatchObject({
      webTools: 'on',
    });
    await page.reload();
    await page.getByRole('button', { name: 'Sources' }).click();
    await expect(webSwitch()).toBeChecked();
    await webSwitch().click();
    await expect(webSwitch()).not.toBeChecked();
    await expect(page.getByTestId('source-websearch')).toContainText('DuckDuckGo');

    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'sources-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: path.join(SHOTS, 'sources-dark.png'), fullPage: true });
  });
});
