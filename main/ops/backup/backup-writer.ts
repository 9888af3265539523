import { engineMessage } from '../../../preload/shared/engine-messages';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { APP_VERSION } from '../../core/version';
import { StoreDamagedError, isCorruptionError } from '../../store/store-check';
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
import { compressInWorker, type CompressionFeed } from './compress-in-worker';
import { ownerTag } from './owner-tag';
import { PIECES_SCHEME, newPieceDigest, startPieceHashers, type PieceFeed, type PieceHashers } from './piece-digest';
import {
  FACTS_SQL,
  WorkerUnavailableError,
  copySnapshotHere,
  copySnapshotInWorker,
  type SnapshotCopier,
  type SnapshotFacts,
} from './snapshot-copy';

export interface CreateOptions {
  kind?: BackupKind;
  /**
   * Default true. Uncompressed backups are bigger but take about the time of a plain file copy
   * (`npm run bench -- backup` shows what each step costs).
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
 * Writes backups: a consistent copy of the store made while chat keeps writing (snapshot-file-copy.ts),
 * checksummed and compressed on other threads while it is being made, packed and sealed (archive-format.ts),
 * synced, checked against its seal, and only then given its final name.
 *
 * What a backup does not do is walk the store's b-trees (`quick_check`): that took 2.6× the copy itself.
 * Damage is looked for where it costs chat nothing: the store's own check as it opens, the hourly check on a
 * worker (store-watch.ts; a damaged store puts the app in recovery mode, where no backup is made), and a
 * full `integrity_check` of every backup before a restore replaces anything.
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
    let hashers: PieceHashers | null = null;
    let compression: CompressionFeed | null = null;
    let fd: number | null = null;
    try {
      // Opening an empty file would make it a new, empty store: a backup of that is no backup of the data.
      if (!this.deps.host.isOpen && isEmptyStore(paths.dbFile)) {
        throw sourceCorrupt(['the store file is empty (0 bytes)']);
      }
      checkSpace(this.io, dir, this.estimateStoreBytes() * (compress ? 1.6 : 1.05), 'The backup');
      // The copy's own phase until it is complete; then the phase of what follows it (the checksum, or the
      // gzip), told at once with how far it got alongside the copy, then as it goes on.
      let copied = false;
      let followed = 0;
      let size = 0; // the copy's, once it has begun
      const after = (phase: 'checksum' | 'compress') => (done: number) => {
        followed = done;
        if (copied) progress({ phase, done, total: size });
      };
      hashers = this.startHashers();
      const digestFeed = hashers?.follow(dbTmp, compress ? undefined : after('checksum')) ?? null;
      if (compress) {
        fd = fs.openSync(archiveTmp, 'w', 0o600);
        compression = this.startCompression(dbTmp, fd, after('compress'));
      }
      const copy = await this.copySnapshot(dbTmp, !compress, (done, total) => {
        size = total;
        digestFeed?.upTo(done, total);
        compression?.upTo(done, total);
        progress({ phase: 'copy', done, total });
      });
      copied = true;
      const { facts, bytes: databaseBytes } = copy;
      size = databaseBytes;
      progress({ phase: compress ? 'compress' : 'checksum', done: followed, total: size });
      const [sha256, compressed] = await Promise.all([
        this.digestOfCopy(dbTmp, digestFeed, compress ? undefined : after('checksum')),
        compress ? this.compressed(dbTmp, fd!, compression, databaseBytes, progress) : null,
      ]);
      const storedDigest = compressed?.storedDigest ?? Buffer.from(sha256, 'hex'); // uncompressed: the same bytes
      if (compress) await removeQuietlyAsync(dbTmp);
      // Uncompressed: the copy is the payload, so open it to append.
      fd ??= fs.openSync(archiveTmp, 'a', 0o600);
      const payloadBytes = compress ? fs.fstatSync(fd).size : databaseBytes;
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
      fs.closeSync(fd);
      fd = null;
      // An uncompressed payload was digested from the file itself, as written; the gzip bytes are read back.
      await this.readBack(archiveTmp, payloadBytes, storedDigest, compress);
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
        walFrames: copy.walFrames,
        ms: clock.now() - started,
      });
      return info;
    } catch (err) {
      compression?.abort();
      if (fd !== null) fs.closeSync(fd);
      removeQuietly(archiveTmp, dbTmp);
      // The live store would not even open (garbage over its header): that is a damaged store too.
      const e =
        err instanceof StoreDamagedError
          ? sourceCorrupt(err.problems)
          : isCorruptionError(err)
            ? sourceCorrupt([(err as Error).message])
            : asBackupError(err, 'The backup');
      logger?.error('backup failed', { reason: e.reason, error: e.message });
      throw e;
    } finally {
      hashers?.close();
    }
  }

  /**
   * The backup just written, read from the disk: the seal must hold and, with `rehash`, the payload must
   * digest as it did when written, or it is not given a name (a failing drive, a file changed under us).
   */
  private async readBack(file: string, payloadBytes: number, storedDigest: Buffer, rehash: boolean): Promise<void> {
    const again = rehash ? Buffer.from(await this.digestPayload(file, payloadBytes), 'hex') : storedDigest;
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
      return digestFile(file, newPieceDigest(), undefined, bytes);
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

  /** Checksum threads, started now so they are ready the moment the copy's first piece is (tens of ms). */
  private startHashers(): PieceHashers | null {
    try {
      return (this.deps.startHashers ?? startPieceHashers)();
    } catch (err) {
      this.hashersUnavailable(err);
      return null;
    }
  }

  /** The database's pieces digest: from the threads that followed the copy, or on this thread after it. */
  private async digestOfCopy(
    file: string,
    feed: PieceFeed | null,
    onBytes: ((done: number) => void) | undefined,
  ): Promise<string> {
    if (feed) {
      try {
        return (await feed.result()).hex;
      } catch (err) {
        this.hashersUnavailable(err);
      }
    }
    return digestFile(file, newPieceDigest(), onBytes);
  }

  private hashersUnavailable(err: unknown): void {
    this.deps.logger?.warn('checksum workers unavailable; checksumming on the main thread', {
      error: (err as Error).message,
    });
  }

  /**
   * A consistent copy of the store in `dest` (snapshot-copy.ts) and what it holds. On a worker thread with its
   * own connection; where a worker cannot start (an unusual packaging), on this thread in short steps instead,
   * slower for chat writes but just as correct.
   */
  private async copySnapshot(
    dest: string,
    kept: boolean,
    onCopy: (done: number, total: number) => void,
  ): Promise<{ facts: CopyFacts; bytes: number; walFrames: number }> {
    const src = this.deps.host.current().db.name;
    let r: Awaited<ReturnType<SnapshotCopier>>;
    try {
      r = await (this.deps.copier ?? copySnapshotInWorker)({ src, dest, onCopy, flush: kept });
    } catch (err) {
      if (!(err instanceof WorkerUnavailableError)) throw err;
      this.deps.logger?.warn('backup worker unavailable; copying on the main thread', { error: err.message });
      r = await copySnapshotHere({ src, dest, onCopy, flush: kept });
    }
    return { facts: toCopyFacts(r.facts), bytes: r.bytes, walFrames: r.walFrames };
  }

  /**
   * gzip of the copy into `fd`, on a thread that follows the copy as it is made (the real disk), or on this
   * thread once it is complete (injected writes, for tests' full disks, need this thread's path).
   */
  private startCompression(src: string, fd: number, onBytes: (read: number) => void): CompressionFeed | null {
    if (this.io !== nodeBackupIo) return null;
    try {
      return compressInWorker({ src, fd, level: this.deps.compressionLevel ?? 3, onBytes });
    } catch (err) {
      if (!(err instanceof WorkerUnavailableError)) throw err;
      return null;
    }
  }

  private async compressed(
    src: string,
    fd: number,
    feed: CompressionFeed | null,
    total: number,
    progress: (p: BackupProgress) => void,
  ): Promise<{ storedDigest: Buffer }> {
    if (feed) return feed.result();
    const stored = newPieceDigest();
    let read = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
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
    return { storedDigest: Buffer.from(stored.hex(), 'hex') };
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
