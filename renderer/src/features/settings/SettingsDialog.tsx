import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ProviderSettings } from './ProviderSettings';
import { useApp } from '../../stores/app-store';
import { shortcutText, type Shortcut } from '../../lib/shortcuts';
import { Trans, useTranslation } from 'react-i18next';
import { isUiLanguage, LANGUAGE_NAMES, systemLanguage, UI_LANGUAGES } from '../../i18n';

const THEMES = ['system', 'light', 'dark'] as const;

export function SettingsDialog({ shortcuts }: { shortcuts: Shortcut[] }) {
  const settings = useApp((s) => s.settings);
  const info = useApp((s) => s.info);
  const health = useApp((s) => s.health);
  const models = useApp((s) => s.models);
  const { updateSettings, openSettings, refreshHealth } = useApp.getState();
  const [host, setHost] = useState(settings?.ollamaHost ?? info?.ollamaHost ?? '');
  const [location, setLocation] = useState(settings?.location ?? '');
  const [exportFolder, setExportFolder] = useState(settings?.exportFolder ?? '');
  const { t } = useTranslation();

  if (!settings) return null;
  return (
    <Dialog title={t('settings.title')} className="settings-dialog" onClose={() => openSettings(false)}>
      <section>
        <h3>{t('settings.language.title')}</h3>
        <label className="field">
          <span>{t('settings.language.label')}</span>
          <select
            value={settings.uiLanguage ?? ''}
            onChange={(e) => {
              const v = e.target.value;
              void updateSettings({ uiLanguage: isUiLanguage(v) ? v : null });
            }}
            aria-label={t('settings.language.label')}
            data-testid="ui-language"
          >
            <option value="">{t('settings.language.system', { language: LANGUAGE_NAMES[systemLanguage()] })}</option>
            {UI_LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <p className="muted small">{t('settings.language.hint')}</p>
      </section>
      <section>
        <h3>Ollama</h3>
        <label className="field">
          <span>{t('settings.ollama.host')}</span>
          <div className="row">
            <input
              value={host}
              onChange={(e) => setHost(e.target.value)}
              aria-label={t('settings.ollama.hostLabel')}
              placeholder="http://127.0.0.1:11434"
            />
            <button
              className="btn btn-primary"
              onClick={() => void updateSettings({ ollamaHost: host.trim() || null }).then(refreshHealth)}
            >
              {t('common.save')}
            </button>
          </div>
        </label>
        <p className="muted small">
          {t('settings.ollama.nowUsing')} <code>{info?.ollamaHost}</code>
          {info?.ollamaHostSource === 'env' && ` (${t('settings.ollama.from', { source: 'OLLAMA_HOST' })})`}
          {info?.ollamaHostSource === 'flag' && ` (${t('settings.ollama.from', { source: '--ollama-host' })})`}.{' '}
          {t('settings.ollama.lan')} <code>http://192.168.1.20:11434</code>.
        </p>
        <p className="small">
          {t('settings.ollama.status')}{' '}
          <span className={`dot ${health?.ollama.startsWith('connected') ? 'ok' : 'bad'}`} />{' '}
          {health?.ollama ?? t('settings.ollama.unknown')}
        </p>
        <label className="field">
          <span>{t('settings.ollama.defaultModel')}</span>
          <select
            value={settings.defaultModel ?? ''}
            onChange={(e) => void updateSettings({ defaultModel: e.target.value || null })}
            aria-label={t('settings.ollama.defaultModel')}
          >
            <option value="">{t('settings.ollama.firstInstalled')}</option>
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
        <h3>{t('settings.answers.title')}</h3>
        <label className="field">
          <span>{t('settings.answers.location')}</span>
          <div className="row">
            <input
              value={location}
              onChange={(e) => setLocation(e.target.value)}
              placeholder={t('settings.answers.locationExample')}
              aria-label={t('settings.answers.locationLabel')}
            />
            <button className="btn" onClick={() => void updateSettings({ location: location.trim() || null })}>
              {t('common.save')}
            </button>
          </div>
        </label>
      </section>
      <section>
        <h3>{t('settings.files.title')}</h3>
        <label className="field">
          <span>{t('settings.files.exportFolder')}</span>
          <div className="row">
            <input
              value={exportFolder}
              onChange={(e) => setExportFolder(e.target.value)}
              placeholder={
                info?.dataDir
                  ? `${info.dataDir}/exports`
                  : t('settings.files.example', { path: '/media/usb/aeris-exports' })
              }
              aria-label={t('settings.files.exportFolderLabel')}
            />
            <button className="btn" onClick={() => void updateSettings({ exportFolder: exportFolder.trim() || null })}>
              {t('common.save')}
            </button>
          </div>
        </label>
        <p className="muted small">
          <Trans i18nKey="settings.files.browserNote" components={{ code: <code /> }} />
        </p>
      </section>
      <section>
        <h3>{t('settings.appearance.title')}</h3>
        <div className="segmented" role="radiogroup" aria-label={t('settings.appearance.theme')}>
          {THEMES.map((theme) => (
            <button
              key={theme}
              role="radio"
              aria-checked={settings.theme === theme}
              className={settings.theme === theme ? 'on' : ''}
              onClick={() => void updateSettings({ theme })}
            >
              {t(`settings.appearance.${theme}`)}
            </button>
          ))}
        </div>
      </section>
      <section>
        <h3>{t('settings.shortcuts.title')}</h3>
        <ul className="shortcut-list">
          {shortcuts.map((s) => (
            <li key={s.keys}>
              <kbd>{shortcutText(s.keys)}</kbd> {s.label}
            </li>
          ))}
          <li>
            <kbd>Enter</kbd> {t('chat.composer.send')} · <kbd>Shift+Enter</kbd> {t('settings.shortcuts.newLine')}
          </li>
        </ul>
      </section>
      <footer className="muted small">
        {info?.name} {info?.version} · {t('settings.dataIn')} <code>{info?.dataDir}</code> ·{' '}
        {/* "Skip for now" in the first-run wizard is not a dead end: it can be run again from here. */}
        <button
          className="link-btn"
          onClick={() => {
            openSettings(false);
            void updateSettings({ onboardingDone: false });
          }}
        >
          {t('settings.rerunSetup')}
        </button>
      </footer>
    </Dialog>
  );
}
