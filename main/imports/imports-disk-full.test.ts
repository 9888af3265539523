import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { HTTP_STATUS } from '../core/errors';
import { openStore, type Store } from '../store/store';
import { ImportsService } from './imports-service';
import { ManualClock } from '../../test/doubles/manual-clock';

describe('a sensor import on a full disk', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let imports: ImportsService;
  const clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
  beforeEach(() => {
    tmp = makeTempDir();
    store = openStore(path.join(tmp.dir, 'aeris.db'), clock);
    imports = new ImportsService({ db: () => store.db, clock, uploadDir: path.join(tmp.dir, 'up') });
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('fails with disk_full (507, in words), leaves the store sound, and imports once there is room', async () => {
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `${new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString()},Site ${i % 7},0.3,32.5,${i % 90},${i % 120}`,
    );
    const file = path.join(tmp.dir, 'sensor.csv');
    fs.writeFileSync(file, ['timestamp,site,latitude,longitude,pm2_5,pm10', ...rows].join('\n'));
    // SQLite's page cap fails the writes with the SQLITE_FULL a full disk gives.
    store.db.pragma(`max_page_count = ${store.db.pragma('page_count', { simple: true }) as number}`);
    const err = await imports.importFile(file).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'disk_full', message: expect.stringMatching(/^The disk is full/) });
    expect(HTTP_STATUS.disk_full).toBe(507);
    expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');

    store.db.pragma('max_page_count = 1073741823');
    const report = await imports.importFile(file);
    expect(report.rowsImported).toBe(3000);
  });
});
