import { engineMessage } from '../../../preload/shared/engine-messages';
import type { Clock } from '../../core/clock';
import { AppError, errorMessage } from '../../core/errors';
import type { ComponentLogger } from '../logger';
import type { RecoverableStore } from './recoverable-store';
import type { RecoveryBackup, RecoveryBackups } from './recovery-backups';
import type { RecoveryInfo, RecoveryState } from './recovery-state';
import { salvageInPlace, type SalvageOutcome } from './salvage-in-place';
import { setAside, type SetAside } from './set-aside';

interface RecoveryStatus {
  active: boolean;
  info: RecoveryInfo | null;
  backups: RecoveryBackup[];
  damagedBackups: { name: string; message: string }[];
}

interface RecoveryServiceDeps {
  dbFile: string;
  clock: Clock;
  state: RecoveryState;
  store: RecoverableStore;
  backups: RecoveryBackups;
  logger?: ComponentLogger;
  /** Runs once the engine is out of recovery mode on a good store (background tasks, caches). */
  onRecovered?: () => void;
}

/**
 * The way back from a damaged store without a terminal: restore a verified backup, or salvage every
 * readable row. Either way the damaged file is kept aside, and the engine leaves recovery mode on the
 * good store without a restart.
 */
export class RecoveryService {
  private busy = false;

  constructor(private readonly deps: RecoveryServiceDeps) {}

  async status(): Promise<RecoveryStatus> {
    const info = this.deps.state.current();
    const { backups, damaged } = info ? await this.deps.backups.list() : { backups: [], damaged: [] };
    return { active: info !== null, info, backups, damagedBackups: damaged };
  }

  async restore(name: string): Promise<{ restored: RecoveryBackup; keptAside: string | null }> {
    return this.exclusive(async () => {
      const { backups, store, dbFile, clock, logger } = this.deps;
      const check = await backups.verify(name);
      if (!check.ok) {
        throw new AppError(
          'bad_request',
          `This backup cannot be restored: ${check.message}`,
          {},
          engineMessage('error.backupNotRestorable', { reason: check.message }),
        );
      }
      // A fresh store takes the damaged one's place first, so the restore has a store that opens to replace.
      let aside: SetAside | null = null;
      store.useFile(
        () => {
          aside = setAside(dbFile, clock.now());
        },
        () => aside?.undo(),
      );
      const keptAside = (aside as SetAside | null)?.file ?? null;
      try {
        const restored = await backups.restore(name);
        logger?.info('recovered from a backup', { backup: name, keptAside });
        this.recovered();
        return { restored, keptAside };
      } catch (err) {
        store.useStandIn(() => aside?.undo());
        logger?.error('restore during recovery failed', { backup: name, error: errorMessage(err) });
        throw err instanceof AppError
          ? err
          : new AppError(
              'internal',
              `The restore failed: ${errorMessage(err)}`,
              {},
              engineMessage('error.restoreFailed', { error: errorMessage(err) }),
            );
      }
    });
  }

  async salvage(): Promise<SalvageOutcome> {
    return this.exclusive(async () => {
      const { store, dbFile, clock, logger } = this.deps;
      let outcome: SalvageOutcome;
      try {
        outcome = salvageInPlace(dbFile, clock, (rename) => {
          let aside: SetAside | null = null;
          store.useFile(
            () => {
              aside = rename();
            },
            () => aside?.undo(),
          );
        });
      } catch (err) {
        logger?.error('salvage failed', { error: errorMessage(err) });
        throw new AppError(
          'internal',
          `Salvage failed: ${errorMessage(err)}`,
          {},
          engineMessage('error.salvageFailed', { error: errorMessage(err) }),
        );
      }
      logger?.info('store salvaged', { keptAside: outcome.keptAside, tables: outcome.tables });
      this.recovered();
      return outcome;
    });
  }

  private recovered(): void {
    this.deps.state.leave();
    this.deps.onRecovered?.();
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.deps.state.active) {
      throw new AppError(
        'conflict',
        'The chat history is not damaged: there is nothing to recover.',
        {},
        engineMessage('error.nothingToRecover', {}),
      );
    }
    if (this.busy) {
      throw new AppError(
        'conflict',
        'A restore or salvage is already running.',
        {},
        engineMessage('error.recoveryBusy', {}),
      );
    }
    this.busy = true;
    try {
      return await fn();
    } finally {
      this.busy = false;
    }
  }
}
