import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SystemInfo } from './detect-hardware';

/** Test-only helpers: the fixture folder and a pinned `os`. */
export const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const fixture = (rel: string): string => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');
export const fixtureRoot = (name: string): string => path.join(FIXTURES, 'roots', name);

export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

export function fakeSystem(
  opts: { totalGb?: number; freeGb?: number; cpus?: number; model?: string; home?: string } = {},
): SystemInfo {
  return {
    totalmem: () => (opts.totalGb ?? 32) * GIB,
    freemem: () => (opts.freeGb ?? 24) * GIB,
    cpus: () => Array.from({ length: opts.cpus ?? 8 }, () => ({ model: opts.model ?? 'Test CPU' })),
    homedir: () => opts.home ?? '/home/officer',
  };
}
