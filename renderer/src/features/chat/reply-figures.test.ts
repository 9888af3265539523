import { describe, expect, it } from 'vitest';
import { replyFigures } from './reply-figures';

describe('replyFigures', () => {
  it('gives the model, the tokens and the time a finished reply took', () => {
    expect(
      replyFigures({ model: 'llama3.1:8b', tokens: 120, createdAt: 1000, updatedAt: 9400, status: 'complete' }),
    ).toBe('llama3.1:8b · 120 tokens in 8.4 s');
    expect(replyFigures({ model: 'qwen2.5:3b', tokens: 800, createdAt: 0, updatedAt: 42_000, status: 'stopped' })).toBe(
      'qwen2.5:3b · 800 tokens in 42 s',
    );
  });

  it('gives only the model while the reply is written or when nothing was counted', () => {
    expect(replyFigures({ model: 'm', tokens: 5, createdAt: 0, updatedAt: 10, status: 'streaming' })).toBe('m');
    expect(replyFigures({ model: 'm', tokens: 0, createdAt: 0, updatedAt: 10, status: 'error' })).toBe('m');
  });
});
