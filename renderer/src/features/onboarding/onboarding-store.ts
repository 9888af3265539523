import { engineText } from '../../i18n/engine-text';
import { create, type StoreApi } from 'zustand';
import type { AerisApi, EngineStatusDto, HardwareDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { useApp, type AppState } from '../../stores/app-store';
import { useModels } from '../../stores/models-store';
import { t } from '../../i18n';

// Their names are wizard.step.<id> in the locale files.
export const STEPS = [
  { id: 'welcome' },
  { id: 'history' },
  { id: 'computer' },
  { id: 'ollama' },
  { id: 'model' },
  { id: 'provider' },
  { id: 'done' },
] as const;
type StepId = (typeof STEPS)[number]['id'];

/** How long a probe may take before the wizard says so and lets the person go on (it keeps waiting quietly). */
export const SLOW_MS = 8000;

type LoadState = 'idle' | 'loading' | 'slow' | 'ready' | 'error';

interface LanCheck {
  state: 'idle' | 'checking' | 'ok' | 'bad' | 'slow';
  text: string | null;
}

interface OnboardingState {
  step: number;
  hardware: HardwareDto | null;
  hardwareState: LoadState;
  hardwareError: string | null;
  lan: LanCheck;
  /** Set when step 4 sends the person to the network field, so step 3 focuses it. */
  focusLan: boolean;
  finishing: boolean;
  /** The model step's pick: the person's choice, else the recommendation as first shown. */
  modelChoice: string | null;
  recommended: string | null;
  go(step: number): void;
  goTo(id: StepId, opts?: { focusLan?: boolean }): void;
  loadHardware(refresh?: boolean): Promise<void>;
  connectLan(raw: string): Promise<void>;
  /** Saves `onboardingDone` and lands in Chat; with a model, makes it the default first. */
  finish(model?: string | null): Promise<void>;
}

/** Time for the wizard's waits: the real clock, or a test's. */
interface WizardClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Runs `run` after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void;
}

const REAL_CLOCK: WizardClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  after(ms, run) {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

type ModelsState = ReturnType<typeof useModels.getState>;

interface OnboardingDeps {
  api(): AerisApi;
  /** The app store: the settings saved, the models and health shown, the page after the wizard. */
  app: Pick<StoreApi<AppState>, 'getState' | 'setState'>;
  /** The models store: the engine and models of the Ollama just connected, the default model picked. */
  models: {
    getState(): Pick<ModelsState, 'refreshEngine' | 'refreshInstalled' | 'refreshCatalog' | 'setDefault'>;
  };
  clock?: WizardClock;
}

/** The first-run wizard's state, built on its collaborators so tests hand it a fake bridge and clock. */
export function createOnboardingStore(deps: OnboardingDeps) {
  const clock = deps.clock ?? REAL_CLOCK;

  /** Waits for the engine to settle on `host` (the supervisor re-probes after a host change). */
  async function settledEngine(host: string, deadline: number): Promise<EngineStatusDto | null> {
    while (clock.now() < deadline) {
      try {
        const s = await deps.api().call('engine.status', {});
        if (s.host === host && s.state !== 'starting') return s;
      } catch {
        // the next poll may answer
      }
      await clock.sleep(400);
    }
    return null;
  }

  return create<OnboardingState>((set, get) => ({
    step: 0,
    hardware: null,
    hardwareState: 'idle',
    hardwareError: null,
    lan: { state: 'idle', text: null },
    focusLan: false,
    finishing: false,
    modelChoice: null,
    recommended: null,

    go(step) {
      set({ step: Math.max(0, Math.min(STEPS.length - 1, step)), focusLan: false });
    },

    goTo(id, opts = {}) {
      set({ step: STEPS.findIndex((s) => s.id === id), focusLan: opts.focusLan ?? false });
    },

    async loadHardware(refresh = false) {
      if (get().hardwareState === 'loading' || get().hardwareState === 'slow') return;
      set({ hardwareState: 'loading', hardwareError: null });
      // Detection runs nvidia-smi and friends; past SLOW_MS the step says so, and the answer still lands when it comes.
      const cancelSlow = clock.after(SLOW_MS, () => {
        if (get().hardwareState === 'loading') set({ hardwareState: 'slow' });
      });
      try {
        const hardware = await deps.api().call(refresh ? 'hardware.refresh' : 'hardware.detect', {});
        set({ hardware, hardwareState: 'ready' });
      } catch (err) {
        set({ hardwareState: 'error', hardwareError: errorText(err) });
      } finally {
        cancelSlow();
      }
    },

    async connectLan(raw) {
      const typed = raw.trim();
      if (!typed) {
        return set({
          lan: { state: 'bad', text: t('wizard.lan.typeAddress', { example: '192.168.1.20' }) },
        });
      }
      set({ lan: { state: 'checking', text: t('wizard.lan.connecting', { host: typed }) } });
      const api = deps.api();
      try {
        // The engine checks the address and refuses a typo in words before saving; it answers with the
        // normalised host it will report once it has switched.
        const settings = await api.call('settings.update', { ollamaHost: typed });
        deps.app.setState({ settings });
        const host = settings.ollamaHost ?? typed;
        const engine = await settledEngine(host, clock.now() + SLOW_MS);
        if (!engine) {
          set({
            lan: {
              state: 'slow',
              text: t('wizard.lan.slow', { host }),
            },
          });
        } else {
          const health = await api.call('health.get', {});
          const ok = health.ollama.startsWith('connected');
          const version = /\(([^)]+)\)/.exec(health.ollama)?.[1];
          set({
            lan: ok
              ? { state: 'ok', text: t('wizard.lan.connected', { version: version ? ` ${version}` : '', host }) }
              : {
                  state: 'bad',
                  text: engine.message
                    ? engineText(engine.messageText, engine.message)
                    : t('wizard.lan.noAnswer', { host }),
                },
          });
        }
      } catch (err) {
        set({ lan: { state: 'bad', text: errorText(err) } });
      }
      // What that Ollama has installed, and its engine state, for the other steps.
      const app = deps.app.getState();
      const models = deps.models.getState();
      deps.app.setState({ info: await api.call('app.info', {}).catch(() => app.info) });
      await Promise.all([
        app.refreshModels(),
        app.refreshHealth(),
        models.refreshEngine(),
        models.refreshInstalled(),
        models.refreshCatalog(),
      ]);
    },

    async finish(model) {
      set({ finishing: true });
      try {
        if (model) await deps.models.getState().setDefault(model);
        await deps.app.getState().updateSettings({ onboardingDone: true });
        deps.app.getState().setPage('chat');
        // Settings can run the wizard again: it starts from the top.
        set({ step: 0, focusLan: false, lan: { state: 'idle', text: null }, modelChoice: null });
      } finally {
        set({ finishing: false });
      }
    },
  }));
}

export const useOnboarding = createOnboardingStore({ api: getApi, app: useApp, models: useModels });
