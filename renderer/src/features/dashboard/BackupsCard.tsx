import { useState } from 'react';
import { ConfirmDialog } from '../../components/Dialog';
import type { BackupInfoDto, SettingChangeDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { diskSize, relativeTime } from '../../lib/format';
import { useApp } from '../../stores/app-store';
import { useDashboard, type BackupOp } from '../../stores/dashboard-store';
import { plural } from './plural';

const KIND: Record<BackupInfoDto['kind'], string> = { manual: 'Manual', scheduled: 'Daily', safety: 'Before restore' };
const OP_WORD: Record<BackupOp['op'], string> = {
  create: 'Backing up',
  verify: 'Verifying',
  restore: 'Restoring',
  import: 'Importing',
};
const PHASE_WORD: Record<string, string> = {
  starting: 'starting',
  copy: 'copying the database',
  compress: 'compressing',
  checksum: 'computing the checksum',
  finalize: 'writing the manifest',
  extract: 'unpacking',
  verify: 'checking integrity',
  safety: 'saving a safety backup',
  swap: 'swapping in',
};

/** Back up now, the list with sizes and counts, verify, restore with a preview, export and import. */
export function BackupsCard() {
  const backups = useDashboard((s) => s.backups);
  const damaged = useDashboard((s) => s.damaged);
  const folder = useDashboard((s) => s.backupsFolder);
  const op = useDashboard((s) => s.backupOp);
  const verifying = useDashboard((s) => s.verifying);
  const transferBusy = useDashboard((s) => s.transferBusy);
  const error = useDashboard((s) => s.backupsError);
  const electron = useApp((s) => s.info?.shell === 'electron');
  const [target, setTarget] = useState('');
  const [importPath, setImportPath] = useState('');
  const [deleting, setDeleting] = useState<BackupInfoDto | null>(null);
  const d = useDashboard.getState();
  const busy = op !== null && op.doneText === null;

  const pick = async (purpose: 'export' | 'import') => {
    try {
      const r = await getApi().call('dialog.pickFolder', {
        purpose,
        title: purpose === 'export' ? 'Export backups to…' : 'Import a backup from…',
      });
      if (r.path) (purpose === 'export' ? setTarget : setImportPath)(r.path);
    } catch (err) {
      useApp.getState().notify('error', errorText(err));
    }
  };
  const exportTo = (b: BackupInfoDto) => {
    if (!target.trim()) {
      useApp.getState().notify('warning', 'Type the folder to export to first (a USB drive, for example).');
      return;
    }
    void d.exportBackup(b.path, target.trim());
  };

  return (
    <section className="card db-card db-backups" aria-labelledby="db-backups-title">
      <div className="db-card-head">
        <h2 id="db-backups-title">Backups</h2>
        <button className="btn btn-primary" onClick={() => void d.backupNow()} disabled={busy}>
          Back up now
        </button>
      </div>
      {op && (
        <div className="db-progress" aria-live="polite">
          <div
            className={`db-bar${op.doneText ? ' done' : ''}`}
            role="progressbar"
            aria-label={`${OP_WORD[op.op]} progress`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(op.fraction * 100)}
          >
            <div style={{ width: `${Math.max(2, op.fraction * 100)}%` }} />
          </div>
          <div className="small">
            {op.doneText ??
              `${OP_WORD[op.op]}: ${PHASE_WORD[op.phase] ?? op.phase}… ${Math.round(op.fraction * 100)} %`}
          </div>
        </div>
      )}
      {error && <p className="db-error">{error}</p>}
      <p className="muted small db-folder">
        Kept in <code title={folder}>{folder || '…'}</code>. Daily backups are kept 30 days; manual ones until you
        delete them.
      </p>
      {backups.length === 0 ? (
        <p className="db-empty">No backups yet.</p>
      ) : (
        <ul className="db-backup-list" aria-label="Backups">
          {backups.map((b) => {
            const v = verifying[b.path];
            return (
              <li key={b.path} className="db-backup" data-name={b.name} data-kind={b.kind}>
                <div className="db-backup-main">
                  <div className="db-backup-title">
                    <strong title={new Date(b.createdAt).toLocaleString()}>
                      {new Date(b.createdAt).toLocaleString()}
                    </strong>
                    <span className="db-chip">{KIND[b.kind]}</span>
                  </div>
                  <div className="muted small">
                    {plural(b.sessions, 'conversation')} · {plural(b.messages, 'message')} · {diskSize(b.sizeBytes)} ·{' '}
                    {relativeTime(Date.parse(b.createdAt))}
                  </div>
                </div>
                <div className="db-backup-actions">
                  <button className="btn db-btn-small" onClick={() => void d.verify(b.path)} disabled={v === 'running'}>
                    Verify
                  </button>
                  <button className="btn db-btn-small" onClick={() => void d.askRestore(b.path)} disabled={busy}>
                    Restore…
                  </button>
                  <button
                    className="btn db-btn-small"
                    onClick={() => exportTo(b)}
                    disabled={transferBusy}
                    title="Copy to the export folder below"
                  >
                    Export
                  </button>
                  <button
                    className="btn db-btn-small db-btn-quiet"
                    onClick={() => setDeleting(b)}
                    aria-label={`Delete backup ${b.name}`}
                  >
                    Delete
                  </button>
                </div>
                {v === 'running' && <div className="small db-backup-note">Verifying…</div>}
                {v && v !== 'running' && (
                  <div className={`small db-backup-note db-verify ${v.ok ? 'ok' : 'bad'}`} role="status">
                    {v.ok ? '✓ Verified: checksum, integrity and schema are good.' : `✗ ${v.message}`}
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {damaged.length > 0 && (
        <div className="db-damaged">
          <strong className="small">Files that are not good backups</strong>
          <ul>
            {damaged.map((x) => (
              <li key={x.path} className="small">
                {x.name}: {x.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="db-transfer">
        <label className="db-field">
          <span className="small">Export folder (a USB drive)</span>
          <span className="db-inline">
            <input
              value={target}
              onChange={(e) => setTarget(e.target.value)}
              placeholder="/media/usb/aeris-backups"
              spellCheck={false}
            />
            {electron && (
              <button className="btn db-btn-small" onClick={() => void pick('export')}>
                Choose…
              </button>
            )}
          </span>
        </label>
        <label className="db-field">
          <span className="small">Import a backup file</span>
          <span className="db-inline">
            <input
              value={importPath}
              onChange={(e) => setImportPath(e.target.value)}
              placeholder="/media/usb/aeris-backup-20260110-120000-manual.aerisbak"
              spellCheck={false}
            />
            <button
              className="btn db-btn-small"
              disabled={!importPath.trim() || transferBusy}
              onClick={() => void d.importBackup(importPath.trim())}
            >
              Import
            </button>
          </span>
        </label>
      </div>
      <RestoreDialog />
      {deleting && (
        <ConfirmDialog
          title="Delete this backup?"
          confirmLabel="Delete"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            void d.deleteBackup(deleting.path);
            setDeleting(null);
          }}
        >
          <p>The backup from {new Date(deleting.createdAt).toLocaleString()} is deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function RestoreDialog() {
  const p = useDashboard((s) => s.restorePreview);
  const restoring = useDashboard((s) => s.restoring);
  const [typed, setTyped] = useState(false);
  const [accepted, setAccepted] = useState<string[]>([]);
  if (!p) return null;
  const b = p.backup;
  const range = (a: string | null, z: string | null) =>
    a ? `${new Date(a).toLocaleDateString()} – ${new Date(z ?? a).toLocaleDateString()}` : 'no messages';
  const close = () => {
    setTyped(false);
    setAccepted([]);
    void useDashboard.getState().askRestore(null);
  };
  return (
    <ConfirmDialog
      title="Restore this backup?"
      role="dialog"
      confirmLabel={restoring ? 'Restoring…' : 'Restore'}
      danger
      busy={restoring}
      confirmDisabled={!typed || p.blocker !== null}
      onCancel={close}
      onConfirm={() =>
        void useDashboard
          .getState()
          .restore(accepted)
          .then(() => {
            setTyped(false);
            setAccepted([]);
          })
      }
    >
      <table className="db-compare">
        <thead>
          <tr>
            <th />
            <th>The backup</th>
            <th>Now</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>Conversations</th>
            <td>{b.sessions}</td>
            <td>{p.current.sessions}</td>
          </tr>
          <tr>
            <th>Messages</th>
            <td>{b.messages}</td>
            <td>{p.current.messages}</td>
          </tr>
          <tr>
            <th>Dates</th>
            <td>{range(b.firstMessageAt, b.lastMessageAt)}</td>
            <td>{range(p.current.firstMessageAt, p.current.lastMessageAt)}</td>
          </tr>
        </tbody>
      </table>
      <p className="small">
        Made {new Date(b.createdAt).toLocaleString()} by AERIS-AQ {b.appVersion}. Restoring replaces the whole chat
        history with the backup’s. A safety backup of what is here now is taken first, so this can be undone.
      </p>
      <SettingsChanges
        changes={p.settingsChanges}
        trusted={p.settingsTrusted}
        accepted={accepted}
        onToggle={(key, on) => setAccepted((a) => (on ? [...a, key] : a.filter((k) => k !== key)))}
      />
      {p.blocker && <p className="db-error">{p.blocker}</p>}
      <label className="db-confirm small">
        <input type="checkbox" checked={typed} onChange={(e) => setTyped(e.target.checked)} /> I understand the current
        history will be replaced.
      </label>
    </ConfirmDialog>
  );
}

const shown = (v: unknown): string =>
  v === null || v === undefined || v === '' ? '(not set)' : typeof v === 'string' ? v : JSON.stringify(v);

/**
 * Settings the backup would change. Addresses, keys and folders (every setting of an older, unsealed backup)
 * change only when ticked: a backup file can come from anyone, and these decide where data goes.
 */
function SettingsChanges(props: {
  changes: SettingChangeDto[];
  trusted: boolean;
  accepted: string[];
  onToggle(key: string, on: boolean): void;
}) {
  if (props.changes.length === 0) return null;
  return (
    <div className="db-settings-changes">
      <p className="small">
        {props.trusted
          ? 'The backup also holds settings. These would change:'
          : 'This backup was made by an older version whose settings no checksum covers. Tick only what you recognise:'}
      </p>
      <ul>
        {props.changes.map((c) => (
          <li key={c.key} className="small">
            {c.needsConsent ? (
              <label>
                <input
                  type="checkbox"
                  checked={props.accepted.includes(c.key)}
                  onChange={(e) => props.onToggle(c.key, e.target.checked)}
                />{' '}
                <strong>{c.key}</strong>: {shown(c.current)} → {shown(c.backup)}
              </label>
            ) : (
              <span>
                <strong>{c.key}</strong>: {shown(c.current)} → {shown(c.backup)}
              </span>
            )}
          </li>
        ))}
      </ul>
      {props.changes.some((c) => c.needsConsent) && (
        <p className="small">Unticked settings keep their current values.</p>
      )}
    </div>
  );
}
