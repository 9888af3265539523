import type { CommandRunner } from './command-runner';
import type { GpuInfo, ProbeResult } from './hardware-types';

/** The display adapter class key; each adapter is a 4-digit subkey (0000, 0001...). */
export const DISPLAY_CLASS_KEY =
  'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e968-e325-11ce-bfc1-08002be10318}';

const GIB = 1024 ** 3;

/** Parses `reg query <key> /s /v <name>` into subkey → value text. */
export function parseRegQuery(stdout: string, valueName: string): Map<string, { type: string; data: string }> {
  const out = new Map<string, { type: string; data: string }>();
  let key: string | null = null;
  for (const raw of stdout.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (/^HKEY_/i.test(line)) {
      key = line.trim();
      continue;
    }
    const m = /^\s+(\S.*?)\s{2,}(REG_\w+)\s{2,}(.*)$/.exec(line) ?? /^\s+(\S.*?)\s{2,}(REG_\w+)\s*$/.exec(line);
    if (key && m && m[1]!.toLowerCase() === valueName.toLowerCase())
      out.set(key, { type: m[2]!, data: (m[3] ?? '').trim() });
  }
  return out;
}

function regNumber(v: { type: string; data: string } | undefined): number | null {
  if (!v) return null;
  if (v.type === 'REG_QWORD' || v.type === 'REG_DWORD') {
    const n = Number(v.data);
    return Number.isFinite(n) ? n : null;
  }
  if (v.type === 'REG_BINARY' && /^[0-9a-f]+$/i.test(v.data) && v.data.length % 2 === 0) {
    // Little-endian bytes.
    const bytes = v.data.match(/../g)!.map((h) => parseInt(h, 16));
    return bytes.reduceRight((acc, b) => acc * 256 + b, 0);
  }
  return null;
}

const INTEGRATED_NAME = /\bIntel\(R\) (UHD|HD|Iris)|\bAMD Radeon\(TM\) (Graphics|Vega)|Microsoft Basic Display/i;

function vendorOf(name: string): GpuInfo['vendor'] {
  if (/nvidia/i.test(name)) return 'nvidia';
  if (/\b(amd|radeon)\b/i.test(name)) return 'amd';
  if (/intel/i.test(name)) return 'intel';
  return 'unknown';
}

/**
 * Windows adapters from the registry. `HardwareInformation.qwMemorySize` holds the real VRAM;
 * WMI's AdapterRAM is a 32-bit field that caps at 4 GiB. Older drivers write `HardwareInformation.MemorySize`.
 */
export async function probeWindowsRegistry(runner: CommandRunner, timeoutMs?: number): Promise<ProbeResult<GpuInfo[]>> {
  const query = (v: string) => runner.run('reg', ['query', DISPLAY_CLASS_KEY, '/s', '/v', v], { timeoutMs });
  const [qw, dw, desc, ver] = await Promise.all([
    query('HardwareInformation.qwMemorySize'),
    query('HardwareInformation.MemorySize'),
    query('DriverDesc'),
    query('DriverVersion'),
  ]);
  if (!desc.ok && !qw.ok) return { value: [], reason: qw.message ?? desc.message ?? 'reg query failed' };
  const sizes = parseRegQuery(qw.stdout, 'HardwareInformation.qwMemorySize');
  const oldSizes = parseRegQuery(dw.stdout, 'HardwareInformation.MemorySize');
  const names = parseRegQuery(desc.stdout, 'DriverDesc');
  const versions = parseRegQuery(ver.stdout, 'DriverVersion');
  const keys = [...new Set([...names.keys(), ...sizes.keys()])].filter((k) => /\\\d{4}$/.test(k)).sort();
  const gpus: GpuInfo[] = [];
  for (const key of keys) {
    const name = names.get(key)?.data ?? 'Display adapter';
    const total = regNumber(sizes.get(key)) ?? regNumber(oldSizes.get(key)) ?? 0;
    const vendor = vendorOf(name);
    const integrated = vendor === 'intel' || INTEGRATED_NAME.test(name) || total < GIB;
    if (/Microsoft (Basic|Remote) Display/i.test(name)) continue;
    gpus.push({
      index: gpus.length,
      name,
      vendor,
      backend: integrated ? 'none' : vendor === 'nvidia' ? 'cuda' : vendor === 'amd' ? 'rocm' : 'none',
      vramTotalBytes: total,
      vramFreeBytes: null,
      driver: versions.get(key)?.data ?? null,
      sharesSystemRam: integrated,
      source: 'registry',
    });
  }
  return gpus.length ? { value: gpus } : { value: [], reason: 'registry: no display adapters listed' };
}
