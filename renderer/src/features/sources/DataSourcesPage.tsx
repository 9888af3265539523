import { useEffect, useState } from 'react';
import type { CallInput, SourceStatusDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { relativeTime } from '../../lib/format';
import { useCall } from '../../lib/use-call';
import { useApp } from '../../stores/app-store';
import './data-sources.css';
import { t } from '../../i18n';
import { formatTime } from '../../lib/format';
import { Icon } from '../../components/Icon';
import { TestConnection } from './TestConnection';

type Patch = CallInput<'sources.update'>;
/** The patch's URL and key fields (webTools is the switch, not a field). */
type FieldKey = Exclude<keyof Patch, 'webTools'>;

/** Which saved fields belong to which source; the help text is sources.help.<id>. */
const FIELDS: Record<SourceStatusDto['id'], { url: FieldKey; key?: FieldKey; keyKind?: 'token' | 'key' }> = {
  airqo: { url: 'airqoUrl', key: 'airqoToken', keyKind: 'token' },
  waqi: { url: 'waqiUrl', key: 'waqiToken', keyKind: 'token' },
  openaq: { url: 'openAqUrl', key: 'openAqKey', keyKind: 'key' },
  openmeteo: { url: 'openMeteoUrl' },
  defra: { url: 'defraUrl' },
  uba: { url: 'ubaUrl' },
  nsw: { url: 'nswUrl' },
  carbonintensity: { url: 'carbonIntensityUrl' },
  websearch: { url: 'searchUrl' },
};

const origin = (from: string): string =>
  from === 'env' || from === 'settings' || from === 'default' ? t(`sources.origin.${from}`) : t('sources.origin.none');

/** A word and a colour for where the source stands; "Working" only once it has answered. */
function stateOf(s: SourceStatusDto): { text: string; tone: 'ok' | 'warn' | 'bad' | 'off' | 'idle' } {
  const b = s.breaker;
  if (!s.configured) return { text: t('sources.state.off'), tone: 'off' };
  if (b.state === 'open') return { text: t('sources.state.paused'), tone: 'bad' };
  if (b.state === 'half_open') return { text: t('sources.state.retrying'), tone: 'warn' };
  if (b.consecutiveFailures > 0) return { text: t('sources.state.failing'), tone: 'warn' };
  if (b.lastSuccessAt) return { text: t('sources.state.working'), tone: 'ok' };
  return { text: t('sources.state.ready'), tone: 'idle' };
}

/** Under a field the environment sets: a lock and the variable to change instead. */
function LockedNote({ id, variable }: { id: string; variable: string }) {
  return (
    <p className="muted small source-locked" id={id} data-testid="locked-note">
      <Icon name="lock" size={14} label={t('sources.lockedLabel')} />
      <span>{t('sources.lockedNote', { variable })}</span>
    </p>
  );
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
  const keyName = f.keyKind ? t(`sources.keyName.${f.keyKind}`) : '';
  // The environment wins over what is saved: a field it sets is shown, not offered for saving.
  const urlLocked = source.baseUrlFrom === 'env';
  const keyLocked = Boolean(f.key) && source.keyFrom === 'env';
  const canSave = !urlLocked || (Boolean(f.key) && !keyLocked);

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
      <p className="muted small source-help">{t(`sources.help.${source.id}`)}</p>
      <dl className="source-facts">
        <dt>{t('sources.endpoint')}</dt>
        <dd>
          <code>{source.baseUrl}</code> <span className="muted">({origin(source.baseUrlFrom)})</span>
        </dd>
        {source.needsKey && (
          <>
            <dt>{keyName}</dt>
            <dd data-testid="key-state">
              {source.keyConfigured ? `${t('sources.configured')} (${origin(source.keyFrom)})` : t('sources.state.off')}
            </dd>
          </>
        )}
        <dt>{t('sources.lastSuccess')}</dt>
        <dd>{b.lastSuccessAt ? relativeTime(b.lastSuccessAt) : t('sources.notYet')}</dd>
        {b.consecutiveFailures > 0 && (
          <>
            <dt>{t('sources.failures')}</dt>
            <dd>
              {t('sources.inARow', { count: b.consecutiveFailures })}
              {b.lastError ? `: ${b.lastError}` : ''}
              {b.state === 'open' && b.retryAt ? ` · ${t('sources.retryingAt', { when: formatTime(b.retryAt) })}` : ''}
            </dd>
          </>
        )}
      </dl>
      <form
        className="source-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!canSave) return;
          const patch: Patch = {};
          if (!urlLocked) patch[f.url] = url.trim() || null;
          if (f.key && !keyLocked && key.trim()) patch[f.key] = key.trim();
          void save(patch);
        }}
      >
        <label className={`field${urlLocked ? ' source-locked-field' : ''}`}>
          <span>{urlLocked ? t('sources.endpoint') : t('sources.baseUrl')}</span>
          <input
            value={urlLocked ? source.baseUrl : url}
            readOnly={urlLocked}
            aria-readonly={urlLocked || undefined}
            aria-describedby={urlLocked ? `${source.id}-url-locked` : undefined}
            onChange={(e) => setUrl(e.target.value)}
            placeholder={source.baseUrlFrom === 'settings' ? '' : source.baseUrl}
            aria-label={t('sources.urlLabel', { name: source.name })}
          />
        </label>
        {urlLocked && <LockedNote id={`${source.id}-url-locked`} variable={source.baseUrlEnv} />}
        {f.key && (
          <label className={`field${keyLocked ? ' source-locked-field' : ''}`}>
            <span>
              {keyLocked ? keyName : source.keyConfigured ? t('sources.newKey', { key: keyName }) : keyName}
              {!keyLocked && ` (${t('sources.writeOnly')})`}
            </span>
            <input
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={keyLocked ? '' : key}
              readOnly={keyLocked}
              aria-readonly={keyLocked || undefined}
              aria-describedby={keyLocked ? `${source.id}-key-locked` : undefined}
              onChange={(e) => setKey(e.target.value)}
              placeholder={source.keyConfigured ? '••••••••' : t('sources.pasteHere')}
              aria-label={`${source.name} ${keyName}`}
            />
          </label>
        )}
        {keyLocked && source.keyEnv && <LockedNote id={`${source.id}-key-locked`} variable={source.keyEnv} />}
        {f.key && !urlLocked && source.keyConfigured && urlChanged && !key.trim() && (
          <p className="muted small" data-testid="key-again">
            {t('sources.keyAgain', { key: keyName })}
          </p>
        )}
        <div className="row source-buttons">
          <TestConnection id={source.id} disabled={busy} />
          {canSave && (
            <button className="btn btn-primary" type="submit" disabled={busy}>
              {t('common.save')}
            </button>
          )}
          {f.key && source.keyFrom === 'settings' && (
            <button className="btn" type="button" disabled={busy} onClick={() => void save({ [f.key!]: null })}>
              {t('sources.removeKey', { key: keyName })}
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/** The optional online tools' switch: off by default; the model is offered search_web/scrape_website only when on. */
function WebToolsCard({ on, onSave }: { on: boolean; onSave: (patch: Patch) => Promise<boolean> }) {
  const [busy, setBusy] = useState(false);
  return (
    <section className="card source-card web-tools-card" data-testid="web-tools" aria-label={t('sources.web.title')}>
      <header className="source-head">
        <h2>{t('sources.web.title')}</h2>
      </header>
      <label className="field">
        <span>
          <input
            type="checkbox"
            checked={on}
            disabled={busy}
            aria-label={t('sources.web.switch')}
            onChange={(e) => {
              setBusy(true);
              void onSave({ webTools: e.target.checked ? 'on' : null }).finally(() => setBusy(false));
            }}
          />{' '}
          {t('sources.web.switch')}
        </span>
      </label>
      <p className="muted small source-help">{t('sources.web.note')}</p>
    </section>
  );
}

/** Data sources: endpoints, keys (write-only), whether each works, and when it last answered. */
export function DataSourcesPage() {
  const { data: status, error, reload: refresh } = useCall('sources.status', {});
  const notify = useApp((s) => s.notify);

  useEffect(() => {
    // Read again every 10 s: whether each source answers changes on its own.
    const timer = setInterval(() => void refresh(), 10_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const save = async (patch: Patch): Promise<boolean> => {
    try {
      await getApi().call('sources.update', patch);
      await refresh();
      notify('info', t('sources.saved'));
      return true;
    } catch (err) {
      notify('error', errorText(err));
      return false;
    }
  };

  return (
    <div className="page-body data-sources">
      <h1 className="page-title">{t('sources.title')}</h1>
      <p className="muted sources-intro">
        {t('sources.intro', {
          keys: status?.keyStorage === 'safeStorage' ? t('sources.keysKeychain') : t('sources.keysFile'),
        })}
      </p>
      {error && <div className="card warn">{error}</div>}
      {!status && !error && <p className="muted">{t('common.loading')}</p>}
      {status && <WebToolsCard on={status.webTools} onSave={save} />}
      <div className="sources-grid">
        {status?.sources.map((s) => (
          <SourceCard key={`${s.id}-${s.baseUrl}-${s.keyFrom}`} source={s} onSave={save} />
        ))}
      </div>
    </div>
  );
}
