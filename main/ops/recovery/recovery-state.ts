import { engineMessage } from '../../../preload/shared/engine-messages';
import { AppError } from '../../core/errors';
import type { StoreDamage } from '../../store/store-check';

export interface RecoveryInfo {
  damage: StoreDamage;
  /** In plain words, for the recovery screen, `/health` and `aeris health`. */
  reason: string;
  /** Epoch ms when the damage was found. */
  since: number;
}

/** Whether the engine runs in recovery mode (the store is damaged) and why. One per engine. */
export class RecoveryState {
  private info: RecoveryInfo | null = null;
  private readonly listeners = new Set<(info: RecoveryInfo | null) => void>();

  get active(): boolean {
    return this.info !== null;
  }

  current(): RecoveryInfo | null {
    return this.info;
  }

  enter(info: RecoveryInfo): void {
    this.info = info;
    for (const fn of this.listeners) fn(info);
  }

  leave(): void {
    if (!this.info) return;
    this.info = null;
    for (const fn of this.listeners) fn(null);
  }

  onChange(fn: (info: RecoveryInfo | null) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
}

/** Said to every caller in recovery mode, over IPC, the bridge and the seed API alike. */
export function storeDamagedError(reason: string): AppError {
  return new AppError(
    'store_damaged',
    `The chat history is damaged, so AERIS-AQ is in recovery mode: ${reason} Open the app to restore a backup or salvage what can be read (or run \`aeris store salvage\`).`,
    {},
    engineMessage('error.storeDamaged', { reason }),
  );
}
