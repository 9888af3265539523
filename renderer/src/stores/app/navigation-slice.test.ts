import { describe, expect, it } from 'vitest';
import { FakeBridge } from '../../test-support/fake-bridge';
import { createAppStore } from '../app-store';

describe('navigation slice', () => {
  it('asks the search box for focus on the chat page and clears the request once taken', () => {
    const store = createAppStore({ api: () => new FakeBridge(), connection: () => null });
    store.getState().setPage('models');
    store.getState().focusSearch();
    expect(store.getState()).toMatchObject({ page: 'chat', searchFocusWanted: true });
    store.getState().searchFocusDone();
    expect(store.getState().searchFocusWanted).toBe(false);
  });

  it('starts on the chat page with settings closed, shows the page asked for, and opens and closes settings', () => {
    const store = createAppStore({ api: () => new FakeBridge(), connection: () => null });
    expect(store.getState()).toMatchObject({ page: 'chat', settingsOpen: false, searchFocusWanted: false });
    store.getState().setPage('dashboard');
    store.getState().openSettings(true);
    expect(store.getState()).toMatchObject({ page: 'dashboard', settingsOpen: true });
    store.getState().openSettings(false);
    expect(store.getState()).toMatchObject({ page: 'dashboard', settingsOpen: false });
  });
});
