/**
 * Times a stream's generation so every provider reports speed in Ollama's terms (`eval_count` tokens in
 * `eval_duration` ns). OpenAI-compatible servers and Gemini send counts but no durations, so the engine's
 * clock measures them: from the first generated delta to the end of the stream.
 */
/**
 * Below this span the deltas came in together (a busy machine, a buffering proxy): the engine did not see them
 * generated, so any rate from it would be invented (5,097 tokens/s was seen under load). No figure then.
 */
const MIN_SPAN_MS = 20;

export class GenerationTimer {
  private first = -1;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A delta carrying generated output arrived (only the first one is timed: nothing per chunk after it). */
  mark(): void {
    if (this.first < 0) this.first = this.now();
  }

  /**
   * `eval_duration` for `tokens` generated tokens, in ns: the first token's time belongs to the time to first
   * token, so the span after it covers `tokens - 1` tokens; that pace, times `tokens`, is the time Ollama would
   * report for generating them all. 0 when there is nothing to measure (fewer than two tokens, or all of them
   * arriving within MIN_SPAN_MS).
   */
  evalDurationNs(tokens: number): number {
    if (this.first < 0 || tokens < 2) return 0;
    const spanMs = this.now() - this.first;
    if (spanMs < MIN_SPAN_MS) return 0;
    return Math.round((spanMs / (tokens - 1)) * tokens * 1e6);
  }
}
