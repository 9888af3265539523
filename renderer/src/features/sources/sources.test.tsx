import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { SourcesStatusDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { engineAnswers, source } from '../../test-support/engine-fixtures';
import { useFakeBridge } from '../../test-support/render-with-bridge';
import { deferred } from '../../test-support/fake-bridge';

const closed = source('openmeteo', 'Open-Meteo').breaker;
const STATUS: SourcesStatusDto = {
  keyStorage: 'safeStorage',
  webTools: false,
  sources: [
    source('airqo', 'AirQo', {
      needsKey: true,
      keyConfigured: true,
      keyFrom: 'settings',
      baseUrl: 'https://airqo.example.org',
      baseUrlFrom: 'settings',
      breaker: { ...closed, lastSuccessAt: Date.now() - 60_000 },
    }),
    source('waqi', 'WAQI', { configured: false, needsKey: true }),
    source('openaq', 'OpenAQ', {
      needsKey: true,
      keyConfigured: true,
      keyFrom: 'env',
      breaker: {
        ...closed,
        state: 'open',
        consecutiveFailures: 3,
        retryAt: Date.now() + 60_000,
        lastError: 'HTTP 503',
      },
    }),
    source('openmeteo', 'Open-Meteo', { breaker: { ...closed, state: 'half_open', consecutiveFailures: 1 } }),
    source('defra', 'UK-AIR', { breaker: { ...closed, consecutiveFailures: 2, lastError: 'timeout' } }),
    source('uba', 'UBA'),
  ],
};

async function openSources() {
  const { useApp } = await import('../../stores/app-store');
  const { DataSourcesPage } = await import('./DataSourcesPage');
  await useApp.getState().init();
  render(<DataSourcesPage />);
  return useApp;
}

describe('data sources page', () => {
  // As the engine: a saved change is what the next status read answers.
  const fake = useFakeBridge(() => {
    let status = STATUS;
    return {
      ...engineAnswers(),
      'sources.status': () => status,
      'sources.update': (patch) =>
        (status = { ...status, webTools: patch.webTools === undefined ? status.webTools : patch.webTools === 'on' }),
    };
  });

  it('says where each source stands, in words', async () => {
    await openSources();
    const state = (name: string) =>
      within(screen.getByRole('region', { name })).getByTestId('source-state').textContent;
    await screen.findByRole('region', { name: 'AirQo' });
    expect(state('AirQo')).toBe('Working');
    expect(state('WAQI')).toBe('Not configured');
    expect(state('OpenAQ')).toBe('Paused after failures');
    expect(state('Open-Meteo')).toBe('Trying again');
    expect(state('UK-AIR')).toBe('Failing');
    expect(state('UBA')).toBe('Ready, not used yet');
    const openaq = screen.getByRole('region', { name: 'OpenAQ' });
    expect(openaq.textContent).toContain('3 in a row: HTTP 503');
    expect(within(openaq).getByTestId('key-state').textContent).toBe('Configured (from the environment)');
    expect(within(openaq).getByTestId('locked-note').textContent).toBe(
      'Set by AERIS_OPENAQ_TOKEN on this computer; change it there.',
    );
    expect(screen.getByText(/encrypted with your system keychain/)).toBeTruthy();
  });

  it('saves a new URL and key (write-only), warns that a key is not sent to a new URL, removes a key', async () => {
    const useApp = await openSources();
    const airqo = await screen.findByRole('region', { name: 'AirQo' });
    const url = within(airqo).getByRole('textbox', { name: 'AirQo URL' });
    expect((url as HTMLInputElement).value).toBe('https://airqo.example.org');
    fireEvent.input(url, { target: { value: 'https://mirror.example.org/' } });
    expect(within(airqo).getByTestId('key-again').textContent).toContain('enter the API token for the new URL');
    fireEvent.input(within(airqo).getByLabelText('AirQo API token'), { target: { value: 'tok-123' } });
    expect(within(airqo).queryByTestId('key-again')).toBeNull();
    fireEvent.click(within(airqo).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'sources.update')?.input).toEqual({
        airqoUrl: 'https://mirror.example.org/',
        airqoToken: 'tok-123',
      }),
    );
    await waitFor(() => expect(useApp.getState().notices.map((n) => n.text)).toContain('Data-source settings saved.'));
    fireEvent.click(within(airqo).getByRole('button', { name: 'Remove saved API token' }));
    await waitFor(() =>
      expect(fake.bridge.calls.filter((c) => c.name === 'sources.update').at(-1)?.input).toEqual({ airqoToken: null }),
    );
  });

  it('turns the web tools on, and says why when saving fails', async () => {
    const useApp = await openSources();
    const web = await screen.findByRole('region', { name: 'Web search and pages' });
    const box = within(web).getByRole('checkbox');
    expect(box).toHaveProperty('checked', false);
    fireEvent.click(box);
    await waitFor(() => expect(within(web).getByRole('checkbox')).toHaveProperty('checked', true));
    expect(fake.bridge.calls.find((c) => c.name === 'sources.update')?.input).toEqual({ webTools: 'on' });

    fake.bridge.handle({
      'sources.update': () => {
        throw new BridgeError('bad_request', 'That is not a web address.');
      },
    });
    const uba = screen.getByRole('region', { name: 'UBA' });
    fireEvent.input(within(uba).getByRole('textbox', { name: 'UBA URL' }), { target: { value: 'not a url' } });
    fireEvent.click(within(uba).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(useApp.getState().notices.map((n) => n.text)).toContain('That is not a web address.'));
  });
});

describe('fields the environment sets, and Test connection', () => {
  const LOCKED: SourcesStatusDto = {
    keyStorage: 'file',
    webTools: false,
    sources: [
      // URL and token both from the environment: nothing here can change, so there is no Save.
      source('waqi', 'WAQI', {
        needsKey: true,
        keyConfigured: true,
        keyFrom: 'env',
        keyEnv: 'AERIS_WAQI_TOKEN',
        baseUrl: 'http://127.0.0.1:4100',
        baseUrlFrom: 'env',
      }),
      // The URL from the environment, the token typed here.
      source('airqo', 'AirQo', {
        needsKey: true,
        keyConfigured: false,
        keyEnv: 'AERIS_AIRQO_TOKEN',
        baseUrl: 'http://127.0.0.1:4200/api/v2',
        baseUrlFrom: 'env',
      }),
      source('uba', 'UBA'),
    ],
  };
  const fake = useFakeBridge(() => ({ ...engineAnswers(), 'sources.status': () => LOCKED }));

  it('shows a locked field read-only with its lock and variable, and offers Save only for what can change', async () => {
    await openSources();
    const waqi = await screen.findByRole('region', { name: 'WAQI' });
    const url = within(waqi).getByRole<HTMLInputElement>('textbox', { name: 'WAQI URL' });
    expect(url.readOnly).toBe(true);
    expect(url.value).toBe('http://127.0.0.1:4100');
    expect(within(waqi).getByLabelText<HTMLInputElement>('WAQI API token').readOnly).toBe(true);
    expect(
      within(waqi)
        .getAllByTestId('locked-note')
        .map((n) => n.textContent),
    ).toEqual([
      'Set by AERIS_WAQI_URL on this computer; change it there.',
      'Set by AERIS_WAQI_TOKEN on this computer; change it there.',
    ]);
    expect(within(waqi).getAllByRole('img', { name: 'Locked' })).toHaveLength(2);
    expect(within(waqi).queryByRole('button', { name: 'Save' })).toBeNull();
    expect(within(waqi).getByRole('button', { name: 'Test connection' })).toBeTruthy();

    // AirQo: the URL is locked, the token is not; Save sends only the token.
    const airqo = screen.getByRole('region', { name: 'AirQo' });
    expect(within(airqo).getByRole<HTMLInputElement>('textbox', { name: 'AirQo URL' }).readOnly).toBe(true);
    const token = within(airqo).getByLabelText<HTMLInputElement>('AirQo API token');
    expect(token.readOnly).toBe(false);
    fireEvent.input(token, { target: { value: 'typed-token' } });
    fireEvent.click(within(airqo).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'sources.update')?.input).toEqual({ airqoToken: 'typed-token' }),
    );
    // UBA: nothing locked, no lock shown.
    const uba = screen.getByRole('region', { name: 'UBA' });
    expect(within(uba).queryByTestId('locked-note')).toBeNull();
    expect(within(uba).getByRole<HTMLInputElement>('textbox', { name: 'UBA URL' }).readOnly).toBe(false);
  });

  it('Test connection: a spinner while it runs, then "Connected (… ms)" or the reason in words', async () => {
    await openSources();
    const waqi = await screen.findByRole('region', { name: 'WAQI' });
    const slow = deferred<{ ok: true; ms: number }>();
    fake.bridge.handle({ 'sources.test': () => slow.promise });
    fireEvent.click(within(waqi).getByRole('button', { name: 'Test connection' }));
    const busy = await within(waqi).findByRole('button', { name: 'Testing…' });
    expect((busy as HTMLButtonElement).disabled).toBe(true);
    expect(busy.querySelector('.source-test-spinner')).toBeTruthy();
    slow.resolve({ ok: true, ms: 120 });
    const result = within(waqi).getByTestId('test-result');
    await waitFor(() => expect(result.textContent).toBe('Connected (120 ms)'));
    expect(result.querySelector('.ok')).toBeTruthy();
    expect(fake.bridge.calls.find((c) => c.name === 'sources.test')?.input).toEqual({ id: 'waqi' });

    const answers = {
      key_refused: 'Key refused: the source did not accept the key. Check it, or get a new one.',
      unreachable: 'Not reachable: nothing answered at this address. Check the URL and the network.',
      unexpected: 'Unexpected answer: something answered, but not the way this source does.',
      no_key: 'No key is set for this source, so it cannot be tested.',
    } as const;
    for (const [reason, text] of Object.entries(answers) as Array<[keyof typeof answers, string]>) {
      fake.bridge.handle({ 'sources.test': () => ({ ok: false, reason, detail: `WAQI said ${reason}` }) });
      fireEvent.click(within(waqi).getByRole('button', { name: 'Test connection' }));
      await waitFor(() => expect(result.textContent).toBe(text));
      expect(result.querySelector('.bad')?.getAttribute('title')).toBe(`WAQI said ${reason}`);
    }
  });
});
