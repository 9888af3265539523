import { engineMessage } from '../../preload/shared/engine-messages';
// Raw-body uploads of serve mode (sensor files, the original server's database): spooled into the data dir.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AppError } from '../core/errors';
import { lineTooLong } from '../imports/csv-reader';

/** The uploaded file's own name, for reports only: never used as a path. */
export function displayName(req: http.IncomingMessage, url: URL): string {
  const header = req.headers['x-filename'];
  let raw = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('filename') ?? '';
  try {
    raw = decodeURIComponent(raw);
  } catch {
    // Not percent-encoded: take it as it is.
  }
  const name = path
    .basename(raw.replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are exactly what is stripped
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .trim()
    .slice(0, 200);
  if (!name) {
    throw new AppError(
      'bad_request',
      'Name the file in an X-Filename header (or ?filename=).',
      {},
      engineMessage('error.uploadNoName', {}),
    );
  }
  return name;
}

/**
 * Streams the request body into `file`; 413 past `limit`, or as soon as one line runs past
 * `lineLimit` bytes (no sensor file has such lines: refusing while it arrives keeps the answer quick).
 * A refused body is drained, not stored.
 */
/** The one 413 of serve's uploads, said in words, whether the declared length or the spool finds the body too large. */
function uploadTooLarge(limit: number, what: 'file' | 'backup' = 'file'): AppError {
  return new AppError(
    'payload_too_large',
    `The ${what} is over the upload limit of ${limit} bytes.`,
    {},
    engineMessage('error.uploadTooLarge', { limitBytes: limit }),
  );
}

/** Refuses at once a body whose Content-Length is over `limit`; one with no or a false length is caught by spool(). */
export function refuseDeclaredTooLarge(
  req: http.IncomingMessage,
  limit: number,
  what: 'file' | 'backup' = 'file',
): void {
  if (Number(req.headers['content-length'] ?? 0) > limit) throw uploadTooLarge(limit, what);
}

export function spool(req: http.IncomingMessage, file: string, limit: number, lineLimit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    let size = 0;
    /** Bytes since the last line break. */
    let run = 0;
    let refused = false;
    const refuse = (err: AppError) => {
      refused = true;
      req.resume(); // the rest of the body is drained (the 'data' handler drops it)
      // Answer once the file is closed: the open may still be in flight, and the caller removes the file.
      out.once('close', () => reject(err));
      out.destroy();
    };
    out.on('error', (err) => {
      if (!refused) reject(err);
    });
    req.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > limit) {
        refuse(uploadTooLarge(limit));
        return;
      }
      const first = chunk.indexOf(0x0a);
      if (first < 0) run += chunk.length;
      else {
        if (run + first > lineLimit) run += first;
        else run = chunk.length - chunk.lastIndexOf(0x0a) - 1;
      }
      if (run > lineLimit) {
        refuse(lineTooLong(-1, lineLimit));
        return;
      }
      if (!out.write(chunk)) {
        req.pause();
        out.once('drain', () => req.resume());
      }
    });
    req.on('end', () => {
      if (!refused) out.end(() => resolve(size));
    });
    req.on('error', (err) => {
      if (!refused) reject(err);
    });
  });
}

/** Spooled uploads a crash left behind (a finished upload removes its own file). */
export function removeStaleUploads(dir: string, maxAgeMs = 24 * 3_600_000): void {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    try {
      if (f.startsWith('upload-') && Date.now() - fs.statSync(p).mtimeMs > maxAgeMs) fs.rmSync(p, { force: true });
    } catch {
      // Another upload may have removed it meanwhile.
    }
  }
}
