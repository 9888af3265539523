import { ConfirmDialog } from '../../components/Dialog';
import { Card } from '../../components/Card';
import { PageHead } from '../../components/PageHead';
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

  // Loads once on mount; the state is set after the awaited calls.
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => void refresh(), [refresh]);

  const [removing, setRemoving] = useState<ImportFileDto | null>(null);
  const remove = async (f: ImportFileDto) => {
    setRemoving(null);
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
      <PageHead
        title="Imported data"
        lead="Readings from your own sensors, kept on this computer. Ask about them in the chat too: the assistant answers from these files and names them as the source."
      />
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
        <Card title="Imported files" className="data-files">
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
                <button type="button" className="link-btn data-remove" onClick={() => setRemoving(f)}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove ${removing.name}?`}
          confirmLabel="Remove"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        >
          <p>
            The {removing.rowsImported.toLocaleString()} readings this file added are removed. The file itself is not
            touched; import it again to bring them back.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
