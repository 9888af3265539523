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
