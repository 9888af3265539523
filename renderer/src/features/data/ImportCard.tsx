import { engineText } from '../../i18n/engine-text';
import { useEffect, useRef, useState } from 'react';
import type { ImportProgressDto, ImportReportDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { FileDrop } from '../../components/FileDrop';
import { diskSize } from '../../lib/format';
import { importFile, type ImportFormatChoice } from './import-file';
import { t } from '../../i18n';
import { formatDateTime, formatNumber } from '../../lib/format';

const FORMATS: ImportFormatChoice[] = ['auto', 'purpleair', 'airqo', 'openaq', 'generic'];

interface Running {
  importId: string;
  name: string;
  size: number;
  progress: ImportProgressDto | null;
}

const n = (v: number) => formatNumber(v);

/** Zones offered for timestamps written without one; any IANA name may be typed. */
const ZONES = [
  'Africa/Kampala',
  'Africa/Nairobi',
  'Africa/Lagos',
  'Africa/Accra',
  'Africa/Johannesburg',
  'Europe/London',
];

function Report({ r }: { r: ImportReportDto }) {
  return (
    <div className="data-report" data-testid="import-report">
      <div className="data-report-head">
        <b>{r.file}</b> <span className="muted small">({r.format})</span>
      </div>
      <dl className="data-stats">
        <div>
          <dt>{t('data.report.rowsRead')}</dt>
          <dd>{n(r.rowsRead)}</dd>
        </div>
        <div>
          <dt>{t('data.report.imported')}</dt>
          <dd>{n(r.rowsImported)}</dd>
        </div>
        <div>
          <dt>{t('data.report.duplicates')}</dt>
          <dd>{n(r.duplicates)}</dd>
        </div>
        <div className={r.errorCount ? 'warn' : ''}>
          <dt>{t('data.report.badLines')}</dt>
          <dd>{n(r.errorCount)}</dd>
        </div>
      </dl>
      {r.previousImport && (
        <p className="small muted">
          {t('data.report.before', {
            name: r.previousImport.name,
            when: formatDateTime(r.previousImport.importedAt),
          })}
        </p>
      )}
      {r.replaced > 0 && <p className="small">{t('data.report.replaced', { n: n(r.replaced) })}</p>}
      {r.naiveTimestamps.rows > 0 && (
        <p className="small" data-testid="import-zone">
          {t('data.report.naive', { n: n(r.naiveTimestamps.rows), zone: r.naiveTimestamps.zone })}
          {r.naiveTimestamps.defaulted ? ` (${t('data.report.naiveDefault')})` : ''}.
        </p>
      )}
      {r.coordinatesRejected > 0 && (
        <p className="small">{t('data.report.coordinates', { n: n(r.coordinatesRejected) })}</p>
      )}
      {r.sites.length > 0 && (
        <ul className="small data-report-sites">
          {r.sites.slice(0, 20).map((s) => (
            <li key={s.name}>
              <b>{s.name}</b>: {t('data.report.siteRows', { n: n(s.rows), periods: s.periods.join('/') })}
              {s.devices.length > 0 && ` · ${s.devices.join(', ')}`}
              {s.latitude !== null && s.longitude !== null
                ? ` · ${s.latitude}, ${s.longitude}`
                : ` · ${t('data.report.noLocation')}`}
              {s.outlyingRows > 0 && ` (${t('data.report.outlying', { n: n(s.outlyingRows) })})`}
            </li>
          ))}
        </ul>
      )}
      {r.flagged > 0 && <p className="small">{t('data.report.flagged', { n: n(r.flagged) })}</p>}
      {r.epaCorrected > 0 && (
        <p className="small">
          {t('data.report.epa', { n: n(r.epaCorrected) })}{' '}
          <span className="data-us-derived">{t('data.siteView.usDerived')}</span>
        </p>
      )}
      {r.errors.length > 0 && (
        <details className="data-errors" open={r.errors.length <= 5}>
          <summary>{t('data.report.skipped', { count: r.errorCount, n: n(r.errorCount) })}</summary>
          <ul>
            {r.errors.slice(0, 50).map((e) => (
              <li key={e.line}>
                <span className="data-line">{t('data.report.line', { line: e.line })}</span>{' '}
                {engineText(e.text, e.reason)}
              </li>
            ))}
          </ul>
          {r.errorCount > 50 && <p className="small muted">{t('data.report.more', { n: n(r.errorCount - 50) })}</p>}
        </details>
      )}
    </div>
  );
}

/** Drag-and-drop (or pick) a sensor file; shows progress and the import report. */
export function ImportCard({ onImported }: { onImported: () => void }) {
  const [format, setFormat] = useState<ImportFormatChoice>('auto');
  const [timeZone, setTimeZone] = useState('');
  const [running, setRunning] = useState<Running | null>(null);
  const [report, setReport] = useState<ImportReportDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = useRef<string | null>(null);

  useEffect(
    () =>
      getApi().on('imports.progress', (p) => {
        if (p.importId === current.current) setRunning((r) => (r ? { ...r, progress: p } : r));
      }),
    [],
  );

  const start = async (file: File) => {
    if (running) return;
    const importId = `ui-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`;
    current.current = importId;
    setError(null);
    setReport(null);
    setRunning({ importId, name: file.name, size: file.size, progress: null });
    try {
      setReport(await importFile(file, format, importId, timeZone.trim()));
      onImported();
    } catch (err) {
      setError(errorText(err));
    } finally {
      current.current = null;
      setRunning(null);
    }
  };

  const p = running?.progress;
  const pct = p && p.totalBytes > 0 ? Math.min(100, Math.round((p.bytesRead / p.totalBytes) * 100)) : null;

  return (
    <section className="card data-import">
      <h2>{t('data.import.title')}</h2>
      <FileDrop
        accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        inputLabel={t('data.import.file')}
        onFiles={([file]) => void start(file!)}
        zone={{ className: running ? 'data-drop busy' : 'data-drop', overClassName: 'over', testId: 'drop-zone' }}
      >
        {(choose) =>
          running ? (
            <div className="data-progress" aria-live="polite">
              <div className="small">
                {t('data.import.importing')} <b>{running.name}</b> ({diskSize(running.size)})
                {p ? ` — ${t('data.import.rows', { n: n(p.rowsRead) })}` : ` — ${t('data.import.sending')}`}
              </div>
              <div
                className={`progress ${pct === null ? 'indeterminate' : ''}`}
                role="progressbar"
                aria-label={t('data.import.progress')}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={pct ?? undefined}
              >
                <div style={{ width: `${pct ?? 30}%` }} />
              </div>
            </div>
          ) : (
            <>
              <svg
                width="30"
                height="30"
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth="1.6"
                aria-hidden
              >
                <path d="M12 15V4M7.5 8.5 12 4l4.5 4.5M4 15v4h16v-4" />
              </svg>
              <div>
                {t('data.import.drop')}{' '}
                <button type="button" className="link-btn data-pick" onClick={choose}>
                  {t('data.import.choose')}
                </button>
              </div>
              <div className="small muted">
                {t('data.import.formats')} · {/* Column names as they are written in the files: not translated. */}
                {/* eslint-disable-next-line i18next/no-literal-string */}
                <span lang="en">timestamp, site, latitude, longitude, pm2_5, pm10</span>
              </div>
            </>
          )
        }
      </FileDrop>
      <label className="data-format small">
        {t('data.import.format')}
        <select value={format} onChange={(e) => setFormat(e.target.value as ImportFormatChoice)} disabled={!!running}>
          {FORMATS.map((f) => (
            <option key={f} value={f}>
              {t(`data.import.formatName.${f}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="data-format small">
        {t('data.import.zone')}
        <input
          list="data-zones"
          value={timeZone}
          placeholder={t('data.import.zoneDefault')}
          onChange={(e) => setTimeZone(e.target.value)}
          disabled={!!running}
          aria-label={t('data.import.zoneLabel')}
        />
        <datalist id="data-zones">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>
      {error && (
        <p className="data-error" role="alert">
          {error}
        </p>
      )}
      {report && <Report r={report} />}
    </section>
  );
}
