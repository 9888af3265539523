import type { DocumentRow, DocumentsRepository, PassageRow } from './documents-repository';
import type { Embedder } from './ollama-embedder';
import { VectorIndex } from './vector-index';

interface Passage extends PassageRow {
  /** Fused rank score (higher is better). */
  score: number;
}

export interface SearchResult {
  /** `hybrid`: vectors and BM25; `keyword`: BM25 only (no embedding model, or it failed). */
  mode: 'hybrid' | 'keyword';
  /** Why the search was keyword-only, in words for the user and the model. */
  note: string | null;
  passages: Passage[];
}

/** Candidates taken from each ranking before fusion. */
const CANDIDATES = 50;
/** Reciprocal-rank fusion constant (Cormack et al. 2009): ranks matter, raw scores of the two never mix. */
const RRF_K = 60;

/**
 * English function words left out of the keyword query: BM25 gives them almost no weight, but each one matches
 * nearly every chunk, and FTS5 scores every match (a question's "what", "the", "in" made it rank the whole
 * library). A question of nothing else keeps them.
 */
const STOPWORDS = new Set(
  'a an and are as at be by can could did do does for from had has have how i in is it its of on or should that the their there these this to was were what when where which who why will with would you your'.split(
    ' ',
  ),
);

/** Words an FTS5 MATCH can take: letters and digits, quoted so `AND`, `-` or `"` in a question mean nothing. */
export function ftsQuery(question: string): string | null {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)?/gu) ?? [];
  const useful = words.filter((w) => w.length > 1 || /\d/.test(w));
  const content = useful.filter((w) => !STOPWORDS.has(w));
  const uniq = [...new Set(content.length ? content : useful)].slice(0, 32);
  return uniq.length ? uniq.map((w) => `"${w.replace(/"/g, '')}"`).join(' OR ') : null;
}

export class HybridSearch {
  private readonly index: VectorIndex;

  constructor(
    private readonly repo: DocumentsRepository,
    private readonly embedder: () => Embedder | null,
  ) {
    this.index = new VectorIndex(repo);
  }

  /** A document's vectors changed or it was deleted. */
  forget(docId: number): void {
    this.index.forget(docId);
  }

  /** A document was just stored with these vectors: its codes are built from them, not read back. */
  added(doc: DocumentRow, vectors: readonly Float32Array[] | null): void {
    if (vectors) this.index.add(doc, this.repo.chunkIds(doc.id), vectors);
  }

  async search(question: string, docs: readonly DocumentRow[], limit = 5, signal?: AbortSignal): Promise<SearchResult> {
    const ids = docs.map((d) => d.id);
    const embedder = this.embedder();
    const embedded = embedder ? docs.filter((d) => d.embedModel === embedder.model) : [];
    // The question's embedding is asked for first: Ollama computes it while BM25 runs here.
    const asked = embedder && embedded.length ? embedder.embed([question], signal) : null;
    asked?.catch(() => undefined); // its failure is handled below, once BM25 is done
    const match = ftsQuery(question);
    const keyword = match ? this.repo.keywordSearch(match, ids, CANDIDATES).map((r) => r.id) : [];
    let vector: number[] = [];
    let note: string | null = null;
    if (!embedder) note = 'No embedding model is set up: keyword search (BM25) only.';
    else if (!embedded.length && docs.length) {
      note = `The documents have no ${embedder.model} vectors (re-index them once it is installed): keyword search (BM25) only.`;
    } else if (asked) {
      try {
        const [q] = await asked;
        vector = this.nearest(q!, embedded, CANDIDATES);
      } catch (err) {
        note = `${(err as Error).message}; keyword search (BM25) only.`;
      }
    }
    const fused = new Map<number, number>();
    for (const list of [vector, keyword]) {
      list.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (RRF_K + rank + 1)));
    }
    const best = [...fused.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit);
    const rows = this.repo.passages(best.map(([id]) => id));
    const score = new Map(best);
    return {
      mode: vector.length ? 'hybrid' : 'keyword',
      note,
      passages: rows.map((r) => ({ ...r, score: score.get(r.chunkId) ?? 0 })),
    };
  }

  /** The `k` nearest chunks by cosine among `docs`' chunks (see VectorIndex): chunk ids, best first. */
  nearest(q: Float32Array, docs: readonly DocumentRow[], k: number): number[] {
    return this.index.nearest(q, docs, k);
  }

  /** Builds one document's part of the index ahead of a search. */
  warm(doc: DocumentRow): void {
    this.index.warm(doc);
  }

  /** Bytes the in-memory index holds now. */
  indexBytes(): number {
    return this.index.memoryBytes();
  }
}
