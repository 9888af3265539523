import type { CatalogModelDto, FitVerdictDto } from '../../../../preload/contract';
import { t } from '../../i18n';
import { fitReasonText } from '../../i18n/engine-text';

/** A labelled progress bar; `value` null draws a moving stripe for work of unknown length. */
export function ProgressBar({
  value,
  label,
  thin,
  tone,
}: {
  value: number | null;
  label: string;
  thin?: boolean;
  tone?: 'ok' | 'warn' | 'bad' | 'idle';
}) {
  const pct = value === null ? null : Math.max(0, Math.min(100, value));
  return (
    <div
      className={`mp-bar${thin ? ' thin' : ''}${pct === null ? ' indeterminate' : ''}${tone ? ` tone-${tone}` : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct ?? undefined}
    >
      <div style={pct === null ? undefined : { width: `${pct}%` }} />
    </div>
  );
}

const verdictText = (v: FitVerdictDto): string => t(`models.verdict.${v}`);
const verdictHelp = (v: FitVerdictDto): string => t(`models.verdictHelp.${v}`);

function fitLabel(m: Pick<CatalogModelDto, 'verdict' | 'gpuFraction'>): string {
  return m.verdict === 'partial'
    ? `${verdictText('partial')} · ${Math.round(m.gpuFraction * 100)}% GPU`
    : verdictText(m.verdict);
}

/** Green full GPU, amber partial (with the share), grey CPU only, red too large. */
export function FitBadge({
  fit,
  small,
}: {
  fit: Pick<CatalogModelDto, 'verdict' | 'gpuFraction' | 'tight' | 'reason' | 'reasonText' | 'basis'>;
  small?: boolean;
}) {
  const basis = fit.basis === 'measured' ? ` ${t('models.measured')}` : '';
  return (
    <span
      className={`mp-fit fit-${fit.verdict}${small ? ' small' : ''}`}
      title={`${verdictHelp(fit.verdict)} ${fitReasonText(fit)}${basis}`}
    >
      <span className="mp-fit-dot" aria-hidden />
      {fitLabel(fit)}
      {fit.verdict === 'full-gpu' && fit.tight ? ` (${t('models.tight')})` : ''}
    </span>
  );
}

const CAPS = ['tools', 'vision', 'thinking', 'embedding', 'insert', 'completion'] as const;
type Cap = (typeof CAPS)[number];
const known = (c: string): c is Cap => (CAPS as readonly string[]).includes(c);
const capText = (c: string): string => (known(c) ? t(`models.caps.${c}`) : c);
const capHelp = (c: string): string => (known(c) ? t(`models.capsHelp.${c}`) : c);

export function Capabilities({ caps }: { caps: string[] }) {
  if (caps.length === 0) return <span className="muted small">{t('models.unknown')}</span>;
  const order = ['tools', 'completion', 'vision', 'thinking', 'embedding', 'insert'];
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  const sorted = [...caps].sort((a, b) => rank(a) - rank(b));
  return (
    <span className="mp-caps">
      {sorted.map((c) => (
        <span key={c} className={`mp-cap cap-${c}`} title={capHelp(c)}>
          {capText(c)}
        </span>
      ))}
    </span>
  );
}

/** An error from the engine, in its own words, with what it concerns. */
export function ErrorLine({ text, title }: { text: string; title?: string }) {
  return (
    <div className="mp-error" role="alert">
      {title && <strong>{title} </strong>}
      {text}
    </div>
  );
}
