import { useCallback, useEffect, useState } from 'react';
import type { ProviderIdDto, ProvidersStatusDto } from '../../../../preload/contract';
import { errorText, getApi } from '../../bridge';
import { useApp } from '../../stores/app-store';

const NAMES: Record<ProviderIdDto, string> = {
  ollama: 'Ollama (this laptop or the LAN)',
  'openai-compatible': 'OpenAI-compatible server (vLLM, llama.cpp, LM Studio, OpenRouter…)',
  gemini: 'Google Gemini (cloud)',
};

/** Who answers: the default provider, the OpenAI-compatible server and Gemini, the cloud switch and a fallback. */
export function ProviderSettings() {
  const settings = useApp((s) => s.settings);
  const { updateSettings } = useApp.getState();
  const [status, setStatus] = useState<ProvidersStatusDto | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [openaiUrl, setOpenaiUrl] = useState('');
  const [openaiKey, setOpenaiKey] = useState('');
  const [geminiKey, setGeminiKey] = useState('');
  const [openaiModel, setOpenaiModel] = useState(settings?.openaiModel ?? '');
  const [geminiModel, setGeminiModel] = useState(settings?.geminiModel ?? '');

  const refresh = useCallback(async () => {
    try {
      const s = await getApi().call('providers.status', {});
      setStatus(s);
      setOpenaiUrl((u) => u || (s.providers.find((p) => p.id === 'openai-compatible')?.baseUrl ?? ''));
    } catch (err) {
      setMessage(errorText(err));
    }
  }, []);
  useEffect(() => {
    // Fetching the providers' status when Settings opens is what this effect is for.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    void refresh();
  }, [refresh]);

  if (!settings) return null;
  const of = (id: ProviderIdDto) => status?.providers.find((p) => p.id === id);
  const fallback = settings.providerFallback?.[0]?.provider ?? '';

  const save = async (): Promise<void> => {
    setMessage(null);
    try {
      setStatus(
        await getApi().call('providers.update', {
          openaiBaseUrl: openaiUrl.trim() || null,
          // Keys are write-only: an empty field keeps the saved one.
          ...(openaiKey.trim() ? { openaiApiKey: openaiKey.trim() } : {}),
          ...(geminiKey.trim() ? { geminiApiKey: geminiKey.trim() } : {}),
        }),
      );
      await updateSettings({ openaiModel: openaiModel.trim() || null, geminiModel: geminiModel.trim() || null });
      setOpenaiKey('');
      setGeminiKey('');
      setMessage('Saved.');
    } catch (err) {
      setMessage(errorText(err));
    }
  };

  const check = async (id: ProviderIdDto): Promise<void> => {
    try {
      const r = await getApi().call('providers.check', { provider: id });
      setMessage(`${id}: ${r.ok ? 'OK' : 'not usable'} — ${r.detail}`);
    } catch (err) {
      setMessage(errorText(err));
    }
  };

  return (
    <section aria-label="Model provider">
      <h3>Model provider</h3>
      <label className="field">
        <span>Answer new chats with</span>
        <select
          aria-label="Default provider"
          value={settings.defaultProvider ?? 'ollama'}
          onChange={(e) => void updateSettings({ defaultProvider: e.target.value as ProviderIdDto }).then(refresh)}
        >
          {(Object.keys(NAMES) as ProviderIdDto[]).map((id) => (
            <option key={id} value={id}>
              {NAMES[id]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>OpenAI-compatible server URL</span>
        <input
          aria-label="OpenAI-compatible base URL"
          value={openaiUrl}
          onChange={(e) => setOpenaiUrl(e.target.value)}
          placeholder="http://gpu-box.lan:8000/v1"
        />
      </label>
      <div className="row">
        <input
          aria-label="OpenAI-compatible API key"
          type="password"
          value={openaiKey}
          onChange={(e) => setOpenaiKey(e.target.value)}
          placeholder={
            of('openai-compatible')?.keyConfigured ? 'key saved (type to replace)' : 'API key (if the server needs one)'
          }
        />
        <input
          aria-label="OpenAI-compatible model"
          value={openaiModel}
          onChange={(e) => setOpenaiModel(e.target.value)}
          placeholder="model, e.g. Qwen/Qwen2.5-7B-Instruct"
        />
        <button className="btn" onClick={() => void check('openai-compatible')}>
          Check
        </button>
      </div>
      <div className="row">
        <input
          aria-label="Gemini API key"
          type="password"
          value={geminiKey}
          onChange={(e) => setGeminiKey(e.target.value)}
          placeholder={of('gemini')?.keyConfigured ? 'Gemini key saved (type to replace)' : 'Gemini API key'}
        />
        <input
          aria-label="Gemini model"
          value={geminiModel}
          onChange={(e) => setGeminiModel(e.target.value)}
          placeholder="gemini-2.5-flash"
        />
        <button className="btn" onClick={() => void check('gemini')}>
          Check
        </button>
      </div>
      <label className="field">
        <span>
          <input
            type="checkbox"
            aria-label="Allow cloud providers"
            checked={settings.allowCloud ?? false}
            onChange={(e) => void updateSettings({ allowCloud: e.target.checked }).then(refresh)}
          />{' '}
          Allow cloud providers (only when online; questions then leave this computer)
        </span>
      </label>
      <label className="field">
        <span>When it cannot be reached, answer with</span>
        <select
          aria-label="Fallback provider"
          value={fallback}
          onChange={(e) => {
            const id = e.target.value as ProviderIdDto | '';
            const model = id === '' ? null : (of(id)?.model ?? null);
            if (id !== '' && !model) {
              setMessage(`Set a model for ${id} first.`);
              return;
            }
            void updateSettings({ providerFallback: id === '' || !model ? [] : [{ provider: id, model }] });
          }}
        >
          <option value="">Nobody (show the error)</option>
          {(Object.keys(NAMES) as ProviderIdDto[]).map((id) => (
            <option key={id} value={id}>
              {NAMES[id]}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button className="btn btn-primary" onClick={() => void save()}>
          Save provider settings
        </button>
        {status && (
          <span className="muted small">
            {status.online ? 'Online' : 'Offline: the cloud is not used'} · keys kept{' '}
            {status.keyStorage === 'safeStorage' ? 'encrypted by the OS keyring' : 'in secrets.json (0600)'}
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
