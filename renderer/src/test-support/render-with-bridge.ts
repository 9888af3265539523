import { cleanup } from '@testing-library/preact';
import { afterEach, beforeEach, vi } from 'vitest';
import { withEnglish } from './english';
import { FakeBridge } from './fake-bridge';

type Handlers = NonNullable<ConstructorParameters<typeof FakeBridge>[0]>;

/**
 * For component tests: before each test a fresh FakeBridge becomes `window.aeris` and the module registry is
 * emptied, so the stores a test then imports (`await import('./ChatView')`) reach this bridge and start from
 * their first state. Components must therefore be imported inside the test, after this hook has run.
 */
export function useFakeBridge(handlers: () => Handlers = () => ({})): { readonly bridge: FakeBridge } {
  let current: FakeBridge | null = null;
  beforeEach(async () => {
    vi.resetModules();
    // The fresh i18n module the components will import, with English in it as the app has before it renders.
    withEnglish((await import('../i18n')).i18n);
    localStorage.clear();
    current = new FakeBridge(handlers());
    window.aeris = current;
  });
  afterEach(() => {
    cleanup();
    vi.restoreAllMocks();
    delete window.aeris;
    current = null;
  });
  return {
    get bridge(): FakeBridge {
      if (!current) throw new Error('useFakeBridge: the bridge exists only inside a test');
      return current;
    },
  };
}

/**
 * Picks an option the way a person does: a `change` event on the <select>. (The library's fireEvent.change
 * sends `input`, as Preact listens for on text fields; a <select>'s onChange listens for `change`.)
 */
export function choose(select: HTMLElement, value: string): void {
  if (!(select instanceof HTMLSelectElement)) throw new Error('choose: not a <select>');
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Picks files in an <input type="file"> the way the browser reports it: `files` set, then `change`. */
export function pickFiles(input: HTMLElement, files: File[]): void {
  if (!(input instanceof HTMLInputElement) || input.type !== 'file') throw new Error('pickFiles: not a file input');
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  input.dispatchEvent(new Event('change', { bubbles: true }));
}
