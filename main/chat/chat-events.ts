import type { EngineText } from '../../preload/shared/engine-messages';
import type { ToolActivity } from '../agent/tool-activity';

/** What a running reply tells its listeners. The same shapes travel over IPC, the HTTP bridge and SSE. */
export interface ChatResult {
  response: string;
  session_id: string;
  message_id: number;
  status: 'complete' | 'stopped';
  tools_used: string[];
  message_count: number;
  tokens_used: number;
  /** Prompt tokens evaluated for this reply (0 when it was stopped or failed before Ollama counted them). */
  prompt_tokens?: number;
  cached: boolean;
  model: string;
  /** The provider that wrote the reply (after a fallback, the one that answered). */
  provider?: string;
  /** Milliseconds from the request to the first content token (null: none came). */
  ttft_ms?: number | null;
  /** Generated tokens per second, from the provider's counts (null: not reported). */
  tokens_per_second?: number | null;
  warning: string | null;
  /** `warning` as a message id, worded in the UI's language. */
  warning_text?: EngineText | null;
}

export type ChatEvent =
  | { type: 'start'; streamId: string; sessionId: string; messageId: number; model: string }
  | { type: 'token'; streamId: string; sessionId: string; messageId: number; text: string; offset: number }
  /** Text from `offset` on was a tool round's preamble and is gone from the reply. */
  | { type: 'retract'; streamId: string; sessionId: string; messageId: number; offset: number }
  | { type: 'done'; streamId: string; sessionId: string; messageId: number; result: ChatResult }
  /**
   * Who answers this reply. Sent when the reply starts and again whenever it falls back to the next
   * provider (`fallbackFrom` and `reason` then say from where and why): a fallback is never silent.
   */
  | {
      type: 'provider';
      streamId: string;
      sessionId: string;
      messageId: number;
      provider: string;
      model: string;
      fallbackFrom?: { provider: string; model: string };
      reason?: string;
      /** `reason` as a message id for the UI's language (issue 15). */
      reasonText?: EngineText;
    }
  /** A tool call of the reply started (`running`) or ended; `activity` is what the chat keeps and shows. */
  | {
      type: 'tool';
      streamId: string;
      sessionId: string;
      messageId: number;
      seq: number;
      name: string;
      status: 'running' | 'done' | 'error';
      durationMs?: number;
      source?: string;
      cached?: boolean;
      summary?: string;
      activity: ToolActivity;
    }
  | {
      type: 'error';
      streamId: string;
      sessionId: string;
      messageId: number;
      error: { code: string; message: string; text?: EngineText };
    };
