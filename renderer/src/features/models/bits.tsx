import type { CatalogModelDto, FitVerdictDto } from '../../../../preload/contract';

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

const VERDICT_TEXT: Record<FitVerdictDto, string> = {
  'full-gpu': 'Full GPU',
  partial: 'Partial',
  cpu: 'CPU only',
  'too-large': 'Too large',
};

const VERDICT_HELP: Record<FitVerdictDto, string> = {
  'full-gpu': 'Fits entirely in your graphics card memory: fast.',
  partial: 'Part of it runs on the graphics card, the rest in RAM: slower.',
  cpu: 'Runs on the processor in RAM only: slow, but it works.',
  'too-large': 'Needs more memory than this computer has free.',
};

function fitLabel(m: Pick<CatalogModelDto, 'verdict' | 'gpuFraction'>): string {
  return m.verdict === 'partial' ? `Partial · ${Math.round(m.gpuFraction * 100)}% GPU` : VERDICT_TEXT[m.verdict];
}

/** Green full GPU, amber partial (with the share), grey CPU only, red too large. */
export function FitBadge({
  fit,
  small,
}: {
  fit: Pick<CatalogModelDto, 'verdict' | 'gpuFraction' | 'tight' | 'reason' | 'basis'>;
  small?: boolean;
}) {
  const basis = fit.basis === 'measured' ? ' Measured on this computer when Ollama last loaded it.' : '';
  return (
    <span
      className={`mp-fit fit-${fit.verdict}${small ? ' small' : ''}`}
      title={`${VERDICT_HELP[fit.verdict]} ${fit.reason}${basis}`}
    >
      <span className="mp-fit-dot" aria-hidden />
      {fitLabel(fit)}
      {fit.verdict === 'full-gpu' && fit.tight ? ' (tight)' : ''}
    </span>
  );
}

const CAP_TEXT: Record<string, string> = {
  tools: 'tools',
  vision: 'vision',
  thinking: 'thinking',
  embedding: 'embedding',
  insert: 'insert',
  completion: 'chat',
};

const CAP_HELP: Record<string, string> = {
  tools: 'Can call tools: the assistant can fetch live air-quality data with it.',
  vision: 'Understands images.',
  thinking: 'Can reason step by step before answering.',
  embedding: 'Makes embeddings for search; not a chat model.',
  completion: 'Chat and text completion.',
  insert: 'Fill-in-the-middle for code.',
};

export function Capabilities({ caps }: { caps: string[] }) {
  if (caps.length === 0) return <span className="muted small">unknown</span>;
  const order = ['tools', 'completion', 'vision', 'thinking', 'embedding', 'insert'];
  const rank = (c: string) => (order.includes(c) ? order.indexOf(c) : order.length);
  const sorted = [...caps].sort((a, b) => rank(a) - rank(b));
  return (
    <span className="mp-caps">
      {sorted.map((c) => (
        <span key={c} className={`mp-cap cap-${c}`} title={CAP_HELP[c] ?? c}>
          {CAP_TEXT[c] ?? c}
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
