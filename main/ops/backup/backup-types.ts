import type { EngineText } from '../../../preload/shared/engine-messages';
import path from 'node:path';
import type { BackupKind } from './archive-format';
import type { OpenedArchive } from './archive-reader';
import type { SettingChangeDto } from '../../../preload/contract/ops';

type BackupPhase = 'copy' | 'compress' | 'checksum' | 'finalize' | 'extract' | 'verify' | 'safety' | 'swap';

export interface BackupProgress {
  phase: BackupPhase;
  /** Pages (copy) or bytes (other phases) done so far, out of `total`. */
  done: number;
  total: number;
}

/** One backup as listed: the manifest's facts plus where the file is and how big. */
export interface BackupInfo {
  path: string;
  name: string;
  sizeBytes: number;
  sha256: string;
  sessions: number;
  messages: number;
  createdAt: string;
  kind: BackupKind;
  appVersion: string;
  schemaVersion: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
  compression: 'gzip' | 'none';
}

export interface DamagedBackup {
  path: string;
  name: string;
  sizeBytes: number;
  reason: string;
  message: string;
  /** `message` as an id for the UI's language (issue 15). */
  text?: EngineText;
}

export type VerifyReport =
  | { ok: true; file: string; info: BackupInfo; checks: string[]; checkTexts: EngineText[] }
  | {
      ok: false;
      file: string;
      reason: string;
      message: string;
      text?: EngineText;
      info: BackupInfo | null;
      checks: string[];
      /** `checks`, line for line, as message ids for the UI's language (issue 15). */
      checkTexts: EngineText[];
    };

/** One setting a restore would change (from `current` to `backup`): the contract's shape, defined once there. */
export type SettingChange = SettingChangeDto;

export interface RestorePreview {
  backup: BackupInfo;
  /** False for backups older than format 3, whose settings no checksum covers. */
  settingsTrusted: boolean;
  settingsChanges: SettingChange[];
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The backup of the store as it was just before the restore; null when that store could not be read. */
  safetyBackup: BackupInfo | null;
  /** Where an unreadable store was moved aside (kept for salvage); null when it was readable. */
  damagedStoreKeptAt: string | null;
  /** True when any setting was applied. */
  settingsRestored: boolean;
  settingsApplied: string[];
  /** Changed settings that needed consent and did not get it: the current values were kept. */
  settingsKept: string[];
}

export const infoOf = (a: OpenedArchive): BackupInfo => ({
  path: a.file,
  name: path.basename(a.file),
  sizeBytes: a.sizeBytes,
  sha256: a.manifest.sha256,
  sessions: a.manifest.sessions,
  messages: a.manifest.messages,
  createdAt: a.manifest.createdAt,
  kind: a.manifest.kind,
  appVersion: a.manifest.appVersion,
  schemaVersion: a.manifest.schemaVersion,
  firstMessageAt: a.manifest.firstMessageAt,
  lastMessageAt: a.manifest.lastMessageAt,
  compression: a.manifest.compression,
});
