import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { ChatSettings } from '../../../../preload/shared/chat-settings';
import { BridgeError } from '../../bridge/http-bridge';
import { useFakeBridge } from '../../test-support/render-with-bridge';

/** The engine's answers for one chat whose settings live in `saved` (as the engine keeps them). */
function settingsEngine(saved: { current: ChatSettings }) {
  return () => ({
    'chat.getSettings': () => saved.current,
    'chat.setSettings': (input: {
      sessionId: string;
      systemPrompt?: string | null;
      temperature?: number | null;
      contextLength?: number | null;
    }) => {
      if (input.contextLength === 65536)
        throw new BridgeError(
          'bad_request',
          'qwen2.5:3b reads at most 32768 tokens; choose a context length up to that.',
          {},
          { id: 'error.contextLengthOverModel', params: { model: 'qwen2.5:3b', max: 32768 } },
        );
      const next: ChatSettings = {};
      if (input.systemPrompt) next.systemPrompt = input.systemPrompt;
      if (input.temperature != null) next.temperature = input.temperature;
      if (input.contextLength != null) next.contextLength = input.contextLength;
      saved.current = next;
      return next;
    },
  });
}

async function openDialog() {
  const { ChatSettingsButton } = await import('./ChatSettingsDialog');
  render(<ChatSettingsButton sessionId="s1" />);
  fireEvent.click(await screen.findByRole('button', { name: 'Chat settings' }));
  const dialog = await screen.findByRole('dialog', { name: 'Chat settings' });
  await within(dialog).findByLabelText('Instructions for this chat');
  return dialog;
}

describe('chat settings dialog', () => {
  const saved = { current: { temperature: 0.3 } as ChatSettings };
  const fake = useFakeBridge(() => {
    saved.current = { temperature: 0.3 };
    return settingsEngine(saved)();
  });
  const setCalls = () => fake.bridge.calls.filter((c) => c.name === 'chat.setSettings').map((c) => c.input);

  it('shows what is saved, in plain words, and saves all three for this chat', async () => {
    const dialog = await openDialog();
    const temperature = within(dialog).getByRole<HTMLInputElement>('spinbutton', { name: 'Temperature' });
    expect(temperature.value).toBe('0.3');
    expect(within(dialog).getByText(/Lower = more focused, higher = more creative/)).toBeTruthy();
    expect(within(dialog).getByText(/How much of the conversation the model remembers/)).toBeTruthy();

    fireEvent.input(within(dialog).getByLabelText('Instructions for this chat'), {
      target: { value: 'Answer in short bullet points.' },
    });
    expect(within(dialog).getByText('30 / 4000 characters')).toBeTruthy();
    fireEvent.input(within(dialog).getByRole('slider', { name: 'Temperature slider' }), { target: { value: '1.2' } });
    expect(temperature.value).toBe('1.2');
    fireEvent.input(within(dialog).getByRole('spinbutton', { name: 'Context length' }), {
      target: { value: '8192' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(setCalls()).toEqual([
      { sessionId: 's1', systemPrompt: 'Answer in short bullet points.', temperature: 1.2, contextLength: 8192 },
    ]);
    // The header button marks a chat with settings of its own.
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Chat settings' }).classList.contains('is-custom')).toBe(true),
    );
  });

  it('refuses values out of range before asking the engine, and shows the engine’s own refusal', async () => {
    const dialog = await openDialog();
    const temperature = within(dialog).getByRole('spinbutton', { name: 'Temperature' });
    fireEvent.input(temperature, { target: { value: '3' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Choose a temperature between 0 and 2.');
    fireEvent.input(temperature, { target: { value: '0.5' } });
    fireEvent.input(within(dialog).getByRole('spinbutton', { name: 'Context length' }), { target: { value: '10' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert').textContent).toBe(
        'Choose a context length between 512 and 131072 tokens.',
      ),
    );
    expect(setCalls()).toEqual([]);

    // Above what the model reads: only the engine knows; its refusal is shown and the dialog stays open.
    fireEvent.input(within(dialog).getByRole('spinbutton', { name: 'Context length' }), {
      target: { value: '65536' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(within(dialog).getByRole('alert').textContent).toBe(
        'qwen2.5:3b reads at most 32,768 tokens; choose a context length up to that.',
      ),
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(saved.current).toEqual({ temperature: 0.3 });
  });

  it('Reset to defaults clears every setting of the chat', async () => {
    saved.current = { systemPrompt: 'Be brief.', temperature: 0.3, contextLength: 2048 };
    const dialog = await openDialog();
    expect(within(dialog).getByLabelText<HTMLTextAreaElement>('Instructions for this chat').value).toBe('Be brief.');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Reset to defaults' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(setCalls()).toEqual([{ sessionId: 's1', systemPrompt: null, temperature: null, contextLength: null }]);
    expect(saved.current).toEqual({});
  });
});
