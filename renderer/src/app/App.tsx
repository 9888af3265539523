import { useEffect, useMemo } from 'react';
import { useApp } from '../stores/app-store';
import { TOKEN_REFUSED } from '../bridge/http-bridge';
import { useShortcuts, type Shortcut } from '../lib/shortcuts';
import { useTheme } from '../lib/theme';
import { NavRail } from './NavRail';
import { PAGES } from './pages';
import { Notices } from './Notices';
import { useTranslation } from 'react-i18next';
import { t } from '../i18n';
import { onDemand } from '../lib/on-demand';

/** While a screen's code loads: the same words as the start-up splash. */
function Splash() {
  return <div className="splash">{t('app.starting')}</div>;
}

// Shown once (wizard, recovery) or on request (settings): their code loads then, not with the chat screen.
const SettingsDialog = onDemand(async () => (await import('../features/settings/SettingsDialog')).SettingsDialog, null);
const OnboardingWizard = onDemand(
  async () => (await import('../features/onboarding/OnboardingWizard')).OnboardingWizard,
  <Splash />,
);
const RecoveryScreen = onDemand(
  async () => (await import('../features/recovery/RecoveryScreen')).RecoveryScreen,
  <Splash />,
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
  const { t } = useTranslation();
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
        label: t('chat.newChat'),
        run: () => (useApp.getState().setPage('chat'), useApp.getState().newChat()),
      },
      {
        keys: 'mod+k',
        label: t('chat.sidebar.search'),
        run: () => useApp.getState().focusSearch(),
      },
      { keys: 'escape', label: t('app.stopReply'), run: () => void useApp.getState().stop() },
      { keys: 'mod+,', label: t('nav.settings'), run: () => useApp.getState().openSettings(true) },
      ...PAGES.map((p, i) => ({
        keys: `mod+${i + 1}`,
        label: t('app.goTo', { page: t(`nav.${p.id}`) }),
        run: () => useApp.getState().setPage(p.id),
      })),
    ],
    [t],
  );
  // The wizard has its own keys (Enter, Esc); the app's would act on pages hidden behind it.
  useShortcuts(onboarding || recovery ? NO_SHORTCUTS : shortcuts);

  if (!ready) return <div className="splash">{t('app.starting')}</div>;
  if (fatal) {
    return (
      <main className="splash">
        <div className="fatal card" role="alert">
          <h1>{fatal === TOKEN_REFUSED ? t('app.tokenRefused') : t('app.cannotStart')}</h1>
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
