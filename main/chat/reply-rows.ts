import type { MessageRecord } from '../store/types';

/** Where a reply is kept: its session, the question it answers (when saved with it) and its own row. */
export interface ReplyRows {
  sessionId: string;
  userId: number | null;
  assistant: MessageRecord;
}

/**
 * A reply's rows, saved once: right after the model's request is written, so the commit runs while the model
 * reads the prompt rather than before it is asked (time to first token), or earlier when something must refer
 * to them first (an event, a tool call, an error). Nothing is shown before they are saved, so no reply is seen
 * whose question is not on disk; a failed save ends the reply before it starts and is what `get()` throws.
 */
export class ReplyRowsOnce {
  private rows: ReplyRows | null = null;
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly save: () => ReplyRows,
    private readonly onSaved: (rows: ReplyRows) => void,
    private readonly onFailed: (error: unknown) => void,
  ) {}

  get saved(): boolean {
    return this.rows !== null;
  }

  /** The rows, saved now when they are not yet; after a failed save, that failure every time. */
  get(): ReplyRows {
    if (this.rows) return this.rows;
    if (this.failure) throw this.failure.error;
    try {
      this.rows = this.save();
    } catch (error) {
      this.failure = { error };
      this.onFailed(error);
      throw error;
    }
    this.onSaved(this.rows);
    return this.rows;
  }

  /** Saves now if not yet; a failure is kept for `get()` (and has already been told to `onFailed`). */
  trySave(): void {
    try {
      this.get();
    } catch {
      // get() throws it again to whoever needs the rows.
    }
  }
}
