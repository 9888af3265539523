import type { NoticesSlice, Slice, SliceDeps } from './types';

/** The most notices shown at once: a fifth pushes out the oldest. */
const MAX_NOTICES = 4;

export const noticesSlice =
  (deps: Pick<SliceDeps, 'timers' | 'noticeMs'>): Slice<NoticesSlice> =>
  (set, get) => {
    let seq = 0;
    return {
      notices: [],
      notify(kind, text) {
        const id = ++seq;
        set((s) => ({ notices: [...s.notices.slice(-(MAX_NOTICES - 1)), { id, kind, text }] }));
        if (kind !== 'error') deps.timers.setTimeout(() => get().dismiss(id), deps.noticeMs);
      },
      dismiss(id) {
        set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
      },
    };
  };
