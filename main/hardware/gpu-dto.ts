import type { HardwareGpuDto } from '../../preload/contract';
import type { GpuInfo, GpuVendor } from './hardware-types';

/** A detected GPU as the dashboard (`hardware.get`) and `aeris doctor --json` report it. */
export function toGpuDto(g: GpuInfo): HardwareGpuDto & { vendor: GpuVendor } {
  return {
    name: g.name,
    vendor: g.vendor,
    vramTotalBytes: g.vramTotalBytes,
    vramFreeBytes: g.vramFreeBytes,
    driver: g.driver,
    sharesSystemRam: g.sharesSystemRam,
  };
}
