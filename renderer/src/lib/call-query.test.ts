import { describe, expect, it } from 'vitest';
import type { CallOutput, ImportFileDto } from '../../../preload/contract';
import { BridgeError } from '../bridge/http-bridge';
import { deferred, FakeBridge, settle, type Deferred } from '../test-support/fake-bridge';
import { CallQuery } from './call-query';

type Docs = CallOutput<'documents.list'>;
const docs = (...names: string[]): Docs => ({ documents: names.map((name) => ({ name })) }) as never;
const progress = (bytesRead: number) =>
  ({ importId: 'x', file: 'a.csv', bytesRead, totalBytes: 2, rowsRead: bytesRead, done: bytesRead === 2 }) as const;
const names = (d: Docs | null) => d?.documents.map((x) => x.name) ?? null;

/** A bridge whose documents.list answers wait for the test, one deferred per call, in call order. */
function slowDocuments() {
  const answers: Array<Deferred<Docs>> = [];
  const bridge = new FakeBridge({
    'documents.list': () => {
      const d = deferred<Docs>();
      answers.push(d);
      return d.promise;
    },
  });
  const query = new CallQuery(() => bridge, 'documents.list');
  const changes: Array<ReturnType<typeof query.snapshot>> = [];
  query.subscribe(() => changes.push(query.snapshot()));
  return { bridge, query, answers, changes };
}

describe('CallQuery', () => {
  it('keeps the newest ask: an older answer that arrives last does not overwrite it', async () => {
    const { bridge, query, answers } = slowDocuments();
    const a = query.ask({ sessionId: 'a' });
    const b = query.ask({ sessionId: 'b' });
    expect(bridge.calls.map((c) => c.input)).toEqual([{ sessionId: 'a' }, { sessionId: 'b' }]);

    answers[1]!.resolve(docs('b.pdf'));
    await b;
    expect(names(query.snapshot().data)).toEqual(['b.pdf']);
    expect(query.snapshot().loading).toBe(false);

    answers[0]!.resolve(docs('a.pdf'));
    await a;
    expect(names(query.snapshot().data)).toEqual(['b.pdf']);
  });

  it('stays loading until the newest answer, and keeps the last data meanwhile', async () => {
    const { query, answers } = slowDocuments();
    const first = query.ask({ sessionId: 'a' });
    answers[0]!.resolve(docs('a.pdf'));
    await first;

    void query.ask({ sessionId: 'b' });
    const again = query.reload();
    expect(query.snapshot()).toMatchObject({ loading: true, error: null });
    expect(names(query.snapshot().data)).toEqual(['a.pdf']);

    // The overtaken answer settles first: still loading, still the old data.
    answers[1]!.resolve(docs('stale.pdf'));
    await settle();
    expect(query.snapshot().loading).toBe(true);
    expect(names(query.snapshot().data)).toEqual(['a.pdf']);

    answers[2]!.resolve(docs('b.pdf'));
    await again;
    expect(query.snapshot().loading).toBe(false);
    expect(names(query.snapshot().data)).toEqual(['b.pdf']);
  });

  it('gives a failure in words, keeps the data, and clears the error when a reload succeeds', async () => {
    const { query, answers } = slowDocuments();
    const first = query.ask({ sessionId: 'a' });
    answers[0]!.resolve(docs('a.pdf'));
    await first;

    const failing = query.reload();
    answers[1]!.reject(new BridgeError('unavailable', 'The engine is not answering.'));
    await failing;
    expect(query.snapshot()).toMatchObject({ error: 'The engine is not answering.', loading: false });
    expect(names(query.snapshot().data)).toEqual(['a.pdf']);

    const retry = query.reload();
    // The error stays on screen while the retry is on its way (a polled page does not flicker).
    expect(query.snapshot()).toMatchObject({ error: 'The engine is not answering.', loading: true });
    answers[2]!.resolve(docs('a.pdf', 'b.pdf'));
    await retry;
    expect(query.snapshot()).toMatchObject({ error: null, loading: false });
    expect(names(query.snapshot().data)).toEqual(['a.pdf', 'b.pdf']);
  });

  it('reloads with the same input after a mutation, and sees what it changed', async () => {
    const files: ImportFileDto[] = [
      { id: 1, name: 'a.csv' } as ImportFileDto,
      { id: 2, name: 'b.csv' } as ImportFileDto,
    ];
    const bridge = new FakeBridge({
      'imports.list': () => ({ imports: [...files] }),
      'imports.delete': ({ id }) => {
        files.splice(
          files.findIndex((f) => f.id === id),
          1,
        );
        return { deleted: true, readingsRemoved: 0 };
      },
    });
    const query = new CallQuery(() => bridge, 'imports.list');
    await query.ask({});
    expect(query.snapshot().data?.imports.map((f) => f.name)).toEqual(['a.csv', 'b.csv']);

    await bridge.call('imports.delete', { id: 1 });
    await query.reload();
    expect(query.snapshot().data?.imports.map((f) => f.name)).toEqual(['b.csv']);
    expect(bridge.calls.map((c) => c.name)).toEqual(['imports.list', 'imports.delete', 'imports.list']);
  });

  it('reloads on the event it is told of, until unsubscribed', async () => {
    const bridge = new FakeBridge({ 'imports.list': () => ({ imports: [] }) });
    const query = new CallQuery(() => bridge, 'imports.list');
    await query.ask({});
    const stop = query.reloadOn('imports.progress');

    bridge.emit('imports.progress', progress(1));
    await settle();
    expect(bridge.count('imports.list')).toBe(2);

    stop();
    bridge.emit('imports.progress', progress(2));
    await settle();
    expect(bridge.count('imports.list')).toBe(2);
  });

  it('drops an answer that arrives after dispose, and reloads nothing until asked again', async () => {
    const { bridge, query, answers, changes } = slowDocuments();
    const pending = query.ask({ sessionId: 'a' });
    query.dispose();
    expect(query.snapshot().loading).toBe(false);
    const seen = changes.length;

    answers[0]!.resolve(docs('late.pdf'));
    await pending;
    expect(query.snapshot().data).toBeNull();
    expect(changes.length).toBe(seen);

    await query.reload();
    expect(bridge.count('documents.list')).toBe(1);
  });

  it('clear forgets the data and drops the answer in flight (a reader switched off)', async () => {
    const { query, answers } = slowDocuments();
    const first = query.ask({ sessionId: 'a' });
    answers[0]!.resolve(docs('a.pdf'));
    await first;

    const pending = query.reload();
    query.clear();
    expect(query.snapshot()).toEqual({ data: null, error: null, loading: false });
    answers[1]!.reject(new Error('too late'));
    await pending;
    expect(query.snapshot()).toEqual({ data: null, error: null, loading: false });
  });

  it('tells a call the fake bridge does not answer as an error in words', async () => {
    const query = new CallQuery(() => new FakeBridge(), 'sources.status');
    await query.ask({});
    expect(query.snapshot()).toEqual({ data: null, error: 'no fake answer for sources.status', loading: false });
  });
});
