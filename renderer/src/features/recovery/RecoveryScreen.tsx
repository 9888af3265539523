import { useCallback, useEffect, useState } from 'react';
import type {
  RecoveryBackupDto,
  RecoveryRestoreResultDto,
  RecoverySalvageResultDto,
  RecoveryStatusDto,
  SalvagedTableDto,
} from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import './recovery.css';

/** What each table holds, in the words a field officer uses. */
const TABLE_WORDS: Record<string, string> = {
  sessions: 'Conversations',
  messages: 'Messages',
  message_tools: 'Tool results shown in chats',
  aq_cache: 'Saved air-quality readings',
  import_files: 'Imported files',
  import_sites: 'Imported sensor sites',
  import_readings: 'Imported sensor readings',
  metrics_hourly: 'Usage statistics',
};

const KIND_WORDS: Record<string, string> = {
  scheduled: 'Automatic (daily)',
  manual: 'Made by hand',
  safety: 'Taken before a restore',
  imported: 'Imported',
};

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

function when(iso: string): string {
  const d = new Date(iso);
  return d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

function ago(iso: string): string {
  const days = Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000);
  if (days <= 0) return 'today';
  if (days === 1) return 'yesterday';
  return `${days} days ago`;
}

type Done =
  { kind: 'restore'; result: RecoveryRestoreResultDto } | { kind: 'salvage'; result: RecoverySalvageResultDto };

/**
 * Shown instead of the app when the chat history file is damaged: what happened in plain words, the backups
 * to restore from (each checked before it is used), and salvage when there is no good backup.
 */
export function RecoveryScreen({ onDone }: { onDone: () => void }) {
  const [status, setStatus] = useState<RecoveryStatusDto | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Done | null>(null);

  const load = useCallback(() => {
    getApi()
      .call('recovery.status', {})
      .then(setStatus, (err: unknown) => setLoadError(errorText(err)));
  }, []);
  useEffect(load, [load]);

  const restore = async (b: RecoveryBackupDto) => {
    setError(null);
    setWorking(b.name);
    try {
      setDone({ kind: 'restore', result: await getApi().call('recovery.restore', { name: b.name }) });
    } catch (err) {
      setError(errorText(err));
      load();
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
            <h1 id="recovery-title">Your chat history needs repair</h1>
            <p className="recovery-lead">
              AERIS-AQ found a problem with the file that keeps your conversations, so it stopped using it before
              anything else could go wrong. Nothing has been deleted. Choose one of the ways back below.
            </p>
          </div>
        </header>

        <section className="card recovery-reason" aria-label="What was found">
          <strong>What was found:</strong> {status?.reason ?? loadError ?? 'Checking…'}
        </section>

        {error && (
          <div className="card recovery-error" role="alert">
            {error}
          </div>
        )}

        <section className="recovery-section" aria-labelledby="recovery-backups">
          <h2 id="recovery-backups">1. Restore a backup (recommended)</h2>
          <p className="muted">
            Your conversations come back as they were when the backup was made. Each backup is checked before it is
            used; the damaged file is kept aside.
          </p>
          {status && status.backups.length === 0 && (
            <div className="card recovery-empty">
              No backups were found on this computer. If you have one on a USB drive, copy it into the backups folder,
              then{' '}
              <button className="linklike" onClick={load}>
                look again
              </button>
              . Otherwise, salvage below.
            </div>
          )}
          <ul className="recovery-backups">
            {status?.backups.map((b, i) => (
              <li key={b.name} className="card recovery-backup">
                <div className="recovery-backup-facts">
                  <div className="recovery-backup-date">
                    {when(b.createdAt)} <span className="muted">({ago(b.createdAt)})</span>
                    {i === 0 && <span className="recovery-badge">Newest</span>}
                  </div>
                  <div>
                    {plural(b.sessions, 'conversation')}, {plural(b.messages, 'message')}
                  </div>
                  <div className="muted small">
                    {KIND_WORDS[b.kind] ?? b.kind}
                    {b.lastMessageAt ? ` · last conversation ${when(b.lastMessageAt)}` : ''}
                  </div>
                </div>
                <button
                  className={i === 0 ? 'btn btn-primary' : 'btn'}
                  disabled={working !== null}
                  onClick={() => void restore(b)}
                  aria-label={`Restore the backup from ${when(b.createdAt)}`}
                >
                  {working === b.name ? 'Checking and restoring…' : 'Restore this backup'}
                </button>
              </li>
            ))}
          </ul>
          {status && status.damagedBackups.length > 0 && (
            <p className="muted small">
              {plural(status.damagedBackups.length, 'backup file')} could not be used:{' '}
              {status.damagedBackups.map((d) => d.name).join(', ')}.
            </p>
          )}
        </section>

        <section className="recovery-section" aria-labelledby="recovery-salvage">
          <h2 id="recovery-salvage">2. No good backup? Salvage what can be read</h2>
          <p className="muted">
            AERIS-AQ copies every conversation and message it can still read into a new, healthy file, and tells you
            exactly what could not be saved. Use this when there is no backup, or the newest one is too old.
          </p>
          <button className="btn" disabled={working !== null} onClick={() => void salvage()}>
            {working === 'salvage' ? 'Salvaging…' : 'Salvage what can be read'}
          </button>
        </section>

        <p className="muted small recovery-foot">
          For support staff: the same is available on the command line as <code>aeris store salvage</code> and{' '}
          <code>aeris backup restore</code>.
        </p>
      </div>
    </main>
  );
}

function TableLine({ t }: { t: SalvagedTableDto }) {
  const words = TABLE_WORDS[t.table] ?? t.table;
  const lost = t.unreadable
    ? 'none could be read'
    : t.lost
      ? `${t.lost.toLocaleString()} could not be read`
      : 'all kept';
  return (
    <tr>
      <th scope="row">{words}</th>
      <td>{t.kept.toLocaleString()} kept</td>
      <td className={t.lost || t.unreadable ? 'recovery-lost' : 'muted'}>{lost}</td>
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
            <h1 id="recovered-title">Your chat history is back</h1>
            {done.kind === 'restore' ? (
              <p className="recovery-lead">
                Restored the backup from {when(done.result.restored.createdAt)}:{' '}
                {plural(done.result.restored.sessions, 'conversation')},{' '}
                {plural(done.result.restored.messages, 'message')}. Anything written after that backup is not in it.
              </p>
            ) : done.result.tables.every((t) => t.kept === 0) ? (
              <p className="recovery-lead">
                Nothing could be read from the damaged file, so AERIS-AQ starts with an empty chat history. The damaged
                file is kept, so a specialist may still get more out of it.
              </p>
            ) : (
              <p className="recovery-lead">Everything that could still be read was saved into a new, healthy file.</p>
            )}
          </div>
        </header>
        {done.kind === 'salvage' && (
          <table className="card recovery-table">
            <tbody>
              {done.result.tables
                .filter((t) => t.kept > 0 || t.lost || t.unreadable)
                .map((t) => (
                  <TableLine key={t.table} t={t} />
                ))}
            </tbody>
          </table>
        )}
        {done.result.keptAside && (
          <p className="muted small">
            The damaged file was kept (not deleted) as <code>{done.result.keptAside}</code>.
          </p>
        )}
        <button className="btn btn-primary recovery-continue" onClick={onDone} ref={(el) => el?.focus()}>
          Open AERIS-AQ
        </button>
      </div>
    </main>
  );
}
