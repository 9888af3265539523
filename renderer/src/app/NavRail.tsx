import { useApp } from '../stores/app-store';
import { shortcutText } from '../lib/shortcuts';
import { PAGES } from './pages';
import { useTranslation } from 'react-i18next';

export function NavRail() {
  const page = useApp((s) => s.page);
  const health = useApp((s) => s.health);
  const { setPage, openSettings } = useApp.getState();
  const ollamaOk = health?.ollama.startsWith('connected');
  const { t } = useTranslation();
  return (
    <nav className="rail" aria-label={t('nav.main')}>
      <img className="rail-logo" src="./icon.svg" alt="AERIS-AQ" width={30} height={30} />
      {PAGES.map((p, i) => (
        <button
          key={p.id}
          className={`rail-btn ${page === p.id ? 'on' : ''}`}
          aria-current={page === p.id ? 'page' : undefined}
          title={`${t(`nav.${p.id}`)} (${shortcutText(`mod+${i + 1}`)})`}
          onClick={() => setPage(p.id)}
        >
          {p.icon}
          <span>{t(`nav.${p.id}`)}</span>
        </button>
      ))}
      <div className="rail-spacer" />
      <button
        className="rail-btn"
        title={`${t('nav.settings')} (${shortcutText('mod+,')})`}
        onClick={() => openSettings(true)}
      >
        <span className={`dot ${ollamaOk ? 'ok' : health ? 'bad' : ''}`} aria-hidden />
        <span>{t('nav.settings')}</span>
      </button>
    </nav>
  );
}
