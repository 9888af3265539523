import { useState } from 'react';
import type { SourceStatusDto, SourceTestDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { t } from '../../i18n';

type Outcome =
  { kind: 'idle' } | { kind: 'testing' } | { kind: 'done'; result: SourceTestDto } | { kind: 'error'; text: string };

/** Words for the engine's answer: "Connected (120 ms)" or why not, in the UI's language. */
function words(r: SourceTestDto): string {
  return r.ok ? t('sources.check.ok', { ms: r.ms }) : t(`sources.check.${r.reason}`);
}

/**
 * "Test connection": one small real request with the URL and key in effect now (what is saved or set in
 * the environment, not what is typed and unsaved). A spinner while it runs, then green or red words; the
 * source's own sentence is the tooltip, for whoever wants the detail.
 */
export function TestConnection({ id, disabled }: { id: SourceStatusDto['id']; disabled?: boolean }) {
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const run = async () => {
    setOutcome({ kind: 'testing' });
    try {
      setOutcome({ kind: 'done', result: await getApi().call('sources.test', { id }) });
    } catch (err) {
      setOutcome({ kind: 'error', text: errorText(err) });
    }
  };
  const testing = outcome.kind === 'testing';
  return (
    <div className="source-test">
      <button className="btn" type="button" disabled={disabled || testing} onClick={() => void run()}>
        {testing && <span className="source-test-spinner" aria-hidden />}
        {testing ? t('sources.check.testing') : t('sources.check.button')}
      </button>
      <span role="status" aria-live="polite" data-testid="test-result" className="source-test-result">
        {outcome.kind === 'done' && (
          <span
            className={outcome.result.ok ? 'ok' : 'bad'}
            title={outcome.result.ok ? undefined : outcome.result.detail}
          >
            {words(outcome.result)}
          </span>
        )}
        {outcome.kind === 'error' && <span className="bad">{outcome.text}</span>}
      </span>
    </div>
  );
}
