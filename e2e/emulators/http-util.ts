import type http from 'node:http';

/** Shared by the emulators: read a body, answer JSON, listen on loopback with a free port. */
export function readBody(req: http.IncomingMessage, limit = 10 * 1024 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** JSON with the exact Content-Type the emulated service sends (clients may look at it). */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json; charset=utf-8',
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** A request to a JSON API, as the cloud emulators read it before answering: its URL and its parsed body. */
interface JsonRequest {
  url: URL;
  /** Null when there is none; also null (with `invalid`) when it is not a JSON object. */
  body: Record<string, unknown> | null;
  invalid: boolean;
}

export async function readJsonRequest(req: http.IncomingMessage): Promise<JsonRequest> {
  const url = new URL(req.url ?? '/', 'http://x');
  const raw = req.method === 'POST' ? await readBody(req) : '';
  if (!raw) return { url, body: null, invalid: false };
  try {
    return { url, body: JSON.parse(raw) as Record<string, unknown>, invalid: false };
  } catch {
    return { url, body: null, invalid: true };
  }
}

export function listen(server: http.Server, port = 0, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      if (!addr || typeof addr === 'string') return reject(new Error('no address'));
      resolve(`http://${host}:${addr.port}`);
    });
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A scripted reply's conditions, as every emulator's `script()` takes them. */
interface ScriptCondition {
  /** Text the last user message must contain (or a pattern it must match). */
  match?: string | RegExp;
  /** How many times the rule applies; unlimited when absent. */
  times?: number;
}

/** The first rule that fits `text` (and `fits`) with uses left; a use is taken. */
export function takeRule<R extends ScriptCondition>(
  rules: R[],
  text: string,
  fits: (rule: R) => boolean = () => true,
): R | undefined {
  for (const rule of rules) {
    if (!fits(rule)) continue;
    if (rule.match !== undefined) {
      const ok = typeof rule.match === 'string' ? text.includes(rule.match) : rule.match.test(text);
      if (!ok) continue;
    }
    if (rule.times !== undefined) {
      if (rule.times <= 0) continue;
      rule.times--;
    }
    return rule;
  }
  return undefined;
}
