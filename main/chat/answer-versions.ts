import type { AnswerVersion } from '../store/answer-versions-repository';
import type { Store } from '../store/store';

/**
 * Assistant replies with the earlier answers to their question attached (Regenerate keeps them), as
 * MessageDto's `earlierAnswers`; a reply's question is the user message before it.
 */
export function withEarlierAnswers<M extends { id: number; role: string }>(
  store: Store,
  messages: M[],
): Array<M & { earlierAnswers?: AnswerVersion[] }> {
  const questionOf = new Map<number, number>();
  let question: number | null = null;
  for (const m of messages) {
    if (m.role === 'user') question = m.id;
    else if (m.role === 'assistant' && question !== null) questionOf.set(m.id, question);
  }
  const byQuestion = store.answerVersions.forQuestions([...new Set(questionOf.values())]);
  return messages.map((m) => {
    const q = questionOf.get(m.id);
    const earlier = q === undefined ? undefined : byQuestion.get(q);
    return earlier ? { ...m, earlierAnswers: earlier } : m;
  });
}
