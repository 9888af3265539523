import type { AerisApi } from '../../../preload/contract';
import { BridgeError, type HttpBridge } from './http-bridge';
import { lazy } from '../../../preload/shared/lazy';
import { resolveBridge } from './resolve';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    aeris?: AerisApi;
  }
}

export { BridgeError };
export { errorText } from './error-text';

/**
 * The composition root of the bridge: this window's contract, resolved on first use and then kept. A `const`
 * memo rather than a module `let`: resolving takes the token out of the address, and waits for a first caller
 * so that a page opened without a token still renders (start-up then shows why nothing can be reached).
 */
const bridge = lazy(() => resolveBridge(window));

/** The contract, however this renderer is hosted: Electron's preload, or the HTTP bridge of `aeris serve`. */
export function getApi(): AerisApi {
  return bridge().api;
}

/** The HTTP bridge in serve mode; null under Electron (where files are read by path instead). */
export function getHttpBridge(): HttpBridge | null {
  return bridge().http;
}
