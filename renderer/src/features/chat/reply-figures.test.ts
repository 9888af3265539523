import { describe, expect, it } from 'vitest';
import { replyFigures, replySpeed } from './reply-figures';

describe('replyFigures', () => {
  it('gives the model, the tokens and the time a finished reply took', () => {
    expect(
      replyFigures({ model: 'llama3.1:8b', tokens: 120, createdAt: 1000, updatedAt: 9400, status: 'complete' }),
    ).toBe('llama3.1:8b · 120 tokens in 8.4 s');
    expect(replyFigures({ model: 'qwen2.5:3b', tokens: 800, createdAt: 0, updatedAt: 42_000, status: 'stopped' })).toBe(
      'qwen2.5:3b · 800 tokens in 42 s',
    );
  });

  it('names the provider that answered before the model', () => {
    const m = { model: 'qwen', tokens: 12, createdAt: 0, updatedAt: 1500, status: 'complete' as const };
    expect(replyFigures({ ...m, provider: 'openai-compatible' })).toBe(
      'OpenAI-compatible server · qwen · 12 tokens in 1.5 s',
    );
    expect(replyFigures({ ...m, provider: 'ollama' })).toBe('Ollama · qwen · 12 tokens in 1.5 s');
    expect(replyFigures({ ...m, provider: null })).toBe('qwen · 12 tokens in 1.5 s');
  });

  it('gives only the model while the reply is written or when nothing was counted', () => {
    expect(replyFigures({ model: 'm', tokens: 5, createdAt: 0, updatedAt: 10, status: 'streaming' })).toBe('m');
    expect(replyFigures({ model: 'm', tokens: 0, createdAt: 0, updatedAt: 10, status: 'error' })).toBe('m');
  });
});

describe('replySpeed', () => {
  it('says the time to first word and the tokens per second in plain words', () => {
    expect(replySpeed({ ttftMs: 1234, tokensPerSecond: 14.26 })).toBe('1.2 s to first word · 14 tokens/s');
    expect(replySpeed({ ttftMs: 12_600, tokensPerSecond: 2.44 })).toBe('13 s to first word · 2.4 tokens/s');
    expect(replySpeed({ ttftMs: 40, tokensPerSecond: null })).toBe('under 0.1 s to first word');
  });

  it('says nothing when nothing was measured (replies from before, or without a token)', () => {
    expect(replySpeed({ ttftMs: null, tokensPerSecond: null })).toBeNull();
    expect(replySpeed({})).toBeNull();
  });
});
