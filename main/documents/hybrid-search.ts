import type { DocumentRow, DocumentsRepository, PassageRow } from './documents-repository';
import type { Embedder } from './ollama-embedder';
import { fromBlob, LITTLE_ENDIAN } from './vectors';

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

/** One document's vectors in a row-major matrix, read from the store once and kept until it changes. */
interface DocVectors {
  model: string;
  dims: number;
  ids: Int32Array;
  data: Float32Array;
}

/** Candidates taken from each ranking before fusion. */
const CANDIDATES = 50;
/** Reciprocal-rank fusion constant (Cormack et al. 2009): ranks matter, raw scores of the two never mix. */
const RRF_K = 60;

/** Words an FTS5 MATCH can take: letters and digits, quoted so `AND`, `-` or `"` in a question mean nothing. */
export function ftsQuery(question: string): string | null {
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+(?:[.,][\p{N}]+)?/gu) ?? [];
  const uniq = [...new Set(words.filter((w) => w.length > 1 || /\d/.test(w)))].slice(0, 32);
  return uniq.length ? uniq.map((w) => `"${w.replace(/"/g, '')}"`).join(' OR ') : null;
}

export class HybridSearch {
  private readonly cache = new Map<number, DocVectors>();

  constructor(
    private readonly repo: DocumentsRepository,
    private readonly embedder: () => Embedder | null,
  ) {}

  /** A document's vectors changed or it was deleted. */
  forget(docId: number): void {
    this.cache.delete(docId);
  }

  async search(question: string, docs: readonly DocumentRow[], limit = 5, signal?: AbortSignal): Promise<SearchResult> {
    const ids = docs.map((d) => d.id);
    const match = ftsQuery(question);
    const keyword = match ? this.repo.keywordSearch(match, ids, CANDIDATES).map((r) => r.id) : [];
    const embedder = this.embedder();
    let vector: number[] = [];
    let note: string | null = null;
    const embedded = embedder ? docs.filter((d) => d.embedModel === embedder.model) : [];
    if (!embedder) note = 'No embedding model is set up: keyword search (BM25) only.';
    else if (!embedded.length && docs.length) {
      note = `The documents have no ${embedder.model} vectors (re-index them once it is installed): keyword search (BM25) only.`;
    } else if (embedded.length) {
      try {
        const [q] = await embedder.embed([question], signal);
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

  /** Exact cosine (vectors are unit length, so a dot product) over every chunk: chunk ids, best first. */
  nearest(q: Float32Array, docs: readonly DocumentRow[], k: number): number[] {
    const top: Array<{ id: number; s: number }> = [];
    let floor = -Infinity;
    for (const d of docs) {
      const v = this.load(d);
      if (!v || v.dims !== q.length) continue;
      const { data, dims, ids } = v;
      const rows = ids.length;
      const tail = dims - (dims % 4);
      for (let row = 0, base = 0; row < rows; row++, base += dims) {
        // Four running sums: the hot loop of every search, ~40 M multiply-adds over 100k chunks.
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        let i = 0;
        for (; i < tail; i += 4) {
          s0 += q[i]! * data[base + i]!;
          s1 += q[i + 1]! * data[base + i + 1]!;
          s2 += q[i + 2]! * data[base + i + 2]!;
          s3 += q[i + 3]! * data[base + i + 3]!;
        }
        for (; i < dims; i++) s0 += q[i]! * data[base + i]!;
        const s = s0 + s1 + s2 + s3;
        if (top.length < k) {
          top.push({ id: ids[row]!, s });
          if (top.length === k) {
            top.sort((a, b) => b.s - a.s);
            floor = top[k - 1]!.s;
          }
        } else if (s > floor) {
          // Insert in order; k is small, so a shift beats a heap here.
          let j = k - 1;
          while (j > 0 && top[j - 1]!.s < s) {
            top[j] = top[j - 1]!;
            j--;
          }
          top[j] = { id: ids[row]!, s };
          floor = top[k - 1]!.s;
        }
      }
    }
    return top.sort((a, b) => b.s - a.s).map((t) => t.id);
  }

  private load(d: DocumentRow): DocVectors | null {
    if (!d.embedModel || !d.embedDims) return null;
    const hit = this.cache.get(d.id);
    if (hit && hit.model === d.embedModel) return hit;
    const ids: number[] = [];
    const data = new Float32Array(d.chunks * d.embedDims);
    const bytes = new Uint8Array(data.buffer);
    for (const r of this.repo.vectors([d.id])) {
      if (ids.length >= d.chunks) break;
      if (r.vector.byteLength !== d.embedDims * 4) continue; // a damaged or foreign row is not searched
      if (LITTLE_ENDIAN) bytes.set(r.vector, ids.length * d.embedDims * 4);
      else data.set(fromBlob(r.vector), ids.length * d.embedDims);
      ids.push(r.id);
    }
    const v = { model: d.embedModel, dims: d.embedDims, ids: Int32Array.from(ids), data };
    this.cache.set(d.id, v);
    return v;
  }
}
