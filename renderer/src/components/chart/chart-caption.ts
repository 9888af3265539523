import type { ChartProvenanceDto } from '../../../../preload/contract';
import { currentLanguage, t } from '../../i18n';

/** "10 Jan 14:00" in the viewer's time zone, or null for a time that does not parse. */
function when(iso: string | null): string | null {
  if (!iso) return null;
  const d = new Date(iso);
  const lang = currentLanguage();
  // A period ("2026-10-31 to 2026-11-29") is shown as written.
  if (Number.isNaN(d.getTime()) || / to /.test(iso)) return iso;
  return `${d.toLocaleDateString(lang, { day: 'numeric', month: 'short' })} ${d.toLocaleTimeString(lang, {
    hour: '2-digit',
    minute: '2-digit',
  })}`;
}

/**
 * The line under a chart that names its data: source, station or site, time, and live, cached (with its age)
 * or imported. Charts saved before provenance existed have none (null); a chart whose values no tool supplied
 * says so instead of borrowing a source.
 */
export function chartCaption(p: ChartProvenanceDto | undefined): string | null {
  if (!p) return null;
  if (p.status === 'unsourced') return t('chart.caption.unsourced');
  // The cache note is the engine's own sentence, passed through.
  const freshness =
    p.status === 'cached'
      ? (p.cacheNote ?? t('chart.caption.cached'))
      : t(p.status === 'imported' ? 'chart.caption.imported' : 'chart.caption.live');
  return [
    t('chart.caption.source', { source: p.source ?? t('chart.caption.unknown') }),
    p.place,
    when(p.time),
    freshness,
  ]
    .filter(Boolean)
    .join(' · ');
}
