import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError } from '../core/errors';
import { isStyleName } from '../../preload/shared/style-presets';
import { importLegacyDatabase } from '../store/legacy-import';
import { findLegacyDatabase, type LegacyPlaces } from '../store/legacy-locations';
import { SearchReaderUnavailable, type SearchReader } from '../store/search-reader';
import type { Store } from '../store/store';
import type { MessageRecord, SearchHit, SessionRecord } from '../store/types';
import type { ToolActivity } from '../agent/tool-activity';
import { withToolActivity } from './message-tools';
import { withEarlierAnswers } from './answer-versions';

type MessageWithTools = MessageRecord & { tools: ToolActivity[] };

/** A session id as every API takes it (the original's UUIDs, ours, a client's own). */
const SESSION_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** The largest page of sessions, and of one session's messages, any API hands out. */
export const MAX_SESSIONS_PAGE = 500;
export const MAX_MESSAGES_PAGE = 1000;
const TITLE_MAX = 200;

const page = (limit: number, offset: number, max: number) => ({
  limit: Math.min(Math.max(Math.trunc(limit), 1), max),
  offset: Math.max(Math.trunc(offset), 0),
});

/** What the store holds now, for the restore preview to set beside a backup's manifest. */
interface StoreFacts {
  sessions: number;
  messages: number;
  firstMessageAt: string | null;
  lastMessageAt: string | null;
}

/**
 * Conversations as the APIs offer them (the app's bridge and the original server's routes alike): sessions,
 * their messages with tool activity, search. The one way handlers reach stored chats, so the rules are here
 * once: which ids are sessions, page limits, a valid style, and that a session streaming is not deleted.
 * `store` is StoreHost's facade, so a restore under a running engine needs nothing rebuilt here.
 */
export class Conversations {
  constructor(
    private readonly store: Store,
    private readonly isStreaming: (sessionId: string) => boolean,
    /** Searches off the app's thread when given (the engine's); without it, on the store's connection. */
    private readonly searchReader: SearchReader | null = null,
    /** Where the original server's database may lie (the first-run wizard offers it); none: nothing is found. */
    private readonly legacyPlaces: LegacyPlaces | null = null,
  ) {}

  /** The session, or a not_found error. */
  get(id: string): SessionRecord {
    const s = this.find(id);
    if (!s)
      throw new AppError(
        'not_found',
        `Session ${id} does not exist.`,
        {},
        engineMessage('error.sessionNotFound', { id }),
      );
    return s;
  }

  /** The session, or null for an id that names none (a malformed one included). */
  find(id: string): SessionRecord | null {
    return SESSION_ID.test(id) ? this.store.sessions.get(id) : null;
  }

  /** Newest first; `limit` is kept within 1…MAX_SESSIONS_PAGE. */
  list(limit = 200, offset = 0): { sessions: SessionRecord[]; total: number } {
    const p = page(limit, offset, MAX_SESSIONS_PAGE);
    return this.store.sessions.list(p.limit, p.offset);
  }

  /** A new session; a client may name its id. A title is cut to 200 characters; the style must be a preset. */
  create(input: { id?: string; title?: string; model?: string | null; style?: string }): SessionRecord {
    if (input.id !== undefined && !SESSION_ID.test(input.id)) {
      throw new AppError(
        'bad_request',
        'session_id must be 1–64 letters, digits, "-" or "_".',
        {},
        engineMessage('error.badSessionId', {}),
      );
    }
    if (input.style !== undefined && !isStyleName(input.style)) {
      throw new AppError(
        'bad_request',
        `Unknown style "${input.style}".`,
        {},
        engineMessage('error.unknownStyle', { style: input.style }),
      );
    }
    return this.store.sessions.create({
      ...input,
      ...(input.title !== undefined ? { title: input.title.slice(0, TITLE_MAX) } : {}),
    });
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

  /** The chat's own provider id (null: chats from before providers, answered by Ollama). */
  provider(id: string): string | null {
    this.get(id);
    return this.store.providers.forSession(id);
  }

  /** Moves a chat to another provider and the model it answers with there (the old model stays behind). */
  setProvider(id: string, provider: string, model: string | null): SessionRecord {
    this.get(id);
    if (this.isStreaming(id)) {
      throw new AppError(
        'conflict',
        'Stop the reply in progress before changing provider.',
        {},
        engineMessage('error.stopBeforeProvider', {}),
      );
    }
    this.store.db.transaction(() => {
      this.store.providers.setForSession(id, provider);
      this.store.sessions.setModel(id, model);
    })();
    return this.get(id);
  }

  /** False when there was no such session. */
  delete(id: string): boolean {
    if (this.isStreaming(id)) {
      throw new AppError(
        'conflict',
        'Stop the reply in progress before deleting.',
        {},
        engineMessage('error.stopBeforeDelete', {}),
      );
    }
    return SESSION_ID.test(id) && this.store.sessions.delete(id);
  }

  /**
   * A page of a session's messages with their tool activity, oldest first, and the session's message count;
   * `limit` is kept within 1…MAX_MESSAGES_PAGE.
   */
  messages(sessionId: string, limit = 200, offset = 0): { messages: MessageWithTools[]; total: number } {
    const s = this.get(sessionId);
    const p = page(limit, offset, MAX_MESSAGES_PAGE);
    const messages = withEarlierAnswers(
      this.store,
      withToolActivity(this.store, this.store.messages.list(sessionId, p.limit, p.offset)),
    );
    return { messages, total: s.messageCount };
  }

  /** The session and all its messages (up to the session limit's ceiling), for an export. */
  whole(sessionId: string): { session: SessionRecord; messages: MessageWithTools[] } {
    const session = this.get(sessionId);
    return { session, messages: withToolActivity(this.store, this.store.messages.list(sessionId, 100_000, 0)) };
  }

  /** Brings in the original AERIS-AQ server's chat history (its SQLite file); a second run adds nothing. */
  importLegacy(file: string, now: number): ReturnType<typeof importLegacyDatabase> {
    return importLegacyDatabase(this.store, file, now);
  }

  /** The original server's database where it keeps it, and what it holds; null when there is none. */
  findLegacy(): ReturnType<typeof findLegacyDatabase> {
    return this.legacyPlaces ? findLegacyDatabase(this.legacyPlaces) : null;
  }

  /** Imports the database `findLegacy` finds now: the caller never names the file. */
  importFoundLegacy(now: number): ReturnType<typeof importLegacyDatabase> {
    const found = this.findLegacy();
    if (!found) {
      throw new AppError(
        'not_found',
        'No database of the original AERIS-AQ server was found.',
        {},
        engineMessage('error.noLegacyDb', {}),
      );
    }
    return importLegacyDatabase(this.store, found.path, now);
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
