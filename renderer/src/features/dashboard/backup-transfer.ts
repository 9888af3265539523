import type { BackupInfoDto } from '../../../../preload/contract';
import type { HttpBridge } from '../../bridge/http-bridge';
import { saveBlob } from '../../lib/save-file';

/** In a browser against `aeris serve`: a listed backup, fetched with the token and saved on this computer. */
export async function downloadBackup(http: Pick<HttpBridge, 'getBlob'>, name: string): Promise<void> {
  const blob = await http.getBlob(`/api/v1/backups/${encodeURIComponent(name)}/download`);
  saveBlob(name, blob);
}

/** In a browser: a backup file from this computer, sent to serve, which verifies it and lists it. */
export function uploadBackup(http: Pick<HttpBridge, 'postRaw'>, file: File): Promise<BackupInfoDto> {
  return http.postRaw<BackupInfoDto>('/api/v1/backups/upload', file, {
    'Content-Type': 'application/octet-stream',
    'X-Filename': encodeURIComponent(file.name),
  });
}
