import { ConfirmDialog } from '../../components/Dialog';
import { Card } from '../../components/Card';
import { PageHead } from '../../components/PageHead';
import { useEffect, useState } from 'react';
import type { ImportFileDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { diskSize, formatNumber, relativeTime } from '../../lib/format';
import { useCall } from '../../lib/use-call';
import { useApp } from '../../stores/app-store';
import { ImportCard } from './ImportCard';
import { SiteView } from './SiteView';
import './data.css';
import { t } from '../../i18n';

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const coord = (v: number | null) =>
  v === null ? '—' : formatNumber(v, { minimumFractionDigits: 4, maximumFractionDigits: 4 });

/** The imported-data page: import sensor files, list their sites, chart a site against the WHO guideline. */
export function DataPage() {
  const sitesCall = useCall('imports.sites', {});
  const filesCall = useCall('imports.list', {});
  const sites = sitesCall.data?.sites ?? null;
  const files = filesCall.data?.imports ?? [];
  // The site picked, while it is still there; else the first.
  const [picked, setSelected] = useState<string | null>(null);
  const selected = picked && sites?.some((x) => x.name === picked) ? picked : (sites?.[0]?.name ?? null);

  // After an import or a removal: both lists again.
  const refresh = () => Promise.all([sitesCall.reload(), filesCall.reload()]);

  // A failed read is told as a notice, as a failed removal is.
  const failed = sitesCall.error ?? filesCall.error;
  const settled = !sitesCall.loading && !filesCall.loading;
  useEffect(() => {
    if (failed && settled) useApp.getState().notify('error', failed);
  }, [failed, settled]);

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
      <PageHead title={t('data.title')} lead={t('data.lead')} />
      <div className="data-top">
        <ImportCard onImported={() => void refresh()} />
        <section className="card data-sites">
          <h2>{t('data.sites')}</h2>
          {sites === null ? (
            <p className="muted small">{t('common.loading')}</p>
          ) : sites.length === 0 ? (
            <p className="muted small">{t('data.noSites')}</p>
          ) : (
            <div className="data-table-wrap">
              <table className="data-table" aria-label={t('data.sitesLabel')}>
                <thead>
                  <tr>
                    <th>{t('data.site')}</th>
                    <th>{t('data.location')}</th>
                    <th className="num">{t('data.readings')}</th>
                    <th>{t('data.from')}</th>
                    <th>{t('data.to')}</th>
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
                      <td className="num">{formatNumber(s.count)}</td>
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
        <Card title={t('data.files')} className="data-files">
          <ul>
            {files.map((f) => (
              <li key={f.id}>
                <span className="data-file-name">{f.name}</span>
                <span className="small muted">
                  {f.format} · {diskSize(f.sizeBytes)} ·{' '}
                  {t('data.newOf', {
                    count: f.rowsRead,
                    n: formatNumber(f.rowsImported),
                    total: formatNumber(f.rowsRead),
                  })}
                  {f.errorCount > 0
                    ? ` · ${t('data.badLines', { count: f.errorCount, n: formatNumber(f.errorCount) })}`
                    : ''}{' '}
                  · {relativeTime(f.importedAt)}
                  {f.status !== 'done' ? ` · ${f.status}` : ''}
                </span>
                <button type="button" className="link-btn data-remove" onClick={() => setRemoving(f)}>
                  {t('data.remove')}
                </button>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {removing && (
        <ConfirmDialog
          title={t('data.removeTitle', { name: removing.name })}
          confirmLabel={t('data.remove')}
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => void remove(removing)}
        >
          <p>{t('data.removeBody', { count: removing.rowsImported, n: formatNumber(removing.rowsImported) })}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
