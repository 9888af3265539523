import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { z } from 'zod';
import { CHECKSUM_SCHEMES } from './piece-digest';
import { lazy } from '../../../preload/shared/lazy';

/**
 * One backup = one file (`*.aerisbak`), so it can be copied to a USB drive as is:
 *
 *   [payload: the SQLite database, raw or gzip] [settings JSON] [manifest JSON] [seal, 32 bytes] [footer, 48 bytes]
 *
 * The seal (format 3) is a SHA-256 over everything else in the file, as stored (see `sealDigest`): a
 * rewritten setting, a flipped byte in the manifest, in the gzip header or in a deflate encoding that still
 * unpacks to the same database all break it. Formats 1 and 2 have no seal: their checksum covers the
 * unpacked database only, so their settings are treated as untrusted.
 *
 * The payload comes first so an uncompressed backup is written by SQLite's online backup straight into
 * place (no second copy of the database). The footer comes last and
 * is written after everything else, so a file cut short (a killed process, a pulled USB stick) has no valid
 * footer and is refused as truncated.
 */
export const BACKUP_EXTENSION = '.aerisbak';
export const FOOTER_BYTES = 48;
const MAGIC_END = Buffer.from('AERISBAK', 'latin1');
const MAGIC_FOOTER = Buffer.from('AQBAKEND', 'latin1');
/**
 * 3: a seal over the whole archive; 2: the checksum is over 8 MiB pieces of the database (see
 * piece-digest.ts); 1: a plain sha256 of the database. All are read.
 */
export const ARCHIVE_FORMAT_VERSION = 3;
/** The first format whose whole file (settings and manifest included) is sealed. */
export const SEALED_FORMAT = 3;
export const SEAL_BYTES = 32;
/**
 * A gzip payload may unpack to at most this many times its size (or MIN_RATIO_CAP_BYTES, whichever is
 * more): a hard cap a lying manifest cannot lift. Real stores compress 3-25×.
 */
export const MAX_GZIP_RATIO = 50;
export const MIN_RATIO_CAP_BYTES = 32 << 20;
const FLAG_GZIP = 1;

export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
export const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);

const BackupKindSchema = lazy(() => z.enum(['manual', 'scheduled', 'safety']));
export type BackupKind = z.infer<ReturnType<typeof BackupKindSchema>>;

export const ManifestSchema = lazy(() =>
  z.object({
    format: z.literal('aeris-aq-backup'),
    formatVersion: z.number().int(),
    kind: BackupKindSchema(),
    appVersion: z.string(),
    schemaVersion: z.number().int(),
    createdAt: z.string(),
    sessions: z.number().int().nonnegative(),
    messages: z.number().int().nonnegative(),
    /** The span of the history (ISO): oldest session start, newest session activity; null when empty. */
    firstMessageAt: z.string().nullable(),
    lastMessageAt: z.string().nullable(),
    /** The checksum (hex) of the database bytes, before compression, in the scheme `checksum` names. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    /** Absent in format 1, whose checksum is a plain sha256 of the bytes. */
    checksum: z.enum(CHECKSUM_SCHEMES).default('sha256'),
    databaseBytes: z.number().int().nonnegative(),
    compression: z.enum(['gzip', 'none']),
    settingsIncluded: z.boolean(),
  }),
);
export type BackupManifest = z.infer<ReturnType<typeof ManifestSchema>>;

export interface Footer {
  formatVersion: number;
  gzip: boolean;
  payloadBytes: number;
  settingsBytes: number;
  manifestBytes: number;
}

export function encodeFooter(f: Footer): Buffer {
  const b = Buffer.alloc(FOOTER_BYTES);
  MAGIC_FOOTER.copy(b, 0);
  b.writeUInt32LE(f.formatVersion, 8);
  b.writeUInt32LE(f.gzip ? FLAG_GZIP : 0, 12);
  b.writeBigUInt64LE(BigInt(f.payloadBytes), 16);
  b.writeUInt32LE(f.settingsBytes, 24);
  b.writeUInt32LE(f.manifestBytes, 28);
  MAGIC_END.copy(b, 40);
  return b;
}

export function decodeFooter(b: Buffer): Footer | null {
  if (b.length !== FOOTER_BYTES) return null;
  if (!b.subarray(0, 8).equals(MAGIC_FOOTER) || !b.subarray(40, 48).equals(MAGIC_END)) return null;
  return {
    formatVersion: b.readUInt32LE(8),
    gzip: (b.readUInt32LE(12) & FLAG_GZIP) !== 0,
    payloadBytes: Number(b.readBigUInt64LE(16)),
    settingsBytes: b.readUInt32LE(24),
    manifestBytes: b.readUInt32LE(28),
  };
}

export function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buf, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done === length ? buf : buf.subarray(0, done);
}

/** The bytes a seal covers besides the payload, in order. */
interface SealParts {
  /** The pieces digest (piece-digest.ts) of the payload exactly as stored (compressed or not), raw bytes. */
  payloadDigest: Buffer;
  settings: Buffer;
  manifest: Buffer;
  footer: Buffer;
}

/** Format 3's seal: SHA-256 over the stored payload's digest, the settings, the manifest and the footer. */
export function sealDigest(p: SealParts): Buffer {
  const h = createHash('sha256');
  for (const part of [p.payloadDigest, p.settings, p.manifest, p.footer]) {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(part.length));
    h.update(len).update(part); // length-prefixed: bytes cannot move from one part to the next
  }
  return h.digest();
}

/** Where the seal sits in a file of `footer`'s layout (format 3 only). */
export function sealOffset(f: Footer): number {
  return f.payloadBytes + f.settingsBytes + f.manifestBytes;
}
