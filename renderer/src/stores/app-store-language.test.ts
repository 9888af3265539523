import { afterEach, describe, expect, it } from 'vitest';
import type { SettingsDto } from '../../../preload/contract';
import { currentLanguage, setLanguage, t } from '../i18n';
import { FakeBridge } from '../test-support/fake-bridge';
import { createAppStore } from './app-store';

const SETTINGS: SettingsDto = {
  ollamaHost: null,
  defaultModel: null,
  defaultStyle: 'general',
  theme: 'system',
  location: null,
  onboardingDone: true,
  exportFolder: null,
  uiLanguage: null,
};

afterEach(async () => {
  await setLanguage('en');
});

describe('app store: the UI language', () => {
  it('sends the language shown with every chat request, so the model answers in it', async () => {
    const bridge = new FakeBridge({
      'chat.send': () => ({ streamId: '1', sessionId: 's1', userMessageId: 1, assistantMessageId: 2, model: 'm' }),
      'chat.regenerate': () => ({
        streamId: '3',
        sessionId: 's1',
        userMessageId: null,
        assistantMessageId: 4,
        model: 'm',
      }),
      'chat.edit': () => ({ streamId: '5', sessionId: 's1', userMessageId: 1, assistantMessageId: 6, model: 'm' }),
      'messages.list': () => ({ messages: [], total: 0 }),
      'sessions.list': () => ({ sessions: [], total: 0 }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await setLanguage('fr');
    await store.getState().send('Et l’air à Dakar ?');
    expect(bridge.calls.find((c) => c.name === 'chat.send')?.input).toMatchObject({ language: 'fr' });
    await setLanguage('sw');
    await store.getState().regenerate();
    expect(bridge.calls.find((c) => c.name === 'chat.regenerate')?.input).toMatchObject({ language: 'sw' });
    await store.getState().editAndResend(1, 'Hewa ya Nairobi?');
    expect(bridge.calls.find((c) => c.name === 'chat.edit')?.input).toMatchObject({ language: 'sw' });
  });

  it('switches the UI at once when Settings saves a language, and back to the system language when cleared', async () => {
    let saved: SettingsDto = SETTINGS;
    const bridge = new FakeBridge({
      'settings.update': (patch) => (saved = { ...saved, ...(patch as Partial<SettingsDto>) }),
    });
    const store = createAppStore({ api: () => bridge, connection: () => null });
    await store.getState().updateSettings({ uiLanguage: 'sw' });
    expect(currentLanguage()).toBe('sw');
    expect(t('nav.settings')).toBe('Mipangilio');
    expect(store.getState().settings?.uiLanguage).toBe('sw');
    // Null follows the system; Node has no navigator.languages, so the system language is English here.
    await store.getState().updateSettings({ uiLanguage: null });
    expect(currentLanguage()).toBe('en');
  });
});
