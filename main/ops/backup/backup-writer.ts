import { engineMessage } from '../../../preload/shared/engine-messages';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { APP_VERSION } from '../../core/version';
import { withoutSecrets } from '../logger';
import { fileStamp } from '../time-stamps';
import {
  ARCHIVE_FORMAT_VERSION,
  BACKUP_EXTENSION,
  encodeFooter,
  sealDigest,
  type BackupKind,
  type BackupManifest,
} from './archive-format';
import { openArchive } from './archive-reader';
import { BackupError, asBackupError } from './backup-errors';
import type { BackupServiceDeps } from './backup-deps';
import {
  checkSpace,
  digestFile,
  fsyncDirAsync,
  nodeBackupIo,
  removeQuietly,
  removeQuietlyAsync,
  uniquePath,
  type BackupIo,
} from './backup-io';
import { infoOf, type BackupInfo, type BackupProgress } from './backup-types';
import { compressInWorker } from './compress-in-worker';
import { ownerTag } from './owner-tag';
import { PIECES_SCHEME, PieceDigest, startPieceHashers, type PieceHashers } from './piece-digest';
import {
  FACTS_SQL,
  QUICK_CHECK_SQL,
  WorkerUnavailableError,
  copySnapshotInWorker,
  type SnapshotFacts,
} from './snapshot-copy';

export interface CreateOptions {
  kind?: BackupKind;
  /**
   * Default true. Uncompressed backups are bigger but skip the compression pass; both also run quick_check on
   * the copy and read it back (`npm run bench -- backup` shows what each step costs).
   */
  compress?: boolean;
  onProgress?: (p: BackupProgress) => void;
}

/** Temp files in backups/ start with this, then the owner (owner-tag.ts). */
export const TMP_PREFIX = '.tmp-';

interface CopyFacts {
  schemaVersion: number;
  sessions: number;
  messages: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
}

const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

/**
 * Writes backups: SQLite's online backup of the store (chat keeps writing while it runs), checked with
 * `PRAGMA quick_check` (a damaged store is refused, not backed up), packed and sealed (archive-format.ts),
 * read back and checked against its seal, and only then given its final name.
 */
export class BackupWriter {
  private readonly io: BackupIo;

  constructor(private readonly deps: BackupServiceDeps) {
    this.io = deps.io ?? nodeBackupIo;
  }

  async create(opts: CreateOptions = {}): Promise<BackupInfo> {
    const { clock, paths, logger } = this.deps;
    const kind = opts.kind ?? 'manual';
    const compress = opts.compress ?? true;
    const started = clock.now();
    const id = `o${ownerTag()}-${fileStamp(started)}-${randomBytes(3).toString('hex')}`;
    const dir = paths.backupsDir;
    fs.mkdirSync(dir, { recursive: true });
    const archiveTmp = path.join(dir, `${TMP_PREFIX}${id}.partial`);
    const dbTmp = compress ? path.join(dir, `${TMP_PREFIX}${id}.db`) : archiveTmp;
    const progress = opts.onProgress ?? (() => undefined);
    try {
      // Opening an empty file would make it a new, empty store: a backup of that is no backup of the data.
      if (!this.deps.host.isOpen && isEmptyStore(paths.dbFile)) {
        throw sourceCorrupt(['the store file is empty (0 bytes)']);
      }
      checkSpace(this.io, dir, this.estimateStoreBytes() * (compress ? 1.6 : 1.05), 'The backup');
      const copy = await this.copySnapshot(dbTmp, progress, !compress);
      const { facts, bytes: databaseBytes } = copy;
      let sha256: string;
      let storedDigest: Buffer;
      // Uncompressed: SQLite wrote the payload into this very file, so open it to append.
      const fd = fs.openSync(archiveTmp, compress ? 'w' : 'a', 0o600);
      let payloadBytes: number;
      try {
        if (compress) {
          const c = await this.compressInto(dbTmp, fd, databaseBytes, progress);
          sha256 = c.sha256;
          storedDigest = c.storedDigest;
          await removeQuietlyAsync(dbTmp, `${dbTmp}-journal`);
        } else {
          sha256 = copy.sha256!;
          storedDigest = Buffer.from(sha256, 'hex'); // the payload is the database: the same pieces digest
        }
        payloadBytes = compress ? fs.fstatSync(fd).size : databaseBytes;
        const settings = this.settingsSnapshot();
        const manifest: BackupManifest = {
          format: 'aeris-aq-backup',
          formatVersion: ARCHIVE_FORMAT_VERSION,
          kind,
          appVersion: APP_VERSION,
          schemaVersion: facts.schemaVersion,
          createdAt: new Date(started).toISOString(),
          sessions: facts.sessions,
          messages: facts.messages,
          firstMessageAt: facts.firstMessageAt,
          lastMessageAt: facts.lastMessageAt,
          sha256,
          checksum: PIECES_SCHEME,
          databaseBytes,
          compression: compress ? 'gzip' : 'none',
          settingsIncluded: settings !== null,
        };
        const settingsBuf = settings ? Buffer.from(JSON.stringify(settings), 'utf8') : Buffer.alloc(0);
        const manifestBuf = Buffer.from(JSON.stringify(manifest), 'utf8');
        const footer = encodeFooter({
          formatVersion: ARCHIVE_FORMAT_VERSION,
          gzip: compress,
          payloadBytes,
          settingsBytes: settingsBuf.length,
          manifestBytes: manifestBuf.length,
        });
        progress({ phase: 'finalize', done: 0, total: 1 });
        const seal = sealDigest({ payloadDigest: storedDigest, settings: settingsBuf, manifest: manifestBuf, footer });
        this.append(fd, Buffer.concat([settingsBuf, manifestBuf, seal, footer]));
        await this.io.fsync(fd);
      } finally {
        fs.closeSync(fd);
      }
      await this.readBack(archiveTmp, payloadBytes, storedDigest);
      const finalPath = uniquePath(dir, `aeris-backup-${fileStamp(started)}-${kind}`, BACKUP_EXTENSION);
      fs.renameSync(archiveTmp, finalPath);
      await fsyncDirAsync(dir);
      progress({ phase: 'finalize', done: 1, total: 1 });
      const info = infoOf(await openArchive(finalPath));
      logger?.info('backup created', {
        path: finalPath,
        kind,
        sizeBytes: info.sizeBytes,
        sessions: info.sessions,
        messages: info.messages,
        ms: clock.now() - started,
      });
      return info;
    } catch (err) {
      removeQuietly(archiveTmp, dbTmp, `${dbTmp}-journal`, `${dbTmp}-wal`, `${dbTmp}-shm`);
      // The live store would not even open (garbage over its header): that is a damaged store too.
      const e = isCorruptionError(err) ? sourceCorrupt([(err as Error).message]) : asBackupError(err, 'The backup');
      logger?.error('backup failed', { reason: e.reason, error: e.message });
      throw e;
    }
  }

  /**
   * The backup just written, read back from the disk: its payload must digest as it did when written and
   * the seal must hold, or it is not given a name (a failing drive, a file changed under us).
   */
  private async readBack(file: string, payloadBytes: number, storedDigest: Buffer): Promise<void> {
    const again = Buffer.from(await this.digestPayload(file, payloadBytes), 'hex');
    const archive = await openArchive(file);
    const seal = archive.seal;
    const ok =
      again.equals(storedDigest) &&
      seal !== null &&
      sealDigest({
        payloadDigest: again,
        settings: seal.settings,
        manifest: seal.manifest,
        footer: seal.footer,
      }).equals(seal.digest);
    if (!ok) {
      throw new BackupError(
        'failed',
        'The backup did not read back as it was written; the drive may be failing.',
        {},
        engineMessage('backup.readBack', {}),
      );
    }
  }

  /** The pieces digest of a file's first `bytes`: on worker threads, or on this thread where none can start. */
  private async digestPayload(file: string, bytes: number): Promise<string> {
    let hashers: PieceHashers | null = null;
    try {
      hashers = startPieceHashers();
    } catch {
      return digestFile(file, new PieceDigest(), undefined, bytes);
    }
    try {
      return (await hashers.digest(file, undefined, bytes)).hex;
    } finally {
      hashers.close();
    }
  }

  /** Writes in 64 KB pieces, so an injected full disk can strike in the middle, as a real one would. */
  private append(fd: number, data: Buffer): void {
    for (let at = 0; at < data.length; at += 64 * 1024) this.io.writeSync(fd, data.subarray(at, at + 64 * 1024));
  }

  /**
   * A consistent copy of the store in `dest`, what it holds, and (with `checksum`) its pieces checksum. The
   * copy runs on a worker thread with its own connection, the checksum on several; where a worker cannot start
   * (an unusual packaging), each runs on this thread in short steps instead, slower for chat writes but just
   * as correct. A copy that fails `quick_check` means the store is damaged: refused as source_corrupt.
   */
  private async copySnapshot(
    dest: string,
    progress: (p: BackupProgress) => void,
    checksum: boolean,
  ): Promise<{ facts: CopyFacts; sha256: string | null; bytes: number }> {
    const db = this.deps.host.current().db;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const flusher = new BackgroundFlusher(dest, Math.max(1, Math.floor((32 << 20) / pageSize)));
    // Started now, so they are ready the moment the copy is (a thread takes tens of ms to start).
    let hashers: PieceHashers | null = null;
    if (checksum) {
      try {
        hashers = (this.deps.startHashers ?? startPieceHashers)();
      } catch (err) {
        this.hashersUnavailable(err);
      }
    }
    try {
      let copied: { facts: CopyFacts; check: string[] } | null = null;
      try {
        const r = await (this.deps.copier ?? copySnapshotInWorker)({
          src: db.name,
          dest,
          onCopy: (done, pages) => {
            flusher.copied(done);
            progress({ phase: 'copy', done, total: pages });
          },
        });
        copied = { facts: toCopyFacts(r.facts), check: r.check };
      } catch (err) {
        if (isCorruptionError(err)) throw sourceCorrupt([(err as Error).message]);
        if (!(err instanceof WorkerUnavailableError)) throw err;
        this.deps.logger?.warn('backup worker unavailable; copying on the main thread', { error: err.message });
        removeQuietly(dest, `${dest}-journal`);
      } finally {
        await flusher.close();
      }
      if (!copied) {
        await this.copyStore(dest, progress);
        copied = inspectCopy(dest);
      }
      if (copied.check.length !== 1 || copied.check[0] !== 'ok') throw sourceCorrupt(copied.check);
      const { facts } = copied;
      const bytes = fs.statSync(dest).size;
      if (!checksum) return { facts, sha256: null, bytes };
      const onBytes = (done: number) => progress({ phase: 'checksum', done, total: bytes });
      let sha256: string | null = null;
      if (hashers) {
        try {
          sha256 = (await hashers.digest(dest, onBytes)).hex;
        } catch (err) {
          this.hashersUnavailable(err);
        }
      }
      // Where no checksum thread could run: on this thread, in yielding blocks.
      sha256 ??= await digestFile(dest, new PieceDigest(), onBytes);
      return { facts, sha256, bytes };
    } finally {
      hashers?.close();
    }
  }

  private hashersUnavailable(err: unknown): void {
    this.deps.logger?.warn('checksum workers unavailable; checksumming on the main thread', {
      error: (err as Error).message,
    });
  }

  /**
   * The fallback: SQLite's online backup on this thread, a few MB per step so chat writes on the same
   * connection slip in between (and are carried into the copy). A write from another process restarts the
   * copy; after a few restarts the rest is copied in one step, under one read snapshot, so it always ends.
   */
  private async copyStore(dest: string, progress: (p: BackupProgress) => void): Promise<void> {
    const db = this.deps.host.current().db;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const flusher = new BackgroundFlusher(dest, Math.max(1, Math.floor((32 << 20) / pageSize)));
    let pages = 256;
    let floor = 64;
    let lastDone = 0;
    let lastRemaining = Infinity;
    let restarts = 0;
    let losing = 0;
    let stepStarted = performance.now();
    try {
      await db.backup(dest, {
        progress: ({ totalPages, remainingPages }) => {
          const took = performance.now() - stepStarted;
          // A restart sends the copy back to the start. Pages added by writes on this connection grow the
          // total and the remainder alike, so they leave `done` as it was and are no restart.
          const done = totalPages - remainingPages;
          if (done < lastDone) restarts++;
          // Writes that eat half a step or more between two steps: never go below twice this step again,
          // so the copy always gains on them (and ends).
          const gained = lastRemaining - remainingPages;
          losing = gained < pages / 2 && lastRemaining !== Infinity ? losing + 1 : 0;
          if (losing) floor = Math.min(2048, pages * 2);
          lastDone = done;
          lastRemaining = remainingPages;
          // Aim for ~5 ms a step: long enough to be efficient, short enough that a chat write never waits.
          if (took < 3) pages = Math.min(2048, pages * 2);
          else if (took > 8) pages = Math.floor(pages / 2);
          pages = Math.max(pages, floor);
          flusher.copied(done);
          progress({ phase: 'copy', done, total: totalPages });
          stepStarted = performance.now();
          return restarts >= 3 || losing >= 8 ? Math.max(totalPages, 1) : pages;
        },
      });
    } finally {
      await flusher.close();
    }
  }

  /** gzip `src` into `fd`: the database's pieces digest, and the pieces digest of the bytes as stored. */
  private async compressInto(
    src: string,
    fd: number,
    total: number,
    progress: (p: BackupProgress) => void,
  ): Promise<{ sha256: string; storedDigest: Buffer }> {
    // On a worker thread with the real disk; injected writes (tests' full disks) need this thread's path.
    if (this.io === nodeBackupIo) {
      try {
        return await compressInWorker({
          src,
          fd,
          level: this.deps.compressionLevel ?? 3,
          onBytes: (read) => progress({ phase: 'compress', done: read, total }),
        });
      } catch (err) {
        if (!(err instanceof WorkerUnavailableError)) throw err;
      }
    }
    const hash = new PieceDigest();
    const stored = new PieceDigest();
    let read = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        read += chunk.length;
        progress({ phase: 'compress', done: read, total });
        cb(null, chunk);
      },
    });
    const io = this.io;
    let writeError: unknown = null;
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        try {
          stored.update(chunk);
          io.writeSync(fd, chunk);
          cb();
        } catch (err) {
          writeError = err;
          cb(err as Error);
        }
      },
    });
    try {
      await pipeline(
        fs.createReadStream(src, { highWaterMark: 1 << 20 }),
        tap,
        zlib.createGzip({ level: this.deps.compressionLevel ?? 3 }),
        sink,
      );
    } catch (err) {
      throw writeError ?? err;
    }
    return { sha256: hash.hex(), storedDigest: Buffer.from(stored.hex(), 'hex') };
  }

  private estimateStoreBytes(): number {
    try {
      const db = this.deps.host.current().db;
      const pageCount = db.pragma('page_count', { simple: true }) as number;
      const pageSize = db.pragma('page_size', { simple: true }) as number;
      return pageCount * pageSize;
    } catch {
      return 0;
    }
  }

  /** config.json with every secret-looking key left out (null when there is no config yet). */
  private settingsSnapshot(): Record<string, unknown> | null {
    try {
      const raw = JSON.parse(fs.readFileSync(this.deps.paths.configFile, 'utf8')) as unknown;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
      return withoutSecrets(raw) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
}

/** A store file of 0 bytes and no write-ahead log holding its pages (what a crash or a bad copy leaves). */
export function isEmptyStore(dbFile: string): boolean {
  const size = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  return fs.existsSync(dbFile) && size(dbFile) === 0 && size(`${dbFile}-wal`) === 0;
}

function isCorruptionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB'));
}

function sourceCorrupt(problems: string[]): BackupError {
  return new BackupError(
    'source_corrupt',
    `The store is damaged, so no backup was written (a backup of it would not restore): ${problems.slice(0, 3).join('; ')}. Restore a verified backup, or salvage what is readable.`,
  );
}

export function countFacts(db: Database.Database): Omit<CopyFacts, 'schemaVersion'> {
  const f = db.prepare(FACTS_SQL).get() as Omit<SnapshotFacts, 'schemaVersion'>;
  return toCopyFacts({ schemaVersion: 0, ...f });
}

function toCopyFacts(f: SnapshotFacts): CopyFacts {
  return {
    schemaVersion: f.schemaVersion,
    sessions: f.sessions,
    messages: f.messages,
    firstMessageAt: iso(f.first),
    lastMessageAt: iso(f.last),
  };
}

/**
 * Facts for the manifest, read from the copy itself (a consistent snapshot, unlike the live store), after
 * its quick_check. The copy is switched to a rollback journal so it is one self-contained file.
 */
function inspectCopy(file: string): { facts: CopyFacts; check: string[] } {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const check = (db.prepare(QUICK_CHECK_SQL).all() as Record<string, unknown>[]).map((r) =>
      String(Object.values(r)[0]),
    );
    if (check.length !== 1 || check[0] !== 'ok') throw sourceCorrupt(check);
    return {
      facts: { schemaVersion: db.pragma('user_version', { simple: true }) as number, ...countFacts(db) },
      check,
    };
  } catch (err) {
    if (isCorruptionError(err)) throw sourceCorrupt([(err as Error).message]);
    throw err;
  } finally {
    db.close();
  }
}

/**
 * SQLite syncs the copy when the backup's last step commits, on the main thread: with a gigabyte of dirty
 * pages that is a long stall for chat writes. Syncing from the thread pool as the copy grows leaves that
 * final sync almost nothing to do.
 */
class BackgroundFlusher {
  private fd: number | null = null;
  private inFlight: Promise<void> | null = null;
  private flushedAt = 0;

  constructor(
    private readonly file: string,
    private readonly everyPages: number,
  ) {}

  copied(pages: number): void {
    if (this.inFlight || pages - this.flushedAt < this.everyPages) return;
    try {
      this.fd ??= fs.openSync(this.file, 'r');
    } catch {
      return; // not created yet
    }
    this.flushedAt = pages;
    const fd = this.fd;
    this.inFlight = new Promise<void>((resolve) => fs.fdatasync(fd, () => resolve())).finally(() => {
      this.inFlight = null;
    });
  }

  async close(): Promise<void> {
    await this.inFlight;
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}
