import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { ManualClock } from '../../test/doubles/manual-clock';
import { importsInTempDir } from '../../test/helpers/imports-in-temp-dir';

/*
 * Fixtures rebuilt from the providers' documented formats (the values are made up):
 * - purpleair-api-hourly*.csv: PurpleAir API `GET /v1/sensors/:sensor_index/history/csv` with `average=60` and
 *   the fields humidity, temperature (°F), pm2.5_atm_a/_b, pm2.5_cf_1_a/_b, pm10.0_atm_a/_b: `time_stamp` in
 *   UNIX seconds, `sensor_index`, newest row first; CRLF line ends.
 * - openaq-archive.csv: OpenAQ's open-data archive (`records/csv.gz/locationid=…`): location_id, sensors_id,
 *   location, datetime (local, with offset), lat, lon, parameter, units, value; one row per parameter.
 * - openaq-explorer.csv: the OpenAQ Explorer download: location_id, location_name, parameter, value, unit,
 *   datetimeUtc, datetimeLocal, timezone, latitude, longitude, country_iso, isMobile, isMonitor, owner_name,
 *   provider.
 */
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
const SENSOR = 'PurpleAir 131075';
const NAIROBI = 'Nairobi - US Diplomatic Post';
const H = 3_600_000;

const clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
const bench = importsInTempDir(clock);

const point = (site: string, pollutant: 'pm25' | 'pm10', time: number) =>
  bench.imports.series({ site, pollutant, aggregate: 'raw' }).points.find((p) => p.time === time);

describe('PurpleAir API history download (hourly averages)', () => {
  it('reads A/B channels, °F and the sensor index; newest-first rows make 24 hours of one day; a failing B is flagged', async () => {
    const r = await bench.imports.importFile(fixture('purpleair-api-hourly.csv'));
    expect(r).toMatchObject({ format: 'purpleair', rowsRead: 24, rowsImported: 24, errorCount: 0, flagged: 1 });
    expect(r.sites).toEqual([expect.objectContaining({ name: SENSOR, devices: ['131075'], latitude: null })]);
    const t0 = Date.UTC(2024, 2, 1, 0);
    // A/B mean of pm2.5_atm (12 and 12.48).
    expect(point(SENSOR, 'pm25', t0)!.value).toBe(12.24);
    expect(point(SENSOR, 'pm10', t0)!.value).toBeCloseTo(19.58, 1);
    const d = bench.imports.dailyMeans({ site: SENSOR, pollutant: 'pm25' });
    // The flagged hour is kept but left out of the means: 23 of 24 hours count, still a complete day.
    expect(d.days).toEqual([expect.objectContaining({ day: '2024-03-01', hours: 23, complete: true })]);
  });

  it('a later download overlapping by four hours: same values are duplicates, changed ones replaced, the rest new', async () => {
    await bench.imports.importFile(fixture('purpleair-api-hourly.csv'));
    const later = await bench.imports.importFile(fixture('purpleair-api-hourly-later.csv'));
    expect(later).toMatchObject({ rowsRead: 10, rowsImported: 6, duplicates: 2, replaced: 2 });
    const t21 = Date.UTC(2024, 2, 1, 21);
    const a = Math.round((12 + 6 * Math.sin(21 / 4) + 0.5) * 1000) / 1000;
    expect(point(SENSOR, 'pm25', t21)!.value).toBeCloseTo((a + Math.round(a * 1.04 * 1000) / 1000) / 2, 2);
    expect(bench.imports.sites().find((s) => s.name === SENSOR)).toMatchObject({ count: 30 });
  });

  it('the same bytes under another name, site or format add nothing', async () => {
    const first = await bench.imports.importFile(fixture('purpleair-api-hourly.csv'));
    const copy = path.join(bench.dir, 'sensor-131075.csv');
    fs.copyFileSync(fixture('purpleair-api-hourly.csv'), copy);
    for (const opts of [{}, { siteName: 'Garden' }, { format: 'generic' as const }]) {
      const again = await bench.imports.importFile(copy, opts);
      expect(again).toMatchObject({ alreadyImported: true, rowsImported: 0, duplicates: 24, id: first.id });
    }
    expect(bench.imports.sites().map((s) => [s.name, s.count])).toEqual([[SENSOR, 24]]);
  });
});

describe('OpenAQ exports (one row per parameter)', () => {
  it('the archive: PM2.5 and PM10 rows of one hour become one reading, times from their offset, (0, 0) refused, NO2 said', async () => {
    const r = await bench.imports.importFile(fixture('openaq-archive.csv'));
    expect(r).toMatchObject({
      format: 'openaq',
      rowsRead: 27,
      rowsImported: 24,
      replaced: 0,
      duplicates: 0,
      errorCount: 3,
      coordinatesRejected: 2,
    });
    expect(r.errors[0]!.reason).toMatch(/parameter "no2" is not imported/);
    expect(r.sites).toEqual([
      expect.objectContaining({ name: NAIROBI, latitude: -1.2345, longitude: 36.8054, devices: [] }),
    ]);
    // 01:00 at +03:00 is 22:00 UTC the day before (2024 is a leap year).
    const first = Date.UTC(2024, 1, 29, 22);
    expect(point(NAIROBI, 'pm25', first)!.value).toBe(20);
    expect(point(NAIROBI, 'pm10', first)!.value).toBe(41);
    const pm25 = bench.imports.series({ site: NAIROBI, pollutant: 'pm25', aggregate: 'hourly' }).points;
    expect(pm25).toHaveLength(12);
    expect(pm25.map((p) => p.time)).toEqual(Array.from({ length: 12 }, (_, i) => first + i * H));
    expect(bench.imports.sites().find((s) => s.name === NAIROBI)).toMatchObject({ count: 12, latitude: -1.2345 });
  });

  it('the Explorer download overlapping the archive: changed PM2.5 replaced, the same values duplicates, new hours added', async () => {
    await bench.imports.importFile(fixture('openaq-archive.csv'));
    const r = await bench.imports.importFile(fixture('openaq-explorer.csv'));
    expect(r).toMatchObject({
      format: 'openaq',
      rowsRead: 16,
      rowsImported: 8,
      duplicates: 6,
      replaced: 2,
      errorCount: 0,
    });
    // Local 10:00 (+03:00) is 07:00 UTC: corrected from 23.9 to 24.9.
    const t = Date.UTC(2024, 2, 1, 7);
    expect(point(NAIROBI, 'pm25', t)!.value).toBe(Math.round((20 + 8 * Math.sin(9 / 3) + 1) * 10) / 10);
    expect(bench.imports.sites().find((s) => s.name === NAIROBI)).toMatchObject({ count: 16 });
    const again = await bench.imports.importFile(fixture('openaq-explorer.csv'));
    expect(again).toMatchObject({ alreadyImported: true, rowsImported: 0 });
  });
});
