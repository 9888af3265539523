import { useEffect, useState } from 'react';
import type { ProviderIdDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { useCall } from '../../lib/use-call';
import { useApp } from '../../stores/app-store';
import { t } from '../../i18n';
import { engineText } from '../../i18n/engine-text';

const PROVIDERS: ProviderIdDto[] = ['ollama', 'openai-compatible', 'gemini'];
const providerName = (id: ProviderIdDto): string => t(`settings.providers.names.${id}`);

/** Who answers: the default provider, the OpenAI-compatible server and Gemini, the cloud switch and a fallback. */
export function ProviderSettings() {
  const settings = useApp((s) => s.settings);
  const { updateSettings } = useApp.getState();
  const { data: status, error: loadError, loading, reload: refresh } = useCall('providers.status', {});
  const [message, setMessage] = useState<string | null>(null);
  // Null until typed in: the field shows the saved address until then.
  const [openaiUrlTyped, setOpenaiUrl] = useState<string | null>(null);
  const openaiUrl = openaiUrlTyped ?? status?.providers.find((p) => p.id === 'openai-compatible')?.baseUrl ?? '';
  const [openaiKey, setOpenaiKey] = useState('');
  const [geminiKey, setGeminiKey] = useState('');
  const [openaiModel, setOpenaiModel] = useState(settings?.openaiModel ?? '');
  const [geminiModel, setGeminiModel] = useState(settings?.geminiModel ?? '');
  useEffect(() => {
    // A failed read is the latest word in the status line, as a save's or a check's result is.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (loadError && !loading) setMessage(loadError);
  }, [loadError, loading]);

  if (!settings) return null;
  const of = (id: ProviderIdDto) => status?.providers.find((p) => p.id === id);
  const fallback = settings.providerFallback?.[0]?.provider ?? '';

  const save = async (): Promise<void> => {
    setMessage(null);
    try {
      await getApi().call('providers.update', {
        openaiBaseUrl: openaiUrl.trim() || null,
        // Keys are write-only: an empty field keeps the saved one.
        ...(openaiKey.trim() ? { openaiApiKey: openaiKey.trim() } : {}),
        ...(geminiKey.trim() ? { geminiApiKey: geminiKey.trim() } : {}),
      });
      await refresh();
      await updateSettings({ openaiModel: openaiModel.trim() || null, geminiModel: geminiModel.trim() || null });
      setOpenaiKey('');
      setGeminiKey('');
      setMessage(t('settings.providers.saved'));
    } catch (err) {
      setMessage(errorText(err));
    }
  };

  const check = async (id: ProviderIdDto): Promise<void> => {
    try {
      const r = await getApi().call('providers.check', { provider: id });
      setMessage(`${id}: ${r.ok ? 'OK' : t('settings.providers.notUsable')} — ${engineText(r.text, r.detail)}`);
    } catch (err) {
      setMessage(errorText(err));
    }
  };

  return (
    <section aria-label={t('settings.providers.title')}>
      <h3>{t('settings.providers.title')}</h3>
      <label className="field">
        <span>{t('settings.providers.answerWith')}</span>
        <select
          aria-label={t('settings.providers.default')}
          value={settings.defaultProvider ?? 'ollama'}
          onChange={(e) => void updateSettings({ defaultProvider: e.target.value as ProviderIdDto }).then(refresh)}
        >
          {PROVIDERS.map((id) => (
            <option key={id} value={id}>
              {providerName(id)}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('settings.providers.openaiUrl')}</span>
        <input
          aria-label={t('settings.providers.openaiUrlLabel')}
          value={openaiUrl}
          onChange={(e) => setOpenaiUrl(e.target.value)}
          // Read-only until the saved address is known: it arrives into this field, and typing before it did
          // ran the two together ("https://api.openai.com/v1http://…", seen in a loaded e2e run).
          readOnly={status === null && loadError === null}
          placeholder="http://gpu-box.lan:8000/v1"
        />
      </label>
      <div className="row">
        <input
          aria-label={t('settings.providers.openaiKey')}
          type="password"
          value={openaiKey}
          onChange={(e) => setOpenaiKey(e.target.value)}
          placeholder={
            of('openai-compatible')?.keyConfigured
              ? t('settings.providers.keySaved')
              : t('settings.providers.openaiKeyPlaceholder')
          }
        />
        <input
          aria-label={t('settings.providers.openaiModel')}
          value={openaiModel}
          onChange={(e) => setOpenaiModel(e.target.value)}
          placeholder={t('settings.providers.modelExample', { model: 'Qwen/Qwen2.5-7B-Instruct' })}
        />
        <button className="btn" onClick={() => void check('openai-compatible')}>
          {t('settings.providers.check')}
        </button>
      </div>
      <div className="row">
        <input
          aria-label={t('settings.providers.geminiKey')}
          type="password"
          value={geminiKey}
          onChange={(e) => setGeminiKey(e.target.value)}
          placeholder={
            of('gemini')?.keyConfigured ? t('settings.providers.geminiKeySaved') : t('settings.providers.geminiKey')
          }
        />
        <input
          aria-label={t('settings.providers.geminiModel')}
          value={geminiModel}
          onChange={(e) => setGeminiModel(e.target.value)}
          // A model name, as Google writes it.
          // eslint-disable-next-line i18next/no-literal-string
          placeholder="gemini-2.5-flash"
        />
        <button className="btn" onClick={() => void check('gemini')}>
          {t('settings.providers.check')}
        </button>
      </div>
      <label className="field">
        <span>
          <input
            type="checkbox"
            aria-label={t('settings.providers.allowCloudLabel')}
            checked={settings.allowCloud ?? false}
            onChange={(e) => void updateSettings({ allowCloud: e.target.checked }).then(refresh)}
          />{' '}
          {t('settings.providers.allowCloud')}
        </span>
      </label>
      <label className="field">
        <span>{t('settings.providers.fallback')}</span>
        <select
          aria-label={t('settings.providers.fallbackLabel')}
          value={fallback}
          onChange={(e) => {
            const id = e.target.value as ProviderIdDto | '';
            const model = id === '' ? null : (of(id)?.model ?? null);
            if (id !== '' && !model) {
              setMessage(t('settings.providers.modelFirst', { provider: id }));
              return;
            }
            void updateSettings({ providerFallback: id === '' || !model ? [] : [{ provider: id, model }] });
          }}
        >
          <option value="">{t('settings.providers.nobody')}</option>
          {PROVIDERS.map((id) => (
            <option key={id} value={id}>
              {providerName(id)}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button className="btn btn-primary" onClick={() => void save()}>
          {t('settings.providers.save')}
        </button>
        {status && (
          <span className="muted small">
            {status.online ? t('settings.providers.online') : t('settings.providers.offline')} ·{' '}
            {status.keyStorage === 'safeStorage'
              ? t('settings.providers.keysKeyring')
              : t('settings.providers.keysFile')}
          </span>
        )}
      </div>
      {message && (
        <p className="small" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
