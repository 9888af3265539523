/**
 * The one place recovery touches backups. Recovery needs only to list backups with their facts, verify one,
 * and restore it into a store that opens; everything here goes through BackupService's public methods.
 * (When BackupService can restore over an unopenable store by itself, `restore` below can call it directly.)
 */
import type { BackupService } from '../backup/backup-service';

export interface RecoveryBackup {
  name: string;
  path: string;
  createdAt: string;
  sessions: number;
  messages: number;
  sizeBytes: number;
  kind: string;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
}

export interface RecoveryBackups {
  list(): Promise<{ backups: RecoveryBackup[]; damaged: { name: string; message: string }[] }>;
  /** Full check on a scratch copy; the live store is not touched. */
  verify(name: string): Promise<{ ok: true; info: RecoveryBackup } | { ok: false; message: string }>;
  /** Restores over the store open now (recovery first puts a fresh, empty store in place). */
  restore(name: string): Promise<RecoveryBackup>;
}

const toRecovery = (b: RecoveryBackup): RecoveryBackup => ({
  name: b.name,
  path: b.path,
  createdAt: b.createdAt,
  sessions: b.sessions,
  messages: b.messages,
  sizeBytes: b.sizeBytes,
  kind: b.kind,
  firstMessageAt: b.firstMessageAt,
  lastMessageAt: b.lastMessageAt,
});

export function recoveryBackupsFrom(backups: () => BackupService): RecoveryBackups {
  return {
    async list() {
      const { backups: good, damaged } = await backups().list();
      return {
        backups: good.map(toRecovery),
        damaged: damaged.map((d) => ({ name: d.name, message: d.message })),
      };
    },
    async verify(name) {
      const report = await backups().verify(name);
      return report.ok ? { ok: true, info: toRecovery(report.info) } : { ok: false, message: report.message };
    },
    async restore(name) {
      // Settings stay as they are: recovery is about the chat history, and settings are not damaged.
      // The damaged store is already kept aside, so the fresh one in its place needs no safety backup.
      const result = await backups().restore(name, { includeSettings: false, overFreshStore: true });
      return toRecovery(result.restored);
    },
  };
}
