import { useEffect, useState, type KeyboardEvent } from 'react';
import type { CatalogModelDto, PullSnapshotDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { useApp } from '../../stores/app-store';
import { fitFor, useModels } from '../../stores/models-store';
import { Capabilities, FitBadge, ProgressBar } from '../models/bits';
import { withTag } from '../../../../preload/shared/model-name';
import { diskSize } from '../../lib/format';
import { eta, speed } from '../models/units';
import { Icon, Spinner, StatusLine, StepHead, type IconName, type StepProps } from './bits';
import { SLOW_MS, useOnboarding } from './onboarding-store';
import { pullFailureInWords } from './pull-words';
import { wholeModelProgress } from './pull-total';

type Way = 'pull' | 'folder' | 'network';
const WAYS: Array<{ id: Way; icon: IconName; title: string; sub: string }> = [
  { id: 'pull', icon: 'download', title: 'Download', sub: 'needs internet once' },
  { id: 'folder', icon: 'usb', title: 'From a folder or USB drive', sub: 'no internet' },
  { id: 'network', icon: 'network', title: 'From another computer', sub: 'an Ollama on your network' },
];

/** A chat model: embedding-only models cannot answer. */
const canChat = (m: CatalogModelDto) =>
  !(m.capabilities.includes('embedding') && !m.capabilities.includes('completion'));

export function ModelStep({ headingRef }: StepProps) {
  const catalog = useModels((s) => s.catalog);
  const catalogError = useModels((s) => s.catalogError);
  const installed = useModels((s) => s.installed);
  const engine = useModels((s) => s.engine);
  const finishing = useOnboarding((s) => s.finishing);
  const { finish, goTo } = useOnboarding.getState();
  const choice = useOnboarding((s) => s.modelChoice);
  const recommended = useOnboarding((s) => s.recommended);
  const setChoice = (modelChoice: string) => useOnboarding.setState({ modelChoice });
  useEffect(() => {
    // The first recommendation stays the pick: installing a model changes the ranking, not what this step is about.
    if (!recommended && catalog?.recommended) useOnboarding.setState({ recommended: catalog.recommended });
  }, [catalog, recommended]);
  const [way, setWay] = useState<Way>('pull');
  const [slow, setSlow] = useState(false);

  useEffect(() => {
    const t = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(t);
  }, []);

  const picks = catalog?.models.filter((m) => m.inCatalog && m.verdict !== 'too-large' && canChat(m)) ?? [];
  const name = choice ?? recommended ?? catalog?.recommended ?? picks[0]?.name ?? null;
  const model = name ? (fitFor(catalog, name) ?? null) : null;
  const rows = (installed?.models ?? []).map((r) => ({ row: r, fit: fitFor(catalog, r.name) }));
  const usable = rows.filter((r) => !r.fit || (r.fit.verdict !== 'too-large' && canChat(r.fit)));
  // The chosen model first when it is already here, then the best fit (the catalog is ranked for this machine).
  const rank = (r: (typeof usable)[number]) =>
    withTag(r.row.name) === withTag(name ?? '') ? -1 : r.fit ? (catalog?.models.indexOf(r.fit) ?? Infinity) : Infinity;
  usable.sort((a, b) => rank(a) - rank(b));
  const pulledHere = useModels((s) => (name ? s.pulls[withTag(name)]?.state === 'success' : false));
  // The download is the step's main action while the chosen model is not here: nothing else is drawn as primary.
  const downloadOffered = Boolean(model && !model.installed);
  const engineDown = engine !== null && engine.state !== 'external' && engine.state !== 'running';

  return (
    <>
      <StepHead headingRef={headingRef} title="Your model">
        The model writes the answers. Pick one that fits this computer, then get it whichever way suits you.
      </StepHead>
      {engineDown && (
        <StatusLine tone="warn" title="Ollama is not answering yet">
          Models cannot be downloaded or imported until it does.{' '}
          <button className="link-btn" onClick={() => goTo('ollama')}>
            Go to the Ollama step
          </button>
        </StatusLine>
      )}

      {!catalog && !catalogError && (
        <div className="ob-waiting">
          <Spinner label="Working out which model fits…" />
          {slow && (
            <p className="muted small">Still working. You can go on and choose a model later on the Models page.</p>
          )}
        </div>
      )}
      {catalogError && !catalog && (
        <StatusLine tone="warn" title="The model list could not be loaded">
          {catalogError}
        </StatusLine>
      )}

      {model && (
        <section
          className="ob-panel ob-rec"
          aria-label="Recommended model"
          data-testid="ob-recommended"
          data-model={model.name}
          data-download-bytes={model.downloadBytes}
        >
          <div className="ob-rec-label">
            {model.name === (recommended ?? catalog?.recommended) ? 'Recommended for this computer' : 'Your choice'}
          </div>
          <div className="ob-rec-head">
            <strong className="ob-rec-name">{model.name}</strong>
            <FitBadge fit={model} />
            <Capabilities caps={model.capabilities} />
            {model.installed && <span className="ob-here">On this computer</span>}
            <span className="ob-spacer" />
            <span className="muted small ob-rec-size">{diskSize(model.downloadBytes)}</span>
          </div>
          <p className="ob-rec-reason">
            {model.reason}
            {model.note ? ` ${model.note}` : ''}
          </p>
          {picks.length > 1 && (
            <label className="ob-other small">
              <span className="muted">Another model:</span>
              <select value={model.name} onChange={(e) => setChoice(e.target.value)} aria-label="Choose another model">
                {picks.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name} · {diskSize(m.downloadBytes)}
                    {m.name === (recommended ?? catalog?.recommended) ? ' (recommended)' : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
        </section>
      )}

      {/* Right under the recommendation, so the download is in view without scrolling (1280×800, 800×600). */}
      {model && (!model.installed || pulledHere) && (
        <section className="ob-ways" aria-label={`Ways to get ${model.name}`}>
          <WayTabs way={way} setWay={setWay} />
          <div className="ob-way-panel" role="tabpanel" id={`ob-way-${way}`} aria-labelledby={`ob-tab-${way}`}>
            {way === 'pull' && <PullWay model={model} onWay={setWay} />}
            {way === 'folder' && <FolderWay />}
            {way === 'network' && <NetworkWay />}
          </div>
        </section>
      )}
      {usable.length > 0 && (
        <section className="ob-panel ob-installed" aria-labelledby="ob-installed-title">
          <h2 id="ob-installed-title">
            <Icon name="check" size={18} /> Already on this computer
          </h2>
          <ul>
            {usable.map(({ row, fit }, i) => (
              <li key={row.name} data-testid={`ob-installed-${row.name}`}>
                <strong>{row.name}</strong>
                {fit && <FitBadge fit={fit} small />}
                <span className="muted small">{diskSize(row.sizeBytes)}</span>
                <span className="ob-spacer" />
                <button
                  className={`btn${i === 0 && !downloadOffered ? ' btn-primary' : ''}`}
                  disabled={finishing}
                  onClick={() => void finish(row.name)}
                >
                  Use {row.name} and finish
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

function WayTabs({ way, setWay }: { way: Way; setWay: (w: Way) => void }) {
  // Arrow keys move between the tabs, as in any tab list.
  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = WAYS.findIndex((w) => w.id === way);
    const next = WAYS[(i + (e.key === 'ArrowRight' ? 1 : WAYS.length - 1)) % WAYS.length]!;
    setWay(next.id);
    document.getElementById(`ob-tab-${next.id}`)?.focus();
  };
  return (
    <div className="ob-way-tabs" role="tablist" aria-label="How to get the model">
      {WAYS.map((w) => (
        <button
          key={w.id}
          id={`ob-tab-${w.id}`}
          role="tab"
          aria-selected={way === w.id}
          aria-controls={`ob-way-${w.id}`}
          tabIndex={way === w.id ? 0 : -1}
          className={`ob-way-tab${way === w.id ? ' on' : ''}`}
          onClick={() => setWay(w.id)}
          onKeyDown={onKey}
        >
          <Icon name={w.icon} />
          <span>
            <strong>{w.title}</strong>
            <span className="small">{w.sub}</span>
          </span>
        </button>
      ))}
    </div>
  );
}

function pullLine(p: PullSnapshotDto, whole: { completedBytes: number; totalBytes: number }): string {
  const parts: string[] = [];
  if (whole.totalBytes > 0) parts.push(`${diskSize(whole.completedBytes)} of ${diskSize(whole.totalBytes)}`);
  if (p.bytesPerSecond > 0) parts.push(speed(p.bytesPerSecond));
  const left = eta(p.etaSeconds);
  if (left) parts.push(left);
  return parts.join(' · ') || (p.state === 'queued' ? 'Waiting for another download' : 'Starting…');
}

function PullWay({ model, onWay }: { model: CatalogModelDto; onWay: (w: Way) => void }) {
  const key = withTag(model.name);
  const pull = useModels((s) => s.pulls[key]);
  const finishing = useOnboarding((s) => s.finishing);
  const { finish, goTo } = useOnboarding.getState();
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const start = async () => {
    setStartError(null);
    setStarting(true);
    try {
      // Called here rather than through the store, so a refusal shows in this panel instead of a toast.
      useModels.getState().onPull(await getApi().call('models.pullStart', { name: key }));
    } catch (err) {
      setStartError(errorText(err));
    } finally {
      setStarting(false);
    }
  };

  const succeeded = pull?.state === 'success';
  useEffect(() => {
    // The model downloaded here becomes the default unless the person chose one: chat and the Done step agree.
    if (succeeded && !useApp.getState().settings?.defaultModel) void useModels.getState().setDefault(model.name);
  }, [succeeded, model.name]);

  const active = pull && (pull.state === 'pulling' || pull.state === 'queued');
  const whole = pull ? wholeModelProgress(pull, model.downloadBytes) : null;
  const failedText = startError ?? (pull?.state === 'failed' ? pull.error : null);
  const failed = startError !== null || pull?.state === 'failed';

  if (pull?.state === 'success') {
    return (
      <div className="ob-way-body">
        <StatusLine tone="ok" title={`${model.name} is installed`} testId="ob-pull-done" />
        <button className="btn btn-primary" disabled={finishing} onClick={() => void finish(model.name)}>
          Use {model.name} and finish
        </button>
      </div>
    );
  }
  return (
    <div className="ob-way-body">
      {!active && !failed && (
        <p className="muted">
          Downloads {diskSize(model.downloadBytes)} through Ollama from its model registry. You can keep going while it
          runs; the Models page shows it too.
        </p>
      )}
      {active && pull && whole && (
        <div className="ob-pull" data-testid="ob-pull">
          <ProgressBar value={whole.percent ?? (pull.state === 'pulling' ? null : 0)} label={`${model.name} total`} />
          <div className="ob-pull-line">
            <span className="small">
              {whole.percent !== null && <strong>{whole.percent.toFixed(whole.percent < 10 ? 1 : 0)}% · </strong>}
              {pullLine(pull, whole)}
            </span>
            <button className="btn" onClick={() => void useModels.getState().cancel(key)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      {failed && (
        <div className="ob-pull-failed" data-testid="ob-pull-failed">
          <StatusLine tone="bad" title="The download did not work">
            <p>{pullFailureInWords(failedText, model.name)}</p>
            <p>
              No problem: AERIS-AQ does not need the internet. Bring the model on a USB drive, use an Ollama on your
              network, or finish now and get a model later.
            </p>
            {failedText && (
              <details className="small">
                <summary>What Ollama said</summary>
                <code className="ob-raw">{failedText}</code>
              </details>
            )}
          </StatusLine>
          <div className="ob-actions">
            <button className="btn" onClick={() => onWay('folder')}>
              <Icon name="usb" size={16} /> Import from a folder or USB drive
            </button>
            <button className="btn" onClick={() => goTo('ollama', { focusLan: true })}>
              <Icon name="network" size={16} /> Use an Ollama on my network
            </button>
            <button className="btn" onClick={() => void start()} disabled={starting}>
              Try again
            </button>
            <button className="btn" onClick={() => goTo('provider')}>
              Go on without a local model
            </button>
          </div>
        </div>
      )}
      {(pull?.state === 'cancelled' || pull?.state === 'interrupted') && !failed && (
        <StatusLine tone="warn" title="Download stopped">
          {pull.resumable ? 'Downloading again continues where it stopped.' : pull.error}
        </StatusLine>
      )}
      {!active && !failed && (
        <button className="btn btn-primary" onClick={() => void start()} disabled={starting}>
          <Icon name="download" size={16} />{' '}
          {pull?.state === 'cancelled' || pull?.state === 'interrupted' ? 'Resume' : 'Download'} {model.name} ·{' '}
          {diskSize(model.downloadBytes)}
        </button>
      )}
    </div>
  );
}

function FolderWay() {
  const shell = useApp((s) => s.info?.shell);
  const transfer = useModels((s) => s.transfer);
  const installed = useModels((s) => s.installed);
  const finishing = useOnboarding((s) => s.finishing);
  const { finish } = useOnboarding.getState();
  const [dir, setDir] = useState('');
  const remote = installed !== null && installed.disk.modelsDir === null;
  const busy = transfer.busy === 'import';
  const result = transfer.result?.kind === 'import' ? transfer.result : null;
  const { importDir, pickFolder } = useModels.getState();
  return (
    <div className="ob-way-body">
      <p className="muted">
        On a computer with internet, export the model to a USB drive from its Models page (or copy Ollama’s{' '}
        <code>models</code> folder). Then point to that folder here. Every file is checked before the model appears.
      </p>
      {remote && (
        <p className="ob-note small">Ollama runs on another computer: the folder has to be on that computer.</p>
      )}
      <form
        className="ob-inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void importDir(dir, false);
        }}
      >
        <label htmlFor="ob-import-dir" className="ob-label">
          Folder
        </label>
        <input
          id="ob-import-dir"
          value={dir}
          onChange={(e) => setDir(e.target.value)}
          placeholder={navigator.userAgent.includes('Windows') ? 'E:\\models' : '/media/usb/models'}
          spellCheck={false}
          autoComplete="off"
        />
        {/* A native folder picker exists only in the desktop app; in a browser the path is typed. */}
        {shell === 'electron' && (
          <button
            className="btn"
            type="button"
            onClick={() => void pickFolder('import').then((p) => p && setDir(p))}
            disabled={busy}
          >
            Choose…
          </button>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy || remote || !dir.trim()}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </form>
      {busy && (
        <div className="ob-pull">
          <ProgressBar value={null} label="Importing" />
          <span className="muted small">Copying and checking every file. A large model takes a few minutes.</span>
        </div>
      )}
      {result && (
        <div className="ob-way-body">
          <StatusLine tone="ok" title={`Imported ${result.models.join(', ')}`} testId="ob-import-done">
            From <code>{result.dir}</code>.
          </StatusLine>
          {result.models[0] && (
            <button className="btn btn-primary" disabled={finishing} onClick={() => void finish(result.models[0])}>
              Use {result.models[0]} and finish
            </button>
          )}
        </div>
      )}
      {transfer.error && !busy && (
        <StatusLine tone="bad" title="The import did not work" testId="ob-import-error">
          {transfer.error}
        </StatusLine>
      )}
    </div>
  );
}

function NetworkWay() {
  const { goTo } = useOnboarding.getState();
  return (
    <div className="ob-way-body">
      <p className="muted">
        If a computer on your network already runs Ollama with models, AERIS-AQ can use it: nothing is downloaded to
        this laptop, and the answers come from that computer’s graphics card.
      </p>
      <button className="btn btn-primary" onClick={() => goTo('ollama', { focusLan: true })}>
        <Icon name="network" size={16} /> Enter its address
      </button>
    </div>
  );
}
