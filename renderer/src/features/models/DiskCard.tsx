import { useModels } from '../../stores/models-store';
import { diskSize } from '../../lib/format';
import { t } from '../../i18n';

/** Colours for the per-model segments; the free part is the bar's empty track. */
const SEGMENT_COLORS = ['#0b84c6', '#0f9d76', '#7b61ff', '#e07b39', '#c2417a', '#3b9fb0', '#8a8f2a', '#5468d4'];

/** Disk used per model and in total, against what is free on the models folder's drive. */
export function DiskCard() {
  const installed = useModels((s) => s.installed);
  if (!installed) return <section className="card mp-card mp-disk" aria-label={t('models.disk.usage')} />;
  const { models, totalBytes, disk } = installed;
  const free = disk.freeBytes;
  const scale = totalBytes + (free ?? 0);
  const sorted = [...models].sort((a, b) => b.sizeBytes - a.sizeBytes);
  const lowDisk = free !== null && free < 5e9;
  return (
    <section className="card mp-card mp-disk" aria-label={t('models.disk.usage')}>
      <header className="mp-card-head">
        <h2>{t('models.disk.title')}</h2>
        <span className="muted small">{t('models.disk.count', { count: models.length })}</span>
      </header>
      <div className="mp-disk-figures">
        <div>
          <div className="mp-big" data-testid="disk-used">
            {diskSize(totalBytes)}
          </div>
          <div className="muted small">{t('models.disk.used')}</div>
        </div>
        <div>
          <div className={`mp-big${lowDisk ? ' bad' : ''}`} data-testid="disk-free">
            {free === null ? '—' : diskSize(free)}
          </div>
          <div className="muted small">
            {disk.volumeBytes ? t('models.disk.freeOf', { total: diskSize(disk.volumeBytes) }) : t('models.disk.free')}
          </div>
        </div>
      </div>
      {scale > 0 && (
        <div
          className="mp-stack"
          role="img"
          aria-label={
            free !== null
              ? t('models.disk.useFree', { used: diskSize(totalBytes), free: diskSize(free) })
              : t('models.disk.use', { used: diskSize(totalBytes) })
          }
        >
          {sorted.map((m, i) => (
            <div
              key={m.name}
              title={`${m.name}: ${diskSize(m.sizeBytes)}`}
              style={{
                width: `${(m.sizeBytes / scale) * 100}%`,
                background: SEGMENT_COLORS[i % SEGMENT_COLORS.length],
              }}
            />
          ))}
        </div>
      )}
      <ul className="mp-legend">
        {sorted.map((m, i) => (
          <li key={m.name}>
            <span className="mp-swatch" style={{ background: SEGMENT_COLORS[i % SEGMENT_COLORS.length] }} aria-hidden />
            <span className="mp-legend-name">{m.name}</span>
            <span className="muted">{diskSize(m.sizeBytes)}</span>
          </li>
        ))}
        {free !== null && (
          <li>
            <span className="mp-swatch free" aria-hidden />
            <span className="mp-legend-name">{t('models.disk.freeSpace')}</span>
            <span className="muted">{diskSize(free)}</span>
          </li>
        )}
      </ul>
      <p className="muted small mp-disk-where">
        {disk.modelsDir ? (
          <>
            {t('models.disk.folder')} <code>{disk.modelsDir}</code>
          </>
        ) : (
          t('models.disk.remote')
        )}
        {lowDisk && <strong className="mp-bad-text"> {t('models.disk.low')}</strong>}
      </p>
    </section>
  );
}
