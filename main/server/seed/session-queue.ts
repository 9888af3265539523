import { SeedHttpError } from './fastapi-errors';

/** How many messages to one session may wait behind the one being answered. */
const SESSION_QUEUE_LIMIT = 8;

/**
 * Messages to one session, answered one after another in the order they arrived. The original server takes
 * concurrent messages to a session; the chat engine writes one reply per session at a time, so the seed API
 * waits its turn here instead of answering 409. Past `limit` waiting, a 429 says why.
 */
export class SessionQueue {
  private readonly tails = new Map<string, { tail: Promise<void>; waiting: number }>();

  constructor(private readonly limit = SESSION_QUEUE_LIMIT) {}

  /** Runs `job` once every earlier job for `key` has settled; resolves or rejects with its result. */
  async run<T>(key: string | undefined, job: () => Promise<T>): Promise<T> {
    if (!key) return job();
    const entry = this.tails.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    if (entry.waiting > this.limit) {
      throw new SeedHttpError(
        429,
        `Too many messages are waiting for session ${key} (${this.limit} queued behind the one being answered). Wait for the replies, then send again.`,
      );
    }
    entry.waiting++;
    const previous = entry.tail;
    let release!: () => void;
    entry.tail = new Promise<void>((r) => (release = r));
    this.tails.set(key, entry);
    try {
      await previous;
      return await job();
    } finally {
      entry.waiting--;
      release();
      if (entry.waiting === 0) this.tails.delete(key);
    }
  }

  /** Jobs for `key` running or waiting. */
  depth(key: string): number {
    return this.tails.get(key)?.waiting ?? 0;
  }
}
