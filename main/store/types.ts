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
  toolsUsed: string[];
  tokens: number;
  createdAt: number;
  updatedAt: number;
}

export interface SearchHit {
  messageId: number;
  sessionId: string;
  sessionTitle: string;
  role: MessageRole;
  snippet: string;
  createdAt: number;
}
