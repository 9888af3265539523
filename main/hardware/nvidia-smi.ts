import type { CommandRunner } from './command-runner';
import { firstLine } from './command-runner';
import type { GpuInfo, ProbeResult } from './hardware-types';

const MIB = 1024 * 1024;

export const NVIDIA_SMI_ARGS = [
  '--query-gpu=index,name,memory.total,memory.used,memory.free,driver_version,compute_cap',
  '--format=csv,noheader,nounits',
];

/** Reads a MiB figure; nvidia-smi writes `[N/A]` or `[Not Supported]` where a board has none. */
function mib(field: string | undefined): number | null {
  const n = Number((field ?? '').trim());
  return field !== undefined && /^\d+(\.\d+)?$/.test(field.trim()) && Number.isFinite(n) ? Math.round(n * MIB) : null;
}

/** Parses `nvidia-smi --query-gpu=... --format=csv,noheader,nounits` output, one GPU a line. */
export function parseNvidiaSmiCsv(stdout: string): ProbeResult<GpuInfo[]> {
  const lines = stdout
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  if (lines.some((l) => /no devices were found/i.test(l)))
    return { value: [], reason: 'nvidia-smi: No devices were found' };
  const gpus: GpuInfo[] = [];
  const skipped: string[] = [];
  for (const line of lines) {
    // GPU names hold no commas; fields are `, `-separated.
    const f = line.split(',').map((s) => s.trim());
    if (f.length < 6 || !/^\d+$/.test(f[0]!)) {
      skipped.push(line);
      continue;
    }
    const total = mib(f[2]);
    if (total === null) {
      skipped.push(line);
      continue;
    }
    const used = mib(f[3]);
    const free = mib(f[4]) ?? (used !== null ? Math.max(0, total - used) : null);
    const cc = f[6] && /^\d+\.\d+$/.test(f[6]) ? f[6] : undefined;
    gpus.push({
      index: Number(f[0]),
      name: f[1]!,
      vendor: 'nvidia',
      backend: 'cuda',
      vramTotalBytes: total,
      vramFreeBytes: free,
      driver: f[5] && !f[5].startsWith('[') ? f[5] : null,
      sharesSystemRam: false,
      ...(cc ? { computeCapability: cc } : {}),
      source: 'nvidia-smi',
    });
  }
  if (gpus.length === 0) {
    return { value: [], reason: `nvidia-smi: unexpected output: ${firstLine(skipped.join('\n')) || '(empty)'}` };
  }
  return { value: gpus };
}

/** NVIDIA GPUs, or none with the reason (binary missing, driver/library mismatch, no devices, timeout). */
export async function probeNvidia(runner: CommandRunner, timeoutMs?: number): Promise<ProbeResult<GpuInfo[]>> {
  const r = await runner.run('nvidia-smi', NVIDIA_SMI_ARGS, { timeoutMs });
  if (!r.ok) {
    // "No devices were found" comes with exit code 6; say it plainly rather than as a failure.
    if (/no devices were found/i.test(r.stdout + r.stderr))
      return { value: [], reason: 'nvidia-smi: No devices were found' };
    const said = firstLine(r.stdout) || firstLine(r.stderr);
    if (r.failure === 'exit' && said) return { value: [], reason: `nvidia-smi failed: ${said}` };
    return { value: [], reason: r.message ?? 'nvidia-smi failed' };
  }
  return parseNvidiaSmiCsv(r.stdout);
}
