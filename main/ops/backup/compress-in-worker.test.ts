import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { mountTmpfs } from '../../../test/helpers/tmpfs';
import { compressInWorker } from './compress-in-worker';
import { PIECE_BYTES, newPieceDigest } from './piece-digest';

const tmp = makeTempDir('aeris-compress-');
afterAll(() => tmp.cleanup());

/** Bytes that compress somewhat (as a database does), over more than one checksum piece. */
function sample(bytes: number): Buffer {
  const b = crypto.randomBytes(bytes);
  for (let i = 0; i < bytes; i += 64) b.fill(i % 251, i, Math.min(bytes, i + 40));
  return b;
}

const digestOf = (b: Buffer): string => {
  const d = newPieceDigest();
  d.update(b);
  return d.hex();
};

describe('compressInWorker', () => {
  it('follows a file as it is written: a gzip of it after what the descriptor holds, digested as piece-digest.ts does', async () => {
    const data = sample(PIECE_BYTES + 3 * 1024 * 1024);
    const src = path.join(tmp.dir, 'store.db');
    const out = path.join(tmp.dir, 'archive');
    const fd = fs.openSync(out, 'w');
    const seen: number[] = [];
    let r;
    try {
      fs.writeSync(fd, Buffer.from('head'));
      const feed = compressInWorker({ src, fd, level: 1, onBytes: (n) => seen.push(n) });
      // Written in uneven parts, each announced only once it is on disk, with waits between them.
      const srcFd = fs.openSync(src, 'w');
      try {
        for (let at = 0; at < data.length;) {
          const part = Math.min(data.length - at, 1_500_001);
          fs.writeSync(srcFd, data, at, part, at);
          at += part;
          feed.upTo(at, data.length);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      } finally {
        fs.closeSync(srcFd);
      }
      r = await feed.result();
      // The descriptor's offset moved past the gzip: what the caller appends lands after it.
      fs.writeSync(fd, Buffer.from('tail'));
    } finally {
      fs.closeSync(fd);
    }
    const file = fs.readFileSync(out);
    const gz = file.subarray(4, file.length - 4);
    expect(file.subarray(0, 4).toString()).toBe('head');
    expect(file.subarray(file.length - 4).toString()).toBe('tail');
    expect(r.written).toBe(gz.length);
    expect(zlib.gunzipSync(gz).equals(data)).toBe(true);
    expect(r.storedDigest.toString('hex')).toBe(digestOf(gz));
    expect(seen.at(-1)).toBe(data.length);
  });

  it('a missing source rejects with its error code', async () => {
    const fd = fs.openSync(path.join(tmp.dir, 'none.out'), 'w');
    try {
      const feed = compressInWorker({ src: path.join(tmp.dir, 'nope.db'), fd, level: 1 });
      feed.upTo(10, 10);
      await expect(feed.result()).rejects.toMatchObject({ code: 'ENOENT' });
    } finally {
      fs.closeSync(fd);
    }
  });

  const disk = mountTmpfs('2m');
  it.skipIf(!disk.ok)('a full disk rejects with ENOSPC, so the backup says the disk is full', async () => {
    if (!disk.ok) return;
    try {
      const src = path.join(tmp.dir, 'random.db');
      fs.writeFileSync(src, crypto.randomBytes(4 * 1024 * 1024)); // incompressible: more than the disk holds
      const fd = fs.openSync(path.join(disk.dir, 'archive'), 'w');
      try {
        const feed = compressInWorker({ src, fd, level: 1 });
        feed.upTo(4 * 1024 * 1024, 4 * 1024 * 1024);
        await expect(feed.result()).rejects.toMatchObject({ code: 'ENOSPC' });
      } finally {
        fs.closeSync(fd);
      }
    } finally {
      disk.cleanup();
    }
  });
});
