import { useEffect, useRef } from 'react';
import { useModels } from '../../stores/models-store';
import { Icon, type StepProps } from './bits';
import { HistoryStep } from './HistoryStep';
import { ModelStep } from './ModelStep';
import { ProviderStep } from './ProviderStep';
import { STEPS, useOnboarding } from './onboarding-store';
import { ComputerStep, DoneStep, OllamaStep, WelcomeStep } from './steps';
import '../models/models.css';
import './onboarding.css';
import { useTranslation } from 'react-i18next';

const BODIES: Record<(typeof STEPS)[number]['id'], (p: StepProps) => React.ReactNode> = {
  welcome: WelcomeStep,
  history: HistoryStep,
  computer: ComputerStep,
  ollama: OllamaStep,
  model: ModelStep,
  provider: ProviderStep,
  done: DoneStep,
};

/** Keys typed here belong to the control (a field, a button, a tab), not to the wizard's Enter = Next. */
const OWN_ENTER = 'input, textarea, select, button, a, summary, [role="tab"]';

/**
 * The first-run wizard, shown instead of the app until `onboardingDone`: what stays local, the hardware,
 * Ollama, a model that fits. Every step can be skipped and nothing waits on the network.
 */
export function OnboardingWizard() {
  const step = useOnboarding((s) => s.step);
  const finishing = useOnboarding((s) => s.finishing);
  const focusLan = useOnboarding((s) => s.focusLan);
  const { go, finish } = useOnboarding.getState();
  const headingRef = useRef<HTMLHeadingElement | null>(null);
  const current = STEPS[step]!;
  const last = step === STEPS.length - 1;
  const Body = BODIES[current.id];
  const { t } = useTranslation();

  useEffect(() => {
    // Loaded once, in the background: each step shows what has arrived and never waits for the rest.
    void useModels.getState().init();
    void useOnboarding.getState().loadHardware();
  }, []);

  useEffect(() => {
    // A new step: announce it by moving focus to its title (step 4's "network" link focuses the field instead).
    if (!focusLan) headingRef.current?.focus();
  }, [step, focusLan]);

  const next = () => (last ? void finish() : go(step + 1));

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const target = e.target instanceof Element ? e.target : null;
      if (e.key === 'Escape') {
        e.preventDefault();
        // In a field, Esc leaves the field; anywhere else it is "Skip for now".
        if (target?.matches('input, textarea, select')) (target as HTMLElement).blur();
        else void useOnboarding.getState().finish();
      } else if (e.key === 'Enter' && !e.shiftKey && !target?.closest(OWN_ENTER)) {
        e.preventDefault();
        const s = useOnboarding.getState();
        if (s.step === STEPS.length - 1) void s.finish();
        else s.go(s.step + 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="ob-root" data-testid="onboarding">
      <div className="ob-card" role="dialog" aria-modal="true" aria-labelledby="ob-title">
        <header className="ob-top">
          <div className="ob-brand">
            <img src="./icon.svg" alt="" width={30} height={30} />
            <div>
              <div className="ob-brand-name" id="ob-title">
                {t('wizard.title')}
              </div>
              <div className="muted small">{t('wizard.stepOf', { step: step + 1, total: STEPS.length })}</div>
            </div>
          </div>
          <nav aria-label={t('wizard.steps')}>
            <ol className="ob-steps">
              {STEPS.map((s, i) => (
                <li key={s.id} className={i === step ? 'on' : i < step ? 'past' : ''}>
                  <button onClick={() => go(i)} aria-current={i === step ? 'step' : undefined}>
                    <span className="ob-step-num" aria-hidden>
                      {i < step ? <Icon name="check" size={14} /> : i + 1}
                    </span>
                    <span className="ob-step-label">{t(`wizard.step.${s.id}`)}</span>
                  </button>
                </li>
              ))}
            </ol>
          </nav>
        </header>
        <main className="ob-body" key={current.id}>
          <Body headingRef={headingRef} />
        </main>
        <footer className="ob-foot">
          <button className="link-btn ob-skip" onClick={() => void finish()} disabled={finishing}>
            {t('wizard.skip')}
          </button>
          <span className="muted small ob-keys" aria-hidden>
            <kbd>Enter</kbd> {t('wizard.keyNext')} · <kbd>Esc</kbd> {t('wizard.keySkip')}
          </span>
          <span className="ob-spacer" />
          <button className="btn" onClick={() => go(step - 1)} disabled={step === 0}>
            {t('wizard.back')}
          </button>
          <button className="btn btn-primary ob-next" onClick={next} disabled={finishing}>
            {step === 0 ? t('wizard.getStarted') : last ? t('wizard.startChatting') : t('wizard.next')}
          </button>
        </footer>
      </div>
    </div>
  );
}
