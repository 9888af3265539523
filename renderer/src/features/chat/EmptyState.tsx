import { useApp } from '../../stores/app-store';
import { useTranslation } from 'react-i18next';

const EXAMPLES = ['kampala', 'asthma', 'who', 'advisory'] as const;

export function EmptyState() {
  const models = useApp((s) => s.models);
  const modelsError = useApp((s) => s.modelsError);
  const { send, openSettings, setPage } = useApp.getState();
  const { t } = useTranslation();
  return (
    <div className="empty">
      <div className="empty-hero">
        <img src="./icon.svg" alt="" width={56} height={56} />
        <h2>{t('chat.empty.title')}</h2>
        <p className="muted">{t('chat.empty.privacy')}</p>
      </div>
      {modelsError ? (
        <div className="card warn">
          <strong>{t('chat.empty.unreachable')}</strong> {modelsError}{' '}
          <button className="link-btn" onClick={() => openSettings(true)}>
            {t('chat.empty.checkHost')}
          </button>
        </div>
      ) : models.length === 0 ? (
        <div className="card warn">
          {/* Two plain strings rather than <Trans>: this is the first screen, and Trans's markup parser is not. */}
          <strong>{t('chat.empty.noModel')}</strong> {t('chat.empty.noModelHow')}{' '}
          <button className="btn btn-primary" onClick={() => setPage('models')}>
            {t('chat.empty.getModel')}
          </button>
        </div>
      ) : null}
      <div className="examples">
        {EXAMPLES.map((id) => {
          const q = t(`chat.examples.${id}`);
          return (
            <button
              key={id}
              className="example"
              onClick={() => void send(q).catch(() => undefined)}
              disabled={models.length === 0}
            >
              {q}
            </button>
          );
        })}
      </div>
    </div>
  );
}
