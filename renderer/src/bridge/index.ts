import type { AerisApi } from '../../../preload/contract';
import { engineErrorText } from '../i18n/engine-text';
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

/**
 * Electron's preload, with failures read from its `reply` so they keep their code and message id (an error
 * thrown across contextBridge arrives with its message only).
 */
function fromPreload(preload: AerisApi): AerisApi {
  const reply = preload.reply?.bind(preload);
  if (!reply) return preload;
  return {
    call: async (name, input) => {
      const r = await reply(name, input);
      if (!r.ok) throw new BridgeError(r.error.code, r.error.message, r.error.details, r.error.text);
      return r.result;
    },
    on: (name, fn) => preload.on(name, fn),
    ...(preload.pathForFile ? { pathForFile: preload.pathForFile.bind(preload) } : {}),
  };
}

/** The contract, however this renderer is hosted: Electron's preload, or the HTTP bridge of `aeris serve`. */
export function getApi(): AerisApi {
  if (api) return api;
  if (window.aeris) return (api = fromPreload(window.aeris));
  const token = takeTokenFromLocation();
  if (!token) throw new BridgeError('unauthorized', TOKEN_REFUSED);
  httpBridge = new HttpBridge(token);
  return (api = httpBridge);
}

/** A failed call in the UI's language where the engine sent a message id; its English words otherwise. */
export function errorText(err: unknown): string {
  return engineErrorText(err);
}
