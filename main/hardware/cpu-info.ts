import type { CpuInfo } from './hardware-types';

/** The flags that decide which llama.cpp CPU build runs well. */
const SIMD_FLAG = /^(avx|avx2|avx512\w*|avx_vnni|fma|f16c)$/;

export function simdFlags(all: string[]): string[] {
  return [...new Set(all.map((f) => f.toLowerCase()).filter((f) => SIMD_FLAG.test(f)))].sort();
}

/** Parses /proc/cpuinfo: the first processor's model name (x86) or Hardware/Model line (ARM), and its flags. */
export function parseProcCpuinfo(text: string): { model: string | null; flags: string[]; processors: number } {
  let model: string | null = null;
  let flags: string[] = [];
  let processors = 0;
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const key = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (key === 'processor') processors++;
    else if ((key === 'model name' || key === 'hardware' || key === 'model') && !model && value && !/^\d+$/.test(value))
      model = value;
    else if ((key === 'flags' || key === 'features') && flags.length === 0) flags = value.split(/\s+/);
  }
  return { model, flags: simdFlags(flags), processors };
}

export function cpuInfoFrom(opts: {
  cpus: Array<{ model: string }>;
  cpuinfo?: string | null;
  extraFlags?: string[];
}): CpuInfo {
  const parsed = opts.cpuinfo ? parseProcCpuinfo(opts.cpuinfo) : null;
  const model = parsed?.model ?? opts.cpus[0]?.model?.trim() ?? 'unknown CPU';
  return {
    model,
    cores: opts.cpus.length || parsed?.processors || 1,
    flags: simdFlags([...(parsed?.flags ?? []), ...(opts.extraFlags ?? [])]),
  };
}
