import type { ChatSettings } from '../../preload/shared/chat-settings';
import type { Db } from './database';

/**
 * A chat's own settings (`sessions.chat_settings`, JSON), apart from the sessions repository so its queries
 * stay as they are. Values are checked before they get here (main/chat/chat-settings.ts).
 */
export class ChatSettingsRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.prepare<[string], { chat_settings: string | null }>(`SELECT chat_settings FROM sessions WHERE id = ?`),
      set: db.prepare(`UPDATE sessions SET chat_settings = ? WHERE id = ?`),
    };
  }

  /** The chat's settings; {} when it has none (or the session does not exist). */
  get(sessionId: string): ChatSettings {
    const raw = this.stmts.get.get(sessionId)?.chat_settings;
    if (!raw) return {};
    try {
      return pick(JSON.parse(raw) as unknown);
    } catch {
      // A damaged value (edited by hand) falls back to the defaults rather than failing every reply.
      return {};
    }
  }

  /** Saves them whole; an empty object clears the column. Returns whether the session exists. */
  set(sessionId: string, settings: ChatSettings): boolean {
    const clean = pick(settings);
    const json = Object.keys(clean).length ? JSON.stringify(clean) : null;
    return this.stmts.set.run(json, sessionId).changes > 0;
  }
}

/** Only the known keys with values of the right type. */
function pick(v: unknown): ChatSettings {
  if (!v || typeof v !== 'object') return {};
  const o = v as Record<string, unknown>;
  const out: ChatSettings = {};
  if (typeof o.systemPrompt === 'string' && o.systemPrompt !== '') out.systemPrompt = o.systemPrompt;
  if (typeof o.temperature === 'number' && Number.isFinite(o.temperature)) out.temperature = o.temperature;
  if (typeof o.contextLength === 'number' && Number.isInteger(o.contextLength)) out.contextLength = o.contextLength;
  return out;
}
