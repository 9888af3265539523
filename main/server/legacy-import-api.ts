import { engineMessage } from '../../preload/shared/engine-messages';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Engine } from '../engine';
import { sendJson } from './http-io';
import { uploadDirOf } from './seed/chat-routes';
import { displayName, refuseDeclaredTooLarge, removeStaleUploads, spool } from './upload-spool';

/**
 * `POST /api/v1/imports/legacy`: the browser's way to bring in the original AERIS-AQ server's database (the
 * first-run wizard in serve mode). The body is the `.db` file itself, named by `X-Filename`. It is spooled into
 * the data dir's `uploads/`, imported, and removed whatever happened; the answer is the import report.
 * `limit` bytes at the most (413 past it).
 */
export async function handleLegacyImportApi(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  limit: number,
): Promise<boolean> {
  if (url.pathname !== '/api/v1/imports/legacy') return false;
  let name: string;
  try {
    if (req.method !== 'POST') {
      throw new AppError(
        'bad_request',
        'Use POST with the database file as the body.',
        {},
        engineMessage('error.uploadLegacyUsePost', {}),
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
    name = displayName(req, url);
    refuseDeclaredTooLarge(req, limit);
  } catch (err) {
    req.resume(); // drain the refused body so the connection stays usable
    throw err;
  }
  const dir = uploadDirOf(engine);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeStaleUploads(dir);
  const tmp = path.join(dir, `upload-${crypto.randomBytes(8).toString('hex')}.db`);
  try {
    // A database has no lines: only the size is limited.
    await spool(req, tmp, limit, Number.POSITIVE_INFINITY);
    sendJson(res, 200, engine.conversations.importLegacy(tmp, engine.clock.now()));
  } catch (err) {
    // The importer names the file it read: the person knows it by the name they uploaded, not our spool name.
    if (err instanceof AppError) throw new AppError(err.code, err.message.replaceAll(tmp, name), err.details, err.text);
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return true;
}
