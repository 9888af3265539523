import { describe, expect, it } from 'vitest';
import { chunkPages } from './chunking';

const words = (n: number, from = 0) => Array.from({ length: n }, (_, i) => `w${from + i}`).join(' ');

describe('chunkPages', () => {
  it('keeps a short page whole, with its page and label', () => {
    expect(chunkPages([{ page: 4, label: 'p. 4', text: '  Ozone peaks after noon.  ' }])).toEqual([
      { seq: 0, page: 4, label: 'p. 4', text: 'Ozone peaks after noon.' },
    ]);
  });

  it('overlaps neighbouring chunks and never starts or ends mid-word', () => {
    const text = words(400); // ~2,400 characters
    const chunks = chunkPages([{ page: 1, label: 'p. 1', text }], { size: 500, overlap: 100 });
    expect(chunks.length).toBeGreaterThan(4);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(500);
      expect(text.includes(c.text)).toBe(true);
      expect(c.text).toMatch(/^w\d+( w\d+)*$/); // whole words only
    }
    for (let i = 1; i < chunks.length; i++) {
      const prevWords = chunks[i - 1]!.text.split(' ');
      const first = chunks[i]!.text.split(' ')[0]!;
      expect(prevWords).toContain(first); // each chunk starts inside the previous one: the overlap
    }
    // Every word is in some chunk.
    const seen = new Set(chunks.flatMap((c) => c.text.split(' ')));
    expect(seen.size).toBe(400);
  });

  it('cuts at a sentence or paragraph end where there is one, and never across pages', () => {
    const page1 = `${'Particulate matter is measured hourly. '.repeat(20)}\n\nEnd of page one.`;
    const chunks = chunkPages(
      [
        { page: 1, label: 'p. 1', text: page1 },
        { page: 2, label: 'p. 2', text: 'Page two text.' },
      ],
      { size: 300, overlap: 50 },
    );
    expect(chunks.filter((c) => c.page === 1).every((c) => /[.]$/.test(c.text))).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ page: 2, text: 'Page two text.' });
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
  });

  it('refuses an overlap as large as the chunk', () => {
    expect(() => chunkPages([{ page: null, label: null, text: 'x' }], { size: 100, overlap: 100 })).toThrow(/overlap/);
  });
});
