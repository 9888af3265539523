/**
 * Deterministic pseudo-language for benchmarks and large-store tests: chat-like text (words of a few
 * syllables, a vocabulary of `vocabulary` words) that FTS5 indexes and gzip compresses the way real
 * messages do, unlike random bytes or hex.
 */
export function wordList(n: number): string[] {
  const syll = ['ka', 'mpa', 'la', 'pm', 'zo', 'ne', 'ri', 'to', 'su', 'lfa', 'mo', 'nox', 'dus', 'ta', 'vi', 'ro'];
  const words: string[] = [];
  const rnd = seeded(7);
  while (words.length < n) {
    const len = 2 + Math.floor(rnd() * 3);
    let w = '';
    for (let i = 0; i < len; i++) w += syll[Math.floor(rnd() * syll.length)];
    words.push(w + words.length.toString(36));
  }
  return words;
}

/** A small linear congruential generator: the same text on every run and machine. */
export function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
}

/** Makes sentences of `words` words drawn from the list. */
export function sentenceMaker(vocabulary = 5000, seed = 42): (words: number) => string {
  const words = wordList(vocabulary);
  const rnd = seeded(seed);
  return (n) => {
    const out = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = words[Math.floor(rnd() * words.length)]!;
    return out.join(' ');
  };
}
