/**
 * The network Ollama field: `192.168.1.20`, `gpu-box.lan:11434`, `http://10.0.0.5:11434` all work.
 * Mirrors main/ollama/host.ts (the renderer may not import main), so the wizard can refuse a typo in words
 * before it is saved, and knows which host the engine will report once it has switched.
 */

const HOST_CHARS = /^[A-Za-z0-9.\-[\]:%]+$/;

function split(raw: string): { scheme: string; host: string; port: string; path: string } | string {
  const value = raw.trim();
  if (!value) return 'Type the address of the computer that runs Ollama, e.g. 192.168.1.20.';
  let scheme = 'http';
  let rest = value;
  const m = /^([a-z]+):\/\//i.exec(value);
  if (m) {
    scheme = m[1]!.toLowerCase();
    rest = value.slice(m[0].length);
  }
  if (scheme !== 'http' && scheme !== 'https') return `Use an http:// or https:// address (not ${scheme}://).`;
  rest = rest.replace(/\/+$/, '');
  const slash = rest.indexOf('/');
  const path = slash >= 0 ? rest.slice(slash) : '';
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
  if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) return `“${port}” is not a port number (Ollama uses 11434).`;
  if (host === '' || host === '0.0.0.0') host = '127.0.0.1';
  if (host === '[::]') host = '[::1]';
  if (!HOST_CHARS.test(host)) return `“${host}” is not a computer name or IP address.`;
  return { scheme, host, port, path };
}

/** What is wrong with the address, in words; null when it can be used. */
export function lanHostProblem(raw: string): string | null {
  const r = split(raw);
  return typeof r === 'string' ? r : null;
}

/** The address as the engine will report it (`http://host:port`). Call after lanHostProblem() said null. */
export function normalizeHost(raw: string): string {
  const r = split(raw);
  if (typeof r === 'string') throw new Error(r);
  return `${r.scheme}://${r.host}:${r.port}${r.path}`;
}
