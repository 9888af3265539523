import type { NavigationSlice, Slice } from './types';

export const navigationSlice = (): Slice<NavigationSlice> => (set) => ({
  settingsOpen: false,
  page: 'chat',
  searchFocusWanted: false,
  setPage(id) {
    set({ page: id });
  },
  focusSearch() {
    // The search box lives on the chat page.
    set({ page: 'chat', searchFocusWanted: true });
  },
  searchFocusDone() {
    set({ searchFocusWanted: false });
  },
  openSettings(open) {
    set({ settingsOpen: open });
  },
});
