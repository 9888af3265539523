import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProviderIdDto } from '../../../../preload/contract';
import { useApp } from '../../stores/app-store';
import { providerChoices } from './provider-choices';
import { useChatProviders } from './provider-store';
import './chat-providers.css';

/** The provider answering the chat on screen (a new chat: the one picked for it, else Settings' default). */
export function useCurrentProvider(): ProviderIdDto | null {
  const activeId = useApp((s) => s.activeId);
  const draft = useApp((s) => s.draftProvider?.provider);
  const fallback = useApp((s) => s.settings?.defaultProvider ?? 'ollama');
  const ofChat = useChatProviders((s) => (activeId ? s.byChat[activeId] : undefined));
  if (activeId) return ofChat ?? null;
  return draft ?? fallback;
}

/**
 * Who answers this chat: Ollama on this computer, an OpenAI-compatible server or Gemini, as set up in Settings.
 * One not set up is offered disabled with the reason and a button to set it up; offline, the online ones say
 * they need internet.
 */
export function ProviderPicker() {
  const { t } = useTranslation();
  const activeId = useApp((s) => s.activeId);
  const allowCloud = useApp((s) => s.settings?.allowCloud ?? false);
  const settingsOpen = useApp((s) => s.settingsOpen);
  const status = useChatProviders((s) => s.status);
  const current = useCurrentProvider();
  const { refresh, load, setForChat, loadModels } = useChatProviders.getState();

  // Asked again when Settings closes: a provider may just have been set up there.
  useEffect(() => {
    if (!settingsOpen) void refresh();
  }, [settingsOpen, refresh]);
  useEffect(() => {
    if (activeId) void load(activeId);
  }, [activeId, load]);
  useEffect(() => {
    if (current) void loadModels(current);
  }, [current, loadModels]);

  const choices = providerChoices(status, allowCloud);
  const setupNeeded = choices.some((c) => c.needsSetup);
  const pick = (provider: ProviderIdDto): void => {
    if (activeId) {
      void setForChat(activeId, provider);
      return;
    }
    const model = status?.providers.find((p) => p.id === provider)?.model ?? null;
    useApp.getState().setDraftProvider({ provider, model: provider === 'ollama' ? null : model });
  };

  return (
    <>
      <label className="select-label provider-picker">
        <span>{t('chat.providers.picker')}</span>
        <select
          aria-label={t('chat.providers.picker')}
          value={current ?? ''}
          disabled={current === null}
          onChange={(e) => pick(e.target.value as ProviderIdDto)}
        >
          {choices.map((c) => (
            // The chat's own provider stays selectable even when it is unusable now, so the picker tells the truth.
            <option key={c.id} value={c.id} disabled={c.reason !== null && c.id !== current}>
              {c.reason ? `${c.label} — ${c.reason}` : c.label}
            </option>
          ))}
        </select>
      </label>
      {setupNeeded && (
        <button
          className="link-btn provider-setup"
          title={t('chat.providers.setUpTitle')}
          onClick={() => useApp.getState().openSettings(true)}
        >
          {t('chat.providers.setUp')}
        </button>
      )}
    </>
  );
}
