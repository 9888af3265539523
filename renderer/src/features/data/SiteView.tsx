import { useEffect, useMemo, useState } from 'react';
import type { DailyMeansDto, ImportedSiteDto, ImportSeriesDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { Chart, type ChartSpecDto } from '../../components/chart';

type Pollutant = ImportSeriesDto['pollutant'];
type Aggregate = ImportSeriesDto['aggregate'];

const WHO_COLOR = '#1565C0';
const RAW_LIMIT = 5000;

const POLLUTANTS: Array<{ id: Pollutant; label: string }> = [
  { id: 'pm25', label: 'PM2.5' },
  { id: 'pm10', label: 'PM10' },
  { id: 'pm25_epa', label: 'PM2.5, US EPA corrected (US-derived)' },
];

const PERIOD_LABEL: Record<ImportedSiteDto['periods'][number], string> = {
  raw: 'samples',
  hourly: 'hourly means',
  daily: 'daily means',
};

const AGGREGATES: Array<{ id: Aggregate; label: string }> = [
  { id: 'hourly', label: 'Hourly means' },
  { id: 'daily', label: 'Daily means' },
  { id: 'raw', label: 'Every reading' },
];

function seriesChart(s: ImportSeriesDto): ChartSpecDto {
  return {
    type: 'chart',
    version: 1,
    chartType: 'line',
    title: `${s.site}: ${s.label}, ${AGGREGATES.find((a) => a.id === s.aggregate)!.label.toLowerCase()}`,
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
    title: `${d.site}: daily mean ${d.label} against the WHO guideline`,
    units: d.unit,
    xLabel: 'Day (UTC)',
    series: [{ name: `Daily mean ${d.label.split(',')[0]}`, points: d.days.map((x) => ({ x: x.day, y: x.mean })) }],
    referenceLines: [{ label: d.guideline.label, value: d.guideline.value, color: WHO_COLOR }],
    bands: [],
  };
}

/** How the days were counted, in the file's own frequency. */
function completeness(d: DailyMeansDto): string {
  const fromFile = d.days.filter((x) => x.basis === 'daily').length;
  const fromHours = d.days.length - fromFile;
  const parts: string[] = [];
  if (fromFile)
    parts.push(`${fromFile} day${fromFile === 1 ? '' : 's'} from the file's daily means (each a complete day)`);
  if (fromHours) {
    const full = d.days.filter((x) => x.basis === 'hours' && x.complete).length;
    parts.push(`${full} of ${fromHours} day${fromHours === 1 ? '' : 's'} from hourly data complete (18 or more hours)`);
  }
  return `Completeness: ${parts.join('; ')}.`;
}

/** One site: its time series and its daily means against the WHO 2021 24-hour guideline. */
export function SiteView({ site }: { site: ImportedSiteDto }) {
  const [pollutant, setPollutant] = useState<Pollutant>('pm25');
  // A daily-means export has no hours to show: start on its days.
  const dailyOnly = site.periods.length > 0 && site.periods.every((x) => x === 'daily');
  const [aggregate, setAggregate] = useState<Aggregate>(dailyOnly ? 'daily' : 'hourly');
  const [series, setSeries] = useState<ImportSeriesDto | null>(null);
  const [daily, setDaily] = useState<DailyMeansDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const hasEpa = site.sources.includes('purpleair');
  const p = !hasEpa && pollutant === 'pm25_epa' ? 'pm25' : pollutant;

  useEffect(() => {
    let live = true;
    // A new site or range clears the last one's error before loading.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setError(null);
    const api = getApi();
    Promise.all([
      api.call('imports.series', {
        site: site.name,
        pollutant: p,
        aggregate,
        ...(aggregate === 'raw' ? { limit: RAW_LIMIT } : {}),
      }),
      api.call('imports.dailyMeans', { site: site.name, pollutant: p }),
    ])
      .then(([s, d]) => {
        if (!live) return;
        setSeries(s);
        setDaily(d);
      })
      .catch((err: unknown) => live && setError(errorText(err)));
    return () => {
      live = false;
    };
  }, [site.name, site.count, p, aggregate]);

  const seriesSpec = useMemo(() => (series && series.points.length ? seriesChart(series) : null), [series]);
  const dailySpec = useMemo(() => (daily && daily.days.length ? dailyChart(daily) : null), [daily]);

  return (
    <section className="card data-site" data-testid="site-view">
      <header className="data-site-head">
        <h2>{site.name}</h2>
        <span className="muted small">
          {site.count.toLocaleString()} readings ({site.periods.map((x) => PERIOD_LABEL[x]).join(', ')}) ·{' '}
          {site.files.join(', ')}
          {site.devices.length > 0 && ` · ${site.devices.join(', ')}`}
        </span>
      </header>
      <div className="data-controls">
        <label className="small">
          Pollutant
          <select value={p} onChange={(e) => setPollutant(e.target.value as Pollutant)}>
            {POLLUTANTS.filter((x) => hasEpa || x.id !== 'pm25_epa').map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label className="small">
          Series
          <select value={aggregate} onChange={(e) => setAggregate(e.target.value as Aggregate)}>
            {AGGREGATES.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {p === 'pm25_epa' && (
        <p className="small data-note">
          The US EPA correction for PurpleAir sensors (Barkjohn 2021, 2022 smoke extension) was fitted to US data; it
          may not suit other climates and aerosols. <span className="data-us-derived">US-derived</span>
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
        series && <p className="muted small">No {POLLUTANTS.find((x) => x.id === p)!.label} values at this site.</p>
      )}
      {series && (series.flaggedExcluded > 0 || series.truncated) && (
        <p className="small muted">
          {series.flaggedExcluded > 0 &&
            `${series.flaggedExcluded.toLocaleString()} readings whose two channels disagree are left out of the means. `}
          {series.truncated && `Showing the first ${series.points.length.toLocaleString()} readings.`}
        </p>
      )}
      {daily && daily.days.length > 0 && (
        <>
          <p className="data-who" data-testid="who-summary">
            <b>
              {daily.exceedances} of {daily.daysWithData} days
            </b>{' '}
            above the {daily.guideline.label}
            {daily.completeDays < daily.daysWithData &&
              ` · ${daily.daysWithData - daily.completeDays} day${daily.daysWithData - daily.completeDays === 1 ? '' : 's'} with fewer than 18 hours of data`}
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
