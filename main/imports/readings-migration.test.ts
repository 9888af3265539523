import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { MIGRATIONS, migrate } from '../store/migrations';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir();
});
afterEach(() => tmp.cleanup());

/** The migration that gave readings a period, a device and calibration flags. */
const PERIOD_MIGRATION = MIGRATIONS.findIndex((m) => m.toString().includes('import_readings_new'));

describe('readings migration', () => {
  it('keeps every reading as a sample; where two formats held one site and time, the newest import wins', () => {
    expect(PERIOD_MIGRATION).toBeGreaterThan(0);
    const db = new Database(path.join(tmp.dir, 'old.db'));
    try {
      for (let v = 0; v < PERIOD_MIGRATION; v++) {
        MIGRATIONS[v]!(db);
        db.pragma(`user_version = ${v + 1}`);
      }
      db.exec(`INSERT INTO import_sites (id, name) VALUES (1, 'Gulu University');
        INSERT INTO import_files (id, name, sha256, format, size_bytes, imported_at) VALUES
          (1, 'a.csv', 'x', 'airqo', 1, 1), (2, 'b.csv', 'y', 'generic', 1, 2);
        INSERT INTO import_readings (site_id, time, source, file_id, pm25) VALUES
          (1, 1000, 'airqo', 1, 23.42), (1, 1000, 'generic', 2, 20.82), (1, 2000, 'airqo', 1, 18);`);
      migrate(db);
      const rows = db
        .prepare(
          `SELECT time, period, device, file_id AS fileId, pm25, pm25_calibrated AS cal FROM import_readings ORDER BY time`,
        )
        .all();
      expect(rows).toEqual([
        { time: 1000, period: 'raw', device: '', fileId: 2, pm25: 20.82, cal: 0 },
        { time: 2000, period: 'raw', device: '', fileId: 1, pm25: 18, cal: 0 },
      ]);
      expect(db.prepare(`SELECT replaced, time_zone AS tz FROM import_files WHERE id = 1`).get()).toEqual({
        replaced: 0,
        tz: null,
      });
    } finally {
      db.close();
    }
  });
});
