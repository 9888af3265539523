import { useState, type FormEvent } from 'react';
import type { CatalogDto, CatalogModelDto } from '../../../../preload/contract';
import { useModels } from '../../stores/models-store';
import { Capabilities, ErrorLine, FitBadge } from './bits';
import { modelNameProblem, withTag } from '../../../../preload/shared/model-name';
import { diskSize, memSize } from '../../lib/format';
import { paramCount } from './units';

function machineText(c: CatalogDto): string {
  const m = c.machine;
  const gpu = m.gpus.find((g) => !g.sharesSystemRam) ?? m.gpus[0];
  const gpuText = gpu
    ? `${gpu.name}, ${memSize(gpu.vramTotalBytes)} VRAM${gpu.vramFreeBytes !== null ? ` (${memSize(gpu.vramFreeBytes)} free)` : ''}`
    : 'no graphics card Ollama can use';
  return `${gpuText} · ${memSize(m.ramTotalBytes)} RAM (${memSize(m.ramFreeBytes)} free)`;
}

/** The numbers behind a verdict: what the model needs, part by part, against what this machine has free. */
function Why({ m, c }: { m: CatalogModelDto; c: CatalogDto }) {
  const b = m.breakdown;
  const vramFree = c.machine.gpus.reduce((n, g) => n + (g.vramFreeBytes ?? g.vramTotalBytes * 0.9), 0);
  const rows: Array<[string, number, string]> = [
    [
      'Weights',
      b.weightsBytes,
      `${paramCount(m.parameterCount)} parameters${m.quantization ? `, ${m.quantization}` : ''}`,
    ],
    [
      'KV cache',
      b.kvCacheBytes,
      `${Math.round(b.numCtx / 1024)}k context × ${b.numParallel} slot${b.numParallel === 1 ? '' : 's'}, ${b.kvCacheType}`,
    ],
    ['Compute graph', b.graphBytes, 'working memory while answering'],
    [
      'GPU overhead',
      b.overheadBytes,
      b.overheadBytes > 0
        ? 'the GPU driver’s minimum, a one-layer buffer and the larger graph Ollama keeps while placing layers'
        : 'none on the CPU',
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
            <th scope="row">Needs</th>
            <td className="num">{memSize(b.requiredBytes)}</td>
            <td />
          </tr>
          <tr>
            <th scope="row">VRAM free</th>
            <td className="num">{c.machine.gpus.length ? memSize(vramFree) : '—'}</td>
            <td className="muted">{c.machine.gpus.map((g) => g.name).join(', ') || 'no usable GPU'}</td>
          </tr>
          <tr>
            <th scope="row">RAM free</th>
            <td className="num">{memSize(c.machine.ramFreeBytes)}</td>
            <td className="muted">of {memSize(c.machine.ramTotalBytes)}</td>
          </tr>
        </tbody>
      </table>
      <p className="muted small">
        {m.gpuLayers !== undefined && m.totalLayers ? `${m.gpuLayers}/${m.totalLayers} layers on the GPU. ` : ''}
        {m.basis === 'measured'
          ? 'Measured on this computer: the figure Ollama reported when it last loaded this model.'
          : `Estimated with Ollama ${m.estimatorVersion ?? ''}’s own memory rules; may be off by about 10%.`}
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
          {recommended && <span className="mp-pick">Best pick</span>}
          {m.installed && <span className="mp-chip state-success">Installed</span>}
        </div>
        <div className="mp-cat-meta muted small">
          {paramCount(m.parameterCount)} parameters · {diskSize(m.downloadBytes)} download
          {m.license ? ` · ${m.license}` : ''}
        </div>
        <div className="mp-cat-caps">
          <Capabilities caps={m.capabilities} />
        </div>
      </div>
      <div className="mp-cat-fit">
        <FitBadge fit={m} />
        <div className="mp-reason small">{m.reason}</div>
        <button className="link-btn small" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide the numbers' : 'Why?'}
        </button>
      </div>
      <div className="mp-cat-action">
        {m.installed ? (
          <span className="muted small">On this computer</span>
        ) : active ? (
          <span className="small">
            Downloading{pulling.percent !== null ? ` ${Math.round(pulling.percent)}%` : '…'}
          </span>
        ) : (
          <button
            className={`btn ${m.verdict === 'too-large' ? '' : 'btn-primary'}`}
            onClick={() => void pull(m.name)}
            aria-label={`Pull ${m.name}`}
            title={
              m.verdict === 'too-large'
                ? 'It will not run on this computer, but you can download it for another one'
                : `Download ${diskSize(m.downloadBytes)}`
            }
          >
            {m.verdict === 'too-large' ? 'Pull anyway' : 'Pull'}
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
      <label htmlFor="mp-pull-name">Pull by name</label>
      <div className="row">
        <input
          id="mp-pull-name"
          value={name}
          onChange={(e) => {
            setName(e.target.value);
            setTouched(true);
          }}
          placeholder="e.g. qwen2.5:7b or namespace/model:tag"
          aria-invalid={Boolean(showProblem)}
          aria-describedby="mp-pull-name-help"
          autoComplete="off"
          spellCheck={false}
        />
        <button className="btn btn-primary" type="submit" disabled={Boolean(problem)}>
          Pull
        </button>
      </div>
      <div id="mp-pull-name-help" className={`small ${showProblem ? 'mp-bad-text' : 'muted'}`}>
        {showProblem ? problem : 'Any model from ollama.com/library, or from your own registry.'}
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
    <section className="card mp-card" aria-label="Catalog">
      <header className="mp-card-head">
        <h2>Catalog</h2>
        <button
          className="btn"
          onClick={() => void refreshCatalog(true)}
          disabled={loading}
          title="Detect the hardware again"
        >
          {loading ? 'Checking…' : 'Check hardware again'}
        </button>
      </header>
      {catalog && (
        <p className="muted small mp-machine">
          For this computer: {machineText(catalog)}. Estimates at {Math.round(catalog.numCtx / 1024)}k context.
        </p>
      )}
      <div className="mp-legend-fit small">
        <FitBadge small fit={{ verdict: 'full-gpu', gpuFraction: 1, tight: false, reason: '' }} /> fast
        <FitBadge small fit={{ verdict: 'partial', gpuFraction: 0.5, tight: false, reason: '' }} /> slower
        <FitBadge small fit={{ verdict: 'cpu', gpuFraction: 0, tight: false, reason: '' }} /> slow
        <FitBadge small fit={{ verdict: 'too-large', gpuFraction: 0, tight: false, reason: '' }} /> will not run here
      </div>
      <PullByName />
      {error && <ErrorLine title="Cannot check this computer:" text={error} />}
      {!catalog && !error && <p className="muted">Checking what this computer can run…</p>}
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
                ? 'Hide models too large for this computer'
                : `Show ${listed.length - fits.length} models too large for this computer`}
            </button>
          )}
        </>
      )}
    </section>
  );
}
