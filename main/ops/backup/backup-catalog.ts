import { engineMessage } from '../../../preload/shared/engine-messages';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Clock } from '../../core/clock';
import type { ComponentLogger } from '../logger';
import { DAY_MS } from '../time-stamps';
import { BACKUP_EXTENSION } from './archive-format';
import { openArchive } from './archive-reader';
import { BackupError, asBackupError } from './backup-errors';
import { checkSpace, digestFile, fsyncDir, removeQuietly, uniquePath, type BackupIo } from './backup-io';
import { infoOf, type BackupInfo, type DamagedBackup, type VerifyReport } from './backup-types';
import { TMP_PREFIX } from './backup-writer';
import { ownerTag } from './owner-tag';
import { digestFor } from './piece-digest';

interface CatalogDeps {
  backupsDir: string;
  clock: Clock;
  io: BackupIo;
  logger?: ComponentLogger;
  verify: (file: string) => Promise<VerifyReport>;
}

/** The backups folder: what is in it, a file's facts, copies in and out, deletion and retention. */
export class BackupCatalog {
  constructor(private readonly deps: CatalogDeps) {}

  /** A bare name means a file in backups/; anything else is a path. */
  resolve(file: string): string {
    const dir = this.deps.backupsDir;
    if (!file.includes('/') && !file.includes('\\') && fs.existsSync(path.join(dir, file))) {
      return path.join(dir, file);
    }
    return path.resolve(file);
  }

  /** Backups in backups/, newest first, and any files there that are not (or no longer) good backups. */
  async list(): Promise<{ backups: BackupInfo[]; damaged: DamagedBackup[] }> {
    const dir = this.deps.backupsDir;
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
        damaged.push({
          path: file,
          name,
          sizeBytes: size,
          reason: e.reason,
          message: e.message,
          ...(e.text ? { text: e.text } : {}),
        });
      }
    }
    backups.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
    return { backups, damaged };
  }

  /** What a backup holds, from its manifest (cheap: the database is not unpacked, nor the seal checked). */
  async inspect(file: string): Promise<BackupInfo> {
    return infoOf(await openArchive(this.resolve(file)));
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
    const report = await this.deps.verify(src);
    if (!report.ok) throw new BackupError(report.reason as BackupError['reason'], report.message);
    if (path.dirname(src) === path.resolve(this.deps.backupsDir)) return report.info;
    const dest = uniquePath(this.deps.backupsDir, path.basename(src, BACKUP_EXTENSION), BACKUP_EXTENSION);
    await this.copyFile(src, dest);
    return infoOf(await openArchive(dest));
  }

  private async copyFile(src: string, dest: string): Promise<void> {
    const dir = path.dirname(dest);
    const size = fs.statSync(src).size;
    const io = this.deps.io;
    checkSpace(io, dir, size, 'Copying the backup');
    const tmp = path.join(dir, `${TMP_PREFIX}o${ownerTag()}-${path.basename(dest)}.partial`);
    const fd = fs.openSync(tmp, 'w', 0o600);
    try {
      const srcHash = digestFor('sha256');
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
      await io.fsync(fd);
      fs.closeSync(fd);
      if ((await digestFile(tmp, digestFor('sha256'))) !== srcHash.hex()) {
        throw new BackupError(
          'failed',
          `The copy at ${dest} does not read back the same; the drive may be failing.`,
          {},
          engineMessage('backup.readBack', {}),
        );
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
  async prune(retentionDays: number): Promise<string[]> {
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
}
