import type { AerisApi, CallInput, CallName, CallOutput, EventName } from '../../../preload/contract';
import { errorText } from '../bridge';
import { readGeneration } from './read-generation';

/** What a page shows of one read: the last answer, the last failure in words, and whether an ask is in flight. */
export interface CallState<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
}

const IDLE: CallState<never> = { data: null, error: null, loading: false };

/**
 * One read of the contract that a component shows (the core of `useCall`, without React so that it is tested as
 * it is). The rules: only the newest ask's answer is kept (an answer overtaken by a later ask, or arriving after
 * `dispose`, is dropped); the last data stays while the next ask is in flight and when it fails; a success
 * clears the error and a failure keeps the data. Subscribers are told of each change of `snapshot()`.
 */
export class CallQuery<N extends CallName> {
  private state: CallState<CallOutput<N>> = IDLE;
  /** The input of the current ask; null when nothing is asked (disabled, disposed). */
  private asked: { input: CallInput<N> } | null = null;
  /** Every ask begins a read and dispose counts as a change: an answer is kept only while its read is the newest. */
  private readonly reads = readGeneration();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly api: () => AerisApi,
    private readonly name: N,
  ) {}

  readonly subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  readonly snapshot = (): CallState<CallOutput<N>> => this.state;

  /** Asks with this input (what the page shows now); answers to earlier asks are dropped from here on. */
  ask(input: CallInput<N>): Promise<void> {
    this.asked = { input };
    return this.run(input);
  }

  /** Asks again with the current input: after a mutation, on an event, on a timer. Settles when its answer does. */
  readonly reload = (): Promise<void> => (this.asked ? this.run(this.asked.input) : Promise.resolve());

  /** Reloads whenever the engine sends this event; returns the unsubscribe. */
  reloadOn(event: EventName): () => void {
    return this.api().on(event, () => void this.reload());
  }

  /** Stops: an answer in flight is dropped and `reload` does nothing until the next ask. The data stays. */
  dispose(): void {
    this.reads.changed();
    this.asked = null;
    if (this.state.loading) this.set({ ...this.state, loading: false });
  }

  /** Stops and forgets the data (a reader switched off shows nothing, not what it showed for another input). */
  clear(): void {
    this.dispose();
    this.set(IDLE);
  }

  private async run(input: CallInput<N>): Promise<void> {
    const newest = this.reads.begin();
    if (!this.state.loading) this.set({ ...this.state, loading: true });
    try {
      const data = await this.api().call(this.name, input);
      if (newest()) this.set({ data, error: null, loading: false });
    } catch (err) {
      if (newest()) this.set({ ...this.state, error: errorText(err), loading: false });
    }
  }

  private set(next: CallState<CallOutput<N>>): void {
    if (next === this.state) return;
    this.state = next;
    for (const fn of this.listeners) fn();
  }
}
