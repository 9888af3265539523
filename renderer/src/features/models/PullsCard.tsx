import type { PullSnapshotDto, PullStateDto } from '../../../../preload/contract';
import { useModels } from '../../stores/models-store';
import { ProgressBar } from './bits';
import { diskSize } from '../../lib/format';
import { eta, speed } from './units';
import { t } from '../../i18n';
import { formatNumber } from '../../lib/format';

const stateText = (s: PullStateDto): string => t(`models.pulls.state.${s}`);

function statusLine(p: PullSnapshotDto): string {
  if (p.state === 'queued')
    return p.queuePosition ? t('models.pulls.inLine', { n: p.queuePosition }) : stateText('queued');
  if (p.state === 'success') return `${stateText('success')} · ${diskSize(p.totalBytes)}`;
  const parts: string[] = [];
  if (p.totalBytes > 0)
    parts.push(t('wizard.model.of', { done: diskSize(p.completedBytes), total: diskSize(p.totalBytes) }));
  if (p.state === 'pulling') {
    if (p.bytesPerSecond > 0) parts.push(speed(p.bytesPerSecond));
    const left = eta(p.etaSeconds);
    if (left) parts.push(left);
    if (!parts.length) parts.push(p.status || t('wizard.model.starting'));
  } else if (p.resumable) parts.push(t('models.pulls.resumeNote'));
  return parts.join(' · ');
}

function PullRow({ p }: { p: PullSnapshotDto }) {
  const { cancel, resume, discard, hidePull } = useModels.getState();
  const active = p.state === 'pulling' || p.state === 'queued';
  const tone =
    p.state === 'failed'
      ? 'bad'
      : p.state === 'cancelled' || p.state === 'interrupted'
        ? 'idle'
        : p.state === 'success'
          ? 'ok'
          : undefined;
  // Layers already on disk before this pull (the config, a shared base) are done from the start; show the big ones.
  const layers = p.layers.filter((l) => l.total > 0);
  return (
    <li
      className={`mp-pull state-${p.state}`}
      data-testid={`pull-${p.name}`}
      aria-label={t('models.pulls.of', { name: p.name })}
    >
      <div className="mp-pull-head">
        <strong className="mp-pull-name">{p.name}</strong>
        <span className={`mp-chip state-${p.state}`}>{stateText(p.state)}</span>
        {p.percent !== null && p.state !== 'success' && (
          <span className="mp-pull-pct">
            {formatNumber(p.percent / 100, { style: 'percent', maximumFractionDigits: p.percent < 10 ? 1 : 0 })}
          </span>
        )}
        <span className="mp-spacer" />
        {active && (
          <button className="btn" onClick={() => void cancel(p.name)}>
            {t('common.cancel')}
          </button>
        )}
        {!active && p.state !== 'success' && p.resumable && (
          <>
            <button className="btn btn-primary" onClick={() => void resume(p.name)}>
              {t('models.pulls.resume')}
            </button>
            <button className="btn" onClick={() => void discard(p.name)} title={t('models.pulls.forgetTitle')}>
              {t('models.pulls.forget')}
            </button>
          </>
        )}
        {!active && (p.state === 'success' || !p.resumable) && (
          <button
            className="icon-btn"
            aria-label={t('models.pulls.close', { name: p.name })}
            onClick={() => (p.state === 'success' ? hidePull(p.name) : void discard(p.name))}
          >
            ×
          </button>
        )}
      </div>
      <ProgressBar
        value={p.state === 'success' ? 100 : (p.percent ?? (p.state === 'pulling' ? null : 0))}
        label={t('wizard.model.total', { model: p.name })}
        tone={tone}
      />
      <div className="mp-pull-status muted small">{statusLine(p)}</div>
      {p.error && <div className="mp-error small">{p.error}</div>}
      {p.state === 'pulling' && layers.length > 0 && (
        <ul className="mp-layers" aria-label={t('models.pulls.layers', { name: p.name })}>
          {layers.map((l) => (
            <li key={l.digest}>
              <code title={l.digest}>{l.digest.replace('sha256:', '').slice(0, 12)}</code>
              <ProgressBar
                thin
                value={(l.completed / l.total) * 100}
                label={t('models.pulls.layer', { digest: l.digest.slice(7, 19) })}
              />
              <span className="muted small">
                {diskSize(l.completed)} / {diskSize(l.total)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** Downloads in progress, waiting, and unfinished ones (also from before a restart) to resume. */
export function PullsCard() {
  const pulls = useModels((s) => s.pulls);
  const hidden = useModels((s) => s.hiddenPulls);
  const list = Object.values(pulls)
    .filter((p) => !(p.name in hidden && hidden[p.name]! >= p.updatedAt))
    .sort((a, b) => b.startedAt - a.startedAt);
  if (list.length === 0) return null;
  const unfinished = list.filter(
    (p) => p.state !== 'success' && p.state !== 'pulling' && p.state !== 'queued' && p.resumable,
  );
  return (
    <section className="card mp-card" aria-label={t('models.pulls.title')}>
      <header className="mp-card-head">
        <h2>{t('models.pulls.title')}</h2>
        {unfinished.length > 0 && (
          <span className="muted small">{t('models.pulls.unfinished', { count: unfinished.length })}</span>
        )}
      </header>
      <ul className="mp-pulls">
        {list.map((p) => (
          <PullRow key={p.name} p={p} />
        ))}
      </ul>
    </section>
  );
}
