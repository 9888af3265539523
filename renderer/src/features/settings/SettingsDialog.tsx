import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ProviderSettings } from './ProviderSettings';
import { useApp } from '../../stores/app-store';
import { shortcutText, type Shortcut } from '../../lib/shortcuts';

export function SettingsDialog({ shortcuts }: { shortcuts: Shortcut[] }) {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  const health = useApp((s) => s.health);
  const models = useApp((s) => s.models);
  const { updateSettings, openSettings, refreshHealth } = useApp.getState();
  const [host, setHost] = useState(settings?.ollamaHost ?? info?.ollamaHost ?? '');
  const [location, setLocation] = useState(settings?.location ?? '');
  const [exportFolder, setExportFolder] = useState(settings?.exportFolder ?? '');

  if (!settings) return null;
  return (
    <Dialog title="Settings" className="settings-dialog" onClose={() => openSettings(false)}>
      <section>
        <h3>Ollama</h3>
        <label className="field">
          <span>Host</span>
          <div className="row">
            <input
              value={host}
              onChange={(e) => setHost(e.target.value)}
              aria-label="Ollama host"
              placeholder="http://127.0.0.1:11434"
            />
            <button
              className="btn btn-primary"
              onClick={() => void updateSettings({ ollamaHost: host.trim() || null }).then(refreshHealth)}
            >
              Save
            </button>
          </div>
        </label>
        <p className="muted small">
          Now using <code>{info?.ollamaHost}</code>
          {info?.ollamaHostSource === 'env' && ' (from OLLAMA_HOST)'}
          {info?.ollamaHostSource === 'flag' && ' (from --ollama-host)'}. A GPU machine on your LAN works too, e.g.{' '}
          <code>http://192.168.1.20:11434</code>.
        </p>
        <p className="small">
          Status: <span className={`dot ${health?.ollama.startsWith('connected') ? 'ok' : 'bad'}`} />{' '}
          {health?.ollama ?? 'unknown'}
        </p>
        <label className="field">
          <span>Default model</span>
          <select
            value={settings.defaultModel ?? ''}
            onChange={(e) => void updateSettings({ defaultModel: e.target.value || null })}
            aria-label="Default model"
          >
            <option value="">First installed model</option>
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
      </section>
      <ProviderSettings />
      <section>
        <h3>Answers</h3>
        <label className="field">
          <span>Your location (optional, helps local answers)</span>
          <div className="row">
            <input
              value={location}
              onChange={(e) => setLocation(e.target.value)}
              placeholder="e.g. Kampala, Uganda"
              aria-label="Location"
            />
            <button className="btn" onClick={() => void updateSettings({ location: location.trim() || null })}>
              Save
            </button>
          </div>
        </label>
      </section>
      <section>
        <h3>Files</h3>
        <label className="field">
          <span>Export folder (backups and models are exported here)</span>
          <div className="row">
            <input
              value={exportFolder}
              onChange={(e) => setExportFolder(e.target.value)}
              placeholder={info?.dataDir ? `${info.dataDir}/exports` : 'e.g. /media/usb/aeris-exports'}
              aria-label="Export folder"
            />
            <button className="btn" onClick={() => void updateSettings({ exportFolder: exportFolder.trim() || null })}>
              Save
            </button>
          </div>
        </label>
        <p className="muted small">
          In a browser (aeris serve), file paths may name only this folder and the data folder&apos;s backups. It is
          chosen here in the desktop app, or as <code>exportFolder</code> in <code>config.json</code>.
        </p>
      </section>
      <section>
        <h3>Appearance</h3>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {(['system', 'light', 'dark'] as const).map((t) => (
            <button
              key={t}
              role="radio"
              aria-checked={settings.theme === t}
              className={settings.theme === t ? 'on' : ''}
              onClick={() => void updateSettings({ theme: t })}
            >
              {t[0]!.toUpperCase() + t.slice(1)}
            </button>
          ))}
        </div>
      </section>
      <section>
        <h3>Keyboard shortcuts</h3>
        <ul className="shortcut-list">
          {shortcuts.map((s) => (
            <li key={s.keys}>
              <kbd>{shortcutText(s.keys)}</kbd> {s.label}
            </li>
          ))}
          <li>
            <kbd>Enter</kbd> Send · <kbd>Shift+Enter</kbd> New line
          </li>
        </ul>
      </section>
      <footer className="muted small">
        {info?.name} {info?.version} · data in <code>{info?.dataDir}</code> ·{' '}
        {/* "Skip for now" in the first-run wizard is not a dead end: it can be run again from here. */}
        <button
          className="link-btn"
          onClick={() => {
            openSettings(false);
            void updateSettings({ onboardingDone: false });
          }}
        >
          Run the first-run setup again
        </button>
      </footer>
    </Dialog>
  );
}
