import type { CheckStatusDto } from '../../../../preload/contract';
import { useDashboard } from '../../stores/dashboard-store';

const WORST: Record<CheckStatusDto, number> = { ok: 0, warn: 1, fail: 2 };
const STATUS_WORD: Record<CheckStatusDto, string> = { ok: 'OK', warn: 'Warning', fail: 'Problem' };

/** One light per check; anything not green says why, in words. */
export function HealthCard() {
  const health = useDashboard((s) => s.health);
  const error = useDashboard((s) => s.healthError);
  const loading = useDashboard((s) => s.healthLoading);
  const checks = health?.checks ?? [];
  const worst = checks.reduce<CheckStatusDto>((w, c) => (WORST[c.status] > WORST[w] ? c.status : w), 'ok');
  const problems = checks.filter((c) => c.status !== 'ok').length;
  const headline = !health
    ? 'Checking…'
    : problems === 0
      ? 'Everything is working'
      : `${problems} ${problems === 1 ? 'thing needs' : 'things need'} attention`;
  return (
    <section className="card db-card db-health" aria-labelledby="db-health-title">
      <div className="db-card-head">
        <h2 id="db-health-title">Health</h2>
        <button
          className="btn db-btn-small"
          onClick={() => void useDashboard.getState().refreshHealth()}
          disabled={loading}
        >
          {loading ? 'Checking…' : 'Check again'}
        </button>
      </div>
      <div className={`db-health-summary status-${worst}`}>
        <span className={`db-light status-${worst}`} aria-hidden />
        <div>
          <strong>{headline}</strong>
          {health && (
            <div className="muted small">
              AERIS-AQ {health.version} · checked {new Date(health.timestamp).toLocaleTimeString()}
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
              aria-label={STATUS_WORD[c.status]}
              title={STATUS_WORD[c.status]}
            />
            <div className="db-check-text">
              <span className="db-check-label">{c.label}</span>
              <span className={c.status === 'ok' ? 'db-check-reason muted' : 'db-check-reason'}>{c.reason}</span>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
