import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from './fixtures/serve-app';

const FIXTURES = path.resolve(import.meta.dirname, '../main/imports/fixtures');
const SHOTS = path.resolve(import.meta.dirname, '../.tmp/imports-shots');

test.describe('imported-data page in the browser against serve mode', () => {
  test('imports files by picker and by drop, lists sites, charts a site against WHO; light and dark', async ({
    app,
    page,
  }) => {
    await app.open(page);
    await page.getByRole('button', { name: 'Data', exact: true }).click();
    await expect(page.getByRole('heading', { name: 'Imported data', level: 1 })).toBeVisible();
    await expect(page.locator('.data-sites')).toContainText('No sensor data yet');

    // 1. The file picker: a generic CSV with three bad lines.
    await page.getByLabel('Sensor file').setInputFiles(path.join(FIXTURES, 'generic.csv'));
    const report = page.getByTestId('import-report');
    await expect(report).toContainText('generic.csv');
    await expect(report.locator('.data-stats')).toContainText('Rows read57');
    await expect(report.locator('.data-stats')).toContainText('Imported54');
    await expect(report.locator('.data-stats')).toContainText('Bad lines3');
    await expect(report.locator('.data-errors')).toContainText('line 12');
    await expect(report.locator('.data-errors')).toContainText('line 33 unreadable timestamp');

    const sites = page.getByRole('table', { name: 'Imported sites' });
    await expect(sites.locator('tbody tr')).toHaveCount(2);
    await expect(sites).toContainText('Kampala Central');
    await expect(sites).toContainText('Jinja "Main" Road');

    // 2. A site: its time series and its daily means with the WHO line.
    await sites.getByRole('button', { name: 'Kampala Central' }).click();
    const view = page.getByTestId('site-view');
    await expect(view.getByRole('heading', { name: 'Kampala Central' })).toBeVisible();
    await expect(view.getByTestId('chart')).toHaveCount(2);
    await expect(view.getByTestId('who-summary')).toContainText('1 of 2 days');
    await expect(view.getByTestId('who-summary')).toContainText('WHO 2021 24-hour guideline (15 µg/m³)');
    await expect(view.locator('svg[aria-label*="hourly means"] path[stroke]').first()).toBeVisible();
    await view.getByLabel('Pollutant').selectOption('pm10');
    await expect(view.getByTestId('who-summary')).toContainText('(45 µg/m³)');

    // 3. Drag and drop a PurpleAir SD-card file onto the drop zone.
    const csv = fs.readFileSync(path.join(FIXTURES, 'purpleair-sd.csv'), 'utf8');
    const dt = await page.evaluateHandle((text) => {
      // Runs in the page; this tsconfig has no DOM types.
      const g = globalThis as unknown as {
        DataTransfer: new () => { items: { add(file: unknown): void } };
        File: new (parts: string[], name: string, opts: { type: string }) => unknown;
      };
      const d = new g.DataTransfer();
      d.items.add(new g.File([text], 'purpleair-sd.csv', { type: 'text/csv' }));
      return d;
    }, csv);
    await page.getByTestId('drop-zone').dispatchEvent('dragover', { dataTransfer: dt });
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: dt });
    await expect(report).toContainText('purpleair-sd.csv');
    await expect(report).toContainText('US-derived');
    await expect(report).toContainText('disagree');
    await expect(sites.locator('tbody tr')).toHaveCount(3);
    await sites.getByRole('button', { name: 'PurpleAir 84:f3:eb:7b:c8:ee' }).click();
    await view.getByLabel('Pollutant').selectOption('pm25_epa');
    await expect(view.locator('.data-note')).toContainText('US-derived');
    await view.getByLabel('Series').selectOption('raw');
    await expect(view.getByTestId('chart').first()).toBeVisible();

    // 4. The same file again adds nothing.
    await page.getByLabel('Sensor file').setInputFiles(path.join(FIXTURES, 'generic.csv'));
    await expect(report.locator('.data-stats')).toContainText('Imported0');
    await expect(report.locator('.data-stats')).toContainText('Duplicates54');
    await expect(report).toContainText('imported before');
    // Known by its bytes: no second import is recorded.
    await expect(page.locator('.data-files li')).toHaveCount(2);

    // 5. An Excel workbook (the AirQo daily export, converted by LibreOffice) is read like its CSV.
    await page.getByLabel('Sensor file').setInputFiles(path.join(FIXTURES, 'airqo-daily-export.xlsx'));
    await expect(report.locator('.data-stats')).toContainText('Imported20');
    await expect(page.locator('.data-files li')).toHaveCount(3);
    await sites.getByRole('button', { name: 'Nakivubo Channel, Kampala' }).click();
    await expect(view.getByTestId('completeness')).toContainText("10 days from the file's daily means");
    await expect(view.getByTestId('who-summary')).toContainText('7 of 10 days');

    // Screenshots of the page with Kampala selected, light and dark.
    await sites.getByRole('button', { name: 'Kampala Central' }).click();
    await expect(view.getByTestId('chart')).toHaveCount(2);
    fs.mkdirSync(SHOTS, { recursive: true });
    // The page scrolls inside .page-body, so a tall window shows it whole.
    await page.setViewportSize({ width: 1280, height: 1560 });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: path.join(SHOTS, 'data-light.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.screenshot({ path: path.join(SHOTS, 'data-dark.png'), fullPage: true });
  });
});
