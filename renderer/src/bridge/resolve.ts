import type { AerisApi } from '../../../preload/contract';
import { BridgeError, HttpBridge, TOKEN_REFUSED } from './http-bridge';
import { takeTokenFromLocation, type TokenHost } from './location-token';

/** How this renderer reaches the engine. */
interface Bridge {
  /** The contract: Electron's preload, or the HTTP bridge of `aeris serve`. */
  readonly api: AerisApi;
  /** The HTTP bridge in serve mode (raw uploads, a stream that can drop and come back); null under Electron. */
  readonly http: HttpBridge | null;
}

/** The window a bridge is found in: the preload's `aeris` first, else serve's token in the address. */
export type BridgeHost = TokenHost & { aeris?: AerisApi };

/**
 * Finds the contract, however this renderer is hosted. The preload's `window.aeris` comes first (tests install
 * a FakeBridge there); without it, serve's token makes an HTTP bridge; without a token, nothing can be reached.
 */
export function resolveBridge(host: BridgeHost): Bridge {
  if (host.aeris) return { api: fromPreload(host.aeris), http: null };
  const token = takeTokenFromLocation(host);
  if (!token) throw new BridgeError('unauthorized', TOKEN_REFUSED);
  const http = new HttpBridge(token);
  return { api: http, http };
}

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
