/** A small typed publish/subscribe hub; shells forward its events to IPC or SSE (main/api/engine-events.ts). */
export class EventBus<Events extends { [K in keyof Events]: unknown }> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  on<K extends keyof Events>(name: K, fn: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  emit<K extends keyof Events>(name: K, payload: Events[K]): void {
    for (const fn of this.listeners.get(name) ?? []) (fn as (p: Events[K]) => void)(payload);
  }
}
