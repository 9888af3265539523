import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError, errorMessage, isAppError } from '../core/errors';
import type { Store } from '../store/store';

/**
 * Persists streamed text before anyone sees it: chunks are gathered until the event loop is free,
 * written in one UPDATE, and only then emitted. Under load this batches; at rest it is one write a token.
 */
export class StreamWriter {
  private pending = '';
  private scheduled: Promise<void> | null = null;
  private failure: Error | null = null;
  written = 0;

  constructor(
    private readonly store: Store,
    /** The reply's row (saved by the time text arrives: see ReplyRows). */
    private readonly messageId: () => number,
    /** Turns a failed write into the app's error when it means the disk is full. */
    private readonly diskFull: (err: unknown) => AppError | null,
    private readonly onFlushed: (text: string, offset: number) => void,
    private readonly onRetracted: (offset: number) => void,
  ) {}

  /** Cuts the stored reply back to `offset` (after writing what is pending), then tells the viewers. */
  retract(offset: number): void {
    if (this.failure) throw this.failure;
    this.flushNow();
    this.store.messages.truncate(this.messageId(), offset);
    this.written = offset;
    this.onRetracted(offset);
  }

  push(text: string): void {
    if (this.failure) throw this.failure;
    this.pending += text;
    // The first token is written and shown at once (time to first token); later ones batch.
    if (this.written === 0 && !this.scheduled) {
      this.flushNow();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = new Promise((resolve) =>
        setImmediate(() => {
          try {
            this.flushNow();
          } catch (err) {
            // A failed write (disk full) ends the reply on the next chunk instead of crashing the process.
            this.failure = err instanceof Error ? err : new Error(String(err));
          }
          resolve();
        }),
      );
    }
  }

  async flush(): Promise<void> {
    if (this.scheduled) await this.scheduled;
    // A reply whose last chunk could not be saved must not be recorded as complete.
    if (this.failure) throw this.failure;
    this.flushNow();
  }

  private flushNow(): void {
    this.scheduled = null;
    if (!this.pending) return;
    const text = this.pending;
    this.pending = '';
    try {
      this.store.messages.append(this.messageId(), text);
    } catch (err) {
      const full = this.diskFull(err);
      if (full) throw full;
      if (!isAppError(err))
        throw new AppError(
          'internal',
          `Could not save the reply: ${errorMessage(err)}`,
          {},
          engineMessage('error.replyNotSaved', { error: errorMessage(err) }),
        );
      throw err;
    }
    const offset = this.written;
    this.written += text.length;
    this.onFlushed(text, offset);
  }
}
