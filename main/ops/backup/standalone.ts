import { systemClock, type Clock } from '../../core/clock';
import { dataPaths, ensureDataDirs } from '../../core/paths';
import { SettingsPatchSchema, SettingsService } from '../../settings/settings-service';
import { openStore } from '../../store/store';
import { quickCheckOnOpen } from '../../store/store-check';
import type { ComponentLogger } from '../logger';
import { BackupService } from './backup-service';
import { recoverInterruptedRestore, type Recovery } from './restore-journal';
import { StoreHost } from '../../store/store-host';

interface StandaloneBackups {
  backups: BackupService;
  /** What was done about a restore cut short before this call (`none` almost always). */
  recovery: Recovery;
  /** Closes the store if anything opened it. */
  close: () => void;
}

/**
 * A BackupService over a data dir without the rest of the engine: the CLI's `aeris backup`, and a
 * recovery screen for a store that will not open.
 *
 * It never opens the live store until an operation needs it: `list`, `inspect`, `previewRestore` and
 * `verify` never do, so they work when the store is damaged (garbage header, zero bytes) or missing.
 * `create` opens it with a full quick_check (a one-shot command has no hourly check behind it, as the app
 * has) and refuses a damaged one as `source_corrupt`. `restore` opens it only to take the
 * safety backup; when it will not open, the restore still goes ahead and keeps the damaged file aside as
 * `<db>.corrupt-…` (`RestoreResult.damagedStoreKeptAt`). A restore still refuses (`in_use`) while another
 * process has a readable store open.
 *
 * Before anything, a restore that was cut short (a crash between its renames) is finished or rolled back,
 * and leftovers of killed backups whose process is gone are swept.
 */
export function openStandaloneBackups(
  dataDir: string,
  clock: Clock = systemClock,
  opts: { logger?: ComponentLogger } = {},
): StandaloneBackups {
  const paths = dataPaths(dataDir);
  ensureDataDirs(paths);
  const recovery = recoverInterruptedRestore(paths.dbFile);
  if (recovery.action !== 'none') opts.logger?.warn('interrupted restore', { ...recovery });
  const host = new StoreHost(() => openStore(paths.dbFile, clock, {}, { check: quickCheckOnOpen }), { lazy: true });
  const backups = new BackupService({
    host,
    paths,
    clock,
    logger: opts.logger,
    applySettings: (s) => {
      const p = SettingsPatchSchema().safeParse(s);
      if (p.success) new SettingsService(paths.configFile).update(p.data);
    },
  });
  backups.cleanupStale();
  return { backups, recovery, close: () => host.close() };
}
