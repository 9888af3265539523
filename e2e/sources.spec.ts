import path from 'node:path';
import fs from 'node:fs';
import { expect, test } from './fixtures/serve-app';

const SHOTS = path.resolve(import.meta.dirname, '../.tmp/pw-sources/screens');

// WAQI's URL and token come from the environment (the fixture sets both); AirQo's URL does, its token does not,
// so it is typed on the page. An empty variable counts as unset.
test.use({ serveEnv: { AERIS_AIRQO_TOKEN: '' } });

test('fields the environment sets are locked; Test connection says Connected, or that the key was refused', async ({
  app,
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await app.open(page);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Sources' }).click();
  await expect(page.getByRole('heading', { name: 'Data sources' })).toBeVisible();

  const waqi = page.getByTestId('source-waqi');
  await expect(waqi.getByLabel('WAQI (World Air Quality Index project) URL')).not.toBeEditable();
  await expect(waqi.getByLabel('WAQI (World Air Quality Index project) URL')).toHaveValue(app.sources.waqi.url);
  await expect(waqi.getByLabel('WAQI (World Air Quality Index project) API token')).not.toBeEditable();
  await expect(waqi.getByTestId('locked-note')).toHaveText([
    'Set by AERIS_WAQI_URL on this computer; change it there.',
    'Set by AERIS_WAQI_TOKEN on this computer; change it there.',
  ]);
  await expect(waqi.getByRole('img', { name: 'Locked' })).toHaveCount(2);
  await expect(waqi.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await waqi.getByRole('button', { name: 'Test connection' }).click();
  await expect(waqi.getByTestId('test-result')).toHaveText(/^Connected \(\d+ ms\)$/);
  expect(app.sources.waqi.requests.at(-1)?.query.token).toBe('test-waqi-token');

  const airqo = page.getByTestId('source-airqo');
  await expect(airqo.getByLabel('AirQo URL')).not.toBeEditable();
  await expect(airqo.getByTestId('locked-note')).toHaveText(
    'Set by AERIS_AIRQO_URL on this computer; change it there.',
  );
  await airqo.getByRole('button', { name: 'Test connection' }).click();
  await expect(airqo.getByTestId('test-result')).toHaveText('No key is set for this source, so it cannot be tested.');

  // A wrong token, saved here: the emulator answers 401 as AirQo does, and the page says the key was refused.
  await airqo.getByLabel('AirQo API token').fill('wrong-airqo-token');
  await airqo.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByTestId('source-airqo').getByTestId('key-state')).toHaveText('Configured (saved here)');
  await page.getByTestId('source-airqo').getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('source-airqo').getByTestId('test-result')).toHaveText(
    'Key refused: the source did not accept the key. Check it, or get a new one.',
  );
  expect(app.sources.airqo.requests.at(-1)?.query.token).toBe('wrong-airqo-token');
  expect(await page.content()).not.toContain('wrong-airqo-token');

  fs.mkdirSync(SHOTS, { recursive: true });
  await page.getByTestId('source-waqi').scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, 'sources-locked-light.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.screenshot({ path: path.join(SHOTS, 'sources-locked-dark.png') });
});
