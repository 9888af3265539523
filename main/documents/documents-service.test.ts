import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  EMBEDDING_MODELS,
  EMULATOR_MODELS,
  startOllamaEmulator,
  type OllamaEmulator,
} from '../../e2e/emulators/ollama-emulator';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { ManualClock } from '../../test/doubles/manual-clock';
import { openStore, type Store } from '../store/store';
import { citationOf, DocumentsService } from './documents-service';
import { OllamaEmbedder, type Embedder } from './ollama-embedder';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const fixture = (name: string) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
const text = (s: string) => new TextEncoder().encode(s);

let tmp: ReturnType<typeof makeTempDir>;
let store: Store;
let emu: OllamaEmulator;
let embedder: Embedder | null;
let service: DocumentsService;

beforeEach(async () => {
  tmp = makeTempDir('aeris-docs-');
  store = openStore(path.join(tmp.dir, 'store.db'), new ManualClock());
  emu = await startOllamaEmulator({ models: [EMULATOR_MODELS['qwen2.5:3b']!, EMBEDDING_MODELS['all-minilm:latest']!] });
  embedder = new OllamaEmbedder({ host: emu.url, model: 'all-minilm', batchSize: 4 });
  service = new DocumentsService({ db: () => store.db, clock: new ManualClock(), embedder: () => embedder });
});

afterEach(async () => {
  await emu.close();
  store.close();
  tmp.cleanup();
});

const chunkCount = () => (store.db.prepare('SELECT COUNT(*) AS n FROM document_chunks').get() as { n: number }).n;
const ftsHits = (word: string) =>
  (
    store.db.prepare('SELECT COUNT(*) AS n FROM document_chunks_fts WHERE document_chunks_fts MATCH ?').get(word) as {
      n: number;
    }
  ).n;

describe('DocumentsService', () => {
  it('attaches a real PDF: pages, chunks and 384-dim vectors from /api/embed, batched', async () => {
    const { document, note } = await service.add({
      name: 'annual-report.pdf',
      bytes: fixture('annual-report.pdf'),
      sessionId: null,
    });
    expect(note).toBeNull();
    expect(document).toMatchObject({
      name: 'annual-report.pdf',
      kind: 'pdf',
      pages: 3,
      chunks: 3,
      embedModel: 'all-minilm',
      embedDims: 384,
    });
    const embeds = emu.requests.filter((r) => r.path === '/api/embed');
    expect(embeds).toHaveLength(1); // 3 chunks in one batch of 4
    expect(embeds[0]!.body).toMatchObject({ model: 'all-minilm', truncate: true });
  });

  it('ranks hybrid: the passage that answers comes first, cited with file and page', async () => {
    await service.add({ name: 'annual-report.pdf', bytes: fixture('annual-report.pdf'), sessionId: null });
    await service.add({ name: 'siting-guideline.docx', bytes: fixture('siting-guideline.docx'), sessionId: null });
    await service.add({ name: 'partner-monitoring.xlsx', bytes: fixture('partner-monitoring.xlsx'), sessionId: null });

    const pm = await service.search('What was the annual mean PM2.5 in Kampala?');
    expect(pm.mode).toBe('hybrid');
    expect(pm.note).toBeNull();
    expect(citationOf(pm.passages[0]!)).toBe('[annual-report.pdf, p. 2]');

    const siting = await service.search('how high above the ground should a sensor be mounted');
    expect(citationOf(siting.passages[0]!)).toBe('[siting-guideline.docx]');

    const sheet = await service.search('PM10 at Jinja Road');
    expect(citationOf(sheet.passages[0]!)).toBe('[partner-monitoring.xlsx, sheet partner]');
    expect(sheet.passages[0]!.text).toMatch(/PM10 \(ug\/m3\): 140\.3/);
  });

  it('ranks the chunk holding the question above filler chunks of the same file', async () => {
    const { document } = await service.add({
      name: 'notes.txt',
      bytes: text('calibrate sensors quarterly\n\n' + 'unrelated filler words here. '.repeat(80)),
      sessionId: null,
    });
    const best = await service.search('calibrate sensors quarterly');
    expect(best.passages[0]!.docId).toBe(document.id);
    expect(best.passages[0]!.text).toMatch(/^calibrate sensors quarterly/);
  });

  it('without an embedding model falls back to FTS5 alone and says so', async () => {
    embedder = null;
    const { document, note } = await service.add({
      name: 'annual-report.pdf',
      bytes: fixture('annual-report.pdf'),
      sessionId: null,
    });
    expect(note).toMatch(/keywords \(BM25\) only/);
    expect(document.embedModel).toBeNull();
    const r = await service.search('harmattan dust');
    expect(r).toMatchObject({ mode: 'keyword', note: 'No embedding model is set up: keyword search (BM25) only.' });
    expect(citationOf(r.passages[0]!)).toBe('[annual-report.pdf, p. 2]');
  });

  it('an embedding model that is not installed: attached for keyword search, with the reason; re-index adds vectors later', async () => {
    embedder = new OllamaEmbedder({ host: emu.url, model: 'nomic-embed-text' });
    const { document, note } = await service.add({
      name: 'annual-report.pdf',
      bytes: fixture('annual-report.pdf'),
      sessionId: null,
    });
    expect(note).toMatch(/nomic-embed-text failed: model 'nomic-embed-text' not found/);
    expect((await service.search('Gulu Mbarara')).mode).toBe('keyword');

    embedder = new OllamaEmbedder({ host: emu.url, model: 'all-minilm' });
    const again = await service.reindex(document.id);
    expect(again.document).toMatchObject({ embedModel: 'all-minilm', embedDims: 384 });
    const r = await service.search('reference monitoring in Gulu and Mbarara');
    expect(r.mode).toBe('hybrid');
    expect(citationOf(r.passages[0]!)).toBe('[annual-report.pdf, p. 3]');
  });

  it('scopes a conversation’s documents to it; shared ones reach every conversation', async () => {
    store.sessions.create({ id: 's1' });
    store.sessions.create({ id: 's2' });
    await service.add({ name: 'mine.txt', bytes: text('ozone readings at Nakasero'), sessionId: 's1' });
    expect([service.hasAny('s1'), service.hasAny('s2')]).toEqual([true, false]);
    await service.add({ name: 'shared.txt', bytes: text('ozone guideline for everyone'), sessionId: null });
    expect([service.hasAny('s1'), service.hasAny('s2')]).toEqual([true, true]);
    expect(service.list('s1').map((d) => d.name)).toEqual(['mine.txt', 'shared.txt']);
    expect(service.list('s2').map((d) => d.name)).toEqual(['shared.txt']);
    const r = await service.search('ozone', { sessionId: 's2' });
    expect(r.passages.map((p) => p.file)).toEqual(['shared.txt']);
  });

  it('delete removes the document, its chunks, their index entries and vectors', async () => {
    const a = await service.add({ name: 'annual-report.pdf', bytes: fixture('annual-report.pdf'), sessionId: null });
    await service.add({ name: 'notes.txt', bytes: text('harmattan notes kept'), sessionId: null });
    expect(ftsHits('harmattan')).toBe(2);
    expect(service.delete(a.document.id)).toBe(true);
    expect(chunkCount()).toBe(1);
    expect(ftsHits('harmattan')).toBe(1);
    expect(store.db.prepare('SELECT COUNT(*) AS n FROM document_chunks WHERE doc_id = ?').get(a.document.id)).toEqual({
      n: 0,
    });
    const r = await service.search('harmattan dust in January');
    expect(r.passages.map((p) => p.file)).toEqual(['notes.txt']);
    expect(service.delete(a.document.id)).toBe(false);
  });

  it('keeps the in-memory index in step: built on attach, emptied on delete, warmed ahead of the first search', async () => {
    // Per chunk at 384 dims: 12 words of sign bits, 384 int8 codes, a scale and an id.
    const perChunk = 12 * 4 + 384 + 4 + 4;
    const a = await service.add({ name: 'annual-report.pdf', bytes: fixture('annual-report.pdf'), sessionId: null });
    const b = await service.add({ name: 'notes.txt', bytes: text('harmattan notes kept'), sessionId: null });
    expect(service.indexBytes()).toBe((a.document.chunks + b.document.chunks) * perChunk);
    service.delete(a.document.id);
    expect(service.indexBytes()).toBe(b.document.chunks * perChunk);

    // A restarted app: a fresh service on the same store holds nothing until it warms, a document per tick.
    const fresh = new DocumentsService({ db: () => store.db, clock: new ManualClock(), embedder: () => embedder });
    expect(fresh.indexBytes()).toBe(0);
    fresh.warmIndex(0);
    await vi.waitFor(() => expect(fresh.indexBytes()).toBe(b.document.chunks * perChunk));
  });

  it('deleting a conversation deletes its documents, chunks and index entries; shared ones stay', async () => {
    store.sessions.create({ id: 's1' });
    await service.add({ name: 'mine.txt', bytes: text('harmattan in the conversation'), sessionId: 's1' });
    await service.add({ name: 'shared.txt', bytes: text('harmattan for everyone'), sessionId: null });
    store.sessions.delete('s1');
    expect(service.list().map((d) => d.name)).toEqual(['shared.txt']);
    expect(chunkCount()).toBe(1);
    expect(ftsHits('harmattan')).toBe(1);
  });

  it('a question of symbols only finds nothing rather than failing FTS5 syntax', async () => {
    await service.add({ name: 'notes.txt', bytes: text('AND OR NOT "quotes" - *'), sessionId: null });
    embedder = null;
    expect((await service.search('"* -')).passages).toEqual([]);
    expect((await service.search('NOT quotes AND')).passages[0]!.file).toBe('notes.txt');
  });
});

describe('the Ollama emulator’s /api/embed (as the real API answers)', () => {
  const post = (p: string, body: unknown) =>
    fetch(new URL(p, emu.url), { method: 'POST', body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));

  it('answers a batch with unit vectors, deterministic, lexical neighbours closer', async () => {
    const r = await post('/api/embed', {
      model: 'all-minilm',
      input: ['pm2.5 in kampala', 'pm2.5 in kampala today', 'rainfall in gulu'],
    });
    expect(r.status).toBe(200);
    expect(Object.keys(r.body).sort()).toEqual([
      'embeddings',
      'load_duration',
      'model',
      'prompt_eval_count',
      'total_duration',
    ]);
    const [a, b, c] = r.body.embeddings as number[][];
    const dot = (x: number[], y: number[]) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    expect(a).toHaveLength(384);
    expect(dot(a!, a!)).toBeCloseTo(1, 5);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
    const again = await post('/api/embed', { model: 'all-minilm', input: 'pm2.5 in kampala' });
    expect((again.body.embeddings as number[][])[0]).toEqual(a);
  });

  it('errors and edge cases: no model, unknown model, empty input, dimensions, legacy /api/embeddings', async () => {
    expect(await post('/api/embed', { input: 'x' })).toEqual({ status: 400, body: { error: 'model is required' } });
    expect(await post('/api/embed', { model: 'nope', input: 'x' })).toEqual({
      status: 404,
      body: { error: "model 'nope' not found" },
    });
    expect((await post('/api/embed', { model: 'all-minilm', input: [] })).body.embeddings).toEqual([]);
    expect((await post('/api/embed', { model: 'all-minilm', input: 5 })).status).toBe(400);
    const small = await post('/api/embed', { model: 'all-minilm', input: 'x y', dimensions: 64 });
    expect((small.body.embeddings as number[][])[0]).toHaveLength(64);
    const legacy = await post('/api/embeddings', { model: 'all-minilm', prompt: 'pm2.5 in kampala' });
    expect(Object.keys(legacy.body)).toEqual(['embedding']);
    expect(legacy.body.embedding).toHaveLength(384);
    expect((await post('/api/embeddings', { model: 'all-minilm', prompt: '' })).body).toEqual({ embedding: [] });
  });
});
