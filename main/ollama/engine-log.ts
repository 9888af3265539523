import fs from 'node:fs';
import path from 'node:path';

/**
 * The managed Ollama's output, appended by path to `logs/ollama.log`. It is rotated with the other logs,
 * by one scheme (main/ops/log-rotator.ts: daily and by size to `ollama.log.<yyyymmdd>`, gzip after 7 days,
 * kept 30), so `aeris logs --file ollama` reads its rotated copies too. Appending by path means a rename
 * by the rotator simply starts a new file at the next write.
 * Synchronous appends: the engine's output arrives in small chunks, and ordering matters more than speed.
 */
export class EngineLog {
  constructor(readonly file: string) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  write(chunk: string | Buffer): void {
    try {
      fs.appendFileSync(this.file, chunk);
    } catch {
      // A full or read-only disk must not take the supervisor down; the engine keeps running.
    }
  }

  /** The last lines of the current file, for the engine card's log tail. */
  tail(lines = 100): string[] {
    let text: string;
    try {
      const fd = fs.openSync(this.file, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const len = Math.min(size, 256 * 1024);
        const buf = Buffer.alloc(len);
        fs.readSync(fd, buf, 0, len, size - len);
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
