import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { ManualClock } from '../../test/doubles/manual-clock';
import { openStore, type Store } from '../store/store';
import { Conversations, MAX_MESSAGES_PAGE, MAX_SESSIONS_PAGE } from './conversations';

describe('Conversations', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let clock: ManualClock;
  const streaming = new Set<string>();
  let conversations: Conversations;

  beforeEach(() => {
    tmp = makeTempDir();
    clock = new ManualClock(Date.UTC(2026, 0, 10, 12, 0, 0));
    store = openStore(path.join(tmp.dir, 'data', 'aeris_agent.db'), clock);
    streaming.clear();
    conversations = new Conversations(store, (id) => streaming.has(id));
  });
  afterEach(() => {
    store.close();
    tmp.cleanup();
  });

  it('refuses a session that does not exist, and deleting one that is streaming', () => {
    expect(() => conversations.rename('nope', 'x')).toThrow(expect.objectContaining({ code: 'not_found' }));
    const s = conversations.create({ title: 'PM2.5 in Kampala' });
    streaming.add(s.id);
    expect(() => conversations.delete(s.id)).toThrow(expect.objectContaining({ code: 'conflict' }));
    streaming.delete(s.id);
    expect(conversations.delete(s.id)).toBe(true);
    expect(conversations.list().total).toBe(0);
  });

  it('updates only what is given and reports what the store holds', () => {
    const s = conversations.create({ title: 't', model: 'qwen2.5:3b', style: 'general' });
    expect(conversations.update(s.id, { style: 'policy' })).toMatchObject({ model: 'qwen2.5:3b', style: 'policy' });
    store.messages.insert({ sessionId: s.id, role: 'user', content: 'hello' });
    clock.advance(60_000);
    store.messages.insert({ sessionId: s.id, role: 'assistant', content: 'hi' });
    expect(conversations.messages(s.id).messages.map((m) => [m.role, m.tools])).toEqual([
      ['user', []],
      ['assistant', []],
    ]);
    expect(conversations.facts()).toEqual({
      sessions: 1,
      messages: 2,
      firstMessageAt: '2026-01-10T12:00:00.000Z',
      lastMessageAt: '2026-01-10T12:01:00.000Z',
    });
  });

  it('lists idle sessions for a cleanup, leaving out one that is streaming', () => {
    const old = conversations.create({ title: 'old' });
    const busy = conversations.create({ title: 'busy' });
    clock.advance(40 * 86_400_000);
    const fresh = conversations.create({ title: 'fresh' });
    streaming.add(busy.id);
    const idle = conversations.idleSince(clock.now() - 30 * 86_400_000);
    expect(idle).toEqual([old.id]);
    expect(idle).not.toContain(fresh.id);
  });

  it('holds the rules every API shares: ids, styles, titles and page limits', () => {
    expect(() => conversations.create({ id: 'has spaces' })).toThrow(expect.objectContaining({ code: 'bad_request' }));
    expect(() => conversations.create({ style: 'poetic' })).toThrow(
      expect.objectContaining({ code: 'bad_request', message: 'Unknown style "poetic".' }),
    );
    const named = conversations.create({ id: 'field-trip', title: 'x'.repeat(300), style: 'technical' });
    expect(named).toMatchObject({ id: 'field-trip', style: 'technical' });
    expect(named.title).toHaveLength(200);

    // A malformed or unknown id names no session: null to find, not_found to get, false to delete.
    expect(conversations.find('field-trip')?.id).toBe('field-trip');
    expect(conversations.find('../etc')).toBeNull();
    expect(conversations.find('nope')).toBeNull();
    expect(() => conversations.get('../etc')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(conversations.delete('../etc')).toBe(false);

    for (let i = 0; i < 3; i++) store.messages.insert({ sessionId: 'field-trip', role: 'user', content: `q${i}` });
    // Out-of-range pages are brought within 1…max rather than refused.
    expect(conversations.messages('field-trip', 0).messages.map((m) => m.content)).toEqual(['q0']);
    expect(conversations.messages('field-trip', MAX_MESSAGES_PAGE * 10, -5).messages).toHaveLength(3);
    expect(conversations.list(0).sessions).toHaveLength(1);
    expect(conversations.list(MAX_SESSIONS_PAGE + 1, -1).total).toBe(1);
  });
});
