import type { Db } from './database';

/**
 * The provider columns (`sessions.provider`, `messages.provider`), apart from the session and message
 * repositories so the hot append path stays as it is. Values are provider ids (main/providers).
 */
export class ProviderRecords {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      getSession: db.prepare<[string], { provider: string | null }>(`SELECT provider FROM sessions WHERE id = ?`),
      setSession: db.prepare(`UPDATE sessions SET provider = ? WHERE id = ?`),
      getAnswer: db.prepare<[number], { provider: string | null; model: string | null }>(
        `SELECT provider, model FROM messages WHERE id = ?`,
      ),
      setAnswer: db.prepare(`UPDATE messages SET provider = ?, model = ? WHERE id = ?`),
    };
  }

  /** The chat's own provider; null when it follows the default in Settings. */
  forSession(sessionId: string): string | null {
    return this.stmts.getSession.get(sessionId)?.provider ?? null;
  }

  setForSession(sessionId: string, provider: string | null): void {
    this.stmts.setSession.run(provider, sessionId);
  }

  /** Who wrote a reply: the provider and model that answered (after a fallback, not the ones asked first). */
  answeredBy(messageId: number): { provider: string | null; model: string | null } | null {
    return this.stmts.getAnswer.get(messageId) ?? null;
  }

  setAnsweredBy(messageId: number, provider: string, model: string): void {
    this.stmts.setAnswer.run(provider, model, messageId);
  }
}
