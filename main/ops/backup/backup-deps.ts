import type { Clock } from '../../core/clock';
import type { DataPaths } from '../../core/paths';
import type { ComponentLogger } from '../logger';
import type { BackupIo } from './backup-io';
import type { PieceHashers } from './piece-digest';
import type { SnapshotCopier } from './snapshot-copy';
import type { StoreHost } from '../../store/store-host';

/** A step of a restore's swap, for a test that kills the process there (see kill-restore.test.ts). */
type SwapStep = 'journal-written' | 'old-moved-aside' | 'copy-moved-in';

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
  /** Told at each step of a restore's swap; only tests pass it (to kill the process there). */
  onSwapStep?: (step: SwapStep) => void;
}
