import type { ChatEvent } from '../../chat/chat-events';

/** One step of the original's chain-of-thought stream (`event: thought`). */
interface Thought {
  type: 'query_analysis' | 'tool_selection' | 'tool_execution' | 'data_retrieval' | 'response_synthesis' | 'complete';
  title: string;
  details: Record<string, unknown>;
  timestamp: string;
  progress: number;
}

/**
 * Turns a reply's engine events into the original's `thought` steps, in order: the question understood,
 * each tool call and its result, the answer being written, complete.
 */
export class ThoughtMapper {
  private writing = false;
  private tools = 0;

  constructor(private readonly now: () => number) {}

  private thought(type: Thought['type'], title: string, details: Record<string, unknown>, progress: number): Thought {
    return { type, title, details, timestamp: new Date(this.now()).toISOString(), progress };
  }

  analysis(details: Record<string, unknown>): Thought {
    return this.thought('query_analysis', 'Understanding your question', details, 0.1);
  }

  /** The thoughts one engine event adds (none for most tokens). */
  map(e: ChatEvent): Thought[] {
    if (e.type === 'tool') {
      if (e.status === 'running') this.tools++;
      const progress = Math.min(0.3 + this.tools * 0.05, 0.7);
      if (e.status === 'running') {
        return [
          this.thought(
            'tool_execution',
            `Calling ${e.name}`,
            { tool: e.name, status: 'running', call: e.seq },
            progress,
          ),
        ];
      }
      return [
        this.thought(
          'data_retrieval',
          e.status === 'done' ? `${e.name} returned` : `${e.name} failed`,
          {
            tool: e.name,
            status: e.status === 'done' ? 'success' : 'error',
            call: e.seq,
            duration_ms: e.durationMs ?? null,
            source: e.source ?? null,
            cached: e.cached ?? false,
            summary: e.summary ?? null,
          },
          progress,
        ),
      ];
    }
    // A retracted preamble was a tool round's lead-in: the real answer is written after the tools.
    if (e.type === 'retract') this.writing = false;
    if (e.type === 'token' && !this.writing) {
      this.writing = true;
      return [this.thought('response_synthesis', 'Writing the answer', { tools_called: this.tools }, 0.8)];
    }
    return [];
  }

  complete(details: Record<string, unknown>): Thought {
    return this.thought('complete', 'Done', details, 1);
  }
}
