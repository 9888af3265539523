import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import { readCsv, splitQuoted } from './csv-reader';
import { detectFormat, normalizeHeader } from './formats';
import type { ImportProgress } from './imports-service';
import { channelsAgree, epaCorrection } from './purpleair';
import { parseTimestamp } from './values';
import { ManualClock } from '../../test/doubles/manual-clock';
import { importsInTempDir } from '../../test/helpers/imports-in-temp-dir';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);

async function readAll(file: string, chunkBytes?: number) {
  const records: Array<{ line: number; fields: string[] }> = [];
  const bad: Array<{ line: number; reason: string; text?: object }> = [];
  for await (const b of readCsv(file, chunkBytes ? { chunkBytes } : {})) {
    records.push(...b.records);
    bad.push(...b.bad);
  }
  return { records, bad };
}

const clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
const bench = importsInTempDir(clock);
const write = (name: string, text: string) => {
  const f = path.join(bench.dir, name);
  fs.writeFileSync(f, text);
  return f;
};

describe('CSV reader (RFC 4180, streamed)', () => {
  it('splits quoted fields with commas, escaped quotes and empty cells', () => {
    expect(splitQuoted('a,"b, c","say ""hi""",,"",x')).toEqual(['a', 'b, c', 'say "hi"', '', '', 'x']);
    expect(splitQuoted('"a"b,c')).toMatch(/after a closing quote/);
    expect(splitQuoted('a,b"c,d')).toMatch(/stray quote/);
    expect(splitQuoted('"open')).toBe('unterminated quoted field');
  });

  it('keeps a quoted field across lines, with the record on its first line; CRLF and BOM handled', async () => {
    const f = write('q.csv', '\uFEFFsite,note\r\nA,"two\r\nlines"\r\n\r\nB,plain\r\n');
    const { records, bad } = await readAll(f);
    expect(bad).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['site', 'note'] },
      { line: 2, fields: ['A', 'two\nlines'] },
      { line: 5, fields: ['B', 'plain'] },
    ]);
  });

  it('an unterminated quote costs one line, not the rest of the file', async () => {
    const rows = ['h1,h2', 'x,"broken', ...Array.from({ length: 60 }, (_, i) => `r${i},${i}`)];
    const { records, bad } = await readAll(write('u.csv', rows.join('\n')));
    expect(bad).toEqual([
      { line: 2, reason: 'unterminated quoted field', text: { id: 'importRow.unterminatedQuote', params: {} } },
    ]);
    expect(records).toHaveLength(61);
    expect(records.at(-1)).toEqual({ line: 62, fields: ['r59', '59'] });
  });

  it('gives the same records whatever the chunk size (lines and UTF-8 split across reads)', async () => {
    const text = 'site,v\nKampala — centre,1\n"Nakawa, ""east""",2\nJinja ✓,3\n';
    const f = write('c.csv', text);
    const whole = await readAll(f);
    for (const size of [1, 2, 3, 7, 16]) expect(await readAll(f, size)).toEqual(whole);
    expect(whole.records[2]!.fields[0]).toBe('Nakawa, "east"');
  });
});

describe('cell parsing', () => {
  it('reads ISO, PurpleAir and plain timestamps as UTC unless an offset is given', () => {
    const t = Date.UTC(2024, 2, 1, 6, 0, 2);
    expect(parseTimestamp('2024/03/01T06:00:02z')).toBe(t);
    expect(parseTimestamp('2024-03-01T06:00:02Z')).toBe(t);
    expect(parseTimestamp('2024-03-01T06:00:02.000Z')).toBe(t);
    expect(parseTimestamp('2024-03-01 06:00:02')).toBe(t);
    expect(parseTimestamp('2024-03-01T09:00:02+03:00')).toBe(t);
    expect(parseTimestamp('2024-03-01T09:00:02+0300')).toBe(t);
    expect(parseTimestamp(String(t / 1000))).toBe(t);
    expect(parseTimestamp('2024-03-01')).toBe(Date.UTC(2024, 2, 1));
    expect(() => parseTimestamp('03/01/2024 10:00')).toThrow(/unreadable/);
    expect(() => parseTimestamp('2023-02-29T00:00:00Z')).toThrow(/impossible/);
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('normalises header names', () => {
    expect(normalizeHeader('PM2.5 (µg/m³)')).toBe('pm2_5');
    expect(normalizeHeader(' Site Name ')).toBe('site_name');
    expect(normalizeHeader('pm2.5_aqi_atm')).toBe('pm2_5_aqi_atm');
  });

  it('detects the three formats from their headers', () => {
    expect(detectFormat(['UTCDateTime', 'mac_address', 'pm2_5_atm', 'pm2_5_atm_b'])).toBe('purpleair');
    expect(detectFormat(['datetime', 'device_name', 'site_name', 'pm2_5_calibrated_value'])).toBe('airqo');
    expect(detectFormat(['timestamp', 'site', 'latitude', 'longitude', 'pm2_5', 'pm10'])).toBe('generic');
    expect(detectFormat(['name', 'value'])).toBeNull();
  });
});

describe('PurpleAir A/B agreement and the US EPA correction', () => {
  it('agreement: |A−B| < 5 µg/m³ or relative difference < 70 %', () => {
    expect(channelsAgree(2, 6.9)).toBe(true); // 4.9 apart
    expect(channelsAgree(1, 6)).toBe(false); // 5 apart, 143 %
    expect(channelsAgree(100, 120)).toBe(true); // 20 apart but 18 %
    expect(channelsAgree(10, 40)).toBe(false); // 30 apart, 120 %
    expect(channelsAgree(20, 41)).toBe(true); // 21 apart, 21/30.5 = 68.9 %
    expect(channelsAgree(20, 45)).toBe(false); // 25 apart, 25/32.5 = 76.9 %
  });

  it('Barkjohn 2021 below 30 µg/m³: 0.524·cf1 − 0.0862·RH + 5.75', () => {
    expect(epaCorrection(21, 50, 19.3)).toBeCloseTo(12.444, 6);
    expect(epaCorrection(10, 40)).toBeCloseTo(0.524 * 10 - 0.0862 * 40 + 5.75, 9);
    expect(epaCorrection(0, 90)).toBe(0); // negative results are reported as 0
  });

  it('2022 smoke extension: blends 30–50 and 210–260, quadratic from 260', () => {
    // 30–50: at x = 40 the slope is halfway between 0.524 and 0.786.
    expect(epaCorrection(40, 50)).toBeCloseTo(0.655 * 40 - 4.31 + 5.75, 9);
    expect(epaCorrection(100, 50)).toBeCloseTo(0.786 * 100 - 4.31 + 5.75, 9);
    const x = 235; // halfway through 210–260
    const w = 0.5;
    expect(epaCorrection(x, 50)).toBeCloseTo(
      (0.69 * w + 0.786 * (1 - w)) * x - 0.0862 * 50 * (1 - w) + 2.966 * w + 5.75 * (1 - w) + 8.84e-4 * x * x * w,
      9,
    );
    expect(epaCorrection(300, 50)).toBeCloseTo(2.966 + 0.69 * 300 + 8.84e-4 * 300 * 300, 9);
    // Continuous at every segment edge.
    for (const edge of [30, 50, 210, 260]) {
      expect(epaCorrection(edge - 1e-9, 45)).toBeCloseTo(epaCorrection(edge, 45), 5);
    }
  });
});

describe('importing the fixtures', () => {
  it('PurpleAir SD card: A/B check, EPA correction kept apart, repeated header, bad lines by number', async () => {
    const r = await bench.imports.importFile(fixture('purpleair-sd.csv'));
    expect(r).toMatchObject({
      file: 'purpleair-sd.csv',
      format: 'purpleair',
      rowsRead: 13,
      rowsImported: 10,
      duplicates: 0,
      flagged: 1,
      epaCorrected: 8,
      errorCount: 3,
      sites: [{ name: 'PurpleAir 84:f3:eb:7b:c8:ee', latitude: null, longitude: null, rows: 10 }],
    });
    expect(r.epaCorrectionLabel).toMatch(/US-derived/);
    expect(r.errors).toEqual([
      // Each with its message id, so the Data page words it in the UI's language (issue 15).
      {
        line: 8,
        reason: 'impossible date or time "2024/03/01T25:00:00z"',
        text: { id: 'importRow.impossibleDate', params: { value: '2024/03/01T25:00:00z' } },
      },
      {
        line: 9,
        reason: 'pm2_5_atm is not a number ("ERR")',
        text: { id: 'importRow.notANumber', params: { column: 'pm2_5_atm', value: 'ERR' } },
      },
      {
        line: 15,
        reason: '4 fields where the header has 41',
        text: { id: 'importRow.shortRow', params: { fields: 4, expected: 41 } },
      },
    ]);
    const site = 'PurpleAir 84:f3:eb:7b:c8:ee';
    const raw = bench.imports.series({ site, pollutant: 'pm25', aggregate: 'raw' });
    expect(raw.points[0]).toEqual({ time: Date.UTC(2024, 2, 1, 6, 0, 2), value: 19.3, n: 1 }); // atm A/B mean
    expect(raw.points.filter((p) => p.flag === 'ab_disagree')).toHaveLength(1);
    const epa = bench.imports.series({ site, pollutant: 'pm25_epa', aggregate: 'raw' });
    expect(epa.points[0]!.value).toBe(12.44); // 0.524·21 − 0.0862·50 + 5.75
    expect(epa.points.map((p) => p.value)).toContain(87.9); // cf1 110, atm 75: 0.786·110 − 4.31 + 5.75
    expect(epa.label).toMatch(/US-derived/);
    const hourly = bench.imports.series({ site, pollutant: 'pm25', aggregate: 'hourly' });
    expect(hourly.flaggedExcluded).toBe(1);
    expect(hourly.points).toHaveLength(1);
    expect(hourly.points[0]!.n).toBe(9);
  });

  it('AirQo export: aliased columns, calibrated value first, quoted site name, CRLF, s1/s2 check', async () => {
    const r = await bench.imports.importFile(fixture('airqo-export.csv'));
    // Line 7's latitude 123.4 is refused, its reading kept: coordinates never cost a measurement.
    expect(r).toMatchObject({
      format: 'airqo',
      rowsRead: 9,
      rowsImported: 7,
      flagged: 1,
      errorCount: 2,
      coordinatesRejected: 1,
    });
    expect(r.errors).toEqual([
      { line: 8, reason: 'no PM2.5 or PM10 value', text: { id: 'importRow.noPm', params: {} } },
      { line: 9, reason: 'unterminated quoted field', text: { id: 'importRow.unterminatedQuote', params: {} } },
    ]);
    expect(r.sites.map((s) => s.name)).toEqual(['Makerere University', 'Nakawa, Kampala']);
    const mak = bench.imports.series({ site: 'Makerere University', pollutant: 'pm25', aggregate: 'raw' });
    expect(mak.points.map((p) => p.value)).toEqual([34.56, 47.9, 30.02]); // hour 1 has no calibrated value
    const sites = bench.imports.sites();
    expect(sites.find((s) => s.name === 'Nakawa, Kampala')).toMatchObject({
      latitude: 0.3304,
      longitude: 32.6149,
      count: 4,
      devices: ['aq_g5_12'],
      periods: ['hourly'],
    });
  });

  it('generic CSV: daily means of hourly means against the WHO 2021 24-hour guideline', async () => {
    const r = await bench.imports.importFile(fixture('generic.csv'));
    expect(r).toMatchObject({ format: 'generic', rowsRead: 57, rowsImported: 54, errorCount: 3 });
    expect(r.errors.map((e) => e.line)).toEqual([12, 33, 59]);
    expect(r.errors[1]!.reason).toMatch(/unreadable timestamp/);
    const pm25 = bench.imports.dailyMeans({ site: 'Kampala Central', pollutant: 'pm25' });
    expect(pm25.guideline.value).toBe(15);
    expect(pm25.days.map((d) => [d.day, d.mean, d.hours, d.exceeds, d.complete])).toEqual([
      ['2024-03-01', 30, 24, true, true],
      ['2024-03-02', 10, 24, false, true],
    ]);
    expect(pm25).toMatchObject({ exceedances: 1, completeDays: 2, completeExceedances: 1 });
    const pm10 = bench.imports.dailyMeans({ site: 'Kampala Central', pollutant: 'pm10' });
    expect(pm10.guideline.value).toBe(45);
    expect(pm10.days.map((d) => d.mean)).toEqual([60, 40]);
    expect(pm10.exceedances).toBe(1);
    const jinja = bench.imports.dailyMeans({ site: 'Jinja "Main" Road', pollutant: 'pm25' });
    expect(jinja.days).toEqual([expect.objectContaining({ mean: 20, hours: 6, complete: false, exceeds: true })]);
    // In UTC+3 the first six hours of 1 March fall on the local 1 March too, the last three on 2 March.
    const local = bench.imports.dailyMeans({ site: 'Kampala Central', pollutant: 'pm25', utcOffsetMinutes: 180 });
    expect(local.days.map((d) => d.day)).toEqual(['2024-03-01', '2024-03-02', '2024-03-03']);
    expect(local.days.map((d) => d.hours)).toEqual([21, 24, 3]);
  });

  it('re-importing the same file or an overlapping one adds nothing twice', async () => {
    const first = await bench.imports.importFile(fixture('generic.csv'));
    expect(first.previousImport).toBeNull();
    // The same bytes are recognised before anything is read: no second import is recorded.
    const again = await bench.imports.importFile(fixture('generic.csv'));
    expect(again).toMatchObject({ rowsImported: 0, rowsRead: 0, duplicates: 54, alreadyImported: true, id: first.id });
    expect(again.previousImport).toMatchObject({ id: first.id, name: 'generic.csv' });
    // An overlapping export: two rows already stored, one new.
    const lines = fs.readFileSync(fixture('generic.csv'), 'utf8').split('\n');
    const overlap = write(
      'overlap.csv',
      [lines[0], lines[1], lines[2], '2024-03-03T00:00:00Z,Kampala Central,0.3136,32.5811,12,30', ''].join('\n'),
    );
    const o = await bench.imports.importFile(overlap);
    expect(o).toMatchObject({ rowsRead: 3, rowsImported: 1, duplicates: 2, previousImport: null });
    expect(bench.imports.sites().find((s) => s.name === 'Kampala Central')!.count).toBe(49);
    expect(bench.imports.list().map((f) => [f.name, f.rowsImported, f.status])).toEqual([
      ['overlap.csv', 1, 'done'],
      ['generic.csv', 54, 'done'],
    ]);
  });

  it('reports progress in bytes up to the file size', async () => {
    const rows = ['timestamp,site,pm2_5'];
    for (let i = 0; i < 20_000; i++)
      rows.push(`${new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString()},S,${i % 50}`);
    const f = write('big.csv', rows.join('\n') + '\n');
    const seen: ImportProgress[] = [];
    const r = await bench.imports.importFile(f, { onProgress: (p) => seen.push(p), importId: 'my-import' });
    expect(r.rowsImported).toBe(20_000);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ importId: 'my-import', done: true, bytesRead: fs.statSync(f).size, rowsRead: 20_000 });
    expect(last.totalBytes).toBe(fs.statSync(f).size);
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytesRead).toBeGreaterThanOrEqual(seen[i - 1]!.bytesRead);
  });

  it('an unrecognised file, or one that lacks a column the chosen format needs, is refused as a whole', async () => {
    await expect(bench.imports.importFile(write('x.csv', 'name,value\na,1\n'))).rejects.toThrow(
      /not a PurpleAir, AirQo or generic/,
    );
    await expect(bench.imports.importFile(fixture('generic.csv'), { format: 'purpleair' })).rejects.toThrow(
      /PurpleAir file needs pm2_5_atm or pm2_5_cf_1 columns/,
    );
    await expect(bench.imports.importFile(path.join(bench.dir, 'missing.csv'))).rejects.toBeInstanceOf(AppError);
    await expect(bench.imports.importFile(write('empty.csv', ''))).rejects.toThrow(/empty/);
  });

  it('--site names a PurpleAir unit; deleting an import removes its readings and empty sites', async () => {
    const r = await bench.imports.importFile(fixture('purpleair-sd.csv'), { siteName: 'School yard' });
    expect(r.sites[0]!.name).toBe('School yard');
    await bench.imports.importFile(fixture('airqo-export.csv'));
    expect(bench.imports.delete(r.id)).toEqual({ deleted: true, readingsRemoved: 10 });
    expect(bench.imports.sites().map((s) => s.name)).toEqual(['Makerere University', 'Nakawa, Kampala']);
    expect(() => bench.imports.series({ site: 'School yard', pollutant: 'pm25', aggregate: 'raw' })).toThrow(
      /No imported site/,
    );
  });
});

describe('CSV reader bounds', () => {
  it('refuses a record past the cap as soon as it is read, without reading the rest', async () => {
    const f = write('long.csv', 'h1,h2\n' + 'x'.repeat(5000) + '\nnext,1\n');
    const seen: number[] = [];
    const run = async () => {
      for await (const b of readCsv(f, { chunkBytes: 1024, maxRecordBytes: 2048 }))
        seen.push(...b.records.map((r) => r.line));
    };
    await expect(run()).rejects.toMatchObject({ code: 'payload_too_large', details: { line: 2 } });
    expect(seen).toEqual([1]);
  });

  it('is linear in line length: a 32 MB line costs about 8× a 4 MB one, not 64×', async () => {
    // This process's CPU time, not the wall clock: other processes on a busy machine do not count in it.
    // The best of three runs each, since a GC pause only ever adds.
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    const time = async (bytes: number) => {
      const f = write(`l${bytes}.csv`, 'a'.repeat(bytes) + '\n');
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const t = cpuMs();
        for await (const b of readCsv(f, { maxRecordBytes: bytes + 1 })) expect(b.bad).toEqual([]);
        best = Math.min(best, cpuMs() - t);
      }
      return best;
    };
    const small = await time(4 << 20);
    const big = await time(32 << 20);
    // The old reader re-scanned the growing line on every chunk: 64× the bytes took ~64× longer per byte.
    expect(big / Math.max(small, 1)).toBeLessThan(30);
  });

  it('a quoted field left open is dropped once its lines pass the byte cap, and the lines after are read', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `r${i},${'y'.repeat(100)}`);
    const f = write('q.csv', ['h1,h2', 'a,"open', ...rows].join('\n') + '\n');
    const out: Array<{ line: number; fields: string[] }> = [];
    const bad: Array<{ line: number; reason: string; text?: object }> = [];
    for await (const b of readCsv(f, { maxRecordBytes: 2048 })) {
      out.push(...b.records);
      bad.push(...b.bad);
    }
    expect(bad).toEqual([
      { line: 2, reason: 'unterminated quoted field', text: { id: 'importRow.unterminatedQuote', params: {} } },
    ]);
    expect(out.map((r) => r.line)).toEqual([1, ...rows.map((_, i) => i + 3)]);
  });
});
