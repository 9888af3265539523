import type { EngineTextDto } from '../../preload/shared/engine-messages';
export type MessageRole = 'user' | 'assistant' | 'system' | 'tool';
export type MessageStatus = 'streaming' | 'complete' | 'stopped' | 'interrupted' | 'error';

export interface SessionRecord {
  id: string;
  title: string;
  model: string | null;
  style: string;
  createdAt: number;
  updatedAt: number;
  messageCount: number;
}

export interface MessageRecord {
  id: number;
  sessionId: string;
  role: MessageRole;
  content: string;
  status: MessageStatus;
  model: string | null;
  error: string | null;
  /** `error` as a message id and parameters (issue 15); absent where only English was saved. */
  errorText?: EngineTextDto;
  toolsUsed: string[];
  tokens: number;
  createdAt: number;
  updatedAt: number;
  /** The provider that wrote a reply (null: before providers, or not a reply). */
  provider?: string | null;
  /** Milliseconds from the request to the first content token; null when not measured. */
  ttftMs?: number | null;
  /** Generated tokens per second, from the provider's counts and clock; null when not measured. */
  tokensPerSecond?: number | null;
}

/** A reply's speed, measured by the engine (see main/chat/reply-speed.ts). */
export interface ReplyFigures {
  ttftMs: number | null;
  tokensPerSecond: number | null;
}

export interface SearchHit {
  messageId: number;
  sessionId: string;
  sessionTitle: string;
  role: MessageRole;
  snippet: string;
  createdAt: number;
}
