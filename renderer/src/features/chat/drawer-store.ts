import { create } from 'zustand';

/** Whether the conversation list is open as a drawer (windows narrower than 860 px; wider it is always shown). */
export const useDrawer = create<{ open: boolean; setOpen(open: boolean): void }>((set) => ({
  open: false,
  setOpen: (open) => set({ open }),
}));
