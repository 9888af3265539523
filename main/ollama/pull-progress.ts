export interface LayerProgress {
  digest: string;
  total: number;
  completed: number;
}

/**
 * Folds Ollama's pull lines into per-layer and total progress. `apply` runs for every line (about every
 * 60 ms per layer) so it only updates counters; speed and ETA are worked out when a snapshot is taken.
 */
export class PullProgress {
  private readonly layers = new Map<string, LayerProgress>();
  completedBytes = 0;
  totalBytes = 0;
  status = '';
  /** (time, completed bytes) samples over the last few seconds, for speed. */
  private samples: Array<[number, number]> = [];

  constructor(private readonly windowMs = 5000) {}

  apply(line: { status?: unknown; digest?: unknown; total?: unknown; completed?: unknown }, now: number): void {
    if (typeof line.status === 'string') this.status = line.status;
    if (typeof line.digest !== 'string' || !line.digest) return;
    const total = typeof line.total === 'number' ? line.total : 0;
    // Ollama omits `completed` while it is zero.
    const completed = typeof line.completed === 'number' ? line.completed : 0;
    let layer = this.layers.get(line.digest);
    if (!layer) {
      layer = { digest: line.digest, total: 0, completed: 0 };
      this.layers.set(line.digest, layer);
      // A resumed or already-present layer starts part-way: that is not download speed.
      this.shiftSamples(completed);
    }
    this.totalBytes += total - layer.total;
    this.completedBytes += completed - layer.completed;
    layer.total = total;
    layer.completed = completed;
    const last = this.samples[this.samples.length - 1];
    if (last && now - last[0] < 100) last[1] = this.completedBytes;
    else this.samples.push([now, this.completedBytes]);
    while (this.samples.length > 2 && now - this.samples[0]![0] > this.windowMs) this.samples.shift();
  }

  private shiftSamples(bytes: number): void {
    for (const s of this.samples) s[1] += bytes;
  }

  layerList(): LayerProgress[] {
    return [...this.layers.values()].map((l) => ({ ...l }));
  }

  bytesPerSecond(now: number): number {
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!first || !last || last[0] - first[0] < 300) return 0;
    // A stall shows as falling speed, not the last good figure.
    const span = Math.max(now, last[0]) - first[0];
    return Math.max(0, ((last[1] - first[1]) * 1000) / span);
  }

  etaSeconds(now: number): number | null {
    const speed = this.bytesPerSecond(now);
    if (speed <= 0 || this.totalBytes <= 0) return null;
    return Math.max(0, Math.round((this.totalBytes - this.completedBytes) / speed));
  }
}
