import { useCallback, useEffect, useState } from 'react';
import type { ImportedSiteDto, ImportFileDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { diskSize, relativeTime } from '../../lib/format';
import { useApp } from '../../stores/app-store';
import { ImportCard } from './ImportCard';
import { SiteView } from './SiteView';
import './data.css';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const coord = (v: number | null) => (v === null ? '—' : v.toFixed(4));

/** The imported-data page: import sensor files, list their sites, chart a site against the WHO guideline. */
export function DataPage() {
  const [sites, setSites] = useState<ImportedSiteDto[] | null>(null);
  const [files, setFiles] = useState<ImportFileDto[]>([]);
  const [selected, setSelected] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const api = getApi();
      const [s, f] = await Promise.all([api.call('imports.sites', {}), api.call('imports.list', {})]);
      setSites(s.sites);
      setFiles(f.imports);
      setSelected((cur) => (cur && s.sites.some((x) => x.name === cur) ? cur : (s.sites[0]?.name ?? null)));
    } catch (err) {
      useApp.getState().notify('error', errorText(err));
    }
  }, []);

  useEffect(() => void refresh(), [refresh]);

  const remove = async (f: ImportFileDto) => {
    if (!window.confirm(`Remove the readings that ${f.name} added (${f.rowsImported.toLocaleString()})?`)) return;
    try {
      await getApi().call('imports.delete', { id: f.id });
      await refresh();
    } catch (err) {
      useApp.getState().notify('error', errorText(err));
    }
  };

  const site = sites?.find((s) => s.name === selected) ?? null;

  return (
    <div className="page-body data-page">
      <h1 className="page-title">Imported data</h1>
      <p className="muted data-intro">
        Readings from your own sensors, kept on this computer. Ask about them in the chat too: the assistant answers
        from these files and names them as the source.
      </p>
      <div className="data-top">
        <ImportCard onImported={() => void refresh()} />
        <section className="card data-sites">
          <h2>Sites</h2>
          {sites === null ? (
            <p className="muted small">Loading…</p>
          ) : sites.length === 0 ? (
            <p className="muted small">No sensor data yet. Import a file to see its sites here.</p>
          ) : (
            <div className="data-table-wrap">
              <table className="data-table" aria-label="Imported sites">
                <thead>
                  <tr>
                    <th>Site</th>
                    <th>Location</th>
                    <th className="num">Readings</th>
                    <th>From</th>
                    <th>To</th>
                  </tr>
                </thead>
                <tbody>
                  {sites.map((s) => (
                    <tr
                      key={s.id}
                      className={s.name === selected ? 'on' : ''}
                      aria-selected={s.name === selected}
                      onClick={() => setSelected(s.name)}
                    >
                      <td>
                        <button type="button" className="data-site-btn" onClick={() => setSelected(s.name)}>
                          {s.name}
                        </button>
                        <span className="data-src">{s.sources.join(', ')}</span>
                      </td>
                      <td className="small muted">
                        {s.latitude === null ? '—' : `${coord(s.latitude)}, ${coord(s.longitude)}`}
                      </td>
                      <td className="num">{s.count.toLocaleString()}</td>
                      <td className="small">{day(s.firstTime)}</td>
                      <td className="small">{day(s.lastTime)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
      </div>
      {site && <SiteView key={site.name} site={site} />}
      {files.length > 0 && (
        <section className="card data-files">
          <h2>Imported files</h2>
          <ul>
            {files.map((f) => (
              <li key={f.id}>
                <span className="data-file-name">{f.name}</span>
                <span className="small muted">
                  {f.format} · {diskSize(f.sizeBytes)} · {f.rowsImported.toLocaleString()} new of{' '}
                  {f.rowsRead.toLocaleString()} rows
                  {f.errorCount > 0 ? ` · ${f.errorCount.toLocaleString()} bad lines` : ''} ·{' '}
                  {relativeTime(f.importedAt)}
                  {f.status !== 'done' ? ` · ${f.status}` : ''}
                </span>
                <button type="button" className="link-btn data-remove" onClick={() => void remove(f)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
