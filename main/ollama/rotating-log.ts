import fs from 'node:fs';
import path from 'node:path';

/**
 * An append-only log rotated by size: `ollama.log` → `ollama.log.1` → … → `ollama.log.<keep>` (dropped).
 * Synchronous appends: the engine's output arrives in small chunks, and ordering matters more than speed.
 */
export class RotatingLog {
  private size: number;

  constructor(
    readonly file: string,
    private readonly maxBytes = 5 * 1024 * 1024,
    private readonly keep = 3,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  write(chunk: string | Buffer): void {
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    try {
      if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
      fs.appendFileSync(this.file, chunk);
      this.size += bytes;
    } catch {
      // A full or read-only disk must not take the supervisor down; the engine keeps running.
    }
  }

  private rotate(): void {
    fs.rmSync(`${this.file}.${this.keep}`, { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      if (fs.existsSync(`${this.file}.${i}`)) fs.renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    }
    if (this.keep > 0) fs.renameSync(this.file, `${this.file}.1`);
    else fs.rmSync(this.file, { force: true });
    this.size = 0;
  }

  /** The last lines of the current file, for the engine card's log tail. */
  tail(lines = 100): string[] {
    let text: string;
    try {
      const fd = fs.openSync(this.file, 'r');
      try {
        const len = Math.min(this.size || fs.fstatSync(fd).size, 256 * 1024);
        const buf = Buffer.alloc(len);
        fs.readSync(fd, buf, 0, len, Math.max(0, fs.fstatSync(fd).size - len));
        text = buf.toString('utf8');
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      return [];
    }
    return text
      .split('\n')
      .filter((l) => l.length > 0)
      .slice(-lines);
  }
}
