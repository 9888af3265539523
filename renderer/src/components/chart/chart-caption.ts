import type { ChartProvenanceDto } from '../../../../preload/contract';

/** "10 Jan 14:00" in the viewer's time zone, or null for a time that does not parse. */
function when(iso: string | null): string | null {
  if (!iso) return null;
  const t = new Date(iso);
  // A period ("2026-10-31 to 2026-11-29") is shown as written.
  if (Number.isNaN(t.getTime()) || / to /.test(iso)) return iso;
  return `${t.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${t.toLocaleTimeString(undefined, {
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
  if (p.status === 'unsourced') return 'Source: not stated (the values were written in the answer, not fetched)';
  const freshness = p.status === 'cached' ? (p.cacheNote ?? 'cached') : p.status === 'imported' ? 'imported' : 'live';
  return [`Source: ${p.source ?? 'unknown'}`, p.place, when(p.time), freshness].filter(Boolean).join(' · ');
}
