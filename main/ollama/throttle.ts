/**
 * Delivers at most one update per `intervalMs`, always the latest, and always the final one.
 * The value is built only when delivered, so a burst of updates costs one build.
 *
 * Progress is delivered on the leading edge by the update that finds the interval elapsed, so a steady
 * stream of updates never needs a timer (each timer wakeup costs CPU). A fallback timer, one extra interval
 * later, delivers the latest value when updates stall. The final value gets an exact timer.
 * Uses a monotonic clock: the spacing must hold even if the wall clock jumps.
 */
export class Throttle<T> {
  private last = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private finalWaiters: Array<() => void> = [];
  private isFinal = false;

  constructor(
    private readonly intervalMs: number,
    private readonly build: () => T,
    private readonly deliver: (value: T) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Something changed. */
  poke(): void {
    this.dirty = true;
    const wait = this.last + this.intervalMs - this.now();
    if (wait <= 0) return this.flush();
    if (this.timer) return;
    // Timers have millisecond resolution and may fire a fraction early: round up, re-check in flush.
    this.timer = setTimeout(() => this.flush(), Math.ceil(wait) + (this.isFinal ? 0 : this.intervalMs));
  }

  /** The last change: delivered within one interval, never dropped; resolves once delivered. */
  final(): Promise<void> {
    this.isFinal = true;
    const p = new Promise<void>((resolve) => this.finalWaiters.push(resolve));
    // Replace a lazy fallback timer with an exact one.
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.poke();
    return p;
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const early = this.last + this.intervalMs - this.now();
    if (early > 0) {
      this.timer = setTimeout(() => this.flush(), Math.ceil(early));
      return;
    }
    if (!this.dirty) return;
    this.dirty = false;
    this.last = this.now();
    try {
      this.deliver(this.build());
    } finally {
      if (this.isFinal) for (const w of this.finalWaiters.splice(0)) w();
    }
  }
}
