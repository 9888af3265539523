import type Database from 'better-sqlite3';
import type { Db } from '../store/database';
import type { ImportFormat, Period, Reading } from './formats';
import { mergeOverlap, type OverlapRow } from './overlap';

export const SERIES_POLLUTANTS = ['pm25', 'pm10', 'pm25_epa'] as const;
export type SeriesPollutant = (typeof SERIES_POLLUTANTS)[number];
export type Aggregate = 'raw' | 'hourly' | 'daily';

/** Column per pollutant: a whitelist, since the name goes into SQL text. */
const COLUMN: Record<SeriesPollutant, string> = { pm25: 'pm25', pm10: 'pm10', pm25_epa: 'pm25_epa' };

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface ImportFileRow {
  id: number;
  name: string;
  sha256: string;
  format: ImportFormat;
  sizeBytes: number;
  rowsRead: number;
  rowsImported: number;
  duplicates: number;
  /** Stored values this import replaced (calibrated over raw, or a later value of the same kind). */
  replaced: number;
  errorCount: number;
  flagged: number;
  status: 'running' | 'done' | 'failed';
  importedAt: number;
  /** The zone naive timestamps were read in (null for imports made before it was recorded). */
  timeZone: string | null;
}

export interface ImportedSite {
  id: number;
  name: string;
  latitude: number | null;
  longitude: number | null;
  count: number;
  firstTime: number;
  lastTime: number;
  sources: string[];
  files: string[];
  /** Sensors that reported for the site (AirQo `device_name`), at most 20. */
  devices: string[];
  /** What the site's rows stand for, e.g. ['daily'] for a daily-means export. */
  periods: Period[];
}

export interface SeriesPoint {
  time: number;
  value: number;
  /** Readings behind an hourly/daily value. */
  n: number;
  /** Raw points only: `ab_disagree` when the A/B channels disagree. */
  flag?: string;
}

interface DailyRow {
  /** The day's start (epoch ms, in the requested UTC offset's calendar). */
  dayStart: number;
  /** Mean of the day's hourly means (uneven logging intervals do not weigh hours differently), or the file's daily mean. */
  mean: number;
  /** Hours with data; null for a day whose figure is a daily mean from the file. */
  hours: number | null;
  /** `hours`: computed here from samples or hourly means; `daily`: the file's own daily mean. */
  basis: 'hours' | 'daily';
}

interface BatchCounts {
  inserted: number;
  /** An earlier import's value for the same site, period, time and device was replaced (see overlap.ts). */
  replaced: number;
  unchanged: number;
}

interface FileCounts {
  rowsRead: number;
  rowsImported: number;
  duplicates: number;
  errorCount: number;
  flagged: number;
  replaced: number;
}

interface Statements {
  find: Database.Statement;
  insert: Database.Statement;
  update: Database.Statement;
  site: Database.Statement;
}

interface StoredRow {
  fileId: number;
  source: string;
  pm25: number | null;
  pm25Calibrated: number;
  pm10: number | null;
  pm10Calibrated: number;
  pm25A: number | null;
  pm25B: number | null;
  flag: string | null;
  pm25Epa: number | null;
  humidity: number | null;
  temperature: number | null;
}

/** SQL for imported sensor data. `db` is a getter: a restore swaps the store under a running engine. */
export class ImportsRepository {
  private cached: { db: Db; s: Statements } | null = null;

  constructor(private readonly db: () => Db) {}

  private stmts(): Statements {
    const db = this.db();
    if (this.cached?.db !== db) {
      this.cached = {
        db,
        s: {
          find: db.prepare(
            `SELECT file_id AS fileId, source, pm25, pm25_calibrated AS pm25Calibrated, pm10,
               pm10_calibrated AS pm10Calibrated, pm25_a AS pm25A, pm25_b AS pm25B, flag, pm25_epa AS pm25Epa,
               humidity, temperature
             FROM import_readings WHERE site_id = ? AND period = ? AND time = ? AND device = ?`,
          ),
          insert: db.prepare(
            `INSERT INTO import_readings
             (site_id, period, time, device, source, file_id, pm25, pm25_calibrated, pm10, pm10_calibrated,
              pm25_a, pm25_b, flag, pm25_epa, humidity, temperature)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
          update: db.prepare(
            `UPDATE import_readings SET source = ?, file_id = ?, pm25 = ?, pm25_calibrated = ?, pm10 = ?,
               pm10_calibrated = ?, pm25_a = ?, pm25_b = ?, flag = ?, pm25_epa = ?, humidity = ?, temperature = ?
             WHERE site_id = ? AND period = ? AND time = ? AND device = ?`,
          ),
          // A site is created without a location; setLocation gives it one from the import's good rows.
          site: db.prepare(
            `INSERT INTO import_sites (name) VALUES (?)
             ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id`,
          ),
        },
      };
    }
    return this.cached.s;
  }

  beginFile(f: {
    name: string;
    format: ImportFormat;
    sizeBytes: number;
    importedAt: number;
    timeZone: string;
  }): number {
    const r = this.db()
      .prepare(
        `INSERT INTO import_files (name, sha256, format, size_bytes, imported_at, time_zone) VALUES (?, '', ?, ?, ?, ?)`,
      )
      .run(f.name, f.format, f.sizeBytes, f.importedAt, f.timeZone);
    return Number(r.lastInsertRowid);
  }

  finishFile(id: number, sha256: string, counts: FileCounts, status: 'done' | 'failed'): void {
    this.db()
      .prepare(
        `UPDATE import_files SET sha256 = ?, rows_read = ?, rows_imported = ?, duplicates = ?, error_count = ?,
           flagged = ?, replaced = ?, status = ? WHERE id = ?`,
      )
      .run(
        sha256,
        counts.rowsRead,
        counts.rowsImported,
        counts.duplicates,
        counts.errorCount,
        counts.flagged,
        counts.replaced,
        status,
        id,
      );
  }

  /** An earlier finished import of the same bytes, if any (whatever its options). */
  previousImport(
    sha256: string,
    exceptId = -1,
  ): { id: number; name: string; importedAt: number; validRows: number; format: ImportFormat } | null {
    const r = this.db()
      .prepare(
        `SELECT id, name, imported_at AS importedAt, rows_imported + duplicates + replaced AS validRows, format
         FROM import_files
         WHERE sha256 = ? AND id <> ? AND status = 'done' ORDER BY id LIMIT 1`,
      )
      .get(sha256, exceptId) as
      { id: number; name: string; importedAt: number; validRows: number; format: ImportFormat } | undefined;
    return r ?? null;
  }

  /**
   * Stores one batch in one transaction, applying the overlap rule (overlap.ts) where a reading is already
   * stored. `siteIds` caches name → id across the batches of one import.
   */
  insertBatch(fileId: number, source: ImportFormat, readings: Reading[], siteIds: Map<string, number>): BatchCounts {
    const s = this.stmts();
    const counts: BatchCounts = { inserted: 0, replaced: 0, unchanged: 0 };
    this.db().transaction(() => {
      for (const r of readings) {
        let siteId = siteIds.get(r.site);
        if (siteId === undefined) {
          siteId = (s.site.get(r.site) as { id: number }).id;
          siteIds.set(r.site, siteId);
        }
        const key = [siteId, r.period, r.time, r.device] as const;
        const incoming: OverlapRow = { ...r, fileId, source };
        const found = s.find.get(...key) as StoredRow | undefined;
        if (!found) {
          s.insert.run(
            ...key,
            source,
            fileId,
            r.pm25,
            r.pm25Calibrated ? 1 : 0,
            r.pm10,
            r.pm10Calibrated ? 1 : 0,
            r.pm25A,
            r.pm25B,
            r.flag,
            r.pm25Epa,
            r.humidity,
            r.temperature,
          );
          counts.inserted++;
          continue;
        }
        const stored: OverlapRow = {
          ...found,
          pm25Calibrated: found.pm25Calibrated === 1,
          pm10Calibrated: found.pm10Calibrated === 1,
        };
        const { row, outcome } = mergeOverlap(stored, incoming);
        if (outcome === 'unchanged') {
          counts.unchanged++;
          continue;
        }
        // A value where there was none (OpenAQ's PM10 row after its PM2.5 row) is new, not a replacement.
        const filledOnly =
          (row.pm25 === stored.pm25 || stored.pm25 === null) &&
          (row.pm10 === stored.pm10 || stored.pm10 === null) &&
          (row.pm25 !== stored.pm25 || row.pm10 !== stored.pm10);
        s.update.run(
          row.source,
          row.fileId,
          row.pm25,
          row.pm25Calibrated ? 1 : 0,
          row.pm10,
          row.pm10Calibrated ? 1 : 0,
          row.pm25A,
          row.pm25B,
          row.flag,
          row.pm25Epa,
          row.humidity,
          row.temperature,
          ...key,
        );
        if (filledOnly) counts.inserted++;
        else counts.replaced++;
      }
    })();
    return counts;
  }

  /** Sets a site's location (the robust centre of an import's good coordinates). */
  setLocation(name: string, latitude: number, longitude: number): void {
    this.db()
      .prepare(`UPDATE import_sites SET latitude = ?, longitude = ? WHERE name = ?`)
      .run(latitude, longitude, name);
  }

  /** A site's stored location. */
  locationOf(name: string): { latitude: number | null; longitude: number | null } | null {
    return (
      (this.db().prepare(`SELECT latitude, longitude FROM import_sites WHERE name = ?`).get(name) as
        { latitude: number | null; longitude: number | null } | undefined) ?? null
    );
  }

  files(): ImportFileRow[] {
    return this.db()
      .prepare(
        `SELECT id, name, sha256, format, size_bytes AS sizeBytes, rows_read AS rowsRead, rows_imported AS rowsImported,
           duplicates, replaced, error_count AS errorCount, flagged, status, imported_at AS importedAt,
           time_zone AS timeZone
         FROM import_files ORDER BY id DESC`,
      )
      .all() as ImportFileRow[];
  }

  sites(): ImportedSite[] {
    const rows = this.db()
      .prepare(
        `SELECT s.id, s.name, s.latitude, s.longitude, count(*) AS count, min(r.time) AS firstTime,
           max(r.time) AS lastTime, group_concat(DISTINCT r.source) AS sources,
           group_concat(DISTINCT r.period) AS periods
         FROM import_sites s JOIN import_readings r ON r.site_id = s.id
         GROUP BY s.id ORDER BY s.name COLLATE NOCASE`,
      )
      .all() as Array<
      Omit<ImportedSite, 'sources' | 'files' | 'devices' | 'periods'> & { sources: string; periods: string }
    >;
    const devices = this.db().prepare(
      `SELECT DISTINCT device FROM import_readings WHERE site_id = ? AND device <> '' ORDER BY device LIMIT 20`,
    );
    const files = this.db().prepare(
      `SELECT name FROM import_files WHERE id IN (SELECT DISTINCT file_id FROM import_readings WHERE site_id = ?) ORDER BY id`,
    );
    return rows.map((r) => ({
      ...r,
      sources: r.sources.split(','),
      periods: r.periods.split(',') as Period[],
      files: (files.all(r.id) as { name: string }[]).map((f) => f.name),
      devices: (devices.all(r.id) as { device: string }[]).map((d) => d.device),
    }));
  }

  siteByName(name: string): { id: number; name: string } | null {
    return (
      (this.db().prepare(`SELECT id, name FROM import_sites WHERE name = ?`).get(name) as
        { id: number; name: string } | undefined) ?? null
    );
  }

  /** A time series for one site. Aggregates leave out rows whose A/B channels disagree. */
  series(
    siteId: number,
    pollutant: SeriesPollutant,
    aggregate: Aggregate,
    range: { start?: number; end?: number; utcOffsetMinutes?: number },
    limit: number,
  ): { points: SeriesPoint[]; flaggedExcluded: number; truncated: boolean } {
    const col = COLUMN[pollutant];
    const start = range.start ?? Number.MIN_SAFE_INTEGER;
    const end = range.end ?? Number.MAX_SAFE_INTEGER;
    const db = this.db();
    let points: SeriesPoint[];
    if (aggregate === 'raw') {
      const rows = db
        .prepare(
          `SELECT time, ${col} AS value, flag FROM import_readings
           WHERE site_id = ? AND time >= ? AND time < ? AND ${col} IS NOT NULL ORDER BY time LIMIT ?`,
        )
        .all(siteId, start, end, limit + 1) as Array<{ time: number; value: number; flag: string | null }>;
      points = rows.map((r) => ({ time: r.time, value: r.value, n: 1, ...(r.flag ? { flag: r.flag } : {}) }));
    } else if (aggregate === 'hourly') {
      points = db
        .prepare(
          `SELECT (time / ${HOUR}) * ${HOUR} AS time, avg(${col}) AS value, count(*) AS n FROM import_readings
           WHERE site_id = ? AND time >= ? AND time < ? AND ${col} IS NOT NULL AND flag IS NULL
             AND period <> 'daily'
           GROUP BY time / ${HOUR} ORDER BY 1 LIMIT ?`,
        )
        .all(siteId, start, end, limit + 1) as SeriesPoint[];
    } else {
      points = this.daily(siteId, pollutant, range)
        .slice(0, limit + 1)
        .map((d) => ({ time: d.dayStart, value: d.mean, n: d.hours ?? 1 }));
    }
    const flaggedExcluded =
      aggregate === 'raw'
        ? 0
        : (
            db
              .prepare(
                `SELECT count(*) AS n FROM import_readings
                 WHERE site_id = ? AND time >= ? AND time < ? AND ${col} IS NOT NULL AND flag IS NOT NULL`,
              )
              .get(siteId, start, end) as { n: number }
          ).n;
    const truncated = points.length > limit;
    return { points: truncated ? points.slice(0, limit) : points, flaggedExcluded, truncated };
  }

  /**
   * Daily means in the calendar of `utcOffsetMinutes` (default UTC): the mean of the day's hourly means
   * from samples and hourly rows, or, where the file gave a daily mean for that day, that figure (the
   * provider's own, from data we do not have). A daily row belongs to the day whose midnight is nearest
   * its timestamp, so a day stamped at midnight in one zone stays the same day shown in another.
   */
  daily(
    siteId: number,
    pollutant: SeriesPollutant,
    range: { start?: number; end?: number; utcOffsetMinutes?: number },
  ): DailyRow[] {
    const col = COLUMN[pollutant];
    const off = Math.round((range.utcOffsetMinutes ?? 0) * 60_000);
    const start = range.start ?? Number.MIN_SAFE_INTEGER;
    const end = range.end ?? Number.MAX_SAFE_INTEGER;
    const fromHours = this.db()
      .prepare(
        `SELECT d, avg(hv) AS mean, count(*) AS hours FROM (
           SELECT (time + CAST(? AS INTEGER)) / ${HOUR} AS h, (time + CAST(? AS INTEGER)) / ${DAY} AS d,
             avg(${col}) AS hv FROM import_readings
           WHERE site_id = ? AND time >= ? AND time < ? AND ${col} IS NOT NULL AND flag IS NULL
             AND period <> 'daily'
           GROUP BY h
         ) GROUP BY d ORDER BY d`,
      )
      .all(off, off, siteId, start, end) as Array<{ d: number; mean: number; hours: number }>;
    // Several devices at one site: their daily means are averaged.
    const fromDays = this.db()
      .prepare(
        `SELECT CAST(round((time + CAST(? AS REAL)) / ${DAY}) AS INTEGER) AS d, avg(${col}) AS mean
         FROM import_readings
         WHERE site_id = ? AND time >= ? AND time < ? AND ${col} IS NOT NULL AND flag IS NULL AND period = 'daily'
         GROUP BY d ORDER BY d`,
      )
      .all(off, siteId, start, end) as Array<{ d: number; mean: number }>;
    const days = new Map<number, DailyRow>();
    for (const r of fromHours)
      days.set(r.d, { dayStart: r.d * DAY - off, mean: r.mean, hours: r.hours, basis: 'hours' });
    for (const r of fromDays) days.set(r.d, { dayStart: r.d * DAY - off, mean: r.mean, hours: null, basis: 'daily' });
    return [...days.values()].sort((a, b) => a.dayStart - b.dayStart);
  }

  /** Count, mean, min, max and the latest reading of one site (channel-disagreeing rows left out). */
  stats(
    siteId: number,
    pollutant: SeriesPollutant,
    range: { start?: number; end?: number },
  ): {
    count: number;
    mean: number | null;
    min: number | null;
    max: number | null;
    first: number | null;
    last: number | null;
    latest: number | null;
  } {
    const col = COLUMN[pollutant];
    const db = this.db();
    const args = [siteId, range.start ?? Number.MIN_SAFE_INTEGER, range.end ?? Number.MAX_SAFE_INTEGER] as const;
    const where = `site_id = ? AND time >= ? AND time < ? AND ${col} IS NOT NULL AND flag IS NULL`;
    const s = db
      .prepare(
        `SELECT count(*) AS count, avg(${col}) AS mean, min(${col}) AS min, max(${col}) AS max,
           min(time) AS first, max(time) AS last FROM import_readings WHERE ${where}`,
      )
      .get(...args) as {
      count: number;
      mean: number | null;
      min: number | null;
      max: number | null;
      first: number | null;
      last: number | null;
    };
    const latest = db
      .prepare(`SELECT ${col} AS v FROM import_readings WHERE ${where} ORDER BY time DESC LIMIT 1`)
      .get(...args) as { v: number } | undefined;
    return { ...s, latest: latest?.v ?? null };
  }

  /** Removes an import and the readings it added; sites left without readings go too. */
  deleteFile(id: number): { deleted: boolean; readingsRemoved: number } {
    const db = this.db();
    let removed = 0;
    let deleted = false;
    db.transaction(() => {
      removed = db.prepare(`DELETE FROM import_readings WHERE file_id = ?`).run(id).changes;
      deleted = db.prepare(`DELETE FROM import_files WHERE id = ?`).run(id).changes > 0;
      db.prepare(`DELETE FROM import_sites WHERE id NOT IN (SELECT DISTINCT site_id FROM import_readings)`).run();
    })();
    return { deleted, readingsRemoved: removed };
  }
}
