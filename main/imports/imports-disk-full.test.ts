import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { HTTP_STATUS } from '../core/errors';
import { ManualClock } from '../../test/doubles/manual-clock';
import { importsInTempDir } from '../../test/helpers/imports-in-temp-dir';

describe('a sensor import on a full disk', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
  const bench = importsInTempDir(clock);

  it('fails with disk_full (507, in words), leaves the store sound, and imports once there is room', async () => {
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `${new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()},Site ${i % 7},0.3,32.5,${i % 90},${i % 120}`,
    );
    const file = path.join(bench.dir, 'sensor.csv');
    fs.writeFileSync(file, ['timestamp,site,latitude,longitude,pm2_5,pm10', ...rows].join('\n'));
    // SQLite's page cap fails the writes with the SQLITE_FULL a full disk gives.
    bench.store.db.pragma(`max_page_count = ${bench.store.db.pragma('page_count', { simple: true }) as number}`);
    const err = await bench.imports.importFile(file).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/^The disk is full/) });
    expect(HTTP_STATUS.disk_full).toBe(507);
    expect(bench.store.db.pragma('integrity_check', { simple: true })).toBe('ok');

    bench.store.db.pragma('max_page_count = 1073741823');
    const report = await bench.imports.importFile(file);
    expect(report.rowsImported).toBe(3000);
  });
});
