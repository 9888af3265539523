import type nodeFs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';

/** One consistent copy of a store, made a step at a time (see openSnapshotFileCopy). */
interface SnapshotFileCopy {
  pageSize: number;
  /** Pages in the copy: the snapshot's size. */
  pageCount: number;
  /** pageCount × pageSize: the copy's size once complete. */
  bytes: number;
  /** Frames of the write-ahead log laid over the store file's pages (each page's newest committed one). */
  walFrames: number;
  /** Copies the next step; the bytes copied so far, or null once the copy is complete. */
  step(): number | null;
  /** Ends the read transaction and closes every file; safe to call again. */
  close(): void;
}

interface SnapshotFileCopyOptions {
  src: string;
  /**
   * A descriptor of `src` to read it with, owned by the caller and left open: closing a descriptor of the store
   * file would drop the app's lock on it (store-file-descriptor.ts).
   */
  srcFd: number;
  dest: string;
  /** Bytes per step, rounded down to whole pages. */
  stepBytes: number;
  /**
   * Start writing the copy out to the disk every this many bytes, in the background (fdatasync on the thread
   * pool; the caller yields between steps so it can finish). Left to the end, a gigabyte of dirty pages made
   * the kernel hold up the copy's writes: measured 1.4–2.3 s for a copy that took 0.35–0.6 s with this at
   * 32 MiB. The step after the last then waits (returns the same count) until the last flush is done.
   */
  flushEvery?: number;
}

/**
 * A consistent copy of a SQLite store in WAL mode, made with plain file reads instead of SQLite's backup API,
 * which copies page by page through two pagers at several times the cost of the bytes themselves.
 *
 * A read transaction is held on `src` for the whole copy. While it is open, a checkpoint never writes a page
 * into the store file past this reader's snapshot, and the log is never restarted under it (unless the
 * reader needs no log frame at all, handled below). So the copy is: the store file's pages, with the newest
 * committed frame of each page from the log laid over them — the log read from its start and validated as
 * SQLite's own recovery does (salts, the running checksum, up to the last commit frame). A commit newer than
 * the reader's snapshot may be included: the result is then that later state, still consistent, because
 * nothing in the store file is newer than the frames laid over it.
 *
 * The copy is a rollback-journal database (header bytes 18–19 set to 1), one self-contained file.
 *
 * Self-contained on purpose: backup worker threads run it from its source text (`String(openSnapshotFileCopy)`),
 * so it may use only its parameters and JavaScript's globals.
 */
export function openSnapshotFileCopy(
  fs: typeof nodeFs,
  Database: typeof BetterSqlite3,
  opts: SnapshotFileCopyOptions,
): SnapshotFileCopy {
  const fds: number[] = []; // what this opened (the log, the copy); never the store file's descriptor
  const openFile = (file: string, flags: string, mode?: number): number => {
    const fd = fs.openSync(file, flags, mode);
    fds.push(fd);
    return fd;
  };
  const readFull = (fd: number, buf: Uint8Array, at: number, length: number, position: number): number => {
    let got = 0;
    while (got < length) {
      const n = fs.readSync(fd, buf, at + got, length - got, position + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  };
  const corrupt = (message: string): Error => Object.assign(new Error(message), { code: 'SQLITE_CORRUPT' });

  const db = new Database(opts.src, { readonly: true, fileMustExist: true });
  let closed = false;
  const close = (): void => {
    if (closed) return;
    closed = true;
    for (const fd of fds.splice(0)) fs.closeSync(fd);
    try {
      if (db.inTransaction) db.exec('COMMIT');
    } finally {
      db.close();
    }
  };

  /**
   * The committed frames of the log (walformat.html): each page's newest frame up to the last valid commit
   * frame, and the store's size in pages after that commit. Null when the log holds no committed frame.
   */
  const scanWal = (
    walFile: string,
    pageSize: number,
  ): { fd: number; pages: number; pgnos: number[]; offsets: number[] } | null => {
    let fd: number;
    try {
      fd = openFile(walFile, 'r');
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOENT') return null;
      throw err;
    }
    const header = new Uint8Array(32);
    const frameBytes = 24 + pageSize;
    // A log read in runs of frames; each run starts on a frame, so every 32-bit word is aligned.
    const runFrames = Math.max(1, Math.floor((4 << 20) / frameBytes));
    const run = new Uint8Array(runFrames * frameBytes);
    const runView = new DataView(run.buffer);
    // The log is restarted under a reader only when the reader needs none of it; a scan that raced such a
    // restart sees the header change and is read again (a second restart cannot follow while we read).
    for (let attempt = 0; attempt < 3; attempt++) {
      // Only what the log holds now: it holds this reader's snapshot already, and a scan that followed the
      // frames chat keeps appending could go on as long as the writing does (it did, on a busy machine).
      const end = fs.fstatSync(fd).size;
      if (readFull(fd, header, 0, 32, 0) < 32) return null;
      const h = new DataView(header.buffer);
      const magic = h.getUint32(0);
      if (magic !== 0x377f0682 && magic !== 0x377f0683) return null; // not a log SQLite would read either
      const le = magic === 0x377f0682;
      // The running checksum over the header, then each frame's first 8 bytes and page, in the log's byte order.
      let s0 = 0;
      let s1 = 0;
      const checksum = (view: DataView, from: number, to: number): void => {
        for (let i = from; i < to; i += 8) {
          s0 = (s0 + view.getUint32(i, le) + s1) >>> 0;
          s1 = (s1 + view.getUint32(i + 4, le) + s0) >>> 0;
        }
      };
      checksum(h, 0, 24);
      if (s0 !== h.getUint32(24) || s1 !== h.getUint32(28)) return null; // an invalid header: no frames
      if (h.getUint32(8) !== pageSize) throw corrupt(`the write-ahead log's page size is not the store's`);
      const salt1 = h.getUint32(16);
      const salt2 = h.getUint32(20);
      const committed = new Map<number, number>();
      const pending = new Map<number, number>();
      let pages = 0;
      let at = 32;
      scan: for (;;) {
        const got = readFull(fd, run, 0, Math.max(0, Math.min(run.length, end - at)), at);
        const frames = Math.floor(got / frameBytes);
        for (let f = 0; f < frames; f++) {
          const o = f * frameBytes;
          if (runView.getUint32(o + 8) !== salt1 || runView.getUint32(o + 12) !== salt2) break scan;
          checksum(runView, o, o + 8);
          checksum(runView, o + 24, o + frameBytes);
          if (s0 !== runView.getUint32(o + 16) || s1 !== runView.getUint32(o + 20)) break scan;
          const pgno = runView.getUint32(o);
          if (pgno === 0) break scan;
          pending.set(pgno, at + o + 24);
          const commitPages = runView.getUint32(o + 4);
          if (commitPages !== 0) {
            for (const [p, off] of pending) committed.set(p, off);
            pending.clear();
            pages = commitPages;
          }
        }
        if (frames < runFrames) break;
        at += got;
      }
      const again = new Uint8Array(32);
      readFull(fd, again, 0, 32, 0);
      if (!again.every((b, i) => b === header[i])) continue;
      if (pages === 0) return null;
      const pgnos = [...committed.keys()].sort((a, b) => a - b);
      return { fd, pages, pgnos, offsets: pgnos.map((p) => committed.get(p)!) };
    }
    throw new Error('the write-ahead log kept being restarted while it was read');
  };

  try {
    db.pragma('busy_timeout = 5000');
    db.exec('BEGIN');
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get(); // the read transaction starts here
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const wal = db.pragma('journal_mode', { simple: true }) === 'wal' ? scanWal(`${opts.src}-wal`, pageSize) : null;
    // Without committed frames the store file alone is the snapshot; its size is the transaction's.
    const pageCount = wal ? wal.pages : (db.pragma('page_count', { simple: true }) as number);
    const bytes = pageCount * pageSize;
    const srcFd = opts.srcFd;
    const walFd = wal?.fd ?? -1;
    const destFd = openFile(opts.dest, 'w', 0o600);
    const stepBytes = Math.max(1, Math.floor(opts.stepBytes / pageSize)) * pageSize;
    const buf = new Uint8Array(Math.min(stepBytes, bytes));
    const pgnos = wal?.pgnos ?? [];
    const offsets = wal?.offsets ?? [];
    let next = 0; // the next frame to lay over, in page order
    let done = 0;
    let flushing = false;
    let flushedAt = 0;
    const step = (): number | null => {
      if (done >= bytes) {
        if (flushing) return done;
        close(); // not synced here: the caller syncs what it makes of the copy, once
        return null;
      }
      const length = Math.min(stepBytes, bytes - done);
      // Pages past the store file's end are in the log (laid over below).
      const got = readFull(srcFd, buf, 0, length, done);
      if (got < length) buf.fill(0, got, length);
      const endPage = (done + length) / pageSize; // pages are numbered from 1: this step holds pages ≤ endPage
      for (; next < pgnos.length && pgnos[next]! <= endPage; next++) {
        const into = (pgnos[next]! - 1) * pageSize - done;
        if (readFull(walFd, buf, into, pageSize, offsets[next]!) < pageSize) {
          throw new Error('the write-ahead log was cut short while the backup read it');
        }
      }
      if (done === 0) {
        const magic = 'SQLite format 3\0';
        for (let i = 0; i < magic.length; i++) {
          if (buf[i] !== magic.charCodeAt(i)) throw corrupt('the store file does not start with a SQLite header');
        }
        buf[18] = 1; // a rollback journal: the copy needs no log beside it
        buf[19] = 1;
      }
      let wrote = 0;
      while (wrote < length) wrote += fs.writeSync(destFd, buf, wrote, length - wrote, done + wrote);
      done += length;
      if (opts.flushEvery && !flushing && done - flushedAt >= opts.flushEvery) {
        flushing = true;
        flushedAt = done;
        fs.fdatasync(destFd, () => {
          flushing = false; // a failed flush is no failure here: the caller's own sync at the end reports it
        });
      }
      return done;
    };
    return { pageSize, pageCount, bytes, walFrames: pgnos.length, step, close };
  } catch (err) {
    close();
    throw err;
  }
}
