import type { Slice } from './types';

/** Where the user is: the page shown, the settings dialog, and a request for the search box's focus. */
export interface NavigationSlice {
  settingsOpen: boolean;
  /** The page shown (see app/pages.tsx). */
  page: string;
  /** Asks the search box to take focus (the box owns its element; the store only asks). */
  searchFocusWanted: boolean;
  setPage(id: string): void;
  focusSearch(): void;
  searchFocusDone(): void;
  openSettings(open: boolean): void;
}

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
