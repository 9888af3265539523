import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';

/** An address that cannot be used, in English and as a message id for the UI's language (issue 15). */
export class OllamaHostError extends Error {
  constructor(
    message: string,
    readonly text: EngineText,
  ) {
    super(message);
    this.name = 'OllamaHostError';
  }
}

/**
 * Normalises an OLLAMA_HOST-style value the way the Ollama CLI reads it:
 * `127.0.0.1`, `:11434`, `0.0.0.0:8080`, `http://gpu-box.lan:11434`, `https://x` all work.
 * A bind-all address is reached on loopback.
 */
export const DEFAULT_OLLAMA_HOST = 'http://127.0.0.1:11434';

export function normalizeOllamaHost(raw: string | undefined | null): string {
  const value = (raw ?? '').trim();
  if (!value) return DEFAULT_OLLAMA_HOST;
  let scheme = 'http';
  let rest = value;
  const m = /^([a-z]+):\/\//i.exec(value);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = value.slice(m[0].length);
  }
  if (scheme !== 'http' && scheme !== 'https')
    throw new OllamaHostError(
      `Use an http:// or https:// address (not ${scheme}://).`,
      engineMessage('error.hostScheme', { scheme }),
    );
  rest = rest.replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const pathPart = slash >= 0 ? rest.slice(slash) : '';
  let hostPort = slash >= 0 ? rest.slice(0, slash) : rest;
  if (hostPort.startsWith(':')) hostPort = `127.0.0.1${hostPort}`;
  let host = hostPort;
  let port = scheme === 'https' ? '443' : '11434';
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort);
  if (v6) {
    host = `[${v6[1]}]`;
    if (v6[2]) port = v6[2];
  } else if (hostPort.includes(':')) {
    const i = hostPort.lastIndexOf(':');
    host = hostPort.slice(0, i);
    port = hostPort.slice(i + 1);
  }
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
    throw new OllamaHostError(
      `“${port}” is not a port number (Ollama uses 11434).`,
      engineMessage('error.hostPort', { port }),
    );
  }
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  if (host === '[::]') host = '[::1]';
  if (!/^[A-Za-z0-9.\-[\]:%]+$/.test(host)) {
    throw new OllamaHostError(
      `“${host}” is not a computer name or IP address.`,
      engineMessage('error.hostName', { host }),
    );
  }
  return `${scheme}://${host}:${port}${pathPart}`;
}
