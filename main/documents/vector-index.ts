import type { DocumentRow } from './documents-repository';
import { fromBlob, LITTLE_ENDIAN } from './vectors';

/**
 * The in-memory side of vector search, in three stages, so 100,000 chunks of a 384-dim model take about 44 MB
 * (768 dims: 87 MB) instead of 154 MB (307 MB) as float32, and a search reads 12 words per chunk, not 384 floats:
 * 1. one sign bit per dimension of each embedding (binary quantization): every chunk is ranked by Hamming
 *    distance to the question's bits;
 * 2. the closest `candidates` are scored with int8 codes of their vectors (one scale per vector);
 * 3. the best `rerank` of those are scored exactly, on their float32 vectors read back from the store.
 * What it returns is exact whenever the right chunks survive stages 1 and 2: stage 1 keeps every chunk of a
 * library under `candidates`, and stage 2 only has to place them among the best 200 by a close int8 estimate.
 *
 * Measured against exact float32 scans, sqlite-vec 0.1.9 (vec0, float) and int8 codes in
 * `bench/documents.bench.ts` and the commit that added this file.
 */

/** Where the float32 vectors of some chunks are read for the exact re-rank. */
interface FloatVectorSource {
  /** The stored vectors of these chunk ids (any order; missing ids are skipped). */
  vectorsOf(chunkIds: readonly number[]): Iterable<{ id: number; vector: Uint8Array }>;
  /** Every stored vector of one document, in chunk order. */
  vectors(docIds: readonly number[]): Iterable<{ id: number; vector: Uint8Array }>;
}

interface DocCodes {
  model: string;
  dims: number;
  ids: Int32Array;
  /** `ceil(dims / 32)` words per chunk, row-major. */
  bits: Uint32Array;
  /** `dims` int8 per chunk, row-major: round(x · 127 / max|x|). */
  codes: Int8Array;
  /** Per chunk: max|x| / 127, to turn an int8 dot product back into a cosine. */
  scales: Float32Array;
}

/**
 * Stage 1 keeps 8 % of the chunks (at least 8,000), stage 2 the best 200 of those: on the bench's uniformly
 * random vectors, the hardest case for sign bits, that kept recall@50 against an exact scan above 0.95.
 */
const DEFAULT_CANDIDATES = 8000;
const CANDIDATE_SHARE = 0.08;
const RERANK = 200;

/** Sign bits of a vector, written at word `at` of `out`. */
function signBits(v: Float32Array, out: Uint32Array = new Uint32Array(Math.ceil(v.length / 32)), at = 0) {
  for (let i = 0; i < v.length; i++) if (v[i]! > 0) out[at + (i >>> 5)]! |= 1 << (i & 31);
  return out;
}

/** Row `row` of a document's codes from one float vector. */
function encode(v: Float32Array, c: DocCodes, row: number): void {
  const words = Math.ceil(c.dims / 32);
  signBits(v, c.bits, row * words);
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  const scale = max / 127 || 1;
  c.scales[row] = scale;
  const base = row * c.dims;
  for (let i = 0; i < v.length; i++) c.codes[base + i] = Math.round(v[i]! / scale);
}

function emptyCodes(model: string, dims: number, rows: number): DocCodes {
  return {
    model,
    dims,
    ids: new Int32Array(rows),
    bits: new Uint32Array(rows * Math.ceil(dims / 32)),
    codes: new Int8Array(rows * dims),
    scales: new Float32Array(rows),
  };
}

/** A stored vector as floats: an aligned copy, since a BLOB's bytes may start at any offset. */
function floats(blob: Uint8Array, dims: number): Float32Array {
  if (!LITTLE_ENDIAN) return fromBlob(blob);
  const v = new Float32Array(dims);
  new Uint8Array(v.buffer).set(blob);
  return v;
}

export class VectorIndex {
  private readonly docs = new Map<number, DocCodes>();

  constructor(
    private readonly source: FloatVectorSource,
    private readonly tuning: { candidates: number; share: number; rerank: number } = {
      candidates: DEFAULT_CANDIDATES,
      share: CANDIDATE_SHARE,
      rerank: RERANK,
    },
  ) {}

  /** A document's vectors changed or it was deleted: its codes are dropped (and rebuilt on its next search). */
  forget(docId: number): void {
    this.docs.delete(docId);
  }

  /** Codes for a document just stored, from the vectors in hand (no read back). */
  add(doc: DocumentRow, ids: readonly number[], vectors: readonly Float32Array[]): void {
    if (!doc.embedModel || !doc.embedDims || ids.length !== vectors.length) return;
    if (vectors.some((v) => v.length !== doc.embedDims)) return;
    const c = emptyCodes(doc.embedModel, doc.embedDims, ids.length);
    vectors.forEach((v, row) => {
      c.ids[row] = ids[row]!;
      encode(v, c, row);
    });
    this.docs.set(doc.id, c);
  }

  /** Builds a document's codes now (from its stored vectors) unless they are there already. */
  warm(doc: DocumentRow): void {
    this.load(doc);
  }

  /** Bytes held for the codes and ids of every loaded document. */
  memoryBytes(): number {
    let n = 0;
    for (const d of this.docs.values())
      n += d.bits.byteLength + d.ids.byteLength + d.codes.byteLength + d.scales.byteLength;
    return n;
  }

  /** The `k` chunks nearest `q` (unit length) by cosine among `docs`' chunks: chunk ids, best first. */
  nearest(q: Float32Array, docs: readonly DocumentRow[], k: number): number[] {
    const loaded = docs.map((d) => this.load(d)).filter((c): c is DocCodes => !!c && c.dims === q.length);
    const total = loaded.reduce((n, c) => n + c.ids.length, 0);
    if (!total) return [];
    const words = Math.ceil(q.length / 32);
    const qb = signBits(q);
    // Every chunk's Hamming distance, then a histogram: the threshold that admits `candidates` chunks is found
    // in one pass, with no sort of 100k numbers.
    const dist = new Uint16Array(total);
    const hist = new Uint32Array(q.length + 1);
    let row = 0;
    for (const c of loaded) {
      const { bits } = c;
      for (let r = 0, base = 0; r < c.ids.length; r++, base += words, row++) {
        let h = 0;
        for (let w = 0; w < words; w++) {
          // Popcount in registers (SWAR): no lookup table to keep in a cache other processes share.
          let x = qb[w]! ^ bits[base + w]!;
          x = x - ((x >>> 1) & 0x55555555);
          x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
          h += Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
        }
        dist[row] = h;
        hist[h]!++;
      }
    }
    const want = Math.min(total, Math.max(this.tuning.candidates, Math.ceil(total * this.tuning.share), k));
    let threshold = 0;
    for (let seen = hist[0]!; seen < want;) seen += hist[++threshold]!;
    // Stage 2: int8 dot products of the candidates, the best `rerank` kept.
    const dims = q.length;
    const scored: Array<{ id: number; s: number }> = [];
    row = 0;
    for (const c of loaded) {
      const { codes, scales, ids } = c;
      for (let r = 0, base = 0; r < ids.length; r++, row++, base += dims) {
        if (dist[row]! > threshold) continue;
        let s0 = 0;
        let s1 = 0;
        let i = 0;
        for (; i + 1 < dims; i += 2) {
          s0 += q[i]! * codes[base + i]!;
          s1 += q[i + 1]! * codes[base + i + 1]!;
        }
        if (i < dims) s0 += q[i]! * codes[base + i]!;
        scored.push({ id: ids[r]!, s: (s0 + s1) * scales[r]! });
      }
    }
    scored.sort((a, b) => b.s - a.s);
    return this.rerank(
      q,
      scored.slice(0, Math.max(this.tuning.rerank, k)).map((x) => x.id),
      k,
    );
  }

  /** Exact cosine (a dot product of unit vectors) over the candidates' float32 vectors. */
  private rerank(q: Float32Array, ids: readonly number[], k: number): number[] {
    const scored: Array<{ id: number; s: number }> = [];
    const dims = q.length;
    for (const { id, vector } of this.source.vectorsOf(ids)) {
      if (vector.byteLength !== dims * 4) continue;
      const v = floats(vector, dims);
      let s = 0;
      for (let i = 0; i < dims; i++) s += q[i]! * v[i]!;
      scored.push({ id, s });
    }
    return scored
      .sort((a, b) => b.s - a.s)
      .slice(0, k)
      .map((x) => x.id);
  }

  private load(d: DocumentRow): DocCodes | null {
    if (!d.embedModel || !d.embedDims) return null;
    const hit = this.docs.get(d.id);
    if (hit && hit.model === d.embedModel && hit.dims === d.embedDims) return hit;
    const full = emptyCodes(d.embedModel, d.embedDims, d.chunks);
    let rows = 0;
    for (const r of this.source.vectors([d.id])) {
      if (rows >= d.chunks) break;
      if (r.vector.byteLength !== d.embedDims * 4) continue; // a damaged or foreign row is not searched
      full.ids[rows] = r.id;
      encode(floats(r.vector, d.embedDims), full, rows++);
    }
    const words = Math.ceil(d.embedDims / 32);
    const c: DocCodes =
      rows === d.chunks
        ? full
        : {
            ...full,
            ids: full.ids.slice(0, rows),
            bits: full.bits.slice(0, rows * words),
            codes: full.codes.slice(0, rows * d.embedDims),
            scales: full.scales.slice(0, rows),
          };
    this.docs.set(d.id, c);
    return c;
  }
}
