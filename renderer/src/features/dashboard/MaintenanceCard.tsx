import { useState } from 'react';
import { diskSize } from '../../lib/format';
import { useDashboard } from '../../stores/dashboard-store';
import { t } from '../../i18n';
import { formatDate } from '../../lib/format';

/**
 * The chat history's file, in plain words first: its size, the space that can be freed, deleting old
 * conversations (with a count to confirm) and "Free up space" (VACUUM). The database terms — the write-ahead
 * log, a checkpoint, the integrity check, the VACUUM name — wait under a closed "Advanced", each explained.
 */
export function MaintenanceCard() {
  const m = useDashboard((s) => s.maintenance);
  const [days, setDays] = useState(30);
  // Rendered only once opened, so a closed "Advanced" keeps its terms out of the page (and out of a screen reader).
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const d = useDashboard.getState();
  const validDays = Number.isInteger(days) && days >= 1;
  return (
    <section className="card db-card db-maint" aria-labelledby="db-maint-title">
      <div className="db-card-head">
        <h2 id="db-maint-title">{t('dashboard.maint.title')}</h2>
      </div>
      {m.size && (
        <dl className="db-size db-size-2">
          <div>
            <dt>{t('dashboard.maint.onDisk')}</dt>
            <dd>{diskSize(m.size.totalBytes)}</dd>
          </div>
          <div>
            <dt>{t('dashboard.maint.freeable')}</dt>
            <dd>{diskSize(m.size.freeBytes)}</dd>
          </div>
        </dl>
      )}
      <div className="db-maint-row">
        <div>
          <strong className="small">{t('dashboard.maint.deleteOld')}</strong>
          <div className="muted small">{t('dashboard.maint.deleteOldHelp')}</div>
        </div>
        <span className="db-inline">
          <label className="db-days">
            <span className="sr-only">{t('dashboard.maint.daysLabel')}</span>
            <input
              type="number"
              min={1}
              value={Number.isNaN(days) ? '' : days}
              onChange={(e) => setDays(e.target.valueAsNumber)}
              aria-label={t('dashboard.maint.olderThan')}
            />
            <span className="small muted">{t('dashboard.maint.days')}</span>
          </label>
          <button
            className="btn db-btn-small"
            disabled={!validDays || m.busy !== null}
            onClick={() => void d.previewCleanup(days)}
          >
            {t('dashboard.maint.cleanUp')}
          </button>
        </span>
      </div>
      {m.cleanupPreview && (
        <div className="db-confirm-box" role="alertdialog" aria-labelledby="db-cleanup-q">
          <p id="db-cleanup-q" className="small">
            {m.cleanupPreview.sessions === 0
              ? t('dashboard.maint.nothingOld', { count: m.cleanupPreview.days })
              : t('dashboard.maint.confirm', {
                  count: m.cleanupPreview.sessions,
                  date: formatDate(m.cleanupPreview.cutoff),
                })}
          </p>
          <div className="db-modal-actions">
            <button className="btn db-btn-small" onClick={() => d.cancelCleanup()}>
              {m.cleanupPreview.sessions === 0 ? 'OK' : t('common.cancel')}
            </button>
            {m.cleanupPreview.sessions > 0 && (
              <button className="btn btn-stop db-btn-small" onClick={() => void d.cleanup()}>
                {t('dashboard.maint.deleteN', { n: m.cleanupPreview.sessions })}
              </button>
            )}
          </div>
        </div>
      )}
      <div className="db-maint-row">
        <div>
          <strong className="small">{t('dashboard.maint.freeUp')}</strong>
          <div className="muted small">{t('dashboard.maint.freeUpHelp')}</div>
        </div>
        <button
          className="btn db-btn-small"
          disabled={m.busy !== null}
          onClick={() => void d.vacuum()}
          title={t('dashboard.maint.freeUpTitle')}
        >
          {m.busy === 'vacuum' ? t('dashboard.maint.freeing') : t('dashboard.maint.freeUp')}
        </button>
      </div>
      <details className="db-advanced" open={advancedOpen} onToggle={(e) => setAdvancedOpen(e.currentTarget.open)}>
        <summary>{t('dashboard.maint.advanced')}</summary>
        {advancedOpen && (
          <div className="db-advanced-body">
            <p className="muted small">{t('dashboard.maint.advancedHelp')}</p>
            {m.size && (
              <div className="db-maint-row">
                <div>
                  <strong className="small">{t('dashboard.maint.wal')}</strong>
                  <div className="muted small">{t('dashboard.maint.walHelp')}</div>
                </div>
                <span className="db-adv-figure">{diskSize(m.size.walBytes)}</span>
              </div>
            )}
            <div className="db-maint-row">
              <div>
                <strong className="small">{t('dashboard.maint.checkpoint')}</strong>
                <div className="muted small">{t('dashboard.maint.checkpointHelp')}</div>
              </div>
              <button
                className="btn db-btn-small"
                disabled={m.busy !== null}
                onClick={() => void d.checkpoint()}
                title={t('dashboard.maint.checkpointTitle')}
              >
                {m.busy === 'checkpoint' ? t('dashboard.maint.working') : t('dashboard.maint.checkpoint')}
              </button>
            </div>
            <div className="db-maint-row">
              <div>
                <strong className="small">{t('dashboard.maint.integrity')}</strong>
                <div className="muted small">{t('dashboard.maint.integrityHelp')}</div>
              </div>
              <button
                className="btn db-btn-small"
                disabled={m.busy !== null}
                onClick={() => void d.integrity()}
                // The SQL statement itself, for those who know it: not a phrase to translate.
                // eslint-disable-next-line i18next/no-literal-string
                title="PRAGMA integrity_check"
              >
                {m.busy === 'integrity' ? t('wizard.ollama.checking') : t('dashboard.maint.integrity')}
              </button>
            </div>
            <p className="muted small">{t('dashboard.maint.vacuumHelp')}</p>
          </div>
        )}
      </details>
      {m.result && (
        <p className={`small db-result ${m.result.ok ? 'ok' : 'bad'}`} role="status">
          {m.result.text}
        </p>
      )}
    </section>
  );
}
