import type { MessageDto } from '../../../../preload/contract';
import { providerLabel } from './provider-labels';
import { t } from '../../i18n';
import { formatDecimal } from '../../lib/format';

type Figures = Pick<MessageDto, 'model' | 'tokens' | 'createdAt' | 'updatedAt' | 'status' | 'provider'>;

/**
 * "Ollama · llama3.1:8b · 120 tokens in 8.4 s": who answered (provider and model) and how long the whole reply
 * took (tools included).
 */
export function replyFigures(m: Figures): string {
  const parts = [providerLabel(m.provider), m.model ?? ''];
  const seconds = (m.updatedAt - m.createdAt) / 1000;
  if (m.status !== 'streaming' && m.tokens > 0) {
    parts.push(
      seconds > 0
        ? t('chat.figures.tokensIn', { count: m.tokens, seconds: formatDecimal(seconds, seconds < 10 ? 1 : 0) })
        : t('chat.figures.tokens', { count: m.tokens }),
    );
  }
  return parts.filter(Boolean).join(' · ');
}

/** "1.2 s to first word · 14 tokens/s", from the engine's measurements; null when neither was measured. */
export function replySpeed(m: Pick<MessageDto, 'ttftMs' | 'tokensPerSecond'>): string | null {
  const parts: string[] = [];
  if (m.ttftMs !== null && m.ttftMs !== undefined) {
    const s = m.ttftMs / 1000;
    parts.push(
      m.ttftMs < 100
        ? t('chat.figures.firstWordUnder')
        : t('chat.figures.firstWord', { seconds: formatDecimal(s, s < 10 ? 1 : 0) }),
    );
  }
  if (m.tokensPerSecond) {
    const r = m.tokensPerSecond;
    parts.push(t('chat.figures.tokensPerSecond', { rate: formatDecimal(r, r < 10 ? 1 : 0) }));
  }
  return parts.length ? parts.join(' · ') : null;
}
