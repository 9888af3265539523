import { engineText } from '../../i18n/engine-text';
import type { AerisApi, LegacyImportReportDto } from '../../../../preload/contract';
import { BridgeError, type HttpBridge } from '../../bridge/http-bridge';
import { t } from '../../i18n';
import { formatNumber } from '../../lib/format';

/**
 * Imports the original AERIS-AQ server's database however the UI is hosted: the desktop app hands the engine
 * the picked file's path (through the preload); a browser against `aeris serve` uploads the bytes
 * (POST /api/v1/imports/legacy), which the server keeps in its uploads folder only while it reads them.
 */
export async function importLegacyHistory(
  file: File,
  api: AerisApi,
  http: Pick<HttpBridge, 'postRaw'> | null,
): Promise<LegacyImportReportDto> {
  const filePath = api.pathForFile?.(file);
  if (filePath) return api.call('imports.legacy', { path: filePath });
  if (!http) throw new BridgeError('unsupported', t('wizard.history.cannotRead'));
  return http.postRaw<LegacyImportReportDto>('/api/v1/imports/legacy', file, {
    'Content-Type': 'application/vnd.sqlite3',
    'X-Filename': encodeURIComponent(file.name),
  });
}

/** The report in words: what came in, and what was left out and why. */
export function legacyReportWords(r: LegacyImportReportDto): { title: string; detail: string | null } {
  const title =
    r.sessions === 0 && r.messages === 0
      ? t('wizard.history.nothingNew')
      : t('wizard.history.imported', {
          conversations: t('wizard.history.conversations', { count: r.sessions }),
          messages: t('wizard.history.messages', { count: r.messages }),
        });
  // The reasons in the UI's language from their message ids; the engine's English for any without one.
  const why = Object.entries(r.reasons).map(
    ([reason, n]) => `${formatNumber(n)} × ${engineText(r.reasonTexts?.[reason], reason)}`,
  );
  const detail =
    r.skipped > 0
      ? t('wizard.history.skipped', { rows: t('wizard.history.rows', { count: r.skipped }), why: why.join(', ') })
      : null;
  return { title, detail };
}
