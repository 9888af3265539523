/** Injected time source, so tests can pin "now" and services never call Date directly. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
