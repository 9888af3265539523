import { t } from '../../i18n';

/** How the three providers are named in the chat (the engine's ids are `ollama`, `openai-compatible`, `gemini`). */
const PROVIDER_LABEL: Record<string, () => string> = {
  ollama: () => 'Ollama',
  'openai-compatible': () => t('chat.providers.openaiCompatible'),
  gemini: () => 'Gemini',
};

export const providerLabel = (id: string | null | undefined): string => (id ? (PROVIDER_LABEL[id]?.() ?? id) : '');
