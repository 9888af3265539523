import { useEffect, useRef, useState } from 'react';
import { newChatChoice, useApp } from '../../stores/app-store';
import { useModels } from '../../stores/models-store';
import { memSize, diskSize } from '../../lib/format';
import { Icon, Spinner, StatusLine, StepHead, type IconName, type StepProps } from './bits';
import { useOnboarding } from './onboarding-store';

function Fact({ icon, title, children }: { icon: IconName; title: string; children: React.ReactNode }) {
  return (
    <li className="ob-fact">
      <span className="ob-fact-icon">
        <Icon name={icon} />
      </span>
      <div>
        <strong>{title}</strong>
        <div className="ob-fact-text">{children}</div>
      </div>
    </li>
  );
}

// ---- 1. Welcome ------------------------------------------------------------------------------------

export function WelcomeStep({ headingRef }: StepProps) {
  const dataDir = useApp((s) => s.info?.dataDir);
  return (
    <>
      <StepHead headingRef={headingRef} title="Welcome to AERIS-AQ">
        An air-quality assistant that runs on this computer. Setting it up takes a minute or two, and works without
        internet.
      </StepHead>
      <div className="ob-columns">
        <section className="ob-panel" aria-labelledby="ob-local">
          <h2 id="ob-local">
            <Icon name="lock" size={18} /> Everything stays on this computer
          </h2>
          <ul className="ob-facts">
            <Fact icon="chat" title="Conversations">
              Every chat and its search index.
            </Fact>
            <Fact icon="data" title="Imported data">
              Sensor files you bring in (PurpleAir, AirQo, CSV).
            </Fact>
            <Fact icon="backup" title="Backups">
              Made every day, kept next to your data.
            </Fact>
            <Fact icon="gear" title="Settings and keys">
              Saved here, never sent anywhere.
            </Fact>
          </ul>
          {dataDir && (
            <p className="ob-path small">
              All of it lives in <code data-testid="ob-data-dir">{dataDir}</code>
            </p>
          )}
        </section>
        <section className="ob-panel" aria-labelledby="ob-net">
          <h2 id="ob-net">
            <Icon name="network" size={18} /> The internet, only when you choose
          </h2>
          <ul className="ob-facts">
            <Fact icon="download" title="Downloading a model">
              Once. Or bring it on a USB drive, or use one on your network.
            </Fact>
            <Fact icon="live" title="Live air-quality readings">
              From the sources you set up (WAQI, AirQo, Open-Meteo). Without them, answers come from saved and imported
              data.
            </Fact>
          </ul>
          <p className="ob-note small">No account needed. Nothing else goes out.</p>
        </section>
      </div>
    </>
  );
}

// ---- 2. This computer ------------------------------------------------------------------------------

export function ComputerStep({ headingRef }: StepProps) {
  const hw = useOnboarding((s) => s.hardware);
  const state = useOnboarding((s) => s.hardwareState);
  const error = useOnboarding((s) => s.hardwareError);
  const { loadHardware } = useOnboarding.getState();
  const busy = state === 'loading' || state === 'slow';
  const gpuMem = hw?.gpus.reduce((max, g) => Math.max(max, g.vramTotalBytes), 0) ?? 0;
  return (
    <>
      <StepHead headingRef={headingRef} title="This computer">
        What AERIS-AQ found here. It decides which model runs well.
      </StepHead>
      {busy && !hw && (
        <div className="ob-waiting">
          <Spinner label="Looking at the graphics card, memory and disk…" />
          {state === 'slow' && (
            <p className="muted small">
              This is taking longer than usual. You can go on: the Dashboard shows it once it is done.
            </p>
          )}
        </div>
      )}
      {state === 'error' && (
        <StatusLine tone="warn" title="The hardware could not be read">
          {error} You can go on; models still work, the advice is just less precise.
        </StatusLine>
      )}
      {hw && (
        <>
          <ul className="ob-facts ob-hw" aria-label="Hardware found" data-testid="ob-hardware">
            <Fact icon="gpu" title="Graphics">
              {hw.gpus.length === 0
                ? 'No graphics card Ollama can use: models run on the processor.'
                : hw.gpus.map((g, i) => (
                    <div key={i}>
                      {g.name}{' '}
                      <span className="muted">
                        · {memSize(g.vramTotalBytes)} {g.sharesSystemRam ? 'shared with RAM' : 'VRAM'}
                      </span>
                    </div>
                  ))}
            </Fact>
            <Fact icon="memory" title="Memory">
              {memSize(hw.ram.totalBytes)} RAM <span className="muted">· {memSize(hw.ram.freeBytes)} free</span>
            </Fact>
            <Fact icon="cpu" title="Processor">
              {hw.cpu.model || 'Unknown'} <span className="muted">· {hw.cpu.cores} cores</span>
            </Fact>
            <Fact icon="disk" title="Disk">
              {hw.disk.freeBytes === null ? 'Free space unknown' : `${diskSize(hw.disk.freeBytes)} free`}{' '}
              <span className="muted">for models</span>
            </Fact>
          </ul>
          <p className="ob-summary">
            {hw.gpus.length === 0 || gpuMem === 0
              ? 'Small models (1–4 billion parameters) answer at a comfortable speed on the processor alone.'
              : `Models that fit in ${memSize(gpuMem)} of graphics memory answer fast; larger ones still work, more slowly.`}
          </p>
          {hw.notes.length > 0 && (
            <details className="ob-details small">
              <summary>Detection notes ({hw.notes.length})</summary>
              <ul>
                {hw.notes.map((n) => (
                  <li key={n}>{n}</li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
      <div className="ob-actions">
        <button className="btn" onClick={() => void loadHardware(true)} disabled={busy}>
          {busy ? 'Detecting…' : 'Detect again'}
        </button>
      </div>
    </>
  );
}

// ---- 3. Ollama -------------------------------------------------------------------------------------

function EngineState() {
  const engine = useModels((s) => s.engine);
  const engineError = useModels((s) => s.engineError);
  const restarting = useModels((s) => s.restarting);
  const { restartEngine } = useModels.getState();
  const retry = (
    <button className="btn" onClick={() => void restartEngine()} disabled={restarting}>
      {restarting ? 'Checking…' : 'Check again'}
    </button>
  );
  if (!engine) {
    return engineError ? (
      <StatusLine tone="bad" title="The app could not ask about Ollama" testId="ob-engine">
        {engineError}
      </StatusLine>
    ) : (
      <StatusLine tone="busy" title="Looking for Ollama…" testId="ob-engine" />
    );
  }
  const v = engine.version ? ` ${engine.version}` : '';
  switch (engine.state) {
    case 'external':
      return (
        <StatusLine tone="ok" title="Found" testId="ob-engine">
          Ollama{v} is running at <code>{engine.host}</code>. AERIS-AQ uses it as it is.
        </StatusLine>
      );
    case 'running':
      return (
        <StatusLine tone="ok" title="Started" testId="ob-engine">
          AERIS-AQ started Ollama{v} at <code>{engine.host}</code> and keeps it running.
        </StatusLine>
      );
    case 'starting':
      return (
        <StatusLine tone="busy" title="Starting Ollama…" testId="ob-engine">
          {engine.message}
        </StatusLine>
      );
    case 'not-installed':
      return (
        <StatusLine tone="warn" title="Ollama is not installed" testId="ob-engine">
          {engine.message && <p>{engine.message}</p>}
          <ul className="ob-todo">
            <li>
              Install Ollama from <strong>ollama.com</strong>, or run its installer from a USB drive, then press Check
              again.
            </li>
            <li>Or use an Ollama that runs on another computer on your network, below.</li>
          </ul>
          {retry}
        </StatusLine>
      );
    default:
      return (
        <StatusLine
          tone="bad"
          title={engine.state === 'crashed' ? 'Ollama stopped' : 'Ollama is not answering'}
          testId="ob-engine"
        >
          {engine.message && <p>{engine.message}</p>}
          {retry}
        </StatusLine>
      );
  }
}

export function OllamaStep({ headingRef }: StepProps) {
  const lan = useOnboarding((s) => s.lan);
  const focusLan = useOnboarding((s) => s.focusLan);
  const configured = useApp((s) => s.settings?.ollamaHost ?? '');
  const [host, setHost] = useState(configured);
  const inputRef = useRef<HTMLInputElement>(null);
  const { connectLan } = useOnboarding.getState();
  useEffect(() => {
    if (focusLan) inputRef.current?.focus();
  }, [focusLan]);
  const checking = lan.state === 'checking';
  return (
    <>
      <StepHead headingRef={headingRef} title="Ollama, the engine behind the answers">
        Ollama runs the language model on this computer. AERIS-AQ finds one that is running, or starts its own.
      </StepHead>
      <EngineState />
      <section className="ob-panel ob-lan" aria-labelledby="ob-lan-title">
        <h2 id="ob-lan-title">
          <Icon name="network" size={18} /> Use an Ollama on my network
        </h2>
        <p className="muted small">
          A desktop with a graphics card can answer for every laptop in the office. Start Ollama there with{' '}
          <code>OLLAMA_HOST=0.0.0.0</code> so it listens on the network.
        </p>
        <form
          className="ob-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void connectLan(host);
          }}
        >
          <label htmlFor="ob-lan-host" className="ob-label">
            Address
          </label>
          <input
            id="ob-lan-host"
            ref={inputRef}
            value={host}
            onChange={(e) => setHost(e.target.value)}
            placeholder="192.168.1.20:11434"
            spellCheck={false}
            autoComplete="off"
            aria-describedby="ob-lan-result"
          />
          <button className="btn btn-primary" type="submit" disabled={checking || !host.trim()}>
            {checking ? 'Connecting…' : 'Connect'}
          </button>
        </form>
        <div id="ob-lan-result" aria-live="polite">
          {lan.text && (
            <p className={`ob-lan-result tone-${lan.state}`} data-testid="ob-lan-result">
              {lan.state === 'checking' && <span className="ob-spin" aria-hidden />}
              {lan.state === 'ok' && <Icon name="check" size={16} />}
              {(lan.state === 'bad' || lan.state === 'slow') && <Icon name="alert" size={16} />}
              <span>{lan.text}</span>
            </p>
          )}
        </div>
      </section>
    </>
  );
}

// ---- 5. Done ---------------------------------------------------------------------------------------

export function DoneStep({ headingRef }: StepProps) {
  const engine = useModels((s) => s.engine);
  const installed = useModels((s) => s.installed);
  const defaultModel = useApp((s) => s.settings?.defaultModel ?? null);
  const dataDir = useApp((s) => s.info?.dataDir);
  const ollamaOk = engine?.state === 'external' || engine?.state === 'running';
  // What a new chat will use, as the engine decides it (the default while installed, else a tool-capable one).
  const model = useApp(newChatChoice);
  useEffect(() => void useApp.getState().refreshModels(), [installed]);
  return (
    <>
      <StepHead headingRef={headingRef} title={model && ollamaOk ? 'You are ready' : 'Almost there'}>
        {model && ollamaOk
          ? 'Ask about the air where you are: today’s readings, trends in your imported data, what the numbers mean for health.'
          : 'You can start now. Chat answers once Ollama and a model are in place; history, data and imports work already.'}
      </StepHead>
      <ul className="ob-summary-list" data-testid="ob-summary">
        <li>
          <StatusLine tone={ollamaOk ? 'ok' : 'warn'} title="Ollama">
            {ollamaOk ? (
              <>
                Answering at <code>{engine?.host}</code>.
              </>
            ) : (
              'Not answering yet. The Models page shows its state and log.'
            )}
          </StatusLine>
        </li>
        <li>
          <StatusLine tone={model ? 'ok' : 'warn'} title="Model">
            {model ? (
              <>
                New chats use <strong>{model}</strong>
                {model === defaultModel ? '.' : ', chosen from what is installed (it can look up live readings).'}
              </>
            ) : (
              'None yet. Get one later from the Models page: download, USB drive or network.'
            )}
          </StatusLine>
        </li>
        <li>
          <StatusLine tone="ok" title="Your data">
            Kept on this computer
            {dataDir ? (
              <>
                {' '}
                in <code>{dataDir}</code>
              </>
            ) : (
              ''
            )}
            .
          </StatusLine>
        </li>
      </ul>
      <p className="muted small">Everything here can be changed later in Settings and on the Models page.</p>
    </>
  );
}
