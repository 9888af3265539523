import type { ModelRowDto } from '../../../../preload/contract';
import { fitFor, useModels } from '../../stores/models-store';
import { Capabilities, ErrorLine, FitBadge } from './bits';
import { diskSize, memSize } from '../../lib/format';
import { gpuShareText } from './units';
import { t } from '../../i18n';
import { quantBits } from './quant-bits';

function MemoryCell({ m }: { m: ModelRowDto }) {
  const catalog = useModels((s) => s.catalog);
  if (!m.loaded || m.gpuShare === null) {
    const fit = fitFor(catalog, m.name);
    return (
      <div className="mp-mem">
        <span className="muted">{t('models.installed.notLoaded')}</span>
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
        {t('models.installed.inMemory', { size: memSize(m.loadedBytes) })}
        {m.contextLength ? ` ${t('models.installed.atContext', { k: Math.round(m.contextLength / 1024) })}` : ''}
      </span>
      {e && (
        <span className="muted small" title={t('models.installed.estimateTitle')}>
          {t('models.installed.estimate', { size: memSize(e.estimateBytes) })} ({e.differencePct > 0 ? '+' : ''}
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
    <section className="card mp-card" aria-label={t('models.installed.title')}>
      <header className="mp-card-head">
        <h2>{t('models.installed.title')}</h2>
        <button className="btn" onClick={() => void refreshInstalled()}>
          {t('models.installed.refresh')}
        </button>
      </header>
      {error && <ErrorLine title={t('models.installed.cannotList')} text={error} />}
      {installed && models.length === 0 && !error && <p className="mp-empty">{t('models.installed.none')}</p>}
      {models.length > 0 && (
        <div className="mp-table-wrap">
          <table className="mp-table">
            <thead>
              <tr>
                <th scope="col">{t('chat.header.model')}</th>
                <th scope="col" className="num">
                  {t('models.installed.size')}
                </th>
                <th scope="col">{t('models.installed.parameters')}</th>
                <th scope="col">{t('models.installed.canDo')}</th>
                <th scope="col">{t('wizard.computer.memory')}</th>
                <th scope="col">
                  <span className="sr-only">{t('models.installed.actions')}</span>
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
                          aria-label={
                            isDefault
                              ? t('models.installed.isDefault', { name: m.name })
                              : t('models.installed.makeDefault', { name: m.name })
                          }
                          title={
                            isDefault ? t('models.installed.defaultTitle') : t('models.installed.makeDefaultTitle')
                          }
                          disabled={Boolean(b)}
                          onClick={() => void setDefault(isDefault ? null : m.name)}
                        >
                          {isDefault ? '★' : '☆'}
                        </button>
                        <div>
                          <div className="mp-model-name">{m.name}</div>
                          <div className="muted small">
                            {m.family || t('models.installed.unknownFamily')}
                            {isDefault && <span className="mp-default-tag">{t('models.installed.default')}</span>}
                          </div>
                        </div>
                      </div>
                    </td>
                    <td className="num">{diskSize(m.sizeBytes)}</td>
                    <td>
                      <div>{m.parameterSize || '—'}</div>
                      <Quantization name={m.quantization} />
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
                          title={t('models.installed.unloadTitle')}
                        >
                          {b === 'unload' ? t('models.installed.unloading') : t('models.installed.unload')}
                        </button>
                      ) : (
                        <button
                          className="btn"
                          disabled={Boolean(b)}
                          onClick={() => void preload(m.name)}
                          title={t('models.installed.loadTitle')}
                        >
                          {b === 'preload' ? t('common.loading') : t('models.installed.load')}
                        </button>
                      )}
                      <button
                        className="btn mp-danger"
                        disabled={Boolean(b)}
                        onClick={() => askDelete(m.name)}
                        aria-label={t('chat.sidebar.deleteX', { title: m.name })}
                      >
                        {b === 'delete' ? t('models.installed.deleting') : t('common.delete')}
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

/** The quantization in words ("4-bit"), its GGUF name (Q4_K_M) kept for those who want it, as a tooltip. */
function Quantization({ name }: { name: string }) {
  const bits = quantBits(name);
  if (!name) return null;
  return (
    <div className="muted small" title={name}>
      {bits === null ? name : t('models.installed.bits', { n: bits })}
    </div>
  );
}
