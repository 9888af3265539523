import { useState } from 'react';
import { errorText, getApi } from '../../bridge';
import { useApp } from '../../stores/app-store';
import { Icon, StepHead, type StepProps } from './bits';

type Kind = 'openai-compatible' | 'gemini';
type Result = { tone: 'ok' | 'bad' | 'checking'; text: string } | null;

/**
 * Who answers: Ollama on this computer (preselected: it works offline), and optionally an online provider as
 * well (an OpenAI-compatible server such as vLLM or LM Studio, or Gemini) with a test that asks the engine.
 * Skippable, and nothing here is needed to finish offline.
 */
export function ProviderStep({ headingRef }: StepProps) {
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
    setResult({ tone: 'checking', text: 'Asking the server…' });
    try {
      const r = await getApi().call('providers.test', input());
      setResult({ tone: r.ok ? 'ok' : 'bad', text: r.detail });
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
      setSaved(answerWith === 'online' ? 'Saved. New chats use the online provider.' : 'Saved. New chats stay local.');
    } catch (err) {
      setSaved(errorText(err));
    }
  };

  return (
    <>
      <StepHead headingRef={headingRef} title="Who answers">
        The model on this computer answers by default and works without internet. You can also add a server on your
        network or an online service, and choose it per chat.
      </StepHead>
      <fieldset className="ob-panel ob-provider">
        <legend className="ob-label">New chats are answered by</legend>
        <label className="ob-radio">
          <input
            type="radio"
            name="ob-answer"
            checked={answerWith === 'ollama'}
            onChange={() => setAnswerWith('ollama')}
          />
          <span>
            <strong>Local (Ollama)</strong> — works offline
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
          <span>The online provider below</span>
        </label>
      </fieldset>
      <section className="ob-panel ob-lan" aria-labelledby="ob-online-title">
        <h2 id="ob-online-title">
          <Icon name="network" size={18} /> Online provider (optional)
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
          <span>Also use an online provider</span>
        </label>
        {also && (
          <div className="ob-provider-form">
            <label className="ob-field">
              <span className="ob-label">Kind</span>
              <select value={kind} onChange={(e) => (setKind(e.target.value as Kind), setResult(null))}>
                <option value="openai-compatible">
                  OpenAI-compatible server (vLLM, llama.cpp, LM Studio, OpenRouter…)
                </option>
                <option value="gemini">Google Gemini</option>
              </select>
            </label>
            {kind === 'openai-compatible' && (
              <label className="ob-field">
                <span className="ob-label">Server address</span>
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
              <span className="ob-label">API key</span>
              <input
                type="password"
                value={apiKey}
                onChange={(e) => setApiKey(e.target.value)}
                placeholder={kind === 'gemini' ? 'Gemini API key' : 'only if the server needs one'}
                autoComplete="off"
              />
            </label>
            <label className="ob-field">
              <span className="ob-label">Model</span>
              <input
                value={model}
                onChange={(e) => setModel(e.target.value)}
                placeholder={kind === 'gemini' ? 'gemini-2.5-flash' : 'e.g. Qwen/Qwen2.5-7B-Instruct'}
                spellCheck={false}
                autoComplete="off"
              />
            </label>
            <div className="ob-inline-form">
              <button className="btn" type="button" onClick={() => void test()} disabled={result?.tone === 'checking'}>
                Test connection
              </button>
              <button
                className="btn btn-primary"
                type="button"
                onClick={() => void save()}
                // Saving an empty address would clear one set earlier (the wizard can be run again from Settings).
                disabled={kind === 'gemini' ? !apiKey.trim() : !baseUrl.trim()}
              >
                Save online provider
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
        <p className="muted small">Keys are kept on this computer and sent only to the address they belong to.</p>
      </section>
    </>
  );
}
