import type { ChatEventDto, MessageDto } from '../../../../preload/contract';

/** The events that change a message's text or chips while a reply streams. */
export type ReplyEvent = Extract<ChatEventDto, { type: 'token' | 'retract' | 'tool' }>;

/**
 * One event applied to a session's messages: the new list, `same` when the list already holds it,
 * or `gap` when something before it is missing (the row is absent or the text is shorter than the event's offset).
 */
export function applyReplyEvent(list: MessageDto[], e: ReplyEvent): MessageDto[] | 'same' | 'gap' {
  const i = list.findIndex((m) => m.id === e.messageId);
  if (i < 0) return 'gap';
  const m = list[i]!;
  let next: MessageDto;
  switch (e.type) {
    case 'token': {
      const have = m.content.length;
      if (have < e.offset) return 'gap';
      if (have >= e.offset + e.text.length && m.content.slice(e.offset, e.offset + e.text.length) === e.text) {
        return 'same';
      }
      next = { ...m, content: m.content.slice(0, e.offset) + e.text, status: 'streaming' };
      break;
    }
    case 'retract':
      // Cutting back past the end would hide text we never received.
      if (m.content.length < e.offset) return 'gap';
      if (m.content.length === e.offset) return 'same';
      next = { ...m, content: m.content.slice(0, e.offset) };
      break;
    case 'tool': {
      // Chips appear live; the same activity is on disk for a reload.
      const tools = (m.tools ?? []).filter((t) => t.seq !== e.activity.seq);
      tools.push(e.activity);
      tools.sort((a, b) => a.seq - b.seq);
      next = { ...m, tools };
      break;
    }
  }
  const copy = list.slice();
  copy[i] = next;
  return copy;
}

interface ReplySyncDeps {
  /** Reads the session's messages from the engine (`messages.list`). */
  load(sessionId: string): Promise<MessageDto[]>;
  /** The list the view holds now, if it holds one. */
  get(sessionId: string): MessageDto[] | undefined;
  put(sessionId: string, list: MessageDto[]): void;
}

/** Extra reads when a reload still leaves text missing, before giving up until the next reload. */
const MAX_GAP_READS = 3;

interface SessionSync {
  /** The reload in flight; at most one per session. */
  inFlight: Promise<void>;
  /** Asked for again while one was in flight (e.g. `done` arrived): one more read after it. */
  again: boolean;
  /** Events that arrived during the reload, applied on top of its answer in order. */
  buffered: ReplyEvent[];
}

/**
 * Keeps a session's messages in step with a streaming reply. Tokens carry the offset they start at, so each is
 * applied where it belongs; a gap (a token ahead of the text we hold) starts one reload, and every event that
 * arrives meanwhile is buffered and replayed on top of the reloaded text. Reloads never overtake each other and
 * no event is dropped, so a reload slower than the gap between tokens cannot starve the reply.
 * The engine stores text before it sends the token for it, so a reload always holds every token sent before it.
 */
export class ReplySync {
  private readonly sessions = new Map<string, SessionSync>();
  /** Reads of `messages.list` started, for tests and diagnostics. */
  reloads = 0;

  constructor(private readonly deps: ReplySyncDeps) {}

  /** True while a reload of the session is in flight. */
  loading(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** Reads the session again; joins the read in flight (with one more read after it, which later calls share). */
  reload(sessionId: string): Promise<void> {
    const cur = this.sessions.get(sessionId);
    if (cur) {
      // The read in flight may have started before what the caller wants to see: one more after it.
      cur.again = true;
      return cur.inFlight;
    }
    const s: SessionSync = { inFlight: Promise.resolve(), again: false, buffered: [] };
    this.sessions.set(sessionId, s);
    s.inFlight = this.run(sessionId, s);
    return s.inFlight;
  }

  /** A token, retraction or tool chip from the engine. Sessions the view does not hold are left to their next load. */
  event(e: ReplyEvent): void {
    const s = this.sessions.get(e.sessionId);
    if (s) {
      s.buffered.push(e);
      return;
    }
    const list = this.deps.get(e.sessionId);
    if (!list) return;
    const next = applyReplyEvent(list, e);
    if (next === 'gap') {
      // Keep the event: the reload may end just before it.
      void this.reload(e.sessionId).catch(() => undefined);
      this.sessions.get(e.sessionId)?.buffered.push(e);
    } else if (next !== 'same') {
      this.deps.put(e.sessionId, next);
    }
  }

  private async run(sessionId: string, s: SessionSync): Promise<void> {
    let gapReads = 0;
    try {
      for (;;) {
        s.again = false;
        this.reloads++;
        let list = await this.deps.load(sessionId);
        const pending = s.buffered;
        s.buffered = [];
        const unapplied: ReplyEvent[] = [];
        for (const e of pending) {
          // A row that is not in the answer was deleted (or belongs to no view): its events have nowhere to go.
          if (!list.some((m) => m.id === e.messageId)) continue;
          // After a gap, later events for that row wait too, so they stay in order.
          if (unapplied.some((u) => u.messageId === e.messageId)) {
            unapplied.push(e);
            continue;
          }
          const next = applyReplyEvent(list, e);
          if (next === 'gap') unapplied.push(e);
          else if (next !== 'same') list = next;
        }
        this.deps.put(sessionId, list);
        // Text still missing cannot happen with an engine that stores before it sends; read again a few
        // times rather than freeze the reply, then leave the rest to the reload that `done` makes.
        if (unapplied.length > 0 && gapReads++ < MAX_GAP_READS) {
          s.buffered = [...unapplied, ...s.buffered];
          s.again = true;
        }
        if (!s.again) return;
      }
    } finally {
      this.sessions.delete(sessionId);
    }
  }
}
