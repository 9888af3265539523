import type Database from 'better-sqlite3';
import type { Db } from '../store/database';
import type { ImportFormat, Reading } from './formats';

export const SERIES_POLLUTANTS = ['pm25', 'pm10', 'pm25_epa'] as const;
export type SeriesPollutant = (typeof SERIES_POLLUTANTS)[number];
export const AGGREGATES = ['raw', 'hourly', 'daily'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

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
  errorCount: number;
  flagged: number;
  status: 'running' | 'done' | 'failed';
  importedAt: number;
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
  /** Mean of the day's hourly means (uneven logging intervals do not weigh hours differently). */
  mean: number;
  /** Hours with data. */
  hours: number;
}

interface FileCounts {
  rowsRead: number;
  rowsImported: number;
  duplicates: number;
  errorCount: number;
  flagged: number;
}

interface Statements {
  insert: Database.Statement;
  site: Database.Statement;
  siteCoords: Database.Statement;
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
          insert: db.prepare(
            `INSERT OR IGNORE INTO import_readings
             (site_id, time, source, file_id, pm25, pm10, pm25_a, pm25_b, flag, pm25_epa, humidity, temperature)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ),
          site: db.prepare(
            `INSERT INTO import_sites (name, latitude, longitude) VALUES (?, ?, ?)
             ON CONFLICT(name) DO UPDATE SET latitude = coalesce(import_sites.latitude, excluded.latitude),
                                             longitude = coalesce(import_sites.longitude, excluded.longitude)
             RETURNING id`,
          ),
          siteCoords: db.prepare(
            `UPDATE import_sites SET latitude = ?, longitude = ? WHERE id = ? AND latitude IS NULL`,
          ),
        },
      };
    }
    return this.cached.s;
  }

  beginFile(f: { name: string; format: ImportFormat; sizeBytes: number; importedAt: number }): number {
    const r = this.db()
      .prepare(`INSERT INTO import_files (name, sha256, format, size_bytes, imported_at) VALUES (?, '', ?, ?, ?)`)
      .run(f.name, f.format, f.sizeBytes, f.importedAt);
    return Number(r.lastInsertRowid);
  }

  finishFile(id: number, sha256: string, counts: FileCounts, status: 'done' | 'failed'): void {
    this.db()
      .prepare(
        `UPDATE import_files SET sha256 = ?, rows_read = ?, rows_imported = ?, duplicates = ?, error_count = ?,
           flagged = ?, status = ? WHERE id = ?`,
      )
      .run(
        sha256,
        counts.rowsRead,
        counts.rowsImported,
        counts.duplicates,
        counts.errorCount,
        counts.flagged,
        status,
        id,
      );
  }

  /** An earlier finished import of the same bytes, if any. */
  previousImport(sha256: string, exceptId: number): { id: number; name: string; importedAt: number } | null {
    const r = this.db()
      .prepare(
        `SELECT id, name, imported_at AS importedAt FROM import_files
         WHERE sha256 = ? AND id <> ? AND status = 'done' ORDER BY id LIMIT 1`,
      )
      .get(sha256, exceptId) as { id: number; name: string; importedAt: number } | undefined;
    return r ?? null;
  }

  /**
   * Inserts one batch in one transaction; returns how many rows were new. `siteIds` caches name → id
   * across the batches of one import.
   */
  insertBatch(
    fileId: number,
    source: ImportFormat,
    readings: Reading[],
    siteIds: Map<string, { id: number; located: boolean }>,
  ): number {
    const s = this.stmts();
    let inserted = 0;
    this.db().transaction(() => {
      for (const r of readings) {
        let site = siteIds.get(r.site);
        if (!site) {
          const row = s.site.get(r.site, r.latitude, r.longitude) as { id: number };
          site = { id: row.id, located: r.latitude !== null };
          siteIds.set(r.site, site);
        } else if (!site.located && r.latitude !== null && r.longitude !== null) {
          s.siteCoords.run(r.latitude, r.longitude, site.id);
          site.located = true;
        }
        inserted += s.insert.run(
          site.id,
          r.time,
          source,
          fileId,
          r.pm25,
          r.pm10,
          r.pm25A,
          r.pm25B,
          r.flag,
          r.pm25Epa,
          r.humidity,
          r.temperature,
        ).changes;
      }
    })();
    return inserted;
  }

  files(): ImportFileRow[] {
    return this.db()
      .prepare(
        `SELECT id, name, sha256, format, size_bytes AS sizeBytes, rows_read AS rowsRead, rows_imported AS rowsImported,
           duplicates, error_count AS errorCount, flagged, status, imported_at AS importedAt
         FROM import_files ORDER BY id DESC`,
      )
      .all() as ImportFileRow[];
  }

  sites(): ImportedSite[] {
    const rows = this.db()
      .prepare(
        `SELECT s.id, s.name, s.latitude, s.longitude, count(*) AS count, min(r.time) AS firstTime,
           max(r.time) AS lastTime, group_concat(DISTINCT r.source) AS sources
         FROM import_sites s JOIN import_readings r ON r.site_id = s.id
         GROUP BY s.id ORDER BY s.name COLLATE NOCASE`,
      )
      .all() as Array<Omit<ImportedSite, 'sources' | 'files'> & { sources: string }>;
    const files = this.db().prepare(
      `SELECT name FROM import_files WHERE id IN (SELECT DISTINCT file_id FROM import_readings WHERE site_id = ?) ORDER BY id`,
    );
    return rows.map((r) => ({
      ...r,
      sources: r.sources.split(','),
      files: (files.all(r.id) as { name: string }[]).map((f) => f.name),
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
           GROUP BY time / ${HOUR} ORDER BY 1 LIMIT ?`,
        )
        .all(siteId, start, end, limit + 1) as SeriesPoint[];
    } else {
      points = this.daily(siteId, pollutant, range)
        .slice(0, limit + 1)
        .map((d) => ({ time: d.dayStart, value: d.mean, n: d.hours }));
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

  /** Daily means (of hourly means) in the calendar of `utcOffsetMinutes` (default UTC). */
  daily(
    siteId: number,
    pollutant: SeriesPollutant,
    range: { start?: number; end?: number; utcOffsetMinutes?: number },
  ): DailyRow[] {
    const col = COLUMN[pollutant];
    const off = Math.round((range.utcOffsetMinutes ?? 0) * 60_000);
    const rows = this.db()
      .prepare(
        `SELECT d, avg(hv) AS mean, count(*) AS hours FROM (
           SELECT (time + CAST(? AS INTEGER)) / ${HOUR} AS h, (time + CAST(? AS INTEGER)) / ${DAY} AS d,
             avg(${col}) AS hv FROM import_readings
           WHERE site_id = ? AND time >= ? AND time < ? AND ${col} IS NOT NULL AND flag IS NULL
           GROUP BY h
         ) GROUP BY d ORDER BY d`,
      )
      .all(off, off, siteId, range.start ?? Number.MIN_SAFE_INTEGER, range.end ?? Number.MAX_SAFE_INTEGER) as Array<{
      d: number;
      mean: number;
      hours: number;
    }>;
    return rows.map((r) => ({ dayStart: r.d * DAY - off, mean: r.mean, hours: r.hours }));
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
