import type { PullSnapshotDto } from '../../../../preload/contract';

/**
 * Progress of a download over the whole model. Ollama announces a model's layers one at a time, so its running
 * total is only the layers seen so far ("400 MB of 400 MB" of a 1.2 GB model); the catalog's full size is the
 * better denominator until the announced layers add up to more.
 */
export function wholeModelProgress(
  p: Pick<PullSnapshotDto, 'completedBytes' | 'totalBytes' | 'state'>,
  catalogBytes: number,
): { completedBytes: number; totalBytes: number; percent: number | null } {
  const totalBytes = Math.max(p.totalBytes, catalogBytes);
  if (p.state === 'success') return { completedBytes: totalBytes, totalBytes, percent: 100 };
  if (totalBytes <= 0) return { completedBytes: p.completedBytes, totalBytes: 0, percent: null };
  const percent = Math.min(100, Math.floor((p.completedBytes / totalBytes) * 1000) / 10);
  return { completedBytes: p.completedBytes, totalBytes, percent };
}
