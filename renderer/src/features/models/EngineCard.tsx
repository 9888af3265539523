import { useEffect, useRef, useState } from 'react';
import type { EngineStateDto } from '../../../../preload/contract';
import { useModels } from '../../stores/models-store';
import { ErrorLine } from './bits';

const STATE: Record<EngineStateDto, { label: string; tone: 'ok' | 'warn' | 'bad' | 'idle'; help: string }> = {
  external: {
    label: 'Connected',
    tone: 'ok',
    help: 'An Ollama that was already running answers here. AERIS-AQ uses it and never starts a second one.',
  },
  running: { label: 'Running', tone: 'ok', help: 'AERIS-AQ started Ollama and watches it.' },
  starting: { label: 'Starting…', tone: 'warn', help: 'Ollama is starting up.' },
  crashed: { label: 'Crashed', tone: 'bad', help: 'Ollama stopped unexpectedly.' },
  stopped: { label: 'Stopped', tone: 'idle', help: 'Ollama is not running.' },
  'not-installed': { label: 'Not installed', tone: 'bad', help: 'No Ollama program was found on this computer.' },
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

  const st = engine ? STATE[engine.state] : null;
  return (
    <section className="card mp-card mp-engine" aria-label="Ollama engine">
      <header className="mp-card-head">
        <h2>Ollama engine</h2>
        <button
          className="btn"
          onClick={() => void restartEngine()}
          disabled={restarting || engine?.state === 'starting'}
          title={
            engine?.state === 'external'
              ? 'This Ollama belongs to someone else: Restart checks the connection again.'
              : 'Stop Ollama and start it again'
          }
        >
          {restarting ? 'Restarting…' : 'Restart'}
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
            <dt>Address</dt>
            <dd>
              <code>{engine.host}</code>
            </dd>
            {engine.pid !== null && (
              <>
                <dt>Process</dt>
                <dd>pid {engine.pid}</dd>
              </>
            )}
            {engine.restarts > 0 && (
              <>
                <dt>Restarts</dt>
                <dd>{engine.restarts} since the last stable run</dd>
              </>
            )}
          </dl>
          <p className={`mp-engine-msg${st.tone === 'bad' ? ' bad' : ''}`}>{engine.message ?? st.help}</p>
        </>
      ) : (
        !engineError && <p className="muted">Checking Ollama…</p>
      )}
      {engineError && <ErrorLine title="Cannot read the engine state:" text={engineError} />}
      <details className="mp-log" open={logOpen} onToggle={(e) => setLogOpen(e.currentTarget.open)}>
        <summary>Engine log</summary>
        {logError && <ErrorLine text={logError} />}
        {log && log.length > 0 ? (
          <pre ref={pre} aria-label="Engine log">
            {log.join('\n')}
          </pre>
        ) : (
          <p className="muted small">
            {log === null
              ? 'Loading…'
              : engine?.state === 'external'
                ? 'No output here: an Ollama started outside AERIS-AQ writes its own log.'
                : 'No engine output yet.'}
          </p>
        )}
        {engine && <p className="muted small">File: {engine.logFile}</p>}
      </details>
    </section>
  );
}
