import { engineText } from '../../i18n/engine-text';
import { useEffect, useRef, useState } from 'react';
import type { EngineStateDto } from '../../../../preload/contract';
import { useModels } from '../../stores/models-store';
import { ErrorLine } from './bits';
import { t } from '../../i18n';

/** Each state's tone; its words are models.engine.state.<state> and models.engine.help.<state>. */
const TONE: Record<EngineStateDto, 'ok' | 'warn' | 'bad' | 'idle'> = {
  external: 'ok',
  running: 'ok',
  starting: 'warn',
  crashed: 'bad',
  stopped: 'idle',
  'not-installed': 'bad',
};

/** State light, host, message, Restart, and the engine's own log (last lines, on demand). */
export function EngineCard() {
  const engine = useModels((s) => s.engine);
  const engineError = useModels((s) => s.engineError);
  const restarting = useModels((s) => s.restarting);
  const log = useModels((s) => s.log);
  const logError = useModels((s) => s.logError);
  const { restartEngine, loadLog } = useModels.getState();
  const [logOpen, setLogOpen] = useState(false);
  const pre = useRef<HTMLPreElement>(null);

  // While the log is open, follow it (and the engine's state changes).
  useEffect(() => {
    if (!logOpen) return;
    void loadLog();
    const timer = setInterval(() => void loadLog(), 3000);
    return () => clearInterval(timer);
  }, [logOpen, engine?.state, loadLog]);

  useEffect(() => {
    if (pre.current) pre.current.scrollTop = pre.current.scrollHeight;
  }, [log]);

  const st = engine
    ? {
        tone: TONE[engine.state],
        label: t(`models.engine.state.${engine.state}`),
        help: t(`models.engine.help.${engine.state}`),
      }
    : null;
  return (
    <section className="card mp-card mp-engine" aria-label={t('models.engine.title')}>
      <header className="mp-card-head">
        <h2>{t('models.engine.title')}</h2>
        <button
          className="btn"
          onClick={() => void restartEngine()}
          disabled={restarting || engine?.state === 'starting'}
          title={engine?.state === 'external' ? t('models.engine.restartExternal') : t('models.engine.restartTitle')}
        >
          {restarting ? t('models.engine.restarting') : t('models.engine.restart')}
        </button>
      </header>
      {engine && st ? (
        <>
          <div className="mp-engine-state">
            <span className={`mp-light tone-${st.tone}${engine.state === 'starting' ? ' pulse' : ''}`} aria-hidden />
            <strong data-testid="engine-state">{st.label}</strong>
            {engine.version && <span className="muted">Ollama {engine.version}</span>}
          </div>
          <dl className="mp-facts">
            <dt>{t('wizard.ollama.address')}</dt>
            <dd>
              <code>{engine.host}</code>
            </dd>
            {engine.pid !== null && (
              <>
                <dt>{t('models.engine.process')}</dt>
                {/* The operating system's own word for a process number. */}
                {/* eslint-disable-next-line i18next/no-literal-string */}
                <dd>pid {engine.pid}</dd>
              </>
            )}
            {engine.restarts > 0 && (
              <>
                <dt>{t('models.engine.restarts')}</dt>
                <dd>{t('models.engine.restartsSince', { n: engine.restarts })}</dd>
              </>
            )}
          </dl>
          <p className={`mp-engine-msg${st.tone === 'bad' ? ' bad' : ''}`}>
            {engine.message ? engineText(engine.messageText, engine.message) : st.help}
          </p>
        </>
      ) : (
        !engineError && <p className="muted">{t('models.engine.checking')}</p>
      )}
      {engineError && <ErrorLine title={t('models.engine.cannotRead')} text={engineError} />}
      <details className="mp-log" open={logOpen} onToggle={(e) => setLogOpen(e.currentTarget.open)}>
        <summary>{t('models.engine.log')}</summary>
        {logError && <ErrorLine text={logError} />}
        {log && log.length > 0 ? (
          <pre ref={pre} aria-label={t('models.engine.log')}>
            {log.join('\n')}
          </pre>
        ) : (
          <p className="muted small">
            {log === null
              ? t('common.loading')
              : engine?.state === 'external'
                ? t('models.engine.noOutputExternal')
                : t('models.engine.noOutput')}
          </p>
        )}
        {engine && (
          <p className="muted small">
            {t('models.engine.file')} {engine.logFile}
          </p>
        )}
      </details>
    </section>
  );
}
