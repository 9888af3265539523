import { AppError } from '../core/errors';
import { SearchReaderUnavailable, type SearchReader } from '../store/search-reader';
import type { Store } from '../store/store';
import type { MessageRecord, SearchHit, SessionRecord } from '../store/types';
import type { ToolActivity } from '../agent/tool-activity';
import { withToolActivity } from './message-tools';
import { withEarlierAnswers } from './answer-versions';

type MessageWithTools = MessageRecord & { tools: ToolActivity[] };

/** What the store holds now, for the restore preview to set beside a backup's manifest. */
interface StoreFacts {
  sessions: number;
  messages: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
}

/**
 * Conversations as the API offers them: sessions, their messages with tool activity, search. The one way
 * handlers reach stored chats, so a session that does not exist or is streaming is refused in one place.
 * `store` is StoreHost's facade, so a restore under a running engine needs nothing rebuilt here.
 */
export class Conversations {
  constructor(
    private readonly store: Store,
    private readonly isStreaming: (sessionId: string) => boolean,
    /** Searches off the app's thread when given (the engine's); without it, on the store's connection. */
    private readonly searchReader: SearchReader | null = null,
  ) {}

  /** The session, or a not_found error. */
  get(id: string): SessionRecord {
    const s = this.store.sessions.get(id);
    if (!s) throw new AppError('not_found', `Session ${id} does not exist.`);
    return s;
  }

  list(limit = 200, offset = 0): { sessions: SessionRecord[]; total: number } {
    return this.store.sessions.list(limit, offset);
  }

  create(input: { id?: string; title?: string; model?: string | null; style?: string }): SessionRecord {
    return this.store.sessions.create(input);
  }

  rename(id: string, title: string): SessionRecord {
    this.get(id);
    this.store.sessions.rename(id, title);
    return this.get(id);
  }

  update(id: string, change: { model?: string | null; style?: string }): SessionRecord {
    this.get(id);
    if (change.model !== undefined) this.store.sessions.setModel(id, change.model);
    if (change.style !== undefined) this.store.sessions.setStyle(id, change.style);
    return this.get(id);
  }

  delete(id: string): boolean {
    if (this.isStreaming(id)) throw new AppError('conflict', 'Stop the reply in progress before deleting.');
    return this.store.sessions.delete(id);
  }

  /** A page of a session's messages with their tool activity, and the session's message count. */
  messages(sessionId: string, limit = 200, offset = 0): { messages: MessageWithTools[]; total: number } {
    const s = this.get(sessionId);
    const messages = withEarlierAnswers(
      this.store,
      withToolActivity(this.store, this.store.messages.list(sessionId, limit, offset)),
    );
    return { messages, total: s.messageCount };
  }

  /** The session and all its messages (up to the session limit's ceiling), for an export. */
  whole(sessionId: string): { session: SessionRecord; messages: MessageWithTools[] } {
    const session = this.get(sessionId);
    return { session, messages: withToolActivity(this.store, this.store.messages.list(sessionId, 100_000, 0)) };
  }

  search(query: string, limit = 30): SearchHit[] {
    return this.store.messages.search(query, limit);
  }

  /** `search`, matched on the search thread (no other request waits on it); here where that thread cannot start. */
  async searchOffThread(query: string, limit = 30): Promise<SearchHit[]> {
    if (!this.searchReader) return this.search(query, limit);
    try {
      return await this.store.messages.searchVia(this.searchReader, query, limit);
    } catch (err) {
      if (err instanceof SearchReaderUnavailable) return this.search(query, limit);
      throw err;
    }
  }

  /** Sessions untouched since `cutoff` (ms) and not streaming: what a cleanup would delete. */
  idleSince(cutoff: number): string[] {
    return this.store.sessions.idsNotUpdatedSince(cutoff).filter((id) => !this.isStreaming(id));
  }

  facts(): StoreFacts {
    const row = this.store.db
      .prepare(
        'SELECT (SELECT COUNT(*) FROM sessions) AS sessions, (SELECT COUNT(*) FROM messages) AS messages, (SELECT MIN(created_at) FROM messages) AS first, (SELECT MAX(created_at) FROM messages) AS last',
      )
      .get() as { sessions: number; messages: number; first: number | null; last: number | null };
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      sessions: row.sessions,
      messages: row.messages,
      firstMessageAt: iso(row.first),
      lastMessageAt: iso(row.last),
    };
  }
}
