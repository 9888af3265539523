import { Worker } from 'node:worker_threads';
import { PIECE_BYTES } from './piece-digest';
import { BACKUP_WORKER_PRELUDE, WorkerUnavailableError } from './snapshot-copy';

interface CompressResult {
  /** Pieces digest (piece-digest.ts) of the database bytes read. */
  sha256: string;
  /** Pieces digest of the gzip bytes written: what the read-back checks. */
  storedDigest: Buffer;
  /** Gzip bytes written. */
  written: number;
}

interface CompressOptions {
  src: string;
  /** An open file descriptor (descriptors are the process's, shared with the worker); written from its offset. */
  fd: number;
  level: number;
  onBytes?: (read: number) => void;
}

// Plain CommonJS for `eval` (see snapshot-copy.ts). The pieces digest is the scheme of piece-digest.ts (each
// PIECE_BYTES piece hashed, then the piece digests in order); the read-back on the app's thread checks the
// stored digest against PieceDigest itself, so a difference could not go unnoticed.
const WORKER_SOURCE = String.raw`
${BACKUP_WORKER_PRELUDE}const fs = require('node:fs');
const zlib = require('node:zlib');
const crypto = require('node:crypto');
const { pipeline } = require('node:stream/promises');
const { Transform, Writable } = require('node:stream');

function pieces() {
  const root = crypto.createHash('sha256');
  let piece = crypto.createHash('sha256');
  let inPiece = 0;
  const end = () => {
    root.update(piece.digest());
    piece = crypto.createHash('sha256');
    inPiece = 0;
  };
  return {
    update(chunk) {
      let at = 0;
      while (at < chunk.length) {
        const take = Math.min(w.pieceBytes - inPiece, chunk.length - at);
        piece.update(chunk.subarray(at, at + take));
        inPiece += take;
        at += take;
        if (inPiece === w.pieceBytes) end();
      }
    },
    hex() {
      if (inPiece > 0) end();
      return root.digest('hex');
    },
  };
}

async function run() {
  const hash = pieces();
  const stored = pieces();
  let read = 0;
  let reported = 0;
  let written = 0;
  const tap = new Transform({
    transform(chunk, _enc, cb) {
      hash.update(chunk);
      read += chunk.length;
      if (read - reported >= 8 << 20) {
        reported = read;
        parentPort.postMessage({ type: 'progress', read });
      }
      cb(null, chunk);
    },
  });
  const sink = new Writable({
    write(chunk, _enc, cb) {
      try {
        stored.update(chunk);
        let off = 0;
        while (off < chunk.length) off += fs.writeSync(w.fd, chunk, off, chunk.length - off);
        written += chunk.length;
        cb();
      } catch (err) {
        cb(err);
      }
    },
  });
  await pipeline(fs.createReadStream(w.src, { highWaterMark: 1 << 20 }), tap, zlib.createGzip({ level: w.level }), sink);
  parentPort.postMessage({ type: 'done', sha256: hash.hex(), stored: stored.hex(), written, read });
}

run().catch((err) => {
  parentPort.postMessage({ type: 'error', message: String((err && err.message) || err), code: err && err.code });
});
`;

type WorkerMessage =
  | { type: 'progress'; read: number }
  | { type: 'done'; sha256: string; stored: string; written: number; read: number }
  | { type: 'error'; message: string; code?: string };

/**
 * Gzips `src` into `fd` and digests both sides, on a worker thread: reading, hashing and writing a gigabyte
 * on the app's thread stalled a streamed reply for 20–70 ms at a time on a busy machine (and its buffers
 * made the app's garbage collector pause as long). Rejects with the write's error, its `code` kept
 * (ENOSPC stays a full disk); WorkerUnavailableError when no thread could start.
 */
export function compressInWorker(opts: CompressOptions): Promise<CompressResult> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { src: opts.src, fd: opts.fd, level: opts.level, pieceBytes: PIECE_BYTES },
      });
    } catch (err) {
      reject(new WorkerUnavailableError((err as Error).message));
      return;
    }
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') opts.onBytes?.(m.read);
      else if (m.type === 'done') {
        opts.onBytes?.(m.read);
        settle(() => resolve({ sha256: m.sha256, storedDigest: Buffer.from(m.stored, 'hex'), written: m.written }));
      } else settle(() => reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {})));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the compression thread stopped before it was done (exit code ${code})`))),
    );
  });
}
