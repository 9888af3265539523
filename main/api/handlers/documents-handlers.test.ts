import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMBEDDING_MODELS, EMULATOR_MODELS, pullable } from '../../../e2e/emulators/ollama-emulator';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import { dispatch } from '../dispatch';
import { createHandlers, type Handlers } from '../handlers';

const FIXTURES = path.join(import.meta.dirname, '../../documents/fixtures');
const b64 = (name: string) => fs.readFileSync(path.join(FIXTURES, name)).toString('base64');

describe('documents handlers (attach, search, cite, re-index, delete, backups)', () => {
  let f: EngineFixture;
  let h: Handlers;
  // Test-only: results are checked field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (name: string, input: unknown = {}): Promise<any> => dispatch(h, name, input);

  beforeEach(async () => {
    f = await engineFixture({
      emulator: { models: [EMULATOR_MODELS['qwen2.5:3b']!, EMBEDDING_MODELS['all-minilm:latest']!] },
      env: { AERIS_EMBED_MODEL: 'all-minilm' },
    });
    h = createHandlers(f.engine, 'serve');
  });
  afterEach(async () => {
    await f.close();
  });

  it('attaches to a conversation, lists, searches and shows the passage behind a citation', async () => {
    const s = f.engine.store.sessions.create({ title: 'report' });
    const added = await call('documents.add', {
      name: 'annual-report.pdf',
      dataBase64: b64('annual-report.pdf'),
      sessionId: s.id,
    });
    expect(added).toMatchObject({
      note: null,
      document: { name: 'annual-report.pdf', pages: 3, embedModel: 'all-minilm', sessionId: s.id },
    });
    expect((await call('documents.list', { sessionId: s.id })).documents).toHaveLength(1);
    const found = await call('documents.search', { query: 'annual mean PM2.5 Kampala', sessionId: s.id });
    expect(found.mode).toBe('hybrid');
    expect(found.passages[0].cite).toBe('[annual-report.pdf, p. 2]');
    const cited = await call('documents.cited', { file: 'annual-report.pdf', label: 'p. 2', sessionId: s.id });
    expect(cited.passages[0].text).toMatch(/mean PM2\.5 concentration in Kampala was 48\s+micrograms/);
  });

  it('shares a conversation’s document with every conversation, and keeps it to one again', async () => {
    const a = f.engine.store.sessions.create({ title: 'a' });
    const b = f.engine.store.sessions.create({ title: 'b' });
    const added = await call('documents.add', {
      name: 'annual-report.pdf',
      dataBase64: b64('annual-report.pdf'),
      sessionId: a.id,
    });
    const id = added.document.id;
    expect((await call('documents.list', { sessionId: b.id })).documents).toHaveLength(0);
    expect(await call('documents.share', { id, sessionId: null })).toMatchObject({ document: { id, sessionId: null } });
    expect((await call('documents.list', { sessionId: b.id })).documents.map((d: { id: number }) => d.id)).toEqual([
      id,
    ]);
    const found = await call('documents.search', { query: 'annual mean PM2.5 Kampala', sessionId: b.id });
    expect(found.passages[0].cite).toBe('[annual-report.pdf, p. 2]');
    await call('documents.share', { id, sessionId: b.id });
    expect((await call('documents.list', { sessionId: a.id })).documents).toHaveLength(0);
    await expect(call('documents.share', { id: 999, sessionId: null })).rejects.toMatchObject({ code: 'not_found' });
    await expect(call('documents.share', { id, sessionId: 'nope' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses a scanned PDF in words (400, reason kept) and an unknown conversation', async () => {
    await expect(
      call('documents.add', { name: 'scan.pdf', dataBase64: b64('scanned-report.pdf') }),
    ).rejects.toMatchObject({
      code: 'bad_request',
      details: { reason: 'no-text-layer' },
      message: expect.stringMatching(/no text layer.*OCR\) is not available/s),
    });
    await expect(call('documents.add', { name: 'a.txt', dataBase64: 'aGk=', sessionId: 'nope' })).rejects.toMatchObject(
      { code: 'not_found' },
    );
  });

  it('a model with tools calls search_documents and answers with the citation', async () => {
    const s = f.engine.store.sessions.create({ title: 'report' });
    await call('documents.add', { name: 'annual-report.pdf', dataBase64: b64('annual-report.pdf'), sessionId: s.id });
    f.emulator.script({
      match: 'Kampala',
      times: 1,
      reply: { toolCalls: [{ name: 'search_documents', arguments: { query: 'annual mean PM2.5 Kampala' } }] },
    });
    f.emulator.script({ match: 'Kampala', reply: { content: 'It was 48 µg/m³ [annual-report.pdf, p. 2].' } });
    const handle = await f.engine.chat.send({
      sessionId: s.id,
      message: 'What was the PM2.5 mean in Kampala?',
      model: 'qwen2.5:3b',
    });
    await handle.done;
    const chats = f.emulator.requests.filter((r) => r.path === '/api/chat');
    const first = chats[0]!.body as {
      messages: Array<{ role: string; content: string }>;
      tools: Array<{ function: { name: string } }>;
    };
    expect(first.messages[0]!.content).toMatch(/Cite every fact taken from a document/);
    expect(first.tools.map((t) => t.function.name)).toContain('search_documents');
    const second = chats[1]!.body as { messages: Array<{ role: string; content: string }> };
    const toolMsg = second.messages.find((m) => m.role === 'tool')!;
    expect(JSON.parse(toolMsg.content).data.passages[0].cite).toBe('[annual-report.pdf, p. 2]');
    const reply = f.engine.store.messages.get(handle.assistantMessageId)!;
    expect(reply.content).toBe('It was 48 µg/m³ [annual-report.pdf, p. 2].');
  });

  it('documents are in backups: deleted, then restored with their chunks, index and vectors', async () => {
    const { document } = await call('documents.add', {
      name: 'annual-report.pdf',
      dataBase64: b64('annual-report.pdf'),
    });
    const backup = await call('backups.create');
    expect((await call('documents.delete', { id: document.id })).deleted).toBe(true);
    const count = () =>
      f.engine.store.db.prepare('SELECT COUNT(*) AS n, COUNT(vector) AS v FROM document_chunks').get();
    expect(count()).toEqual({ n: 0, v: 0 });
    expect((await call('documents.search', { query: 'Kampala' })).passages).toEqual([]);

    await call('backups.restore', { file: backup.name, confirm: true });
    expect(count()).toEqual({ n: 3, v: 3 });
    const found = await call('documents.search', { query: 'annual mean PM2.5 in Kampala' });
    expect(found.mode).toBe('hybrid');
    expect(found.passages[0].cite).toBe('[annual-report.pdf, p. 2]');
  });
});

describe('the embedding model: offered, pulled with consent, then re-index turns keyword-only documents hybrid', () => {
  let f: EngineFixture;
  let h: Handlers;
  // Test-only: results are checked field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (name: string, input: unknown = {}): Promise<any> => dispatch(h, name, input);

  beforeEach(async () => {
    // The default embedding model (nomic-embed-text) is not installed; the registry offers it.
    f = await engineFixture({
      emulator: {
        models: [EMULATOR_MODELS['qwen2.5:3b']!],
        registry: [pullable(EMBEDDING_MODELS['nomic-embed-text:latest']!)],
        pullTickMs: 5,
        pullBytesPerTick: 100_000_000,
      },
    });
    h = createHandlers(f.engine, 'serve');
  });
  afterEach(async () => {
    await f.close();
  });

  it('says what the download costs and whether it fits, pulls nothing by itself, and re-indexes after the pull', async () => {
    const added = await call('documents.add', { name: 'annual-report.pdf', dataBase64: b64('annual-report.pdf') });
    expect(added.document.embedModel).toBeNull();
    expect(added.note).toMatch(/keywords \(BM25\) only; re-index it once the model is installed/);

    const before = await call('documents.embedder');
    expect(before).toMatchObject({
      model: 'nomic-embed-text',
      installed: false,
      downloadBytes: 274_302_450,
      stale: 1,
    });
    expect(['full-gpu', 'partial', 'cpu']).toContain(before.verdict);
    expect(before.reason).toMatch(/needs [\d.]+ [MG]B .* at 2k context$/);
    // Asking (and attaching, and searching) never started a download.
    expect((await call('documents.search', { query: 'annual mean PM2.5 Kampala' })).mode).toBe('keyword');
    expect(f.emulator.requests.filter((r) => r.path === '/api/pull')).toHaveLength(0);

    // The person clicks Download: the pull manager fetches it.
    const done = new Promise<void>((resolve) => {
      const off = f.engine.events.on('models.pull', (p) => {
        if (p.name === 'nomic-embed-text:latest' && p.state === 'success') {
          off();
          resolve();
        }
      });
    });
    await call('models.pullStart', { name: 'nomic-embed-text:latest' });
    await done;
    expect(await call('documents.embedder')).toMatchObject({ installed: true, stale: 1 });

    const re = await call('documents.reindex', { id: added.document.id });
    expect(re).toMatchObject({ note: null, document: { embedModel: 'nomic-embed-text', chunks: 3 } });
    expect(await call('documents.embedder')).toMatchObject({ installed: true, stale: 0 });
    const found = await call('documents.search', { query: 'annual mean PM2.5 Kampala' });
    expect(found).toMatchObject({ mode: 'hybrid', note: null });
    expect(found.passages[0].cite).toBe('[annual-report.pdf, p. 2]');
    const embeds = f.emulator.requests.filter((r) => r.path === '/api/embed');
    expect((embeds.at(-1)!.body as { model: string }).model).toBe('nomic-embed-text');
  });
});
