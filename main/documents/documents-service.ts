import { engineMessage } from '../../preload/shared/engine-messages';
import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock';
import type { ComponentLogger } from '../core/logger';
import type { Db } from '../store/database';
import { chunkPages, DEFAULT_CHUNKING, type ChunkOptions } from './chunking';
import { DocumentError, type DocumentLimits } from './document-types';
import { DocumentsRepository, type DocumentRow, type PassageRow } from './documents-repository';
import { extractInWorker, type Extractor } from './extract-in-worker';
import { HybridSearch, type SearchResult } from './hybrid-search';
import type { Embedder } from './ollama-embedder';

interface DocumentsServiceDeps {
  /** The store's database now (a restore swaps it), as ImportsService takes it. */
  db: () => Db;
  clock: Clock;
  /** The embedder in use now (the configured Ollama model), or null for keyword search only. */
  embedder: () => Embedder | null;
  extractor?: Extractor;
  limits?: Partial<DocumentLimits>;
  chunking?: ChunkOptions;
  logger?: ComponentLogger;
}

interface AddedDocument {
  document: DocumentRow;
  /** Why the document has no vectors (keyword search only), in words; null when it has them. */
  note: string | null;
}

/** The documents library: attach (extract on a worker, chunk, embed, store), list, search, re-index, delete. */
export class DocumentsService {
  private bound: { db: Db; repo: DocumentsRepository; searcher: HybridSearch } | null = null;

  constructor(private readonly deps: DocumentsServiceDeps) {}

  /** Repository and vector cache for the database in use now: a restored store starts a fresh cache. */
  get repo(): DocumentsRepository {
    return this.current().repo;
  }

  private get searcher(): HybridSearch {
    return this.current().searcher;
  }

  private current(): { db: Db; repo: DocumentsRepository; searcher: HybridSearch } {
    const db = this.deps.db();
    if (this.bound?.db !== db) {
      const repo = new DocumentsRepository(db, this.deps.clock);
      this.bound = { db, repo, searcher: new HybridSearch(repo, this.deps.embedder) };
    }
    return this.bound;
  }

  async add(input: { name: string; bytes: Uint8Array; sessionId: string | null }): Promise<AddedDocument> {
    const name = input.name.replace(/[\\/]/g, '_').slice(0, 200) || 'document';
    const doc = await (this.deps.extractor ?? extractInWorker)({ name, bytes: input.bytes, limits: this.deps.limits });
    const chunks = chunkPages(doc.pages, this.deps.chunking ?? DEFAULT_CHUNKING);
    if (!chunks.length)
      throw new DocumentError('empty', `${name} holds no text.`, engineMessage('document.noText', { name }));
    const { vectors, note } = await this.embed(chunks.map((c) => c.text));
    const document = this.repo.insert({
      sessionId: input.sessionId,
      name,
      kind: doc.kind,
      sizeBytes: input.bytes.byteLength,
      sha256: createHash('sha256').update(input.bytes).digest('hex'),
      pages: doc.pageCount,
      embedModel: this.deps.embedder()?.model ?? null,
      chunks,
      vectors,
    });
    this.searcher.added(document, vectors);
    this.deps.logger?.info('document attached', {
      id: document.id,
      kind: doc.kind,
      chunks: chunks.length,
      vectors: !!vectors,
    });
    return { document, note };
  }

  /** The embedding model in use now; null: keyword search only. */
  embedModel(): string | null {
    return this.deps.embedder()?.model ?? null;
  }

  /**
   * Builds the vector index after `delayMs`, one document per turn of the event loop, so the first search does
   * not read every stored vector at once on the engine's thread (100,000 chunks: seconds).
   */
  warmIndex(delayMs: number): void {
    this.stopWarming();
    const timer = setTimeout(() => {
      let docs: DocumentRow[];
      try {
        docs = this.repo.list().filter((d) => d.embedModel);
      } catch (err) {
        this.deps.logger?.warn('document index not warmed', { error: (err as Error).message });
        return;
      }
      const next = () => {
        const d = this.warming === timer ? docs.shift() : undefined;
        if (!d) return;
        try {
          this.searcher.warm(d);
        } catch (err) {
          // The store closed or was swapped meanwhile: the next search builds what it needs.
          this.deps.logger?.warn('document index not warmed', { error: (err as Error).message });
          return;
        }
        setImmediate(next);
      };
      next();
    }, delayMs);
    timer.unref();
    this.warming = timer;
  }

  /** Stops warming the index (the engine is closing, or a new warm-up replaces this one). */
  stopWarming(): void {
    if (this.warming) clearTimeout(this.warming);
    this.warming = null;
  }

  private warming: NodeJS.Timeout | null = null;

  /** Bytes the vector index holds in memory now. */
  indexBytes(): number {
    return this.searcher.indexBytes();
  }

  list(sessionId?: string | null): DocumentRow[] {
    return this.repo.list(sessionId);
  }

  /** Whether a conversation sees any document, without reading them (asked before every reply). */
  hasAny(sessionId: string): boolean {
    return this.repo.hasAny(sessionId);
  }

  get(id: number): DocumentRow | null {
    return this.repo.get(id);
  }

  /** Shares a document with every conversation (`null`), or keeps it to one. */
  setSession(id: number, sessionId: string | null): DocumentRow | null {
    return this.repo.setSession(id, sessionId) ? this.repo.get(id) : null;
  }

  delete(id: number): boolean {
    this.searcher.forget(id);
    return this.repo.delete(id);
  }

  /** Embeds a document's chunks again with the model in use now (after pulling one, or changing it). */
  async reindex(id: number): Promise<AddedDocument> {
    const doc = this.repo.get(id);
    if (!doc) {
      throw new DocumentError(
        'not-found',
        `Document ${id} does not exist.`,
        engineMessage('document.notFound', { id: String(id) }),
      );
    }
    const chunks = this.repo.chunkTexts(id);
    const { vectors, note } = await this.embed(chunks.map((c) => c.text));
    const model = this.deps.embedder()?.model ?? null;
    this.repo.setVectors(id, model, new Map(vectors ? chunks.map((c, i) => [c.id, vectors[i]!]) : []));
    this.searcher.forget(id);
    const updated = this.repo.get(id)!;
    this.searcher.added(updated, vectors);
    return { document: updated, note };
  }

  /** The best passages for a question across a conversation's documents and the shared ones. */
  search(
    question: string,
    opts: { sessionId?: string | null; docIds?: number[]; limit?: number } = {},
  ): Promise<SearchResult> {
    let docs = this.repo.list(opts.sessionId);
    if (opts.docIds) docs = docs.filter((d) => opts.docIds!.includes(d.id));
    return this.searcher.search(question, docs, opts.limit ?? 5);
  }

  /** What a citation `[file, label]` in an answer points at, for a click on it. */
  cited(file: string, label: string | null, sessionId?: string | null): PassageRow[] {
    const ids = this.repo.list(sessionId).map((d) => d.id);
    return this.repo.cited(file, label, ids);
  }

  passage(chunkId: number): PassageRow | null {
    return this.repo.passage(chunkId);
  }

  private async embed(texts: string[]): Promise<{ vectors: Float32Array[] | null; note: string | null }> {
    const embedder = this.deps.embedder();
    if (!embedder)
      return { vectors: null, note: 'No embedding model is set up: the document is searched by keywords (BM25) only.' };
    try {
      return { vectors: await embedder.embed(texts), note: null };
    } catch (err) {
      this.deps.logger?.warn('document embedding failed; keyword search only', { error: (err as Error).message });
      return {
        vectors: null,
        note: `${(err as Error).message}. The document is searched by keywords (BM25) only; re-index it once the model is installed.`,
      };
    }
  }
}

/** `[annual-report.pdf, p. 12]`: how answers cite a passage. */
export function citationOf(p: Pick<PassageRow, 'file' | 'label'>): string {
  return p.label ? `[${p.file}, ${p.label}]` : `[${p.file}]`;
}
