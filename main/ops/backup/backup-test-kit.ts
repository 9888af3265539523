import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock';
import { dataPaths, ensureDataDirs, type DataPaths } from '../../core/paths';
import { openStore } from '../../store/store';
import { ARCHIVE_FORMAT_VERSION, encodeFooter, type BackupManifest } from './archive-format';
import type { BackupIo } from './backup-io';
import { nodeBackupIo } from './backup-io';
import { StoreHost } from './store-host';

/** Test and benchmark helpers: a data dir with a store, filled with sessions and messages. */
export function makeDataDir(root: string, clock: Clock): { paths: DataPaths; host: StoreHost } {
  const paths = dataPaths(root);
  ensureDataDirs(paths);
  const host = new StoreHost(() => openStore(paths.dbFile, clock));
  return { paths, host };
}

export function fillStore(
  host: StoreHost,
  sessions: number,
  messagesPerSession: number,
  text = 'PM2.5 in Kampala',
): void {
  const store = host.current();
  store.db.transaction(() => {
    for (let s = 0; s < sessions; s++) {
      const session = store.sessions.create({ title: `session ${s}` });
      for (let m = 0; m < messagesPerSession; m++) {
        store.messages.insert({
          sessionId: session.id,
          role: m % 2 ? 'assistant' : 'user',
          content: `${text} #${s}.${m}`,
        });
      }
    }
  })();
}

/** Grows the store to about `mb` megabytes fast (random, barely compressible text). */
export function growStore(host: StoreHost, mb: number, now: number): void {
  const db = host.current().db;
  const rowBytes = 64 * 1024;
  const rows = Math.max(1, Math.ceil((mb * 1024 * 1024) / rowBytes));
  db.prepare(
    `INSERT OR IGNORE INTO sessions (id, title, style, created_at, updated_at) VALUES ('bulk', 'bulk', 'general', ?, ?)`,
  ).run(now, now);
  const insert = db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO messages (session_id, role, content, status, created_at, updated_at)
     SELECT 'bulk', 'assistant', hex(randomblob(${rowBytes / 2})), 'complete', ?, ? FROM n`,
  );
  for (let done = 0; done < rows; done += 256) insert.run(Math.min(256, rows - done), now, now);
}

/** Packs any database file as a backup archive, with whatever manifest a test needs (foreign, newer, lying). */
export function packArchive(dbFile: string, out: string, manifest: Partial<BackupManifest>): void {
  const payload = fs.readFileSync(dbFile);
  const full: BackupManifest = {
    format: 'aeris-aq-backup',
    formatVersion: ARCHIVE_FORMAT_VERSION,
    kind: 'manual',
    appVersion: '0.0.0-test',
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    sessions: 0,
    messages: 0,
    firstMessageAt: null,
    lastMessageAt: null,
    sha256: createHash('sha256').update(payload).digest('hex'),
    databaseBytes: payload.length,
    compression: 'none',
    settingsIncluded: false,
    ...manifest,
  };
  const manifestBuf = Buffer.from(JSON.stringify(full));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(
    out,
    Buffer.concat([
      payload,
      manifestBuf,
      encodeFooter({
        formatVersion: ARCHIVE_FORMAT_VERSION,
        gzip: false,
        payloadBytes: payload.length,
        settingsBytes: 0,
        manifestBytes: manifestBuf.length,
      }),
    ]),
  );
}

/** An io whose disk "fills up" after `limit` bytes have been written through it. */
export function fullDiskAfter(limit: number): BackupIo & { written: number } {
  const io = {
    written: 0,
    writeSync(fd: number, data: Uint8Array) {
      if (io.written + data.length > limit) {
        const err = new Error('ENOSPC: no space left on device, write') as NodeJS.ErrnoException;
        err.code = 'ENOSPC';
        throw err;
      }
      io.written += data.length;
      nodeBackupIo.writeSync(fd, data);
    },
    fsync: nodeBackupIo.fsync,
    freeBytes: () => null,
  };
  return io;
}
