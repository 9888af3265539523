import type { AppInfoDto, InstalledModelDto, SettingsDto } from '../../../preload/contract';
import { createAppStore } from '../stores/app-store';
import type { AppStoreDeps } from '../stores/app/types';
import type { FakeBridge } from './fake-bridge';

export const SETTINGS: SettingsDto = {
  ollamaHost: null,
  defaultModel: 'qwen2.5:3b',
  defaultStyle: 'general',
  theme: 'system',
  location: null,
  onboardingDone: true,
  exportFolder: null,
};

export const APP_INFO: AppInfoDto = {
  name: 'AERIS-AQ',
  version: '0.1.0',
  dataDir: '/d',
  ollamaHost: 'http://127.0.0.1:11434',
  ollamaHostSource: 'default',
  shell: 'serve',
};

export function installedModel(name: string): InstalledModelDto {
  return { name, family: '', parameterSize: '', quantization: '', sizeBytes: 1, modifiedAt: '', digest: '' };
}

/** An app store on a fake bridge, following its chat events the way init() does, without the rest of start-up. */
export function storeOn(bridge: FakeBridge, deps: Omit<AppStoreDeps, 'api' | 'connection'> = {}) {
  const store = createAppStore({ api: () => bridge, connection: () => null, ...deps });
  bridge.on('chat.event', (e) => store.getState().onChatEvent(e));
  return store;
}
