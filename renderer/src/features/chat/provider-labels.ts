/** How the three providers are named in the chat (the engine's ids are `ollama`, `openai-compatible`, `gemini`). */
const PROVIDER_LABEL: Record<string, string> = {
  ollama: 'Ollama',
  'openai-compatible': 'OpenAI-compatible server',
  gemini: 'Gemini',
};

export const providerLabel = (id: string | null | undefined): string => (id ? (PROVIDER_LABEL[id] ?? id) : '');
