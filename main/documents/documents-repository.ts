import type { Clock } from '../core/clock';
import type { Db } from '../store/database';
import type { Chunk } from './chunking';
import type { DocumentKind } from './document-types';
import { toBlob } from './vectors';

export interface DocumentRow {
  id: number;
  /** null: shared by every conversation. */
  sessionId: string | null;
  name: string;
  kind: DocumentKind;
  sizeBytes: number;
  sha256: string;
  pages: number | null;
  chunks: number;
  /** The model that made the vectors; null: keyword search only. */
  embedModel: string | null;
  embedDims: number | null;
  createdAt: number;
}

export interface PassageRow {
  chunkId: number;
  docId: number;
  file: string;
  page: number | null;
  label: string | null;
  text: string;
}

interface RawDoc {
  id: number;
  session_id: string | null;
  name: string;
  kind: DocumentKind;
  size_bytes: number;
  sha256: string;
  pages: number | null;
  chunks: number;
  embed_model: string | null;
  embed_dims: number | null;
  created_at: number;
}

const toRow = (r: RawDoc): DocumentRow => ({
  id: r.id,
  sessionId: r.session_id,
  name: r.name,
  kind: r.kind,
  sizeBytes: r.size_bytes,
  sha256: r.sha256,
  pages: r.pages,
  chunks: r.chunks,
  embedModel: r.embed_model,
  embedDims: r.embed_dims,
  createdAt: r.created_at,
});

interface NewDocument {
  sessionId: string | null;
  name: string;
  kind: DocumentKind;
  sizeBytes: number;
  sha256: string;
  pages: number | null;
  embedModel: string | null;
  chunks: readonly Chunk[];
  /** One per chunk, in order, or null for keyword search only. */
  vectors: readonly Float32Array[] | null;
}

export class DocumentsRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  insert(d: NewDocument): DocumentRow {
    return this.db.transaction(() => {
      const dims = d.vectors?.[0]?.length ?? null;
      const info = this.db
        .prepare(
          `INSERT INTO documents (session_id, name, kind, size_bytes, sha256, pages, chunks, embed_model, embed_dims, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          d.sessionId,
          d.name,
          d.kind,
          d.sizeBytes,
          d.sha256,
          d.pages,
          d.chunks.length,
          d.vectors ? d.embedModel : null,
          dims,
          this.clock.now(),
        );
      const id = Number(info.lastInsertRowid);
      const add = this.db.prepare(
        'INSERT INTO document_chunks (doc_id, seq, page, label, text, vector) VALUES (?, ?, ?, ?, ?, ?)',
      );
      d.chunks.forEach((c, i) => {
        const v = d.vectors?.[i];
        add.run(id, c.seq, c.page, c.label, c.text, v ? toBlob(v) : null);
      });
      return this.get(id)!;
    })();
  }

  get(id: number): DocumentRow | null {
    const r = this.db.prepare('SELECT * FROM documents WHERE id = ?').get(id) as RawDoc | undefined;
    return r ? toRow(r) : null;
  }

  /** Whether a conversation sees any document (its own or one shared); asked before every reply, so prepared once. */
  hasAny(sessionId: string): boolean {
    this.anyStmt ??= this.db.prepare('SELECT 1 FROM documents WHERE session_id = ? OR session_id IS NULL LIMIT 1');
    return this.anyStmt.get(sessionId) !== undefined;
  }

  private anyStmt: ReturnType<Db['prepare']> | null = null;

  /** A conversation's documents and the shared ones; every document when no conversation is given. */
  list(sessionId?: string | null): DocumentRow[] {
    const rows = (
      sessionId
        ? this.db
            .prepare('SELECT * FROM documents WHERE session_id = ? OR session_id IS NULL ORDER BY created_at, id')
            .all(sessionId)
        : this.db.prepare('SELECT * FROM documents ORDER BY created_at, id').all()
    ) as RawDoc[];
    return rows.map(toRow);
  }

  /** Moves a document to a conversation, or shares it with every conversation (`null`). */
  setSession(id: number, sessionId: string | null): boolean {
    return this.db.prepare('UPDATE documents SET session_id = ? WHERE id = ?').run(sessionId, id).changes > 0;
  }

  /** Removes the document, its chunks, their FTS entries (trigger) and vectors. */
  delete(id: number): boolean {
    this.ranges.delete(id);
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM document_chunks WHERE doc_id = ?').run(id);
      return this.db.prepare('DELETE FROM documents WHERE id = ?').run(id).changes > 0;
    })();
  }

  chunkIds(docId: number): number[] {
    return (
      this.db.prepare('SELECT id FROM document_chunks WHERE doc_id = ? ORDER BY seq').all(docId) as Array<{
        id: number;
      }>
    ).map((r) => r.id);
  }

  chunkTexts(docId: number): Array<{ id: number; text: string }> {
    return this.db.prepare('SELECT id, text FROM document_chunks WHERE doc_id = ? ORDER BY seq').all(docId) as Array<{
      id: number;
      text: string;
    }>;
  }

  /** Replaces a document's vectors (re-index with another model, or first vectors after a model was pulled). */
  setVectors(docId: number, model: string | null, vectors: ReadonlyMap<number, Float32Array>): void {
    this.db.transaction(() => {
      const set = this.db.prepare('UPDATE document_chunks SET vector = ? WHERE id = ? AND doc_id = ?');
      this.db.prepare('UPDATE document_chunks SET vector = NULL WHERE doc_id = ?').run(docId);
      let dims: number | null = null;
      for (const [id, v] of vectors) {
        set.run(toBlob(v), id, docId);
        dims = v.length;
      }
      this.db
        .prepare('UPDATE documents SET embed_model = ?, embed_dims = ? WHERE id = ?')
        .run(vectors.size ? model : null, dims, docId);
    })();
  }

  /** Every stored vector of the given documents: `[chunk id, doc id, blob]`. */
  *vectors(docIds: readonly number[]): Generator<{ id: number; doc_id: number; vector: Buffer }> {
    const stmt = this.db.prepare(
      'SELECT id, doc_id, vector FROM document_chunks WHERE doc_id = ? AND vector IS NOT NULL ORDER BY seq',
    );
    for (const d of docIds) yield* stmt.iterate(d) as Iterable<{ id: number; doc_id: number; vector: Buffer }>;
  }

  /** The float32 vectors of these chunks (for the exact re-rank of a search's candidates). */
  vectorsOf(chunkIds: readonly number[]): Array<{ id: number; vector: Buffer }> {
    if (!chunkIds.length) return [];
    return this.db
      .prepare(
        'SELECT id, vector FROM document_chunks WHERE id IN (SELECT value FROM json_each(?)) AND vector IS NOT NULL',
      )
      .all(JSON.stringify(chunkIds)) as Array<{ id: number; vector: Buffer }>;
  }

  /**
   * BM25 over the chunks of the given documents, best first (`score`: lower is better, as FTS5 gives it).
   * Over the whole library the FTS5 index is ranked alone (`ORDER BY rank`); over some documents each is
   * ranked within its range of chunk ids (a rowid range FTS5 walks directly) and the lists merged: BM25's
   * statistics are the whole index's either way, so the scores compare. Joining every match to its chunk row
   * to filter by document cost 3× as much over 100,000 chunks (bench/documents.bench.ts).
   */
  keywordSearch(match: string, docIds: readonly number[], limit: number): Array<{ id: number; score: number }> {
    if (!docIds.length) return [];
    const total = (this.db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n;
    if (new Set(docIds).size >= total) {
      return this.db
        .prepare(
          'SELECT rowid AS id, rank AS score FROM document_chunks_fts WHERE document_chunks_fts MATCH ? ORDER BY rank LIMIT ?',
        )
        .all(match, limit) as Array<{ id: number; score: number }>;
    }
    // bm25() sorted by SQLite, not FTS5's `ORDER BY rank`: its sorter ignores a bound rowid range and ranks every
    // match in the index (25 ms a document over 100,000 chunks, against about 1 ms).
    const ranged = this.db.prepare(
      `SELECT rowid AS id, bm25(document_chunks_fts) AS score FROM document_chunks_fts
       WHERE document_chunks_fts MATCH ? AND rowid BETWEEN ? AND ? ORDER BY score LIMIT ?`,
    );
    const out: Array<{ id: number; score: number }> = [];
    for (const range of this.chunkRanges(docIds)) {
      out.push(...(ranged.all(match, range.lo, range.hi, limit) as Array<{ id: number; score: number }>));
    }
    return out.sort((a, b) => a.score - b.score).slice(0, limit);
  }

  /**
   * Each document's chunk ids as ranges. A document's chunks are inserted in one transaction, so their ids are
   * consecutive; a document whose ids are not (never seen, but nothing enforces it) is split into its runs.
   */
  private chunkRanges(docIds: readonly number[]): Array<{ lo: number; hi: number }> {
    const out: Array<{ lo: number; hi: number }> = [];
    for (const d of new Set(docIds)) {
      let r = this.ranges.get(d);
      if (!r) this.ranges.set(d, (r = this.readRanges(d)));
      out.push(...r);
    }
    // Documents attached one after another hold neighbouring ranges: one query covers them all.
    out.sort((a, b) => a.lo - b.lo);
    const merged: Array<{ lo: number; hi: number }> = [];
    for (const r of out) {
      const last = merged[merged.length - 1];
      if (last && r.lo === last.hi + 1) last.hi = r.hi;
      else merged.push({ ...r });
    }
    return merged;
  }

  /** A document's chunks never change once stored (re-indexing changes only vectors), so ranges are kept. */
  private readonly ranges = new Map<number, Array<{ lo: number; hi: number }>>();

  private readRanges(d: number): Array<{ lo: number; hi: number }> {
    const span = this.db.prepare(
      'SELECT MIN(id) AS lo, MAX(id) AS hi, COUNT(*) AS n FROM document_chunks WHERE doc_id = ?',
    );
    const ids = this.db.prepare('SELECT id FROM document_chunks WHERE doc_id = ? ORDER BY id');
    const s = span.get(d) as { lo: number | null; hi: number | null; n: number };
    if (s.lo === null || s.hi === null) return [];
    if (s.hi - s.lo + 1 === s.n) return [{ lo: s.lo, hi: s.hi }];
    const out: Array<{ lo: number; hi: number }> = [];
    let run: { lo: number; hi: number } | null = null;
    for (const { id } of ids.iterate(d) as Iterable<{ id: number }>) {
      if (run && id === run.hi + 1) run.hi = id;
      else out.push((run = { lo: id, hi: id }));
    }
    return out;
  }

  passages(chunkIds: readonly number[]): PassageRow[] {
    if (!chunkIds.length) return [];
    const rows = this.db
      .prepare(
        `SELECT c.id AS chunkId, c.doc_id AS docId, d.name AS file, c.page, c.label, c.text
         FROM document_chunks c JOIN documents d ON d.id = c.doc_id
         WHERE c.id IN (SELECT value FROM json_each(?))`,
      )
      .all(JSON.stringify(chunkIds)) as PassageRow[];
    const byId = new Map(rows.map((r) => [r.chunkId, r]));
    return chunkIds.flatMap((id) => byId.get(id) ?? []);
  }

  /** The chunks of one page (or sheet, or a page-less document) of the named file among `docIds`. */
  cited(file: string, label: string | null, docIds: readonly number[]): PassageRow[] {
    return this.db
      .prepare(
        `SELECT c.id AS chunkId, c.doc_id AS docId, d.name AS file, c.page, c.label, c.text
         FROM document_chunks c JOIN documents d ON d.id = c.doc_id
         WHERE d.name = ? AND c.label IS ? AND d.id IN (SELECT value FROM json_each(?))
         ORDER BY d.id DESC, c.seq LIMIT 20`,
      )
      .all(file, label, JSON.stringify(docIds)) as PassageRow[];
  }

  passage(chunkId: number): PassageRow | null {
    return this.passages([chunkId])[0] ?? null;
  }
}
