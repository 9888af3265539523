import { engineMessage } from '../../preload/shared/engine-messages';
import fs from 'node:fs';
import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import type { Store } from '../store/store';
import type { ComponentLogger } from './logger';
import { intervalSchedule, type Schedule } from '../core/ticker';
import { DAY_MS } from './time-stamps';

interface DatabaseSize {
  /** The database file, its WAL and shared-memory files. */
  fileBytes: number;
  walBytes: number;
  totalBytes: number;
  pageSize: number;
  pageCount: number;
  /** Space VACUUM would give back. */
  freeBytes: number;
}

interface MaintenanceDeps {
  store: Store;
  clock: Clock;
  logger?: ComponentLogger;
  /** A reply is being written somewhere (VACUUM waits for no one, so it is refused then). */
  isBusy?: () => boolean;
  /** Sessions with a reply in progress are never cleaned up. */
  isStreaming?: (sessionId: string) => boolean;
  /** Sessions not updated for this many days are deleted by the daily task. 0 turns it off. */
  cleanupDays?: number;
  schedule?: Schedule;
}

/** The seed's SESSION_CLEANUP_DAYS (30), as `AERIS_SESSION_CLEANUP_DAYS` or the seed's own name; 0 = never. */
export function cleanupDaysFromEnv(env: NodeJS.ProcessEnv, fallback = 30): number {
  const raw = env.AERIS_SESSION_CLEANUP_DAYS ?? env.SESSION_CLEANUP_DAYS;
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

/** Database upkeep: old-session cleanup (daily and on demand), VACUUM, integrity check, WAL checkpoint, size. */
export class MaintenanceService {
  readonly cleanupDays: number;
  private stopTimer: (() => void) | null = null;

  constructor(private readonly deps: MaintenanceDeps) {
    this.cleanupDays = deps.cleanupDays ?? 30;
  }

  /** Deletes sessions (and their messages) not updated for `days` days. Returns how many went. */
  cleanupSessions(days = this.cleanupDays): { deleted: number; cutoff: string } {
    if (!(days > 0)) {
      throw new AppError(
        'bad_request',
        'Cleanup needs a number of days greater than 0.',
        {},
        engineMessage('error.cleanupDays', {}),
      );
    }
    const { store, clock, isStreaming, logger } = this.deps;
    const cutoff = clock.now() - days * DAY_MS;
    const ids = store.sessions.idsNotUpdatedSince(cutoff).filter((id) => !isStreaming?.(id));
    let deleted = 0;
    store.db.transaction(() => {
      for (const id of ids) if (store.sessions.delete(id)) deleted++;
    })();
    if (deleted > 0) logger?.info('old sessions deleted', { deleted, days });
    return { deleted, cutoff: new Date(cutoff).toISOString() };
  }

  /** Runs the cleanup now and then every day (when `cleanupDays` > 0). Returns the stop function. */
  startDailyCleanup(): () => void {
    if (this.cleanupDays > 0 && !this.stopTimer) {
      const run = () => {
        try {
          this.cleanupSessions();
        } catch (err) {
          this.deps.logger?.warn('session cleanup failed', { error: String(err) });
        }
      };
      run();
      this.stopTimer = (this.deps.schedule ?? intervalSchedule)(run, DAY_MS);
    }
    return () => this.stop();
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Rebuilds the file to give free pages back to the disk (the seed's monthly `VACUUM`). */
  vacuum(): { beforeBytes: number; afterBytes: number; ms: number } {
    if (this.deps.isBusy?.()) {
      throw new AppError(
        'conflict',
        'A reply is still being written. Compact the database once it has finished.',
        {},
        engineMessage('error.compactWhileReplying', {}),
      );
    }
    const before = this.databaseSize().totalBytes;
    const t0 = performance.now();
    this.deps.store.db.exec('VACUUM');
    this.checkpoint();
    const after = this.databaseSize().totalBytes;
    const ms = Math.round(performance.now() - t0);
    this.deps.logger?.info('database vacuumed', { beforeBytes: before, afterBytes: after, ms });
    return { beforeBytes: before, afterBytes: after, ms };
  }

  /** `PRAGMA integrity_check` (or the faster `quick_check`). */
  integrityCheck(quick = false): { ok: boolean; problems: string[] } {
    const rows = this.deps.store.db.pragma(quick ? 'quick_check' : 'integrity_check') as Record<string, string>[];
    const lines = rows.map((r) => Object.values(r)[0] ?? '');
    const ok = lines.length === 1 && lines[0] === 'ok';
    if (!ok) this.deps.logger?.error('database integrity check failed', { problems: lines.slice(0, 20) });
    return { ok, problems: ok ? [] : lines };
  }

  /** Folds the WAL back into the database file and truncates it. `busy` means a reader kept part of it. */
  checkpoint(): { busy: boolean; walFrames: number; checkpointedFrames: number } {
    const [row] = this.deps.store.db.pragma('wal_checkpoint(TRUNCATE)') as {
      busy: number;
      log: number;
      checkpointed: number;
    }[];
    return { busy: (row?.busy ?? 0) !== 0, walFrames: row?.log ?? 0, checkpointedFrames: row?.checkpointed ?? 0 };
  }

  databaseSize(): DatabaseSize {
    const { db, file } = this.deps.store;
    const size = (f: string) => fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pageCount = db.pragma('page_count', { simple: true }) as number;
    const freePages = db.pragma('freelist_count', { simple: true }) as number;
    const fileBytes = size(file);
    const walBytes = size(`${file}-wal`);
    return {
      fileBytes,
      walBytes,
      totalBytes: fileBytes + walBytes + size(`${file}-shm`),
      pageSize,
      pageCount,
      freeBytes: freePages * pageSize,
    };
  }
}
