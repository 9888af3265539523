import type { ImportReportDto } from '../../../../preload/contract';
import { BridgeError, getApi, getHttpBridge } from '../../bridge';
import { t } from '../../i18n';

export type ImportFormatChoice = 'auto' | 'purpleair' | 'airqo' | 'generic' | 'openaq';

/**
 * Imports a dropped or picked file however the UI is hosted: Electron hands the engine the file's path;
 * a browser against `aeris serve` uploads the bytes (POST /api/v1/imports). Progress arrives as
 * `imports.progress` events carrying `importId`.
 */
export async function importFile(
  file: File,
  format: ImportFormatChoice,
  importId: string,
  /** IANA zone for timestamps written without one; '' leaves the engine's default (UTC). */
  timeZone = '',
): Promise<ImportReportDto> {
  const api = getApi();
  const fmt = format === 'auto' ? {} : { format };
  const tz = timeZone ? { timeZone } : {};
  const filePath = api.pathForFile?.(file);
  if (filePath) return api.call('imports.run', { path: filePath, importId, ...fmt, ...tz });
  const httpBridge = getHttpBridge();
  if (!httpBridge) throw new BridgeError('unsupported', t('data.import.cannotRead'));
  const query = new URLSearchParams({ importId });
  if (format !== 'auto') query.set('format', format);
  if (timeZone) query.set('tz', timeZone);
  // The engine tells a workbook from a CSV by its bytes; the type only describes the upload.
  const xlsx = /\.xlsx$/i.test(file.name);
  return httpBridge.postRaw<ImportReportDto>(`/api/v1/imports?${query.toString()}`, file, {
    'Content-Type': xlsx ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv',
    'X-Filename': encodeURIComponent(file.name),
  });
}
