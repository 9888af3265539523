import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import type { Clock } from '../../core/clock';
import type { DataPaths } from '../../core/paths';
import { APP_VERSION } from '../../core/version';
import { openDatabase } from '../../store/database';
import { SCHEMA_VERSION } from '../../store/migrations';
import type { ComponentLogger } from '../logger';
import { withoutSecrets } from '../logger';
import { DAY_MS, fileStamp } from '../time-stamps';
import {
  ARCHIVE_FORMAT_VERSION,
  BACKUP_EXTENSION,
  encodeFooter,
  type BackupKind,
  type BackupManifest,
} from './archive-format';
import { extractDatabase, openArchive, type OpenedArchive } from './archive-reader';
import { BackupError, asBackupError } from './backup-errors';
import { fsyncDir, nodeBackupIo, removeQuietly, uniquePath, type BackupIo } from './backup-io';
import { checkSchema } from './schema-check';
import {
  PIECES_SCHEME,
  PieceDigest,
  digestFor,
  startPieceHashers,
  type Digest,
  type PieceHashers,
} from './piece-digest';
import {
  FACTS_SQL,
  WorkerUnavailableError,
  copySnapshotInWorker,
  type SnapshotCopier,
  type SnapshotFacts,
} from './snapshot-copy';
import type { StoreHost } from './store-host';

export type BackupPhase = 'copy' | 'compress' | 'checksum' | 'finalize' | 'extract' | 'verify' | 'safety' | 'swap';

export interface BackupProgress {
  phase: BackupPhase;
  /** Pages (copy) or bytes (other phases) done so far, out of `total`. */
  done: number;
  total: number;
}

/** One backup as listed: the manifest's facts plus where the file is and how big. */
export interface BackupInfo {
  path: string;
  name: string;
  sizeBytes: number;
  sha256: string;
  sessions: number;
  messages: number;
  createdAt: string;
  kind: BackupKind;
  appVersion: string;
  schemaVersion: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
  compression: 'gzip' | 'none';
}

export interface DamagedBackup {
  path: string;
  name: string;
  sizeBytes: number;
  reason: string;
  message: string;
}

export type VerifyReport =
  | { ok: true; file: string; info: BackupInfo; checks: string[] }
  | { ok: false; file: string; reason: string; message: string; info: BackupInfo | null; checks: string[] };

export interface RestoreResult {
  restored: BackupInfo;
  /** The backup of the store as it was just before the restore. */
  safetyBackup: BackupInfo;
  settingsRestored: boolean;
}

export interface BackupServiceDeps {
  host: StoreHost;
  paths: Pick<DataPaths, 'dbFile' | 'backupsDir' | 'configFile'>;
  clock: Clock;
  logger?: ComponentLogger;
  /** True while a chat reply is being written: a restore is refused then. */
  isBusy?: () => boolean;
  /** Applies restored settings (config.json, secrets left out). Without it, settings are not restored. */
  applySettings?: (settings: Record<string, unknown>) => void;
  io?: BackupIo;
  /** Copies the store off this thread (default: a worker thread); tests inject one that fails. */
  copier?: SnapshotCopier;
  /** Starts the threads that checksum a backup (default: worker threads); tests inject failing ones. */
  startHashers?: (threads?: number) => PieceHashers;
  /** gzip level for backups (1 fast … 9 small). Default 3: most of the gain for a fraction of the time. */
  compressionLevel?: number;
  retentionDays?: number;
}

export interface CreateOptions {
  kind?: BackupKind;
  /** Default true. Uncompressed backups are bigger but as fast as `sqlite3 .backup`. */
  compress?: boolean;
  onProgress?: (p: BackupProgress) => void;
}

const TMP_PREFIX = '.tmp-';
const STALE_TMP_MS = 60 * 60 * 1000;

const infoOf = (a: OpenedArchive): BackupInfo => ({
  path: a.file,
  name: path.basename(a.file),
  sizeBytes: a.sizeBytes,
  sha256: a.manifest.sha256,
  sessions: a.manifest.sessions,
  messages: a.manifest.messages,
  createdAt: a.manifest.createdAt,
  kind: a.manifest.kind,
  appVersion: a.manifest.appVersion,
  schemaVersion: a.manifest.schemaVersion,
  firstMessageAt: a.manifest.firstMessageAt,
  lastMessageAt: a.manifest.lastMessageAt,
  compression: a.manifest.compression,
});

const iso = (ms: number | null | undefined) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);

/**
 * Backups of the store: created with SQLite's online backup (chat keeps writing while it runs), listed,
 * verified on a scratch copy, restored with a safety backup first, exported and imported, pruned.
 * Every file appears under its final name only when complete and synced.
 */
export class BackupService {
  private readonly io: BackupIo;
  private readonly retentionDays: number;
  private running: string | null = null;

  constructor(private readonly deps: BackupServiceDeps) {
    this.io = deps.io ?? nodeBackupIo;
    this.retentionDays = deps.retentionDays ?? 30;
    fs.mkdirSync(deps.paths.backupsDir, { recursive: true });
  }

  get backupsDir(): string {
    return this.deps.paths.backupsDir;
  }

  /** Back up now. One backup or restore at a time in this process. */
  async create(opts: CreateOptions = {}): Promise<BackupInfo> {
    return this.exclusive('a backup', () => this.createUnlocked(opts));
  }

  private async exclusive<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.running) throw new BackupError('busy', `Cannot start ${what}: ${this.running} is already running.`);
    this.running = what;
    try {
      return await fn();
    } finally {
      this.running = null;
    }
  }

  private async createUnlocked(opts: CreateOptions): Promise<BackupInfo> {
    const { clock, paths, logger } = this.deps;
    const kind = opts.kind ?? 'manual';
    const compress = opts.compress ?? true;
    const started = clock.now();
    const id = `${fileStamp(started)}-${randomBytes(3).toString('hex')}`;
    const dir = paths.backupsDir;
    fs.mkdirSync(dir, { recursive: true });
    const archiveTmp = path.join(dir, `${TMP_PREFIX}${id}.partial`);
    const dbTmp = compress ? path.join(dir, `${TMP_PREFIX}${id}.db`) : archiveTmp;
    const progress = opts.onProgress ?? (() => undefined);
    this.checkSpace(dir, this.estimateStoreBytes() * (compress ? 1.6 : 1.05), 'The backup');
    try {
      const copy = await this.copySnapshot(dbTmp, progress, !compress);
      const { facts, bytes: databaseBytes } = copy;
      let sha256: string;
      // Uncompressed: SQLite wrote the payload into this very file, so open it to append.
      const fd = fs.openSync(archiveTmp, compress ? 'w' : 'a', 0o600);
      try {
        if (compress) {
          sha256 = await this.compressInto(dbTmp, fd, databaseBytes, progress);
          removeQuietly(dbTmp);
        } else {
          sha256 = copy.sha256!;
        }
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
        progress({ phase: 'finalize', done: 0, total: 1 });
        const tail = Buffer.concat([
          settingsBuf,
          manifestBuf,
          encodeFooter({
            formatVersion: ARCHIVE_FORMAT_VERSION,
            gzip: compress,
            payloadBytes,
            settingsBytes: settingsBuf.length,
            manifestBytes: manifestBuf.length,
          }),
        ]);
        this.append(fd, tail);
        await this.io.fsync(fd);
      } finally {
        fs.closeSync(fd);
      }
      const finalPath = uniquePath(dir, `aeris-backup-${fileStamp(started)}-${kind}`, BACKUP_EXTENSION);
      fs.renameSync(archiveTmp, finalPath);
      fsyncDir(dir);
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
      const e = asBackupError(err, 'The backup');
      logger?.error('backup failed', { reason: e.reason, error: e.message });
      throw e;
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
   * as correct.
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
      let facts: CopyFacts | null = null;
      try {
        const r = await (this.deps.copier ?? copySnapshotInWorker)({
          src: db.name,
          dest,
          onCopy: (done, pages) => {
            flusher.copied(done);
            progress({ phase: 'copy', done, total: pages });
          },
        });
        facts = toCopyFacts(r.facts);
      } catch (err) {
        if (!(err instanceof WorkerUnavailableError)) throw err;
        this.deps.logger?.warn('backup worker unavailable; copying on the main thread', { error: err.message });
        removeQuietly(dest, `${dest}-journal`);
      } finally {
        await flusher.close();
      }
      if (!facts) {
        await this.copyStore(dest, progress);
        facts = inspectCopy(dest);
      }
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

  private async compressInto(src: string, fd: number, total: number, progress: (p: BackupProgress) => void) {
    const hash = new PieceDigest();
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
    return hash.hex();
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

  private checkSpace(dir: string, needed: number, what: string): void {
    const free = this.io.freeBytes(dir);
    if (free !== null && free < needed + 16 * 1024 * 1024) {
      throw new BackupError(
        'disk_full',
        `${what} needs about ${Math.ceil(needed / 1048576)} MB free in ${dir}, but only ${Math.floor(free / 1048576)} MB are free. Nothing was changed.`,
      );
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

  /** Backups in backups/, newest first, and any files there that are not (or no longer) good backups. */
  async list(): Promise<{ backups: BackupInfo[]; damaged: DamagedBackup[] }> {
    const dir = this.deps.paths.backupsDir;
    const names = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
    const backups: BackupInfo[] = [];
    const damaged: DamagedBackup[] = [];
    for (const name of names) {
      if (!name.endsWith(BACKUP_EXTENSION) || name.startsWith('.')) continue;
      const file = path.join(dir, name);
      try {
        backups.push(infoOf(await openArchive(file)));
      } catch (err) {
        const e = asBackupError(err, 'Reading the backup');
        const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
        damaged.push({ path: file, name, sizeBytes: size, reason: e.reason, message: e.message });
      }
    }
    backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
    return { backups, damaged };
  }

  async lastBackup(): Promise<BackupInfo | null> {
    return (await this.list()).backups[0] ?? null;
  }

  /** What a backup holds, from its manifest (cheap: the database is not unpacked). */
  async inspect(file: string): Promise<BackupInfo> {
    return infoOf(await openArchive(this.resolve(file)));
  }

  /** A bare name means a file in backups/; anything else is a path. */
  private resolve(file: string): string {
    if (!file.includes('/') && !file.includes('\\') && fs.existsSync(path.join(this.deps.paths.backupsDir, file))) {
      return path.join(this.deps.paths.backupsDir, file);
    }
    return path.resolve(file);
  }

  /**
   * Full check: footer and manifest, sha256 of the unpacked database, `PRAGMA integrity_check`, schema and
   * counts, all on a scratch copy in a temp dir that is removed afterwards. Never throws for a bad file.
   */
  async verify(file: string, onProgress?: (p: BackupProgress) => void): Promise<VerifyReport> {
    const target = this.resolve(file);
    const scratchDir = fs.mkdtempSync(path.join(this.deps.paths.backupsDir, '.verify-'));
    const checks: string[] = [];
    let info: BackupInfo | null = null;
    try {
      const archive = await this.checkInto(target, path.join(scratchDir, 'check.db'), checks, onProgress);
      info = infoOf(archive);
      return { ok: true, file: target, info, checks };
    } catch (err) {
      const e = asBackupError(err, 'Verifying the backup');
      if (!info) info = await openArchive(target).then(infoOf, () => null);
      return { ok: false, file: target, reason: e.reason, message: e.message, info, checks };
    } finally {
      fs.rmSync(scratchDir, { recursive: true, force: true });
    }
  }

  /** Unpacks `file` to `scratch` and checks it; throws a BackupError saying why it is not restorable. */
  private async checkInto(
    file: string,
    scratch: string,
    checks: string[],
    onProgress?: (p: BackupProgress) => void,
  ): Promise<OpenedArchive> {
    const archive = await openArchive(file);
    const m = archive.manifest;
    checks.push(
      `manifest: ${m.sessions} sessions, ${m.messages} messages, schema ${m.schemaVersion}, app ${m.appVersion}`,
    );
    if (m.schemaVersion > SCHEMA_VERSION) {
      throw new BackupError(
        'newer_schema',
        `This backup is schema version ${m.schemaVersion}, newer than this app understands (${SCHEMA_VERSION}). Update AERIS-AQ to restore it.`,
      );
    }
    this.checkSpace(path.dirname(scratch), m.databaseBytes, 'Checking the backup');
    const { sha256, bytes } = await extractDatabase(archive, scratch, this.io, (done) =>
      onProgress?.({ phase: 'extract', done, total: m.databaseBytes }),
    );
    if (bytes !== m.databaseBytes || sha256 !== m.sha256) {
      throw new BackupError('corrupt', 'The backup is damaged: its checksum (sha256) does not match the manifest.');
    }
    checks.push(`checksum: sha256 ${sha256.slice(0, 16)}… matches`);
    onProgress?.({ phase: 'verify', done: 0, total: 1 });
    let db: Database.Database | null = null;
    try {
      db = new Database(scratch, { fileMustExist: true });
      const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
      if (integrity.length !== 1 || integrity[0] !== 'ok') {
        throw new BackupError(
          'corrupt',
          `The backup’s database fails the integrity check: ${integrity.slice(0, 3).join('; ')}`,
        );
      }
      checks.push('integrity_check: ok');
      const schema = checkSchema(db);
      if (!schema.ok) throw new BackupError(schema.reason, schema.message);
      checks.push(`schema: version ${schema.version} matches this app’s migrations`);
      const facts = countFacts(db);
      if (facts.sessions !== m.sessions || facts.messages !== m.messages) {
        throw new BackupError('corrupt', 'The backup’s database does not hold what its manifest says.');
      }
      checks.push('counts: match the manifest');
    } catch (err) {
      if (err instanceof BackupError) throw err;
      const code = (err as { code?: string }).code ?? '';
      if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
        throw new BackupError('corrupt', `The backup’s database is damaged (${(err as Error).message}).`);
      }
      throw err;
    } finally {
      db?.close();
    }
    onProgress?.({ phase: 'verify', done: 1, total: 1 });
    return archive;
  }

  /**
   * Replaces the store with a backup. Refused (nothing changed) while a reply is streaming, when the file
   * is corrupt/truncated/foreign/newer, or when the disk is full. Otherwise: unpack and check on a scratch
   * copy next to the store, take a safety backup, then close → rename → reopen.
   */
  async restore(
    file: string,
    opts: { onProgress?: (p: BackupProgress) => void; includeSettings?: boolean } = {},
  ): Promise<RestoreResult> {
    this.assertNotBusy();
    return this.exclusive('a restore', async () => {
      const { paths, logger, clock } = this.deps;
      const target = this.resolve(file);
      const dataDir = path.dirname(paths.dbFile);
      const id = `${clock.now()}-${randomBytes(3).toString('hex')}`;
      const scratch = path.join(dataDir, `.restore-${id}.db`);
      try {
        const archive = await this.checkInto(target, scratch, [], opts.onProgress);
        // Upgrade an older schema on the scratch copy (and switch it to WAL), so the swap is only a rename.
        openDatabase(scratch).close();
        this.assertNotBusy();
        opts.onProgress?.({ phase: 'safety', done: 0, total: 1 });
        const safety = await this.createUnlocked({ kind: 'safety' });
        opts.onProgress?.({ phase: 'safety', done: 1, total: 1 });
        this.assertNotBusy();
        opts.onProgress?.({ phase: 'swap', done: 0, total: 1 });
        this.swapIn(scratch, `${paths.dbFile}.replaced-${id}`);
        opts.onProgress?.({ phase: 'swap', done: 1, total: 1 });
        let settingsRestored = false;
        if ((opts.includeSettings ?? true) && archive.settings && this.deps.applySettings) {
          try {
            this.deps.applySettings(archive.settings);
            settingsRestored = true;
          } catch (err) {
            logger?.warn('restored backup’s settings were not applied', { error: String(err) });
          }
        }
        const restored = infoOf(archive);
        logger?.info('backup restored', { path: target, safetyBackup: safety.path, sessions: restored.sessions });
        return { restored, safetyBackup: safety, settingsRestored };
      } catch (err) {
        const e = asBackupError(err, 'The restore');
        logger?.error('restore refused', { path: target, reason: e.reason, error: e.message });
        throw e;
      } finally {
        removeQuietly(scratch, `${scratch}-wal`, `${scratch}-shm`, `${scratch}-journal`);
      }
    });
  }

  private assertNotBusy(): void {
    if (this.deps.isBusy?.()) {
      throw new BackupError('busy', 'A reply is still being written. Stop it or wait for it to finish, then restore.');
    }
  }

  /** close → move the old files aside → rename the checked copy in → reopen; any failure puts the old store back. */
  private swapIn(scratch: string, aside: string): void {
    const { host, paths } = this.deps;
    const db = paths.dbFile;
    const suffixes = ['', '-wal', '-shm'];
    const moved: string[] = [];
    let swapped = false;
    const putBack = () => {
      for (const s of suffixes) if (!moved.includes(s)) removeQuietly(db + s);
      for (const s of moved) fs.renameSync(aside + s, db + s);
      fsyncDir(path.dirname(db));
    };
    try {
      host.reopen(() => {
        assertNoOtherConnections(db);
        try {
          for (const s of suffixes) {
            if (fs.existsSync(db + s)) {
              fs.renameSync(db + s, aside + s);
              moved.push(s);
            }
          }
          fs.renameSync(scratch, db);
          fsyncDir(path.dirname(db));
          swapped = true;
        } catch (err) {
          putBack();
          throw err;
        }
      });
    } catch (err) {
      if (swapped) {
        // The restored file would not open: put the old store back and open that.
        host.reopen(putBack);
        throw new BackupError(
          'failed',
          `The restored store could not be opened (${(err as Error).message}); the previous store was put back.`,
        );
      }
      throw err;
    }
    for (const s of moved) removeQuietly(aside + s);
  }

  /** Copies a backup to any folder (a USB drive), synced, under its own name; checks the copy's bytes. */
  async exportTo(file: string, folder: string): Promise<string> {
    const src = this.resolve(file);
    await openArchive(src);
    const dest = uniquePath(folder, path.basename(src, BACKUP_EXTENSION), BACKUP_EXTENSION);
    await this.copyFile(src, dest);
    return dest;
  }

  /** Verifies a backup from anywhere and copies it into backups/, where it is listed and restorable. */
  async importFrom(file: string): Promise<BackupInfo> {
    const src = path.resolve(file);
    const report = await this.verify(src);
    if (!report.ok) throw new BackupError(report.reason as BackupError['reason'], report.message);
    if (path.dirname(src) === path.resolve(this.deps.paths.backupsDir)) return report.info;
    const dest = uniquePath(this.deps.paths.backupsDir, path.basename(src, BACKUP_EXTENSION), BACKUP_EXTENSION);
    await this.copyFile(src, dest);
    return infoOf(await openArchive(dest));
  }

  private async copyFile(src: string, dest: string): Promise<void> {
    const dir = path.dirname(dest);
    const size = fs.statSync(src).size;
    this.checkSpace(dir, size, 'Copying the backup');
    const tmp = path.join(dir, `${TMP_PREFIX}${path.basename(dest)}.partial`);
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      const srcHash = digestFor('sha256');
      const io = this.io;
      await pipeline(
        fs.createReadStream(src, { highWaterMark: 1 << 20 }),
        new Writable({
          write(chunk: Buffer, _e, cb) {
            try {
              srcHash.update(chunk);
              io.writeSync(fd, chunk);
              cb();
            } catch (err) {
              cb(err as Error);
            }
          },
        }),
      );
      await this.io.fsync(fd);
      fs.closeSync(fd);
      if ((await digestFile(tmp, digestFor('sha256'))) !== srcHash.hex()) {
        throw new BackupError('failed', `The copy at ${dest} does not read back the same; the drive may be failing.`);
      }
      fs.renameSync(tmp, dest);
      fsyncDir(dir);
    } catch (err) {
      try {
        fs.closeSync(fd);
      } catch {
        // already closed
      }
      removeQuietly(tmp);
      throw asBackupError(err, 'Copying the backup');
    }
  }

  async delete(file: string): Promise<void> {
    const target = this.resolve(file);
    if (path.extname(target) !== BACKUP_EXTENSION)
      throw new BackupError('not_found', `${target} is not a backup file.`);
    fs.rmSync(target);
  }

  /**
   * Retention: automatic backups (scheduled and safety) older than `retentionDays` are deleted, as the
   * seed's `find -mtime +30 -delete`, but the newest good backup is always kept. Manual backups stay.
   */
  async prune(retentionDays = this.retentionDays): Promise<string[]> {
    const cutoff = this.deps.clock.now() - retentionDays * DAY_MS;
    const { backups } = await this.list();
    const deleted: string[] = [];
    for (const b of backups.slice(1)) {
      if (b.kind === 'manual') continue;
      if (Date.parse(b.createdAt) < cutoff) {
        fs.rmSync(b.path, { force: true });
        deleted.push(b.path);
      }
    }
    if (deleted.length) this.deps.logger?.info('old backups deleted', { count: deleted.length, retentionDays });
    return deleted;
  }

  /** Removes what a killed backup or restore left behind (only files nobody has written to for an hour). */
  cleanupStale(): string[] {
    const removed: string[] = [];
    const now = Date.now();
    const sweep = (dir: string, match: (n: string) => boolean) => {
      if (!fs.existsSync(dir)) return;
      for (const name of fs.readdirSync(dir)) {
        if (!match(name)) continue;
        const file = path.join(dir, name);
        try {
          if (now - fs.statSync(file).mtimeMs < STALE_TMP_MS) continue;
          fs.rmSync(file, { recursive: true, force: true });
          removed.push(file);
        } catch {
          // gone already
        }
      }
    };
    sweep(this.deps.paths.backupsDir, (n) => n.startsWith(TMP_PREFIX) || n.startsWith('.verify-'));
    sweep(path.dirname(this.deps.paths.dbFile), (n) => n.startsWith('.restore-'));
    return removed;
  }
}

interface CopyFacts {
  schemaVersion: number;
  sessions: number;
  messages: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
}

function countFacts(db: Database.Database): Omit<CopyFacts, 'schemaVersion'> {
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
 * Facts for the manifest, read from the copy itself (a consistent snapshot, unlike the live store).
 * The copy is switched to a rollback journal so it is one self-contained file.
 */
function inspectCopy(file: string): CopyFacts {
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    return { schemaVersion: db.pragma('user_version', { simple: true }) as number, ...countFacts(db) };
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

/**
 * A file's digest on this thread. Synchronous 4 MB reads into one reused buffer run at memory speed (a
 * stream of fresh 1 MB buffers was 2× slower); yielding after each block keeps chat writes flowing.
 */
async function digestFile(file: string, digest: Digest, onBytes?: (done: number) => void): Promise<string> {
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = fs.openSync(file, 'r');
  try {
    let done = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, done);
      if (n === 0) break;
      digest.update(buf.subarray(0, n));
      done += n;
      onBytes?.(done);
      await new Promise((r) => setImmediate(r));
    }
  } finally {
    fs.closeSync(fd);
  }
  return digest.hex();
}

/**
 * Renaming a database another process has open would leave that process writing to the old file.
 * An exclusive lock succeeds only when no other connection (in any process) has the store open.
 */
export function assertNoOtherConnections(file: string): void {
  if (!fs.existsSync(file)) return;
  const db = new Database(file, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 0');
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new BackupError(
        'in_use',
        'Another AERIS-AQ process (the app or `aeris serve`) has the store open. Close it, then restore.',
      );
    }
    throw err;
  } finally {
    db.close();
  }
}
