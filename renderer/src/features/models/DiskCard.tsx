import { useModels } from '../../stores/models-store';
import { diskSize } from '../../lib/format';

/** Colours for the per-model segments; the free part is the bar's empty track. */
const SEGMENT_COLORS = ['#0b84c6', '#0f9d76', '#7b61ff', '#e07b39', '#c2417a', '#3b9fb0', '#8a8f2a', '#5468d4'];

/** Disk used per model and in total, against what is free on the models folder's drive. */
export function DiskCard() {
  const installed = useModels((s) => s.installed);
  if (!installed) return <section className="card mp-card mp-disk" aria-label="Disk usage" />;
  const { models, totalBytes, disk } = installed;
  const free = disk.freeBytes;
  const scale = totalBytes + (free ?? 0);
  const sorted = [...models].sort((a, b) => b.sizeBytes - a.sizeBytes);
  const lowDisk = free !== null && free < 5e9;
  return (
    <section className="card mp-card mp-disk" aria-label="Disk usage">
      <header className="mp-card-head">
        <h2>Disk</h2>
        <span className="muted small">
          {models.length} model{models.length === 1 ? '' : 's'}
        </span>
      </header>
      <div className="mp-disk-figures">
        <div>
          <div className="mp-big" data-testid="disk-used">
            {diskSize(totalBytes)}
          </div>
          <div className="muted small">used by models</div>
        </div>
        <div>
          <div className={`mp-big${lowDisk ? ' bad' : ''}`} data-testid="disk-free">
            {free === null ? '—' : diskSize(free)}
          </div>
          <div className="muted small">free{disk.volumeBytes ? ` of ${diskSize(disk.volumeBytes)}` : ''}</div>
        </div>
      </div>
      {scale > 0 && (
        <div
          className="mp-stack"
          role="img"
          aria-label={`Models use ${diskSize(totalBytes)}${free !== null ? `, ${diskSize(free)} free` : ''}`}
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
            <span className="mp-legend-name">Free space</span>
            <span className="muted">{diskSize(free)}</span>
          </li>
        )}
      </ul>
      <p className="muted small mp-disk-where">
        {disk.modelsDir ? (
          <>
            Models folder: <code>{disk.modelsDir}</code>
          </>
        ) : (
          'Ollama runs on another machine: its disk is not visible from here.'
        )}
        {lowDisk && <strong className="mp-bad-text"> Little space left: delete a model before pulling another.</strong>}
      </p>
    </section>
  );
}
