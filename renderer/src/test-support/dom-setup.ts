import { configure } from '@testing-library/preact';
/**
 * What jsdom lacks of the browser the UI runs in (Chromium), for the component tests: a modal <dialog> (jsdom
 * has the element but not showModal) and ResizeObserver. Each does the least the components rely on.
 */
if (typeof HTMLDialogElement !== 'undefined' && !('showModal' in HTMLDialogElement.prototype)) {
  Object.assign(HTMLDialogElement.prototype, {
    showModal(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    },
    show(this: HTMLDialogElement) {
      this.setAttribute('open', '');
    },
    close(this: HTMLDialogElement) {
      this.removeAttribute('open');
      // The element's own window's Event. Preact runs an effect's cleanup from a timer, which can fire after
      // the test's environment is torn down: the global Event is Node's by then, and jsdom throws on it.
      const view = this.ownerDocument.defaultView;
      if (view) this.dispatchEvent(new view.Event('close'));
    },
  });
}

if (!('ResizeObserver' in globalThis)) {
  class NoResizeObserver {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  }
  Object.assign(globalThis, { ResizeObserver: NoResizeObserver });
}

// The system theme (lib/theme.ts): a light one, which never changes during a test.
if (typeof window.matchMedia !== 'function') {
  Object.assign(window, {
    matchMedia: (
      query: string,
    ): Pick<MediaQueryList, 'matches' | 'media' | 'addEventListener' | 'removeEventListener'> => ({
      matches: false,
      media: query,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    }),
  });
}

// A page's code is imported (and transformed) the first time it is shown: on a busy machine that can take
// more than the library's default second.
configure({ asyncUtilTimeout: 5000 });
