import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import type { ProvidersStatusDto } from '../../../../preload/contract';
import { BridgeError } from '../../bridge/http-bridge';
import { PROVIDERS, SETTINGS } from '../../test-support/engine-fixtures';
import { deferred, type Deferred } from '../../test-support/fake-bridge';
import { useFakeBridge } from '../../test-support/render-with-bridge';

/** The saved address is OpenAI's default, as a server run with no settings reports it. */
const SAVED: ProvidersStatusDto = {
  ...PROVIDERS,
  providers: PROVIDERS.providers.map((p) =>
    p.id === 'openai-compatible' ? { ...p, baseUrl: 'https://api.openai.com/v1', baseUrlFrom: 'default' } : p,
  ),
};

async function openSettings(): Promise<HTMLInputElement> {
  const { useApp } = await import('../../stores/app-store');
  useApp.setState({ settings: SETTINGS });
  const { ProviderSettings } = await import('./ProviderSettings');
  render(<ProviderSettings />);
  return screen.findByLabelText<HTMLInputElement>('OpenAI-compatible base URL');
}

describe('provider settings: the OpenAI-compatible address while the saved one loads', () => {
  let status: Deferred<ProvidersStatusDto>;
  useFakeBridge(() => {
    status = deferred();
    return { 'providers.status': () => status.promise };
  });

  it('takes no typing until the saved address is in, then shows it, then what is typed instead of it', async () => {
    const field = await openSettings();
    // A slow engine: what was typed now would run into the address arriving under it.
    expect(field.readOnly).toBe(true);
    status.resolve(SAVED);
    await waitFor(() => expect(field.value).toBe('https://api.openai.com/v1'));
    expect(field.readOnly).toBe(false);
    fireEvent.input(field, { target: { value: 'http://gpu-box.lan:8000/v1' } });
    await waitFor(() => expect(field.value).toBe('http://gpu-box.lan:8000/v1'));
  });

  it('takes typing when the saved address could not be read', async () => {
    const field = await openSettings();
    status.reject(new BridgeError('internal', 'The engine is not answering.'));
    await waitFor(() => expect(field.readOnly).toBe(false));
    expect(field.value).toBe('');
  });
});
