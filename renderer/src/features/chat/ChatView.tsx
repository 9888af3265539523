import { useEffect, useRef } from 'react';
import type { SettingsDto } from '../../../../preload/contract';
import { newChatChoice, useApp } from '../../stores/app-store';
import { fitFor, useModels } from '../../stores/models-store';
import { STYLE_CHOICES as STYLES } from '../../../../preload/shared/style-presets';
import { Composer } from './Composer';
import { DocumentDropZone } from './documents';
import { EmptyState } from './EmptyState';
import { MessageItem } from './MessageItem';
import { useDrawer } from './drawer-store';
import { Icon } from '../../components/Icon';
import { ProviderPicker, useCurrentProvider } from './ProviderPicker';
import { useChatProviders } from './provider-store';
import { useTranslation } from 'react-i18next';
import { t } from '../../i18n';
import { onDemand } from '../../lib/on-demand';

// Shown only once a chat is open (not on the first screen), with its dialog: fetched then.
const ChatSettingsButton = onDemand(async () => (await import('./ChatSettingsDialog')).ChatSettingsButton, null);

/** A word on models that will be slow or will not run here (fit verdict from the Models page's catalog). */
function fitNote(verdict: ReturnType<typeof fitFor>): string {
  if (!verdict) return '';
  if (verdict.verdict === 'too-large') return ` — ${t('chat.fit.tooLarge')}`;
  if (verdict.verdict === 'cpu') return ` — ${t('chat.fit.cpu')}`;
  if (verdict.verdict === 'partial')
    return ` — ${t('chat.fit.partial', { percent: Math.round(verdict.gpuFraction * 100) })}`;
  return '';
}

function Header() {
  const activeId = useApp((s) => s.activeId);
  const session = useApp((s) => s.sessions.find((x) => x.id === s.activeId));
  const models = useApp((s) => s.models);
  const modelsError = useApp((s) => s.modelsError);
  const draftModel = useApp(newChatChoice);
  const draftStyle = useApp((s) => s.draftStyle);
  const settings = useApp((s) => s.settings);
  const { setModel, setStyle, exportSession, refreshModels } = useApp.getState();
  const catalog = useModels((s) => s.catalog);
  useEffect(() => void useModels.getState().ensureCatalog(), []);
  const provider = useCurrentProvider();
  const draftProvider = useApp((s) => s.draftProvider);
  const providerModels = useChatProviders((s) => (provider ? s.models[provider] : undefined));
  // Another provider than Ollama: its own models, not Ollama's (a new chat: the model picked with it).
  const elsewhere = provider !== null && provider !== 'ollama';
  // A new chat on another provider with no model picked answers with the one saved in Settings for it: show it.
  const configured = provider === 'gemini' ? settings?.geminiModel : settings?.openaiModel;
  const model = session?.model ?? (elsewhere ? draftProvider?.model || configured || '' : (draftModel ?? ''));
  const style =
    (session?.style as SettingsDto['defaultStyle'] | undefined) ?? draftStyle ?? settings?.defaultStyle ?? 'general';
  const names = elsewhere ? (providerModels ?? []) : models.map((m) => m.name);
  const options = names.includes(model) || !model ? names : [model, ...names];
  const chooseModel = (name: string): void => {
    if (elsewhere && !session && provider) useApp.getState().setDraftProvider({ provider, model: name });
    else void setModel(name);
  };

  const drawerOpen = useDrawer((d) => d.open);
  const { t } = useTranslation();
  return (
    <header className="chat-header">
      {/* Under 860 px the conversation list is a drawer: these two keep history, search and New chat at hand. */}
      <div className="narrow-only">
        <button
          id="drawer-toggle"
          className="btn icon-text"
          aria-expanded={drawerOpen}
          aria-controls="conversation-drawer"
          onClick={() => useDrawer.getState().setOpen(!drawerOpen)}
        >
          <Icon name="menu" size={18} />
          <span>{t('chat.conversations')}</span>
        </button>
        <button
          className="btn icon-only"
          aria-label={t('chat.newChat')}
          title={t('chat.newChat')}
          onClick={() => {
            useApp.getState().newChat();
            useDrawer.getState().setOpen(false);
          }}
        >
          <Icon name="plus" size={18} />
        </button>
      </div>
      <h1 className="chat-title">{session?.title || t('chat.header.newConversation')}</h1>
      <div className="header-controls">
        <ProviderPicker />
        {/* Export sits beside the provider so model, style and settings share the second row at 1280 px. */}
        {activeId && (
          <div className="export">
            <button
              className="btn"
              onClick={() => void exportSession(activeId, 'markdown')}
              title={t('chat.header.exportAs', { format: 'Markdown' })}
            >
              ⤓ Markdown
            </button>
            <button
              className="btn"
              onClick={() => void exportSession(activeId, 'json')}
              title={t('chat.header.exportAs', { format: 'JSON' })}
            >
              ⤓ JSON
            </button>
          </div>
        )}
        <label className="select-label">
          <span>{t('chat.header.model')}</span>
          <select
            aria-label={t('chat.header.model')}
            value={model}
            onFocus={() =>
              void (elsewhere && provider ? useChatProviders.getState().loadModels(provider) : refreshModels())
            }
            onChange={(e) => chooseModel(e.target.value)}
            disabled={options.length === 0}
          >
            {options.length === 0 && (
              <option value="">
                {elsewhere
                  ? t('chat.header.noProviderModels')
                  : modelsError
                    ? t('chat.ollamaUnreachable')
                    : t('chat.header.noModels')}
              </option>
            )}
            {options.map((name) => (
              <option key={name} value={name}>
                {name}
                {elsewhere
                  ? ''
                  : models.some((m) => m.name === name)
                    ? fitNote(fitFor(catalog, name))
                    : ` (${t('chat.header.notInstalled')})`}
              </option>
            ))}
          </select>
        </label>
        <label className="select-label">
          <span>{t('chat.header.style')}</span>
          <select
            aria-label={t('chat.header.style')}
            value={style}
            onChange={(e) => void setStyle(e.target.value as SettingsDto['defaultStyle'])}
          >
            {STYLES.map((s) => (
              <option key={s.value} value={s.value}>
                {t(`styles.${s.value}`)}
              </option>
            ))}
          </select>
        </label>
        {activeId && <ChatSettingsButton sessionId={activeId} />}
      </div>
    </header>
  );
}

export function ChatView() {
  const activeId = useApp((s) => s.activeId);
  const messages = useApp((s) => (s.activeId ? s.messages[s.activeId] : undefined));
  const busy = useApp((s) => Boolean(s.activeId && s.streams[s.activeId]));
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  const list = messages ?? [];
  return (
    <div className="chat">
      <Header />
      <div
        className="messages"
        ref={scroller}
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
        aria-live="polite"
      >
        {!activeId || list.length === 0 ? (
          <EmptyState />
        ) : (
          <div className="message-column">
            {list.map((m, i) => (
              <MessageItem key={m.id} message={m} isLast={i === list.length - 1} busy={busy} />
            ))}
          </div>
        )}
      </div>
      <DocumentDropZone>
        <Composer busy={busy} />
      </DocumentDropZone>
    </div>
  );
}
