import type { MessageDto } from '../../../../preload/contract';

/** "llama3.1:8b · 120 tokens in 8.4 s": the model and how long the whole reply took (tools included). */
export function replyFigures(m: Pick<MessageDto, 'model' | 'tokens' | 'createdAt' | 'updatedAt' | 'status'>): string {
  const parts = [m.model ?? ''];
  const seconds = (m.updatedAt - m.createdAt) / 1000;
  if (m.status !== 'streaming' && m.tokens > 0) {
    parts.push(seconds > 0 ? `${m.tokens} tokens in ${seconds.toFixed(seconds < 10 ? 1 : 0)} s` : `${m.tokens} tokens`);
  }
  return parts.filter(Boolean).join(' · ');
}
