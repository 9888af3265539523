import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { ImportProgressDto, ImportReportDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { diskSize } from '../../lib/format';
import { importFile, type ImportFormatChoice } from './import-file';

const FORMATS: Array<{ id: ImportFormatChoice; label: string }> = [
  { id: 'auto', label: 'Detect from the columns' },
  { id: 'purpleair', label: 'PurpleAir (SD card or download)' },
  { id: 'airqo', label: 'AirQo export' },
  { id: 'openaq', label: 'OpenAQ export' },
  { id: 'generic', label: 'Generic CSV' },
];

interface Running {
  importId: string;
  name: string;
  size: number;
  progress: ImportProgressDto | null;
}

const n = (v: number) => v.toLocaleString();

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
          <dt>Rows read</dt>
          <dd>{n(r.rowsRead)}</dd>
        </div>
        <div>
          <dt>Imported</dt>
          <dd>{n(r.rowsImported)}</dd>
        </div>
        <div>
          <dt>Duplicates</dt>
          <dd>{n(r.duplicates)}</dd>
        </div>
        <div className={r.errorCount ? 'warn' : ''}>
          <dt>Bad lines</dt>
          <dd>{n(r.errorCount)}</dd>
        </div>
      </dl>
      {r.previousImport && (
        <p className="small muted">
          This file was imported before ({r.previousImport.name},{' '}
          {new Date(r.previousImport.importedAt).toLocaleString()}); nothing was added twice.
        </p>
      )}
      {r.replaced > 0 && (
        <p className="small">
          {n(r.replaced)} stored values were replaced: a calibrated value beats a raw one, and between two of the same
          kind the later import wins.
        </p>
      )}
      {r.naiveTimestamps.rows > 0 && (
        <p className="small" data-testid="import-zone">
          {n(r.naiveTimestamps.rows)} timestamps had no time zone and were read as {r.naiveTimestamps.zone}
          {r.naiveTimestamps.defaulted
            ? ' (the default; to read them in another zone, remove this import below, choose the zone and import the file again)'
            : ''}
          .
        </p>
      )}
      {r.coordinatesRejected > 0 && (
        <p className="small">
          {n(r.coordinatesRejected)} rows had coordinates at (0, 0) or out of range: their readings were kept, their
          positions ignored.
        </p>
      )}
      {r.sites.length > 0 && (
        <ul className="small data-report-sites">
          {r.sites.slice(0, 20).map((s) => (
            <li key={s.name}>
              <b>{s.name}</b>: {n(s.rows)} {s.periods.join('/')} rows
              {s.devices.length > 0 && ` · ${s.devices.join(', ')}`}
              {s.latitude !== null && s.longitude !== null ? ` · ${s.latitude}, ${s.longitude}` : ' · no location'}
              {s.outlyingRows > 0 && ` (${n(s.outlyingRows)} rows far from it ignored)`}
            </li>
          ))}
        </ul>
      )}
      {r.flagged > 0 && (
        <p className="small">
          {n(r.flagged)} rows where the two sensor channels disagree are kept but left out of the means.
        </p>
      )}
      {r.epaCorrected > 0 && (
        <p className="small">
          US EPA correction computed for {n(r.epaCorrected)} rows and kept apart from the measured values.{' '}
          <span className="data-us-derived">US-derived</span>
        </p>
      )}
      {r.errors.length > 0 && (
        <details className="data-errors" open={r.errors.length <= 5}>
          <summary>{r.errorCount === 1 ? '1 line was skipped' : `${n(r.errorCount)} lines were skipped`}</summary>
          <ul>
            {r.errors.slice(0, 50).map((e) => (
              <li key={e.line}>
                <span className="data-line">line {e.line}</span> {e.reason}
              </li>
            ))}
          </ul>
          {r.errorCount > 50 && <p className="small muted">…and {n(r.errorCount - 50)} more.</p>}
        </details>
      )}
    </div>
  );
}

/** Drag-and-drop (or pick) a sensor file; shows progress and the import report. */
export function ImportCard({ onImported }: { onImported: () => void }) {
  const [format, setFormat] = useState<ImportFormatChoice>('auto');
  const [timeZone, setTimeZone] = useState('');
  const [over, setOver] = useState(false);
  const [running, setRunning] = useState<Running | null>(null);
  const [report, setReport] = useState<ImportReportDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
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

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) void start(file);
  };

  const p = running?.progress;
  const pct = p && p.totalBytes > 0 ? Math.min(100, Math.round((p.bytesRead / p.totalBytes) * 100)) : null;

  return (
    <section className="card data-import">
      <h2>Import a sensor file</h2>
      <div
        className={`data-drop ${over ? 'over' : ''} ${running ? 'busy' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {running ? (
          <div className="data-progress" aria-live="polite">
            <div className="small">
              Importing <b>{running.name}</b> ({diskSize(running.size)}){p ? ` — ${n(p.rowsRead)} rows` : ' — sending…'}
            </div>
            <div
              className={`progress ${pct === null ? 'indeterminate' : ''}`}
              role="progressbar"
              aria-label="Import progress"
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
              Drop a CSV or Excel file here, or{' '}
              <button type="button" className="link-btn data-pick" onClick={() => input.current?.click()}>
                choose a file
              </button>
            </div>
            <div className="small muted">
              PurpleAir SD card · AirQo export · timestamp, site, latitude, longitude, pm2_5, pm10
            </div>
          </>
        )}
        <input
          ref={input}
          type="file"
          accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          hidden
          aria-label="Sensor file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void start(f);
          }}
        />
      </div>
      <label className="data-format small">
        Format
        <select value={format} onChange={(e) => setFormat(e.target.value as ImportFormatChoice)} disabled={!!running}>
          {FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <label className="data-format small">
        Time zone of timestamps without one
        <input
          list="data-zones"
          value={timeZone}
          placeholder="UTC (default)"
          onChange={(e) => setTimeZone(e.target.value)}
          disabled={!!running}
          aria-label="Time zone for timestamps without one"
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
