import type { ProviderIdDto, ProvidersStatusDto } from '../../../../preload/contract';
import { t } from '../../i18n';

interface ProviderChoice {
  id: ProviderIdDto;
  label: string;
  /** Why it cannot answer now (null: it can); shown beside it, with a way to set it up when that is the cause. */
  reason: string | null;
  /** Setting it up in Settings would make it usable. */
  needsSetup: boolean;
}

const LABELS: Record<ProviderIdDto, () => string> = {
  ollama: () => t('chat.providers.ollamaLocal'),
  'openai-compatible': () => t('chat.providers.openaiCompatible'),
  gemini: () => 'Gemini',
};

/**
 * The providers a chat may pick, as configured in Settings: one that is not set up is offered disabled with
 * the reason; an online one is marked as needing internet while this computer is offline.
 */
export function providerChoices(status: ProvidersStatusDto | null, allowCloud: boolean): ProviderChoice[] {
  const order: ProviderIdDto[] = ['ollama', 'openai-compatible', 'gemini'];
  return order.map((id) => {
    const p = status?.providers.find((x) => x.id === id);
    const label = LABELS[id]();
    if (id === 'ollama' || !p) return { id, label, reason: null, needsSetup: false };
    // The OpenAI-compatible default is api.openai.com, which answers nothing without a key.
    const setUp = id === 'openai-compatible' ? p.baseUrlFrom !== 'default' || p.keyConfigured : p.configured;
    if (!setUp) {
      return {
        id,
        label,
        reason: id === 'gemini' ? t('chat.providers.noGeminiKey') : t('chat.providers.noAddress'),
        needsSetup: true,
      };
    }
    if (p.cloud && !allowCloud) {
      return { id, label, reason: t('chat.providers.cloudOff'), needsSetup: true };
    }
    if (p.cloud && !status?.online) return { id, label, reason: t('chat.providers.needsInternet'), needsSetup: false };
    return { id, label, reason: null, needsSetup: false };
  });
}
