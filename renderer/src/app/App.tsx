import { useEffect, useMemo } from 'react';
import { useApp } from '../stores/app-store';
import { TOKEN_REFUSED } from '../bridge/http-bridge';
import { useShortcuts, type Shortcut } from '../lib/shortcuts';
import { useTheme } from '../lib/theme';
import { NavRail } from './NavRail';
import { PAGES } from './pages';
import { Notices } from './Notices';
import { onDemand } from '../lib/on-demand';

// Shown once (wizard, recovery) or on request (settings): their code loads then, not with the chat screen.
const SettingsDialog = onDemand(async () => (await import('../features/settings/SettingsDialog')).SettingsDialog, null);
const OnboardingWizard = onDemand(
  async () => (await import('../features/onboarding/OnboardingWizard')).OnboardingWizard,
  <div className="splash">Starting AERIS-AQ…</div>,
);
const RecoveryScreen = onDemand(
  async () => (await import('../features/recovery/RecoveryScreen')).RecoveryScreen,
  <div className="splash">Starting AERIS-AQ…</div>,
);

const NO_SHORTCUTS: Shortcut[] = [];

export function App() {
  const ready = useApp((s) => s.ready);
  const fatal = useApp((s) => s.fatal);
  const theme = useApp((s) => s.settings?.theme);
  const settingsOpen = useApp((s) => s.settingsOpen);
  const page = useApp((s) => s.page);
  const onboarding = useApp((s) => s.settings?.onboardingDone === false);
  const recovery = useApp((s) => s.recoveryActive);
  useTheme(theme);

  useEffect(() => {
    void useApp.getState().init();
    const timer = setInterval(() => void useApp.getState().refreshHealth(), 15_000);
    return () => clearInterval(timer);
  }, []);

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      {
        keys: 'mod+shift+o',
        label: 'New chat',
        run: () => (useApp.getState().setPage('chat'), useApp.getState().newChat()),
      },
      {
        keys: 'mod+k',
        label: 'Search conversations',
        run: () => useApp.getState().focusSearch(),
      },
      { keys: 'escape', label: 'Stop the reply', run: () => void useApp.getState().stop() },
      { keys: 'mod+,', label: 'Settings', run: () => useApp.getState().openSettings(true) },
      ...PAGES.map((p, i) => ({
        keys: `mod+${i + 1}`,
        label: `Go to ${p.label}`,
        run: () => useApp.getState().setPage(p.id),
      })),
    ],
    [],
  );
  // The wizard has its own keys (Enter, Esc); the app's would act on pages hidden behind it.
  useShortcuts(onboarding || recovery ? NO_SHORTCUTS : shortcuts);

  if (!ready) return <div className="splash">Starting AERIS-AQ…</div>;
  if (fatal) {
    return (
      <main className="splash">
        <div className="fatal card" role="alert">
          <h1>{fatal === TOKEN_REFUSED ? 'This link cannot open AERIS-AQ' : 'AERIS-AQ cannot start'}</h1>
          <p>{fatal}</p>
        </div>
      </main>
    );
  }
  if (recovery) return <RecoveryScreen onDone={() => void useApp.getState().recovered()} />;
  if (onboarding) {
    return (
      <>
        <OnboardingWizard />
        <Notices />
      </>
    );
  }
  return (
    <div className="shell">
      <NavRail />
      <main className="page">{(PAGES.find((p) => p.id === page) ?? PAGES[0]!).render()}</main>
      {settingsOpen && <SettingsDialog shortcuts={shortcuts} />}
      <Notices />
    </div>
  );
}
