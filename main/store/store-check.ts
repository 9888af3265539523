import fs from 'node:fs';
import { storeFileDescriptor } from './store-file-descriptor';
import path from 'node:path';
import Database from 'better-sqlite3';

/** Why the store cannot be used as it is; `message` is written for the person who has to act on it. */
export type StoreDamage = 'zero_length' | 'missing' | 'bad_header' | 'corrupt' | 'unopenable';

type StoreCheckResult = { ok: true; ms: number } | { ok: false; damage: StoreDamage; message: string; ms: number };

const MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

/** Written beside the store after its first successful open: from then on an empty or missing file is damage. */
export function storeMarkerFile(dbFile: string): string {
  return path.join(path.dirname(dbFile), '.store-created');
}

export function markStoreCreated(dbFile: string): void {
  const marker = storeMarkerFile(dbFile);
  if (!fs.existsSync(marker)) fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
}

/** Page size from the header (offset 16, big-endian; 1 means 65536), or null when it is not a power of two in 512…65536. */
export function headerPageSize(header: Buffer): number | null {
  const raw = header.readUInt16BE(16);
  const size = raw === 1 ? 65536 : raw;
  if (size < 512 || size > 65536 || (size & (size - 1)) !== 0) return null;
  return size;
}

/**
 * Reads only the first 100 bytes and the file size: the magic string, a sane page size, and a file that is
 * a whole number of pages. Catches garbage over the header (and truncation) before SQLite prints raw errors.
 * A sound header comes back for fields past these (journal mode, user_version).
 */
export function checkHeader(
  file: string,
): { ok: true; header: Buffer } | { ok: false; damage: StoreDamage; message: string } {
  const size = fs.statSync(file).size;
  if (size < 100) {
    return { ok: false, damage: 'bad_header', message: `The chat history file is cut short (${size} bytes).` };
  }
  const header = Buffer.alloc(100);
  // The shared descriptor: this runs beside the open store too (the hourly check), see store-file-descriptor.ts.
  fs.readSync(storeFileDescriptor(file), header, 0, 100, 0);
  if (!header.subarray(0, 16).equals(MAGIC)) {
    return {
      ok: false,
      damage: 'bad_header',
      message: 'The start of the chat history file is damaged, so it cannot be opened.',
    };
  }
  const pageSize = headerPageSize(header);
  if (pageSize === null) {
    return {
      ok: false,
      damage: 'bad_header',
      message: 'The chat history file’s header is damaged (impossible page size).',
    };
  }
  if (size % pageSize !== 0) {
    return {
      ok: false,
      damage: 'bad_header',
      message: `The chat history file is cut short or padded (${size} bytes is not a whole number of ${pageSize}-byte pages).`,
    };
  }
  return { ok: true, header };
}

/** What a person reads when quick_check finds damage (or SQLite reports it while checking). */
export function damagedMessage(problems: string[]): string {
  return `Part of the chat history file is damaged (${problems.slice(0, 2).join('; ')}).`;
}

/** Damage found by quick_check: its problems, in the words a person reads. */
export class StoreDamagedError extends Error {
  constructor(readonly problems: string[]) {
    super(damagedMessage(problems));
    this.name = 'StoreDamagedError';
  }
}

/**
 * `PRAGMA quick_check` on an open connection: reads every page once (no index cross-checks, so it is several times
 * cheaper than integrity_check) and lists at most 10 problems. Throws StoreDamagedError for damage, whether
 * listed or reported by SQLite while checking. Given to `openDatabase`, it runs on the store's own connection
 * before anything is written, so the start-up check needs no second connection (whose open and close, with the
 * WAL's own files, cost more than the check on a small store).
 */
export function quickCheckOnOpen(db: Database.Database): void {
  let found: string[];
  try {
    found = (db.pragma('quick_check(10)') as { quick_check: string }[]).map((r) => r.quick_check);
  } catch (err) {
    if (isCorruptionError(err)) throw new StoreDamagedError([(err as Error).message]);
    throw err;
  }
  const problems = found.length === 1 && found[0] === 'ok' ? [] : found;
  if (problems.length > 0) throw new StoreDamagedError(problems);
}

/** quick_check on its own connection, for a file that is not open yet. */
function quickCheck(file: string): void {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    quickCheckOnOpen(db);
  } finally {
    db.close();
  }
}

interface StoreCheckOptions {
  /** True when this data dir has held a store before (marker file, or onboarding already done). */
  existedBefore?: boolean;
  /** Skip quick_check (the header is still checked). */
  skipQuickCheck?: boolean;
}

/** SQLite's own words for a damaged file, as error codes. */
export function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

/**
 * The check run before the store is opened: missing or empty where a store existed, a damaged header, then a
 * quick_check. Never throws for a damaged file; it says what is wrong instead.
 */
export function checkStoreFile(file: string, opts: StoreCheckOptions = {}): StoreCheckResult {
  const started = performance.now();
  const done = (r: { ok: true } | { ok: false; damage: StoreDamage; message: string }): StoreCheckResult => ({
    ...r,
    ms: Math.round(performance.now() - started),
  });
  const existed = opts.existedBefore ?? fs.existsSync(storeMarkerFile(file));
  if (!fs.existsSync(file)) {
    return done(
      existed
        ? {
            ok: false,
            damage: 'missing',
            message: 'The chat history file is missing, although this computer had one. It was not recreated empty.',
          }
        : { ok: true },
    );
  }
  if (fs.statSync(file).size === 0) {
    return done(
      existed
        ? {
            ok: false,
            damage: 'zero_length',
            message:
              'The chat history file is empty (0 bytes), although it held conversations. It was not recreated empty.',
          }
        : { ok: true },
    );
  }
  const header = checkHeader(file);
  if (!header.ok) return done(header);
  if (opts.skipQuickCheck) return done({ ok: true });
  try {
    quickCheck(file);
  } catch (err) {
    if (err instanceof StoreDamagedError) return done({ ok: false, damage: 'corrupt', message: err.message });
    const corrupt = isCorruptionError(err);
    return done({
      ok: false,
      damage: corrupt ? 'corrupt' : 'unopenable',
      message: corrupt
        ? damagedMessage([(err as Error).message])
        : `The chat history file cannot be read (${(err as Error).message}).`,
    });
  }
  return done({ ok: true });
}
