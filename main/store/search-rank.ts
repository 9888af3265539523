import { markdownToPlain } from './markdown-plain';

/**
 * BM25 over a bounded window of matches, in JS. FTS5's own bm25() counts every row that matches each phrase
 * before it scores one, so a common prefix ("dus*": 70,000 of 100,000 messages) costs as much as the whole
 * match list however few rows are ranked. Here the document frequencies come from the window itself: the
 * ranking is relative to the newest matches, which is what someone searching a chat history looks at.
 */

// search-reader.ts runs a plain-JS copy of rankWindow and makeSnippet on its thread: change both together
// (search-reader.test.ts checks that they give the same hits).
const K1 = 1.2;
const B = 0.75;

/** Lower case without diacritics, as the store's tokenizer (unicode61 remove_diacritics 2) sees text. */
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

const tokens = (text: string): string[] => fold(text).match(/[\p{L}\p{N}]+/gu) ?? [];

/**
 * Orders `docs` best first for what was typed (its last word a prefix, as the FTS query has it) and returns the
 * best `limit` ids. Ties go to the newer message (higher id).
 */
export function rankWindow(docs: Array<{ id: number; content: string }>, typed: string, limit: number): number[] {
  if (docs.length === 0) return [];
  const terms = tokens(typed);
  const wanted = terms.map((t, i) => ({ text: t, prefix: i === terms.length - 1 }));
  const perDoc = docs.map((d) => {
    const toks = tokens(d.content);
    const tf = wanted.map((w) => {
      let n = 0;
      for (const t of toks) if (w.prefix ? t.startsWith(w.text) : t === w.text) n++;
      return n;
    });
    return { id: d.id, len: toks.length, tf };
  });
  const avgLen = perDoc.reduce((n, d) => n + d.len, 0) / perDoc.length || 1;
  const idf = wanted.map((_, i) => {
    const n = perDoc.filter((d) => d.tf[i]! > 0).length;
    return Math.log(1 + (perDoc.length - n + 0.5) / (n + 0.5));
  });
  const scored = perDoc.map((d) => {
    let score = 0;
    d.tf.forEach((tf, i) => {
      if (tf > 0) score += (idf[i]! * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.len) / avgLen));
    });
    return { id: d.id, score };
  });
  scored.sort((a, b) => b.score - a.score || b.id - a.id);
  return scored.slice(0, limit).map((d) => d.id);
}

/**
 * A short excerpt around the first match with every matching word in `[[…]]`, as FTS5's snippet() gave
 * (about `size` words, `…` where text was cut), made from the text already read for ranking: snippet() runs
 * the whole match again for each hit, which for a common prefix costs as much as the search itself.
 */
export function makeSnippet(markdown: string, typed: string, size = 12): string {
  // Replies are Markdown: the snippet shows the words a reader sees, not `**` or `[…](…)`.
  const content = markdownToPlain(markdown);
  const terms = tokens(typed);
  const matches = (tok: string) =>
    terms.some((t, i) => (i === terms.length - 1 ? fold(tok).startsWith(t) : fold(tok) === t));
  const words = [...content.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ at: m.index, text: m[0] }));
  if (words.length === 0) return '';
  const first = Math.max(
    0,
    words.findIndex((w) => matches(w.text)),
  );
  const start = Math.max(0, Math.min(first - Math.floor(size / 4), words.length - size));
  const end = Math.min(words.length, start + size);
  let out = start > 0 ? '…' : '';
  let pos = words[start]!.at;
  for (let i = start; i < end; i++) {
    const w = words[i]!;
    out += content.slice(pos, w.at);
    out += matches(w.text) ? `[[${w.text}]]` : w.text;
    pos = w.at + w.text.length;
  }
  return end < words.length ? `${out}…` : out + content.slice(pos);
}
