import { Worker } from 'node:worker_threads';
import { BACKUP_WORKER_PRELUDE, WorkerUnavailableError } from './snapshot-copy';
import { PIECE_BYTES, pieceDigest } from './piece-digest';

interface CompressResult {
  /** Pieces digest (piece-digest.ts) of the gzip bytes written: what the read-back checks. */
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

/** A compression that follows its source as it is written (the backup's copy, piece by piece). */
export interface CompressionFeed {
  /** `src` holds its first `done` bytes, of `total` once complete. */
  upTo(done: number, total: number): void;
  result(): Promise<CompressResult>;
  /** Stops it (the copy failed): the result rejects. */
  abort(): void;
}

// Plain CommonJS for `eval` (see snapshot-copy.ts). It reads `src` only as far as it is told the file holds
// (messages { done, total }), so it compresses the copy while the copy is still being made.
const WORKER_SOURCE = String.raw`
${BACKUP_WORKER_PRELUDE}const fs = require('node:fs');
const zlib = require('node:zlib');
const crypto = require('node:crypto');

let ready = 0;
let total = Infinity; // known from the first message
let wake = null;
parentPort.on('message', (m) => {
  ready = m.done;
  total = m.total;
  if (wake) wake();
  wake = null;
});

// The pieces scheme of piece-digest.ts, its very function, over the bytes written.
const pieceDigest = (${String(pieceDigest)});

/** The source's pieces as the copy completes them, each read once. */
async function* source() {
  let fd = null; // opened once the copy has begun: the file may not exist before
  const buf = Buffer.allocUnsafe(w.pieceBytes);
  try {
    for (let at = 0; ; ) {
      while (ready < Math.min(at + w.pieceBytes, total)) await new Promise((r) => (wake = r));
      if (at >= total) return;
      if (fd === null) fd = fs.openSync(w.src, 'r');
      const want = Math.min(w.pieceBytes, total - at);
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, buf, got, want - got, at + got);
        if (n === 0) throw new Error('the copy ended early');
        got += n;
      }
      at += want;
      yield { piece: buf.subarray(0, want), read: at };
    }
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}

async function run() {
  const stored = pieceDigest(() => crypto.createHash('sha256'), w.pieceBytes);
  let written = 0;
  // Each piece is its own gzip member (gunzip reads them as one stream), compressed here with the sync API:
  // on this thread, which gives way to the app's, not on the thread pool at full priority as zlib streams are.
  for await (const { piece, read } of source()) {
    const gz = zlib.gzipSync(piece, { level: w.level });
    stored.update(gz);
    let off = 0;
    while (off < gz.length) off += fs.writeSync(w.fd, gz, off, gz.length - off);
    written += gz.length;
    parentPort.postMessage({ type: 'progress', read });
  }
  parentPort.postMessage({ type: 'done', stored: stored.hex(), written });
}

run().catch((err) => {
  parentPort.postMessage({ type: 'error', message: String((err && err.message) || err), code: err && err.code });
});
`;

type WorkerMessage =
  | { type: 'progress'; read: number }
  | { type: 'done'; stored: string; written: number }
  | { type: 'error'; message: string; code?: string };

/**
 * Gzips `src` into `fd` on a worker thread, following `src` as it is written (feed.upTo), and digests what it
 * writes. Off the app's thread: reading, compressing and writing a gigabyte there stalled a streamed reply
 * for 20–70 ms at a time. The result rejects with the write's error, its `code` kept (ENOSPC stays a full
 * disk). Throws WorkerUnavailableError when no thread could start.
 */
export function compressInWorker(opts: CompressOptions): CompressionFeed {
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { src: opts.src, fd: opts.fd, level: opts.level, pieceBytes: PIECE_BYTES },
    });
  } catch (err) {
    throw new WorkerUnavailableError((err as Error).message);
  }
  let settled = false;
  const result = new Promise<CompressResult>((resolve, reject) => {
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
      void worker.terminate();
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') opts.onBytes?.(m.read);
      else if (m.type === 'done') {
        settle(() => resolve({ storedDigest: Buffer.from(m.stored, 'hex'), written: m.written }));
      } else settle(() => reject(Object.assign(new Error(m.message), m.code ? { code: m.code } : {})));
    });
    worker.on('error', (err) => settle(() => reject(err)));
    worker.on('exit', (code) =>
      settle(() => reject(new Error(`the compression thread stopped before it was done (exit code ${code})`))),
    );
  });
  result.catch(() => undefined); // told to whoever awaits result(); never an unhandled rejection
  return {
    upTo: (done, total) => {
      if (!settled) worker.postMessage({ done, total });
    },
    result: () => result,
    abort: () => void worker.terminate(),
  };
}
