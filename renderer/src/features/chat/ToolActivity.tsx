import type { AqiBadgeDto, ToolActivityDto } from '../../../../preload/contract';
import { onDemand } from '../../lib/on-demand';
import './tool-activity.css';
import { measuredTime, sourceLabel, toolWords } from './tool-words';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDecimal, formatNumber } from '../../lib/format';

// Few replies draw a chart: the chart's code loads with the first one.
const Chart = onDemand(async () => (await import('../../components/chart')).Chart, null);

function formatDuration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${formatNumber(ms)} ms` : `${formatDecimal(ms / 1000)} s`;
}

/** Black or white text, whichever reads on the category colour (yellow needs black, maroon white). */
function textOn(hex: string): string {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) return '#000';
  const n = parseInt(m[1]!, 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const lum = 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  return lum > 0.36 ? '#111' : '#fff';
}

const POLLUTANT_LABELS: Record<string, string> = {
  pm25: 'PM2.5',
  pm10: 'PM10',
  o3: 'O₃',
  no2: 'NO₂',
  so2: 'SO₂',
  co: 'CO',
};

/** An AQI in its US EPA category colour. */
function AqiBadge({ aqi }: { aqi: AqiBadgeDto }) {
  const pollutant = aqi.pollutant ? (POLLUTANT_LABELS[aqi.pollutant] ?? aqi.pollutant) : null;
  const when = aqi.measuredAt ? measuredTime(aqi.measuredAt) : null;
  const { t } = useTranslation();
  const title = [
    `US AQI ${aqi.value}: ${aqi.category}`,
    pollutant ? t('chat.aqi.dominant', { pollutant }) : '',
    aqi.measuredAt ? t('chat.aqi.measured', { when: formatDateTime(aqi.measuredAt) }) : '',
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <span
      className="aqi-badge"
      data-testid="aqi-badge"
      style={{ background: aqi.color, color: textOn(aqi.color) }}
      title={title}
    >
      <span className="aqi-value">AQI {aqi.value}</span>
      <span className="aqi-category">{aqi.category}</span>
      {aqi.place && <span className="aqi-place">{aqi.place}</span>}
      {when && <span className="aqi-time">· {when}</span>}
    </span>
  );
}

/** One tool call in plain words; opened, it shows the tool, its sources, time and what it found. */
function ToolChip({ tool }: { tool: ToolActivityDto }) {
  const sources = tool.sources.map(sourceLabel);
  const { t } = useTranslation();
  return (
    <li className={`tool-chip tool-${tool.status}`} data-testid="tool-chip">
      <details>
        <summary>
          <span className="tool-state" aria-label={t(`chat.toolStatus.${tool.status}`)}>
            {tool.status === 'running' ? <span className="tool-spinner" /> : tool.status === 'done' ? '✓' : '!'}
          </span>
          <span className="tool-words">{toolWords(tool)}</span>
          {tool.durationMs !== null && <span className="tool-duration">{formatDuration(tool.durationMs)}</span>}
          {tool.cached && (
            <span className={`tool-cached ${tool.stale ? 'stale' : ''}`}>
              {tool.stale ? t('chat.tool.cachedOld') : t('chat.tool.cached')}
            </span>
          )}
        </summary>
        <dl className="tool-detail">
          <dt>{t('chat.tool.tool')}</dt>
          <dd>
            <code className="tool-name">{tool.name}</code>
          </dd>
          {tool.label && (
            <>
              <dt>{t('chat.tool.askedAbout')}</dt>
              <dd>{tool.label}</dd>
            </>
          )}
          {sources.length > 0 && (
            <>
              <dt>{t('chat.tool.source')}</dt>
              <dd className="tool-source">{sources.join(', ')}</dd>
            </>
          )}
          {tool.summary && (
            <>
              <dt>{t('chat.tool.found')}</dt>
              <dd>{tool.summary}</dd>
            </>
          )}
        </dl>
      </details>
    </li>
  );
}

/** What the reply's tools did: chips (name, source, time, cached), AQI badges, and charts. */
export function ToolActivity({ tools }: { tools: ToolActivityDto[] }) {
  const { t: tr } = useTranslation();
  if (tools.length === 0) return null;
  const badges = tools.filter((t) => t.aqi).map((t) => ({ seq: t.seq, aqi: t.aqi! }));
  const charts = tools.filter((t) => t.chart).map((t) => ({ seq: t.seq, chart: t.chart! }));
  return (
    <div className="tool-activity">
      {badges.length > 0 && (
        <div className="aqi-badges">
          {badges.map((b) => (
            <AqiBadge key={b.seq} aqi={b.aqi} />
          ))}
        </div>
      )}
      {charts.map((c) => (
        <Chart key={c.seq} spec={c.chart} />
      ))}
      <ul className="tool-chips" aria-label={tr('chat.tool.used')}>
        {tools.map((t) => (
          <ToolChip key={t.seq} tool={t} />
        ))}
      </ul>
    </div>
  );
}
