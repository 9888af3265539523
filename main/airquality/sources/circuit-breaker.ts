import type { Clock } from '../../core/clock';

type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerStatus {
  state: BreakerState;
  consecutiveFailures: number;
  openedAt: number | null;
  /** When an open breaker lets a trial request through. */
  retryAt: number | null;
  lastSuccessAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
}

/**
 * Per-source circuit breaker, as the seed had it: 5 consecutive failures open it for 300 s; after that one
 * trial request is let through (half-open); a success closes it and resets the count, a failure re-opens it.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;
  private lastSuccessAt: number | null = null;
  private lastFailureAt: number | null = null;
  private lastError: string | null = null;

  constructor(
    private readonly clock: Clock,
    readonly threshold = 5,
    readonly openMs = 300_000,
  ) {}

  get state(): BreakerState {
    if (this.openedAt === null) return 'closed';
    return this.clock.now() - this.openedAt >= this.openMs ? 'half_open' : 'open';
  }

  /** Whether a request may go out now; in half-open state only one trial at a time. */
  tryAcquire(): boolean {
    const s = this.state;
    if (s === 'closed') return true;
    if (s === 'open' || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
    this.lastSuccessAt = this.clock.now();
  }

  onFailure(error: string): void {
    this.failures++;
    this.lastFailureAt = this.clock.now();
    this.lastError = error;
    if (this.trialInFlight || this.failures >= this.threshold) this.openedAt = this.clock.now();
    this.trialInFlight = false;
  }

  /** A request that ended without saying anything about the source's health (e.g. the caller aborted). */
  release(): void {
    this.trialInFlight = false;
  }

  status(): BreakerStatus {
    const state = this.state;
    return {
      state,
      consecutiveFailures: this.failures,
      openedAt: this.openedAt,
      retryAt: this.openedAt === null ? null : this.openedAt + this.openMs,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastError: this.lastError,
    };
  }
}
