/** How large an upload serve mode takes before it answers 413; read from the shell's environment at start. */
export interface UploadLimits {
  /** Sensor files and the original server's database (`AERIS_IMPORT_MAX_BYTES`). */
  importMaxBytes: number;
  /** Backup files brought back through the browser (`AERIS_BACKUP_UPLOAD_MAX_BYTES`). */
  backupUploadMaxBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: Readonly<UploadLimits> = {
  importMaxBytes: 512 * 1024 * 1024,
  backupUploadMaxBytes: 4 * 1024 * 1024 * 1024,
};

/** A positive number of bytes, else the default (unset, empty, zero or not a number). */
function bytes(raw: string | undefined, fallback: number): number {
  const n = Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** `AERIS_IMPORT_MAX_BYTES` and `AERIS_BACKUP_UPLOAD_MAX_BYTES` from `env`, each defaulted on its own. */
export function uploadLimitsFromEnv(env: NodeJS.ProcessEnv): UploadLimits {
  return {
    importMaxBytes: bytes(env.AERIS_IMPORT_MAX_BYTES, DEFAULT_UPLOAD_LIMITS.importMaxBytes),
    backupUploadMaxBytes: bytes(env.AERIS_BACKUP_UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_LIMITS.backupUploadMaxBytes),
  };
}
