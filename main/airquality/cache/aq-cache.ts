import type { Clock } from '../../core/clock';
import { isDiskFull } from '../../core/disk-full';
import type { Db } from '../../store/database';

export type CacheKind = 'reading' | 'forecast' | 'sites' | 'history' | 'search';

export interface CacheEntry<T> {
  key: string;
  kind: CacheKind;
  source: string;
  value: T;
  /** When the data was measured/issued (ms), when the source says. */
  observedAt: number | null;
  fetchedAt: number;
  expiresAt: number;
  /** Whether it is still within its TTL. */
  fresh: boolean;
}

interface Row {
  key: string;
  kind: CacheKind;
  source: string;
  payload: string;
  observed_at: number | null;
  fetched_at: number;
  expires_at: number;
}

/**
 * Air-quality answers in SQLite (table `aq_cache`), so they survive restarts: fresh entries answer
 * repeated questions without a network call, and expired ones are kept as the offline fallback.
 */
export class AirQualityCache {
  private readonly getStmt;
  private readonly putStmt;
  private readonly pruneStmt;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    /** How long expired entries are kept as the offline fallback. */
    private readonly keepMs = 30 * 86_400_000,
  ) {
    this.getStmt = db.prepare<[string], Row>('SELECT * FROM aq_cache WHERE key = ?');
    this.putStmt = db.prepare(
      `INSERT INTO aq_cache (key, kind, source, payload, observed_at, fetched_at, expires_at)
       VALUES (@key, @kind, @source, @payload, @observedAt, @fetchedAt, @expiresAt)
       ON CONFLICT(key) DO UPDATE SET kind = excluded.kind, source = excluded.source, payload = excluded.payload,
         observed_at = excluded.observed_at, fetched_at = excluded.fetched_at, expires_at = excluded.expires_at`,
    );
    this.pruneStmt = db.prepare('DELETE FROM aq_cache WHERE fetched_at < ?');
  }

  private toEntry<T>(row: Row | undefined): CacheEntry<T> | null {
    if (!row) return null;
    let value: T;
    try {
      value = JSON.parse(row.payload) as T;
    } catch {
      return null; // a damaged row is as good as none
    }
    return {
      key: row.key,
      kind: row.kind,
      source: row.source,
      value,
      observedAt: row.observed_at,
      fetchedAt: row.fetched_at,
      expiresAt: row.expires_at,
      fresh: row.expires_at > this.clock.now(),
    };
  }

  /** A fresh entry, or null. */
  getFresh<T>(key: string): CacheEntry<T> | null {
    const e = this.toEntry<T>(this.getStmt.get(key));
    return e?.fresh ? e : null;
  }

  /** Whatever is stored, however old: the offline fallback. */
  getAny<T>(key: string): CacheEntry<T> | null {
    return this.toEntry<T>(this.getStmt.get(key));
  }

  put<T>(
    key: string,
    kind: CacheKind,
    source: string,
    value: T,
    ttlMs: number,
    observedAt: number | null = null,
  ): boolean {
    const now = this.clock.now();
    try {
      this.putStmt.run({
        key,
        kind,
        source,
        payload: JSON.stringify(value),
        observedAt,
        fetchedAt: now,
        expiresAt: now + ttlMs,
      });
      return true;
    } catch (err) {
      // A fresh answer that cannot be cached (a full disk) is still the answer: the caller uses it anyway.
      if (isDiskFull(err)) return false;
      throw err;
    }
  }

  /** Drops entries older than the keep period; returns how many. */
  prune(): number {
    return this.pruneStmt.run(this.clock.now() - this.keepMs).changes;
  }
}
