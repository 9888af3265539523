import { useState, type FormEvent } from 'react';
import type { CatalogDto, CatalogModelDto } from '../../../../preload/contract';
import { useModels } from '../../stores/models-store';
import { Capabilities, ErrorLine, FitBadge } from './bits';
import { modelNameProblem, withTag } from '../../../../preload/shared/model-name';
import { diskSize, memSize } from '../../lib/format';
import { paramCount } from './units';
import { t } from '../../i18n';
import { fitReasonText } from '../../i18n/engine-text';

function machineText(c: CatalogDto): string {
  const m = c.machine;
  const gpu = m.gpus.find((g) => !g.sharesSystemRam) ?? m.gpus[0];
  const gpuText = gpu
    ? `${gpu.name}, ${memSize(gpu.vramTotalBytes)} VRAM${gpu.vramFreeBytes !== null ? ` (${t('wizard.computer.free', { size: memSize(gpu.vramFreeBytes) })})` : ''}`
    : t('models.catalog.noGpu');
  return `${gpuText} · ${memSize(m.ramTotalBytes)} RAM (${t('wizard.computer.free', { size: memSize(m.ramFreeBytes) })})`;
}

/** The numbers behind a verdict: what the model needs, part by part, against what this machine has free. */
function Why({ m, c }: { m: CatalogModelDto; c: CatalogDto }) {
  const b = m.breakdown;
  const vramFree = c.machine.gpus.reduce((n, g) => n + (g.vramFreeBytes ?? g.vramTotalBytes * 0.9), 0);
  const rows: Array<[string, number, string]> = [
    [
      t('models.catalog.weights'),
      b.weightsBytes,
      `${t('models.catalog.parameters', { n: paramCount(m.parameterCount) })}${m.quantization ? `, ${m.quantization}` : ''}`,
    ],
    [
      t('models.catalog.kvCache'),
      b.kvCacheBytes,
      `${t('models.catalog.slots', { k: Math.round(b.numCtx / 1024), count: b.numParallel })}, ${b.kvCacheType}`,
    ],
    [t('models.catalog.graph'), b.graphBytes, t('models.catalog.graphNote')],
    [
      t('models.catalog.overhead'),
      b.overheadBytes,
      b.overheadBytes > 0 ? t('models.catalog.overheadNote') : t('models.catalog.noneOnCpu'),
    ],
  ];
  return (
    <div className="mp-why">
      <table>
        <tbody>
          {rows.map(([k, v, note]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="num">{memSize(v)}</td>
              <td className="muted">{note}</td>
            </tr>
          ))}
          <tr className="mp-why-total">
            <th scope="row">{t('models.catalog.needs')}</th>
            <td className="num">{memSize(b.requiredBytes)}</td>
            <td />
          </tr>
          <tr>
            <th scope="row">{t('models.catalog.vramFree')}</th>
            <td className="num">{c.machine.gpus.length ? memSize(vramFree) : '—'}</td>
            <td className="muted">{c.machine.gpus.map((g) => g.name).join(', ') || t('models.catalog.noUsableGpu')}</td>
          </tr>
          <tr>
            <th scope="row">{t('models.catalog.ramFree')}</th>
            <td className="num">{memSize(c.machine.ramFreeBytes)}</td>
            <td className="muted">{t('models.catalog.of', { total: memSize(c.machine.ramTotalBytes) })}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">
        {m.gpuLayers !== undefined && m.totalLayers
          ? `${t('models.catalog.layersOnGpu', { n: m.gpuLayers, total: m.totalLayers })} `
          : ''}
        {m.basis === 'measured'
          ? t('models.catalog.measured')
          : t('models.catalog.estimated', { version: m.estimatorVersion ?? '' })}
      </p>
    </div>
  );
}

function CatalogRow({ m, c, recommended }: { m: CatalogModelDto; c: CatalogDto; recommended: boolean }) {
  const pulling = useModels((s) => s.pulls[withTag(m.name)] ?? s.pulls[m.name]);
  const { pull } = useModels.getState();
  const [open, setOpen] = useState(false);
  const active = pulling && (pulling.state === 'pulling' || pulling.state === 'queued');
  return (
    <li className={`mp-cat fit-${m.verdict}`} data-testid={`catalog-${m.name}`}>
      <div className="mp-cat-main">
        <div className="mp-cat-title">
          <strong className="mp-model-name">{m.name}</strong>
          {recommended && <span className="mp-pick">{t('models.catalog.bestPick')}</span>}
          {m.installed && <span className="mp-chip state-success">{t('models.pulls.state.success')}</span>}
        </div>
        <div className="mp-cat-meta muted small">
          {t('models.catalog.parameters', { n: paramCount(m.parameterCount) })} ·{' '}
          {t('models.catalog.download', { size: diskSize(m.downloadBytes) })}
          {m.license ? ` · ${m.license}` : ''}
        </div>
        <div className="mp-cat-caps">
          <Capabilities caps={m.capabilities} />
        </div>
      </div>
      <div className="mp-cat-fit">
        <FitBadge fit={m} />
        <div className="mp-reason small">{fitReasonText(m)}</div>
        <button className="link-btn small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? t('models.catalog.hideNumbers') : t('models.catalog.why')}
        </button>
      </div>
      <div className="mp-cat-action">
        {m.installed ? (
          <span className="muted small">{t('wizard.model.here')}</span>
        ) : active ? (
          <span className="small">
            {t('models.pulls.state.pulling')}
            {pulling.percent !== null ? ` ${Math.round(pulling.percent)}%` : '…'}
          </span>
        ) : (
          <button
            className={`btn ${m.verdict === 'too-large' ? '' : 'btn-primary'}`}
            onClick={() => void pull(m.name)}
            aria-label={t('models.catalog.pullX', { name: m.name })}
            title={
              m.verdict === 'too-large'
                ? t('models.catalog.tooLargeTitle')
                : t('wizard.model.download', { model: diskSize(m.downloadBytes) })
            }
          >
            {m.verdict === 'too-large' ? t('models.catalog.pullAnyway') : t('models.catalog.pull')}
          </button>
        )}
      </div>
      {open && <Why m={m} c={c} />}
    </li>
  );
}

/** Pull any model by name, checked as it is typed. */
function PullByName() {
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const problem = modelNameProblem(name);
  const { pull } = useModels.getState();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (problem) return;
    if (await pull(name)) {
      setName('');
      setTouched(false);
    }
  };
  const showProblem = touched && name.length > 0 && problem;
  return (
    <form className="mp-pull-name-form" onSubmit={(e) => void submit(e)} noValidate>
      <label htmlFor="mp-pull-name">{t('models.catalog.byName')}</label>
      <div className="row">
        <input
          id="mp-pull-name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setTouched(true);
          }}
          placeholder={t('models.catalog.byNamePlaceholder')}
          aria-invalid={Boolean(showProblem)}
          aria-describedby="mp-pull-name-help"
          autoComplete="off"
          spellCheck={false}
        />
        <button className="btn btn-primary" type="submit" disabled={Boolean(problem)}>
          {t('models.catalog.pull')}
        </button>
      </div>
      <div id="mp-pull-name-help" className={`small ${showProblem ? 'mp-bad-text' : 'muted'}`}>
        {showProblem ? problem : t('models.catalog.byNameHelp')}
      </div>
    </form>
  );
}

/** Every catalog model with a fit verdict for this computer, best pick first. */
export function CatalogCard() {
  const catalog = useModels((s) => s.catalog);
  const error = useModels((s) => s.catalogError);
  const loading = useModels((s) => s.catalogLoading);
  const { refreshCatalog } = useModels.getState();
  const [showAll, setShowAll] = useState(false);
  const listed = catalog?.models.filter((m) => m.inCatalog) ?? [];
  const fits = listed.filter((m) => m.verdict !== 'too-large');
  const shown = showAll ? listed : fits;
  return (
    <section className="card mp-card" aria-label={t('models.catalog.title')}>
      <header className="mp-card-head">
        <h2>{t('models.catalog.title')}</h2>
        <button
          className="btn"
          onClick={() => void refreshCatalog(true)}
          disabled={loading}
          title={t('models.catalog.detectTitle')}
        >
          {loading ? t('wizard.ollama.checking') : t('models.catalog.checkAgain')}
        </button>
      </header>
      {catalog && (
        <p className="muted small mp-machine">
          {t('models.catalog.forThis', { machine: machineText(catalog), k: Math.round(catalog.numCtx / 1024) })}
        </p>
      )}
      <div className="mp-legend-fit small">
        <FitBadge small fit={{ verdict: 'full-gpu', gpuFraction: 1, tight: false, reason: '' }} />{' '}
        {t('models.catalog.fast')}
        <FitBadge small fit={{ verdict: 'partial', gpuFraction: 0.5, tight: false, reason: '' }} />{' '}
        {t('models.catalog.slower')}
        <FitBadge small fit={{ verdict: 'cpu', gpuFraction: 0, tight: false, reason: '' }} /> {t('models.catalog.slow')}
        <FitBadge small fit={{ verdict: 'too-large', gpuFraction: 0, tight: false, reason: '' }} />{' '}
        {t('models.catalog.wontRun')}
      </div>
      <PullByName />
      {error && <ErrorLine title={t('models.catalog.cannotCheck')} text={error} />}
      {!catalog && !error && <p className="muted">{t('models.catalog.checking')}</p>}
      {catalog && (
        <>
          <ul className="mp-cat-list">
            {shown.map((m) => (
              <CatalogRow key={m.name} m={m} c={catalog} recommended={catalog.recommended === m.name} />
            ))}
          </ul>
          {listed.length > fits.length && (
            <button className="link-btn" onClick={() => setShowAll(!showAll)}>
              {showAll
                ? t('models.catalog.hideTooLarge')
                : t('models.catalog.showTooLarge', { count: listed.length - fits.length })}
            </button>
          )}
        </>
      )}
    </section>
  );
}
