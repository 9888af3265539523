import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { ManualClock } from '../../test/doubles/manual-clock';
import { openStore, type Store } from '../store/store';
import type { Chunk } from './chunking';
import { DocumentsRepository, type DocumentRow } from './documents-repository';
import { ftsQuery } from './hybrid-search';
import { VectorIndex } from './vector-index';
import { normalize } from './vectors';

let tmp: ReturnType<typeof makeTempDir>;
let store: Store;
let repo: DocumentsRepository;

beforeEach(() => {
  tmp = makeTempDir('aeris-vindex-');
  store = openStore(path.join(tmp.dir, 'store.db'), new ManualClock());
  repo = new DocumentsRepository(store.db, new ManualClock());
});
afterEach(() => {
  store.close();
  tmp.cleanup();
});

let seed = 7;
const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
const randomVector = (dims: number) => normalize(Array.from({ length: dims }, rand));

function addDoc(name: string, vectors: Float32Array[] | null, texts?: string[]): DocumentRow {
  const n = vectors?.length ?? texts!.length;
  const chunks: Chunk[] = Array.from({ length: n }, (_, i) => ({
    seq: i,
    page: 1,
    label: 'p. 1',
    text: texts?.[i] ?? `${name} chunk ${i}`,
  }));
  return repo.insert({
    sessionId: null,
    name,
    kind: 'text',
    sizeBytes: 1,
    sha256: '',
    pages: 1,
    embedModel: 'test-embed',
    chunks,
    vectors,
  });
}

/** The reference: exact cosine over every stored vector of the documents. */
function exactTop(q: Float32Array, docs: DocumentRow[], k: number): number[] {
  const scored: Array<{ id: number; s: number }> = [];
  for (const d of docs) {
    for (const r of repo.vectors([d.id])) {
      const v = new Float32Array(new Uint8Array(r.vector).buffer);
      scored.push({ id: r.id, s: v.reduce((s, x, i) => s + x * q[i]!, 0) });
    }
  }
  return scored
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((x) => x.id);
}

describe('VectorIndex (sign bits in memory, exact re-rank from the store)', () => {
  it('returns exactly the exact scan’s top k when the candidates cover the library', () => {
    // 600 chunks: under the 8,000 candidates, so the sign bits keep every chunk, and 200 are re-ranked exactly.
    const docs = [0, 1, 2].map((d) =>
      addDoc(
        `d${d}.txt`,
        Array.from({ length: 200 }, () => randomVector(100)),
      ),
    );
    const index = new VectorIndex(repo);
    for (let i = 0; i < 5; i++) {
      const q = randomVector(100);
      expect(index.nearest(q, docs, 10)).toEqual(exactTop(q, docs, 10));
    }
  });

  it('finds a near copy of a stored vector first among 6,000 chunks when sign bits keep only 1 %', () => {
    const vectors = Array.from({ length: 6000 }, () => randomVector(384));
    const docs = [addDoc('a.txt', vectors.slice(0, 3000)), addDoc('b.txt', vectors.slice(3000))];
    const index = new VectorIndex(repo, { candidates: 60, share: 0.01, rerank: 10 });
    const ids = [...repo.vectors([docs[0]!.id, docs[1]!.id])].map((r) => r.id);
    for (const target of [17, 2999, 4321]) {
      // The question: the stored vector with 10 % noise added (cosine about 0.99 to it).
      const q = normalize(vectors[target]!.map((x) => x + 0.1 * rand() * Math.sqrt(3 / 384)));
      expect(index.nearest(q, docs, 5)[0]).toBe(ids[target]);
    }
  });

  it('keeps in sync: a stored document is searchable from the vectors in hand, a forgotten one is gone', () => {
    const reads: number[] = [];
    // The real repository, counting the documents whose vectors are read back in full.
    const source = {
      vectorsOf: (ids: readonly number[]) => repo.vectorsOf(ids),
      vectors: (docIds: readonly number[]) => {
        reads.push(...docIds);
        return repo.vectors(docIds);
      },
    };
    const index = new VectorIndex(source);
    const first = addDoc(
      'first.txt',
      Array.from({ length: 50 }, () => randomVector(64)),
    );
    const vs = Array.from({ length: 50 }, () => randomVector(64));
    const second = addDoc('second.txt', vs);
    index.add(second, repo.chunkIds(second.id), vs);
    const hit = index.nearest(vs[3]!, [first, second], 1);
    expect(hit).toEqual([repo.chunkIds(second.id)[3]]);
    expect(reads).toEqual([first.id]); // only the document it had not been given
    // Per chunk: 64 sign bits (8 bytes), 64 int8 codes, a 4-byte scale and a 4-byte id.
    expect(index.memoryBytes()).toBe(100 * (8 + 64 + 4 + 4));

    repo.delete(second.id);
    index.forget(second.id);
    expect(index.nearest(vs[3]!, [first], 5).every((id) => !repo.chunkIds(second.id).includes(id))).toBe(true);
    expect(index.memoryBytes()).toBe(50 * 80);
  });

  it('skips a stored vector of the wrong size and a question of other dimensions', () => {
    const doc = addDoc(
      'd.txt',
      Array.from({ length: 20 }, () => randomVector(32)),
    );
    const [bad] = repo.chunkIds(doc.id);
    store.db.prepare('UPDATE document_chunks SET vector = ? WHERE id = ?').run(Buffer.alloc(7), bad);
    const index = new VectorIndex(repo);
    const got = index.nearest(randomVector(32), [doc], 50);
    expect(got).toHaveLength(19);
    expect(got).not.toContain(bad);
    expect(index.nearest(randomVector(48), [doc], 5)).toEqual([]);
  });
});

describe('keyword search over some documents', () => {
  const reference = (match: string, docIds: number[]) =>
    (
      store.db
        .prepare(
          `SELECT f.rowid AS id FROM document_chunks_fts f JOIN document_chunks c ON c.id = f.rowid
           WHERE document_chunks_fts MATCH ? AND c.doc_id IN (SELECT value FROM json_each(?))
           ORDER BY bm25(document_chunks_fts), f.rowid`,
        )
        .all(match, JSON.stringify(docIds)) as Array<{ id: number }>
    ).map((r) => r.id);

  it('ranks the same chunks as joining every match to its document, with gaps and split documents', () => {
    const words = ['ozone', 'dust', 'sensor', 'kampala', 'rain', 'traffic'];
    const text = (i: number) => `${words[i % 6]} ${words[(i * 5) % 6]} reading ${i}`;
    const docs = [0, 1, 2, 3, 4].map((d) =>
      addDoc(
        `d${d}.txt`,
        null,
        Array.from({ length: 30 }, (_, i) => text(i + d)),
      ),
    );
    repo.delete(docs[2]!.id); // a gap in the chunk ids
    // A chunk added to the first document later: its ids are no longer one run.
    store.db
      .prepare('INSERT INTO document_chunks (doc_id, seq, page, label, text) VALUES (?, 99, 1, ?, ?)')
      .run(docs[0]!.id, 'p. 1', 'ozone ozone ozone late reading');
    const sets = [[docs[0]!.id], [docs[0]!.id, docs[1]!.id], [docs[1]!.id, docs[3]!.id, docs[4]!.id], [docs[4]!.id]];
    for (const ids of sets) {
      for (const q of ['ozone', 'dust OR kampala', 'late OR reading']) {
        const match = ftsQuery(q)!;
        const rows = repo.keywordSearch(match, ids, 100);
        expect(new Set(rows.map((r) => r.id)), `${q} in ${ids.join(',')}`).toEqual(new Set(reference(match, ids)));
        expect(rows.every((r, i) => i === 0 || rows[i - 1]!.score <= r.score)).toBe(true);
      }
    }
    const all = [docs[0]!.id, docs[1]!.id, docs[3]!.id, docs[4]!.id];
    // The whole library: one ranked query, no ranges.
    expect(new Set(repo.keywordSearch(ftsQuery('ozone')!, all, 100).map((r) => r.id))).toEqual(
      new Set(reference(ftsQuery('ozone')!, all)),
    );
    expect(repo.keywordSearch(ftsQuery('late reading')!, all, 1)[0]!.id).toBe(reference(ftsQuery('late')!, all)[0]);
  });

  it('leaves out function words unless the question has nothing else', () => {
    expect(ftsQuery('What was the annual mean PM2.5 in Kampala?')).toBe('"annual" OR "mean" OR "pm2.5" OR "kampala"');
    expect(ftsQuery('What is it?')).toBe('"what" OR "is" OR "it"');
  });
});
