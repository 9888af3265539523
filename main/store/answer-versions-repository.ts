import type { Db } from './database';
import type { MessageRecord } from './types';

/** An earlier answer to a question, kept when the question was answered again. */
export interface AnswerVersion {
  content: string;
  model: string | null;
  tokens: number;
  createdAt: number;
  updatedAt: number;
  provider: string | null;
  ttftMs: number | null;
  tokensPerSecond: number | null;
}

/** Earlier answers per question (Regenerate keeps the one it replaces); deleted with their question. */
export class AnswerVersionsRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      insert: db.prepare(
        `INSERT INTO answer_versions (question_id, content, model, tokens, created_at, updated_at, provider, ttft_ms,
           tokens_per_second)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      list: db.prepare(
        `SELECT question_id, content, model, tokens, created_at, updated_at, provider, ttft_ms, tokens_per_second
         FROM answer_versions
         WHERE question_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      ),
      clear: db.prepare(`DELETE FROM answer_versions WHERE question_id = ?`),
    };
  }

  /** Keeps `answer` as an earlier answer to `questionId`. */
  keep(
    questionId: number,
    answer: Pick<
      MessageRecord,
      'content' | 'model' | 'tokens' | 'createdAt' | 'updatedAt' | 'provider' | 'ttftMs' | 'tokensPerSecond'
    >,
  ): void {
    this.stmts.insert.run(
      questionId,
      answer.content,
      answer.model,
      answer.tokens,
      answer.createdAt,
      answer.updatedAt,
      answer.provider ?? null,
      answer.ttftMs ?? null,
      answer.tokensPerSecond ?? null,
    );
  }

  /** Earlier answers of each question, oldest first. */
  forQuestions(questionIds: number[]): Map<number, AnswerVersion[]> {
    const out = new Map<number, AnswerVersion[]>();
    if (questionIds.length === 0) return out;
    const rows = this.stmts.list.all(JSON.stringify(questionIds)) as Array<{
      question_id: number;
      content: string;
      model: string | null;
      tokens: number;
      created_at: number;
      updated_at: number;
      provider: string | null;
      ttft_ms: number | null;
      tokens_per_second: number | null;
    }>;
    for (const r of rows) {
      const list = out.get(r.question_id) ?? [];
      list.push({
        content: r.content,
        model: r.model,
        tokens: r.tokens,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        provider: r.provider,
        ttftMs: r.ttft_ms,
        tokensPerSecond: r.tokens_per_second,
      });
      out.set(r.question_id, list);
    }
    return out;
  }

  /** The question was edited: its earlier answers answered another question. */
  clear(questionId: number): void {
    this.stmts.clear.run(questionId);
  }
}
