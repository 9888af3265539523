import type { Db } from '../../store/database';
import { emptyPoint, mergeInto, type SeriesPoint } from './histogram';

/** What a series measures; `label` narrows it (request source, tool name, model). */
export type SeriesName = 'request' | 'tool' | 'reply' | 'session';

export interface StoredPoint {
  /** Epoch ms of the start of the hour (UTC hours: every time zone's hours start on them but a few). */
  hour: number;
  series: SeriesName;
  label: string;
  point: SeriesPoint;
}

interface Row {
  hour_start: number;
  series: SeriesName;
  label: string;
  count: number;
  errors: number;
  sum_ms: number;
  extra: number;
  min_ms: number | null;
  max_ms: number;
  hist: string;
}

/* The table `metrics_hourly` is created by its migration in main/store/migrations.ts. */

const toPoint = (r: Row): SeriesPoint => ({
  count: r.count,
  errors: r.errors,
  sumMs: r.sum_ms,
  extra: r.extra,
  minMs: r.min_ms ?? Infinity,
  maxMs: r.max_ms,
  hist: JSON.parse(r.hist) as Record<number, number>,
});

/**
 * Hourly buckets in SQLite. `db` is read on every call (not kept) because a restore swaps the store
 * under the running engine.
 */
export class MetricsStore {
  constructor(private readonly db: () => Db) {}

  /** Adds each point to what is stored for its hour, in one transaction. */
  add(points: StoredPoint[]): void {
    if (points.length === 0) return;
    const db = this.db();
    const get = db.prepare('SELECT * FROM metrics_hourly WHERE hour_start = ? AND series = ? AND label = ?');
    const put = db.prepare(
      `INSERT OR REPLACE INTO metrics_hourly (hour_start, series, label, count, errors, sum_ms, extra, min_ms, max_ms, hist)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (const p of points) {
        const row = get.get(p.hour, p.series, p.label) as Row | undefined;
        const merged = mergeInto(row ? toPoint(row) : emptyPoint(), p.point);
        put.run(
          p.hour,
          p.series,
          p.label,
          merged.count,
          merged.errors,
          merged.sumMs,
          merged.extra,
          Number.isFinite(merged.minMs) ? merged.minMs : null,
          merged.maxMs,
          JSON.stringify(merged.hist),
        );
      }
    })();
  }

  /** Points with `hour` in [from, to). */
  range(from: number, to: number): StoredPoint[] {
    const rows = this.db()
      .prepare('SELECT * FROM metrics_hourly WHERE hour_start >= ? AND hour_start < ? ORDER BY hour_start')
      .all(from, to) as Row[];
    return rows.map((r) => ({ hour: r.hour_start, series: r.series, label: r.label, point: toPoint(r) }));
  }

  /** Drops hours before `cutoff`; returns how many rows went. */
  prune(cutoff: number): number {
    return this.db().prepare('DELETE FROM metrics_hourly WHERE hour_start < ?').run(cutoff).changes;
  }
}
