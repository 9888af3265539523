import fs from 'node:fs';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import {
  ARCHIVE_FORMAT_VERSION,
  decodeFooter,
  FOOTER_BYTES,
  GZIP_MAGIC,
  MAX_GZIP_RATIO,
  MIN_RATIO_CAP_BYTES,
  ManifestSchema,
  readAt,
  SEALED_FORMAT,
  SEAL_BYTES,
  sealDigest,
  sealOffset,
  SQLITE_MAGIC,
  type BackupManifest,
  type Footer,
} from './archive-format';
import { digestFor, newPieceDigest } from './piece-digest';
import { BackupError, asBackupError } from './backup-errors';
import type { BackupIo } from './backup-io';

export interface OpenedArchive {
  file: string;
  sizeBytes: number;
  footer: Footer;
  manifest: BackupManifest;
  /** config.json as it was, secrets left out; null when the backup holds none. */
  settings: Record<string, unknown> | null;
  /**
   * Format 3: the seal over the whole file and the parts it covers besides the payload. Null for formats
   * 1 and 2, whose settings and manifest nothing vouches for.
   */
  seal: { digest: Buffer; settings: Buffer; manifest: Buffer; footer: Buffer } | null;
}

/** The most bytes `archive`'s payload may unpack to: the manifest's size, never above the ratio cap. */
function unpackCap(footer: Footer): number {
  return footer.gzip ? Math.max(footer.payloadBytes * MAX_GZIP_RATIO, MIN_RATIO_CAP_BYTES) : footer.payloadBytes;
}

/** Reads the footer, manifest and settings (a few KB, whatever the backup's size): enough to list or preview. */
export async function openArchive(file: string): Promise<OpenedArchive> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BackupError('not_found', `No file at ${file}.`);
    throw asBackupError(err, 'Reading the backup');
  }
  try {
    const size = fs.fstatSync(fd).size;
    const footer = size >= FOOTER_BYTES ? decodeFooter(readAt(fd, size - FOOTER_BYTES, FOOTER_BYTES)) : null;
    if (!footer) throw await classifyWithoutFooter(fd, file, size);
    if (footer.formatVersion > ARCHIVE_FORMAT_VERSION) {
      throw new BackupError(
        'newer_schema',
        `This backup was written by a newer version of AERIS-AQ (backup format ${footer.formatVersion}); update the app to restore it.`,
      );
    }
    const sealed = footer.formatVersion >= SEALED_FORMAT;
    const expected =
      footer.payloadBytes + footer.settingsBytes + footer.manifestBytes + (sealed ? SEAL_BYTES : 0) + FOOTER_BYTES;
    if (expected !== size) {
      throw new BackupError(
        expected > size ? 'truncated' : 'corrupt',
        expected > size
          ? `The backup is incomplete: ${size} bytes where ${expected} were written.`
          : `The backup is damaged: ${size - expected} unexpected extra bytes.`,
      );
    }
    if (footer.payloadBytes === 0) throw new BackupError('corrupt', 'The backup holds no database.');
    const settingsAt = footer.payloadBytes;
    const manifestAt = settingsAt + footer.settingsBytes;
    let manifest: BackupManifest;
    let settings: Record<string, unknown> | null = null;
    const manifestBuf = readAt(fd, manifestAt, footer.manifestBytes);
    const settingsBuf = readAt(fd, settingsAt, footer.settingsBytes);
    try {
      const raw = JSON.parse(manifestBuf.toString('utf8')) as unknown;
      const parsed = ManifestSchema().safeParse(raw);
      if (!parsed.success) {
        const format = (raw as { format?: unknown } | null)?.format;
        if (format !== 'aeris-aq-backup') throw new BackupError('foreign', 'This file is not an AERIS-AQ backup.');
        throw new BackupError('corrupt', 'The backup’s manifest is damaged.');
      }
      manifest = parsed.data;
      if (footer.settingsBytes > 0) {
        settings = JSON.parse(settingsBuf.toString('utf8')) as Record<string, unknown>;
      }
    } catch (err) {
      if (err instanceof BackupError) throw err;
      throw new BackupError('corrupt', 'The backup’s manifest or settings are damaged.');
    }
    if ((manifest.compression === 'gzip') !== footer.gzip) {
      throw new BackupError('corrupt', 'The backup’s manifest and footer disagree on compression.');
    }
    // Checked before a byte is unpacked: a manifest cannot claim a size beyond what the payload may hold.
    if (
      manifest.databaseBytes > unpackCap(footer) ||
      (!footer.gzip && manifest.databaseBytes !== footer.payloadBytes)
    ) {
      throw new BackupError(
        'corrupt',
        `The backup is damaged or hostile: its manifest says it unpacks ${footer.payloadBytes} bytes to ${manifest.databaseBytes}, more than a backup can.`,
      );
    }
    const seal = sealed
      ? {
          digest: readAt(fd, sealOffset(footer), SEAL_BYTES),
          settings: settingsBuf,
          manifest: manifestBuf,
          footer: readAt(fd, size - FOOTER_BYTES, FOOTER_BYTES),
        }
      : null;
    return { file, sizeBytes: size, footer, manifest, settings, seal };
  } finally {
    fs.closeSync(fd);
  }
}

const MANIFEST_MARK = Buffer.from('"format":"aeris-aq-backup"');

/**
 * No footer: a backup cut short, or some other file. SQLite's header says how big the database should be,
 * and a gzip stream says whether it ends, so "truncated" can be told from "not ours".
 */
async function classifyWithoutFooter(fd: number, file: string, size: number): Promise<BackupError> {
  if (size === 0) return new BackupError('truncated', 'The file is empty: the backup was never completed.');
  // Our manifest is there but the footer after it is not: the last bytes were cut off.
  const tailBytes = Math.min(size, 64 * 1024);
  if (readAt(fd, size - tailBytes, tailBytes).includes(MANIFEST_MARK)) {
    return new BackupError('truncated', 'The backup is incomplete: its end marker is missing.');
  }
  const head = readAt(fd, 0, Math.min(size, 100));
  if (head.length >= 100 && head.subarray(0, 16).equals(SQLITE_MAGIC)) {
    const rawPage = head.readUInt16BE(16);
    const pageSize = rawPage === 1 ? 65536 : rawPage;
    const pages = head.readUInt32BE(28);
    if (pages * pageSize > size) {
      return new BackupError(
        'truncated',
        'The backup is incomplete: its database is cut short and it has no end marker.',
      );
    }
    return new BackupError(
      'foreign',
      'This is a plain SQLite database, not an AERIS-AQ backup (no manifest). Only *.aerisbak files can be restored.',
    );
  }
  if (head.subarray(0, 2).equals(GZIP_MAGIC)) {
    let out = 0;
    const cap = Math.max(size * MAX_GZIP_RATIO, MIN_RATIO_CAP_BYTES);
    try {
      // Read to the end to tell "cut short" from "complete", never past the ratio cap (a gzip bomb).
      await pipeline(
        fs.createReadStream(file),
        zlib.createGunzip(),
        new Writable({
          write: (c: Buffer, _e, cb) => {
            out += c.length;
            cb(out > cap ? new Error('unpacks beyond the ratio cap') : null);
          },
        }),
      );
    } catch {
      if (out > cap) {
        return new BackupError(
          'corrupt',
          `This gzip file unpacks to more than ${MAX_GZIP_RATIO} times its size and is no AERIS-AQ backup; reading stopped there.`,
        );
      }
      return new BackupError(
        'truncated',
        'The backup is incomplete: its compressed data stops short and it has no end marker.',
      );
    }
    return new BackupError('foreign', 'This is a gzip file, not an AERIS-AQ backup (no manifest).');
  }
  return new BackupError('foreign', 'This file is not an AERIS-AQ backup.');
}

/**
 * Writes the database held by `archive` to `dest` (via `io`, synced), checksumming it on the way in the
 * manifest's scheme, and (format 3) digesting the payload as stored for the seal.
 * Never writes more than the manifest's `databaseBytes` (itself under the ratio cap): a gzip bomb is
 * refused at the first chunk past it, before that chunk touches the disk.
 * A damaged gzip stream is reported as corrupt; a full disk as disk_full.
 */
export async function extractDatabase(
  archive: OpenedArchive,
  dest: string,
  io: BackupIo,
  onBytes?: (done: number) => void,
): Promise<{ sha256: string; bytes: number; storedDigest: Buffer | null }> {
  const hash = digestFor(archive.manifest.checksum);
  const stored = archive.seal ? newPieceDigest() : null;
  const cap = Math.min(archive.manifest.databaseBytes, unpackCap(archive.footer));
  let bytes = 0;
  const fd = fs.openSync(dest, 'w', 0o600);
  let writeFailed: unknown = null;
  let overCap = false;
  const sink = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, cb) {
      if (bytes + chunk.length > cap) {
        overCap = true;
        cb(new Error('over the cap'));
        return;
      }
      try {
        hash.update(chunk);
        io.writeSync(fd, chunk);
        bytes += chunk.length;
        onBytes?.(bytes);
        cb();
      } catch (err) {
        writeFailed = err;
        cb(err as Error);
      }
    },
  });
  try {
    const source: Readable = fs.createReadStream(archive.file, {
      start: 0,
      end: archive.footer.payloadBytes - 1,
      highWaterMark: 1 << 20,
    });
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        stored?.update(chunk);
        cb(null, chunk);
      },
    });
    try {
      if (archive.footer.gzip) await pipeline(source, tap, zlib.createGunzip({ chunkSize: 64 * 1024 }), sink);
      else await pipeline(source, tap, sink);
    } catch (err) {
      if (writeFailed) throw asBackupError(writeFailed, 'Unpacking the backup');
      if (overCap) {
        throw new BackupError(
          'corrupt',
          `The backup is damaged or hostile: it unpacks to more than the ${cap} bytes its manifest says. Unpacking stopped there.`,
        );
      }
      throw new BackupError('corrupt', `The backup’s compressed data is damaged (${(err as Error).message}).`);
    }
    try {
      await io.fsync(fd);
    } catch (err) {
      throw asBackupError(err, 'Unpacking the backup');
    }
    return { sha256: hash.hex(), bytes, storedDigest: stored ? Buffer.from(stored.hex(), 'hex') : null };
  } finally {
    fs.closeSync(fd);
  }
}

/** Format 3: throws unless the seal matches the file as stored (`storedDigest` from extractDatabase). */
export function checkSeal(archive: OpenedArchive, storedDigest: Buffer | null): void {
  if (!archive.seal) return;
  const expected = sealDigest({
    payloadDigest: storedDigest ?? Buffer.alloc(0),
    settings: archive.seal.settings,
    manifest: archive.seal.manifest,
    footer: archive.seal.footer,
  });
  if (!storedDigest || !expected.equals(archive.seal.digest)) {
    throw new BackupError(
      'corrupt',
      'The backup is damaged or was altered: its seal (a SHA-256 over the whole file, settings and manifest included) does not match.',
    );
  }
}
