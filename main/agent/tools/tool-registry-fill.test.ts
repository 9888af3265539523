import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ToolRegistry } from './tool-registry';
import type { ToolSpec } from './tool-types';

const echo = (name: string): ToolSpec => ({
  name,
  description: `echoes ${name}`,
  schema: z.object({ say: z.string() }),
  execute: (args: { say: string }) => Promise.resolve({ result: { ok: true, data: `${name}:${args.say}` } }),
});

describe('ToolRegistry with a fill', () => {
  it('registers the filled tools at the first use, once, before tools registered later', async () => {
    let fills = 0;
    const registry = new ToolRegistry(undefined, (r) => {
      fills++;
      r.register(echo('first')).alias('first_alias', 'first', { say: 'fixed' });
    });
    expect(fills).toBe(0);

    registry.register(echo('later'));
    expect(fills).toBe(1);
    expect(registry.names()).toEqual(['first', 'later']);
    expect(registry.has('first_alias')).toBe(true);
    expect(registry.definitions().map((d) => d.function.name)).toEqual(['first', 'later']);
    const outcome = await registry.execute('first_alias', {});
    expect(outcome.result).toEqual({ ok: true, data: 'first:fixed' });
    expect(fills).toBe(1);
  });

  it('refuses a later tool whose name the fill already took', () => {
    const registry = new ToolRegistry(undefined, (r) => r.register(echo('taken')));
    expect(() => registry.register(echo('taken'))).toThrow(/registered twice/);
  });
});
