import type { AerisApi } from '../../../preload/contract';
import { BridgeError, HttpBridge, TOKEN_REFUSED } from './http-bridge';
import { takeTokenFromLocation } from './location-token';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    aeris?: AerisApi;
  }
}

export { BridgeError };

let api: AerisApi | null = null;
export let httpBridge: HttpBridge | null = null;

/** The contract, however this renderer is hosted: Electron's preload, or the HTTP bridge of `aeris serve`. */
export function getApi(): AerisApi {
  if (api) return api;
  if (window.aeris) return (api = window.aeris);
  const token = takeTokenFromLocation();
  if (!token) throw new BridgeError('unauthorized', TOKEN_REFUSED);
  httpBridge = new HttpBridge(token);
  return (api = httpBridge);
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
