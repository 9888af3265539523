import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../core/atomic-file';

/** A pull that has not finished: kept across restarts so the Models page can offer "Resume". */
export interface PersistedPull {
  name: string;
  state: 'queued' | 'pulling' | 'failed' | 'cancelled' | 'interrupted';
  error: string | null;
  completedBytes: number;
  totalBytes: number;
  startedAt: number;
  updatedAt: number;
}

/**
 * `pulls.json` in the data dir, written atomically. A small JSON file rather than a table: it holds a
 * handful of rows, the CLI and the app both read it, and a corrupt file only loses resume offers.
 */
export class PullStore {
  constructor(private readonly file: string) {}

  all(): PersistedPull[] {
    try {
      const raw = JSON.parse(fs.readFileSync(this.file, 'utf8')) as { pulls?: unknown };
      return Array.isArray(raw.pulls) ? (raw.pulls as PersistedPull[]).filter((p) => typeof p?.name === 'string') : [];
    } catch {
      return [];
    }
  }

  get(name: string): PersistedPull | undefined {
    return this.all().find((p) => p.name === name);
  }

  /** `durable: false` skips the fsync (progress figures; state changes stay durable). */
  upsert(rec: PersistedPull, durable = true): void {
    const rest = this.all().filter((p) => p.name !== rec.name);
    this.write([...rest, rec], durable);
  }

  remove(name: string): void {
    const all = this.all();
    if (all.some((p) => p.name === name)) this.write(all.filter((p) => p.name !== name));
  }

  private write(pulls: PersistedPull[], durable = true): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const text = JSON.stringify({ version: 1, pulls }, null, 2) + '\n';
    if (durable) return writeFileAtomic(this.file, text, 0o644);
    const tmp = `${this.file}.${process.pid}.progress.tmp`;
    fs.writeFileSync(tmp, text, { mode: 0o644 });
    fs.renameSync(tmp, this.file);
  }
}
