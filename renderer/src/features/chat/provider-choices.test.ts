import { describe, expect, it } from 'vitest';
import type { ProvidersStatusDto, ProviderStatusDto } from '../../../../preload/contract';
import { providerChoices } from './provider-choices';

const provider = (p: Partial<ProviderStatusDto> & Pick<ProviderStatusDto, 'id'>): ProviderStatusDto => ({
  configured: true,
  cloud: false,
  baseUrl: '',
  baseUrlFrom: 'none',
  keyConfigured: false,
  model: null,
  ...p,
});

const status = (online: boolean, providers: ProviderStatusDto[]): ProvidersStatusDto => ({
  keyStorage: 'file',
  defaultProvider: 'ollama',
  online,
  providers,
});

describe('providerChoices', () => {
  const nothingSetUp = [
    provider({ id: 'ollama', baseUrl: 'http://127.0.0.1:11434', baseUrlFrom: 'settings' }),
    provider({ id: 'openai-compatible', cloud: true, baseUrl: 'https://api.openai.com/v1', baseUrlFrom: 'default' }),
    provider({ id: 'gemini', cloud: true, configured: false, baseUrlFrom: 'default' }),
  ];

  it('offers Ollama always, and says what is missing for providers not set up', () => {
    expect(providerChoices(status(true, nothingSetUp), false)).toEqual([
      { id: 'ollama', label: 'Ollama (local)', reason: null, needsSetup: false },
      {
        id: 'openai-compatible',
        label: 'OpenAI-compatible server',
        reason: 'not set up: add the server’s address',
        needsSetup: true,
      },
      { id: 'gemini', label: 'Gemini', reason: 'not set up: add a Gemini key', needsSetup: true },
    ]);
  });

  it('a LAN server works offline; an online provider needs internet and the cloud allowed', () => {
    const setUp = [
      nothingSetUp[0]!,
      provider({ id: 'openai-compatible', baseUrl: 'http://gpu-box.lan:8000/v1', baseUrlFrom: 'settings' }),
      provider({ id: 'gemini', cloud: true, keyConfigured: true, baseUrlFrom: 'default' }),
    ];
    const offline = providerChoices(status(false, setUp), true);
    expect(offline.map((c) => [c.id, c.reason])).toEqual([
      ['ollama', null],
      ['openai-compatible', null],
      ['gemini', 'needs internet'],
    ]);
    expect(providerChoices(status(true, setUp), true).every((c) => c.reason === null)).toBe(true);
    expect(providerChoices(status(true, setUp), false)[2]).toMatchObject({
      reason: 'online providers are turned off in Settings',
      needsSetup: true,
    });
  });
});
