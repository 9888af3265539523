import { z } from 'zod';
import { isAppError } from '../../core/errors';
import type { ComponentLogger } from '../../core/logger';
import { SourceError } from '../../airquality/sources/source-error';
import type { OllamaToolDefinition, ToolContext, ToolOutcome, ToolReturn, ToolSpec } from './tool-types';

/** Ollama wants a plain object schema; zod's JSON Schema output carries a few keys small models trip on. */
function toParameters(schema: z.ZodType): OllamaToolDefinition['function']['parameters'] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node && typeof node === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(node)) if (k !== '$schema' && k !== 'additionalProperties') out[k] = strip(v);
      return out;
    }
    return node;
  };
  const clean = strip(json) as { properties?: Record<string, unknown>; required?: string[] };
  return {
    type: 'object',
    properties: clean.properties ?? {},
    ...(clean.required?.length ? { required: clean.required } : {}),
  };
}

function argsHint(spec: ToolSpec): string {
  const p = toParameters(spec.schema);
  const fields = Object.entries(p.properties).map(([k, v]) => {
    const t = (v as { type?: unknown; enum?: unknown[] }).enum ?? (v as { type?: unknown }).type ?? 'any';
    return `${k}${p.required?.includes(k) ? '' : '?'}: ${Array.isArray(t) ? t.join('|') : typeof t === 'string' ? t : JSON.stringify(t)}`;
  });
  return `Call ${spec.name} again with arguments {${fields.join(', ')}}.`;
}

/**
 * The agent's tools by name: Ollama definitions for the request, and `execute` that validates arguments with
 * zod and never throws: unknown tools, malformed arguments and source failures all come back as data the
 * model can read and recover from.
 */
export class ToolRegistry {
  private readonly specs = new Map<string, ToolSpec>();
  private readonly aliasSpecs = new Map<string, { target: string; fixedArgs: Record<string, unknown> }>();
  /** zod → JSON Schema costs milliseconds a tool; every agent round needs the same definitions. */
  private readonly definitionCache = new Map<string, OllamaToolDefinition>();

  /**
   * `fill` registers the tools at the registry's first use rather than now: their ~100 zod schemas took a few ms
   * of every engine start, before the first chat needs any of them (issue 14).
   */
  constructor(
    private readonly logger?: ComponentLogger,
    private fill?: (registry: ToolRegistry) => void,
  ) {}

  private get tools(): Map<string, ToolSpec> {
    this.filled();
    return this.specs;
  }

  private get aliases(): Map<string, { target: string; fixedArgs: Record<string, unknown> }> {
    this.filled();
    return this.aliasSpecs;
  }

  private filled(): void {
    const fill = this.fill;
    if (!fill) return;
    this.fill = undefined; // before it runs: its register() calls come back here
    fill(this);
  }

  register<S extends z.ZodType>(spec: ToolSpec<S>): this {
    if (this.tools.has(spec.name)) throw new Error(`tool ${spec.name} registered twice`);
    this.tools.set(spec.name, spec);
    return this;
  }

  /**
   * Another name for a registered tool, with some arguments fixed (the original's five carbon-intensity tools
   * are views of one). Aliases answer calls by their name but are not offered in `definitions()`, so merging
   * tools keeps the list a small model reads short.
   */
  alias(name: string, target: string, fixedArgs: Record<string, unknown> = {}): this {
    if (this.tools.has(name) || this.aliases.has(name)) throw new Error(`tool ${name} registered twice`);
    if (!this.tools.has(target)) throw new Error(`alias ${name}: no tool ${target}`);
    this.aliases.set(name, { target, fixedArgs });
    return this;
  }

  has(name: string): boolean {
    return this.tools.has(name) || this.aliases.has(name);
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  get(
    name: string,
  ):
    | { definition: OllamaToolDefinition; execute: (args: unknown, ctx?: ToolContext) => Promise<ToolOutcome> }
    | undefined {
    const spec = this.tools.get(name);
    if (!spec) return undefined;
    return { definition: this.definition(spec), execute: (args, ctx) => this.execute(name, args, ctx) };
  }

  private definition(spec: ToolSpec): OllamaToolDefinition {
    let def = this.definitionCache.get(spec.name);
    if (!def) {
      def = {
        type: 'function',
        function: { name: spec.name, description: spec.description, parameters: toParameters(spec.schema) },
      };
      this.definitionCache.set(spec.name, def);
    }
    return def;
  }

  /** Definitions for Ollama's `tools`, optionally only some of them. */
  definitions(only?: string[]): OllamaToolDefinition[] {
    return [...this.tools.values()]
      .filter((t) => (!only || only.includes(t.name)) && t.available?.() !== false)
      .map((t) => this.definition(t));
  }

  async execute(name: string, rawArgs: unknown, ctx: ToolContext = {}): Promise<ToolOutcome> {
    const alias = this.aliases.get(name);
    if (alias) {
      let args: unknown = rawArgs ?? {};
      if (typeof args === 'string') {
        try {
          args = args.trim() ? (JSON.parse(args) as unknown) : {};
        } catch {
          args = {};
        }
      }
      const given = args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : {};
      return { ...(await this.execute(alias.target, { ...given, ...alias.fixedArgs }, ctx)), name };
    }
    const t0 = performance.now();
    const finish = (r: ToolReturn): ToolOutcome => ({
      name,
      ok: r.result.ok,
      result: r.result,
      content: JSON.stringify(r.result),
      durationMs: Math.round(performance.now() - t0),
      meta: { sources: r.meta?.sources ?? [], cached: r.meta?.cached ?? false, stale: r.meta?.stale ?? false },
    });
    const spec = this.tools.get(name);
    if (!spec) {
      return finish({
        result: {
          ok: false,
          error: {
            code: 'unknown_tool',
            message: `There is no tool named "${name}".`,
            hint: `Available tools: ${this.names().join(', ')}.`,
          },
        },
      });
    }
    if (spec.available?.() === false) {
      return finish({
        result: { ok: false, error: { code: 'tool_failed', message: `${name} is turned off in Settings → Sources.` } },
      });
    }
    let args: unknown = rawArgs ?? {};
    if (typeof args === 'string') {
      // Some models send the arguments as a JSON string rather than an object.
      try {
        args = args.trim() ? (JSON.parse(args) as unknown) : {};
      } catch {
        return finish({
          result: {
            ok: false,
            error: { code: 'invalid_arguments', message: 'The arguments are not valid JSON.', hint: argsHint(spec) },
          },
        });
      }
    }
    const parsed = spec.schema.safeParse(args);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.') || '(arguments)', message: i.message }));
      return finish({
        result: {
          ok: false,
          error: {
            code: 'invalid_arguments',
            message: `Invalid arguments for ${name}: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
            hint: argsHint(spec),
            issues,
          },
        },
      });
    }
    try {
      return finish(await spec.execute(parsed.data, ctx));
    } catch (err) {
      if (err instanceof SourceError || isAppError(err)) {
        return finish({ result: { ok: false, error: { code: 'tool_failed', message: err.message } } });
      }
      if (ctx.signal?.aborted)
        return finish({ result: { ok: false, error: { code: 'tool_failed', message: 'Stopped by the user.' } } });
      this.logger?.error('tool crashed', { tool: name, error: err instanceof Error ? err.message : String(err) });
      return finish({
        result: {
          ok: false,
          error: { code: 'internal', message: `${name} failed unexpectedly; try another tool or answer without it.` },
        },
      });
    }
  }
}
