import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeBridge } from '../../test-support/fake-bridge';
import { createAppStore } from '../app-store';

afterEach(() => {
  vi.useRealTimers();
});

describe('notices slice', () => {
  it('keeps error notices until closed, lets info notices go after their time, and shows at most four', () => {
    vi.useFakeTimers();
    const store = createAppStore({ api: () => new FakeBridge(), connection: () => null, noticeMs: 5000 });
    const { notify } = store.getState();
    notify('error', 'e1');
    notify('info', 'i1');
    vi.advanceTimersByTime(4999);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e1', 'i1']);
    vi.advanceTimersByTime(1);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e1']);
    for (const t of ['e2', 'e3', 'e4', 'e5']) notify('error', t);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e2', 'e3', 'e4', 'e5']);
    store.getState().dismiss(store.getState().notices[0]!.id);
    expect(store.getState().notices.map((n) => n.text)).toEqual(['e3', 'e4', 'e5']);
  });

  it('lets info and warning notices go on the timers it is given, after noticeMs', () => {
    const due: Array<{ run: () => void; ms: number }> = [];
    const store = createAppStore({
      api: () => new FakeBridge(),
      connection: () => null,
      noticeMs: 1234,
      timers: { setTimeout: (run, ms) => due.push({ run, ms }) },
    });
    const { notify } = store.getState();
    notify('warning', 'w1');
    notify('error', 'e1');
    notify('info', 'i1');
    // Errors are never timed.
    expect(due.map((d) => d.ms)).toEqual([1234, 1234]);
    due[1]!.run();
    expect(store.getState().notices.map((n) => n.text)).toEqual(['w1', 'e1']);
    due[0]!.run();
    expect(store.getState().notices.map((n) => [n.kind, n.text])).toEqual([['error', 'e1']]);
  });
});
