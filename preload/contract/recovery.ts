/** Recovery mode (issue 11): the store is damaged; restore a verified backup or salvage what can be read. */
import { z } from 'zod';
import { call, EMPTY } from './define';
import type { EngineTextDto } from '../shared/engine-messages';
import { lazy } from '../shared/lazy';

type StoreDamageDto = 'zero_length' | 'missing' | 'bad_header' | 'corrupt' | 'unopenable';

export interface RecoveryBackupDto {
  name: string;
  createdAt: string;
  sessions: number;
  messages: number;
  sizeBytes: number;
  kind: string;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
}

export interface RecoveryStatusDto {
  /** False when the store is fine (the app runs normally). */
  active: boolean;
  damage: StoreDamageDto | null;
  /** In plain words. */
  reason: string | null;
  /** The kind of damage as a message id, for the UI's language (issue 15); `reason` keeps the details in English. */
  reasonText?: EngineTextDto | null;
  /** Epoch ms when the damage was found. */
  since: number | null;
  /** Good backups, newest first (only listed while active). */
  backups: RecoveryBackupDto[];
  /** Files in backups/ that cannot be used, and why. */
  damagedBackups: { name: string; message: string }[];
}

export interface SalvagedTableDto {
  table: string;
  kept: number;
  expected: number | null;
  lost: number | null;
  unreadable: boolean;
}

export interface RecoveryRestoreResultDto {
  restored: RecoveryBackupDto;
  /** The damaged file's new name (kept, never deleted). */
  keptAside: string | null;
}

export interface RecoverySalvageResultDto {
  tables: SalvagedTableDto[];
  headerRepaired: boolean;
  keptAside: string | null;
}

/** A backup by its file name in the data dir's backups folder (no paths). */
const BACKUP_NAME = lazy(() =>
  z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\]+\.aerisbak$/, 'a backup file name from the backups folder')
    .refine((n) => !n.startsWith('.'), 'a backup file name from the backups folder'),
);

export const RECOVERY_CALLS = {
  'recovery.status': call<RecoveryStatusDto>()(() => EMPTY()),
  'recovery.restore': call<RecoveryRestoreResultDto>()(() => z.object({ name: BACKUP_NAME() }).strict()),
  'recovery.salvage': call<RecoverySalvageResultDto>()(() => EMPTY()),
} as const;

/** The calls that still answer in recovery mode (everything else is refused with `store_damaged`). */
export const RECOVERY_MODE_CALLS: readonly string[] = [
  'recovery.status',
  'recovery.restore',
  'recovery.salvage',
  'app.info',
  'health.get',
  'health.detail',
  'settings.get',
];
