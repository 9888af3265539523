import { engineMessage } from '../../preload/shared/engine-messages';
import type { Clock } from './clock';
import { AppError } from './errors';

/**
 * Error codes that mean "no space left": SQLite turns a write's ENOSPC into SQLITE_FULL, and a WAL index
 * that cannot grow into SQLITE_IOERR_SHMSIZE; Node's fs reports ENOSPC, or EDQUOT for a full quota. Other
 * SQLITE_IOERR codes are real I/O faults and are not called "disk full".
 */
const DISK_FULL_CODES: ReadonlySet<string> = new Set(['SQLITE_FULL', 'SQLITE_IOERR_SHMSIZE', 'ENOSPC', 'EDQUOT']);

/** The one place that decides whether an error means the disk is full (its own code, or its `cause`'s). */
export function isDiskFull(err: unknown, depth = 0): boolean {
  if (err instanceof AppError) return err.code === 'disk_full';
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const { code, cause } = err as { code?: unknown; cause?: unknown };
  if (typeof code === 'string' && DISK_FULL_CODES.has(code)) return true;
  return cause !== undefined && isDiskFull(cause, depth + 1);
}

/** What a person reads when a write failed for lack of space. */
export function diskFullError(dir?: string): AppError {
  const where = dir ? ` on the disk that holds ${dir}` : '';
  return new AppError(
    'disk_full',
    `The disk is full: AERIS-AQ could not save${where}. Free some space (old backups, downloads, unused models), ` +
      'then try again. Everything saved before is kept.',
    dir ? { path: dir } : {},
    dir ? engineMessage('error.diskFullAt', { dir }) : engineMessage('error.diskFull', {}),
  );
}

/** A disk-full error in the app's words; every other error as it was (shells call this at their edge). */
export function explainDiskFull<T>(err: T, dir?: string): T | AppError {
  return isDiskFull(err) && !(err instanceof AppError) ? diskFullError(dir) : err;
}

interface DiskFailure {
  /** Epoch ms of the last write that failed for lack of space. */
  at: number;
  /** What was being written ("search index", "chat reply", …). */
  what: string;
}

/**
 * Remembers that a write failed for lack of space, so health can say so even when the free space it
 * measures looks fine (a quota, or space that filled and emptied between two checks). The next write that
 * succeeds clears it: the app has recovered.
 */
export class DiskFullState {
  private failure: DiskFailure | null = null;

  constructor(
    private readonly clock: Clock,
    /** The data dir: the disk that is full. */
    readonly dir: string,
  ) {}

  /** Records `err` when it means the disk is full; returns whether it did. */
  noteFailure(err: unknown, what: string): boolean {
    if (!isDiskFull(err)) return false;
    this.failure = { at: this.clock.now(), what };
    return true;
  }

  noteSuccess(): void {
    this.failure = null;
  }

  get lastFailure(): DiskFailure | null {
    return this.failure;
  }
}
