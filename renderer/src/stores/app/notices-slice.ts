import type { SliceDeps, Slice } from './types';

export interface Notice {
  id: number;
  kind: 'error' | 'info' | 'warning';
  text: string;
}

/** Toasts: at most four at a time; errors stay until closed, the others go after `noticeMs`. */
export interface NoticesSlice {
  notices: Notice[];
  notify(kind: Notice['kind'], text: string): void;
  dismiss(id: number): void;
}

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
