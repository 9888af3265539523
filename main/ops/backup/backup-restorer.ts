import { engineMessage } from '../../../preload/shared/engine-messages';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openDatabase } from '../../store/database';
import { fileStamp } from '../time-stamps';
import { openArchive } from './archive-reader';
import { BackupError, asBackupError } from './backup-errors';
import type { BackupServiceDeps } from './backup-deps';
import { fsyncDir, removeQuietly } from './backup-io';
import { infoOf, type BackupInfo, type BackupProgress, type RestorePreview, type RestoreResult } from './backup-types';
import type { BackupVerifier } from './backup-verifier';
import { isEmptyStore, type BackupWriter } from './backup-writer';
import { ownerTag } from './owner-tag';
import { clearJournal, SUFFIXES, writeJournal } from './restore-journal';
import { approvedSettings, currentSettings, settingsChanges } from './settings-consent';

export interface RestoreOptions {
  onProgress?: (p: BackupProgress) => void;
  /** Default true: restore the backup's settings (those that need consent only when named in acceptSettings). */
  includeSettings?: boolean;
  /** Settings (keys from the preview's `settingsChanges`) the person agreed to have changed. */
  acceptSettings?: readonly string[];
  /**
   * The store open now is a fresh, empty one that recovery put in place of a damaged store it already kept
   * aside: there is nothing in it to back up or keep, so no safety backup (it would list 0 conversations).
   */
  overFreshStore?: boolean;
}

/** Scratch copies of a restore, next to the store, start with this, then the owner (owner-tag.ts). */
export const RESTORE_PREFIX = '.restore-';

/**
 * Replaces the store with a backup: unpack and check on a scratch copy next to the store, take a safety
 * backup, then swap under a journal (restore-journal.ts) so a crash at any point leaves the old store or the
 * new one, never none. Works when the store will not open (it is kept aside as `<db>.corrupt-…`).
 */
export class BackupRestorer {
  constructor(
    private readonly deps: BackupServiceDeps,
    private readonly verifier: BackupVerifier,
    private readonly writer: BackupWriter,
  ) {}

  /** What a restore of `target` would change: the backup's facts and every setting that would change. */
  async preview(target: string): Promise<RestorePreview> {
    const archive = await openArchive(target);
    const trusted = archive.seal !== null;
    return {
      backup: infoOf(archive),
      settingsTrusted: trusted,
      settingsChanges: settingsChanges(currentSettings(this.deps.paths.configFile), archive.settings, trusted),
    };
  }

  async restore(target: string, opts: RestoreOptions = {}): Promise<RestoreResult> {
    const { paths, logger, clock } = this.deps;
    const dataDir = path.dirname(paths.dbFile);
    const id = `o${ownerTag()}-${clock.now()}-${randomBytes(3).toString('hex')}`;
    const scratch = path.join(dataDir, `${RESTORE_PREFIX}${id}.db`);
    try {
      const archive = await this.verifier.checkInto(target, scratch, () => undefined, opts.onProgress);
      // Upgrade an older schema on the scratch copy (and switch it to WAL), so the swap is only a rename.
      openDatabase(scratch).close();
      this.assertNotBusy();
      opts.onProgress?.({ phase: 'safety', done: 0, total: 1 });
      const safety = opts.overFreshStore ? null : await this.safetyBackup();
      opts.onProgress?.({ phase: 'safety', done: 1, total: 1 });
      this.assertNotBusy();
      opts.onProgress?.({ phase: 'swap', done: 0, total: 1 });
      const keepAside = safety === null && !opts.overFreshStore;
      const aside = keepAside
        ? `${paths.dbFile}.corrupt-${fileStamp(clock.now())}-${id}`
        : `${paths.dbFile}.replaced-${id}`;
      this.swapIn(scratch, aside, keepAside);
      opts.onProgress?.({ phase: 'swap', done: 1, total: 1 });
      const settings = this.applySettings(archive.settings, archive.seal !== null, opts);
      const restored = infoOf(archive);
      const damagedStoreKeptAt = keepAside && fs.existsSync(aside) ? aside : null;
      logger?.info('backup restored', {
        path: target,
        safetyBackup: safety?.path ?? null,
        damagedStoreKeptAt,
        sessions: restored.sessions,
        settingsApplied: settings.applied,
        settingsKept: settings.kept,
      });
      return {
        restored,
        safetyBackup: safety,
        damagedStoreKeptAt,
        settingsRestored: settings.applied.length > 0,
        settingsApplied: settings.applied,
        settingsKept: settings.kept,
      };
    } catch (err) {
      const e = asBackupError(err, 'The restore');
      logger?.error('restore refused', { path: target, reason: e.reason, error: e.message });
      throw e;
    } finally {
      removeQuietly(scratch, `${scratch}-wal`, `${scratch}-shm`, `${scratch}-journal`);
    }
  }

  /** A backup of the store as it is; null when there is none to take (missing, empty or damaged store). */
  private async safetyBackup(): Promise<BackupInfo | null> {
    const db = this.deps.paths.dbFile;
    if (!fs.existsSync(db)) return null;
    if (!this.deps.host.isOpen && isEmptyStore(db)) return null;
    try {
      this.deps.host.current();
    } catch (err) {
      // It will not open at all (garbage over its header, a broken index): nothing to back up; kept aside.
      this.deps.logger?.warn('restoring over a store that does not open; it is kept aside', {
        error: (err as Error).message,
      });
      return null;
    }
    try {
      return await this.writer.create({ kind: 'safety' });
    } catch (err) {
      if (err instanceof BackupError && err.reason === 'source_corrupt') {
        this.deps.logger?.warn('restoring over a damaged store; it is kept aside', { error: err.message });
        return null;
      }
      throw err;
    }
  }

  private applySettings(
    backup: Record<string, unknown> | null,
    trusted: boolean,
    opts: RestoreOptions,
  ): { applied: string[]; kept: string[] } {
    const apply = this.deps.applySettings;
    if (!(opts.includeSettings ?? true) || !backup || !apply) return { applied: [], kept: [] };
    const changes = settingsChanges(currentSettings(this.deps.paths.configFile), backup, trusted);
    const approved = approvedSettings(changes, opts.acceptSettings ?? []);
    const applied = Object.keys(approved.apply);
    if (applied.length === 0) return { applied, kept: approved.kept };
    try {
      apply(approved.apply);
      return { applied, kept: approved.kept };
    } catch (err) {
      this.deps.logger?.warn('restored backup’s settings were not applied', { error: String(err) });
      return { applied: [], kept: changes.map((c) => c.key) };
    }
  }

  assertNotBusy(): void {
    if (this.deps.isBusy?.()) {
      throw new BackupError(
        'busy',
        'A reply is still being written. Stop it or wait for it to finish, then restore.',
        {},
        engineMessage('backup.replyInProgress', {}),
      );
    }
  }

  /**
   * close → journal → move the old files aside → rename the checked copy in → reopen; any failure puts the
   * old store back. A crash in between is finished or undone by `recoverInterruptedRestore` at next start.
   */
  private swapIn(scratch: string, aside: string, keepAside: boolean): void {
    const { host, paths, onSwapStep } = this.deps;
    const db = paths.dbFile;
    const moved: string[] = [];
    let swapped = false;
    const putBack = () => {
      for (const s of SUFFIXES) if (!moved.includes(s)) removeQuietly(db + s);
      for (const s of moved) fs.renameSync(aside + s, db + s);
      fsyncDir(path.dirname(db));
      clearJournal(db);
    };
    try {
      host.reopen(() => {
        assertNoOtherConnections(db);
        writeJournal({ db, aside, scratch, keepAside });
        onSwapStep?.('journal-written');
        try {
          for (const s of SUFFIXES) {
            if (fs.existsSync(db + s)) {
              fs.renameSync(db + s, aside + s);
              moved.push(s);
            }
          }
          fsyncDir(path.dirname(db));
          onSwapStep?.('old-moved-aside');
          fs.renameSync(scratch, db);
          fsyncDir(path.dirname(db));
          swapped = true;
          onSwapStep?.('copy-moved-in');
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
      clearJournal(db);
      throw err;
    }
    if (!keepAside) for (const s of moved) removeQuietly(aside + s);
    clearJournal(db);
  }
}

/**
 * Renaming a database another process has open would leave that process writing to the old file.
 * An exclusive lock succeeds only when no other connection (in any process) has the store open.
 * A file SQLite cannot read as a database (a damaged store) cannot be locked this way; it is swapped.
 */
export function assertNoOtherConnections(file: string): void {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return;
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { fileMustExist: true });
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
    if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) return;
    throw err;
  } finally {
    db?.close();
  }
}
