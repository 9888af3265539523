import type { CommandRunner } from './command-runner';
import type { GpuInfo, ProbeResult } from './hardware-types';

const GIB = 1024 ** 3;

/**
 * The share of unified memory Metal lets the GPU wire (recommendedMaxWorkingSetSize): about 2/3 of RAM on
 * small Macs, about 3/4 from 36 GiB up.
 */
export function metalBudgetBytes(ramBytes: number): number {
  return Math.floor(ramBytes * (ramBytes >= 36 * GIB ? 0.75 : 2 / 3));
}

interface AppleProbe {
  memBytes: number | null;
  brand: string | null;
  gpu: GpuInfo | null;
}

/** Parses `sysctl -n hw.memsize machdep.cpu.brand_string` (one value a line, in that order). */
function parseAppleSysctl(stdout: string): { memBytes: number | null; brand: string | null } {
  const [mem, ...rest] = stdout.split(/\r?\n/).map((l) => l.trim());
  const brand = rest.find(Boolean) ?? null;
  return { memBytes: mem && /^\d+$/.test(mem) ? Number(mem) : null, brand };
}

/** On Apple Silicon the GPU is the SoC's, with a Metal share of RAM; Intel Macs run Ollama on the CPU. */
export async function probeAppleSilicon(
  runner: CommandRunner,
  arch: string,
  timeoutMs?: number,
): Promise<ProbeResult<AppleProbe>> {
  const r = await runner.run('sysctl', ['-n', 'hw.memsize', 'machdep.cpu.brand_string'], { timeoutMs });
  if (!r.ok) return { value: { memBytes: null, brand: null, gpu: null }, reason: r.message ?? 'sysctl failed' };
  const { memBytes, brand } = parseAppleSysctl(r.stdout);
  const appleSilicon = arch === 'arm64' || /^Apple\b/.test(brand ?? '');
  if (!appleSilicon || memBytes === null) {
    return {
      value: { memBytes, brand, gpu: null },
      reason: appleSilicon ? 'sysctl gave no hw.memsize' : 'Intel Mac: Ollama runs on the CPU',
    };
  }
  const budget = metalBudgetBytes(memBytes);
  return {
    value: {
      memBytes,
      brand,
      gpu: {
        index: 0,
        name: `${brand ?? 'Apple Silicon'} GPU`,
        vendor: 'apple',
        backend: 'metal',
        vramTotalBytes: budget,
        vramFreeBytes: budget,
        driver: 'Metal',
        sharesSystemRam: true,
        source: 'sysctl',
      },
    },
  };
}

/** Intel Macs: `sysctl -n machdep.cpu.features machdep.cpu.leaf7_features` ("... AVX1.0 ..." / "... AVX2 AVX512F ..."). */
export function parseMacCpuFeatures(stdout: string): string[] {
  return stdout
    .split(/\s+/)
    .filter(Boolean)
    .map((f) => f.toLowerCase().replace(/^avx1\.0$/, 'avx'));
}
