import type { EventMap, EventName } from '../../preload/contract';
import type { EventBus } from '../core/event-bus';
import type { EngineEvents } from '../engine';

/**
 * The compile-time check that the engine's events are the contract's: the same names both ways, and each
 * engine payload assignable to the contract's DTO. When they diverge, `tsc` fails on this file.
 */
type SameKeys<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never] ? true : { onlyIn: Exclude<A | B, A & B> };
const sameNames: SameKeys<keyof EngineEvents, EventName> = true;

/** One entry per contract event; each is the identity, so assigning EngineEvents[K] to EventMap[K] is checked. */
const toContract: { [K in EventName]: (payload: EngineEvents[K]) => EventMap[K] } = {
  'chat.event': (p) => p,
  'imports.progress': (p) => p,
  'settings.changed': (p) => p,
  'ollama.engine': (p) => p,
  'models.pull': (p) => p,
  'backups.progress': (p) => p,
};

/** A shell's way out for events (IPC to the window, SSE to a browser), typed by the contract. */
type SendEvent = <K extends EventName>(name: K, payload: EventMap[K]) => void;

/** Forwards every engine event to `send` as its contract DTO; returns the unsubscribe. */
export function forwardEngineEvents(events: EventBus<EngineEvents>, send: SendEvent): () => void {
  void sameNames;
  const names = Object.keys(toContract) as EventName[];
  const offs = names.map(<K extends EventName>(name: K) => events.on(name, (p) => send(name, toContract[name](p))));
  return () => {
    for (const off of offs) off();
  };
}
