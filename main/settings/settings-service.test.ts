import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createEngine } from '../engine';
import { createHandlers } from '../api/handlers';
import { dispatch } from '../api/dispatch';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { SettingsService } from './settings-service';
import { MemoryLogger } from '../../test/doubles/memory-logger';

const readConfig = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('onboardingDone', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let file: string;
  beforeEach(() => {
    tmp = makeTempDir();
    file = path.join(tmp.dir, 'config.json');
  });
  afterEach(() => tmp.cleanup());

  it('is false on a fresh install, and settling it without history writes nothing', () => {
    const s = new SettingsService(file);
    expect(s.get().onboardingDone).toBe(false);
    s.settleOnboarding(() => false);
    expect(s.get().onboardingDone).toBe(false);
    expect(fs.existsSync(file)).toBe(false);
  });

  it("a fresh install's settings are exactly what the schema makes of an empty config.json", () => {
    const fresh = new SettingsService(file).get();
    fs.writeFileSync(file, '{}');
    expect(new SettingsService(file).get()).toEqual(fresh);
  });

  it('marks an install from before the wizard done when it already has conversations, and saves that', () => {
    fs.writeFileSync(file, JSON.stringify({ theme: 'dark', defaultModel: 'qwen2.5:3b' }));
    const s = new SettingsService(file);
    expect(s.get().onboardingDone).toBe(false);
    s.settleOnboarding(() => true);
    expect(s.get()).toMatchObject({ onboardingDone: true, theme: 'dark', defaultModel: 'qwen2.5:3b' });
    expect(readConfig(file)).toMatchObject({ onboardingDone: true, theme: 'dark' });
  });

  it('never overrides a saved answer, whatever the history', () => {
    fs.writeFileSync(file, JSON.stringify({ onboardingDone: false }));
    const s = new SettingsService(file);
    let asked = false;
    s.settleOnboarding(() => (asked = true));
    expect(asked).toBe(false);
    expect(s.get().onboardingDone).toBe(false);
  });

  it('asks only once per run', () => {
    const s = new SettingsService(file);
    let asked = 0;
    s.settleOnboarding(() => (asked++, false));
    s.settleOnboarding(() => (asked++, true));
    expect(asked).toBe(1);
    expect(s.get().onboardingDone).toBe(false);
  });

  it('a patch changes only what it names (zod 4 would fill the defaults of a .partial())', () => {
    const s = new SettingsService(file);
    s.update({ defaultModel: 'qwen2.5:3b', ollamaHost: 'http://10.0.0.5:11434', location: 'Kampala' });
    s.update({ onboardingDone: true });
    s.update({ theme: 'dark' });
    expect(new SettingsService(file).get()).toEqual({
      ollamaHost: 'http://10.0.0.5:11434',
      defaultModel: 'qwen2.5:3b',
      defaultStyle: 'general',
      theme: 'dark',
      location: 'Kampala',
      onboardingDone: true,
      exportFolder: null,
      defaultProvider: 'ollama',
      providerFallback: [],
      allowCloud: false,
      openaiModel: null,
      geminiModel: null,
      uiLanguage: null,
    });
  });

  it('is saved through settings.update like any other setting', () => {
    const s = new SettingsService(file);
    s.update({ onboardingDone: true });
    expect(new SettingsService(file).get().onboardingDone).toBe(true);
  });
});

describe('onboardingDone in the engine', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (tmp = makeTempDir()));
  afterEach(() => tmp.cleanup());

  const open = () =>
    createEngine({ dataDir: tmp.dir, ollamaHost: 'http://127.0.0.1:9', env: {}, logger: new MemoryLogger() });

  it('shows the wizard on a fresh data dir, and keeps it done once finished', async () => {
    const engine = open();
    const handlers = createHandlers(engine, 'serve');
    expect(await dispatch(handlers, 'settings.get', {})).toMatchObject({ onboardingDone: false });
    expect(await dispatch(handlers, 'settings.update', { onboardingDone: true })).toMatchObject({
      onboardingDone: true,
    });
    await engine.close();
    const again = open();
    expect(again.settings.get().onboardingDone).toBe(true);
    await again.close();
  });

  it('treats an existing install with conversations and no onboardingDone as done', async () => {
    const engine = open();
    engine.store.sessions.create({ title: 'PM2.5 in Kampala' });
    // config.json as an older version wrote it: no onboardingDone.
    engine.settings.update({ location: 'Kampala' });
    const cfg = path.join(tmp.dir, 'config.json');
    const old = readConfig(cfg);
    delete old.onboardingDone;
    fs.writeFileSync(cfg, JSON.stringify(old));
    await engine.close();

    const upgraded = open();
    expect(upgraded.settings.get()).toMatchObject({ onboardingDone: true, location: 'Kampala' });
    expect(readConfig(cfg).onboardingDone).toBe(true);
    await upgraded.close();
  });

  it('keeps the wizard for an older install with no conversations', async () => {
    const engine = open();
    await engine.close();
    fs.writeFileSync(path.join(tmp.dir, 'config.json'), JSON.stringify({ theme: 'light' }));
    const upgraded = open();
    expect(upgraded.settings.get()).toMatchObject({ onboardingDone: false, theme: 'light' });
    await upgraded.close();
  });
});

describe('ollamaHost', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('refuses an address Ollama could never be at, in words, and saves nothing', () => {
    const file = path.join(tmp.dir, 'config.json');
    const settings = new SettingsService(file);
    settings.update({ theme: 'dark' });
    const before = fs.readFileSync(file, 'utf8');
    expect(() => settings.update({ ollamaHost: 'gpu box' })).toThrow('“gpu box” is not a computer name or IP address.');
    expect(() => settings.update({ ollamaHost: 'gpu-box:99999' })).toThrow('is not a port number');
    expect(() => settings.update({ ollamaHost: 'ftp://gpu-box' })).toThrow('Use an http:// or https:// address');
    // With the message id too, so the Settings dialog says it in the UI's language (issue 15).
    expect(() => settings.update({ ollamaHost: 'gpu-box:99999' })).toThrow(
      expect.objectContaining({ text: { id: 'error.hostPort', params: { port: '99999' } } }),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(settings.get().ollamaHost).toBeNull();
  });

  it('stores the address normalised, as the engine will report it', () => {
    const settings = new SettingsService(path.join(tmp.dir, 'config.json'));
    expect(settings.update({ ollamaHost: ' 192.168.1.20 ' }).ollamaHost).toBe('http://192.168.1.20:11434');
    expect(settings.update({ ollamaHost: 'gpu-box.lan:8080' }).ollamaHost).toBe('http://gpu-box.lan:8080');
  });
});
