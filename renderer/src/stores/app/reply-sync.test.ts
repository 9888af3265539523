import { describe, expect, it } from 'vitest';
import type { MessageDto } from '../../../../preload/contract';
import { deferred, message, settle, type Deferred } from '../../test-support/fake-bridge';
import { applyReplyEvent, ReplySync, type ReplyEvent } from './reply-sync';

const S = 'sess-1';
const ID = 7;
const tok = (offset: number, text: string): ReplyEvent => ({
  type: 'token',
  streamId: 'st',
  sessionId: S,
  messageId: ID,
  text,
  offset,
});

/**
 * An engine in miniature: it stores each token before sending it (as ChatService does), and answers
 * `messages.list` with the text stored when the read began, but only when the test releases the answer.
 */
function slowEngine(initial = '') {
  let stored = initial;
  let status: MessageDto['status'] = 'streaming';
  const reads: Array<{ snapshot: MessageDto[]; answer: Deferred<MessageDto[]>; done: boolean }> = [];
  const view: Record<string, MessageDto[]> = {};
  const sync = new ReplySync({
    load: (sessionId) => {
      const answer = deferred<MessageDto[]>();
      reads.push({ snapshot: [message({ id: ID, sessionId, content: stored, status })], answer, done: false });
      return answer.promise;
    },
    get: (sessionId) => view[sessionId],
    put: (sessionId, list) => (view[sessionId] = list),
  });
  return {
    sync,
    view,
    reads,
    /** Stores a token and sends it, unless `lost` (an event the view never received). */
    send(text: string, lost = false) {
      const offset = stored.length;
      stored += text;
      if (!lost) sync.event(tok(offset, text));
    },
    finish() {
      status = 'complete';
    },
    /** Answers the oldest read still open; false when none is open. */
    answerOne(): boolean {
      const r = reads.find((x) => !x.done);
      if (!r) return false;
      r.done = true;
      r.answer.resolve(r.snapshot);
      return true;
    },
    get stored() {
      return stored;
    },
  };
}

describe('applyReplyEvent', () => {
  const list = [message({ id: ID, sessionId: S, content: 'word0 word1 ' })];

  it('appends a token at its offset and marks the row streaming', () => {
    const next = applyReplyEvent(list, tok(12, 'word2 '));
    expect(next).not.toBe('gap');
    expect((next as MessageDto[])[0]!.content).toBe('word0 word1 word2 ');
  });

  it('skips a token it already holds and reports a token past the end as a gap', () => {
    expect(applyReplyEvent(list, tok(6, 'word1 '))).toBe('same');
    expect(applyReplyEvent(list, tok(18, 'word3 '))).toBe('gap');
    expect(applyReplyEvent([], tok(0, 'x'))).toBe('gap');
  });

  it('overwrites text a retraction replaced, and cuts text back on a retract', () => {
    const replaced = applyReplyEvent(list, tok(6, 'other '));
    expect((replaced as MessageDto[])[0]!.content).toBe('word0 other ');
    const cut = applyReplyEvent(list, { type: 'retract', streamId: 'st', sessionId: S, messageId: ID, offset: 6 });
    expect((cut as MessageDto[])[0]!.content).toBe('word0 ');
    expect(applyReplyEvent(list, { type: 'retract', streamId: 'st', sessionId: S, messageId: ID, offset: 40 })).toBe(
      'gap',
    );
  });

  it('keeps tool chips in order and replaces a chip by its seq', () => {
    const chip = (seq: number, status: 'running' | 'done'): ReplyEvent => ({
      type: 'tool',
      streamId: 'st',
      sessionId: S,
      messageId: ID,
      seq,
      name: 'get_air_quality',
      status,
      activity: {
        seq,
        name: 'get_air_quality',
        status,
        durationMs: null,
        label: null,
        sources: [],
        cached: false,
        stale: false,
        summary: null,
        aqi: null,
        chart: null,
      },
    });
    let l = applyReplyEvent(list, chip(2, 'running')) as MessageDto[];
    l = applyReplyEvent(l, chip(1, 'running')) as MessageDto[];
    l = applyReplyEvent(l, chip(2, 'done')) as MessageDto[];
    expect(l[0]!.tools.map((t) => [t.seq, t.status])).toEqual([
      [1, 'running'],
      [2, 'done'],
    ]);
  });
});

describe('ReplySync', () => {
  it('finishes a reply whose every reload is slower than the gap between tokens (the Stop livelock)', async () => {
    const e = slowEngine('word0 word1 ');
    e.view[S] = [message({ id: ID, sessionId: S, content: 'word0 word1 ' })];
    e.send('word2 ', true); // stored, but its event never reached the view
    for (let i = 3; i < 400; i++) {
      e.send(`word${i} `);
      // A read is answered only after five more tokens: every read is slower than the gap between tokens.
      if (i % 5 === 0) {
        e.answerOne();
        await settle();
      }
    }
    while (e.answerOne()) await settle();
    expect(e.view[S]![0]!.content).toBe(e.stored);
    expect(e.view[S]![0]!.content.endsWith('word399 ')).toBe(true);
    // One gap, one read: tokens that arrived during it were replayed on top, not dropped into more reads.
    expect(e.sync.reloads).toBe(1);
    expect(e.sync.loading(S)).toBe(false);
  });

  it('keeps at most one read in flight and reads once more when asked during it (e.g. on `done`)', async () => {
    const e = slowEngine('a ');
    e.view[S] = [message({ id: ID, sessionId: S, content: 'a ' })];
    const first = e.sync.reload(S);
    e.send('b ');
    e.finish();
    // `done` and two more refreshes arrive while the first read is out.
    const second = e.sync.reload(S);
    void e.sync.reload(S);
    void e.sync.reload(S);
    expect(e.reads).toHaveLength(1);
    e.answerOne();
    await settle();
    expect(e.reads).toHaveLength(2); // the follow-up read, which sees the final status
    e.answerOne();
    await Promise.all([first, second]);
    expect(e.sync.reloads).toBe(2);
    expect(e.view[S]![0]).toMatchObject({ content: 'a b ', status: 'complete' });
  });

  it('replays a retraction and the tokens after it on top of a read taken before the retraction', async () => {
    const e = slowEngine('intro ');
    e.view[S] = [message({ id: ID, sessionId: S, content: 'intro ' })];
    const read = e.sync.reload(S);
    e.send('preamble ');
    e.sync.event({ type: 'retract', streamId: 'st', sessionId: S, messageId: ID, offset: 6 });
    e.sync.event(tok(6, 'answer'));
    e.answerOne(); // the snapshot: 'intro ' (taken before the preamble)
    await read;
    expect(e.view[S]![0]!.content).toBe('intro answer');
  });

  it('ignores events for a session the view does not hold, and drops those of a row that was deleted', async () => {
    const e = slowEngine();
    e.send('x');
    expect(e.reads).toHaveLength(0);
    expect(e.view[S]).toBeUndefined();

    // A row the reload no longer returns: its buffered tokens go nowhere and no further read follows.
    const loads: string[] = [];
    const view: Record<string, MessageDto[]> = { [S]: [message({ id: ID, sessionId: S, content: '' })] };
    const gone = deferred<MessageDto[]>();
    const sync = new ReplySync({
      load: (id) => (loads.push(id), gone.promise),
      get: (id) => view[id],
      put: (id, list) => (view[id] = list),
    });
    sync.event(tok(5, 'late'));
    sync.event(tok(9, 'later'));
    gone.resolve([]);
    await settle();
    expect(loads).toEqual([S]);
    expect(view[S]).toEqual([]);
  });

  it('passes a failed read to its caller and starts afresh on the next gap', async () => {
    const view: Record<string, MessageDto[]> = { [S]: [message({ id: ID, sessionId: S, content: '' })] };
    const answers = [deferred<MessageDto[]>(), deferred<MessageDto[]>()];
    let n = 0;
    const sync = new ReplySync({
      load: () => answers[n++]!.promise,
      get: (id) => view[id],
      put: (id, list) => (view[id] = list),
    });
    const failed = sync.reload(S);
    answers[0]!.reject(new Error('offline'));
    await expect(failed).rejects.toThrow('offline');
    expect(sync.loading(S)).toBe(false);
    sync.event(tok(3, 'def'));
    expect(sync.loading(S)).toBe(true);
    answers[1]!.resolve([message({ id: ID, sessionId: S, content: 'abc' })]);
    await settle();
    expect(view[S]![0]!.content).toBe('abcdef');
  });
});
