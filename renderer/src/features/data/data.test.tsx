import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type {
  DailyMeansDto,
  ImportedSiteDto,
  ImportFileDto,
  ImportReportDto,
  ImportSeriesDto,
} from '../../../../preload/contract';
import { engineAnswers } from '../../test-support/engine-fixtures';
import { deferred } from '../../test-support/fake-bridge';
import { choose, pickFiles, useFakeBridge } from '../../test-support/render-with-bridge';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

const SITE: ImportedSiteDto = {
  id: 1,
  name: 'Makerere',
  latitude: 0.3336,
  longitude: 32.5686,
  count: 1440,
  firstTime: T0,
  lastTime: T0 + 2 * DAY,
  sources: ['purpleair'],
  files: ['makerere.csv'],
  devices: ['PA-II 1234'],
  periods: ['raw', 'hourly'],
};

const FILE: ImportFileDto = {
  id: 7,
  name: 'makerere.csv',
  sha256: 'a'.repeat(64),
  format: 'purpleair',
  sizeBytes: 90_000,
  rowsRead: 1442,
  rowsImported: 1440,
  duplicates: 0,
  replaced: 0,
  errorCount: 2,
  flagged: 3,
  status: 'done',
  importedAt: Date.now() - 60_000,
  timeZone: null,
};

const series = (pollutant: ImportSeriesDto['pollutant'], aggregate: ImportSeriesDto['aggregate']): ImportSeriesDto => ({
  site: 'Makerere',
  pollutant,
  aggregate,
  unit: 'µg/m³',
  label: pollutant === 'pm10' ? 'PM10' : 'PM2.5',
  points: [0, 1, 2].map((i) => ({ time: T0 + i * 3_600_000, value: 20 + i * 15.5, n: 30 })),
  flaggedExcluded: 3,
  truncated: false,
});

const DAILY: DailyMeansDto = {
  site: 'Makerere',
  pollutant: 'pm25',
  unit: 'µg/m³',
  label: 'PM2.5, 24-hour mean',
  guideline: { value: 15, label: 'WHO 2021 24-hour guideline (15 µg/m³)' },
  utcOffsetMinutes: 0,
  days: [
    { day: '2026-01-01', dayStart: T0, mean: 32.1, hours: 24, basis: 'hours', complete: true, exceeds: true },
    { day: '2026-01-02', dayStart: T0 + DAY, mean: 12, hours: 10, basis: 'hours', complete: false, exceeds: false },
  ],
  daysWithData: 2,
  completeDays: 1,
  exceedances: 1,
  completeExceedances: 1,
};

const REPORT: ImportReportDto = {
  id: 8,
  file: 'kololo.csv',
  sha256: 'b'.repeat(64),
  format: 'generic',
  sizeBytes: 1000,
  rowsRead: 12,
  rowsImported: 10,
  duplicates: 1,
  replaced: 2,
  alreadyImported: false,
  container: 'csv',
  naiveTimestamps: { zone: 'Africa/Kampala', rows: 10, defaulted: false },
  coordinatesRejected: 1,
  flagged: 0,
  epaCorrected: 0,
  epaCorrectionLabel: null,
  errorCount: 1,
  errors: [{ line: 4, reason: 'pm2_5 is not a number' }],
  sites: [
    {
      name: 'Kololo',
      rows: 10,
      periods: ['raw'],
      devices: [],
      latitude: null,
      longitude: null,
      locatedRows: 0,
      outlyingRows: 0,
    },
  ],
  previousImport: null,
  durationMs: 40,
};

async function openData() {
  const { useApp } = await import('../../stores/app-store');
  const { DataPage } = await import('./DataPage');
  await useApp.getState().init();
  render(<DataPage />);
}

describe('imported data page', () => {
  const fake = useFakeBridge(() => ({
    ...engineAnswers(),
    'imports.sites': () => ({ sites: [SITE] }),
    'imports.list': () => ({ imports: [FILE] }),
    'imports.series': ({ pollutant, aggregate }) => series(pollutant, aggregate ?? 'hourly'),
    'imports.dailyMeans': () => DAILY,
    'imports.delete': () => ({ deleted: true, readingsRemoved: 1440 }),
  }));

  it('lists sites and files, and charts the first site against the WHO guideline', async () => {
    await openData();
    const sites = await screen.findByRole('table', { name: 'Imported sites' });
    expect(within(sites).getByRole('button', { name: 'Makerere' })).toBeTruthy();
    expect(sites.textContent).toContain('0.3336, 32.5686');
    expect(sites.textContent).toContain('2026-01-01');
    const view = await screen.findByTestId('site-view');
    expect(view.textContent).toContain('1,440 readings (samples, hourly means) · makerere.csv · PA-II 1234');
    expect((await within(view).findByTestId('who-summary')).textContent).toBe(
      '1 of 2 days above the WHO 2021 24-hour guideline (15 µg/m³) · 1 day with fewer than 18 hours of data',
    );
    expect(within(view).getByTestId('completeness').textContent).toBe(
      'Completeness: 1 of 2 days from hourly data complete (18 or more hours).',
    );
    expect(view.textContent).toContain('3 readings whose two channels disagree are left out of the means.');
    expect(await within(view).findAllByRole('img', { name: /Makerere/ })).toHaveLength(2);
    const files = screen.getByText('makerere.csv', { selector: '.data-file-name' }).parentElement!;
    expect(files.textContent).toContain('1,440 new of 1,442 rows');
    expect(files.textContent).toContain('2 bad lines');
  });

  it('asks for the series, pollutant and aggregate chosen', async () => {
    await openData();
    const view = await screen.findByTestId('site-view');
    await within(view).findByTestId('who-summary');
    const [pollutant, aggregate] = within(view).getAllByRole('combobox');
    choose(pollutant!, 'pm25_epa');
    expect(await within(view).findByText(/US EPA correction for PurpleAir sensors/)).toBeTruthy();
    choose(aggregate!, 'raw');
    await waitFor(() =>
      expect(fake.bridge.calls.filter((c) => c.name === 'imports.series').at(-1)?.input).toEqual({
        site: 'Makerere',
        pollutant: 'pm25_epa',
        aggregate: 'raw',
        limit: 5000,
      }),
    );
  });

  it('removes an imported file after asking', async () => {
    await openData();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Remove makerere.csv?' });
    expect(ask.textContent).toContain('The 1,440 readings this file added are removed.');
    fireEvent.click(within(ask).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.bridge.calls.find((c) => c.name === 'imports.delete')?.input).toEqual({ id: 7 }));
  });

  it('imports a picked file by its path in the desktop app, with progress and the report', async () => {
    const answer = deferred<ImportReportDto>();
    fake.bridge.handle({ 'imports.run': () => answer.promise });
    Object.assign(fake.bridge, { pathForFile: (f: File) => `/home/amina/${f.name}` });
    await openData();
    const zone = await screen.findByRole('combobox', { name: 'Time zone for timestamps without one' });
    fireEvent.input(zone, { target: { value: 'Africa/Kampala' } });
    const file = new File(['timestamp,site,pm2_5\n'], 'kololo.csv', { type: 'text/csv' });
    pickFiles(screen.getByLabelText('Sensor file'), [file]);
    await waitFor(() => expect(fake.bridge.count('imports.run')).toBe(1));
    const input = fake.bridge.calls.find((c) => c.name === 'imports.run')!.input as { importId: string };
    expect(input).toMatchObject({ path: '/home/amina/kololo.csv', timeZone: 'Africa/Kampala' });
    fake.bridge.emit('imports.progress', {
      importId: input.importId,
      file: 'kololo.csv',
      bytesRead: 500,
      totalBytes: 1000,
      rowsRead: 6,
      done: false,
    });
    const bar = await screen.findByRole('progressbar', { name: 'Import progress' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('50'));
    answer.resolve(REPORT);
    const report = await screen.findByTestId('import-report');
    expect(report.textContent).toContain('Kololo: 10 raw rows · no location');
    expect(within(report).getByTestId('import-zone').textContent).toBe(
      '10 timestamps had no time zone and were read as Africa/Kampala.',
    );
    expect(report.textContent).toContain('line 4 pm2_5 is not a number');
    // The page reloads its sites after an import.
    await waitFor(() => expect(fake.bridge.count('imports.sites')).toBe(2));
  });

  it('says a dropped file cannot be read where there is neither a path nor an upload', async () => {
    await openData();
    const file = new File(['x'], 'kololo.csv', { type: 'text/csv' });
    fireEvent.drop(await screen.findByTestId('drop-zone'), { dataTransfer: { files: [file] } });
    expect((await screen.findByRole('alert')).textContent).toBe('This window cannot read dropped files.');
  });
});
