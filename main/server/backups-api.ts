import { engineMessage } from '../../preload/shared/engine-messages';
import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Engine } from '../engine';
import { BACKUP_EXTENSION } from '../ops/backup/archive-format';
import { TMP_PREFIX } from '../ops/backup/backup-writer';
import { ownerTag } from '../ops/backup/owner-tag';
import { sendJson } from './http-io';
import { displayName, refuseDeclaredTooLarge, spool } from './upload-spool';

const DOWNLOAD = /^\/api\/v1\/backups\/([^/]+)\/download$/;
const UPLOAD = '/api/v1/backups/upload';

/**
 * `GET /api/v1/backups/{name}/download` and `POST /api/v1/backups/upload`: a browser's way to take a backup
 * home and to bring one back in serve mode. A download names a backup the catalog lists, never a path; an
 * upload is spooled beside the backups and imported as "Import a backup file" does (verified first);
 * `uploadLimit` bytes at the most (413 past it).
 */
export async function handleBackupsApi(
  engine: Engine,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  uploadLimit: number,
): Promise<boolean> {
  const m = DOWNLOAD.exec(url.pathname);
  if (m && (req.method === 'GET' || req.method === 'HEAD')) {
    await download(engine, req, res, m[1]!);
    return true;
  }
  if (url.pathname === UPLOAD && req.method === 'POST') {
    await upload(engine, req, res, url, uploadLimit);
    return true;
  }
  return false;
}

async function download(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse, raw: string) {
  let name = '';
  try {
    name = decodeURIComponent(raw);
  } catch {
    // Not a name the catalog could list: refused below like any unknown one.
  }
  // Only a name the catalog lists is served: a path (`..`, slashes) never matches one.
  const found = (await engine.backups.list()).backups.find((b) => b.name === name);
  if (!found) {
    throw new AppError(
      'not_found',
      `No backup named "${name.slice(0, 200)}" in the backups folder.`,
      {},
      engineMessage('error.backupNotListed', { name: name.slice(0, 200) }),
    );
  }
  const size = fs.statSync(found.path).size;
  const ascii = found.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(found.name)}`,
    'Cache-Control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = fs.createReadStream(found.path);
    // Headers are sent: a read failure can only cut the response short, which the client sees as such.
    stream.on('error', () => {
      res.destroy();
      resolve();
    });
    stream.on('end', () => resolve());
    stream.pipe(res);
  });
}

/** A file name safe to put under backups/, from the uploaded file's own name. */
function safeStem(req: http.IncomingMessage, url: URL): string {
  const named = req.headers['x-filename'] !== undefined || url.searchParams.has('filename');
  const base = named ? displayName(req, url) : 'uploaded-backup';
  const stem = path
    .basename(base, BACKUP_EXTENSION)
    .replace(/[^A-Za-z0-9._-]/g, '-')
    .replace(/^\.+/, '')
    .slice(0, 120);
  return stem || 'uploaded-backup';
}

async function upload(engine: Engine, req: http.IncomingMessage, res: http.ServerResponse, url: URL, limit: number) {
  let stem: string;
  try {
    if (/^multipart\//i.test(req.headers['content-type'] ?? '')) {
      throw new AppError(
        'bad_request',
        'Send the file itself as the request body (not multipart), named by X-Filename.',
        {},
        engineMessage('error.uploadNotMultipart', {}),
      );
    }
    refuseDeclaredTooLarge(req, limit, 'backup');
    stem = safeStem(req, url);
  } catch (err) {
    req.resume(); // drain the refused body so the connection stays usable
    throw err;
  }
  // A scratch folder beside the backups, named like the writer's temp files: listing skips it, and the
  // start-up sweep removes it once this process is gone should it ever be left behind.
  const dir = path.join(
    engine.backups.backupsDir,
    `${TMP_PREFIX}o${ownerTag()}-upload-${crypto.randomBytes(6).toString('hex')}`,
  );
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    const tmp = path.join(dir, `${stem}${BACKUP_EXTENSION}`);
    // A backup is binary: no line limit, only the size.
    await spool(req, tmp, limit, Number.POSITIVE_INFINITY);
    // The same service call as the bridge's `backups.import`: verified in full before it is copied in.
    const info = await engine.backups.importFrom(tmp);
    engine.health.backupChanged();
    sendJson(res, 200, info);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
