import type { Clock } from '../core/clock';
import type { ReplyFigures } from '../store/types';

/**
 * A reply's speed as the engine saw it: the time to first token (from the request that produced the first
 * content token to that token, on the engine's clock) and the true generation speed (the provider's generated
 * tokens over the time it spent generating them: Ollama's own `eval_duration`, or the engine's timing for
 * servers that report only counts; see main/providers/generation-timer.ts).
 */
export class ReplySpeed {
  private sentAt = -1;
  private ttftMs: number | null = null;

  constructor(private readonly clock: Clock) {}

  /** A request to the provider left (each round: the one before the first token is what counts). */
  requestSent(): void {
    if (this.ttftMs === null) this.sentAt = this.clock.now();
  }

  /** The reply's first content token arrived. */
  firstContent(): void {
    if (this.ttftMs === null && this.sentAt >= 0) this.ttftMs = Math.max(0, this.clock.now() - this.sentAt);
  }

  /** The figures to keep with the reply; `tokens` generated in `evalNs` nanoseconds (0: not reported). */
  figures(tokens = 0, evalNs = 0): ReplyFigures {
    const tokensPerSecond = tokens > 0 && evalNs > 0 ? Math.round((tokens / (evalNs / 1e9)) * 10) / 10 : null;
    return { ttftMs: this.ttftMs, tokensPerSecond };
  }
}
