import type { MessageDto } from '../../../../preload/contract';
import { t } from '../../i18n';
import { formatDecimal } from '../../lib/format';

/** "llama3.1:8b · 120 tokens in 8.4 s": the model and how long the whole reply took (tools included). */
export function replyFigures(m: Pick<MessageDto, 'model' | 'tokens' | 'createdAt' | 'updatedAt' | 'status'>): string {
  const parts = [m.model ?? ''];
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
