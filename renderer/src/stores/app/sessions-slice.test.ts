import { describe, expect, it } from 'vitest';
import type { CallOutput, SessionDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { deferred, FakeBridge, message, type Deferred } from '../../test-support/fake-bridge';
import { createAppStore } from '../app-store';

const session = (id: string): SessionDto => ({
  id,
  title: id,
  model: null,
  style: 'general',
  createdAt: 1,
  updatedAt: 1,
  messageCount: 1,
});

describe('sessions slice: search', () => {
  it('keeps only the answer to the latest search', async () => {
    const answers: Record<string, Deferred<{ hits: [] | Array<{ messageId: number }> }>> = {};
    const bridge = new FakeBridge({
      'search.messages': ({ query }) => {
        answers[query] = deferred();
        return answers[query].promise as never;
      },
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    const slow = store.getState().search('harm');
    const fast = store.getState().search('harmattan');
    answers.harmattan!.resolve({ hits: [{ messageId: 2 }] });
    await fast;
    answers.harm!.resolve({ hits: [{ messageId: 1 }, { messageId: 2 }] });
    await slow;
    expect(store.getState().searchHits).toEqual([{ messageId: 2 }]);
    await store.getState().search('  ');
    expect(store.getState().searchHits).toEqual([]);
  });
});

describe('sessions slice: the conversations', () => {
  it('forgets a deleted conversation and closes it when it was open, keeping another one open', async () => {
    let left = ['a', 'b'];
    const bridge = new FakeBridge({
      'sessions.delete': ({ id }) => {
        left = left.filter((s) => s !== id);
        return { deleted: true };
      },
      'sessions.list': () => ({ sessions: left.map(session), total: left.length }),
      'messages.list': ({ sessionId }) => ({ messages: [message({ id: 1, sessionId })], total: 1 }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().select('a');
    await store.getState().select('b');
    expect(Object.keys(store.getState().messages).sort()).toEqual(['a', 'b']);
    await store.getState().remove('a');
    expect(store.getState()).toMatchObject({ activeId: 'b', sessions: [{ id: 'b' }] });
    expect(Object.keys(store.getState().messages)).toEqual(['b']);
    await store.getState().remove('b');
    expect(store.getState()).toMatchObject({ activeId: null, sessions: [], messages: {} });
  });

  it('starts a new chat with no conversation open and the search cleared', async () => {
    const bridge = new FakeBridge({
      'messages.list': ({ sessionId }) => ({ messages: [message({ id: 1, sessionId })], total: 1 }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().select('a');
    const hit = { messageId: 1, sessionId: 'a', sessionTitle: 'a', role: 'user', snippet: 'harmattan', createdAt: 1 };
    store.setState({ searchQuery: 'harmattan', searchHits: [hit] });
    store.getState().newChat();
    expect(store.getState()).toMatchObject({ activeId: null, searchQuery: '', searchHits: [] });
  });

  it('hands an exported conversation to the download, and says why when the export or a rename fails', async () => {
    const file: CallOutput<'sessions.export'> = { filename: 'air.md', mimeType: 'text/markdown', content: '# Air' };
    const bridge = new FakeBridge({
      'sessions.export': ({ id, format }) => {
        if (id === 'gone') throw new BridgeError('not_found', 'That conversation no longer exists.');
        expect(format).toBe('markdown');
        return file;
      },
      'sessions.rename': () => {
        throw new BridgeError('invalid', 'A title cannot be empty.');
      },
    });
    const downloaded: Array<CallOutput<'sessions.export'>> = [];
    const store = createAppStore({
      api: () => bridge,
      connection: () => null,
      download: (f) => void downloaded.push(f),
    });
    await store.getState().exportSession('a', 'markdown');
    expect(downloaded).toEqual([file]);
    await store.getState().exportSession('gone', 'markdown');
    await store.getState().rename('a', '');
    expect(downloaded).toHaveLength(1);
    expect(store.getState().notices.map((n) => n.text)).toEqual([
      'That conversation no longer exists.',
      'A title cannot be empty.',
    ]);
  });

  it('opens a conversation even when its messages cannot be read, and says why', async () => {
    const read: Deferred<{ messages: never[]; total: number }> = deferred();
    const bridge = new FakeBridge({ 'messages.list': () => read.promise });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    const opening = store.getState().select('a');
    expect(store.getState().activeId).toBe('a');
    read.reject(new BridgeError('offline', 'The AERIS-AQ server is not reachable.'));
    await opening;
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([
      ['error', 'The AERIS-AQ server is not reachable.'],
    ]);
  });
});
