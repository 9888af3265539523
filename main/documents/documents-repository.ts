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

  /** Removes the document, its chunks, their FTS entries (trigger) and vectors. */
  delete(id: number): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM document_chunks WHERE doc_id = ?').run(id);
      return this.db.prepare('DELETE FROM documents WHERE id = ?').run(id).changes > 0;
    })();
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

  /** BM25 over the chunks of the given documents, best first (`score`: lower is better, as FTS5 gives it). */
  keywordSearch(match: string, docIds: readonly number[], limit: number): Array<{ id: number; score: number }> {
    if (!docIds.length) return [];
    return this.db
      .prepare(
        `SELECT f.rowid AS id, bm25(document_chunks_fts) AS score
         FROM document_chunks_fts f JOIN document_chunks c ON c.id = f.rowid
         WHERE document_chunks_fts MATCH ? AND c.doc_id IN (SELECT value FROM json_each(?))
         ORDER BY score LIMIT ?`,
      )
      .all(match, JSON.stringify(docIds), limit) as Array<{ id: number; score: number }>;
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
