import { describe, expect, it } from 'vitest';
import { pickNewChatModel } from './new-chat-model';

const GB = 1024 ** 3;
const installed = [
  { name: 'gemma:2b', sizeBytes: 1.6 * GB },
  { name: 'llama3.1:70b', sizeBytes: 40 * GB },
  { name: 'llama3.1:8b', sizeBytes: 4.9 * GB },
  { name: 'qwen2.5:3b', sizeBytes: 1.9 * GB },
];
const TOOLS = new Set(['llama3.1:70b', 'llama3.1:8b', 'qwen2.5:3b']);
const supportsTools = async (m: string) => TOOLS.has(m);

describe('pickNewChatModel', () => {
  it('keeps the chosen default while it is installed', async () => {
    expect(await pickNewChatModel({ installed, preferred: 'gemma:2b', supportsTools, budgetBytes: null })).toBe(
      'gemma:2b',
    );
  });

  it('takes the largest tool-capable model that fits, not the first by name', async () => {
    expect(await pickNewChatModel({ installed, preferred: null, supportsTools, budgetBytes: 10 * GB })).toBe(
      'llama3.1:8b',
    );
    expect(await pickNewChatModel({ installed, preferred: 'gone:1b', supportsTools, budgetBytes: 3 * GB })).toBe(
      'qwen2.5:3b',
    );
  });

  it('falls back to the smallest tool-capable model, then the smallest model, then none', async () => {
    expect(await pickNewChatModel({ installed, preferred: null, supportsTools, budgetBytes: GB })).toBe('qwen2.5:3b');
    expect(
      await pickNewChatModel({ installed, preferred: null, supportsTools: async () => false, budgetBytes: null }),
    ).toBe('gemma:2b');
    expect(await pickNewChatModel({ installed: [], preferred: null, supportsTools, budgetBytes: null })).toBeNull();
  });
});

describe('pickNewChatModel with the hardware advisor', () => {
  it("takes the advisor's best tool-capable model: on a CPU-only laptop the 3B model, not the 8B that crawls", async () => {
    // recommendModels' order for a machine without a GPU: the ~3B tier first, then bigger ones.
    const advisorOrder = ['gemma:2b', 'qwen2.5:3b', 'llama3.1:8b', 'llama3.1:70b'];
    expect(
      await pickNewChatModel({ installed, preferred: null, supportsTools, budgetBytes: 10 * GB, advisorOrder }),
    ).toBe('qwen2.5:3b');
  });

  it('still honours the chosen default, and skips advised models that are not installed', async () => {
    const advisorOrder = ['mistral:7b', 'llama3.1:8b'];
    expect(
      await pickNewChatModel({ installed, preferred: 'gemma:2b', supportsTools, budgetBytes: null, advisorOrder }),
    ).toBe('gemma:2b');
    expect(await pickNewChatModel({ installed, preferred: null, supportsTools, budgetBytes: null, advisorOrder })).toBe(
      'llama3.1:8b',
    );
  });

  it('falls back to the memory budget when the advisor could not say', async () => {
    expect(
      await pickNewChatModel({ installed, preferred: null, supportsTools, budgetBytes: 10 * GB, advisorOrder: null }),
    ).toBe('llama3.1:8b');
  });
});
