import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { PIECE_BYTES, newPieceDigest, digestFor, pieceDigestOfFile } from './piece-digest';

/** The scheme written out longhand: sha256 over the sha256 of each 8 MiB piece. */
function longhand(data: Buffer): string {
  const root = createHash('sha256');
  for (let at = 0; at < data.length; at += PIECE_BYTES)
    root.update(
      createHash('sha256')
        .update(data.subarray(at, at + PIECE_BYTES))
        .digest(),
    );
  return root.digest('hex');
}

describe('the backup checksum in 8 MiB pieces', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  const sizes = [0, 1, PIECE_BYTES - 1, PIECE_BYTES, PIECE_BYTES + 1, 3 * PIECE_BYTES + 12_345];

  it('streamed in chunks of any size, it is sha256 over the pieces’ sha256s', () => {
    for (const size of sizes) {
      const data = randomBytes(size);
      const d = newPieceDigest();
      for (let at = 0; at < size; at += 1_000_003) d.update(data.subarray(at, at + 1_000_003));
      expect(d.hex(), `${size} bytes`).toBe(longhand(data));
    }
  });

  it('on worker threads it gives the same digest, with progress up to the size', async () => {
    for (const size of sizes) {
      const data = randomBytes(size);
      const file = path.join(tmp.dir, `f${size}`);
      fs.writeFileSync(file, data);
      let seen = 0;
      const r = await pieceDigestOfFile(file, { threads: 3, onBytes: (done) => (seen = done) });
      expect(r, `${size} bytes`).toEqual({ hex: longhand(data), bytes: size });
      expect(seen).toBe(size);
    }
  });

  it('differs from a plain sha256 (format 1), which stays available for old backups', () => {
    const data = randomBytes(PIECE_BYTES + 10);
    const plain = digestFor('sha256');
    plain.update(data);
    const plainHex = plain.hex();
    expect(plainHex).toBe(createHash('sha256').update(data).digest('hex'));
    const pieces = digestFor('sha256-8MiB-pieces');
    pieces.update(data);
    expect(pieces.hex()).not.toBe(plainHex);
  });

  it('a changed byte anywhere changes it', async () => {
    const data = randomBytes(2 * PIECE_BYTES + 100);
    const file = path.join(tmp.dir, 'f');
    fs.writeFileSync(file, data);
    const before = (await pieceDigestOfFile(file)).hex;
    for (const at of [0, PIECE_BYTES, data.length - 1]) {
      const copy = Buffer.from(data);
      copy[at] = copy[at]! ^ 1;
      fs.writeFileSync(file, copy);
      expect((await pieceDigestOfFile(file)).hex, `byte ${at}`).not.toBe(before);
    }
  });
});
