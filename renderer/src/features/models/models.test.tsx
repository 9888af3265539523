import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { CatalogDto, EngineStatusDto, InstalledModelsDto } from '../../../../preload/contract';
import { catalogModel, engineAnswers, modelRow, pullSnapshot } from '../../test-support/engine-fixtures';
import { useFakeBridge } from '../../test-support/render-with-bridge';

const ENGINE: EngineStatusDto = {
  state: 'running',
  host: 'http://127.0.0.1:11434',
  message: null,
  version: '0.12.3',
  pid: 4242,
  binary: '/opt/ollama/bin/ollama',
  restarts: 1,
  logFile: '/data/aeris/logs/ollama.log',
};

const INSTALLED: InstalledModelsDto = {
  models: [
    modelRow('qwen2.5:3b', {
      loaded: true,
      gpuShare: 1,
      loadedBytes: 2_400_000_000,
      contextLength: 4096,
      estimate: {
        contextLength: 4096,
        estimateBytes: 2_300_000_000,
        sizeBytes: 2_400_000_000,
        sizeVramBytes: 2_400_000_000,
        gpuFraction: 1,
        differencePct: -4.2,
      },
    }),
    modelRow('llama3.2:1b', { family: '', capabilities: ['completion', 'vision'] }),
  ],
  totalBytes: 3_800_000_000,
  defaultModel: 'qwen2.5:3b',
  disk: { modelsDir: '/data/ollama/models', freeBytes: 40_000_000_000, volumeBytes: 250_000_000_000 },
};

const CATALOG: CatalogDto = {
  models: [
    catalogModel('qwen2.5:3b', { installed: true }),
    catalogModel('phi3:mini', {
      verdict: 'partial',
      gpuFraction: 0.6,
      reason: '60% of layers fit in VRAM',
      gpuLayers: 20,
      totalLayers: 33,
      basis: 'estimated',
      estimatorVersion: '0.12',
    }),
    catalogModel('llama3.1:70b', { verdict: 'too-large', gpuFraction: 0, reason: 'needs 43 GB' }),
  ],
  recommended: 'phi3:mini',
  numCtx: 4096,
  machine: {
    gpus: [{ name: 'RTX 3060', vramTotalBytes: 12e9, vramFreeBytes: 10e9, sharesSystemRam: false }],
    ramTotalBytes: 32e9,
    ramFreeBytes: 20e9,
    notes: [],
  },
};

async function openModels() {
  const { useApp } = await import('../../stores/app-store');
  const { ModelsPage } = await import('./ModelsPage');
  await useApp.getState().init();
  render(<ModelsPage />);
}

describe('models page', () => {
  const fake = useFakeBridge(() => ({
    ...engineAnswers(),
    'engine.status': () => ENGINE,
    'engine.logTail': () => ({ file: ENGINE.logFile, lines: ['time=… level=INFO msg="listening on 127.0.0.1:11434"'] }),
    'engine.restart': () => ({ ...ENGINE, restarts: 2 }),
    'models.installed': () => INSTALLED,
    'models.catalog': () => CATALOG,
    'models.pulls': () => ({ pulls: [], resumable: [] }),
    'models.setDefault': ({ name }) => ({ defaultModel: name }),
    'models.unload': () => ({ unloaded: true }),
    'models.preload': () => ({ loaded: true }),
    'models.delete': () => ({ deleted: true }),
    'models.pullStart': ({ name }) => pullSnapshot({ name, percent: 0 }),
  }));

  it('shows the engine, installed models with their memory, and the default star', async () => {
    await openModels();
    const engine = await screen.findByRole('region', { name: 'Ollama engine' });
    expect(await within(engine).findByText('Running')).toBeTruthy();
    expect(within(engine).getByText('1 since the last stable run')).toBeTruthy();

    const installed = screen.getByRole('region', { name: 'Installed models' });
    const qwen = await within(installed).findByTestId('installed-qwen2.5:3b');
    expect(within(qwen).getByRole('button', { name: 'qwen2.5:3b is the default model' })).toHaveProperty(
      'ariaPressed',
      'true',
    );
    expect(within(qwen).getByTestId('share-qwen2.5:3b').textContent).toMatch(/GPU/);
    expect(qwen.textContent).toContain('(-4%)');
    // The quantization in words; its GGUF name only as the tooltip.
    expect(within(qwen).getByText('4-bit').getAttribute('title')).toBe('Q4_K_M');
    expect(qwen.textContent).not.toContain('Q4_K_M');
    const llama = within(installed).getByTestId('installed-llama3.2:1b');
    expect(within(llama).getByText('unknown family')).toBeTruthy();
    expect(within(llama).getByText('Not loaded')).toBeTruthy();

    fireEvent.click(within(llama).getByRole('button', { name: 'Make llama3.2:1b the default model' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.setDefault')?.input).toEqual({ name: 'llama3.2:1b' }),
    );
    fireEvent.click(within(qwen).getByRole('button', { name: 'Unload' }));
    fireEvent.click(within(llama).getByRole('button', { name: 'Load' }));
    await waitFor(() => expect(fake.bridge.count('models.unload') + fake.bridge.count('models.preload')).toBe(2));
  });

  it('asks before deleting a model and says what it frees', async () => {
    await openModels();
    const installed = await screen.findByRole('region', { name: 'Installed models' });
    fireEvent.click(await within(installed).findByRole('button', { name: 'Delete qwen2.5:3b' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Delete qwen2.5:3b?' });
    expect(ask.textContent).toContain('This frees 1.9 GB on disk.');
    expect(ask.textContent).toContain('It is your default model');
    fireEvent.click(within(ask).getByRole('button', { name: 'Keep it' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
    expect(fake.bridge.count('models.delete')).toBe(0);

    fireEvent.click(within(installed).getByRole('button', { name: 'Delete llama3.2:1b' }));
    fireEvent.click(within(await screen.findByRole('alertdialog')).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.delete')?.input).toEqual({ name: 'llama3.2:1b' }),
    );
  });

  it('lists the catalog by fit, explains a verdict, hides what cannot run and pulls', async () => {
    await openModels();
    const catalog = await screen.findByRole('region', { name: 'Catalog' });
    const phi = await within(catalog).findByTestId('catalog-phi3:mini');
    expect(within(phi).getByText('Best pick')).toBeTruthy();
    expect(within(phi).getByText('60% of layers fit in VRAM')).toBeTruthy();
    expect(catalog.textContent).toContain('RTX 3060');
    fireEvent.click(within(phi).getByRole('button', { name: 'Why?' }));
    expect(within(phi).getByText('20/33 layers on the GPU.', { exact: false })).toBeTruthy();
    expect(within(phi).getByRole('rowheader', { name: 'KV cache' })).toBeTruthy();

    expect(within(catalog).queryByTestId('catalog-llama3.1:70b')).toBeNull();
    fireEvent.click(within(catalog).getByRole('button', { name: 'Show 1 model too large for this computer' }));
    const big = within(catalog).getByTestId('catalog-llama3.1:70b');
    expect(within(big).getByRole('button', { name: 'Pull llama3.1:70b' }).textContent).toBe('Pull anyway');

    fireEvent.click(within(phi).getByRole('button', { name: 'Pull phi3:mini' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.pullStart')?.input).toEqual({ name: 'phi3:mini' }),
    );
    fake.bridge.emit('models.pull', pullSnapshot({ name: 'phi3:mini', percent: 42, updatedAt: 200 }));
    const downloads = await screen.findByRole('region', { name: 'Downloads' });
    const row = within(downloads).getByTestId('pull-phi3:mini');
    expect(row.textContent).toContain('Downloading');
    expect(row.textContent).toContain('42%');
  });

  it('checks a model name as it is typed before pulling it', async () => {
    await openModels();
    const field = await screen.findByLabelText('Pull by name');
    fireEvent.input(field, { target: { value: 'bad name!' } });
    expect(field.getAttribute('aria-invalid')).toBe('true');
    const form = field.closest('form')!;
    expect(within(form).getByRole('button', { name: 'Pull' })).toHaveProperty('disabled', true);
    fireEvent.input(field, { target: { value: 'mistral:7b' } });
    expect(field.getAttribute('aria-invalid')).toBe('false');
    fireEvent.submit(form);
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.pullStart')?.input).toEqual({ name: 'mistral:7b' }),
    );
    await waitFor(() => expect((field as HTMLInputElement).value).toBe(''));
  });
});

describe('models page: downloads and transfer', () => {
  const fake = useFakeBridge(() => ({
    ...engineAnswers(),
    'engine.status': () => ({ ...ENGINE, state: 'external', pid: null }),
    'engine.logTail': () => ({ file: ENGINE.logFile, lines: [] }),
    'models.installed': () => INSTALLED,
    'models.catalog': () => CATALOG,
    'models.pulls': () => ({
      pulls: [
        pullSnapshot({ name: 'gemma2:2b', state: 'queued', queuePosition: 2, percent: null }),
        pullSnapshot({
          name: 'mistral:7b',
          layers: [{ digest: 'sha256:0123456789abcdef0123', total: 1000, completed: 250 }],
        }),
        pullSnapshot({ name: 'phi3:mini', state: 'interrupted', resumable: true, percent: 70, error: 'network lost' }),
      ],
      resumable: [],
    }),
    'models.pullCancel': () => ({ cancelled: true }),
    'models.pullResume': ({ name }) => pullSnapshot({ name, updatedAt: 300 }),
    'models.export': ({ name, dir }) => ({ models: [name], bytesCopied: 1_900_000_000, blobs: 3, dir }),
    'models.import': ({ dir }) => ({ models: ['tinyllama:1b'], bytesCopied: 0, blobs: 2, dir }),
  }));

  it('shows downloads waiting, running with layers, and one to resume', async () => {
    await openModels();
    const downloads = await screen.findByRole('region', { name: 'Downloads' });
    expect(within(downloads).getByText('1 unfinished download can be resumed')).toBeTruthy();
    expect(within(downloads).getByTestId('pull-gemma2:2b').textContent).toContain('number 2 in line');
    expect(within(downloads).getByRole('list', { name: 'mistral:7b layers' }).textContent).toContain('0123456789ab');
    const phi = within(downloads).getByTestId('pull-phi3:mini');
    expect(phi.textContent).toContain('network lost');
    expect(phi.textContent).toContain('Resume continues where it stopped');
    fireEvent.click(within(phi).getByRole('button', { name: 'Resume' }));
    fireEvent.click(within(within(downloads).getByTestId('pull-mistral:7b')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(fake.bridge.count('models.pullResume')).toBe(1));
    await waitFor(() => expect(fake.bridge.count('models.pullCancel')).toBe(1));
  });

  it('exports a model to a folder and imports one, saying what was copied', async () => {
    await openModels();
    const card = await screen.findByRole('region', { name: 'Offline transfer' });
    const exportButton = within(card).getByRole('button', { name: 'Export' });
    expect(exportButton).toHaveProperty('disabled', true);
    fireEvent.input(within(card).getByLabelText('To folder'), { target: { value: '/media/usb' } });
    await waitFor(() => expect(within(card).getByLabelText('Model')).toHaveProperty('value', 'qwen2.5:3b'));
    fireEvent.click(exportButton);
    expect(await within(card).findByRole('status')).toHaveProperty(
      'textContent',
      'Exported qwen2.5:3b (1.9 GB, 3 files checked) to /media/usb.',
    );
    fireEvent.input(within(card).getByLabelText('From folder'), { target: { value: '/media/usb' } });
    fireEvent.click(within(card).getByRole('checkbox'));
    fireEvent.click(within(card).getByRole('button', { name: 'Import' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'models.import')?.input).toEqual({
        dir: '/media/usb',
        overwrite: true,
      }),
    );
    await waitFor(() => expect(within(card).getByRole('status').textContent).toContain('nothing new to copy'));
  });
});
