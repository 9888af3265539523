import { systemClock, type Clock } from '../../core/clock';
import { dataPaths, ensureDataDirs } from '../../core/paths';
import { openStore } from '../../store/store';
import { BackupService } from './backup-service';
import { StoreHost } from './store-host';

/**
 * A BackupService over a data dir without the rest of the engine (the CLI's `aeris backup`).
 * Another process with the store open (the app) is detected at restore time and refused.
 */
export function openStandaloneBackups(
  dataDir: string,
  clock: Clock = systemClock,
): { backups: BackupService; close(): void } {
  const paths = dataPaths(dataDir);
  ensureDataDirs(paths);
  const host = new StoreHost(() => openStore(paths.dbFile, clock));
  const backups = new BackupService({ host, paths, clock });
  return { backups, close: () => host.current().close() };
}
