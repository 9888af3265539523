import { engineMessage } from '../../preload/shared/engine-messages';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Engine } from '../engine';
import { MAX_RECORD_BYTES } from '../imports/csv-reader';
import { IMPORT_FORMATS, type ImportFormat } from '../imports/formats';
import { sendJson } from './http-io';
import { displayName, refuseDeclaredTooLarge, removeStaleUploads, spool } from './upload-spool';

interface UploadOptions {
  name: string;
  format: ImportFormat | undefined;
  site: string | undefined;
  timeZone: string | undefined;
  importId: string | undefined;
}

/** Everything checked before a byte is stored. */
function uploadOptions(req: http.IncomingMessage, url: URL, limit: number): UploadOptions {
  if (req.method !== 'POST') {
    throw new AppError(
      'bad_request',
      'Use POST to upload a file, GET to list imports.',
      {},
      engineMessage('error.uploadUsePost', {}),
    );
  }
  if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
    throw new AppError(
      'bad_request',
      'Send the file itself as the request body (not multipart), named by X-Filename.',
      {},
      engineMessage('error.uploadNotMultipart', {}),
    );
  }
  const name = displayName(req, url);
  const format = url.searchParams.get('format') ?? undefined;
  if (format !== undefined && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new AppError(
      'bad_request',
      `format must be one of ${IMPORT_FORMATS.join(', ')}.`,
      {},
      engineMessage('error.uploadBadFormat', { formats: IMPORT_FORMATS.join(', ') }),
    );
  }
  const site = url.searchParams.get('site')?.trim().slice(0, 200) || undefined;
  // Checked by the importer, which names the mistake (an unknown IANA zone).
  const timeZone = url.searchParams.get('tz')?.trim().slice(0, 64) || undefined;
  const importId = url.searchParams.get('importId') ?? undefined;
  if (importId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(importId))
    throw new AppError('bad_request', 'Invalid importId.', {}, engineMessage('error.uploadBadImportId', {}));
  refuseDeclaredTooLarge(req, limit);
  return { name, format: format as ImportFormat | undefined, site, timeZone, importId };
}

/**
 * `POST /api/v1/imports`: the browser's way to import a sensor file in serve mode. The body is the raw
 * file (not multipart, CSV or XLSX), named by `X-Filename`; `?format=`, `?site=` and `?tz=` as for
 * `aeris import`.
 * The file is spooled to the data dir, imported, and removed; `limit` bytes at the most (413 past it).
 * `GET` lists past imports.
 */
export async function handleImportsApi(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  limit: number,
): Promise<boolean> {
  if (url.pathname !== '/api/v1/imports') return false;
  if (req.method === 'GET') {
    sendJson(res, 200, { imports: engine.imports.list() });
    return true;
  }
  let opts: UploadOptions;
  try {
    opts = uploadOptions(req, url, limit);
  } catch (err) {
    req.resume(); // drain the refused body so the connection stays usable
    throw err;
  }
  const { name, format, site, timeZone, importId } = opts;
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
