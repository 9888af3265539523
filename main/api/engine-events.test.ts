import { describe, expect, it } from 'vitest';
import type { EventName } from '../../preload/contract';
import { EVENT_NAMES } from '../../preload/contract';
import { EventBus } from '../core/event-bus';
import type { EngineEvents } from '../engine';
import { forwardEngineEvents } from './engine-events';

describe('forwardEngineEvents', () => {
  it('sends each engine event by its contract name until unsubscribed', () => {
    const bus = new EventBus<EngineEvents>();
    const sent: Array<[EventName, unknown]> = [];
    const off = forwardEngineEvents(bus, (name, payload) => sent.push([name, payload]));
    bus.emit('settings.changed', { ollamaHost: 'http://127.0.0.1:11434' });
    bus.emit('backups.progress', { op: 'create', phase: 'copy', done: 1, total: 2, fraction: 0.275 });
    off();
    bus.emit('settings.changed', { ollamaHost: 'http://elsewhere:11434' });
    expect(sent).toEqual([
      ['settings.changed', { ollamaHost: 'http://127.0.0.1:11434' }],
      ['backups.progress', { op: 'create', phase: 'copy', done: 1, total: 2, fraction: 0.275 }],
    ]);
  });

  it('forwards every event the bridge announces as ready', () => {
    const bus = new EventBus<EngineEvents>();
    const seen: EventName[] = [];
    forwardEngineEvents(bus, (name) => seen.push(name));
    // Payloads do not matter here (the compile-time check covers them); only which names get through.
    for (const name of EVENT_NAMES) bus.emit(name, {} as never);
    expect(seen).toEqual(EVENT_NAMES);
  });
});
