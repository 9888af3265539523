import { createAppStore } from '../stores/app-store';
import type { AppStoreDeps } from '../stores/app/types';
import type { FakeBridge } from './fake-bridge';

/** An app store on a fake bridge, following its chat events the way init() does, without the rest of start-up. */
export function storeOn(bridge: FakeBridge, deps: Omit<AppStoreDeps, 'api' | 'connection'> = {}) {
  const store = createAppStore({ api: () => bridge, connection: () => null, ...deps });
  bridge.on('chat.event', (e) => store.getState().onChatEvent(e));
  return store;
}
