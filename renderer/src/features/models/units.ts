// Model-page numbers beyond sizes (those are lib/format's diskSize and memSize, the same on every page).
import { diskSize } from '../../lib/format';
import { t } from '../../i18n';

export function speed(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${diskSize(Math.round(bytesPerSecond))}/s` : '';
}

export function eta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return t('models.left', { time: `${Math.max(1, Math.round(seconds))} s` });
  if (seconds < 3600) return t('models.left', { time: `${Math.round(seconds / 60)} min` });
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return t('models.left', { time: m ? `${h} h ${m} min` : `${h} h` });
}

/** 494032768 → "0.5B", 8030261248 → "8B", 70553706496 → "71B". */
export function paramCount(n: number): string {
  if (!n) return '';
  const b = n / 1e9;
  if (b >= 10) return `${Math.round(b)}B`;
  if (b >= 1) return `${b.toFixed(1).replace(/\.0$/, '')}B`;
  return b >= 0.1 ? `${b.toFixed(1)}B` : `${Math.round(n / 1e6)}M`;
}

/** "GPU 62%" share as Ollama's `ollama ps` says it: "100% GPU", "62% GPU", "100% CPU". */
export function gpuShareText(share: number): string {
  const p = Math.round(share * 100);
  if (p >= 100) return '100% GPU';
  if (p <= 0) return '100% CPU';
  return `${p}% GPU`;
}
