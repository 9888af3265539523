import { engineText } from '../../i18n/engine-text';
import { useState } from 'react';
import type {
  RecoveryBackupDto,
  RecoveryRestoreResultDto,
  RecoverySalvageResultDto,
  SalvagedTableDto,
} from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import './recovery.css';
import { Trans } from 'react-i18next';
import { currentLanguage, t } from '../../i18n';
import { formatDateTime, formatNumber } from '../../lib/format';
import { useCall } from '../../lib/use-call';

/** What each table holds, in the words a field officer uses (locale keys recovery.tables.<table>). */
const TABLES = [
  'sessions',
  'messages',
  'message_tools',
  'aq_cache',
  'import_files',
  'import_sites',
  'import_readings',
  'metrics_hourly',
] as const;
const tableWords = (table: string): string =>
  (TABLES as readonly string[]).includes(table) ? t(`recovery.tables.${table as (typeof TABLES)[number]}`) : table;

const KINDS = ['scheduled', 'manual', 'safety', 'imported'] as const;
const kindWords = (kind: string): string =>
  (KINDS as readonly string[]).includes(kind) ? t(`backups.kind.${kind as (typeof KINDS)[number]}`) : kind;

const when = (iso: string): string => formatDateTime(iso);

function ago(iso: string): string {
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000);
  return new Intl.RelativeTimeFormat(currentLanguage(), { numeric: 'auto' }).format(-Math.max(0, days), 'day');
}

type Done =
  { kind: 'restore'; result: RecoveryRestoreResultDto } | { kind: 'salvage'; result: RecoverySalvageResultDto };

/**
 * Shown instead of the app when the chat history file is damaged: what happened in plain words, the backups
 * to restore from (each checked before it is used), and salvage when there is no good backup.
 */
export function RecoveryScreen({ onDone }: { onDone: () => void }) {
  const { data: status, error: loadError, reload: load } = useCall('recovery.status', {});
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);

  const restore = async (b: RecoveryBackupDto) => {
    setError(null);
    setWorking(b.name);
    try {
      setDone({ kind: 'restore', result: await getApi().call('recovery.restore', { name: b.name }) });
    } catch (err) {
      setError(errorText(err));
      void load();
    } finally {
      setWorking(null);
    }
  };

  const salvage = async () => {
    setError(null);
    setWorking('salvage');
    try {
      setDone({ kind: 'salvage', result: await getApi().call('recovery.salvage', {}) });
    } catch (err) {
      setError(errorText(err));
    } finally {
      setWorking(null);
    }
  };

  if (done) return <RecoveredPanel done={done} onDone={onDone} />;

  return (
    <main className="recovery" aria-labelledby="recovery-title">
      <div className="recovery-inner">
        <header className="recovery-head">
          <div className="recovery-icon" aria-hidden="true">
            !
          </div>
          <div>
            <h1 id="recovery-title">{t('recovery.title')}</h1>
            <p className="recovery-lead">{t('recovery.lead')}</p>
          </div>
        </header>

        <section className="card recovery-reason" aria-label={t('recovery.found')}>
          <strong>{t('recovery.found')}:</strong>{' '}
          {(status?.reason ? engineText(status.reasonText, status.reason) : null) ??
            loadError ??
            t('recovery.checking')}
        </section>

        {error && (
          <div className="card recovery-error" role="alert">
            {error}
          </div>
        )}

        <section className="recovery-section" aria-labelledby="recovery-backups">
          <h2 id="recovery-backups">1. {t('recovery.restoreTitle')}</h2>
          <p className="muted">{t('recovery.restoreText')}</p>
          {status && status.backups.length === 0 && (
            <div className="card recovery-empty">
              {t('recovery.noBackups')}{' '}
              <button className="linklike" onClick={() => void load()}>
                {t('recovery.lookAgain')}
              </button>
              . {t('recovery.otherwise')}
            </div>
          )}
          <ul className="recovery-backups">
            {status?.backups.map((b, i) => (
              <li key={b.name} className="card recovery-backup">
                <div className="recovery-backup-facts">
                  <div className="recovery-backup-date">
                    {when(b.createdAt)} <span className="muted">({ago(b.createdAt)})</span>
                    {i === 0 && <span className="recovery-badge">{t('recovery.newest')}</span>}
                  </div>
                  <div>
                    {t('backups.conversations', { count: b.sessions })}, {t('backups.messages', { count: b.messages })}
                  </div>
                  <div className="muted small">
                    {kindWords(b.kind)}
                    {b.lastMessageAt ? ` · ${t('recovery.lastConversation', { when: when(b.lastMessageAt) })}` : ''}
                  </div>
                </div>
                <button
                  className={i === 0 ? 'btn btn-primary' : 'btn'}
                  disabled={working !== null}
                  onClick={() => void restore(b)}
                  aria-label={t('recovery.restoreFrom', { when: when(b.createdAt) })}
                >
                  {working === b.name ? t('recovery.restoring') : t('recovery.restoreThis')}
                </button>
              </li>
            ))}
          </ul>
          {status && status.damagedBackups.length > 0 && (
            <p className="muted small">
              {t('recovery.damaged', { count: status.damagedBackups.length })}{' '}
              {status.damagedBackups.map((d) => d.name).join(', ')}.
            </p>
          )}
        </section>

        <section className="recovery-section" aria-labelledby="recovery-salvage">
          <h2 id="recovery-salvage">2. {t('recovery.salvageTitle')}</h2>
          <p className="muted">{t('recovery.salvageText')}</p>
          <button className="btn" disabled={working !== null} onClick={() => void salvage()}>
            {working === 'salvage' ? t('recovery.salvaging') : t('recovery.salvage')}
          </button>
        </section>

        <p className="muted small recovery-foot">
          <Trans i18nKey="recovery.support" components={{ code: <code /> }} />
        </p>
      </div>
    </main>
  );
}

function TableLine({ table }: { table: SalvagedTableDto }) {
  const words = tableWords(table.table);
  const lost = table.unreadable
    ? t('recovery.noneRead')
    : table.lost
      ? t('recovery.lost', { n: formatNumber(table.lost) })
      : t('recovery.allKept');
  return (
    <tr>
      <th scope="row">{words}</th>
      <td>{t('recovery.kept', { n: formatNumber(table.kept) })}</td>
      <td className={table.lost || table.unreadable ? 'recovery-lost' : 'muted'}>{lost}</td>
    </tr>
  );
}

function RecoveredPanel({ done, onDone }: { done: Done; onDone: () => void }) {
  return (
    <main className="recovery" aria-labelledby="recovered-title">
      <div className="recovery-inner">
        <header className="recovery-head">
          <div className="recovery-icon ok" aria-hidden="true">
            ✓
          </div>
          <div>
            <h1 id="recovered-title">{t('recovery.back')}</h1>
            {done.kind === 'restore' ? (
              <p className="recovery-lead">
                {t('recovery.restored', {
                  when: when(done.result.restored.createdAt),
                  conversations: t('backups.conversations', { count: done.result.restored.sessions }),
                  messages: t('backups.messages', { count: done.result.restored.messages }),
                })}
              </p>
            ) : done.result.tables.every((x) => x.kept === 0) ? (
              <p className="recovery-lead">{t('recovery.nothingRead')}</p>
            ) : (
              <p className="recovery-lead">{t('recovery.salvaged')}</p>
            )}
          </div>
        </header>
        {done.kind === 'salvage' && (
          <table className="card recovery-table">
            <tbody>
              {done.result.tables
                .filter((x) => x.kept > 0 || x.lost || x.unreadable)
                .map((x) => (
                  <TableLine key={x.table} table={x} />
                ))}
            </tbody>
          </table>
        )}
        {done.result.keptAside && (
          <p className="muted small">
            {t('recovery.keptAside')} <code>{done.result.keptAside}</code>.
          </p>
        )}
        <button className="btn btn-primary recovery-continue" onClick={onDone} ref={(el) => el?.focus()}>
          {t('recovery.open')}
        </button>
      </div>
    </main>
  );
}
