import fs from 'node:fs';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import {
  ARCHIVE_FORMAT_VERSION,
  decodeFooter,
  FOOTER_BYTES,
  GZIP_MAGIC,
  ManifestSchema,
  readAt,
  SQLITE_MAGIC,
  type BackupManifest,
  type Footer,
} from './archive-format';
import { digestFor } from './piece-digest';
import { BackupError, asBackupError } from './backup-errors';
import type { BackupIo } from './backup-io';

export interface OpenedArchive {
  file: string;
  sizeBytes: number;
  footer: Footer;
  manifest: BackupManifest;
  /** config.json as it was, secrets left out; null when the backup holds none. */
  settings: Record<string, unknown> | null;
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
    const expected = footer.payloadBytes + footer.settingsBytes + footer.manifestBytes + FOOTER_BYTES;
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
    try {
      const raw = JSON.parse(readAt(fd, manifestAt, footer.manifestBytes).toString('utf8')) as unknown;
      const parsed = ManifestSchema.safeParse(raw);
      if (!parsed.success) {
        const format = (raw as { format?: unknown } | null)?.format;
        if (format !== 'aeris-aq-backup') throw new BackupError('foreign', 'This file is not an AERIS-AQ backup.');
        throw new BackupError('corrupt', 'The backup’s manifest is damaged.');
      }
      manifest = parsed.data;
      if (footer.settingsBytes > 0) {
        settings = JSON.parse(readAt(fd, settingsAt, footer.settingsBytes).toString('utf8')) as Record<string, unknown>;
      }
    } catch (err) {
      if (err instanceof BackupError) throw err;
      throw new BackupError('corrupt', 'The backup’s manifest or settings are damaged.');
    }
    if ((manifest.compression === 'gzip') !== footer.gzip) {
      throw new BackupError('corrupt', 'The backup’s manifest and footer disagree on compression.');
    }
    return { file, sizeBytes: size, footer, manifest, settings };
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
    try {
      await pipeline(fs.createReadStream(file), zlib.createGunzip(), new Writable({ write: (_c, _e, cb) => cb() }));
    } catch {
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
 * manifest's scheme.
 * A damaged gzip stream is reported as corrupt; a full disk as disk_full.
 */
export async function extractDatabase(
  archive: OpenedArchive,
  dest: string,
  io: BackupIo,
  onBytes?: (done: number) => void,
): Promise<{ sha256: string; bytes: number }> {
  const hash = digestFor(archive.manifest.checksum);
  let bytes = 0;
  const fd = fs.openSync(dest, 'w', 0o600);
  let writeFailed: unknown = null;
  const sink = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _enc, cb) {
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
    try {
      if (archive.footer.gzip) await pipeline(source, zlib.createGunzip(), sink);
      else await pipeline(source, sink);
    } catch (err) {
      if (writeFailed) throw asBackupError(writeFailed, 'Unpacking the backup');
      throw new BackupError('corrupt', `The backup’s compressed data is damaged (${(err as Error).message}).`);
    }
    try {
      await io.fsync(fd);
    } catch (err) {
      throw asBackupError(err, 'Unpacking the backup');
    }
    return { sha256: hash.hex(), bytes };
  } finally {
    fs.closeSync(fd);
  }
}
