import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../engine';
import { MemoryLogger } from '../../../test/doubles/memory-logger';
import { FileSecretStore } from '../../settings/secret-store';
import { createHandlers, type Handlers } from '../handlers';
import { dispatch } from '../dispatch';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { startOpenAiEmulator, type OpenAiCompatibleEmulator } from '../../../e2e/emulators/openai-compatible-emulator';
import type { ProvidersStatusDto } from '../../../preload/contract';

const KEY = 'sk-lan-server-secret';

describe('providers.* calls', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let emu: OpenAiCompatibleEmulator;
  let engine: Engine;
  let handlers: Handlers;
  beforeEach(async () => {
    tmp = makeTempDir();
    emu = await startOpenAiEmulator({ apiKey: KEY, models: ['llama-3.1-8b-instruct'] });
    engine = createEngine({
      dataDir: tmp.dir,
      env: {},
      logger: new MemoryLogger(),
      online: () => false,
      secretStore: new FileSecretStore(path.join(tmp.dir, 'secrets.json')),
    });
    handlers = createHandlers(engine, 'serve');
  });
  afterEach(async () => {
    await engine.close();
    await emu.close();
    tmp.cleanup();
  });

  it('saves a URL and key (0600, never in config.json or the answers), lists models, checks, and drops the key with a new URL', async () => {
    const status = (await dispatch(handlers, 'providers.update', {
      openaiBaseUrl: emu.baseUrl,
      openaiApiKey: KEY,
    })) as ProvidersStatusDto;
    expect(JSON.stringify(status)).not.toContain(KEY);
    const openai = status.providers.find((p) => p.id === 'openai-compatible')!;
    expect(openai).toMatchObject({ baseUrl: emu.baseUrl, baseUrlFrom: 'settings', keyConfigured: true, cloud: false });
    expect(status.online).toBe(false);
    const config = path.join(tmp.dir, 'config.json');
    if (fs.existsSync(config)) expect(fs.readFileSync(config, 'utf8')).not.toContain(KEY);
    expect(fs.readFileSync(path.join(tmp.dir, 'secrets.json'), 'utf8')).toContain(KEY);
    if (process.platform !== 'win32') expect(fs.statSync(path.join(tmp.dir, 'secrets.json')).mode & 0o777).toBe(0o600);

    // A LAN server is not the cloud: offline does not stop it.
    expect(await dispatch(handlers, 'providers.models', { provider: 'openai-compatible' })).toEqual({
      models: ['llama-3.1-8b-instruct'],
    });
    expect(await dispatch(handlers, 'providers.check', { provider: 'openai-compatible' })).toMatchObject({ ok: true });
    // Gemini is the cloud and this machine is offline: nothing is asked.
    expect(await dispatch(handlers, 'providers.check', { provider: 'gemini' })).toMatchObject({ ok: false });

    const moved = (await dispatch(handlers, 'providers.update', {
      openaiBaseUrl: 'http://gpu-box.lan:8000/v1',
    })) as ProvidersStatusDto;
    expect(moved.providers.find((p) => p.id === 'openai-compatible')).toMatchObject({ keyConfigured: false });
    expect(JSON.stringify((engine.logger as MemoryLogger).entries)).not.toContain(KEY);
  });

  it('refuses a URL that is not http(s) and unknown fields', async () => {
    await expect(dispatch(handlers, 'providers.update', { openaiBaseUrl: 'file:///etc/passwd' })).rejects.toMatchObject(
      {
        code: 'bad_request',
      },
    );
    await expect(dispatch(handlers, 'providers.update', { apiKey: 'x' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('tests a URL and key before saving (nothing kept), and offline refuses only the cloud', async () => {
    expect(
      await dispatch(handlers, 'providers.test', { provider: 'openai-compatible', baseUrl: emu.baseUrl, apiKey: KEY }),
    ).toEqual({
      ok: true,
      cloud: false,
      detail: `1 model(s) at ${emu.baseUrl}`,
      // The same for the UI's language (issue 15).
      text: { id: 'health.providerModels', params: { provider: 'openai-compatible', count: 1, url: emu.baseUrl } },
    });
    const wrong = (await dispatch(handlers, 'providers.test', {
      provider: 'openai-compatible',
      baseUrl: emu.baseUrl,
      apiKey: 'sk-wrong',
    })) as { ok: boolean; detail: string };
    expect(wrong.ok).toBe(false);
    expect(wrong.detail).not.toContain('sk-wrong');
    // This engine is offline: Google's endpoint is not asked at all.
    expect(
      await dispatch(handlers, 'providers.test', { provider: 'gemini', baseUrl: null, apiKey: 'AIza' }),
    ).toMatchObject({
      ok: false,
      cloud: true,
      detail: expect.stringContaining('offline') as unknown,
      text: { id: 'provider.testOffline', params: {} },
    });
    expect(
      await dispatch(handlers, 'providers.test', { provider: 'openai-compatible', baseUrl: 'gpu box', apiKey: null }),
    ).toMatchObject({ ok: false, text: { id: 'provider.notAUrl', params: { url: 'gpu box' } } });
    // Nothing was saved by testing.
    const status = (await dispatch(handlers, 'providers.status', {})) as ProvidersStatusDto;
    expect(status.providers.find((p) => p.id === 'openai-compatible')).toMatchObject({ keyConfigured: false });
  });

  it('moves a chat to another provider with that provider’s model, and says who answers it', async () => {
    await dispatch(handlers, 'providers.update', { openaiBaseUrl: emu.baseUrl, openaiApiKey: KEY });
    const session = engine.conversations.create({ title: 'a chat', model: 'qwen2.5:3b' });
    expect(await dispatch(handlers, 'providers.ofChat', { sessionId: session.id })).toEqual({
      provider: 'ollama',
      model: 'qwen2.5:3b',
    });
    // No model set for the server in Settings: the first it lists.
    expect(
      await dispatch(handlers, 'providers.setForChat', { sessionId: session.id, provider: 'openai-compatible' }),
    ).toEqual({ provider: 'openai-compatible', model: 'llama-3.1-8b-instruct' });
    expect(await dispatch(handlers, 'providers.ofChat', { sessionId: session.id })).toEqual({
      provider: 'openai-compatible',
      model: 'llama-3.1-8b-instruct',
    });
    // Gemini has no key: refused in words, the chat unchanged.
    await expect(
      dispatch(handlers, 'providers.setForChat', { sessionId: session.id, provider: 'gemini' }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(engine.conversations.provider(session.id)).toBe('openai-compatible');
  });
});
