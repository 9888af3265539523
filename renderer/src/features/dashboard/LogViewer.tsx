import { useEffect, useRef, useState } from 'react';
import type { LogEntryDto, LogFileDto, LogLevelDto } from '../../../../preload/contract';
import { useDashboard, type LogRange } from '../../stores/dashboard-store';
import { currentLanguage, t } from '../../i18n';

const FILES: { id: LogFileDto; file: string }[] = [
  { id: 'app', file: 'app.log' },
  { id: 'errors', file: 'errors.json' },
  { id: 'access', file: 'access.log' },
  { id: 'ollama', file: 'ollama.log' },
];
const RANGES: LogRange[] = ['15m', '1h', '24h', '7d', 'all'];

/** "Nov 28 01:05:38": 24-hour, so columns line up in every locale. */
function logTime(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString(currentLanguage(), { month: 'short', day: 'numeric' });
  const time = d.toLocaleTimeString(currentLanguage(), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  });
  return `${date} ${time}`;
}

/** Structured entries print as time, level, component, message; plain lines (access, Ollama) as written. */
function messageOf(e: LogEntryDto): string {
  if (!e.raw.startsWith('{')) return e.raw;
  const ctx = e.context && Object.keys(e.context).length ? ` ${JSON.stringify(e.context)}` : '';
  return `${e.message}${ctx}`;
}

/** The four logs with level, text and time filters, a live tail, and a download of what is shown. */
export function LogViewer() {
  const filter = useDashboard((s) => s.logFilter);
  const entries = useDashboard((s) => s.logEntries);
  const truncated = useDashboard((s) => s.logTruncated);
  const loading = useDashboard((s) => s.logLoading);
  const error = useDashboard((s) => s.logError);
  const live = useDashboard((s) => s.live);
  const [text, setText] = useState(filter.text);
  const listRef = useRef<HTMLDivElement>(null);
  const d = useDashboard.getState();

  // Search as you type, without a query per keystroke.
  useEffect(() => {
    if (text === useDashboard.getState().logFilter.text) return;
    const timer = setTimeout(() => useDashboard.getState().setLogFilter({ text }), 300);
    return () => clearTimeout(timer);
  }, [text]);

  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => void useDashboard.getState().pollTail(), 1500);
    return () => clearInterval(timer);
  }, [live]);

  // Follow the newest line while tailing.
  useEffect(() => {
    if (live && listRef.current) listRef.current.scrollTop = listRef.current.scrollHeight;
  }, [entries, live]);

  const download = () => {
    const blob = new Blob([entries.map((e) => e.raw).join('\n') + '\n'], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
    a.download = `aeris-${filter.file}-${stamp}.log`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };

  return (
    <section className="card db-card db-logs" aria-labelledby="db-logs-title">
      <div className="db-card-head">
        <h2 id="db-logs-title">{t('dashboard.logs.title')}</h2>
        <div className="db-inline">
          <label className="db-switch">
            <input type="checkbox" checked={live} onChange={(e) => void d.setLive(e.target.checked)} />
            <span>{t('dashboard.logs.live')}</span>
          </label>
          <button className="btn db-btn-small" onClick={download} disabled={entries.length === 0}>
            {t('dashboard.logs.download')}
          </button>
        </div>
      </div>
      <div className="db-log-filters">
        <label>
          <span className="small muted">{t('dashboard.logs.log')}</span>
          <select
            value={filter.file}
            onChange={(e) => d.setLogFilter({ file: e.target.value as LogFileDto })}
            aria-label={t('dashboard.logs.file')}
          >
            {FILES.map((f) => (
              <option key={f.id} value={f.id}>
                {t(`dashboard.logs.files.${f.id}`)} ({f.file})
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="small muted">{t('dashboard.logs.level')}</span>
          <select
            value={filter.level}
            onChange={(e) => d.setLogFilter({ level: e.target.value as LogLevelDto | '' })}
            aria-label={t('dashboard.logs.level')}
          >
            <option value="">{t('dashboard.logs.levels.all')}</option>
            <option value="debug">{t('dashboard.logs.levels.debug')}</option>
            <option value="info">{t('dashboard.logs.levels.info')}</option>
            <option value="warn">{t('dashboard.logs.levels.warn')}</option>
            <option value="error">{t('dashboard.logs.levels.error')}</option>
          </select>
        </label>
        <label>
          <span className="small muted">{t('dashboard.logs.time')}</span>
          <select
            value={filter.range}
            onChange={(e) => d.setLogFilter({ range: e.target.value as LogRange })}
            aria-label={t('dashboard.metrics.range')}
          >
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`dashboard.logs.ranges.${r}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="db-log-search">
          <span className="small muted">{t('dashboard.logs.search')}</span>
          <input
            type="search"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('dashboard.logs.searchPlaceholder')}
            aria-label={t('dashboard.logs.searchLabel')}
          />
        </label>
      </div>
      {error && <p className="db-error">{error}</p>}
      <div
        className="db-log-list"
        ref={listRef}
        role="log"
        aria-label={t('dashboard.logs.entriesLabel')}
        aria-busy={loading}
        // Scrolls on its own: reachable with Tab so the arrow keys can scroll it.
        tabIndex={0}
      >
        {entries.length === 0 ? (
          <p className="muted small db-log-empty">
            {loading ? t('dashboard.logs.reading') : t('dashboard.logs.noMatch')}
          </p>
        ) : (
          entries.map((e, i) => (
            <div key={`${e.time}-${i}`} className={`db-log-row level-${e.level}`}>
              <time dateTime={e.time}>{logTime(e.time)}</time>
              <span className={`db-level level-${e.level}`}>{e.level}</span>
              <span className="db-log-comp">{e.component}</span>
              <span className="db-log-msg">{messageOf(e)}</span>
            </div>
          ))
        )}
      </div>
      <div className="muted small db-log-foot">
        {t('dashboard.logs.entries', { count: entries.length })}
        {truncated ? ` (${t('dashboard.logs.truncated')})` : ''}
        {live ? ` · ${t('dashboard.logs.following')}` : ''}
      </div>
    </section>
  );
}
