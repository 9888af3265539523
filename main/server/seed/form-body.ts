import crypto from 'node:crypto';
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import busboy from 'busboy';
import { AppError } from '../../core/errors';
import { readJson } from '../http-io';
import { SeedHttpError } from './fastapi-errors';

/** A multipart upload, spooled under the data dir; the caller removes `path` when done with it. */
export interface UploadedFile {
  path: string;
  filename: string;
  mimeType: string;
  size: number;
}

export interface FormBody {
  fields: Record<string, string>;
  file: UploadedFile | null;
}

export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
const MAX_FIELD_BYTES = 1024 * 1024;
const MAX_FIELDS = 32;

/** The client's file name, for messages only: never used as a path. */
function safeName(raw: string): string {
  return (
    path
      .basename(raw.replace(/\\/g, '/'))
      // eslint-disable-next-line no-control-regex -- control characters are exactly what is stripped
      .replace(/[\u0000-\u001f\u007f]/g, '')
      .trim()
      .slice(0, 200) || 'upload'
  );
}

/** JSON values a form field can stand for: strings, numbers (coordinates) and booleans (flags). */
const scalar = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

/**
 * Reads a request body the way the original's FastAPI `Form(...)`/`File(...)` routes take it:
 * urlencoded or multipart form fields, and JSON objects as well (this app's own clients send JSON).
 * A multipart `file` part is streamed to `uploadDir` (inside the data dir) with a size cap.
 */
export async function readFormBody(req: http.IncomingMessage, uploadDir: string): Promise<FormBody> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')) {
    return readWithBusboy(req, uploadDir);
  }
  const json = await readJson(req);
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(json)) {
    const s = scalar(v);
    if (s !== undefined && !(k === 'message' && typeof v !== 'string')) fields[k] = s;
    else if (v !== null) {
      throw new SeedHttpError(422, [
        { loc: ['body', k], msg: 'Input should be a valid string', type: 'string_type', input: v },
      ]);
    }
  }
  return { fields, file: null };
}

/** Uploads a crash left behind (a finished request removes its own file). */
function removeStaleUploads(dir: string, maxAgeMs = 24 * 3_600_000): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return; // not created yet
  }
  for (const f of names) {
    const p = path.join(dir, f);
    try {
      if (f.startsWith('upload-') && Date.now() - fs.statSync(p).mtimeMs > maxAgeMs) fs.rmSync(p, { force: true });
    } catch {
      // Another request may have removed it meanwhile.
    }
  }
}

function readWithBusboy(req: http.IncomingMessage, uploadDir: string): Promise<FormBody> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({
        headers: req.headers,
        limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES },
      });
    } catch (err) {
      req.resume();
      reject(new AppError('bad_request', `Unreadable form body: ${(err as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let file: UploadedFile | null = null;
    let out: fs.WriteStream | null = null;
    let failure: AppError | null = null;
    let writing: Promise<void> = Promise.resolve();
    let settled = false;
    const fail = (err: AppError): void => {
      failure ??= err;
    };
    // Settles once: after the body was read (busboy closed) or the client went away, and the file is closed.
    const finish = (): void => {
      if (settled) return;
      settled = true;
      void writing.then(() => {
        const uploaded = file;
        if (failure) {
          if (uploaded) fs.rmSync(uploaded.path, { force: true });
          reject(failure);
        } else resolve({ fields, file: uploaded });
      });
    };

    bb.on('field', (name, value, info) => {
      if (info.valueTruncated)
        fail(new AppError('payload_too_large', `Field "${name}" is over ${MAX_FIELD_BYTES} bytes.`));
      fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      // curl -F sends an empty part with no file name when no file is chosen: nothing to keep.
      if (name !== 'file' || !info.filename || failure) {
        stream.resume();
        return;
      }
      fs.mkdirSync(uploadDir, { recursive: true, mode: 0o700 });
      removeStaleUploads(uploadDir);
      const target = path.join(uploadDir, `upload-${crypto.randomBytes(8).toString('hex')}`);
      const entry: UploadedFile = { path: target, filename: safeName(info.filename), mimeType: info.mimeType, size: 0 };
      file = entry;
      const sink = fs.createWriteStream(target, { flags: 'wx', mode: 0o600 });
      out = sink;
      stream.on('data', (c: Buffer) => (entry.size += c.length));
      stream.on('limit', () =>
        fail(new AppError('payload_too_large', `The file is over the upload limit of ${MAX_UPLOAD_BYTES} bytes.`)),
      );
      writing = new Promise<void>((done) => {
        sink.on('close', () => done());
        sink.on('error', (err) => {
          fail(new AppError('internal', `Could not store the upload: ${err.message}`));
          done();
        });
      });
      stream.pipe(sink);
    });
    bb.on('fieldsLimit', () => fail(new AppError('payload_too_large', `More than ${MAX_FIELDS} form fields.`)));
    bb.on('filesLimit', () => fail(new AppError('bad_request', 'Send one file per message.')));
    bb.on('error', (err: Error) => {
      fail(new AppError('bad_request', `Unreadable form body: ${err.message}`));
      out?.destroy();
      finish();
    });
    bb.on('close', finish);
    // A client that hangs up mid-upload: close the half-written file, and remove it.
    req.on('close', () => {
      if (req.complete) return;
      fail(new AppError('bad_request', 'The client went away before the body was read.'));
      out?.destroy();
      finish();
    });
    req.pipe(bb);
  });
}
