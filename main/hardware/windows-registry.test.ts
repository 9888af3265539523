import { describe, expect, it } from 'vitest';
import { scriptedRunner } from './scripted-runner';
import { fixture, GIB } from './test-fixtures';
import { DISPLAY_CLASS_KEY, parseRegQuery, probeWindowsRegistry } from './windows-registry';

const regRunner = (prefix: string, overrides: Record<string, string> = {}) =>
  scriptedRunner({
    reg: (args) => {
      const value = args[4]!;
      const file =
        overrides[value] ??
        {
          'HardwareInformation.qwMemorySize': `${prefix}-qwMemorySize.txt`,
          'HardwareInformation.MemorySize': 'no-match.txt',
          DriverDesc: `${prefix}-DriverDesc.txt`,
          DriverVersion: `${prefix}-DriverVersion.txt`,
        }[value]!;
      return { stdout: fixture(`windows/${file}`) };
    },
  });

describe('Windows registry adapters', () => {
  it('reads the 64-bit qwMemorySize: a 16 GB Radeon is not capped at 4 GB like WMI AdapterRAM', async () => {
    const runner = regRunner('rx6800xt');
    const r = await probeWindowsRegistry(runner);
    expect(runner.calls[0]).toEqual({
      command: 'reg',
      args: ['query', DISPLAY_CLASS_KEY, '/s', '/v', 'HardwareInformation.qwMemorySize'],
    });
    expect(r.value).toEqual([
      {
        index: 0,
        name: 'AMD Radeon RX 6800 XT',
        vendor: 'amd',
        backend: 'rocm',
        vramTotalBytes: 16 * GIB,
        vramFreeBytes: null,
        driver: '31.0.24027.1012',
        sharesSystemRam: false,
        source: 'registry',
      },
    ]);
  });

  it('flags the Intel UHD of a laptop as integrated and keeps the NVIDIA card', async () => {
    const r = await probeWindowsRegistry(regRunner('laptop'));
    expect(r.value.map((g) => [g.name, g.vendor, g.sharesSystemRam, g.vramTotalBytes / GIB])).toEqual([
      ['Intel(R) UHD Graphics 630', 'intel', true, 0.125],
      ['NVIDIA GeForce RTX 3070 Laptop GPU', 'nvidia', false, 8],
    ]);
  });

  it('falls back to the old REG_BINARY MemorySize', async () => {
    const r = await probeWindowsRegistry(
      regRunner('rx6800xt', {
        'HardwareInformation.qwMemorySize': 'no-match.txt',
        'HardwareInformation.MemorySize': 'old-driver-MemorySize.txt',
      }),
    );
    expect(r.value[0]!.vramTotalBytes).toBe(2 * GIB);
  });

  it('parses CRLF output and ignores the search summary', () => {
    const m = parseRegQuery(fixture('windows/laptop-DriverDesc.txt'), 'DriverDesc');
    expect([...m.values()].map((v) => v.data)).toEqual([
      'Intel(R) UHD Graphics 630',
      'NVIDIA GeForce RTX 3070 Laptop GPU',
    ]);
  });

  it('says why when reg fails', async () => {
    const failing = scriptedRunner({
      reg: {
        ok: false,
        exitCode: 1,
        failure: 'exit',
        stdout: fixture('windows/error-not-found.txt'),
        message: 'reg exited with code 1: ERROR: The system was unable to find the specified registry key or value.',
      },
    });
    const r = await probeWindowsRegistry(failing);
    expect(r.value).toEqual([]);
    expect(r.reason).toMatch(/unable to find the specified registry key/);
  });
});
