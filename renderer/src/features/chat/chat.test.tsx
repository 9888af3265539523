import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { MessageDto } from '../../../../preload/contract';
import { engineAnswers, session, tool } from '../../test-support/engine-fixtures';
import { message } from '../../test-support/fake-bridge';
import { useFakeBridge } from '../../test-support/render-with-bridge';

const S1 = session({ id: 's1', title: 'Harmattan dust', messageCount: 2 });
const S2 = session({ id: 's2', title: 'Kampala school run', messageCount: 1 });
const QUESTION = message({ id: 1, sessionId: 's1', role: 'user', content: 'Is the air bad?', status: 'complete' });

const reply = (over: Partial<MessageDto> = {}): MessageDto =>
  message({ id: 2, sessionId: 's1', status: 'complete', tokens: 12, ...over });

/** The chat page on an engine with two conversations; the first one open with `messages`. */
function chatEngine(messages: MessageDto[]) {
  return () => ({
    ...engineAnswers(),
    'sessions.list': () => ({ sessions: [S1, S2], total: 2 }),
    'messages.list': ({ sessionId }: { sessionId: string }) => ({
      messages: sessionId === 's1' ? messages : [],
      total: messages.length,
    }),
    'providers.ofChat': () => ({ provider: 'ollama' as const, model: null }),
  });
}

async function openChat() {
  const { useApp } = await import('../../stores/app-store');
  const { ChatPage } = await import('./ChatPage');
  await useApp.getState().init();
  render(<ChatPage />);
  return useApp;
}

describe('chat: a conversation on screen', () => {
  const fake = useFakeBridge(
    chatEngine([
      QUESTION,
      reply({
        content: [
          '**PM2.5** is high. [WHO](https://www.who.int) and [click me](javascript:alert(1))',
          '',
          '<script>window.pwned = 1</script><img src="x" onerror="window.pwned = 2"><b>bold</b>',
          '',
          '```',
          'aqi = 160',
          '```',
        ].join('\n'),
      }),
    ]),
  );

  it('shows the open conversation with its reply as sanitised Markdown', async () => {
    await openChat();
    expect(await screen.findByRole('heading', { name: 'Harmattan dust' })).toBeTruthy();
    expect(screen.getByText('Is the air bad?')).toBeTruthy();
    const strong = await screen.findByText('PM2.5');
    expect(strong.tagName).toBe('STRONG');
    // An http(s) link opens outside the app; a javascript: link keeps its words as plain text, not a link.
    expect(screen.getByRole('link', { name: 'WHO' }).getAttribute('href')).toBe('https://www.who.int');
    expect(screen.getByRole('link', { name: 'WHO' }).getAttribute('rel')).toContain('noopener');
    expect(screen.queryByRole('link', { name: 'click me' })).toBeNull();
    const markdown = document.querySelector('.markdown')!;
    expect(markdown.textContent).toContain('click me');
    // Raw HTML from the model is shown as the text it is, never parsed: no script, no image, no <b>.
    expect(markdown.querySelector('script, img, b')).toBeNull();
    expect(markdown.textContent).toContain('<img src="x" onerror="window.pwned = 2"><b>bold</b>');
    expect((window as { pwned?: number }).pwned).toBeUndefined();
    expect(markdown.querySelector('pre code')?.textContent).toContain('aqi = 160');
  });

  it("copies a code block's raw code with its Copy button, which says so", async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await openChat();
    // The reply has its own Copy button too: this is the one in the code block's header.
    const block = await waitFor(() => {
      const found = document.querySelector('.markdown .code-block');
      if (!(found instanceof HTMLElement)) throw new Error('no code block yet');
      return found;
    });
    expect(block.querySelector('.code-lang')?.textContent).toBe('Code');
    fireEvent.click(within(block).getByRole('button', { name: 'Copy' }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith('aqi = 160'));
    expect(within(block).getByRole('button', { name: 'Copied' })).toBeTruthy();
  });

  it('copies a reply, lists conversations with their counts and exports the open one', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(() => Promise.resolve());
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    fake.bridge.handle({
      'sessions.export': () => ({ filename: 'chat.md', mimeType: 'text/markdown', content: '# chat' }),
    });
    URL.createObjectURL = vi.fn(() => 'blob:chat');
    URL.revokeObjectURL = vi.fn();
    // The download is an <a download> clicked by the store: catch the click (jsdom cannot save files).
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(`${this.download} ${this.href}`);
    });
    await openChat();
    fireEvent.click(await screen.findByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(expect.stringContaining('**PM2.5** is high.'));

    const list = screen.getByRole('navigation', { name: 'Conversations' });
    expect(within(list).getByText('Kampala school run')).toBeTruthy();
    expect(within(list).getByText(/2 messages/)).toBeTruthy();
    expect(within(list).getByText(/1 message$/)).toBeTruthy();

    fireEvent.click(screen.getByTitle('Export as Markdown'));
    await waitFor(() => expect(fake.bridge.count('sessions.export')).toBe(1));
    expect(fake.bridge.calls.find((c) => c.name === 'sessions.export')?.input).toEqual({
      id: 's1',
      format: 'markdown',
    });
    await waitFor(() => expect(downloads).toEqual(['chat.md blob:chat']));
  });

  it('renames and deletes a conversation from the list', async () => {
    fake.bridge.handle({
      'sessions.rename': ({ id, title }) => ({ ...S1, id, title }),
      'sessions.delete': () => ({ deleted: true }),
    });
    await openChat();
    fireEvent.click(await screen.findByRole('button', { name: 'Rename Kampala school run' }));
    const box = screen.getByRole('textbox', { name: 'New title' });
    fireEvent.input(box, { target: { value: 'Kampala mornings' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'sessions.rename')?.input).toEqual({
        id: 's2',
        title: 'Kampala mornings',
      }),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Delete Harmattan dust' }));
    const dialog = await screen.findByRole('alertdialog', { name: 'Delete “Harmattan dust”?' });
    expect(within(dialog).getByText(/All its messages are deleted/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(fake.bridge.calls.some((c) => c.name === 'sessions.delete')).toBe(true));
    expect(fake.bridge.calls.find((c) => c.name === 'sessions.delete')?.input).toEqual({ id: 's1' });
    // The deleted conversation was open: the view goes back to a new one.
    expect(await screen.findByRole('heading', { name: 'New conversation' })).toBeTruthy();
  });
});

describe('chat: answers, versions and tools', () => {
  useFakeBridge(
    chatEngine([
      QUESTION,
      reply({
        content: 'The newest answer.',
        earlierAnswers: [{ content: 'The first answer.', model: 'llama3.2:3b', tokens: 5, createdAt: 0, updatedAt: 0 }],
        tools: [
          tool({
            seq: 1,
            name: 'get_city_air_quality',
            label: 'Kampala',
            sources: ['airqo'],
            cached: true,
            summary: 'PM2.5 61 µg/m³',
            aqi: { value: 154, category: 'Unhealthy', color: '#ff0000', pollutant: 'pm25', place: 'Kampala' },
          }),
          tool({ seq: 2, name: 'compute_aqi', status: 'error', durationMs: 1500 }),
        ],
      }),
    ]),
  );

  it('moves between regenerated answers with ‹ 1/2 ›', async () => {
    await openChat();
    expect(await screen.findByText('The newest answer.')).toBeTruthy();
    expect(screen.getByTestId('answer-version').textContent).toBe('2/2');
    expect(screen.getByRole('button', { name: 'Later answer' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Earlier answer' }));
    expect(await screen.findByText('The first answer.')).toBeTruthy();
    expect(screen.getByTestId('answer-version').textContent).toBe('1/2');
    expect(screen.queryByText('The newest answer.')).toBeNull();
    // An earlier answer shows its own model, and none of the newest answer's tools.
    expect(screen.getByTestId('msg-figures').textContent).toContain('llama3.2:3b');
    expect(screen.queryByTestId('tool-chip')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Later answer' }));
    expect(await screen.findByText('The newest answer.')).toBeTruthy();
  });

  it('says what the tools did in plain words, with the AQI badge and their details', async () => {
    await openChat();
    const chips = await screen.findAllByTestId('tool-chip');
    expect(chips).toHaveLength(2);
    expect(chips[0]!.textContent).toContain('Looked up the air in Kampala');
    expect(within(chips[0]!).getByText('cached')).toBeTruthy();
    expect(within(chips[0]!).getByText('PM2.5 61 µg/m³')).toBeTruthy();
    expect(within(chips[0]!).getByText('get_city_air_quality')).toBeTruthy();
    expect(within(chips[1]!).getByLabelText('failed')).toBeTruthy();
    expect(chips[1]!.textContent).toContain('1.5 s');
    const badge = screen.getByTestId('aqi-badge');
    expect(badge.textContent).toContain('AQI 154');
    expect(badge.getAttribute('title')).toContain('dominant PM2.5');
    // White text reads on red.
    expect(badge.style.color).toBe('rgb(255, 255, 255)');
  });
});

describe('chat: asking', () => {
  const fake = useFakeBridge(() => ({
    ...engineAnswers(),
    'chat.send': () => {
      fake.bridge.emit('chat.event', { type: 'start', streamId: '7', sessionId: 's9', messageId: 2, model: 'm' });
      return { streamId: '7', sessionId: 's9', userMessageId: 1, assistantMessageId: 2, model: 'qwen2.5:3b' };
    },
    'messages.list': () => ({
      messages: [
        message({ id: 1, sessionId: 's9', role: 'user', content: 'How is the air?', status: 'complete' }),
        message({ id: 2, sessionId: 's9', content: '', status: 'streaming' }),
      ],
      total: 2,
    }),
    'chat.stop': () => ({ stopped: true }),
  }));

  it('sends a question with Enter, shows the reply being written, and stops it', async () => {
    await openChat();
    expect(await screen.findByRole('heading', { name: 'New conversation' })).toBeTruthy();
    expect(screen.getByText('What would you like to know about the air?')).toBeTruthy();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: '  How is the air?  ' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(fake.bridge.count('chat.send')).toBe(1));
    expect(fake.bridge.calls.find((c) => c.name === 'chat.send')?.input).toMatchObject({
      message: 'How is the air?',
      language: 'en',
    });
    expect(await screen.findByLabelText('Thinking')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Stop/ }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'chat.stop')?.input).toEqual({ streamId: '7' }),
    );
  });

  it('keeps the words typed when sending fails, and says why', async () => {
    fake.bridge.handle({
      'chat.send': () => {
        throw new Error('Ollama is not running');
      },
    });
    const useApp = await openChat();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'Is it safe?' } });
    fireEvent.click(screen.getByRole('button', { name: /Send/ }));
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe('Is it safe?'));
    expect(useApp.getState().notices.map((n) => n.text)).toContain('Ollama is not running');
  });
});

describe('chat: search', () => {
  const fake = useFakeBridge(() => ({
    ...chatEngine([QUESTION])(),
    'search.messages': ({ query }) => ({
      hits:
        query === 'dust'
          ? [
              {
                messageId: 1,
                sessionId: 's2',
                sessionTitle: 'Kampala school run',
                role: 'user',
                snippet: 'the [[dust]] is thick',
                createdAt: 0,
              },
            ]
          : [],
    }),
  }));

  it('asks for three letters, then searches once typing pauses and opens a hit', async () => {
    await openChat();
    const box = await screen.findByRole('searchbox', { name: 'Search conversations' });
    fireEvent.input(box, { target: { value: 'du' } });
    expect(await screen.findByText('Type at least 3 letters to search.')).toBeTruthy();
    fireEvent.input(box, { target: { value: 'dust' } });
    const hit = await screen.findByText('dust');
    expect(hit.tagName).toBe('MARK');
    expect(fake.bridge.count('search.messages')).toBe(1);
    fireEvent.click(screen.getByRole('button', { name: /Kampala school run/ }));
    await waitFor(() =>
      expect(fake.bridge.calls.filter((c) => c.name === 'messages.list').map((c) => c.input)).toContainEqual(
        expect.objectContaining({ sessionId: 's2' }),
      ),
    );
    expect(await screen.findByRole('heading', { name: 'Kampala school run' })).toBeTruthy();
    expect((box as HTMLInputElement).value).toBe('');
  });

  it('says when nothing matches, and Escape clears the search', async () => {
    await openChat();
    const box = await screen.findByRole('searchbox', { name: 'Search conversations' });
    fireEvent.input(box, { target: { value: 'ozone' } });
    expect(await screen.findByText('No messages match “ozone”.')).toBeTruthy();
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(await screen.findByText('Harmattan dust', { selector: '.session-title' })).toBeTruthy();
  });
});

describe('chat: my location and editing a question', () => {
  const fake = useFakeBridge(() => ({
    ...chatEngine([QUESTION, reply({ content: 'Yes, it is.' })])(),
    'location.resolve': (where) => {
      if ('query' in where && where.query === 'Atlantis') throw new Error('No place called Atlantis is known.');
      return {
        latitude: 0.3476,
        longitude: 32.5825,
        label: 'Kampala',
        place: { name: 'Kampala', country: 'Uganda', distanceKm: 1.2 },
        stations: [{ network: 'AirQo', name: 'Makerere', latitude: 0.33, longitude: 32.57, distanceKm: 2.5 }],
        stationsNote: 'Stations from the offline list.',
      };
    },
    'chat.edit': () => ({ streamId: '8', sessionId: 's1', userMessageId: 1, assistantMessageId: 3, model: 'm' }),
    'chat.send': () => ({ streamId: '9', sessionId: 's1', userMessageId: 4, assistantMessageId: 5, model: 'm' }),
  }));

  it('sets my location from a place name, sends it with the question, and clears it', async () => {
    await openChat();
    const toggle = await screen.findByTestId('my-location-toggle');
    expect(toggle.textContent).toBe('My location: not set');
    fireEvent.click(toggle);
    const place = screen.getByRole('textbox', { name: 'Place or coordinates' });
    fireEvent.input(place, { target: { value: 'Atlantis' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use' }));
    expect((await screen.findByRole('alert')).textContent).toBe('No place called Atlantis is known.');
    fireEvent.input(place, { target: { value: 'Kampala' } });
    fireEvent.click(screen.getByRole('button', { name: 'Use' }));
    const facts = await screen.findByTestId('my-location-facts');
    expect(facts.textContent).toContain('0.3476, 32.5825 · near Kampala, Uganda (1.2 km, offline gazetteer)');
    expect(facts.textContent).toContain('Makerere · AirQo · 2.5 km');
    expect(toggle.textContent).toBe('My location: Kampala, Uganda');

    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.input(box, { target: { value: 'How is the air here?' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'chat.send')?.input).toMatchObject({
        message: 'How is the air here?',
        latitude: 0.3476,
        longitude: 32.5825,
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(toggle.textContent).toBe('My location: not set');
  });

  it('says so when the system refuses the device position', async () => {
    const refused = { code: 1, PERMISSION_DENIED: 1, POSITION_UNAVAILABLE: 2, TIMEOUT: 3, message: 'denied' };
    Object.defineProperty(navigator, 'geolocation', {
      configurable: true,
      value: {
        getCurrentPosition: (_ok: PositionCallback, fail: PositionErrorCallback) =>
          fail(refused as GeolocationPositionError),
      },
    });
    try {
      await openChat();
      fireEvent.click(await screen.findByTestId('my-location-toggle'));
      fireEvent.click(screen.getByRole('button', { name: 'Use this device’s position' }));
      expect((await screen.findByRole('alert')).textContent).toBe(
        'The system gave no position (permission refused). Type a place or coordinates instead.',
      );
    } finally {
      Reflect.deleteProperty(navigator, 'geolocation');
    }
  });

  it('edits a question and sends it again', async () => {
    await openChat();
    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    const edit = screen.getByRole('textbox', { name: 'Edit message' });
    expect((edit as HTMLTextAreaElement).value).toBe('Is the air bad?');
    fireEvent.input(edit, { target: { value: '' } });
    expect(screen.getByRole('button', { name: 'Save & resend' })).toHaveProperty('disabled', true);
    fireEvent.input(edit, { target: { value: 'Is the air bad in Gulu?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save & resend' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'chat.edit')?.input).toEqual({
        messageId: 1,
        content: 'Is the air bad in Gulu?',
        language: 'en',
      }),
    );
    expect(screen.queryByRole('textbox', { name: 'Edit message' })).toBeNull();
  });
});

describe('chat: no model installed yet', () => {
  useFakeBridge(() => ({
    ...engineAnswers(),
    'sessions.list': () => ({ sessions: [], total: 0 }),
    'models.list': () => ({ models: [], newChatModel: null }),
    'providers.ofChat': () => ({ provider: 'ollama' as const, model: null }),
  }));

  it('says so in words, with a button to the Models page instead of a terminal command', async () => {
    const useApp = await openChat();
    const button = await screen.findByRole('button', { name: 'Choose a model' });
    expect(screen.getByText(/No model installed yet/)).toBeTruthy();
    expect(document.body.textContent).not.toContain('ollama pull');
    fireEvent.click(button);
    expect(useApp.getState().page).toBe('models');
  });
});
