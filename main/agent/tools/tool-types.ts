import type { z } from 'zod';

/** A tool as Ollama's /api/chat takes it in `tools` (OpenAI-style function schema). */
export interface OllamaToolDefinition {
  type: 'function';
  function: {
    name: string;
    description: string;
    parameters: {
      type: 'object';
      properties: Record<string, unknown>;
      required?: string[];
    };
  };
}

export interface ToolContext {
  /** Aborts in-flight source calls when the user stops the reply. */
  signal?: AbortSignal;
  /** The conversation the tool runs for (its attached documents); absent outside a chat. */
  sessionId?: string;
}

type ToolErrorCode = 'unknown_tool' | 'invalid_arguments' | 'no_data' | 'tool_failed' | 'internal';

/** What the model reads back. Errors are data too, with a hint so the model can correct itself. */
type ToolResult =
  | { ok: true; data: unknown }
  | {
      ok: false;
      error: { code: ToolErrorCode; message: string; hint?: string; issues?: Array<{ path: string; message: string }> };
      data?: unknown;
    };

/** Side facts for the chat UI's tool-activity line (which sources, cached badge); not sent to the model. */
interface ToolMeta {
  sources: string[];
  cached: boolean;
  stale: boolean;
}

export interface ToolReturn {
  result: ToolResult;
  meta?: Partial<ToolMeta>;
}

export interface ToolSpec<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  schema: S;
  /** When given and false, the tool is not offered to the model and refuses calls (a switch in Settings). */
  available?: () => boolean;
  execute(args: z.output<S>, ctx: ToolContext): Promise<ToolReturn>;
}

export interface ToolOutcome {
  name: string;
  ok: boolean;
  result: ToolResult;
  /** `result` as the string for a `role: "tool"` message. */
  content: string;
  durationMs: number;
  meta: ToolMeta;
}
