import fs from 'node:fs/promises';
import path from 'node:path';
import type { CommandRunner } from './command-runner';
import { firstLine } from './command-runner';
import type { GpuInfo, ProbeResult } from './hardware-types';

const GIB = 1024 ** 3;
/** Ollama skips Radeon iGPUs below this carve-out (amd_linux.go IGPUMemLimit): they run on the CPU. */
const IGPU_VRAM_LIMIT_BYTES = GIB;

const VENDOR_AMD = '0x1002';
const VENDOR_INTEL = '0x8086';

async function readText(file: string): Promise<string | null> {
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch {
    return null;
  }
}

function bytes(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

/**
 * AMD (and Intel integrated) GPUs from `<root>/sys/class/drm/card<N>/device`: vendor, mem_info_vram_total,
 * mem_info_vram_used. NVIDIA cards there are left to nvidia-smi.
 */
export async function probeDrmSysfs(root: string): Promise<ProbeResult<GpuInfo[]>> {
  const drm = path.join(root, 'sys', 'class', 'drm');
  let entries: string[];
  try {
    entries = await fs.readdir(drm);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return {
      value: [],
      reason: code === 'EACCES' ? `${drm}: permission denied` : `${drm} not readable (${code ?? 'error'})`,
    };
  }
  const cards = entries.filter((e) => /^card\d+$/.test(e)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)));
  const gpus: GpuInfo[] = [];
  for (const card of cards) {
    const dev = path.join(drm, card, 'device');
    const vendor = (await readText(path.join(dev, 'vendor')))?.toLowerCase();
    if (vendor !== VENDOR_AMD && vendor !== VENDOR_INTEL) continue;
    const deviceId = (await readText(path.join(dev, 'device'))) ?? '';
    const productName = await readText(path.join(dev, 'product_name'));
    const driverLink = await fs.readlink(path.join(dev, 'driver')).catch(() => null);
    const driver = driverLink ? path.basename(driverLink) : null;
    if (vendor === VENDOR_INTEL) {
      gpus.push({
        index: gpus.length,
        name: productName || `Intel integrated GPU ${deviceId}`.trim(),
        vendor: 'intel',
        backend: 'none',
        vramTotalBytes: 0,
        vramFreeBytes: null,
        driver,
        sharesSystemRam: true,
        source: 'sysfs',
      });
      continue;
    }
    const total = bytes(await readText(path.join(dev, 'mem_info_vram_total')));
    const used = bytes(await readText(path.join(dev, 'mem_info_vram_used')));
    if (total === null) continue;
    const integrated = total < IGPU_VRAM_LIMIT_BYTES;
    gpus.push({
      index: gpus.length,
      name: productName || `AMD Radeon GPU ${deviceId}`.trim(),
      vendor: 'amd',
      backend: integrated ? 'none' : 'rocm',
      vramTotalBytes: total,
      vramFreeBytes: used !== null ? Math.max(0, total - used) : null,
      driver,
      sharesSystemRam: integrated,
      source: 'sysfs',
    });
  }
  return { value: gpus };
}

/** Parses `rocm-smi --showmeminfo vram --json`: `{"card0": {"VRAM Total Memory (B)": "...", "VRAM Total Used Memory (B)": "..."}}`. */
export function parseRocmSmiJson(stdout: string): ProbeResult<GpuInfo[]> {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch {
    return { value: [], reason: `rocm-smi: not JSON: ${firstLine(stdout) || '(empty)'}` };
  }
  if (!data || typeof data !== 'object') return { value: [], reason: 'rocm-smi: unexpected JSON' };
  const gpus: GpuInfo[] = [];
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const m = /^card(\d+)$/.exec(key);
    if (!m || !value || typeof value !== 'object') continue;
    const fields = value as Record<string, unknown>;
    const total = Number(fields['VRAM Total Memory (B)']);
    const used = Number(fields['VRAM Total Used Memory (B)']);
    if (!Number.isFinite(total) || total <= 0) continue;
    const integrated = total < IGPU_VRAM_LIMIT_BYTES;
    gpus.push({
      index: Number(m[1]),
      name: `AMD GPU ${key}`,
      vendor: 'amd',
      backend: integrated ? 'none' : 'rocm',
      vramTotalBytes: total,
      vramFreeBytes: Number.isFinite(used) ? Math.max(0, total - used) : null,
      driver: null,
      sharesSystemRam: integrated,
      source: 'rocm-smi',
    });
  }
  return gpus.length ? { value: gpus } : { value: [], reason: 'rocm-smi: no cards in its answer' };
}

export async function probeRocmSmi(runner: CommandRunner, timeoutMs?: number): Promise<ProbeResult<GpuInfo[]>> {
  const r = await runner.run('rocm-smi', ['--showmeminfo', 'vram', '--json'], { timeoutMs });
  if (!r.ok) return { value: [], reason: r.message ?? 'rocm-smi failed' };
  return parseRocmSmiJson(r.stdout);
}
