import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../core/clock';
import { probeDrmSysfs, probeRocmSmi } from './amd-gpu';
import { parseMacCpuFeatures, probeAppleSilicon } from './apple-silicon';
import type { CommandRunner } from './command-runner';
import { cpuInfoFrom } from './cpu-info';
import { probeDiskFree, type StatFs } from './disk-space';
import type { GpuInfo, HardwareReport, ProbeResult } from './hardware-types';
import { ollamaModelsDir } from '../ollama/disk-space';
import { probeNvidia } from './nvidia-smi';
import { probeWindowsRegistry } from './windows-registry';

/** The parts of `os` detection reads, so tests can pin them. */
export interface SystemInfo {
  totalmem(): number;
  freemem(): number;
  cpus(): Array<{ model: string }>;
  homedir(): string;
}

export interface DetectDeps {
  runner: CommandRunner;
  platform: NodeJS.Platform;
  arch: string;
  env: NodeJS.ProcessEnv;
  /** Root under which /proc and /sys are read: `/` in the app, a fixture tree in tests. */
  fsRoot: string;
  system: SystemInfo;
  clock: Clock;
  statfs?: StatFs;
  /** Per probe; each command is killed when it runs past this. */
  timeoutMs?: number;
  /** The models folder of an engine the app starts itself; else OLLAMA_MODELS or ~/.ollama/models. */
  modelsDir?: string;
}

export function systemDeps(): Pick<DetectDeps, 'platform' | 'arch' | 'fsRoot' | 'system'> {
  return { platform: process.platform, arch: process.arch, fsRoot: path.parse(process.cwd()).root, system: os };
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** Runs every probe for this platform; never throws, and lists why each probe that found nothing did so. */
export async function detectHardware(deps: DetectDeps): Promise<HardwareReport> {
  const notes: string[] = [];
  const take = <T>(p: ProbeResult<T>): T => {
    if (p.reason) notes.push(p.reason);
    return p.value;
  };
  const t = deps.timeoutMs;
  const modelsDir = deps.modelsDir ?? ollamaModelsDir(deps.env, deps.system.homedir());
  const diskP = probeDiskFree(modelsDir, deps.statfs);
  const ram = { totalBytes: deps.system.totalmem(), freeBytes: deps.system.freemem() };
  let gpus: GpuInfo[] = [];
  let cpuinfo: string | null = null;
  let extraFlags: string[] = [];
  let cpuModel: string | null = null;

  if (deps.platform === 'linux') {
    const [nvidia, drm, text] = await Promise.all([
      probeNvidia(deps.runner, t),
      probeDrmSysfs(deps.fsRoot),
      readOptional(path.join(deps.fsRoot, 'proc', 'cpuinfo')),
    ]);
    cpuinfo = text;
    gpus = [...take(nvidia), ...take(drm)];
    // Without a readable sysfs (containers, locked-down hosts) rocm-smi may still see the cards.
    if (drm.reason) gpus.push(...take(await probeRocmSmi(deps.runner, t)));
    if (!text) notes.push(`${path.join(deps.fsRoot, 'proc', 'cpuinfo')} not readable: CPU flags unknown`);
  } else if (deps.platform === 'win32') {
    const nvidia = take(await probeNvidia(deps.runner, t));
    const registry = take(await probeWindowsRegistry(deps.runner, t));
    // nvidia-smi's live figures win over the registry's for the same cards.
    gpus = [...nvidia, ...registry.filter((g) => !(nvidia.length > 0 && g.vendor === 'nvidia'))];
    notes.push('CPU flags are not read on Windows');
  } else if (deps.platform === 'darwin') {
    const apple = take(await probeAppleSilicon(deps.runner, deps.arch, t));
    cpuModel = apple.brand;
    if (apple.gpu) gpus = [apple.gpu];
    else {
      const r = await deps.runner.run('sysctl', ['-n', 'machdep.cpu.features', 'machdep.cpu.leaf7_features'], {
        timeoutMs: t,
      });
      if (r.ok) extraFlags = parseMacCpuFeatures(r.stdout);
    }
  } else {
    notes.push(`GPU detection is not supported on ${deps.platform}`);
  }

  const disk = take(await diskP);
  const cpu = cpuInfoFrom({ cpus: deps.system.cpus(), cpuinfo, extraFlags });
  if (cpuModel) cpu.model = cpuModel;
  return {
    platform: deps.platform,
    arch: deps.arch,
    gpus: gpus.map((g, i) => ({ ...g, index: i })),
    ram,
    cpu,
    disk,
    notes,
    detectedAt: new Date(deps.clock.now()).toISOString(),
  };
}
