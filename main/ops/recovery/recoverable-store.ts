import fs from 'node:fs';
import type { Clock } from '../../core/clock';
import { errorMessage } from '../../core/errors';
import { openStore, type Store } from '../../store/store';
import type { BackgroundWriteHooks } from '../../store/messages-repository';
import {
  checkStoreFile,
  isCorruptionError,
  markStoreCreated,
  quickCheckOnOpen,
  StoreDamagedError,
  storeMarkerFile,
} from '../../store/store-check';
import type { Db } from '../../store/database';
import { StoreHost } from '../../store/store-host';
import type { RecoveryState } from './recovery-state';

/**
 * Above this size the start-up quick_check is skipped (the header is still checked, and the background check
 * runs quick_check at once on a worker instead). Measured on a 2-core machine under load: 16 MB (20k
 * messages) 60–150 ms, 61 MB 580–680 ms, 227 MB 850–920 ms; the header check alone is under 1 ms.
 */
export const START_QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024;

interface RecoverableStoreDeps {
  dbFile: string;
  clock: Clock;
  state: RecoveryState;
  /** True when onboarding was completed: an empty store file then means lost history, not a new install. */
  onboardingDone: () => boolean;
  startQuickCheckMaxBytes?: number;
  /** Told about the store's own background writes (the disk-full state listens). */
  hooks?: BackgroundWriteHooks;
}

/**
 * Opens the store through a StoreHost, but never lets a damaged store throw out of the engine: a store that
 * fails the start-up check (or will not open) puts the engine in recovery mode, and the host holds an empty
 * in-memory stand-in meanwhile (so the services built on the host stay valid; the shells refuse their calls).
 * `useFile` switches the host back to the real file after a restore or a salvage, without a restart.
 */
export class RecoverableStore {
  readonly host: StoreHost;
  private standIn: boolean;

  constructor(private readonly deps: RecoverableStoreDeps) {
    const first = this.tryOpen();
    this.standIn = first === null;
    let pending: Store | null = first ?? openStandIn(deps.clock);
    this.host = new StoreHost(() => {
      if (pending) {
        const s = pending;
        pending = null;
        return s;
      }
      return this.standIn ? openStandIn(this.deps.clock) : this.openFile();
    });
  }

  /** The real store file is what the host holds (not the stand-in). */
  get onFile(): boolean {
    return !this.standIn;
  }

  private openFile(check?: (db: Db) => void): Store {
    const store = openStore(this.deps.dbFile, this.deps.clock, this.deps.hooks, { check });
    markStoreCreated(this.deps.dbFile);
    return store;
  }

  /** The start-up check, then the real open; on damage, recovery mode with the reason and null. */
  private tryOpen(): Store | null {
    const { dbFile, clock, state } = this.deps;
    const marker = fs.existsSync(storeMarkerFile(dbFile));
    const exists = fs.existsSync(dbFile);
    const size = exists ? fs.statSync(dbFile).size : 0;
    // The file's presence and header here; its pages (quick_check) on the store's own connection as it opens.
    const check = checkStoreFile(dbFile, {
      existedBefore: marker || (exists && this.deps.onboardingDone()),
      skipQuickCheck: true,
    });
    if (!check.ok) {
      state.enter({ damage: check.damage, reason: check.message, since: clock.now() });
      return null;
    }
    const quick = exists && size <= (this.deps.startQuickCheckMaxBytes ?? START_QUICK_CHECK_MAX_BYTES);
    try {
      return this.openFile(quick ? quickCheckOnOpen : undefined);
    } catch (err) {
      if (err instanceof StoreDamagedError) {
        state.enter({ damage: 'corrupt', reason: err.message, since: clock.now() });
        return null;
      }
      state.enter({
        damage: isCorruptionError(err) ? 'corrupt' : 'unopenable',
        reason: `The chat history file cannot be opened (${errorMessage(err)}).`,
        since: clock.now(),
      });
      return null;
    }
  }

  /** Damage found while running: stop using the file (nothing more is written into it) and hold the stand-in. */
  enterRecovery(reason: string): void {
    this.deps.state.enter({ damage: 'corrupt', reason, since: this.deps.clock.now() });
    if (this.standIn) return;
    this.standIn = true;
    this.host.reopen(() => undefined);
  }

  /**
   * Runs `swap` (which puts a good file in place) with the store closed, then opens the real file.
   * If the file will not open, the stand-in is put back, `undo` runs, and the error is rethrown.
   */
  useFile(swap: () => void, undo: () => void): void {
    this.standIn = false;
    try {
      this.host.reopen(swap);
    } catch (err) {
      this.standIn = true;
      this.host.reopen(undo);
      throw err;
    }
  }

  /** Back to the stand-in (a restore failed after the real file was opened): `undo` runs with the store closed. */
  useStandIn(undo: () => void): void {
    this.standIn = true;
    this.host.reopen(undo);
  }
}

function openStandIn(clock: Clock): Store {
  return openStore(':memory:', clock);
}
