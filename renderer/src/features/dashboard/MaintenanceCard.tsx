import { useState } from 'react';
import { diskSize } from '../../lib/format';
import { useDashboard } from '../../stores/dashboard-store';

/** Old-conversation cleanup (with a count to confirm), VACUUM, integrity check, WAL checkpoint, and the database size. */
export function MaintenanceCard() {
  const m = useDashboard((s) => s.maintenance);
  const [days, setDays] = useState(30);
  const d = useDashboard.getState();
  const validDays = Number.isInteger(days) && days >= 1;
  return (
    <section className="card db-card db-maint" aria-labelledby="db-maint-title">
      <div className="db-card-head">
        <h2 id="db-maint-title">Database</h2>
      </div>
      {m.size && (
        <dl className="db-size">
          <div>
            <dt>Size</dt>
            <dd>{diskSize(m.size.totalBytes)}</dd>
          </div>
          <div>
            <dt>Write-ahead log</dt>
            <dd>{diskSize(m.size.walBytes)}</dd>
          </div>
          <div>
            <dt>Reclaimable</dt>
            <dd>{diskSize(m.size.freeBytes)}</dd>
          </div>
        </dl>
      )}
      <div className="db-maint-row">
        <div>
          <strong className="small">Delete old conversations</strong>
          <div className="muted small">Those not touched for the number of days you choose.</div>
        </div>
        <span className="db-inline">
          <label className="db-days">
            <span className="sr-only">Days</span>
            <input
              type="number"
              min={1}
              value={Number.isNaN(days) ? '' : days}
              onChange={(e) => setDays(e.target.valueAsNumber)}
              aria-label="Older than (days)"
            />
            <span className="small muted">days</span>
          </label>
          <button
            className="btn db-btn-small"
            disabled={!validDays || m.busy !== null}
            onClick={() => void d.previewCleanup(days)}
          >
            Clean up…
          </button>
        </span>
      </div>
      {m.cleanupPreview && (
        <div className="db-confirm-box" role="alertdialog" aria-labelledby="db-cleanup-q">
          <p id="db-cleanup-q" className="small">
            {m.cleanupPreview.sessions === 0
              ? `No conversation is older than ${m.cleanupPreview.days} days. Nothing to delete.`
              : `Delete ${m.cleanupPreview.sessions} conversation${m.cleanupPreview.sessions === 1 ? '' : 's'} not updated since ${new Date(m.cleanupPreview.cutoff).toLocaleDateString()}? This cannot be undone, except from a backup.`}
          </p>
          <div className="db-modal-actions">
            <button className="btn db-btn-small" onClick={() => d.cancelCleanup()}>
              {m.cleanupPreview.sessions === 0 ? 'OK' : 'Cancel'}
            </button>
            {m.cleanupPreview.sessions > 0 && (
              <button className="btn btn-stop db-btn-small" onClick={() => void d.cleanup()}>
                Delete {m.cleanupPreview.sessions}
              </button>
            )}
          </div>
        </div>
      )}
      <div className="db-maint-buttons">
        <button
          className="btn db-btn-small"
          disabled={m.busy !== null}
          onClick={() => void d.integrity()}
          title="PRAGMA integrity_check"
        >
          {m.busy === 'integrity' ? 'Checking…' : 'Integrity check'}
        </button>
        <button
          className="btn db-btn-small"
          disabled={m.busy !== null}
          onClick={() => void d.checkpoint()}
          title="Fold the write-ahead log into the database file"
        >
          {m.busy === 'checkpoint' ? 'Working…' : 'Checkpoint'}
        </button>
        <button
          className="btn db-btn-small"
          disabled={m.busy !== null}
          onClick={() => void d.vacuum()}
          title="VACUUM: rebuild the file to give free space back"
        >
          {m.busy === 'vacuum' ? 'Compacting…' : 'Compact (VACUUM)'}
        </button>
      </div>
      {m.result && (
        <p className={`small db-result ${m.result.ok ? 'ok' : 'bad'}`} role="status">
          {m.result.text}
        </p>
      )}
    </section>
  );
}
