import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, getApi } from '../../bridge';
import { engineText } from '../../i18n/engine-text';
import { useApp } from '../../stores/app-store';
import { Icon, StepHead, type StepProps } from './bits';

type Kind = 'openai-compatible' | 'gemini';
// A model name, as Google writes it.
const GEMINI_EXAMPLE = 'gemini-2.5-flash';
type Result = { tone: 'ok' | 'bad' | 'checking'; text: string } | null;

/**
 * Who answers: Ollama on this computer (preselected: it works offline), and optionally an online provider as
 * well (an OpenAI-compatible server such as vLLM or LM Studio, or Gemini) with a test that asks the engine.
 * Skippable, and nothing here is needed to finish offline.
 */
export function ProviderStep({ headingRef }: StepProps) {
  const { t } = useTranslation();
  const [also, setAlso] = useState(false);
  const [kind, setKind] = useState<Kind>('openai-compatible');
  const [baseUrl, setBaseUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [model, setModel] = useState('');
  const [answerWith, setAnswerWith] = useState<'ollama' | 'online'>('ollama');
  const [result, setResult] = useState<Result>(null);
  const [saved, setSaved] = useState<string | null>(null);

  const input = () => ({
    provider: kind,
    baseUrl: kind === 'gemini' ? null : baseUrl.trim() || null,
    apiKey: apiKey.trim() || null,
  });

  const test = async (): Promise<void> => {
    setResult({ tone: 'checking', text: t('wizard.provider.asking') });
    try {
      const r = await getApi().call('providers.test', input());
      setResult({ tone: r.ok ? 'ok' : 'bad', text: engineText(r.text, r.detail) });
    } catch (err) {
      setResult({ tone: 'bad', text: errorText(err) });
    }
  };

  const save = async (): Promise<void> => {
    setSaved(null);
    try {
      const { apiKey: key, baseUrl: url } = input();
      await getApi().call(
        'providers.update',
        kind === 'gemini' ? { ...(key ? { geminiApiKey: key } : {}) } : { openaiBaseUrl: url, openaiApiKey: key },
      );
      const status = await getApi().call('providers.status', {});
      const cloud = status.providers.find((p) => p.id === kind)?.cloud ?? false;
      await useApp.getState().updateSettings({
        ...(kind === 'gemini' ? { geminiModel: model.trim() || null } : { openaiModel: model.trim() || null }),
        // Adding an online provider here is the consent to use it.
        ...(cloud ? { allowCloud: true } : {}),
        defaultProvider: answerWith === 'online' ? kind : 'ollama',
      });
      setSaved(answerWith === 'online' ? t('wizard.provider.savedOnline') : t('wizard.provider.savedLocal'));
    } catch (err) {
      setSaved(errorText(err));
    }
  };

  return (
    <>
      <StepHead headingRef={headingRef} title={t('wizard.step.provider')}>
        {t('wizard.provider.lead')}
      </StepHead>
      <fieldset className="ob-panel ob-provider">
        <legend className="ob-label">{t('wizard.provider.answeredBy')}</legend>
        <label className="ob-radio">
          <input
            type="radio"
            name="ob-answer"
            checked={answerWith === 'ollama'}
            onChange={() => setAnswerWith('ollama')}
          />
          <span>
            <strong>{t('wizard.provider.local')}</strong> — {t('wizard.provider.worksOffline')}
          </span>
        </label>
        <label className="ob-radio">
          <input
            type="radio"
            name="ob-answer"
            checked={answerWith === 'online'}
            disabled={!also}
            onChange={() => setAnswerWith('online')}
          />
          <span>{t('wizard.provider.onlineBelow')}</span>
        </label>
      </fieldset>
      <section className="ob-panel ob-lan" aria-labelledby="ob-online-title">
        <h2 id="ob-online-title">
          <Icon name="network" size={18} /> {t('wizard.provider.onlineTitle')}
        </h2>
        <label className="ob-check">
          <input
            type="checkbox"
            checked={also}
            onChange={(e) => {
              setAlso(e.target.checked);
              if (!e.target.checked) setAnswerWith('ollama');
            }}
          />
          <span>{t('wizard.provider.also')}</span>
        </label>
        {also && (
          <div className="ob-provider-form">
            <label className="ob-field">
              <span className="ob-label">{t('wizard.provider.kind')}</span>
              <select value={kind} onChange={(e) => (setKind(e.target.value as Kind), setResult(null))}>
                <option value="openai-compatible">{t('wizard.provider.kindOpenai')}</option>
                <option value="gemini">{t('wizard.provider.kindGemini')}</option>
              </select>
            </label>
            {kind === 'openai-compatible' && (
              <label className="ob-field">
                <span className="ob-label">{t('wizard.provider.address')}</span>
                <input
                  value={baseUrl}
                  onChange={(e) => setBaseUrl(e.target.value)}
                  placeholder="http://gpu-box.lan:8000/v1"
                  spellCheck={false}
                  autoComplete="off"
                />
              </label>
            )}
            <label className="ob-field">
              <span className="ob-label">{t('wizard.provider.apiKey')}</span>
              <input
                type="password"
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
                placeholder={kind === 'gemini' ? t('wizard.provider.geminiKey') : t('wizard.provider.keyIfNeeded')}
                autoComplete="off"
              />
            </label>
            <label className="ob-field">
              <span className="ob-label">{t('wizard.provider.model')}</span>
              <input
                value={model}
                onChange={(e) => setModel(e.target.value)}
                placeholder={kind === 'gemini' ? GEMINI_EXAMPLE : t('wizard.provider.modelExample')}
                spellCheck={false}
                autoComplete="off"
              />
            </label>
            <div className="ob-inline-form">
              <button className="btn" type="button" onClick={() => void test()} disabled={result?.tone === 'checking'}>
                {t('wizard.provider.test')}
              </button>
              <button
                className="btn btn-primary"
                type="button"
                onClick={() => void save()}
                // Saving an empty address would clear one set earlier (the wizard can be run again from Settings).
                disabled={kind === 'gemini' ? !apiKey.trim() : !baseUrl.trim()}
              >
                {t('wizard.provider.save')}
              </button>
            </div>
            <div aria-live="polite">
              {result && (
                <p className={`ob-lan-result tone-${result.tone}`} data-testid="ob-provider-test">
                  {result.tone === 'checking' && <span className="ob-spin" aria-hidden />}
                  {result.tone === 'ok' && <Icon name="check" size={16} />}
                  {result.tone === 'bad' && <Icon name="alert" size={16} />}
                  <span>{result.text}</span>
                </p>
              )}
              {saved && (
                <p className="muted small" data-testid="ob-provider-saved">
                  {saved}
                </p>
              )}
            </div>
          </div>
        )}
        <p className="muted small">{t('wizard.provider.keysNote')}</p>
      </section>
    </>
  );
}
