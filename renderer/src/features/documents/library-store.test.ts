import { describe, expect, it } from 'vitest';
import type { DocumentDto, EmbedderStatusDto, PullSnapshotDto } from '../../../../preload/contract';
import { deferred, FakeBridge, settle } from '../../test-support/fake-bridge';
import { createLibraryStore, staleDocuments } from './library-store';

const doc = (id: number, over: Partial<DocumentDto> = {}): DocumentDto => ({
  id,
  sessionId: null,
  name: `doc-${id}.pdf`,
  kind: 'pdf',
  sizeBytes: 1000 * id,
  pages: id,
  chunks: 10 * id,
  embedModel: null,
  createdAt: id,
  ...over,
});

const status = (over: Partial<EmbedderStatusDto> = {}): EmbedderStatusDto => ({
  model: 'nomic-embed-text',
  installed: false,
  downloadBytes: 274_302_450,
  verdict: 'cpu',
  reason: 'runs on the CPU, needs 346 MB of 5 GB free RAM at 2k context',
  stale: 2,
  ...over,
});

const snap = (state: PullSnapshotDto['state'], percent: number | null): PullSnapshotDto => ({
  name: 'nomic-embed-text:latest',
  state,
  status: state,
  layers: [],
  completedBytes: 0,
  totalBytes: 274_302_450,
  percent,
  bytesPerSecond: 0,
  etaSeconds: null,
  error: null,
  resumable: false,
  queuePosition: null,
  startedAt: 1,
  updatedAt: percent ?? 0,
});

/** The engine's side, in memory: documents that gain vectors when re-indexed once the model is installed. */
function library(docs: DocumentDto[]) {
  let installed = false;
  const bridge = new FakeBridge({
    'documents.list': () => ({ documents: docs.map((d) => ({ ...d })) }),
    'documents.embedder': () => status({ installed, stale: staleDocuments(docs, 'nomic-embed-text').length }),
    'documents.reindex': ({ id }) => {
      const d = docs.find((x) => x.id === id)!;
      if (installed) d.embedModel = 'nomic-embed-text';
      return { document: { ...d }, note: installed ? null : 'model not found; keyword search only' };
    },
    'documents.delete': ({ id }) => {
      const i = docs.findIndex((x) => x.id === id);
      if (i >= 0) docs.splice(i, 1);
      return { deleted: i >= 0 };
    },
    'models.pullStart': () => snap('pulling', 0),
  });
  return { bridge, install: () => (installed = true) };
}

describe('the documents library store', () => {
  it('lists every document with the embedding model’s status; delete reloads the list', async () => {
    const { bridge } = library([doc(1), doc(2, { sessionId: 'chat-1', embedModel: 'all-minilm' })]);
    const lib = createLibraryStore({ api: () => bridge });
    await lib.getState().load();
    expect(lib.getState().documents.map((d) => d.name)).toEqual(['doc-1.pdf', 'doc-2.pdf']);
    expect(lib.getState().embedder).toMatchObject({ model: 'nomic-embed-text', installed: false, stale: 2 });
    await lib.getState().remove(1);
    expect(bridge.calls.find((c) => c.name === 'documents.delete')?.input).toEqual({ id: 1 });
    expect(lib.getState().documents.map((d) => d.id)).toEqual([2]);
  });

  it('shares a document with every conversation and keeps it to one again', async () => {
    const { bridge } = library([doc(1, { sessionId: 'chat-1' })]);
    bridge.handle({
      'documents.share': ({ id, sessionId }) => ({ document: doc(id, { sessionId: sessionId ?? null }) }),
    });
    const lib = createLibraryStore({ api: () => bridge });
    await lib.getState().load();
    await lib.getState().share(1, null);
    expect(lib.getState().documents[0]!.sessionId).toBeNull();
    await lib.getState().share(1, 'chat-2');
    expect(lib.getState().documents[0]!.sessionId).toBe('chat-2');
    expect(bridge.calls.filter((c) => c.name === 'documents.share').map((c) => c.input)).toEqual([
      { id: 1, sessionId: null },
      { id: 1, sessionId: 'chat-2' },
    ]);
  });

  it('keeps a share when a list read before it lands after it (a stale read never undoes a change)', async () => {
    const docs = [doc(1, { sessionId: 'chat-1' })];
    const { bridge } = library(docs);
    const lib = createLibraryStore({ api: () => bridge });
    await lib.getState().load();
    // The library is opened again (a second read) while the engine is slow: that read's answer is held back.
    const slow = deferred<{ documents: DocumentDto[] }>();
    const before = docs.map((d) => ({ ...d }));
    bridge.handle({ 'documents.list': () => slow.promise });
    const reading = lib.getState().load();
    // The user shares it meanwhile, and sees it shared.
    bridge.handle({ 'documents.share': ({ id }) => ({ document: doc(id, { sessionId: null }) }) });
    await lib.getState().share(1, null);
    expect(lib.getState().documents[0]!.sessionId).toBeNull();
    // The read taken before the share lands last: it is dropped, the document stays shared.
    slow.resolve({ documents: before });
    await reading;
    expect(lib.getState().documents[0]!.sessionId).toBeNull();
    // A read started after the share is applied.
    bridge.handle({ 'documents.list': () => ({ documents: [doc(1, { sessionId: null, name: 'renamed.pdf' })] }) });
    await lib.getState().load();
    expect(lib.getState().documents[0]!.name).toBe('renamed.pdf');
  });

  it('pulls only on download(), follows its progress, then re-indexes the keyword-only documents one by one', async () => {
    const { bridge, install } = library([
      doc(1),
      doc(2, { embedModel: 'nomic-embed-text' }),
      doc(3, { embedModel: 'all-minilm' }),
    ]);
    const pulled: PullSnapshotDto[] = [];
    const lib = createLibraryStore({ api: () => bridge, onPull: (s) => pulled.push(s) });
    await lib.getState().load();
    expect(bridge.count('models.pullStart')).toBe(0);

    await lib.getState().download();
    expect(bridge.calls.find((c) => c.name === 'models.pullStart')?.input).toEqual({
      name: 'nomic-embed-text:latest',
    });
    bridge.emit('models.pull', snap('pulling', 40));
    expect(lib.getState().pull).toMatchObject({ state: 'pulling', percent: 40 });
    // Another model's download is not this one.
    bridge.emit('models.pull', { ...snap('success', 100), name: 'qwen2.5:3b' });
    expect(lib.getState().pull?.percent).toBe(40);

    // Re-indexing waits for each document: progress says which one and how many are done.
    const first = deferred<{ document: DocumentDto; note: null }>();
    bridge.handle({ 'documents.reindex': () => first.promise });
    install();
    bridge.emit('models.pull', snap('success', 100));
    await settle();
    expect(lib.getState().progress).toEqual({ done: 0, total: 2, current: 'doc-1.pdf' });
    expect(pulled.map((p) => p.state)).toEqual(['pulling', 'pulling', 'success']);

    bridge.handle({
      'documents.reindex': ({ id }) => ({
        document: doc(id, { embedModel: 'nomic-embed-text' }),
        note: null,
      }),
    });
    first.resolve({ document: doc(1, { embedModel: 'nomic-embed-text' }), note: null });
    await settle();
    await settle();
    expect(bridge.calls.filter((c) => c.name === 'documents.reindex').map((c) => c.input)).toEqual([
      { id: 1 },
      { id: 3 },
    ]);
    expect(lib.getState().progress).toBeNull();
  });

  it('keeps the reason a re-index left a document keyword-only, and a refusal in words', async () => {
    const { bridge } = library([doc(1), doc(2)]);
    const lib = createLibraryStore({ api: () => bridge });
    await lib.getState().load();
    bridge.handle({
      'documents.reindex': ({ id }) => {
        if (id === 2) throw new Error('Document 2 does not exist.');
        return { document: doc(1), note: 'model not found; keyword search only' };
      },
    });
    await lib.getState().reindex([1, 2]);
    expect(lib.getState().notes).toEqual({
      1: 'model not found; keyword search only',
      2: 'Document 2 does not exist.',
    });
    expect(lib.getState().progress).toBeNull();
  });

  it('says why the download could not start', async () => {
    const { bridge } = library([doc(1)]);
    bridge.handle({
      'models.pullStart': () => {
        throw new Error('Ollama is not running.');
      },
    });
    const lib = createLibraryStore({ api: () => bridge });
    await lib.getState().load();
    await lib.getState().download();
    expect(lib.getState().error).toBe('Ollama is not running.');
  });
});
