import type {
  AerisApi,
  CallInput,
  CallName,
  CallOutput,
  EventMap,
  EventName,
  MessageDto,
} from '../../../preload/contract';
import { BridgeError } from '../bridge/http-bridge';

type Handler<N extends CallName> = (input: CallInput<N>) => CallOutput<N> | Promise<CallOutput<N>>;
type Handlers = { [N in CallName]?: Handler<N> };

const HEALTHY_STORE = { active: false, damage: null, reason: null, since: null, backups: [], damagedBackups: [] };

/**
 * The contract in memory for store tests: each call is answered by the handler the test gives (or fails with
 * `not_faked`, so a test sees the call it did not expect), and events are pushed with `emit`.
 */
export class FakeBridge implements AerisApi {
  readonly calls: Array<{ name: CallName; input: unknown }> = [];
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();

  constructor(private handlers: Handlers = {}) {
    // Start-up asks whether the store is damaged; a healthy store unless a test says otherwise.
    this.handlers = { 'recovery.status': () => HEALTHY_STORE, ...handlers };
  }

  handle(more: Handlers): void {
    this.handlers = { ...this.handlers, ...more };
  }

  count(name: CallName): number {
    return this.calls.filter((c) => c.name === name).length;
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    this.calls.push({ name, input });
    const h = this.handlers[name] as Handler<N> | undefined;
    if (!h) throw new BridgeError('not_faked', `no fake answer for ${name}`);
    return h(input);
  }

  on<E extends EventName>(name: E, fn: (payload: EventMap[E]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn as (p: unknown) => void);
    return () => set.delete(fn as (p: unknown) => void);
  }

  emit<E extends EventName>(name: E, payload: EventMap[E]): void {
    for (const fn of this.listeners.get(name) ?? []) fn(payload);
  }
}

/** A promise the test settles by hand (a slow answer). */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(err: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (v: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise callback that is ready run: a timer fires only after the microtask queue is empty. */
export function settle(): Promise<void> {
  return new Promise((r) => setTimeout(r));
}

export function message(over: Partial<MessageDto> & Pick<MessageDto, 'id' | 'sessionId'>): MessageDto {
  return {
    role: 'assistant',
    content: '',
    status: 'streaming',
    model: 'qwen2.5:3b',
    error: null,
    toolsUsed: [],
    tools: [],
    tokens: 0,
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}
