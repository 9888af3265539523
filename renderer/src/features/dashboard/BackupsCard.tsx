import { useState } from 'react';
import { ConfirmDialog } from '../../components/Dialog';
import type { BackupInfoDto, SettingChangeDto } from '../../../../preload/contract';
import { errorText, getApi, getHttpBridge } from '../../bridge';
import { FileDrop } from '../../components/FileDrop';
import { engineText } from '../../i18n/engine-text';
import { diskSize, formatDate, formatDateTime, formatNumber, relativeTime } from '../../lib/format';
import { useApp } from '../../stores/app-store';
import { useDashboard, type BackupOp } from '../../stores/dashboard-store';
import { t } from '../../i18n';
import { downloadBackup, uploadBackup } from './backup-transfer';
import { PathField } from './PathField';

const kindWord = (k: BackupInfoDto['kind']): string => t(`dashboard.backups.kind.${k}`);
const opWord = (o: BackupOp['op']): string => t(`dashboard.backups.op.${o}`);
const PHASES = ['starting', 'copy', 'compress', 'checksum', 'finalize', 'extract', 'verify', 'safety', 'swap'] as const;
const phaseWord = (p: string): string =>
  (PHASES as readonly string[]).includes(p) ? t(`dashboard.backups.phase.${p as (typeof PHASES)[number]}`) : p;

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
  const [uploading, setUploading] = useState(false);
  // In a browser against `aeris serve`: backups come and go as downloads and uploads, not server paths.
  const http = getHttpBridge();
  const d = useDashboard.getState();
  const busy = op !== null && op.doneText === null;

  const pick = async (purpose: 'export' | 'import') => {
    try {
      const r = await getApi().call('dialog.pickFolder', {
        purpose,
        title: purpose === 'export' ? t('dashboard.backups.exportTo') : t('dashboard.backups.importFrom'),
      });
      if (r.path) (purpose === 'export' ? setTarget : setImportPath)(r.path);
    } catch (err) {
      useApp.getState().notify('error', errorText(err));
    }
  };
  const download = async (b: BackupInfoDto) => {
    if (!http) return;
    try {
      await downloadBackup(http, b.name);
    } catch (err) {
      useApp.getState().notify('error', errorText(err));
    }
  };
  const upload = async (file: File) => {
    if (!http) return;
    setUploading(true);
    try {
      const info = await uploadBackup(http, file);
      useApp.getState().notify(
        'info',
        t('dashboard.notices.imported', {
          name: info.name,
          conversations: t('backups.conversations', { count: info.sessions }),
        }),
      );
      await d.refreshBackups();
    } catch (err) {
      useApp.getState().notify('error', errorText(err));
    } finally {
      setUploading(false);
    }
  };
  const exportTo = (b: BackupInfoDto) => {
    if (!target.trim()) {
      useApp.getState().notify('warning', t('dashboard.backups.typeFolder'));
      return;
    }
    void d.exportBackup(b.path, target.trim());
  };

  return (
    <section className="card db-card db-backups" aria-labelledby="db-backups-title">
      <div className="db-card-head">
        <h2 id="db-backups-title">{t('wizard.welcome.backups')}</h2>
        <button className="btn btn-primary" onClick={() => void d.backupNow()} disabled={busy}>
          {t('dashboard.backups.now')}
        </button>
      </div>
      {op && (
        <div className="db-progress" aria-live="polite">
          <div
            className={`db-bar${op.doneText ? ' done' : ''}`}
            role="progressbar"
            aria-label={t('dashboard.backups.progress', { op: opWord(op.op) })}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(op.fraction * 100)}
          >
            <div style={{ width: `${Math.max(2, op.fraction * 100)}%` }} />
          </div>
          <div className="small">
            {op.doneText ??
              `${opWord(op.op)}: ${phaseWord(op.phase)}… ${formatNumber(op.fraction, { style: 'percent' })}`}
          </div>
        </div>
      )}
      {error && <p className="db-error">{error}</p>}
      <p className="muted small db-folder">
        {t('dashboard.backups.keptIn')} <code title={folder}>{folder || '…'}</code>. {t('dashboard.backups.retention')}
      </p>
      {backups.length === 0 ? (
        <p className="db-empty">{t('dashboard.backups.none')}</p>
      ) : (
        <ul className="db-backup-list" aria-label={t('wizard.welcome.backups')}>
          {backups.map((b) => {
            const v = verifying[b.path];
            return (
              <li key={b.path} className="db-backup" data-name={b.name} data-kind={b.kind}>
                <div className="db-backup-main">
                  <div className="db-backup-title">
                    <strong title={formatDateTime(b.createdAt)}>{formatDateTime(b.createdAt)}</strong>
                    <span className="db-chip">{kindWord(b.kind)}</span>
                  </div>
                  <div className="muted small">
                    {t('backups.conversations', { count: b.sessions })} · {t('backups.messages', { count: b.messages })}{' '}
                    · {diskSize(b.sizeBytes)} · {relativeTime(Date.parse(b.createdAt))}
                  </div>
                </div>
                <div className="db-backup-actions">
                  <button className="btn db-btn-small" onClick={() => void d.verify(b.path)} disabled={v === 'running'}>
                    {t('dashboard.backups.verify')}
                  </button>
                  <button className="btn db-btn-small" onClick={() => void d.askRestore(b.path)} disabled={busy}>
                    {t('dashboard.backups.restoreDots')}
                  </button>
                  {http && (
                    <button
                      className="btn db-btn-small"
                      onClick={() => void download(b)}
                      title={t('dashboard.backups.downloadTitle')}
                    >
                      {t('dashboard.backups.download')}
                    </button>
                  )}
                  <button
                    className="btn db-btn-small"
                    onClick={() => exportTo(b)}
                    disabled={transferBusy}
                    title={t('dashboard.backups.exportTitle')}
                  >
                    {t('models.transfer.export')}
                  </button>
                  <button
                    className="btn db-btn-small db-btn-quiet"
                    onClick={() => setDeleting(b)}
                    aria-label={t('dashboard.backups.deleteX', { name: b.name })}
                  >
                    {t('common.delete')}
                  </button>
                </div>
                {v === 'running' && <div className="small db-backup-note">{t('dashboard.backups.verifying')}</div>}
                {v && v !== 'running' && (
                  <div className={`small db-backup-note db-verify ${v.ok ? 'ok' : 'bad'}`} role="status">
                    {v.ok ? `✓ ${t('dashboard.backups.verified')}` : `✗ ${engineText(v.text, v.message)}`}
                  </div>
                )}
                {v && v !== 'running' && v.checks.length > 0 && (
                  // The checks it passed, line for line in the UI's language (the engine's English without an id).
                  <ul className="small db-verify-checks" aria-label={t('dashboard.backups.checksLabel')}>
                    {v.checks.map((line, i) => (
                      <li key={i}>{engineText(v.checkTexts?.[i], line)}</li>
                    ))}
                  </ul>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {damaged.length > 0 && (
        <div className="db-damaged">
          <strong className="small">{t('dashboard.backups.damaged')}</strong>
          <ul>
            {damaged.map((x) => (
              <li key={x.path} className="small">
                {x.name}: {engineText(x.text, x.message)}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="db-transfer">
        <PathField
          label={t('dashboard.backups.exportFolder')}
          value={target}
          onChange={setTarget}
          placeholder="/media/usb/aeris-backups"
          onPick={electron ? () => void pick('export') : undefined}
        />
        {http ? (
          <div className="db-field">
            <span className="small">{t('dashboard.backups.importFile')}</span>
            <span className="db-inline">
              <FileDrop
                accept=".aerisbak"
                inputLabel={t('dashboard.backups.uploadInput')}
                onFiles={(files) => void upload(files[0]!)}
              >
                {(choose) => (
                  <button className="btn db-btn-small" onClick={choose} disabled={uploading}>
                    {uploading ? t('dashboard.backups.uploading') : t('dashboard.backups.upload')}
                  </button>
                )}
              </FileDrop>
            </span>
          </div>
        ) : (
          <PathField
            label={t('dashboard.backups.importFile')}
            value={importPath}
            onChange={setImportPath}
            placeholder="/media/usb/aeris-backup-20260110-120000-manual.aerisbak"
          >
            <button
              className="btn db-btn-small"
              disabled={!importPath.trim() || transferBusy}
              onClick={() => void d.importBackup(importPath.trim())}
            >
              {t('wizard.model.import')}
            </button>
          </PathField>
        )}
      </div>
      <RestoreDialog />
      {deleting && (
        <ConfirmDialog
          title={t('dashboard.backups.deleteTitle')}
          confirmLabel={t('common.delete')}
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            void d.deleteBackup(deleting.path);
            setDeleting(null);
          }}
        >
          <p>{t('dashboard.backups.deleteBody', { when: formatDateTime(deleting.createdAt) })}</p>
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
    a ? `${formatDate(a)} – ${formatDate(z ?? a)}` : t('dashboard.backups.noMessages');
  const close = () => {
    setTyped(false);
    setAccepted([]);
    void useDashboard.getState().askRestore(null);
  };
  return (
    <ConfirmDialog
      title={t('dashboard.backups.restoreTitle')}
      role="dialog"
      confirmLabel={restoring ? t('dashboard.backups.restoring') : t('dashboard.backups.restore')}
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
            <th>{t('dashboard.backups.theBackup')}</th>
            <th>{t('dashboard.backups.now2')}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th>{t('chat.conversations')}</th>
            <td>{b.sessions}</td>
            <td>{p.current.sessions}</td>
          </tr>
          <tr>
            <th>{t('recovery.tables.messages')}</th>
            <td>{b.messages}</td>
            <td>{p.current.messages}</td>
          </tr>
          <tr>
            <th>{t('dashboard.backups.dates')}</th>
            <td>{range(b.firstMessageAt, b.lastMessageAt)}</td>
            <td>{range(p.current.firstMessageAt, p.current.lastMessageAt)}</td>
          </tr>
        </tbody>
      </table>
      <p className="small">
        {t('dashboard.backups.made', { when: formatDateTime(b.createdAt), version: b.appVersion })}
      </p>
      <SettingsChanges
        changes={p.settingsChanges}
        trusted={p.settingsTrusted}
        accepted={accepted}
        onToggle={(key, on) => setAccepted((a) => (on ? [...a, key] : a.filter((k) => k !== key)))}
      />
      {p.blocker && <p className="db-error">{p.blocker}</p>}
      <label className="db-confirm small">
        <input type="checkbox" checked={typed} onChange={(e) => setTyped(e.target.checked)} />{' '}
        {t('dashboard.backups.understand')}
      </label>
    </ConfirmDialog>
  );
}

const shown = (v: unknown): string =>
  v === null || v === undefined || v === ''
    ? `(${t('sources.origin.none')})`
    : typeof v === 'string'
      ? v
      : JSON.stringify(v);

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
        {props.trusted ? t('dashboard.backups.settingsTrusted') : t('dashboard.backups.settingsUntrusted')}
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
      {props.changes.some((c) => c.needsConsent) && <p className="small">{t('dashboard.backups.unticked')}</p>}
    </div>
  );
}
