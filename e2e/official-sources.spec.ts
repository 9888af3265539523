import fs from 'node:fs';
import { untilReplyEnds } from './fixtures/chat';
import { expect, test } from './fixtures/serve-app';
import type { Page } from '@playwright/test';

/** Asks one question in the open chat and waits for the scripted answer's text and the reply's end. */
async function ask(page: Page, question: string, answerText: string) {
  await page.getByLabel('Message').fill(question);
  await page.keyboard.press('Enter');
  const reply = page.locator('.from-assistant').last();
  await expect(reply.locator('.markdown')).toContainText(answerText);
  await untilReplyEnds(page);
  return reply;
}

/** The chip of one tool in a reply, opened, so its source and what it found show. */
async function openChip(reply: ReturnType<Page['locator']>, tool: string) {
  const chip = reply.getByTestId('tool-chip').filter({ hasText: tool });
  await chip.locator('summary').click();
  return chip;
}

test.describe('official sources in the chat', () => {
  test('Berlin (UBA), London (UK-AIR), Sydney (NSW) and the last 30 days in Nairobi answer with figures and their source', async ({
    app,
    page,
  }, testInfo) => {
    const script = (
      match: string,
      calls: Array<{ name: string; arguments: Record<string, unknown> }>,
      text: string,
    ) => {
      for (const call of calls) app.emulator.script({ match, times: 1, reply: { toolCalls: [call] } });
      app.emulator.script({ match, times: 1, reply: { content: text } });
    };
    script(
      'Berlin',
      [{ name: 'get_uba_measures', arguments: { component: 'pm10', location: 'Berlin' } }],
      'Berlin PM10 is low.',
    );
    script(
      'London',
      [{ name: 'get_defra_site_data', arguments: { site_code: 'London', species: 'NO2' } }],
      'London NO2 is moderate.',
    );
    script('Sydney', [{ name: 'get_nsw_air_quality', arguments: { location: 'Sydney' } }], 'Sydney air is good.');
    const days = Array.from({ length: 30 }, (_, i) => {
      const d = new Date(Date.now() - (30 - i) * 86_400_000).toISOString().slice(0, 10);
      return [d, 20 + (i % 7)];
    });
    script(
      'Nairobi',
      [
        { name: 'get_openmeteo_historical', arguments: { city: 'Nairobi', past_days: 30 } },
        {
          name: 'generate_chart',
          arguments: {
            title: 'Daily PM2.5 in Nairobi, last 30 days',
            series: [{ name: 'Nairobi', points: days }],
            who_guideline: 'pm25_24h',
          },
        },
      ],
      'Nairobi had several days above the WHO guideline.',
    );
    await app.open(page);

    const berlin = await ask(page, 'How is PM10 in Berlin today?', 'Berlin PM10 is low.');
    const uba = await openChip(berlin, 'get_uba_measures');
    await expect(uba.locator('summary')).toContainText('(UBA)');
    await expect(uba).toContainText(
      /UBA, Berlin Wedding \(DEBE010\): PM10 [\d.]+ µg\/m³, period from \d{4}-\d\d-\d\d \d\d:00 UTC\+01:00 \(live\)/,
    );

    const london = await ask(page, 'And NO2 in London?', 'London NO2 is moderate.');
    const defra = await openChip(london, 'get_defra_site_data');
    await expect(defra.locator('summary')).toContainText('(UK-AIR)');
    await expect(defra).toContainText(
      /UK-AIR \(Defra\), London Marylebone Road: Nitrogen dioxide [\d.]+ µg\/m³, hour from .+ UTC \(live\)/,
    );

    const sydney = await ask(page, 'What about Sydney?', 'Sydney air is good.');
    const nsw = await openChip(sydney, 'get_nsw_air_quality');
    await expect(nsw.locator('summary')).toContainText('(NSW Air Quality)');
    await expect(nsw).toContainText(
      /NSW Air Quality, [A-Z ]+: PM2\.5 [\d.]+ µg\/m³ \(\w+\), hour from .+ UTC\+10:00 \(live\)/,
    );

    const nairobi = await ask(page, 'Show me the last 30 days in Nairobi', 'several days above the WHO guideline');
    await expect(nairobi.getByTestId('chart')).toBeVisible();
    const caption = nairobi.getByTestId('chart-source');
    await expect(caption).toContainText(
      /^Source: Open-Meteo.* · Nairobi.* · \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d · live$/,
    );
    const history = await openChip(nairobi, 'get_openmeteo_historical');
    await expect(history).toContainText(
      /Open-Meteo \(Copernicus CAMS model\), Nairobi, Kenya: PM2\.5 daily mean [\d.]+ µg\/m³ over 30 days \(.+\), \d+ above the WHO 24-hour guideline \(live\)/,
    );
    await nairobi.screenshot({ path: testInfo.outputPath('nairobi-chart.png') });
    // The exported image carries the caption under the chart: 22 px taller than the chart, at 2×.
    const download = page.waitForEvent('download');
    await nairobi.getByTestId('chart').getByRole('button', { name: 'Export PNG' }).click();
    const png = fs.readFileSync(await (await download).path());
    fs.writeFileSync(testInfo.outputPath('nairobi-export.png'), png);
    const svgHeight = Number(await nairobi.getByTestId('chart').locator('svg').first().getAttribute('height'));
    expect(png.readUInt32BE(20)).toBe(Math.round((svgHeight + 22) * 2));

    // After a reload the chart still names its data.
    await page.reload();
    await expect(page.getByTestId('chart-source').last()).toContainText(/^Source: Open-Meteo.* · Nairobi/);
  });

  test('my location: a typed town resolves offline and "how is the air here?" is answered for it', async ({
    app,
    page,
  }, testInfo) => {
    await app.open(page);
    await page.getByTestId('my-location-toggle').click();
    await page.getByLabel('Place or coordinates').fill('Zzyzxq');
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await expect(page.getByRole('alert')).toContainText('not in the offline gazetteer');
    await page.getByLabel('Place or coordinates').fill('Nairobi');
    await page.getByRole('button', { name: 'Use', exact: true }).click();
    await expect(page.getByTestId('my-location-facts')).toContainText('near Nairobi, Kenya');
    await expect(page.getByTestId('my-location-toggle')).toContainText('My location: Nairobi, Kenya');
    await page.locator('.composer-wrap').screenshot({ path: testInfo.outputPath('my-location.png') });

    app.emulator.script({
      match: 'here',
      times: 1,
      reply: {
        toolCalls: [{ name: 'get_air_quality_by_coordinates', arguments: { latitude: -1.2921, longitude: 36.8219 } }],
      },
    });
    app.emulator.script({ match: 'here', times: 1, reply: { content: 'Around you the air is moderate.' } });
    const reply = await ask(page, 'How is the air here?', 'Around you the air is moderate.');
    await expect(reply.getByTestId('tool-chip').first()).toContainText('WAQI');
    const chat = app.emulator.requests.find((r) => r.path === '/api/chat') as {
      body: { messages: Array<{ content: string }> };
    };
    expect(chat.body.messages[0]!.content).toMatch(
      /The user is at latitude -1\.28\d*, longitude 36\.81\d*, near Nairobi, Kenya/,
    );

    await page.reload();
    await expect(page.getByTestId('my-location-toggle')).toContainText('My location: Nairobi, Kenya');
  });
});
