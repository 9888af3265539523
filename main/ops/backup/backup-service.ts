import fs from 'node:fs';
import { BackupCatalog } from './backup-catalog';
import type { BackupServiceDeps } from './backup-deps';
import { BackupError } from './backup-errors';
import { nodeBackupIo } from './backup-io';
import { BackupRestorer, type RestoreOptions } from './backup-restorer';
import type {
  BackupInfo,
  BackupProgress,
  DamagedBackup,
  RestorePreview,
  RestoreResult,
  VerifyReport,
} from './backup-types';
import { BackupVerifier } from './backup-verifier';
import { BackupWriter, type CreateOptions } from './backup-writer';
import { sweepDebris } from './debris';

export type { BackupServiceDeps } from './backup-deps';
export type {
  BackupInfo,
  BackupProgress,
  DamagedBackup,
  RestorePreview,
  RestoreResult,
  SettingChange,
  VerifyReport,
} from './backup-types';
export type { CreateOptions } from './backup-writer';
export type { RestoreOptions } from './backup-restorer';
export { assertNoOtherConnections } from './backup-restorer';

/**
 * Backups of the store, one facade over four parts: the writer (create), the verifier (verify), the
 * restorer (restore, with its preview) and the catalog (list, inspect, export, import, delete, prune).
 * Every file appears under its final name only when complete, synced and read back. Only `create` and
 * `restore` open the store: list, inspect and verify work on a data dir whose store is damaged.
 */
export class BackupService {
  private readonly writer: BackupWriter;
  private readonly verifier: BackupVerifier;
  private readonly restorer: BackupRestorer;
  private readonly catalog: BackupCatalog;
  private readonly retentionDays: number;
  private running: string | null = null;

  constructor(private readonly deps: BackupServiceDeps) {
    const io = deps.io ?? nodeBackupIo;
    this.retentionDays = deps.retentionDays ?? 30;
    fs.mkdirSync(deps.paths.backupsDir, { recursive: true });
    this.writer = new BackupWriter(deps);
    this.verifier = new BackupVerifier(io, deps.paths.backupsDir);
    this.restorer = new BackupRestorer(deps, this.verifier, this.writer);
    this.catalog = new BackupCatalog({
      backupsDir: deps.paths.backupsDir,
      clock: deps.clock,
      io,
      logger: deps.logger,
      verify: (file) => this.verify(file),
    });
  }

  get backupsDir(): string {
    return this.deps.paths.backupsDir;
  }

  /** Back up now. One backup or restore at a time in this process. A damaged store is refused (source_corrupt). */
  async create(opts: CreateOptions = {}): Promise<BackupInfo> {
    return this.exclusive('a backup', () => this.writer.create(opts));
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

  /** Backups in backups/, newest first, and any files there that are not (or no longer) good backups. */
  list(): Promise<{ backups: BackupInfo[]; damaged: DamagedBackup[] }> {
    return this.catalog.list();
  }

  async lastBackup(): Promise<BackupInfo | null> {
    return (await this.list()).backups[0] ?? null;
  }

  /** What a backup holds, from its manifest (cheap: the database is not unpacked). */
  inspect(file: string): Promise<BackupInfo> {
    return this.catalog.inspect(file);
  }

  /**
   * What restoring `file` would do: its facts, whether its settings are sealed, and every setting that
   * would change (those marked `needsConsent` change only when named in `restore`'s `acceptSettings`).
   */
  previewRestore(file: string): Promise<RestorePreview> {
    return this.restorer.preview(this.catalog.resolve(file));
  }

  /**
   * Full check: footer and manifest, checksum of the unpacked database, the seal over the whole file,
   * `PRAGMA integrity_check`, schema and counts, all on a scratch copy that is removed afterwards.
   * Never throws for a bad file.
   */
  verify(file: string, onProgress?: (p: BackupProgress) => void): Promise<VerifyReport> {
    return this.verifier.verify(this.catalog.resolve(file), onProgress);
  }

  /**
   * Replaces the store with a backup. Refused (nothing changed) while a reply is streaming, when the file
   * is corrupt/truncated/foreign/newer/altered, when another process has the store open, or when the disk
   * is full. Settings that need consent (see previewRestore) keep their current values unless accepted.
   */
  async restore(file: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
    this.restorer.assertNotBusy();
    return this.exclusive('a restore', () => this.restorer.restore(this.catalog.resolve(file), opts));
  }

  exportTo(file: string, folder: string): Promise<string> {
    return this.catalog.exportTo(file, folder);
  }

  importFrom(file: string): Promise<BackupInfo> {
    return this.catalog.importFrom(file);
  }

  delete(file: string): Promise<void> {
    return this.catalog.delete(file);
  }

  prune(retentionDays = this.retentionDays): Promise<string[]> {
    return this.catalog.prune(retentionDays);
  }

  /** Removes what killed or failed backups and restores left behind (whose owning process is gone). */
  cleanupStale(): string[] {
    const removed = sweepDebris(this.deps.paths);
    if (removed.length) this.deps.logger?.info('leftovers of interrupted backups removed', { files: removed });
    return removed;
  }
}
