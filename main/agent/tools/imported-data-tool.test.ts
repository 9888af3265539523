import { beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { importedDataTool } from './imported-data-tool';
import { ToolRegistry } from './tool-registry';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { importsInTempDir } from '../../../test/helpers/imports-in-temp-dir';

const FIXTURES = path.join(import.meta.dirname, '../../imports/fixtures');
const clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
const bench = importsInTempDir(clock);
let tools: ToolRegistry;

beforeEach(() => {
  tools = new ToolRegistry().register(importedDataTool(bench.imports));
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests dig freely into tool JSON
const data = (o: { result: { ok: boolean; data?: unknown } }) => o.result.data as Record<string, any>;

describe('query_imported_data', () => {
  it('says when nothing has been imported yet', async () => {
    const out = await tools.execute('query_imported_data', { pollutant: 'pm25' });
    expect(out.ok).toBe(false);
    expect(out.result).toMatchObject({ error: { code: 'no_data' } });
    expect(JSON.stringify(out.result)).toContain('Data page');
  });

  it('summarises a site with the file as its source, daily means against WHO and exceedance days', async () => {
    await bench.imports.importFile(path.join(FIXTURES, 'generic.csv'));
    const out = await tools.execute('query_imported_data', { site: 'kampala', pollutant: 'PM2.5', aggregate: 'daily' });
    expect(out.ok).toBe(true);
    const [site] = data(out).sites;
    expect(site).toMatchObject({
      source: 'imported file generic.csv',
      station: 'Kampala Central',
      pollutant: 'PM2.5',
      unit: 'µg/m³',
      readings: 48,
      measurement_time: '2024-03-02T23:00:00.000Z',
      latest_value: 10,
      mean: 20,
      who_24h_guideline: 15,
      days_with_data: 2,
      days_above_who_guideline: 1,
    });
    expect(site.points).toEqual([
      { time: '2024-03-01T00:00:00.000Z', value: 30 },
      { time: '2024-03-02T00:00:00.000Z', value: 10 },
    ]);
    expect(out.meta.sources).toEqual(['imported file generic.csv']);
  });

  it('filters by time (a bare end date includes its whole day) and PM10', async () => {
    await bench.imports.importFile(path.join(FIXTURES, 'generic.csv'));
    const out = await tools.execute('query_imported_data', {
      site: 'Kampala Central',
      pollutant: 'pm10',
      start: '2024-03-01',
      end: '2024-03-01',
      aggregate: 'summary',
    });
    const [site] = data(out).sites;
    expect(site).toMatchObject({ readings: 24, mean: 60, who_24h_guideline: 45, days_above_who_guideline: 1 });
    expect(site.points).toBeUndefined();
  });

  it('labels the PurpleAir EPA correction as US-derived; unknown sites and bad arguments come back as data', async () => {
    await bench.imports.importFile(path.join(FIXTURES, 'purpleair-sd.csv'));
    const epa = await tools.execute('query_imported_data', { pollutant: 'pm25_epa', aggregate: 'hourly' });
    expect(data(epa).sites[0].correction).toMatch(/US-derived/);
    const unknown = await tools.execute('query_imported_data', { site: 'Mars' });
    expect(unknown.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
    expect(JSON.stringify(unknown.result)).toContain('PurpleAir 84:f3:eb:7b:c8:ee');
    const bad = await tools.execute('query_imported_data', { pollutant: 'o3' });
    expect(bad.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
    const badDate = await tools.execute('query_imported_data', { start: 'last tuesday' });
    expect(badDate.result).toMatchObject({ ok: false, error: { code: 'invalid_arguments' } });
  });
});
