import type { HardwareRecommendationDto } from '../../../../preload/contract';
import { diskSize, memSize } from '../../lib/format';
import { useDashboard } from '../../stores/dashboard-store';
import { t } from '../../i18n';
import { fitReasonText } from '../../i18n/engine-text';

const verdict = (v: HardwareRecommendationDto['verdict']): string => t(`models.verdict.${v}`);

/** SIMD flags llama.cpp uses, in the order a person would read them; AVX-512's many parts become one chip. */
const FLAG_ORDER = ['avx', 'avx2', 'fma', 'f16c', 'avx-512', 'avx_vnni', 'neon'];

function cpuChips(flags: string[]): { name: string; title: string }[] {
  const avx512 = flags.filter((f) => f.startsWith('avx512'));
  const chips = flags.filter((f) => !f.startsWith('avx512')).map((f) => ({ name: f, title: f }));
  if (avx512.length) chips.push({ name: 'avx-512', title: avx512.join(', ') });
  return chips.sort((a, b) => rank(a.name) - rank(b.name));
}

/** The machine as the model advice sees it: GPUs and their memory, RAM, CPU, disk, and the pick with its reason. */
export function HardwareCard() {
  const hw = useDashboard((s) => s.hardware);
  const error = useDashboard((s) => s.hardwareError);
  const loading = useDashboard((s) => s.hardwareLoading);
  const pick = hw?.recommendations.find((r) => r.model === hw.recommended) ?? null;
  const others = hw?.recommendations.filter((r) => r !== pick).slice(0, 3) ?? [];
  const flags = hw ? cpuChips(hw.cpu.flags) : [];
  return (
    <section className="card db-card db-hardware" aria-labelledby="db-hw-title">
      <div className="db-card-head">
        <h2 id="db-hw-title">{t('wizard.step.computer')}</h2>
        <button
          className="btn db-btn-small"
          onClick={() => void useDashboard.getState().refreshHardware(true)}
          disabled={loading}
        >
          {loading ? t('wizard.computer.detecting') : t('wizard.computer.detectAgain')}
        </button>
      </div>
      {error && <p className="db-error">{error}</p>}
      {!hw && !error && <p className="muted">{t('dashboard.hw.looking')}</p>}
      {hw && (
        <>
          <dl className="db-facts">
            <dt>{t('wizard.computer.graphics')}</dt>
            <dd>
              {hw.gpus.length === 0 && <span className="muted">{t('wizard.computer.noGpu')}</span>}
              {hw.gpus.map((g, i) => (
                <div key={i} className="db-gpu">
                  <span>{g.name}</span>
                  <span className="muted small">
                    {' '}
                    {memSize(g.vramTotalBytes)} {g.sharesSystemRam ? t('wizard.computer.sharedRam') : 'VRAM'}
                    {g.vramFreeBytes !== null && !g.sharesSystemRam
                      ? `, ${t('wizard.computer.free', { size: memSize(g.vramFreeBytes) })}`
                      : ''}
                    {g.driver ? ` · ${t('dashboard.hw.driver', { driver: g.driver })}` : ''}
                  </span>
                </div>
              ))}
            </dd>
            <dt>{t('wizard.computer.memory')}</dt>
            <dd>
              {memSize(hw.ram.totalBytes)} RAM{' '}
              <span className="muted small">({t('wizard.computer.free', { size: memSize(hw.ram.freeBytes) })})</span>
            </dd>
            <dt>{t('wizard.computer.processor')}</dt>
            <dd>
              {hw.cpu.model || t('wizard.computer.unknown')}{' '}
              <span className="muted small">· {t('wizard.computer.cores', { count: hw.cpu.cores })}</span>
              {flags.length > 0 && (
                <div className="db-flags">
                  {flags.map((f) => (
                    <span key={f.name} className="db-chip" title={f.title}>
                      {f.name.toUpperCase().replace('_', '-')}
                    </span>
                  ))}
                </div>
              )}
            </dd>
            <dt>{t('wizard.computer.disk')}</dt>
            <dd>
              {hw.disk.freeBytes === null
                ? t('wizard.computer.unknown')
                : t('wizard.computer.free', { size: diskSize(hw.disk.freeBytes) })}{' '}
              <span className="muted small db-path" title={hw.disk.modelsDir}>
                {t('wizard.computer.forModels')}
              </span>
            </dd>
          </dl>
          <div className="db-pick">
            <div className="db-pick-label muted small">{t('wizard.model.recommendedLabel')}</div>
            {pick ? (
              <>
                <div className="db-pick-model">
                  <strong>{pick.model}</strong>
                  <span className={`db-verdict verdict-${pick.verdict}`}>{verdict(pick.verdict)}</span>
                  {pick.tools && <span className="db-chip">{t('models.caps.tools')}</span>}
                  {pick.installed && <span className="db-chip">{t('dashboard.hw.installed')}</span>}
                </div>
                <p className="db-pick-reason">{fitReasonText(pick)}</p>
              </>
            ) : (
              <p className="db-pick-reason">{t('dashboard.hw.nothingFits')}</p>
            )}
            {others.length > 0 && (
              <ul className="db-alts">
                {others.map((r) => (
                  <li key={r.model} title={fitReasonText(r)}>
                    <span>{r.model}</span>
                    <span className={`db-verdict verdict-${r.verdict}`}>{verdict(r.verdict)}</span>
                    <span className="muted small">{memSize(r.requiredBytes)}</span>
                  </li>
                ))}
              </ul>
            )}
            <div className="muted small">{t('dashboard.hw.atContext', { k: Math.round(hw.numCtx / 1024) })}</div>
          </div>
          {hw.notes.length > 0 && (
            <details className="db-notes">
              <summary className="muted small">{t('wizard.computer.notes', { count: hw.notes.length })}</summary>
              <ul>
                {hw.notes.map((n) => (
                  <li key={n} className="small">
                    {n}
                  </li>
                ))}
              </ul>
            </details>
          )}
        </>
      )}
    </section>
  );
}

function rank(flag: string): number {
  const i = FLAG_ORDER.indexOf(flag);
  return i < 0 ? FLAG_ORDER.length : i;
}
