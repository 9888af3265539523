import type { MessageRecord } from '../store/types';

interface PromptMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

/** Rough token count (≈ 4 characters a token) — good enough to keep a prompt inside num_ctx. */
const estimateTokens = (text: string): number => Math.ceil(text.length / 4) + 4;

/**
 * The history sent to the model: the last `maxMessages` usable messages (errors and empty replies
 * dropped), then the oldest trimmed until system prompt + history + reply budget fit in the context.
 * The newest user message is always kept.
 */
export function buildHistory(
  records: ReadonlyArray<Pick<MessageRecord, 'role' | 'status' | 'content'>>,
  opts: { maxMessages: number; numCtx: number; replyBudget: number; systemPrompt: string },
): PromptMessage[] {
  const usable = records.filter(
    (m) => (m.role === 'user' || m.role === 'assistant') && m.status !== 'error' && m.content.trim() !== '',
  );
  let kept = usable.slice(-opts.maxMessages);
  const budget = opts.numCtx - opts.replyBudget - estimateTokens(opts.systemPrompt);
  let total = kept.reduce((n, m) => n + estimateTokens(m.content), 0);
  while (kept.length > 1 && total > budget) {
    total -= estimateTokens(kept[0]!.content);
    kept = kept.slice(1);
  }
  // A history must not open with an assistant turn.
  while (kept.length > 1 && kept[0]!.role === 'assistant') kept = kept.slice(1);
  return [
    { role: 'system', content: opts.systemPrompt },
    ...kept.map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
  ];
}
