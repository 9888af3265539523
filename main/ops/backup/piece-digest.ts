import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

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
  return new PieceDigest();
}

/** The pieces scheme, fed bytes in order (compression and extraction stream them that way). */
export class PieceDigest implements Digest {
  private readonly root = createHash('sha256');
  private piece: Hash = createHash('sha256');
  private inPiece = 0;

  update(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      const take = Math.min(PIECE_BYTES - this.inPiece, chunk.length - at);
      this.piece.update(chunk.subarray(at, at + take));
      this.inPiece += take;
      at += take;
      if (this.inPiece === PIECE_BYTES) this.endPiece();
    }
  }

  hex(): string {
    if (this.inPiece > 0) this.endPiece();
    return this.root.digest('hex');
  }

  private endPiece(): void {
    this.root.update(this.piece.digest());
    this.piece = createHash('sha256');
    this.inPiece = 0;
  }
}

// Plain CommonJS for `eval` (see snapshot-copy.ts). Started ahead (a thread takes tens of milliseconds to
// start), it waits for its share of a file's pieces, hashes them and posts each digest.
const WORKER_SOURCE = String.raw`
const { parentPort } = require('node:worker_threads');
// Linux keeps a nice value per thread: this one gives way to the app's thread (a streamed reply) for the CPU.
if (process.platform === 'linux') {
  try {
    require('node:os').setPriority(0, 10);
  } catch {
    // Not allowed here: the copy runs at normal priority.
  }
}
const fs = require('node:fs');
const crypto = require('node:crypto');
parentPort.once('message', (w) => {
  const fd = fs.openSync(w.file, 'r');
  const buf = Buffer.allocUnsafe(w.pieceBytes);
  try {
    for (let i = w.first; i < w.end; i += w.stride) {
      const start = i * w.pieceBytes;
      const want = Math.min(w.pieceBytes, w.size - start);
      let got = 0;
      while (got < want) {
        const n = fs.readSync(fd, buf, got, want - got, start + got);
        if (n === 0) throw new Error('the file ended early');
        got += n;
      }
      const digest = crypto.createHash('sha256').update(buf.subarray(0, want)).digest();
      parentPort.postMessage({ index: i, digest, bytes: want });
    }
  } finally {
    fs.closeSync(fd);
  }
});
`;

/** Checksum threads, started before they are needed; `close` ends any still waiting. */
export interface PieceHashers {
  /** The digest of `file`, or of its first `limit` bytes. */
  digest(file: string, onBytes?: (done: number) => void, limit?: number): Promise<{ hex: string; bytes: number }>;
  close(): void;
}

/** Starts `threads` checksum threads (default: the cores, up to 8). Throws if none can start. */
export function startPieceHashers(threads = Math.min(8, os.availableParallelism())): PieceHashers {
  const workers = Array.from({ length: Math.max(1, threads) }, () => new Worker(WORKER_SOURCE, { eval: true }));
  let used = false;
  return {
    close: () => {
      for (const w of workers) void w.terminate();
    },
    async digest(file, onBytes, limit = Infinity) {
      if (used) throw new Error('checksum threads are used once');
      used = true;
      const fileSize = fs.statSync(file).size;
      const size = Math.min(fileSize, limit);
      const pieces = Math.ceil(size / PIECE_BYTES);
      const digests = new Array<Buffer>(pieces);
      let done = 0;
      await Promise.all(
        workers.map(
          (worker, first) =>
            new Promise<void>((resolve, reject) => {
              worker.on('message', (m: { index: number; digest: Uint8Array; bytes: number }) => {
                digests[m.index] = Buffer.from(m.digest);
                done += m.bytes;
                onBytes?.(done);
              });
              worker.on('error', reject);
              worker.on('exit', (code) =>
                code === 0 ? resolve() : reject(new Error(`a checksum thread stopped (exit code ${code})`)),
              );
              worker.postMessage({ file, size, pieceBytes: PIECE_BYTES, first, stride: workers.length, end: pieces });
            }),
        ),
      );
      if (fs.statSync(file).size !== fileSize || done !== size) {
        throw new Error(`${file} changed while it was checksummed`);
      }
      const root = createHash('sha256');
      for (const d of digests) root.update(d);
      return { hex: root.digest('hex'), bytes: size };
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
