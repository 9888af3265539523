import { describe, expect, it } from 'vitest';
import { requestJson } from './request-json';

const tool = {
  type: 'function',
  function: { name: 'get_city_air_quality', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};

describe('requestJson: a chat request with its tool definitions kept as JSON', () => {
  it('is the same value JSON.stringify gives, with or without tools', () => {
    const bodies: unknown[] = [
      { model: 'qwen2.5:3b', messages: [{ role: 'user', content: 'q "quoted" \u2028' }], stream: true },
      { model: 'qwen2.5:3b', messages: [], tools: [tool, tool], options: { num_ctx: 4096 }, stream: true },
      { tools: [tool] },
      { model: 'm', tools: [] },
      { model: 'm', tools: [null, undefined, 3, 'x'] },
      { model: 'm', tools: 'not a list' },
      null,
    ];
    for (const body of bodies) expect(JSON.parse(requestJson(body))).toEqual(JSON.parse(JSON.stringify(body)));
  });

  it('serialises a definition once: the same object later goes out as it first did', () => {
    const def = { type: 'function', function: { name: 'a' } };
    expect(requestJson({ tools: [def] })).toBe('{"tools":[{"type":"function","function":{"name":"a"}}]}');
    def.function.name = 'changed';
    expect(requestJson({ tools: [def] })).toContain('"name":"a"');
    // A new object (the registry made a new definition) is serialised afresh.
    expect(requestJson({ tools: [{ ...def }] })).toContain('"name":"changed"');
  });
});
