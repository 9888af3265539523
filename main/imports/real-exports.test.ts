import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { ManualClock } from '../../test/doubles/manual-clock';
import { AppError } from '../core/errors';
import { openStore } from '../store/store';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { ImportsService } from './imports-service';
import { importsInTempDir } from '../../test/helpers/imports-in-temp-dir';

/*
 * Fixtures in AirQo's analytics export layout (AirQo-api src/analytics: `download_from_bigquery` for sites,
 * full output): device_latitude, device_longitude, device_name, the pollutant raw/calibrated columns,
 * datetime as `%Y-%m-%d %H:%M:%S` (UTC, no zone written), tenant, site_id, site_name, site_latitude,
 * site_longitude, frequency; written by Python's csv module (CRLF, quotes only where a field needs them).
 * airqo-daily-export.xlsx is that CSV converted by LibreOffice (`soffice --headless --convert-to xlsx`).
 */
const fixture = (name: string) => path.join(import.meta.dirname, 'fixtures', name);
const NAKIVUBO = 'Nakivubo Channel, Kampala';

const clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
const bench = importsInTempDir(clock);

const rawPoint = (site: string, time: number) =>
  bench.imports.series({ site, pollutant: 'pm25', aggregate: 'raw' }).points.find((p) => p.time === time);

describe('AirQo daily export', () => {
  it('daily rows are daily means: complete days, compared with the WHO 24-hour guideline', async () => {
    const r = await bench.imports.importFile(fixture('airqo-daily-export.csv'));
    expect(r).toMatchObject({ format: 'airqo', rowsRead: 20, rowsImported: 20, errorCount: 0, container: 'csv' });
    expect(r.sites.find((s) => s.name === NAKIVUBO)).toMatchObject({
      periods: ['daily'],
      devices: ['aq_g5_63'],
      rows: 10,
    });
    const d = bench.imports.dailyMeans({ site: NAKIVUBO, pollutant: 'pm25' });
    expect(d.days).toHaveLength(10);
    expect(d.days.every((x) => x.basis === 'daily' && x.hours === null && x.complete)).toBe(true);
    expect(d.days.map((x) => x.mean)).toEqual([41.2, 38.8, 12.4, 55.1, 15, 15, 29.3, 33.8, 61, 44.4]);
    // 15.0 and 14.96 (shown 15.0) are at the guideline, not above it.
    expect(d).toMatchObject({ daysWithData: 10, completeDays: 10, exceedances: 7, completeExceedances: 7 });
    const m = bench.imports.dailyMeans({ site: 'Makerere University', pollutant: 'pm25' });
    expect(m).toMatchObject({ completeDays: 10, exceedances: 5 });
    // A day stamped at UTC midnight is the same day seen from Kampala or from New York.
    for (const off of [180, -300]) {
      const local = bench.imports.dailyMeans({ site: NAKIVUBO, pollutant: 'pm25', utcOffsetMinutes: off });
      expect(local.days.map((x) => x.day)).toEqual(d.days.map((x) => x.day));
    }
    // A daily mean is not an hour: the hourly series leaves it out.
    expect(bench.imports.series({ site: NAKIVUBO, pollutant: 'pm25', aggregate: 'hourly' }).points).toEqual([]);
  });

  it('the same export as an .xlsx converted by LibreOffice reads the same readings', async () => {
    const csv = await bench.imports.importFile(fixture('airqo-daily-export.csv'));
    const xlsx = await bench.imports.importFile(fixture('airqo-daily-export.xlsx'));
    expect(xlsx).toMatchObject({ container: 'xlsx', format: 'airqo', rowsRead: 20, errorCount: 0 });
    // Other bytes, same readings: every row is already there with the same values.
    expect(xlsx).toMatchObject({ alreadyImported: false, rowsImported: 0, duplicates: 20, replaced: 0 });
    expect(xlsx.sha256).not.toBe(csv.sha256);
    expect(bench.imports.sites().find((s) => s.name === NAKIVUBO)!.count).toBe(10);
  });
});

describe('AirQo hourly export', () => {
  it("a site's location is the median of its good rows; (0, 0) is refused and its reading kept", async () => {
    const r = await bench.imports.importFile(fixture('airqo-hourly-export.csv'));
    expect(r).toMatchObject({ rowsRead: 36, rowsImported: 36, errorCount: 0, coordinatesRejected: 1 });
    const nak = r.sites.find((s) => s.name === NAKIVUBO)!;
    // Two rows carry a bad averaged position (0.192, 20.575), one (0, 0): the site sits where the rest are.
    expect(nak).toMatchObject({ latitude: 0.311467, longitude: 32.578301, locatedRows: 23, outlyingRows: 2 });
    expect(bench.imports.sites().find((s) => s.name === NAKIVUBO)).toMatchObject({
      latitude: 0.311467,
      longitude: 32.578301,
      count: 24,
      devices: ['aq_g5_63'],
      periods: ['hourly'],
    });
    const d = bench.imports.dailyMeans({ site: NAKIVUBO, pollutant: 'pm25' });
    expect(d.days).toEqual([expect.objectContaining({ day: '2024-03-01', hours: 24, basis: 'hours', complete: true })]);
  });

  it('overlapping exports: the calibrated value replaces the raw one, and the report says so', async () => {
    const t10 = Date.UTC(2024, 2, 1, 10);
    await bench.imports.importFile(fixture('airqo-hourly-export.csv'));
    // Hour 10 had no calibrated value in the first export: its raw value stood in.
    expect(rawPoint('Gulu University', t10)!.value).toBe(23.42);
    const later = await bench.imports.importFile(fixture('airqo-hourly-export-later.csv'));
    expect(later).toMatchObject({ rowsRead: 6, rowsImported: 2, replaced: 1, duplicates: 3 });
    expect(rawPoint('Gulu University', t10)!.value).toBe(20.82);
    expect(bench.imports.list()[0]).toMatchObject({ name: 'airqo-hourly-export-later.csv', replaced: 1 });
  });

  it('a raw value never replaces a calibrated one, whichever file comes last', async () => {
    const t10 = Date.UTC(2024, 2, 1, 10);
    await bench.imports.importFile(fixture('airqo-hourly-export-later.csv'));
    const earlier = await bench.imports.importFile(fixture('airqo-hourly-export.csv'));
    expect(rawPoint('Gulu University', t10)!.value).toBe(20.82);
    // Hours 8-11 overlap: 8, 9 and 11 are the same values, 10 keeps its calibrated figure.
    expect(earlier).toMatchObject({ replaced: 0, duplicates: 4, rowsImported: 32 });
  });

  it('between two calibrated values the later import wins', async () => {
    await bench.imports.importFile(fixture('airqo-hourly-export-later.csv'));
    const text = fs.readFileSync(fixture('airqo-hourly-export-later.csv'), 'utf8').replace(',20.82,', ',21.50,');
    const f = path.join(bench.dir, 'recalibrated.csv');
    fs.writeFileSync(f, text);
    const r = await bench.imports.importFile(f);
    expect(r).toMatchObject({ replaced: 1, duplicates: 5, rowsImported: 0 });
    expect(rawPoint('Gulu University', Date.UTC(2024, 2, 1, 10))!.value).toBe(21.5);
  });

  it('the same file again, under another --site or --format, adds nothing', async () => {
    const first = await bench.imports.importFile(fixture('airqo-hourly-export.csv'));
    const copy = path.join(bench.dir, 'renamed.csv');
    fs.copyFileSync(fixture('airqo-hourly-export.csv'), copy);
    for (const opts of [{ siteName: 'Somewhere else' }, { format: 'generic' as const }, {}]) {
      const again = await bench.imports.importFile(copy, opts);
      expect(again).toMatchObject({ alreadyImported: true, rowsImported: 0, duplicates: 36, id: first.id });
      expect(again.previousImport).toMatchObject({ id: first.id, name: 'airqo-hourly-export.csv' });
    }
    expect(bench.imports.list()).toHaveLength(1);
    expect(bench.imports.sites().map((s) => [s.name, s.count])).toEqual([
      ['Gulu University', 12],
      [NAKIVUBO, 24],
    ]);
  });

  it('naive timestamps are read as UTC unless a zone is given', async () => {
    const utc = await bench.imports.importFile(fixture('airqo-hourly-export.csv'));
    expect(utc.naiveTimestamps).toEqual({ zone: 'UTC', rows: 36, defaulted: true });
    expect(bench.imports.sites().find((s) => s.name === NAKIVUBO)!.firstTime).toBe(Date.UTC(2024, 2, 1, 0));

    const other = makeTempDir();
    const s2 = openStore(path.join(other.dir, 'store.db'), clock);
    try {
      const kla = new ImportsService({ db: () => s2.db, clock, uploadDir: other.dir });
      const r = await kla.importFile(fixture('airqo-hourly-export.csv'), { timeZone: 'Africa/Kampala' });
      expect(r.naiveTimestamps).toEqual({ zone: 'Africa/Kampala', rows: 36, defaulted: false });
      expect(kla.sites().find((s) => s.name === NAKIVUBO)!.firstTime).toBe(Date.UTC(2024, 2, 1, 0) - 3 * 3_600_000);
      expect(kla.list()[0]!.timeZone).toBe('Africa/Kampala');
    } finally {
      s2.close();
      other.cleanup();
    }
    await expect(
      bench.imports.importFile(fixture('airqo-daily-export.csv'), { timeZone: 'Mars/Olympus' }),
    ).rejects.toThrow(AppError);
  });
});

describe('XLSX written by exceljs', () => {
  it('date cells are wall-clock times, read in the chosen zone; numbers and text as written', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('data');
    ws.addRow(['datetime', 'site_name', 'device_name', 'pm2_5_calibrated_value', 'pm2_5_raw_value', 'frequency']);
    for (let h = 0; h < 3; h++) {
      ws.addRow([new Date(Date.UTC(2024, 2, 1, 6 + h)), 'Kireka', 'aq_g5_40', 20 + h, 30 + h, 'hourly']);
    }
    ws.getColumn(1).numFmt = 'yyyy-mm-dd hh:mm:ss';
    wb.addWorksheet('notes').addRow(['exported for the partner meeting']);
    const f = path.join(bench.dir, 'partner.xlsx');
    await wb.xlsx.writeFile(f);
    const r = await bench.imports.importFile(f, { timeZone: 'Africa/Nairobi' });
    expect(r).toMatchObject({ container: 'xlsx', format: 'airqo', rowsRead: 3, rowsImported: 3, errorCount: 0 });
    const pts = bench.imports.series({ site: 'Kireka', pollutant: 'pm25', aggregate: 'raw' }).points;
    expect(pts.map((p) => [p.time, p.value])).toEqual([
      [Date.UTC(2024, 2, 1, 3), 20],
      [Date.UTC(2024, 2, 1, 4), 21],
      [Date.UTC(2024, 2, 1, 5), 22],
    ]);
  });
});
