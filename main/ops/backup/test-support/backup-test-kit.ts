import fs from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../../core/clock';
import { dataPaths, ensureDataDirs, type DataPaths } from '../../../core/paths';
import { openStore } from '../../../store/store';
import { sentenceMaker } from '../../../../test/helpers/synthetic-text';
import { PIECES_SCHEME, newPieceDigest, digestFor } from '../piece-digest';
import {
  ARCHIVE_FORMAT_VERSION,
  SEALED_FORMAT,
  encodeFooter,
  sealDigest,
  type BackupManifest,
} from '../archive-format';
import type { BackupIo } from '../backup-io';
import { nodeBackupIo } from '../backup-io';
import { StoreHost } from '../../../store/store-host';

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

/**
 * Grows the store to about `mb` megabytes as the app would leave it: sessions of 200 chat-like messages
 * (about 1.5 KB each) and every one of them in the search index.
 */
export function growStore(host: StoreHost, mb: number, now: number): void {
  const store = host.current();
  const db = store.db;
  const sentence = sentenceMaker();
  const newSession = db.prepare(
    `INSERT INTO sessions (id, title, style, created_at, updated_at) VALUES (?, ?, 'general', ?, ?)`,
  );
  const insert = db.prepare(
    `INSERT INTO messages (session_id, role, content, status, created_at, updated_at) VALUES (?, ?, ?, 'complete', ?, ?)`,
  );
  const target = mb * 1024 * 1024;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const bytes = () => (db.pragma('page_count', { simple: true }) as number) * pageSize;
  for (let batch = 0; bytes() < target; batch++) {
    db.transaction(() => {
      for (let s = 0; s < 10; s++) {
        const id = `grown-${batch}-${s}`;
        newSession.run(id, sentence(4), now, now);
        for (let m = 0; m < 200; m++) insert.run(id, m % 2 ? 'assistant' : 'user', sentence(200), now, now);
      }
    })();
    // The app indexes soon after writing; the index is part of a real store's size.
    store.messages.indexPending();
  }
}

/**
 * Packs any database file as a backup archive, with whatever manifest a test needs (foreign, newer, lying).
 * `formatVersion` 1 makes one as the first releases wrote them: a plain sha256 and no `checksum` field;
 * 2 one without a seal; 3 (the default) one sealed as the app writes them. `payload` replaces the packed
 * bytes (a crafted gzip stream, with `gzip: true`), `settings` adds a settings block.
 */
export function packArchive(
  dbFile: string,
  out: string,
  manifest: Partial<BackupManifest>,
  formatVersion = ARCHIVE_FORMAT_VERSION,
  opts: { payload?: Buffer; gzip?: boolean; settings?: Record<string, unknown> } = {},
): void {
  const db = opts.payload && !opts.gzip ? opts.payload : fs.readFileSync(dbFile);
  const payload = opts.payload ?? db;
  const scheme = formatVersion === 1 ? 'sha256' : PIECES_SCHEME;
  const digest = digestFor(scheme);
  digest.update(db);
  const full: Omit<BackupManifest, 'checksum'> & { checksum?: BackupManifest['checksum'] } = {
    format: 'aeris-aq-backup',
    formatVersion,
    kind: 'manual',
    appVersion: '0.0.0-test',
    schemaVersion: 1,
    createdAt: new Date().toISOString(),
    sessions: 0,
    messages: 0,
    firstMessageAt: null,
    lastMessageAt: null,
    sha256: digest.hex(),
    ...(formatVersion === 1 ? {} : { checksum: scheme }),
    databaseBytes: db.length,
    compression: opts.gzip ? 'gzip' : 'none',
    settingsIncluded: opts.settings !== undefined,
    ...manifest,
  };
  const settingsBuf = opts.settings ? Buffer.from(JSON.stringify(opts.settings)) : Buffer.alloc(0);
  const manifestBuf = Buffer.from(JSON.stringify(full));
  const footer = encodeFooter({
    formatVersion,
    gzip: opts.gzip ?? false,
    payloadBytes: payload.length,
    settingsBytes: settingsBuf.length,
    manifestBytes: manifestBuf.length,
  });
  const stored = newPieceDigest();
  stored.update(payload);
  const seal =
    formatVersion >= SEALED_FORMAT
      ? sealDigest({
          payloadDigest: Buffer.from(stored.hex(), 'hex'),
          settings: settingsBuf,
          manifest: manifestBuf,
          footer,
        })
      : Buffer.alloc(0);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, Buffer.concat([payload, settingsBuf, manifestBuf, seal, footer]));
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
