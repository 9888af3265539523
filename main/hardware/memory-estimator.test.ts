import { describe, expect, it } from 'vitest';
import {
  defaultContextForVram,
  estimateMemory,
  graphBytes,
  kvCacheBytes,
  ollamaSettingsFromEnv,
  GPU_MINIMUM_BYTES,
} from './memory-estimator';
import { loadModelCatalog, specFromCatalog } from './model-catalog';
import { GIB, MIB } from './test-fixtures';

const spec = (name: string) => specFromCatalog(loadModelCatalog().find((m) => m.name === name)!);

describe('KV cache', () => {
  const llama31 = spec('llama3.1:8b');

  it('Llama 3.1 8B at 4096 context, f16: exactly 512 MiB (32 layers × 8 KV heads × 2×128 × 2 bytes × 4096)', () => {
    expect(kvCacheBytes(llama31.shape!, 4096, 1, 'f16')).toBe(512 * MIB);
  });

  it('scales with KV type and parallel slots', () => {
    expect(kvCacheBytes(llama31.shape!, 4096, 1, 'q8_0')).toBe(256 * MIB);
    expect(kvCacheBytes(llama31.shape!, 4096, 1, 'q4_0')).toBe(128 * MIB);
    expect(kvCacheBytes(llama31.shape!, 4096, 4, 'f16')).toBe(2 * GIB);
    expect(kvCacheBytes(llama31.shape!, 131072, 1, 'f16')).toBe(16 * GIB);
  });

  it('uses the explicit head dim where embedding/heads would be wrong (gemma2:9b: 256, not 224)', () => {
    // 42 layers × 8 KV heads × (256 + 256) × 2 bytes × 4096.
    expect(kvCacheBytes(spec('gemma2:9b').shape!, 4096)).toBe(1344 * MIB);
  });
});

describe('compute graph', () => {
  it('llama formula: max(4·b·(1 + 4·embd + ctx·(1 + heads)), 4·b·(embd + vocab)) with b = min(ctx, 512)', () => {
    const s = spec('llama3.1:8b').shape!;
    expect(graphBytes('llama', s, 4096, 512, 0)).toEqual({
      bytes: 4 * 512 * (1 + 4 * 4096 + 4096 * 33),
      // Partial offload: 4·b·embd + the output layer's term 4·b·(embd + vocab) + embd·vocab·105/128.
      partialBytes: 4 * 512 * 4096 + 4 * 512 * (4096 + 128256) + Math.floor((4096 * 128256 * 105) / 128),
      method: 'llama',
    });
  });

  it('falls back to gqa · kv / 6 for architectures without a formula (qwen3)', () => {
    const s = spec('qwen3:8b').shape!;
    const kv = kvCacheBytes(s, 4096);
    const bytes = Math.floor((4 * kv) / 6);
    expect(graphBytes('qwen3', s, 4096, 512, kv)).toEqual({ bytes, partialBytes: bytes, method: 'fallback' });
  });
});

describe('estimateMemory', () => {
  it('llama3.1:8b at 4k: weights as Ollama counts them + 512 MiB KV + graph; with the CUDA minimum ≈ 5.5 GiB', () => {
    const e = estimateMemory(spec('llama3.1:8b'), { numCtx: 4096 });
    // The file less the untied input embedding (128256 × 4096 in Q4_K = 295,501,824 bytes), which stays off the GPU.
    expect(e.weightsBytes).toBe(4_920_753_328 - 295_501_824);
    expect(e.kvCacheBytes).toBe(512 * MIB);
    expect(e.graphBytes).toBe(310_380_544);
    expect(e.layers).toBe(33);
    const onGpu = e.modelBytes + GPU_MINIMUM_BYTES.cuda;
    expect(onGpu / GIB).toBeCloseTo(5.54, 2);
  });

  it('caps the context at what the model was trained for (llama3:8b: 8192)', () => {
    expect(estimateMemory(spec('llama3:8b'), { numCtx: 32768 }).numCtx).toBe(8192);
  });

  it('the seed’s rule of thumb holds: 3B ≈ 2 GB, 7B ≈ 4–5 GB, 13B+ ≈ 8 GB+ of weights', () => {
    expect(spec('qwen2.5:3b').sizeBytes / GIB).toBeCloseTo(1.8, 1);
    expect(spec('qwen2.5:7b').sizeBytes / GIB).toBeGreaterThan(4);
    expect(spec('qwen2.5:14b').sizeBytes / GIB).toBeGreaterThan(8);
  });
});

describe('Ollama defaults and server variables', () => {
  it('default context: 4096 below 23 GiB VRAM, 32768 from 23 GiB, 262144 from 47 GiB', () => {
    expect(defaultContextForVram(0)).toBe(4096);
    expect(defaultContextForVram(12 * GIB)).toBe(4096);
    expect(defaultContextForVram(24 * GIB)).toBe(32768);
    expect(defaultContextForVram(48 * GIB)).toBe(262144);
  });

  it('reads OLLAMA_CONTEXT_LENGTH, OLLAMA_NUM_PARALLEL, OLLAMA_GPU_OVERHEAD; a quantized KV cache unless flash attention is off', () => {
    expect(ollamaSettingsFromEnv({})).toEqual({
      contextLength: null,
      numParallel: 1,
      kvCacheType: 'f16',
      flashAttention: null,
      gpuOverheadBytes: 0,
    });
    expect(
      ollamaSettingsFromEnv({
        OLLAMA_CONTEXT_LENGTH: '8192',
        OLLAMA_NUM_PARALLEL: '2',
        OLLAMA_GPU_OVERHEAD: '1073741824',
        OLLAMA_KV_CACHE_TYPE: 'q8_0',
      }),
    ).toEqual({
      contextLength: 8192,
      numParallel: 2,
      kvCacheType: 'q8_0',
      flashAttention: null,
      gpuOverheadBytes: GIB,
    });
    // Whether a model then gets it depends on its architecture (estimateMemory); with flash attention off, never.
    expect(ollamaSettingsFromEnv({ OLLAMA_FLASH_ATTENTION: '0', OLLAMA_KV_CACHE_TYPE: 'q8_0' }).kvCacheType).toBe(
      'f16',
    );
    expect(ollamaSettingsFromEnv({ OLLAMA_FLASH_ATTENTION: '1', OLLAMA_KV_CACHE_TYPE: 'q8_0' }).kvCacheType).toBe(
      'q8_0',
    );
    expect(ollamaSettingsFromEnv({ OLLAMA_CONTEXT_LENGTH: '0' }).contextLength).toBeNull();
  });
});
