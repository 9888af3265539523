import { describe, expect, it } from 'vitest';
import { wholeModelProgress } from './pull-total';

const MB = 1_000_000;

describe('wholeModelProgress', () => {
  it('counts against the whole model while Ollama has announced only its first layer', () => {
    // 400 MB of the first layer done; Ollama's total so far is that layer; the model is 1.2 GB.
    expect(wholeModelProgress({ completedBytes: 400 * MB, totalBytes: 400 * MB, state: 'pulling' }, 1200 * MB)).toEqual(
      { completedBytes: 400 * MB, totalBytes: 1200 * MB, percent: 33.3 },
    );
  });

  it("takes Ollama's total once its layers add up to more, and 100% on success", () => {
    expect(
      wholeModelProgress({ completedBytes: 600 * MB, totalBytes: 1300 * MB, state: 'pulling' }, 1200 * MB).totalBytes,
    ).toBe(1300 * MB);
    expect(wholeModelProgress({ completedBytes: 10, totalBytes: 10, state: 'success' }, 1200 * MB).percent).toBe(100);
    expect(wholeModelProgress({ completedBytes: 0, totalBytes: 0, state: 'queued' }, 0).percent).toBeNull();
  });
});
