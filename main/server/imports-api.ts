import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Engine } from '../engine';
import { lineTooLong, MAX_RECORD_BYTES } from '../imports/csv-reader';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/formats';
import { sendJson } from './http-io';

/** Uploads past this are refused (413); `AERIS_IMPORT_MAX_BYTES` overrides. */
const DEFAULT_MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

function maxBytes(): number {
  const n = Number(process.env.AERIS_IMPORT_MAX_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_UPLOAD_BYTES;
}

/** The uploaded file's own name, for reports only: never used as a path. */
function displayName(req: http.IncomingMessage, url: URL): string {
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
  if (!name) throw new AppError('bad_request', 'Name the file in an X-Filename header (or ?filename=).');
  return name;
}

/**
 * Streams the request body into `file`; 413 past `limit`, or as soon as one line runs past
 * `lineLimit` bytes (no sensor file has such lines: refusing while it arrives keeps the answer quick).
 * A refused body is drained, not stored.
 */
function spool(req: http.IncomingMessage, file: string, limit: number, lineLimit: number): Promise<number> {
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
        refuse(new AppError('payload_too_large', `The file is over the upload limit of ${limit} bytes.`));
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
function removeStaleUploads(dir: string, maxAgeMs = 24 * 3_600_000): void {
  for (const f of fs.readdirSync(dir)) {
    const p = path.join(dir, f);
    try {
      if (f.startsWith('upload-') && Date.now() - fs.statSync(p).mtimeMs > maxAgeMs) fs.rmSync(p, { force: true });
    } catch {
      // Another upload may have removed it meanwhile.
    }
  }
}

interface UploadOptions {
  name: string;
  format: ImportFormat | undefined;
  site: string | undefined;
  timeZone: string | undefined;
  importId: string | undefined;
  limit: number;
}

/** Everything checked before a byte is stored. */
function uploadOptions(req: http.IncomingMessage, url: URL): UploadOptions {
  if (req.method !== 'POST') throw new AppError('bad_request', 'Use POST to upload a file, GET to list imports.');
  if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
    throw new AppError('bad_request', 'Send the file itself as the request body (not multipart), named by X-Filename.');
  }
  const name = displayName(req, url);
  const format = url.searchParams.get('format') ?? undefined;
  if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new AppError('bad_request', `format must be one of ${IMPORT_FORMATS.join(', ')}.`);
  }
  const site = url.searchParams.get('site')?.trim().slice(0, 200) || undefined;
  // Checked by the importer, which names the mistake (an unknown IANA zone).
  const timeZone = url.searchParams.get('tz')?.trim().slice(0, 64) || undefined;
  const importId = url.searchParams.get('importId') ?? undefined;
  if (importId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(importId))
    throw new AppError('bad_request', 'Invalid importId.');
  const limit = maxBytes();
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    throw new AppError('payload_too_large', `The file is over the upload limit of ${limit} bytes.`);
  }
  return { name, format: format as ImportFormat | undefined, site, timeZone, importId, limit };
}

/**
 * `POST /api/v1/imports`: the browser's way to import a sensor file in serve mode. The body is the raw
 * file (not multipart, CSV or XLSX), named by `X-Filename`; `?format=`, `?site=` and `?tz=` as for
 * `aeris import`.
 * The file is spooled to the data dir, imported, and removed. `GET` lists past imports.
 */
export async function handleImportsApi(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
): Promise<boolean> {
  if (url.pathname !== '/api/v1/imports') return false;
  if (req.method === 'GET') {
    sendJson(res, 200, { imports: engine.imports.list() });
    return true;
  }
  let opts: UploadOptions;
  try {
    opts = uploadOptions(req, url);
  } catch (err) {
    req.resume(); // drain the refused body so the connection stays usable
    throw err;
  }
  const { name, format, site, timeZone, importId, limit } = opts;
  fs.mkdirSync(engine.imports.uploadDir, { recursive: true, mode: 0o700 });
  removeStaleUploads(engine.imports.uploadDir);
  const tmp = path.join(engine.imports.uploadDir, `upload-${crypto.randomBytes(8).toString('hex')}.csv`);
  try {
    await spool(req, tmp, limit, MAX_RECORD_BYTES);
    const report = await engine.imports.importFile(tmp, {
      displayName: name,
      ...(format ? { format } : {}),
      ...(site ? { siteName: site } : {}),
      ...(timeZone ? { timeZone } : {}),
      ...(importId ? { importId } : {}),
    });
    sendJson(res, 200, report);
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return true;
}
