import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { cpuInfoFrom, parseProcCpuinfo } from './cpu-info';
import { probeDiskFree } from './disk-space';
import { ollamaModelsDir } from '../ollama/disk-space';
import { fixture } from './test-fixtures';

describe('CPU', () => {
  it('reads model and AVX flags from /proc/cpuinfo: AVX2 on Zen 3, AVX-512 on a Xeon', () => {
    const zen = parseProcCpuinfo(fixture('roots/amd-desktop/proc/cpuinfo'));
    expect(zen).toEqual({
      model: 'AMD Ryzen 7 5800X 8-Core Processor',
      flags: ['avx', 'avx2', 'f16c', 'fma'],
      processors: 4,
    });
    const xeon = parseProcCpuinfo(fixture('roots/intel-nvidia/proc/cpuinfo'));
    expect(xeon.flags).toEqual([
      'avx',
      'avx2',
      'avx512_vnni',
      'avx512bw',
      'avx512cd',
      'avx512dq',
      'avx512f',
      'avx512vl',
      'f16c',
      'fma',
    ]);
  });

  it('ARM has no AVX; the model then comes from os.cpus()', () => {
    const cpu = cpuInfoFrom({
      cpus: [{ model: 'Neoverse-N1' }, { model: 'Neoverse-N1' }],
      cpuinfo: fixture('roots/arm64/proc/cpuinfo'),
    });
    expect(cpu).toEqual({ model: 'Neoverse-N1', cores: 2, flags: [] });
  });
});

describe('models folder and free disk', () => {
  it('OLLAMA_MODELS wins over ~/.ollama/models', () => {
    expect(ollamaModelsDir({}, '/home/a')).toBe(path.join('/home/a', '.ollama', 'models'));
    expect(ollamaModelsDir({ OLLAMA_MODELS: '/data/ollama' }, '/home/a')).toBe(path.resolve('/data/ollama'));
    expect(ollamaModelsDir({ OLLAMA_MODELS: '  ' }, '/home/a')).toBe(path.join('/home/a', '.ollama', 'models'));
  });

  it('measures free space at the nearest existing folder when the models folder does not exist yet', async () => {
    const tmp = makeTempDir();
    try {
      const dir = path.join(tmp.dir, 'not', 'yet', 'models');
      const r = await probeDiskFree(dir);
      expect(r.reason).toBeUndefined();
      expect(r.value.modelsDir).toBe(dir);
      expect(r.value.freeBytes).toBeGreaterThan(0);
    } finally {
      tmp.cleanup();
    }
  });

  it('says why when statfs fails for another reason', async () => {
    const denied = Object.assign(new Error('EACCES'), { code: 'EACCES' });
    const r = await probeDiskFree('/x/models', () => Promise.reject(denied));
    expect(r).toEqual({ value: { modelsDir: '/x/models', freeBytes: null }, reason: 'free disk at /x/models: EACCES' });
  });
});
