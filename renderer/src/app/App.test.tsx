import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { RecoveryStatusDto, SettingsDto } from '../../../preload/contract';
import { BridgeError } from '../bridge/http-bridge';
import { engineAnswers, PROVIDERS, SETTINGS } from '../test-support/engine-fixtures';
import { choose, useFakeBridge } from '../test-support/render-with-bridge';

async function startApp() {
  const { App } = await import('./App');
  render(<App />);
  return (await import('../stores/app-store')).useApp;
}

/** settings.update as the engine does it: the patch applied to what is stored. */
function settingsEngine() {
  let stored: SettingsDto = { ...SETTINGS };
  return {
    'settings.get': () => stored,
    'settings.update': (patch: Partial<SettingsDto>) => (stored = { ...stored, ...patch }),
  };
}

describe('the app shell', () => {
  const fake = useFakeBridge(() => ({ ...engineAnswers(), ...settingsEngine() }));

  it('starts on the chat page and moves between pages with the rail and the keyboard', async () => {
    await startApp();
    const rail = await screen.findByRole('navigation', { name: 'Main' });
    expect(within(rail).getByRole('button', { name: 'Chat' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByRole('heading', { name: 'New conversation' })).toBeTruthy();

    fake.bridge.handle({
      'sources.status': () => ({ sources: [], keyStorage: 'file', webTools: false }),
    });
    fireEvent.click(within(rail).getByRole('button', { name: 'Sources' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Data sources' })).toBeTruthy();
    expect(within(rail).getByRole('button', { name: 'Sources' }).getAttribute('aria-current')).toBe('page');

    // Ctrl+1 is the first page; Ctrl+K goes to the chat's search box.
    fireEvent.keyDown(window, { key: '1', ctrlKey: true });
    expect(await screen.findByRole('heading', { name: 'New conversation' })).toBeTruthy();
    fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toBe('Search conversations'));
  });

  it('opens Settings, changes the theme, and lists the keyboard shortcuts', async () => {
    await startApp();
    fireEvent.click(await screen.findByRole('button', { name: /^Settings/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    expect(within(dialog).getByText('Ctrl+Shift+O')).toBeTruthy();
    expect(within(dialog).getByText(/Go to Models/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('radio', { name: 'Dark' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    expect(within(dialog).getByRole('radio', { name: 'Dark' }).getAttribute('aria-checked')).toBe('true');

    fireEvent.input(within(dialog).getByRole('textbox', { name: 'Ollama host' }), {
      target: { value: 'http://192.168.1.20:11434' },
    });
    fireEvent.click(within(dialog).getAllByRole('button', { name: 'Save' })[0]!);
    await waitFor(() =>
      expect(fake.bridge.calls.filter((c) => c.name === 'settings.update').map((c) => c.input)).toContainEqual({
        ollamaHost: 'http://192.168.1.20:11434',
      }),
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Settings' })).toBeNull());
  });

  it('switches the whole UI to French and to Swahili, plurals included', async () => {
    fake.bridge.handle({
      'sessions.list': () => ({
        sessions: [
          { id: 's1', title: 'Kampala', model: null, style: 'general', createdAt: 0, updatedAt: 0, messageCount: 1 },
          { id: 's2', title: 'Nairobi', model: null, style: 'general', createdAt: 0, updatedAt: 0, messageCount: 5 },
        ],
        total: 2,
      }),
    });
    await startApp();
    fireEvent.click(await screen.findByRole('button', { name: /^Settings/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Settings' });
    choose(within(dialog).getByTestId('ui-language'), 'fr');
    expect(await screen.findByRole('dialog', { name: 'Réglages' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('fr');
    expect(fake.bridge.calls.filter((c) => c.name === 'settings.update').map((c) => c.input)).toContainEqual({
      uiLanguage: 'fr',
    });
    const rail = screen.getByRole('navigation', { name: 'Principal' });
    expect(within(rail).getByRole('button', { name: 'Modèles' })).toBeTruthy();
    const list = screen.getByRole('navigation', { name: 'Conversations' });
    expect(list.textContent).toContain('1 message');
    expect(list.textContent).toContain('5 messages');

    choose(screen.getByTestId('ui-language'), 'sw');
    expect(await screen.findByRole('dialog', { name: 'Mipangilio' })).toBeTruthy();
    // Swahili puts the number after the noun, and "ujumbe" has its own plural "jumbe".
    expect(screen.getByRole('navigation', { name: 'Mazungumzo' }).textContent).toContain('ujumbe 1');
    expect(screen.getByRole('navigation', { name: 'Mazungumzo' }).textContent).toContain('jumbe 5');
  });

  it('sets up providers in Settings: saves keys write-only, checks one, refuses a fallback without a model', async () => {
    fake.bridge.handle({
      'providers.update': () => PROVIDERS,
      'providers.check': ({ provider }) => ({ ok: false, detail: `${provider} answered 401` }),
    });
    await startApp();
    fireEvent.click(await screen.findByRole('button', { name: /^Settings/ }));
    const section = await screen.findByRole('region', { name: 'Model provider' });
    expect(await within(section).findByText(/keys kept encrypted by the OS keyring/)).toBeTruthy();
    fireEvent.input(within(section).getByRole('textbox', { name: 'OpenAI-compatible base URL' }), {
      target: { value: 'http://gpu-box.lan:8000/v1' },
    });
    fireEvent.input(within(section).getByLabelText('Gemini API key'), { target: { value: 'AIza-secret' } });
    fireEvent.input(within(section).getByRole('textbox', { name: 'Gemini model' }), {
      target: { value: 'gemini-2.5-flash' },
    });
    fireEvent.click(within(section).getByRole('button', { name: 'Save provider settings' }));
    expect(await within(section).findByRole('status')).toHaveProperty('textContent', 'Saved.');
    expect(fake.bridge.calls.find((c) => c.name === 'providers.update')?.input).toEqual({
      openaiBaseUrl: 'http://gpu-box.lan:8000/v1',
      geminiApiKey: 'AIza-secret',
    });
    expect(within(section).getByLabelText('Gemini API key')).toHaveProperty('value', '');

    fireEvent.click(within(section).getAllByRole('button', { name: 'Check' })[1]!);
    await waitFor(() =>
      expect(within(section).getByRole('status').textContent).toBe('gemini: not usable — gemini answered 401'),
    );
    choose(within(section).getByRole('combobox', { name: 'Fallback provider' }), 'openai-compatible');
    await waitFor(() =>
      expect(within(section).getByRole('status').textContent).toBe('Set a model for openai-compatible first.'),
    );
  });

  it('shows a notice and lets it be dismissed', async () => {
    const useApp = await startApp();
    await screen.findByRole('navigation', { name: 'Main' });
    useApp.getState().notify('error', 'The disk is full.');
    const notice = await screen.findByText('The disk is full.');
    fireEvent.click(within(notice.parentElement!).getByRole('button', { name: 'Dismiss' }));
    await waitFor(() => expect(screen.queryByText('The disk is full.')).toBeNull());
  });
});

describe('the app when it cannot start', () => {
  useFakeBridge(() => ({
    ...engineAnswers(),
    'app.info': () => {
      throw new BridgeError('offline', 'The AERIS-AQ server is not reachable.');
    },
  }));

  it('says so instead of a blank window', async () => {
    await startApp();
    const alert = await screen.findByRole('alert');
    expect(within(alert).getByRole('heading', { name: 'AERIS-AQ cannot start' })).toBeTruthy();
    expect(alert.textContent).toContain('The AERIS-AQ server is not reachable.');
  });
});

const DAMAGED: RecoveryStatusDto = {
  active: true,
  damage: 'corrupt',
  reason: 'The database file is damaged (page 3 is unreadable).',
  since: 1,
  backups: [
    {
      name: 'aeris-backup-new.aerisbak',
      createdAt: new Date(Date.now() - 2 * 86_400_000).toISOString(),
      sessions: 4,
      messages: 20,
      sizeBytes: 1000,
      kind: 'scheduled',
      firstMessageAt: null,
      lastMessageAt: '2026-01-08T10:00:00.000Z',
    },
    {
      name: 'aeris-backup-old.aerisbak',
      createdAt: '2025-12-01T10:00:00.000Z',
      sessions: 1,
      messages: 1,
      sizeBytes: 500,
      kind: 'manual',
      firstMessageAt: null,
      lastMessageAt: null,
    },
  ],
  damagedBackups: [{ name: 'aeris-backup-bad.aerisbak', message: 'checksum' }],
};

describe('the recovery screen', () => {
  const fake = useFakeBridge(() => ({
    ...engineAnswers(),
    'recovery.status': () => DAMAGED,
    'recovery.restore': ({ name }) => ({
      restored: DAMAGED.backups.find((b) => b.name === name)!,
      keptAside: '/data/aeris/aeris.db.damaged-1',
    }),
    'recovery.salvage': () => ({
      tables: [
        { table: 'sessions', kept: 3, expected: 4, lost: 1, unreadable: false },
        { table: 'messages', kept: 12, expected: 12, lost: 0, unreadable: false },
        { table: 'aq_cache', kept: 0, expected: null, lost: null, unreadable: true },
      ],
      headerRepaired: false,
      keptAside: '/data/aeris/aeris.db.damaged-2',
    }),
  }));

  it('replaces the app, offers the newest backup first, and restores it', async () => {
    await startApp();
    expect(await screen.findByRole('heading', { name: 'Your chat history needs repair' })).toBeTruthy();
    expect(await screen.findByText(/page 3 is unreadable/)).toBeTruthy();
    expect(screen.getByText('Newest')).toBeTruthy();
    expect(screen.getByText(/1 backup file could not be used/).textContent).toContain('aeris-backup-bad.aerisbak');
    expect(screen.queryByRole('navigation', { name: 'Main' })).toBeNull();
    const restoreButtons = screen.getAllByRole('button', { name: /^Restore the backup from/ });
    expect(restoreButtons).toHaveLength(2);
    fireEvent.click(restoreButtons[0]!);
    expect(await screen.findByRole('heading', { name: 'Your chat history is back' })).toBeTruthy();
    expect(screen.getByText(/4 conversations, 20 messages/)).toBeTruthy();
    expect(screen.getByText('/data/aeris/aeris.db.damaged-1')).toBeTruthy();
    expect(fake.bridge.calls.find((c) => c.name === 'recovery.restore')?.input).toEqual({
      name: 'aeris-backup-new.aerisbak',
    });

    fake.bridge.handle({ 'recovery.status': () => ({ ...DAMAGED, active: false }) });
    fireEvent.click(screen.getByRole('button', { name: 'Open AERIS-AQ' }));
    expect(await screen.findByRole('navigation', { name: 'Main' })).toBeTruthy();
  });

  it('salvages what can be read and says what was lost, table by table', async () => {
    await startApp();
    fireEvent.click(await screen.findByRole('button', { name: 'Salvage what can be read' }));
    expect(
      await screen.findByText('Everything that could still be read was saved into a new, healthy file.'),
    ).toBeTruthy();
    const conversations = screen.getByRole('rowheader', { name: 'Conversations' }).parentElement!;
    expect(conversations.textContent).toContain('3 kept');
    expect(conversations.textContent).toContain('1 could not be read');
    expect(screen.getByRole('rowheader', { name: 'Messages' }).parentElement!.textContent).toContain('all kept');
    expect(screen.getByRole('rowheader', { name: 'Saved air-quality readings' }).parentElement!.textContent).toContain(
      'none could be read',
    );
  });

  it('says why a restore failed and keeps the choices open', async () => {
    fake.bridge.handle({
      'recovery.restore': () => {
        throw new BridgeError('backup_damaged', 'That backup does not pass its checksum.');
      },
    });
    await startApp();
    fireEvent.click((await screen.findAllByRole('button', { name: /^Restore the backup from/ }))[1]!);
    expect((await screen.findByRole('alert')).textContent).toBe('That backup does not pass its checksum.');
    expect(screen.getAllByRole('button', { name: /^Restore the backup from/ })[1]).toHaveProperty('disabled', false);
  });
});
