/** What the app knows about the machine; every field a probe could not read is null or empty, with a reason. */

export type GpuVendor = 'nvidia' | 'amd' | 'apple' | 'intel' | 'unknown';

/** The library Ollama would run the GPU with; `none` means Ollama treats it as CPU (integrated GPUs). */
export type GpuBackend = 'cuda' | 'rocm' | 'metal' | 'none';

export interface GpuInfo {
  index: number;
  name: string;
  vendor: GpuVendor;
  backend: GpuBackend;
  vramTotalBytes: number;
  /** Null where the source gives no live figure (the Windows registry). */
  vramFreeBytes: number | null;
  driver: string | null;
  /** Integrated GPUs and Apple Silicon use system RAM. */
  sharesSystemRam: boolean;
  computeCapability?: string;
  source: 'nvidia-smi' | 'sysfs' | 'rocm-smi' | 'sysctl' | 'registry';
}

interface RamInfo {
  totalBytes: number;
  freeBytes: number;
}

export interface CpuInfo {
  model: string;
  cores: number;
  /** The SIMD flags llama.cpp cares about: avx, avx2, avx512*, fma, f16c. */
  flags: string[];
}

export interface DiskInfo {
  modelsDir: string;
  /** Null when the folder's volume could not be read. */
  freeBytes: number | null;
}

export interface HardwareReport {
  platform: NodeJS.Platform;
  arch: string;
  gpus: GpuInfo[];
  ram: RamInfo;
  cpu: CpuInfo;
  disk: DiskInfo;
  /** Why a probe found nothing or failed ("nvidia-smi not found on PATH"); empty when all answered. */
  notes: string[];
  detectedAt: string;
}

/** A probe never throws: it returns what it found plus why it found nothing. */
export interface ProbeResult<T> {
  value: T;
  reason?: string;
}
