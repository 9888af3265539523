import type { ModelRowDto } from '../../../../preload/contract';
import { fitFor, useModels } from '../../stores/models-store';
import { Capabilities, ErrorLine, FitBadge } from './bits';
import { diskSize, memSize } from '../../lib/format';
import { gpuShareText } from './units';

function MemoryCell({ m }: { m: ModelRowDto }) {
  const catalog = useModels((s) => s.catalog);
  if (!m.loaded || m.gpuShare === null) {
    const fit = fitFor(catalog, m.name);
    return (
      <div className="mp-mem">
        <span className="muted">Not loaded</span>
        {fit && <FitBadge fit={fit} small />}
      </div>
    );
  }
  const share = gpuShareText(m.gpuShare);
  const e = m.estimate;
  return (
    <div className="mp-mem">
      <span
        className={`mp-share ${m.gpuShare >= 0.995 ? 'full' : m.gpuShare <= 0 ? 'cpu' : 'partial'}`}
        data-testid={`share-${m.name}`}
      >
        {share}
      </span>
      <span className="small">
        {memSize(m.loadedBytes)} in memory{m.contextLength ? ` at ${Math.round(m.contextLength / 1024)}k context` : ''}
      </span>
      {e && (
        <span className="muted small" title="The app's estimate beside what Ollama reports after loading (/api/ps)">
          estimate {memSize(e.estimateBytes)} ({e.differencePct > 0 ? '+' : ''}
          {Math.round(e.differencePct)}%)
        </span>
      )}
    </div>
  );
}

/** Installed models: size, parameters and quantization, capabilities, memory once loaded, default, actions. */
export function InstalledCard() {
  const installed = useModels((s) => s.installed);
  const error = useModels((s) => s.installedError);
  const busy = useModels((s) => s.busy);
  const { setDefault, preload, unload, askDelete, refreshInstalled } = useModels.getState();
  const models = installed ? [...installed.models].sort((a, b) => a.name.localeCompare(b.name)) : [];
  return (
    <section className="card mp-card" aria-label="Installed models">
      <header className="mp-card-head">
        <h2>Installed models</h2>
        <button className="btn" onClick={() => void refreshInstalled()}>
          Refresh
        </button>
      </header>
      {error && <ErrorLine title="Cannot list the models:" text={error} />}
      {installed && models.length === 0 && !error && (
        <p className="mp-empty">
          No models yet. Pull one from the catalog below; the one marked “Best pick” suits this computer.
        </p>
      )}
      {models.length > 0 && (
        <div className="mp-table-wrap">
          <table className="mp-table">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col" className="num">
                  Size
                </th>
                <th scope="col">Parameters</th>
                <th scope="col">Can do</th>
                <th scope="col">Memory</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {models.map((m) => {
                const isDefault = installed?.defaultModel === m.name;
                const b = busy[m.name];
                return (
                  <tr key={m.name} data-testid={`installed-${m.name}`}>
                    <td>
                      <div className="mp-name-cell">
                        <button
                          className={`mp-star${isDefault ? ' on' : ''}`}
                          aria-pressed={isDefault}
                          aria-label={isDefault ? `${m.name} is the default model` : `Make ${m.name} the default model`}
                          title={isDefault ? 'Default model for new chats' : 'Make this the default for new chats'}
                          disabled={Boolean(b)}
                          onClick={() => void setDefault(isDefault ? null : m.name)}
                        >
                          {isDefault ? '★' : '☆'}
                        </button>
                        <div>
                          <div className="mp-model-name">{m.name}</div>
                          <div className="muted small">
                            {m.family || 'unknown family'}
                            {isDefault && <span className="mp-default-tag">default</span>}
                          </div>
                        </div>
                      </div>
                    </td>
                    <td className="num">{diskSize(m.sizeBytes)}</td>
                    <td>
                      <div>{m.parameterSize || '—'}</div>
                      <div className="muted small">{m.quantization}</div>
                    </td>
                    <td>
                      <Capabilities caps={m.capabilities} />
                    </td>
                    <td>
                      <MemoryCell m={m} />
                    </td>
                    <td className="mp-actions">
                      {m.loaded ? (
                        <button
                          className="btn"
                          disabled={Boolean(b)}
                          onClick={() => void unload(m.name)}
                          title="Free its memory now"
                        >
                          {b === 'unload' ? 'Unloading…' : 'Unload'}
                        </button>
                      ) : (
                        <button
                          className="btn"
                          disabled={Boolean(b)}
                          onClick={() => void preload(m.name)}
                          title="Load it now so the first answer is quick"
                        >
                          {b === 'preload' ? 'Loading…' : 'Load'}
                        </button>
                      )}
                      <button
                        className="btn mp-danger"
                        disabled={Boolean(b)}
                        onClick={() => askDelete(m.name)}
                        aria-label={`Delete ${m.name}`}
                      >
                        {b === 'delete' ? 'Deleting…' : 'Delete'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
