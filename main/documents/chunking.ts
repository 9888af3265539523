import type { ExtractedPage } from './document-types';

export interface Chunk {
  seq: number;
  page: number | null;
  label: string | null;
  text: string;
}

export interface ChunkOptions {
  /** Target characters per chunk (about 250 tokens at the default: several fit a small model's context). */
  size: number;
  /** Characters repeated from the end of one chunk at the start of the next, so a sentence cut at a
   *  boundary is still whole in one of them. */
  overlap: number;
}

export const DEFAULT_CHUNKING: ChunkOptions = { size: 1000, overlap: 200 };

/**
 * Splits each page into overlapping chunks. A chunk never spans two pages, so its citation names one
 * page. Cuts fall on a paragraph, line, sentence or word boundary in the last third of the window where
 * there is one.
 */
export function chunkPages(pages: readonly ExtractedPage[], opts: ChunkOptions = DEFAULT_CHUNKING): Chunk[] {
  if (opts.overlap >= opts.size) throw new Error('chunk overlap must be smaller than the chunk size');
  const out: Chunk[] = [];
  for (const p of pages) {
    const text = p.text.replace(/\r\n?/g, '\n').trim();
    let start = 0;
    while (start < text.length) {
      let end = Math.min(start + opts.size, text.length);
      if (end < text.length) end = cutPoint(text, start + Math.floor((opts.size * 2) / 3), end);
      const piece = text.slice(start, end).trim();
      if (piece) out.push({ seq: out.length, page: p.page, label: p.label, text: piece });
      if (end >= text.length) break;
      // Step back by the overlap, then forward to a word start, so no chunk begins mid-word.
      let next = Math.max(end - opts.overlap, start + 1);
      while (next < end && !/\s/.test(text[next - 1]!)) next++;
      start = next;
    }
  }
  return out;
}

function cutPoint(text: string, from: number, to: number): number {
  const window = text.slice(from, to);
  for (const sep of ['\n\n', '\n', '. ', '; ', ' ']) {
    const i = window.lastIndexOf(sep);
    if (i >= 0) return from + i + sep.length;
  }
  return to;
}
