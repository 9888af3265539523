import { useMemo, useState } from 'react';
import type { DailyMeansDto, ImportedSiteDto, ImportSeriesDto } from '../../../../preload/contract';
import { Chart, type ChartSpecDto } from '../../components/chart';
import { t } from '../../i18n';
import { formatNumber } from '../../lib/format';
import { useCall } from '../../lib/use-call';

type Pollutant = ImportSeriesDto['pollutant'];
type Aggregate = ImportSeriesDto['aggregate'];

const WHO_COLOR = '#1565C0';
const RAW_LIMIT = 5000;

const POLLUTANTS: Pollutant[] = ['pm25', 'pm10', 'pm25_epa'];
const pollutantLabel = (id: Pollutant): string =>
  id === 'pm25' ? 'PM2.5' : id === 'pm10' ? 'PM10' : `PM2.5, ${t('data.siteView.epaCorrected')}`;

const periodLabel = (p: ImportedSiteDto['periods'][number]): string => t(`data.siteView.period.${p}`);

const AGGREGATES: Aggregate[] = ['hourly', 'daily', 'raw'];
const aggregateLabel = (a: Aggregate): string => t(`data.siteView.aggregate.${a}`);

function seriesChart(s: ImportSeriesDto): ChartSpecDto {
  return {
    type: 'chart',
    version: 1,
    chartType: 'line',
    title: `${s.site}: ${s.label}, ${aggregateLabel(s.aggregate).toLocaleLowerCase()}`,
    units: s.unit,
    series: [{ name: s.site, points: s.points.map((p) => ({ x: p.time, y: Math.round(p.value * 10) / 10 })) }],
    referenceLines: [],
    bands: [],
  };
}

function dailyChart(d: DailyMeansDto): ChartSpecDto {
  return {
    type: 'chart',
    version: 1,
    chartType: 'bar',
    title: t('data.siteView.dailyTitle', { site: d.site, label: d.label }),
    units: d.unit,
    xLabel: t('data.siteView.dayUtc'),
    series: [
      {
        name: t('data.siteView.dailyMean', { label: d.label.split(',')[0] }),
        points: d.days.map((x) => ({ x: x.day, y: x.mean })),
      },
    ],
    referenceLines: [{ label: d.guideline.label, value: d.guideline.value, color: WHO_COLOR }],
    bands: [],
  };
}

/** How the days were counted, in the file's own frequency. */
function completeness(d: DailyMeansDto): string {
  const fromFile = d.days.filter((x) => x.basis === 'daily').length;
  const fromHours = d.days.length - fromFile;
  const parts: string[] = [];
  if (fromFile) parts.push(t('data.siteView.fromFile', { count: fromFile }));
  if (fromHours) {
    const full = d.days.filter((x) => x.basis === 'hours' && x.complete).length;
    parts.push(t('data.siteView.fromHours', { count: fromHours, full }));
  }
  return t('data.siteView.completeness', { parts: parts.join('; ') });
}

/** One site: its time series and its daily means against the WHO 2021 24-hour guideline. */
export function SiteView({ site }: { site: ImportedSiteDto }) {
  const [pollutant, setPollutant] = useState<Pollutant>('pm25');
  // A daily-means export has no hours to show: start on its days.
  const dailyOnly = site.periods.length > 0 && site.periods.every((x) => x === 'daily');
  const [aggregate, setAggregate] = useState<Aggregate>(dailyOnly ? 'daily' : 'hourly');
  const hasEpa = site.sources.includes('purpleair');
  const p = !hasEpa && pollutant === 'pm25_epa' ? 'pm25' : pollutant;
  // Read again after an import adds readings to this site (its count changes, its name does not).
  const again = { deps: [site.count] };
  const seriesCall = useCall(
    'imports.series',
    { site: site.name, pollutant: p, aggregate, ...(aggregate === 'raw' ? { limit: RAW_LIMIT } : {}) },
    again,
  );
  const dailyCall = useCall('imports.dailyMeans', { site: site.name, pollutant: p }, again);
  const series = seriesCall.data;
  const daily = dailyCall.data;
  // A new site or range clears the last one's error while it loads.
  const error = seriesCall.loading || dailyCall.loading ? null : (seriesCall.error ?? dailyCall.error);

  const seriesSpec = useMemo(() => (series && series.points.length ? seriesChart(series) : null), [series]);
  const dailySpec = useMemo(() => (daily && daily.days.length ? dailyChart(daily) : null), [daily]);

  return (
    <section className="card data-site" data-testid="site-view">
      <header className="data-site-head">
        <h2>{site.name}</h2>
        <span className="muted small">
          {t('data.siteView.readings', { count: site.count, n: formatNumber(site.count) })} (
          {site.periods.map(periodLabel).join(', ')}) · {site.files.join(', ')}
          {site.devices.length > 0 && ` · ${site.devices.join(', ')}`}
        </span>
      </header>
      <div className="data-controls">
        <label className="small">
          {t('data.siteView.pollutant')}
          <select value={p} onChange={(e) => setPollutant(e.target.value as Pollutant)}>
            {POLLUTANTS.filter((x) => hasEpa || x !== 'pm25_epa').map((x) => (
              <option key={x} value={x}>
                {pollutantLabel(x)}
              </option>
            ))}
          </select>
        </label>
        <label className="small">
          {t('data.siteView.series')}
          <select value={aggregate} onChange={(e) => setAggregate(e.target.value as Aggregate)}>
            {AGGREGATES.map((a) => (
              <option key={a} value={a}>
                {aggregateLabel(a)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {p === 'pm25_epa' && (
        <p className="small data-note">
          {t('data.siteView.epaNote')} <span className="data-us-derived">{t('data.siteView.usDerived')}</span>
        </p>
      )}
      {error && (
        <p className="data-error" role="alert">
          {error}
        </p>
      )}
      {seriesSpec ? (
        <Chart spec={seriesSpec} height={280} />
      ) : (
        series && <p className="muted small">{t('data.siteView.noValues', { pollutant: pollutantLabel(p) })}</p>
      )}
      {series && (series.flaggedExcluded > 0 || series.truncated) && (
        <p className="small muted">
          {series.flaggedExcluded > 0 &&
            `${t('data.siteView.flagged', { count: series.flaggedExcluded, n: formatNumber(series.flaggedExcluded) })} `}
          {series.truncated && t('data.siteView.truncated', { n: formatNumber(series.points.length) })}
        </p>
      )}
      {daily && daily.days.length > 0 && (
        <>
          <p className="data-who" data-testid="who-summary">
            <b>{t('data.siteView.daysOf', { count: daily.daysWithData, n: daily.exceedances })}</b>{' '}
            {t('data.siteView.above', { guideline: daily.guideline.label })}
            {daily.completeDays < daily.daysWithData &&
              ` · ${t('data.siteView.shortDays', { count: daily.daysWithData - daily.completeDays })}`}
          </p>
          <p className="small muted" data-testid="completeness">
            {completeness(daily)}
          </p>
          {dailySpec && <Chart spec={dailySpec} height={240} />}
        </>
      )}
    </section>
  );
}
