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
import { Trans, useTranslation } from 'react-i18next';
import { t as tr } from '../../i18n';
import { fitReasonText } from '../../i18n/engine-text';
import { formatNumber } from '../../lib/format';

type Way = 'pull' | 'folder' | 'network';
/** Titles and subtitles are locale keys wizard.model.ways.<id>.title/sub. */
const WAYS: Array<{ id: Way; icon: IconName }> = [
  { id: 'pull', icon: 'download' },
  { id: 'folder', icon: 'usb' },
  { id: 'network', icon: 'network' },
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
    const timer = setTimeout(() => setSlow(true), SLOW_MS);
    return () => clearTimeout(timer);
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
  const { t } = useTranslation();

  return (
    <>
      <StepHead headingRef={headingRef} title={t('wizard.step.model')}>
        {t('wizard.model.lead')}
      </StepHead>
      {engineDown && (
        <StatusLine tone="warn" title={t('wizard.model.ollamaDown')}>
          {t('wizard.model.ollamaDownText')}{' '}
          <button className="link-btn" onClick={() => goTo('ollama')}>
            {t('wizard.model.goOllama')}
          </button>
        </StatusLine>
      )}

      {!catalog && !catalogError && (
        <div className="ob-waiting">
          <Spinner label={t('wizard.model.working')} />
          {slow && <p className="muted small">{t('wizard.model.slow')}</p>}
        </div>
      )}
      {catalogError && !catalog && (
        <StatusLine tone="warn" title={t('wizard.model.listError')}>
          {catalogError}
        </StatusLine>
      )}

      {model && (
        <section
          className="ob-panel ob-rec"
          aria-label={t('wizard.model.recommendedLabel')}
          data-testid="ob-recommended"
          data-model={model.name}
          data-download-bytes={model.downloadBytes}
        >
          <div className="ob-rec-label">
            {model.name === (recommended ?? catalog?.recommended)
              ? t('wizard.model.recommended')
              : t('wizard.model.yourChoice')}
          </div>
          <div className="ob-rec-head">
            <strong className="ob-rec-name">{model.name}</strong>
            <FitBadge fit={model} />
            <Capabilities caps={model.capabilities} />
            {model.installed && <span className="ob-here">{t('wizard.model.here')}</span>}
            <span className="ob-spacer" />
            <span className="muted small ob-rec-size">{diskSize(model.downloadBytes)}</span>
          </div>
          <p className="ob-rec-reason">
            {fitReasonText(model)}
            {model.note ? ` ${model.note}` : ''}
          </p>
          {picks.length > 1 && (
            <label className="ob-other small">
              <span className="muted">{t('wizard.model.another')}</span>
              <select
                value={model.name}
                onChange={(e) => setChoice(e.target.value)}
                aria-label={t('wizard.model.chooseAnother')}
              >
                {picks.map((m) => (
                  <option key={m.name} value={m.name}>
                    {m.name} · {diskSize(m.downloadBytes)}
                    {m.name === (recommended ?? catalog?.recommended) ? ` (${t('wizard.model.recommendedShort')})` : ''}
                  </option>
                ))}
              </select>
            </label>
          )}
        </section>
      )}

      {/* Right under the recommendation, so the download is in view without scrolling (1280×800, 800×600). */}
      {model && (!model.installed || pulledHere) && (
        <section className="ob-ways" aria-label={t('wizard.model.waysTo', { model: model.name })}>
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
            <Icon name="check" size={18} /> {t('wizard.model.already')}
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
                  {t('wizard.model.useAndFinish', { model: row.name })}
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
  const { t } = useTranslation();
  const onKey = (e: KeyboardEvent<HTMLButtonElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    const i = WAYS.findIndex((w) => w.id === way);
    const next = WAYS[(i + (e.key === 'ArrowRight' ? 1 : WAYS.length - 1)) % WAYS.length]!;
    setWay(next.id);
    document.getElementById(`ob-tab-${next.id}`)?.focus();
  };
  return (
    <div className="ob-way-tabs" role="tablist" aria-label={t('wizard.model.how')}>
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
            <strong>{t(`wizard.model.ways.${w.id}.title`)}</strong>
            <span className="small">{t(`wizard.model.ways.${w.id}.sub`)}</span>
          </span>
        </button>
      ))}
    </div>
  );
}

function pullLine(p: PullSnapshotDto, whole: { completedBytes: number; totalBytes: number }): string {
  const parts: string[] = [];
  if (whole.totalBytes > 0) {
    parts.push(tr('wizard.model.of', { done: diskSize(whole.completedBytes), total: diskSize(whole.totalBytes) }));
  }
  if (p.bytesPerSecond > 0) parts.push(speed(p.bytesPerSecond));
  const left = eta(p.etaSeconds);
  if (left) parts.push(left);
  return parts.join(' · ') || (p.state === 'queued' ? tr('wizard.model.waiting') : tr('wizard.model.starting'));
}

function PullWay({ model, onWay }: { model: CatalogModelDto; onWay: (w: Way) => void }) {
  const key = withTag(model.name);
  const pull = useModels((s) => s.pulls[key]);
  const finishing = useOnboarding((s) => s.finishing);
  const { finish, goTo } = useOnboarding.getState();
  const [startError, setStartError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const { t } = useTranslation();

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
        <StatusLine tone="ok" title={t('wizard.model.installed', { model: model.name })} testId="ob-pull-done" />
        <button className="btn btn-primary" disabled={finishing} onClick={() => void finish(model.name)}>
          {t('wizard.model.useAndFinish', { model: model.name })}
        </button>
      </div>
    );
  }
  return (
    <div className="ob-way-body">
      {!active && !failed && (
        <p className="muted">{t('wizard.model.downloads', { size: diskSize(model.downloadBytes) })}</p>
      )}
      {active && pull && whole && (
        <div className="ob-pull" data-testid="ob-pull">
          <ProgressBar
            value={whole.percent ?? (pull.state === 'pulling' ? null : 0)}
            label={t('wizard.model.total', { model: model.name })}
          />
          <div className="ob-pull-line">
            <span className="small">
              {whole.percent !== null && (
                <strong>
                  {formatNumber(whole.percent / 100, {
                    style: 'percent',
                    maximumFractionDigits: whole.percent < 10 ? 1 : 0,
                  })}{' '}
                  ·{' '}
                </strong>
              )}
              {pullLine(pull, whole)}
            </span>
            <button className="btn" onClick={() => void useModels.getState().cancel(key)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      )}
      {failed && (
        <div className="ob-pull-failed" data-testid="ob-pull-failed">
          <StatusLine tone="bad" title={t('wizard.model.downloadFailed')}>
            <p>{pullFailureInWords(failedText, model.name)}</p>
            <p>{t('wizard.model.noProblem')}</p>
            {failedText && (
              <details className="small">
                <summary>{t('wizard.model.ollamaSaid')}</summary>
                <code className="ob-raw">{failedText}</code>
              </details>
            )}
          </StatusLine>
          <div className="ob-actions">
            <button className="btn" onClick={() => onWay('folder')}>
              <Icon name="usb" size={16} /> {t('wizard.model.importFolder')}
            </button>
            <button className="btn" onClick={() => goTo('ollama', { focusLan: true })}>
              <Icon name="network" size={16} /> {t('wizard.ollama.lan')}
            </button>
            <button className="btn" onClick={() => void start()} disabled={starting}>
              {t('wizard.model.tryAgain')}
            </button>
            <button className="btn" onClick={() => goTo('provider')}>
              {t('wizard.model.finishWithout')}
            </button>
          </div>
        </div>
      )}
      {(pull?.state === 'cancelled' || pull?.state === 'interrupted') && !failed && (
        <StatusLine tone="warn" title={t('wizard.model.stopped')}>
          {pull.resumable ? t('wizard.model.resumable') : pull.error}
        </StatusLine>
      )}
      {!active && !failed && (
        <button className="btn btn-primary" onClick={() => void start()} disabled={starting}>
          <Icon name="download" size={16} />{' '}
          {pull?.state === 'cancelled' || pull?.state === 'interrupted'
            ? t('wizard.model.resume', { model: model.name })
            : t('wizard.model.download', { model: model.name })}{' '}
          · {diskSize(model.downloadBytes)}
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
  const { t } = useTranslation();
  return (
    <div className="ob-way-body">
      <p className="muted">
        <Trans i18nKey="wizard.model.folderText" components={{ code: <code /> }} />
      </p>
      {remote && <p className="ob-note small">{t('wizard.model.remote')}</p>}
      <form
        className="ob-inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void importDir(dir, false);
        }}
      >
        <label htmlFor="ob-import-dir" className="ob-label">
          {t('wizard.model.folder')}
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
            {t('wizard.model.choose')}
          </button>
        )}
        <button className="btn btn-primary" type="submit" disabled={busy || remote || !dir.trim()}>
          {busy ? t('wizard.model.importing') : t('wizard.model.import')}
        </button>
      </form>
      {busy && (
        <div className="ob-pull">
          <ProgressBar value={null} label={t('wizard.model.importing')} />
          <span className="muted small">{t('wizard.model.copying')}</span>
        </div>
      )}
      {result && (
        <div className="ob-way-body">
          <StatusLine
            tone="ok"
            title={t('wizard.model.imported', { models: result.models.join(', ') })}
            testId="ob-import-done"
          >
            {t('wizard.model.from')} <code>{result.dir}</code>.
          </StatusLine>
          {result.models[0] && (
            <button className="btn btn-primary" disabled={finishing} onClick={() => void finish(result.models[0])}>
              {t('wizard.model.useAndFinish', { model: result.models[0] })}
            </button>
          )}
        </div>
      )}
      {transfer.error && !busy && (
        <StatusLine tone="bad" title={t('wizard.model.importFailed')} testId="ob-import-error">
          {transfer.error}
        </StatusLine>
      )}
    </div>
  );
}

function NetworkWay() {
  const { goTo } = useOnboarding.getState();
  const { t } = useTranslation();
  return (
    <div className="ob-way-body">
      <p className="muted">{t('wizard.model.networkText')}</p>
      <button className="btn btn-primary" onClick={() => goTo('ollama', { focusLan: true })}>
        <Icon name="network" size={16} /> {t('wizard.model.enterAddress')}
      </button>
    </div>
  );
}
