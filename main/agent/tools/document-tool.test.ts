import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { ManualClock } from '../../../test/doubles/manual-clock';
import { DocumentsService } from '../../documents/documents-service';
import { openStore, type Store } from '../../store/store';
import { Gazetteer } from '../../airquality/gazetteer/gazetteer';
import { buildSystemPrompt } from '../../chat/system-prompt';
import { proactiveContext } from '../agent-loop';
import { documentTools } from './document-tool';
import { ToolRegistry } from './tool-registry';

let tmp: ReturnType<typeof makeTempDir>;
let store: Store;
let documents: DocumentsService;
let tools: ToolRegistry;

beforeEach(() => {
  tmp = makeTempDir();
  store = openStore(path.join(tmp.dir, 'store.db'), new ManualClock());
  documents = new DocumentsService({ db: () => store.db, clock: new ManualClock(), embedder: () => null });
  tools = new ToolRegistry();
  for (const t of documentTools(documents)) tools.register(t);
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

const report = () =>
  new Uint8Array(fs.readFileSync(path.join(import.meta.dirname, '../../documents/fixtures/annual-report.pdf')));

describe('search_documents / scan_document', () => {
  it('gives the best passages with file, page and the citation to use', async () => {
    store.sessions.create({ id: 's1' });
    await documents.add({ name: 'annual-report.pdf', bytes: report(), sessionId: 's1' });
    const out = await tools.execute('search_documents', { query: 'annual mean PM2.5 Kampala' }, { sessionId: 's1' });
    expect(out.ok).toBe(true);
    const data = (
      out.result as { ok: true; data: { search: string; note: string; passages: Array<Record<string, unknown>> } }
    ).data;
    expect(data.search).toBe('keyword');
    expect(data.note).toMatch(/keyword search \(BM25\) only/);
    expect(data.passages[0]).toMatchObject({ cite: '[annual-report.pdf, p. 2]', file: 'annual-report.pdf', page: 2 });
    expect(out.meta.sources).toEqual(['annual-report.pdf']);
    // The original server's name answers the same.
    const scan = await tools.execute('scan_document', { query: 'Gulu Mbarara' }, { sessionId: 's1' });
    expect(JSON.parse(scan.content).data.passages[0].cite).toBe('[annual-report.pdf, p. 3]');
  });

  it('another conversation does not see a conversation’s document; the tool says there is none', async () => {
    store.sessions.create({ id: 's1' });
    store.sessions.create({ id: 's2' });
    await documents.add({ name: 'annual-report.pdf', bytes: report(), sessionId: 's1' });
    const out = await tools.execute('search_documents', { query: 'PM2.5' }, { sessionId: 's2' });
    expect(out.ok).toBe(false);
    expect(out.result).toMatchObject({ ok: false, error: { code: 'no_data' } });
  });

  it('models without tools get the passages put in front of them', async () => {
    await documents.add({ name: 'annual-report.pdf', bytes: report(), sessionId: null });
    const context = await proactiveContext(
      'What does the report recommend for Gulu?',
      new Gazetteer({ rows: [] }),
      (n, a) => tools.execute(n, a, {}),
      true,
    );
    expect(context).toMatch(/Passages from the attached documents/);
    expect(context).toMatch(/\[annual-report\.pdf, p\. 3\]/);
  });

  it('the system prompt asks for [file, p. N] citations when there are documents', () => {
    const p = buildSystemPrompt({ style: 'general', now: 0, tools: 'native', documents: true });
    expect(p).toMatch(/use search_documents/);
    expect(p).toMatch(/\[annual-report\.pdf, p\. 12\]/);
    expect(buildSystemPrompt({ style: 'general', now: 0, tools: 'native' })).not.toMatch(/search_documents/);
  });
});
