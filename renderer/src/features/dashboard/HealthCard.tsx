import type { CheckStatusDto } from '../../../../preload/contract';
import { useDashboard } from '../../stores/dashboard-store';
import { t } from '../../i18n';
import { formatTime } from '../../lib/format';
import { healthReasonText } from '../../i18n/engine-text';

const WORST: Record<CheckStatusDto, number> = { ok: 0, warn: 1, fail: 2 };
const statusWord = (s: CheckStatusDto): string => t(`dashboard.health.status.${s}`);

/** One light per check; anything not green says why, in words. */
export function HealthCard() {
  const health = useDashboard((s) => s.health);
  const error = useDashboard((s) => s.healthError);
  const loading = useDashboard((s) => s.healthLoading);
  const checks = health?.checks ?? [];
  const worst = checks.reduce<CheckStatusDto>((w, c) => (WORST[c.status] > WORST[w] ? c.status : w), 'ok');
  const problems = checks.filter((c) => c.status !== 'ok').length;
  const headline = !health
    ? t('wizard.ollama.checking')
    : problems === 0
      ? t('dashboard.health.allGood')
      : t('dashboard.health.problems', { count: problems });
  return (
    <section className="card db-card db-health" aria-labelledby="db-health-title">
      <div className="db-card-head">
        <h2 id="db-health-title">{t('dashboard.health.title')}</h2>
        <button
          className="btn db-btn-small"
          onClick={() => void useDashboard.getState().refreshHealth()}
          disabled={loading}
        >
          {loading ? t('wizard.ollama.checking') : t('wizard.ollama.checkAgain')}
        </button>
      </div>
      <div className={`db-health-summary status-${worst}`}>
        <span className={`db-light status-${worst}`} aria-hidden />
        <div>
          <strong>{headline}</strong>
          {health && (
            <div className="muted small">
              AERIS-AQ {health.version} · {t('dashboard.health.checked', { when: formatTime(health.timestamp) })}
            </div>
          )}
        </div>
      </div>
      {error && <p className="db-error">{error}</p>}
      <ul className="db-checks">
        {checks.map((c) => (
          <li key={c.id} className={`db-check status-${c.status}`} data-check={c.id}>
            <span
              className={`db-light status-${c.status}`}
              role="img"
              aria-label={statusWord(c.status)}
              title={statusWord(c.status)}
            />
            <div className="db-check-text">
              <span className="db-check-label">{t(`dashboard.health.label.${c.id}`)}</span>
              <span className={c.status === 'ok' ? 'db-check-reason muted' : 'db-check-reason'}>
                {healthReasonText(c)}
              </span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
