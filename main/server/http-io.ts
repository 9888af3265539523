import { engineMessage } from '../../preload/shared/engine-messages';
import type http from 'node:http';
import { AppError, HTTP_STATUS, errorMessage, isAppError } from '../core/errors';

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a JSON body: 413 past the cap, 400 when it does not parse or is not an object. */
export function readJson(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      return reject(
        new AppError(
          'payload_too_large',
          `Request body over ${limit} bytes.`,
          {},
          engineMessage('error.bodyTooLarge', { limitBytes: limit }),
        ),
      );
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on('data', (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(
          new AppError(
            'payload_too_large',
            `Request body over ${limit} bytes.`,
            {},
            engineMessage('error.bodyTooLarge', { limitBytes: limit }),
          ),
        );
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (failed) return;
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolve({});
      try {
        const value = JSON.parse(text) as unknown;
        if (!value || typeof value !== 'object' || Array.isArray(value)) {
          return reject(
            new AppError(
              'bad_request',
              'The request body must be a JSON object.',
              {},
              engineMessage('error.bodyNotObject', {}),
            ),
          );
        }
        resolve(value as Record<string, unknown>);
      } catch (err) {
        reject(
          new AppError(
            'bad_request',
            `Invalid JSON: ${errorMessage(err)}`,
            {},
            engineMessage('error.bodyInvalidJson', { error: errorMessage(err) }),
          ),
        );
      }
    });
    req.on('error', reject);
  });
}

export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** `{error, code, ...details}`: the seed's error shape plus a stable code. */
export function sendError(res: http.ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (isAppError(err)) {
    // `text` (the message id for the UI's language) is an addition the original server's clients ignore.
    sendJson(res, HTTP_STATUS[err.code], {
      error: err.message,
      code: err.code,
      ...err.details,
      ...(err.text ? { text: err.text } : {}),
    });
    return;
  }
  sendJson(res, 500, { error: 'Internal error', code: 'internal' });
}

/** Server-sent events writer that respects back-pressure and notices a closed client. */
export class SseStream {
  closed = false;
  private headWritten = false;
  /**
   * `headersWithFirstEvent`: for a caller that sends an event soon, the response head is made then and goes
   * out with it in one write (one packet, one wake-up of the client), and none of it is done before (a chat
   * asks the model first: time to first token).
   */
  constructor(
    private readonly res: http.ServerResponse,
    opts: { headersWithFirstEvent?: boolean } = {},
  ) {
    res.on('close', () => (this.closed = true));
    if (!opts.headersWithFirstEvent) {
      this.writeHead();
      res.flushHeaders();
    }
  }

  private writeHead(): void {
    if (this.headWritten) return;
    this.headWritten = true;
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
  }

  send(event: string, data: unknown): boolean {
    if (this.closed) return false;
    this.writeHead();
    return this.res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Several events in one write: they reach the client together (one packet, one read), not one after another. */
  sendAll(events: ReadonlyArray<readonly [event: string, data: unknown]>): boolean {
    if (this.closed || events.length === 0) return !this.closed;
    this.writeHead();
    return this.res.write(events.map(([e, d]) => `event: ${e}\ndata: ${JSON.stringify(d)}\n\n`).join(''));
  }

  comment(text: string): void {
    if (this.closed) return;
    this.writeHead();
    this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    if (!this.closed) {
      this.writeHead();
      this.res.end();
    }
    this.closed = true;
  }

  onClose(fn: () => void): void {
    this.res.on('close', fn);
  }
}
