import { useCallback, useEffect, useState } from 'react';
import type { CallInput, SourceStatusDto, SourcesStatusDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { relativeTime } from '../../lib/format';
import { useApp } from '../../stores/app-store';
import './data-sources.css';

type Patch = CallInput<'sources.update'>;

/** Which saved fields belong to which source. */
const FIELDS: Record<SourceStatusDto['id'], { url: keyof Patch; key?: keyof Patch; keyName?: string; help: string }> = {
  airqo: {
    url: 'airqoUrl',
    key: 'airqoToken',
    keyName: 'API token',
    help: 'Measurements from AirQo’s low-cost monitors in African cities. Token from the AirQo analytics platform.',
  },
  waqi: {
    url: 'waqiUrl',
    key: 'waqiToken',
    keyName: 'API token',
    help: 'World Air Quality Index project: official stations worldwide. Free token at aqicn.org/data-platform/token.',
  },
  openaq: {
    url: 'openAqUrl',
    key: 'openAqKey',
    keyName: 'API key',
    help: 'OpenAQ v3: open measurements from government and research monitors. Key from explore.openaq.org.',
  },
  openmeteo: {
    url: 'openMeteoUrl',
    help: 'Open-Meteo air quality: the Copernicus CAMS model (estimates, not measurements). No key needed.',
  },
  defra: {
    url: 'defraUrl',
    help: 'UK-AIR (Defra): the UK’s official monitoring stations, hourly measurements. No key needed.',
  },
  uba: {
    url: 'ubaUrl',
    help: 'Umweltbundesamt: Germany’s official monitoring stations (CET times). No key needed.',
  },
  nsw: {
    url: 'nswUrl',
    help: 'NSW Air Quality: official stations in New South Wales, Australia, with NSW categories. No key needed.',
  },
  carbonintensity: {
    url: 'carbonIntensityUrl',
    help: 'Carbon Intensity API (NESO): how much CO₂ Great Britain’s electricity emits. About the grid, not the air. No key needed.',
  },
};

const ORIGIN: Record<string, string> = {
  env: 'from the environment',
  settings: 'saved here',
  default: 'default',
  none: 'not set',
};

/** A word and a colour for where the source stands; "Working" only once it has answered. */
function stateOf(s: SourceStatusDto): { text: string; tone: 'ok' | 'warn' | 'bad' | 'off' | 'idle' } {
  const b = s.breaker;
  if (!s.configured) return { text: 'Not configured', tone: 'off' };
  if (b.state === 'open') return { text: 'Paused after failures', tone: 'bad' };
  if (b.state === 'half_open') return { text: 'Trying again', tone: 'warn' };
  if (b.consecutiveFailures > 0) return { text: 'Failing', tone: 'warn' };
  if (b.lastSuccessAt) return { text: 'Working', tone: 'ok' };
  return { text: 'Ready, not used yet', tone: 'idle' };
}

function SourceCard({ source, onSave }: { source: SourceStatusDto; onSave: (patch: Patch) => Promise<boolean> }) {
  const f = FIELDS[source.id];
  const [url, setUrl] = useState(source.baseUrlFrom === 'settings' ? source.baseUrl : '');
  const [key, setKey] = useState('');
  const savedUrl = source.baseUrlFrom === 'settings' ? source.baseUrl : '';
  const urlChanged = url.trim().replace(/\/+$/, '') !== savedUrl;
  const [busy, setBusy] = useState(false);
  const b = source.breaker;
  const state = stateOf(source);

  const save = async (patch: Patch) => {
    setBusy(true);
    const ok = await onSave(patch);
    setBusy(false);
    if (ok) setKey('');
  };

  return (
    <section className="card source-card" data-testid={`source-${source.id}`} aria-label={source.name}>
      <header className="source-head">
        <span className={`source-dot ${state.tone}`} aria-hidden />
        <h2>{source.name}</h2>
        <span className={`badge source-state ${state.tone}`} data-testid="source-state">
          {state.text}
        </span>
      </header>
      <p className="muted small source-help">{f.help}</p>
      <dl className="source-facts">
        <dt>Endpoint</dt>
        <dd>
          <code>{source.baseUrl}</code> <span className="muted">({ORIGIN[source.baseUrlFrom]})</span>
        </dd>
        {source.needsKey && (
          <>
            <dt>{f.keyName}</dt>
            <dd data-testid="key-state">
              {source.keyConfigured ? `Configured (${ORIGIN[source.keyFrom]})` : 'Not configured'}
            </dd>
          </>
        )}
        <dt>Last success</dt>
        <dd>{b.lastSuccessAt ? relativeTime(b.lastSuccessAt) : 'not yet'}</dd>
        {b.consecutiveFailures > 0 && (
          <>
            <dt>Failures</dt>
            <dd>
              {b.consecutiveFailures} in a row{b.lastError ? `: ${b.lastError}` : ''}
              {b.state === 'open' && b.retryAt ? ` · retrying ${new Date(b.retryAt).toLocaleTimeString()}` : ''}
            </dd>
          </>
        )}
      </dl>
      <form
        className="source-form"
        onSubmit={(e) => {
          e.preventDefault();
          const patch: Patch = { [f.url]: url.trim() || null };
          if (f.key && key.trim()) patch[f.key] = key.trim();
          void save(patch);
        }}
      >
        {(source.baseUrlFrom === 'env' || source.keyFrom === 'env') && (
          <p className="muted small source-env-note">
            Set by an environment variable, which wins over what is saved here.
          </p>
        )}
        <label className="field">
          <span>Base URL (empty for the default)</span>
          <input
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={source.baseUrlFrom === 'settings' ? '' : source.baseUrl}
            aria-label={`${source.name} URL`}
          />
        </label>
        {f.key && (
          <label className="field">
            <span>{source.keyConfigured ? `New ${f.keyName}` : f.keyName} (write-only: never shown again)</span>
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={key}
              onChange={(e) => setKey(e.target.value)}
              placeholder={source.keyConfigured ? '••••••••' : 'paste here'}
              aria-label={`${source.name} ${f.keyName}`}
            />
          </label>
        )}
        {f.key && source.keyConfigured && urlChanged && !key.trim() && (
          <p className="muted small" data-testid="key-again">
            A key is sent only to the URL it was given for: enter the {f.keyName} for the new URL, or the source has
            none there.
          </p>
        )}
        <div className="row source-buttons">
          <button className="btn btn-primary" type="submit" disabled={busy}>
            Save
          </button>
          {f.key && source.keyFrom === 'settings' && (
            <button className="btn" type="button" disabled={busy} onClick={() => void save({ [f.key!]: null })}>
              Remove saved {f.keyName}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** Data sources: endpoints, keys (write-only), whether each works, and when it last answered. */
export function DataSourcesPage() {
  const [status, setStatus] = useState<SourcesStatusDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const notify = useApp((s) => s.notify);

  const refresh = useCallback(async () => {
    try {
      setStatus(await getApi().call('sources.status', {}));
      setError(null);
    } catch (err) {
      setError(errorText(err));
    }
  }, []);

  useEffect(() => {
    // Loads on mount and every 10 s; the state is set after the awaited call.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
    const t = setInterval(() => void refresh(), 10_000);
    return () => clearInterval(t);
  }, [refresh]);

  const save = async (patch: Patch): Promise<boolean> => {
    try {
      setStatus(await getApi().call('sources.update', patch));
      notify('info', 'Data-source settings saved.');
      return true;
    } catch (err) {
      notify('error', errorText(err));
      return false;
    }
  };

  return (
    <div className="page-body data-sources">
      <h1 className="page-title">Data sources</h1>
      <p className="muted sources-intro">
        Where live air-quality data comes from. AirQo is asked first for African cities, then WAQI, then OpenAQ (with a
        key) and the Open-Meteo model. Keys are{' '}
        {status?.keyStorage === 'safeStorage'
          ? 'encrypted with your system keychain'
          : 'kept in secrets.json in the data folder (readable by your user only)'}
        , never in config.json, and never shown again. Environment variables (AERIS_WAQI_TOKEN …) override what is saved
        here.
      </p>
      {error && <div className="card warn">{error}</div>}
      {!status && !error && <p className="muted">Loading…</p>}
      <div className="sources-grid">
        {status?.sources.map((s) => (
          <SourceCard key={`${s.id}-${s.baseUrl}-${s.keyFrom}`} source={s} onSave={save} />
        ))}
      </div>
    </div>
  );
}
