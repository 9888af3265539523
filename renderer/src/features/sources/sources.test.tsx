import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { SourcesStatusDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { engineAnswers, source } from '../../test-support/engine-fixtures';
import { useFakeBridge } from '../../test-support/render-with-bridge';

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
    expect(openaq.textContent).toContain('Set by an environment variable');
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
