import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { CatalogDto, EngineStatusDto, InstalledModelsDto, SettingsDto } from '../../../../preload/contract';
import {
  catalogModel,
  engineAnswers,
  HARDWARE,
  HEALTH,
  INFO,
  modelRow,
  PROVIDERS,
  pullSnapshot,
  SETTINGS,
} from '../../test-support/engine-fixtures';
import { useFakeBridge } from '../../test-support/render-with-bridge';

const ENGINE: EngineStatusDto = {
  state: 'running',
  host: 'http://127.0.0.1:11434',
  message: null,
  version: '0.12.3',
  pid: 4242,
  binary: '/opt/ollama/bin/ollama',
  restarts: 0,
  logFile: '/data/aeris/logs/ollama.log',
};

const CATALOG: CatalogDto = {
  models: [
    catalogModel('phi3:mini'),
    catalogModel('qwen2.5:3b', { installed: true }),
    catalogModel('nomic-embed-text', { capabilities: ['embedding'] }),
  ],
  recommended: 'phi3:mini',
  numCtx: 4096,
  machine: { gpus: [], ramTotalBytes: 32e9, ramFreeBytes: 20e9, notes: [] },
};

const INSTALLED: InstalledModelsDto = {
  models: [modelRow('qwen2.5:3b')],
  totalBytes: 1.9e9,
  defaultModel: null,
  disk: { modelsDir: '/data/ollama/models', freeBytes: 40e9, volumeBytes: 250e9 },
};

/** A first run: the wizard shows until onboardingDone is saved. */
function firstRun() {
  let stored: SettingsDto = { ...SETTINGS, onboardingDone: false };
  return {
    ...engineAnswers(),
    'settings.get': () => stored,
    'settings.update': (patch: Partial<SettingsDto>) => (stored = { ...stored, ...patch }),
    'hardware.detect': () => HARDWARE,
    'engine.status': () => ENGINE,
    'engine.logTail': () => ({ file: ENGINE.logFile, lines: [] }),
    'models.installed': () => INSTALLED,
    'models.catalog': () => CATALOG,
    'models.pulls': () => ({ pulls: [], resumable: [] }),
    'models.setDefault': ({ name }: { name: string | null }) => ({ defaultModel: name }),
    'imports.legacyFound': () => ({ path: '/srv/aeris/data/aeris_agent.db', sessions: 3, messages: 10 }),
    'imports.legacyImportFound': () => ({ sessions: 3, messages: 9, skipped: 1, reasons: { 'empty message': 1 } }),
  };
}

async function startWizard() {
  const { App } = await import('../../app/App');
  render(<App />);
  return screen.findByTestId('onboarding');
}

const next = () => fireEvent.click(screen.getByRole('button', { name: /^(Next|Get started)$/ }));

describe('first-run wizard', () => {
  const fake = useFakeBridge(firstRun);

  it('walks from welcome to a model already here, and lands in the chat with it as default', async () => {
    await startWizard();
    expect(await screen.findByRole('heading', { name: 'Welcome to AERIS-AQ' })).toBeTruthy();
    expect(screen.getByTestId('ob-data-dir').textContent).toBe('/data/aeris');
    expect(screen.getByText('Step 1 of 7')).toBeTruthy();

    next();
    expect(
      await screen.findByRole('heading', { name: 'Bring conversations from the AirQualityAgent server' }),
    ).toBeTruthy();
    const found = await screen.findByTestId('ob-history-found');
    expect(found.textContent).toContain('3 conversations, 10 messages');
    fireEvent.click(within(found).getByRole('button', { name: /Import them/ }));
    const result = screen.getByTestId('ob-history-result');
    await waitFor(() => expect(result.textContent).toContain('Imported 3 conversations and 9 messages'));
    expect(result.textContent).toContain('1 row skipped: 1 × empty message.');

    next();
    const hw = await screen.findByTestId('ob-hardware');
    expect(hw.textContent).toContain('RTX 3060');
    expect(hw.textContent).toContain('12 cores');

    next();
    const engine = await screen.findByTestId('ob-engine');
    expect(engine.textContent).toContain('Started');
    expect(engine.textContent).toContain('0.12.3');

    next();
    const recommended = await screen.findByTestId('ob-recommended');
    expect(recommended.textContent).toContain('phi3:mini');
    expect(recommended.textContent).toContain('Recommended for this computer');
    const here = await screen.findByTestId('ob-installed-qwen2.5:3b');
    fireEvent.click(within(here).getByRole('button', { name: 'Use qwen2.5:3b and finish' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.setDefault')?.input).toEqual({ name: 'qwen2.5:3b' }),
    );
    expect(await screen.findByRole('heading', { name: 'New conversation' })).toBeTruthy();
    expect(fake.bridge.calls.filter((c) => c.name === 'settings.update').map((c) => c.input)).toContainEqual({
      onboardingDone: true,
    });
  });

  it('connects to an Ollama on the network from the Ollama step', async () => {
    fake.bridge.handle({
      'engine.status': () => ({ ...ENGINE, state: 'external', host: 'http://192.168.1.20:11434' }),
      'health.get': () => ({ ...HEALTH, ollama: 'connected (0.12.5)' }),
      'app.info': () => INFO,
    });
    await startWizard();
    fireEvent.click(await screen.findByRole('button', { name: /Ollama/ }));
    const address = await screen.findByRole('textbox', { name: /Address/ });
    expect(screen.getByRole('button', { name: 'Connect' })).toHaveProperty('disabled', true);
    fireEvent.input(address, { target: { value: 'http://192.168.1.20:11434' } });
    fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByText('Connected to Ollama 0.12.5 at http://192.168.1.20:11434.')).toBeTruthy();
    expect(fake.bridge.calls.filter((c) => c.name === 'settings.update').map((c) => c.input)).toContainEqual({
      ollamaHost: 'http://192.168.1.20:11434',
    });
  });

  it('downloads the recommended model, and says what to do when the download fails', async () => {
    fake.bridge.handle({ 'models.pullStart': ({ name }) => pullSnapshot({ name, percent: 0 }) });
    await startWizard();
    fireEvent.click(await screen.findByRole('button', { name: /Your model/ }));
    fireEvent.click(await screen.findByRole('button', { name: /Download phi3:mini/ }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.pullStart')?.input).toEqual({ name: 'phi3:mini' }),
    );
    fake.bridge.emit(
      'models.pull',
      pullSnapshot({
        name: 'phi3:mini',
        state: 'failed',
        percent: 10,
        error: 'pull model manifest: dial tcp: lookup registry.ollama.ai: no such host',
        updatedAt: 500,
      }),
    );
    const failed = await screen.findByTestId('ob-pull-failed');
    expect(failed.textContent).toContain('The download did not work');
    expect(failed.textContent).toContain('no such host');
    fireEvent.click(within(failed).getByRole('button', { name: /Import from a folder or USB drive/ }));
    expect(await screen.findByRole('tab', { name: /From a folder or USB drive/, selected: true })).toBeTruthy();
  });

  it('offers an online provider as well, tests it, and saves the choice', async () => {
    fake.bridge.handle({
      'providers.test': ({ baseUrl }) => ({ ok: true, detail: `${baseUrl} answered with 3 models`, cloud: false }),
      'providers.update': () => PROVIDERS,
    });
    await startWizard();
    fireEvent.click(await screen.findByRole('button', { name: /Who answers/ }));
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Also use an online provider' }));
    fireEvent.input(screen.getByRole('textbox', { name: 'Server address' }), {
      target: { value: 'http://gpu-box.lan:8000/v1' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(await screen.findByText('http://gpu-box.lan:8000/v1 answered with 3 models')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Save online provider' }));
    expect(await screen.findByText('Saved. New chats stay local.')).toBeTruthy();
    expect(fake.bridge.calls.find((c) => c.name === 'providers.update')?.input).toEqual({
      openaiBaseUrl: 'http://gpu-box.lan:8000/v1',
      openaiApiKey: null,
    });
  });

  it('is skipped with Escape, and saves that it was done', async () => {
    await startWizard();
    // The wizard announces the step by focusing its title; its keys work from then on.
    const title = await screen.findByRole('heading', { name: 'Welcome to AERIS-AQ' });
    await waitFor(() => expect(document.activeElement).toBe(title));
    fireEvent.keyDown(title, { key: 'Escape' });
    expect(await screen.findByRole('heading', { name: 'New conversation' })).toBeTruthy();
    expect(fake.bridge.calls.filter((c) => c.name === 'settings.update').map((c) => c.input)).toContainEqual({
      onboardingDone: true,
    });
  });
});
