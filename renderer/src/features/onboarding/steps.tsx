import { engineText } from '../../i18n/engine-text';
import { useEffect, useRef, useState } from 'react';
import { newChatChoice, useApp } from '../../stores/app-store';
import { useModels } from '../../stores/models-store';
import { memSize, diskSize } from '../../lib/format';
import { Icon, Spinner, StatusLine, StepHead, type IconName, type StepProps } from './bits';
import { useOnboarding } from './onboarding-store';
import { Trans, useTranslation } from 'react-i18next';

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
  const { t } = useTranslation();
  return (
    <>
      <StepHead headingRef={headingRef} title={t('wizard.welcome.title')}>
        {t('wizard.welcome.lead')}
      </StepHead>
      <div className="ob-columns">
        <section className="ob-panel" aria-labelledby="ob-local">
          <h2 id="ob-local">
            <Icon name="lock" size={18} /> {t('wizard.welcome.local')}
          </h2>
          <ul className="ob-facts">
            <Fact icon="chat" title={t('wizard.welcome.chats')}>
              {t('wizard.welcome.chatsText')}
            </Fact>
            <Fact icon="data" title={t('wizard.welcome.data')}>
              {t('wizard.welcome.dataText')}
            </Fact>
            <Fact icon="backup" title={t('wizard.welcome.backups')}>
              {t('wizard.welcome.backupsText')}
            </Fact>
            <Fact icon="gear" title={t('wizard.welcome.settings')}>
              {t('wizard.welcome.settingsText')}
            </Fact>
          </ul>
          {dataDir && (
            <p className="ob-path small">
              {t('wizard.welcome.livesIn')} <code data-testid="ob-data-dir">{dataDir}</code>
            </p>
          )}
        </section>
        <section className="ob-panel" aria-labelledby="ob-net">
          <h2 id="ob-net">
            <Icon name="network" size={18} /> {t('wizard.welcome.internet')}
          </h2>
          <ul className="ob-facts">
            <Fact icon="download" title={t('wizard.welcome.download')}>
              {t('wizard.welcome.downloadText')}
            </Fact>
            <Fact icon="live" title={t('wizard.welcome.live')}>
              {t('wizard.welcome.liveText')}
            </Fact>
          </ul>
          <p className="ob-note small">{t('wizard.welcome.noAccount')}</p>
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
  const { t } = useTranslation();
  return (
    <>
      <StepHead headingRef={headingRef} title={t('wizard.step.computer')}>
        {t('wizard.computer.lead')}
      </StepHead>
      {busy && !hw && (
        <div className="ob-waiting">
          <Spinner label={t('wizard.computer.looking')} />
          {state === 'slow' && <p className="muted small">{t('wizard.computer.slow')}</p>}
        </div>
      )}
      {state === 'error' && (
        <StatusLine tone="warn" title={t('wizard.computer.error')}>
          {error} {t('wizard.computer.errorText')}
        </StatusLine>
      )}
      {hw && (
        <>
          <ul className="ob-facts ob-hw" aria-label={t('wizard.computer.found')} data-testid="ob-hardware">
            <Fact icon="gpu" title={t('wizard.computer.graphics')}>
              {hw.gpus.length === 0
                ? t('wizard.computer.noGpu')
                : hw.gpus.map((g, i) => (
                    <div key={i}>
                      {g.name}{' '}
                      <span className="muted">
                        · {memSize(g.vramTotalBytes)} {g.sharesSystemRam ? t('wizard.computer.sharedRam') : 'VRAM'}
                      </span>
                    </div>
                  ))}
            </Fact>
            <Fact icon="memory" title={t('wizard.computer.memory')}>
              {memSize(hw.ram.totalBytes)} RAM{' '}
              <span className="muted">· {t('wizard.computer.free', { size: memSize(hw.ram.freeBytes) })}</span>
            </Fact>
            <Fact icon="cpu" title={t('wizard.computer.processor')}>
              {hw.cpu.model || t('wizard.computer.unknown')}{' '}
              <span className="muted">· {t('wizard.computer.cores', { count: hw.cpu.cores })}</span>
            </Fact>
            <Fact icon="disk" title={t('wizard.computer.disk')}>
              {hw.disk.freeBytes === null
                ? t('wizard.computer.freeUnknown')
                : t('wizard.computer.free', { size: diskSize(hw.disk.freeBytes) })}{' '}
              <span className="muted">{t('wizard.computer.forModels')}</span>
            </Fact>
          </ul>
          <p className="ob-summary">
            {hw.gpus.length === 0 || gpuMem === 0
              ? t('wizard.computer.cpuSummary')
              : t('wizard.computer.gpuSummary', { size: memSize(gpuMem) })}
          </p>
          {hw.notes.length > 0 && (
            <details className="ob-details small">
              <summary>{t('wizard.computer.notes', { count: hw.notes.length })}</summary>
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
          {busy ? t('wizard.computer.detecting') : t('wizard.computer.detectAgain')}
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
  const { t } = useTranslation();
  const retry = (
    <button className="btn" onClick={() => void restartEngine()} disabled={restarting}>
      {restarting ? t('wizard.ollama.checking') : t('wizard.ollama.checkAgain')}
    </button>
  );
  if (!engine) {
    return engineError ? (
      <StatusLine tone="bad" title={t('wizard.ollama.cannotAsk')} testId="ob-engine">
        {engineError}
      </StatusLine>
    ) : (
      <StatusLine tone="busy" title={t('wizard.ollama.looking')} testId="ob-engine" />
    );
  }
  const v = engine.version ? ` ${engine.version}` : '';
  switch (engine.state) {
    case 'external':
      return (
        <StatusLine tone="ok" title={t('wizard.ollama.found')} testId="ob-engine">
          <Trans
            i18nKey="wizard.ollama.foundText"
            values={{ version: v, host: engine.host }}
            components={{ code: <code /> }}
          />
        </StatusLine>
      );
    case 'running':
      return (
        <StatusLine tone="ok" title={t('wizard.ollama.started')} testId="ob-engine">
          <Trans
            i18nKey="wizard.ollama.startedText"
            values={{ version: v, host: engine.host }}
            components={{ code: <code /> }}
          />
        </StatusLine>
      );
    case 'starting':
      return (
        <StatusLine tone="busy" title={t('wizard.ollama.starting')} testId="ob-engine">
          {engine.message && engineText(engine.messageText, engine.message)}
        </StatusLine>
      );
    case 'not-installed':
      return (
        <StatusLine tone="warn" title={t('wizard.ollama.notInstalled')} testId="ob-engine">
          {engine.message && <p>{engineText(engine.messageText, engine.message)}</p>}
          <ul className="ob-todo">
            <li>
              <Trans i18nKey="wizard.ollama.install" components={{ strong: <strong /> }} />
            </li>
            <li>{t('wizard.ollama.orNetwork')}</li>
          </ul>
          {retry}
        </StatusLine>
      );
    default:
      return (
        <StatusLine
          tone="bad"
          title={engine.state === 'crashed' ? t('wizard.ollama.stopped') : t('wizard.ollama.notAnswering')}
          testId="ob-engine"
        >
          {engine.message && <p>{engineText(engine.messageText, engine.message)}</p>}
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
  const { t } = useTranslation();
  return (
    <>
      <StepHead headingRef={headingRef} title={t('wizard.ollama.title')}>
        {t('wizard.ollama.lead')}
      </StepHead>
      <EngineState />
      <section className="ob-panel ob-lan" aria-labelledby="ob-lan-title">
        <h2 id="ob-lan-title">
          <Icon name="network" size={18} /> {t('wizard.ollama.lan')}
        </h2>
        <p className="muted small">
          <Trans i18nKey="wizard.ollama.lanText" components={{ code: <code /> }} />
        </p>
        <form
          className="ob-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void connectLan(host);
          }}
        >
          <label htmlFor="ob-lan-host" className="ob-label">
            {t('wizard.ollama.address')}
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
            {checking ? t('wizard.ollama.connecting') : t('wizard.ollama.connect')}
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
  const { t } = useTranslation();
  return (
    <>
      <StepHead headingRef={headingRef} title={model && ollamaOk ? t('wizard.done.ready') : t('wizard.done.almost')}>
        {model && ollamaOk ? t('wizard.done.readyText') : t('wizard.done.almostText')}
      </StepHead>
      <ul className="ob-summary-list" data-testid="ob-summary">
        <li>
          <StatusLine tone={ollamaOk ? 'ok' : 'warn'} title="Ollama">
            {ollamaOk ? (
              <>
                {t('wizard.done.answeringAt')} <code>{engine?.host}</code>.
              </>
            ) : (
              t('wizard.done.notAnswering')
            )}
          </StatusLine>
        </li>
        <li>
          <StatusLine tone={model ? 'ok' : 'warn'} title={t('wizard.done.model')}>
            {model ? (
              <>
                {t('wizard.done.newChatsUse')} <strong>{model}</strong>
                {model === defaultModel ? '.' : `, ${t('wizard.done.chosen')}`}
              </>
            ) : (
              t('wizard.done.noModel')
            )}
          </StatusLine>
        </li>
        <li>
          <StatusLine tone="ok" title={t('wizard.done.data')}>
            {t('wizard.done.kept')}
            {dataDir ? (
              <>
                {' '}
                {t('wizard.done.in')} <code>{dataDir}</code>
              </>
            ) : (
              ''
            )}
            .
          </StatusLine>
        </li>
      </ul>
      <p className="muted small">{t('wizard.done.later')}</p>
    </>
  );
}
