/** "1 conversation", "2 conversations"; irregular words pass their plural ("reply", "replies"). */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
