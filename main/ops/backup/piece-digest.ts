import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { BACKUP_WORKER_PRELUDE } from './snapshot-copy';

/**
 * The backup checksum (archive format 2): SHA-256 over the SHA-256 digests of each 8 MiB piece of the
 * database, in order. As strong as one SHA-256 of the whole, but the pieces hash on every core at once:
 * one SHA-256 pass is a single thread's 0.6-0.8 s per GB, a third to half again the copy itself.
 * Archive format 1 used a plain SHA-256 of the bytes; both are read.
 */
export const PIECE_BYTES = 8 << 20;

/** Format 1's plain sha256, and format 2's pieces (what new backups use). */
export const CHECKSUM_SCHEMES = ['sha256', 'sha256-8MiB-pieces'] as const;
type ChecksumScheme = (typeof CHECKSUM_SCHEMES)[number];
export const PIECES_SCHEME: ChecksumScheme = 'sha256-8MiB-pieces';

/** An incremental digest in either scheme, fed the database bytes in order. */
export interface Digest {
  update(chunk: Buffer): void;
  hex(): string;
}

export function digestFor(scheme: ChecksumScheme): Digest {
  if (scheme === 'sha256') {
    const h = createHash('sha256');
    return { update: (c) => void h.update(c), hex: () => h.digest('hex') };
  }
  return newPieceDigest();
}

/**
 * The pieces scheme, fed bytes in order (compression and extraction stream them that way). Self-contained, its
 * hash maker and piece size given, so the gzip worker runs this same function from its source text.
 */
export function pieceDigest(newHash: () => Hash, pieceBytes: number): Digest {
  const root = newHash();
  let piece = newHash();
  let inPiece = 0;
  const endPiece = (): void => {
    root.update(piece.digest());
    piece = newHash();
    inPiece = 0;
  };
  return {
    update(chunk) {
      let at = 0;
      while (at < chunk.length) {
        const take = Math.min(pieceBytes - inPiece, chunk.length - at);
        piece.update(chunk.subarray(at, at + take));
        inPiece += take;
        at += take;
        if (inPiece === pieceBytes) endPiece();
      }
    },
    hex() {
      if (inPiece > 0) endPiece();
      return root.digest('hex');
    },
  };
}

export function newPieceDigest(): Digest {
  return pieceDigest(() => createHash('sha256'), PIECE_BYTES);
}

// Plain CommonJS for `eval` (see snapshot-copy.ts). Started ahead (a thread takes tens of milliseconds to
// start), it hashes each piece it is sent, read from the file, and posts the digest.
const WORKER_SOURCE = String.raw`
${BACKUP_WORKER_PRELUDE}const fs = require('node:fs');
const crypto = require('node:crypto');
let buf = null;
parentPort.on('message', (p) => {
  try {
    if (!buf || buf.length < p.bytes) buf = Buffer.allocUnsafe(p.bytes);
    const fd = fs.openSync(p.file, 'r');
    try {
      let got = 0;
      while (got < p.bytes) {
        const n = fs.readSync(fd, buf, got, p.bytes - got, p.start + got);
        if (n === 0) throw new Error('the file ended early');
        got += n;
      }
    } finally {
      fs.closeSync(fd);
    }
    const digest = crypto.createHash('sha256').update(buf.subarray(0, p.bytes)).digest();
    parentPort.postMessage({ index: p.index, digest, bytes: p.bytes });
  } catch (err) {
    parentPort.postMessage({ index: p.index, error: String((err && err.message) || err) });
  }
});
`;

/** Pieces of a file being written, hashed as each is complete (PieceHashers.follow). */
export interface PieceFeed {
  /** The file holds its first `done` bytes, of `total` once complete: every whole piece in them is hashed. */
  upTo(done: number, total: number): void;
  /** The digest, once `upTo(total, total)` was told and every piece is hashed. */
  result(): Promise<{ hex: string; bytes: number }>;
}

/** Checksum threads, started before they are needed; `close` ends them. Each is used for one file. */
export interface PieceHashers {
  /** The digest of `file`, or of its first `limit` bytes. */
  digest(file: string, onBytes?: (done: number) => void, limit?: number): Promise<{ hex: string; bytes: number }>;
  /** The digest of a file as it is written, piece by piece. */
  follow(file: string, onBytes?: (done: number) => void): PieceFeed;
  close(): void;
}

/** Starts `threads` checksum threads (default: the cores, up to 8). Throws if none can start. */
export function startPieceHashers(threads = Math.min(8, os.availableParallelism())): PieceHashers {
  const workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(WORKER_SOURCE, { eval: true }));
  let used = false;
  const follow = (file: string, onBytes?: (done: number) => void): PieceFeed => {
    if (used) throw new Error('checksum threads are used once');
    used = true;
    const digests: Buffer[] = [];
    const busy = new Map<Worker, number>(workers.map((w) => [w, 0]));
    let sent = 0; // pieces handed out
    let hashed = 0;
    let hashedBytes = 0;
    let total: number | null = null;
    let failed: Error | null = null;
    let settle: { resolve: (v: { hex: string; bytes: number }) => void; reject: (e: Error) => void } | null = null;
    const result = new Promise<{ hex: string; bytes: number }>((resolve, reject) => {
      settle = { resolve, reject };
    });
    result.catch(() => undefined); // told to whoever awaits result(); never an unhandled rejection
    const finishIfDone = (): void => {
      if (failed) settle?.reject(failed);
      else if (total !== null && hashed === Math.ceil(total / PIECE_BYTES)) {
        const root = createHash('sha256');
        for (const d of digests) root.update(d);
        settle?.resolve({ hex: root.digest('hex'), bytes: total });
      } else return;
      settle = null;
    };
    const fail = (err: Error): void => {
      failed ??= err;
      finishIfDone();
    };
    for (const worker of workers) {
      worker.on('message', (m: { index: number; digest?: Uint8Array; bytes?: number; error?: string }) => {
        busy.set(worker, busy.get(worker)! - 1);
        if (m.error !== undefined || !m.digest) return fail(new Error(`checksum: ${m.error}`));
        digests[m.index] = Buffer.from(m.digest);
        hashed++;
        hashedBytes += m.bytes!;
        onBytes?.(hashedBytes);
        finishIfDone();
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (settle) fail(new Error(`a checksum thread stopped (exit code ${code})`));
      });
    }
    return {
      upTo(done, size) {
        if (failed) return;
        const complete = done >= size;
        const ready = complete ? Math.ceil(size / PIECE_BYTES) : Math.floor(done / PIECE_BYTES);
        for (; sent < ready; sent++) {
          // The thread with the fewest pieces waiting takes the next.
          let pick = workers[0]!;
          for (const w of workers) if (busy.get(w)! < busy.get(pick)!) pick = w;
          busy.set(pick, busy.get(pick)! + 1);
          const start = sent * PIECE_BYTES;
          pick.postMessage({ file, index: sent, start, bytes: Math.min(PIECE_BYTES, size - start) });
        }
        if (complete) {
          total = size;
          finishIfDone();
        }
      },
      result: () => result,
    };
  };
  return {
    close: () => {
      for (const w of workers) void w.terminate();
    },
    follow,
    async digest(file, onBytes, limit = Infinity) {
      const fileSize = fs.statSync(file).size;
      const size = Math.min(fileSize, limit);
      const feed = follow(file, onBytes);
      feed.upTo(size, size);
      const r = await feed.result();
      if (fs.statSync(file).size !== fileSize) throw new Error(`${file} changed while it was checksummed`);
      return r;
    },
  };
}

/** The pieces digest of a file, on worker threads; the app's thread only collects the digests. */
export async function pieceDigestOfFile(
  file: string,
  opts: { threads?: number; onBytes?: (done: number) => void } = {},
): Promise<{ hex: string; bytes: number }> {
  const hashers = startPieceHashers(opts.threads);
  try {
    return await hashers.digest(file, opts.onBytes);
  } finally {
    hashers.close();
  }
}
