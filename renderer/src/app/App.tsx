import { useEffect, useMemo, useRef } from 'react';
import { useApp } from '../stores/app-store';
import { useShortcuts, type Shortcut } from '../lib/shortcuts';
import { useTheme } from '../lib/theme';
import { Sidebar } from '../features/chat/Sidebar';
import { ChatView } from '../features/chat/ChatView';
import { SettingsDialog } from '../features/settings/SettingsDialog';
import { Notices } from './Notices';

export function App() {
  const ready = useApp((s) => s.ready);
  const fatal = useApp((s) => s.fatal);
  const theme = useApp((s) => s.settings?.theme);
  const settingsOpen = useApp((s) => s.settingsOpen);
  const searchRef = useRef<HTMLInputElement>(null);
  useTheme(theme);

  useEffect(() => {
    void useApp.getState().init();
    const timer = setInterval(() => void useApp.getState().refreshHealth(), 15_000);
    return () => clearInterval(timer);
  }, []);

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      { keys: 'mod+shift+o', label: 'New chat', run: () => useApp.getState().newChat() },
      { keys: 'mod+k', label: 'Search conversations', run: () => searchRef.current?.focus() },
      { keys: 'escape', label: 'Stop the reply', run: () => void useApp.getState().stop() },
      { keys: 'mod+,', label: 'Settings', run: () => useApp.getState().openSettings(true) },
    ],
    [],
  );
  useShortcuts(shortcuts);

  if (!ready) return <div className="splash">Starting AERIS-AQ…</div>;
  if (fatal) {
    return (
      <div className="splash">
        <div className="fatal card">
          <h2>AERIS-AQ cannot start</h2>
          <p>{fatal}</p>
        </div>
      </div>
    );
  }
  return (
    <div className="layout">
      <Sidebar searchRef={searchRef} shortcuts={shortcuts} />
      <ChatView />
      {settingsOpen && <SettingsDialog />}
      <Notices />
    </div>
  );
}
