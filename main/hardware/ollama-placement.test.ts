import { describe, expect, it } from 'vitest';
import { fitModel, type Verdict } from './fit-verdict';
import type { GpuInfo, HardwareReport } from './hardware-types';
import { estimateMemory, estimatorVersionNote, OLLAMA_ESTIMATOR_VERSION } from './memory-estimator';
import { loadModelCatalog, specFromCatalog } from './model-catalog';
import { GIB, MIB } from './test-fixtures';

/*
 * Ollama's own verdicts, worked by hand from its v0.12.10 algorithm (llm/memory.go EstimateGPULayers with
 * fs/ggml GraphSize), NOT from this project's code. One idle CUDA GPU, free = the figure given, 4096 context
 * unless stated, batch 512, f16 KV cache (no OLLAMA_FLASH_ATTENTION), CUDA minimum 457 MiB = 479,199,232 B.
 *
 * Tensor sizes: from each model's shape and llama.cpp's quantization rules (Q4_K = Q4_0 = 0.5625 B/weight,
 * Q6_K = 0.8203125, Q8_0 = 1.0625; norms f32). Q4_K_M puts attn_v and ffn_down in Q6_K on the "more bits"
 * layers (i < n/8, i ≥ 7n/8, (i − n/8) % 3 == 2), so blk.0 is one of the larger blocks; the output tensor (or
 * a tied token_embd) is Q6_K. The sums match the download sizes to within the GGUF metadata (6–8 MB).
 *
 * Ollama's steps: kv_l = 2·ctx·(k+v)·n_kv per layer; buffer = blk.0 + kv_l; GPU kept if
 * free ≥ min + projector + max(partial, full graph) + 2·buffer; allocation starts at min + buffer + projector;
 * layer i placed while free > alloc + max(graphs) + blk.i + kv_l; then the output layer
 * (output_norm + output, or the tied token_embd) if free > alloc + max(graphs) + output.
 * "need" below = min + buffer + projector + Σ(blk.i + kv_l) + output + max(graphs): free must exceed it for all.
 *
 * Graphs (b = 512, c = ctx, e = embedding, h = heads, V = vocab; integer division):
 *  llama full    = max(4b(1 + 4e + c(1+h)), 4b(e+V))
 *  llama partial = 4be + max(4b(1 + e + max(c,e)) + e²·9/16 + 4c(bh + k·n_kv), 4b(e+V) + e·V·105/128)
 *  qwen2 full    = max(4b(e+V), 4b(1 + 2e + c + ch)); partial = max(4b(e+V) + e·V·105/128, 4(b(1+2e+c(1+h)) + e(1+c)))
 *  gemma full    = max(4b(e+V), 4b(2 + c + ch + 2e + 2kh))
 *  gemma partial = max(4eb + e·V·105/128 + 4Vb, 4b(2e + 1 + 2kh + c + ch) + 4kc·8 + e·k·h·9/16)
 *
 * Worked figures (bytes):
 *  gemma2:9b (tied, Q4_0, 42 blocks of 111,505,408; kv_l 33,554,432 — gemma2: no flash attention in 0.12.10):
 *    full graph 531,628,032; partial 7,340,032 + 752,640,000 + 524,288,000 = 1,284,268,032; buffer 145,059,840;
 *    output (tied token_embd, Q6_K) 752,654,336; need = 479,199,232 + 145,059,840 + 42·145,059,840
 *    + 752,654,336 + 1,284,268,032 = 8,753,694,720 (8.15 GiB). On 8 GiB: after 42 blocks alloc = 6,716,772,352,
 *    + graph = 8,001,040,384, output does not fit → 42/43. On 12 GiB: 43/43.
 *  llama3.1:8b (untied, Q4_K_M; 16 blocks of 138,936,320 and 16 of 122,716,160; kv_l 16,777,216):
 *    full graph 310,380,544; partial 8,388,608 + max(311,429,120 − 8,388,608… , 271,056,896 + 430,940,160)
 *    = 710,385,664; buffer 155,713,536; output (output_norm + Q6_K output) 430,956,544;
 *    need = 6,499,565,568 (6.05 GiB) → on 6 GiB 32/33 (the output layer stays on the CPU); on 8 and 12 GiB 33/33.
 *    At 8192 context: kv_l 33,554,432, full graph 587,204,608, partial 710,385,664, buffer 172,490,752,
 *    need 7,053,213,696 → on 6 GiB the blocks run out after 30 → 30/33.
 *  qwen2.5:7b (untied, Q4_K_M, 28 blocks, 4 KV heads; kv_l 8,388,608): full 318,504,960; partial 765,196,800;
 *    buffer 157,501,440; output 446,706,176; need 6,006,961,152 (5.59 GiB) → with 5.5 GiB free 28/29.
 *  mistral:7b (untied, V = 32,768): partial 319,817,728, full 310,380,544; output 110,116,864;
 *    need 5,788,157,952 (5.39 GiB) → 33/33 on 8 and 12 GiB.
 *  llama3.2:3b (tied, Q4_K_M, 28 blocks, kv_l 16,777,216): full 268,959,744; partial 598,456,320;
 *    buffer 80,723,968; output (tied token_embd, Q6_K) 323,217,408; need 3,639,681,024 (3.39 GiB)
 *    → 29/29 on 8 and 12 GiB; on 3 GiB 26/29.
 *  gemma2:2b (tied, Q4_0, 26 blocks, kv_l 16,777,216): full 529,006,592; partial 1,012,846,592;
 *    buffer 60,590,080; output 483,849,216; need 3,611,827,200 (3.36 GiB) → on 3 GiB 26/27.
 *  llava:7b (vision: Mistral 7B Q4_0 + 624,000,000 B f16 CLIP projector on GPU 0; 32 blocks of 122,716,160):
 *    full 310,380,544; partial 319,817,728; buffer 139,493,376; output 107,536,384;
 *    need 6,133,834,752 (5.71 GiB) → 33/33 on 6 GiB; on 5 GiB 27/33.
 */
interface Case {
  model: string;
  vramGib: number;
  freeGib?: number;
  numCtx?: number;
  /** Ollama v0.12.10's layers on the GPU, of block_count + 1. */
  ollamaLayers: number;
  totalLayers: number;
  /** Ollama's free-VRAM need for a full offload, bytes (from the derivation above). */
  ollamaNeed: number;
}

const CASES: Case[] = [
  { model: 'gemma2:9b', vramGib: 8, ollamaLayers: 42, totalLayers: 43, ollamaNeed: 8_753_694_720 },
  { model: 'gemma2:9b', vramGib: 12, ollamaLayers: 43, totalLayers: 43, ollamaNeed: 8_753_694_720 },
  { model: 'llama3.1:8b', vramGib: 6, ollamaLayers: 32, totalLayers: 33, ollamaNeed: 6_499_565_568 },
  { model: 'qwen2.5:7b', vramGib: 6, freeGib: 5.5, ollamaLayers: 28, totalLayers: 29, ollamaNeed: 6_006_961_152 },
  { model: 'llama3.1:8b', vramGib: 6, numCtx: 8192, ollamaLayers: 30, totalLayers: 33, ollamaNeed: 7_053_213_696 },
  { model: 'mistral:7b', vramGib: 8, ollamaLayers: 33, totalLayers: 33, ollamaNeed: 5_788_157_952 },
  { model: 'mistral:7b', vramGib: 12, ollamaLayers: 33, totalLayers: 33, ollamaNeed: 5_788_157_952 },
  { model: 'llama3.2:3b', vramGib: 8, ollamaLayers: 29, totalLayers: 29, ollamaNeed: 3_639_681_024 },
  { model: 'llama3.2:3b', vramGib: 12, ollamaLayers: 29, totalLayers: 29, ollamaNeed: 3_639_681_024 },
  { model: 'llama3.1:8b', vramGib: 8, ollamaLayers: 33, totalLayers: 33, ollamaNeed: 6_499_565_568 },
  { model: 'llama3.1:8b', vramGib: 12, ollamaLayers: 33, totalLayers: 33, ollamaNeed: 6_499_565_568 },
  // Tied embeddings: the whole token_embd is the output layer.
  { model: 'llama3.2:3b', vramGib: 3, ollamaLayers: 26, totalLayers: 29, ollamaNeed: 3_639_681_024 },
  { model: 'gemma2:2b', vramGib: 3, ollamaLayers: 26, totalLayers: 27, ollamaNeed: 3_611_827_200 },
  // Vision: the projector sits on the first GPU.
  { model: 'llava:7b', vramGib: 6, ollamaLayers: 33, totalLayers: 33, ollamaNeed: 6_133_834_752 },
  { model: 'llava:7b', vramGib: 5, ollamaLayers: 27, totalLayers: 33, ollamaNeed: 6_133_834_752 },
];

const gpu = (totalGib: number, freeGib: number): GpuInfo => ({
  index: 0,
  name: 'Test NVIDIA',
  vendor: 'nvidia',
  backend: 'cuda',
  vramTotalBytes: totalGib * GIB,
  vramFreeBytes: Math.round(freeGib * GIB),
  driver: '580.95.05',
  sharesSystemRam: false,
  source: 'nvidia-smi',
});

const hw = (c: Case): Pick<HardwareReport, 'gpus' | 'ram'> => ({
  gpus: [gpu(c.vramGib, c.freeGib ?? c.vramGib)],
  ram: { totalBytes: 32 * GIB, freeBytes: 24 * GIB },
});

const spec = (name: string) => specFromCatalog(loadModelCatalog().find((m) => m.name === name)!);

describe(`fit verdicts agree with Ollama v${OLLAMA_ESTIMATOR_VERSION}'s placement`, () => {
  it.each(CASES)('$model on $vramGib GiB (free $freeGib, ctx $numCtx): Ollama $ollamaLayers/$totalLayers', (c) => {
    const est = estimateMemory(spec(c.model), { numCtx: c.numCtx ?? 4096 });
    const fit = fitModel(est, hw(c));
    const ollamaVerdict: Verdict = c.ollamaLayers === c.totalLayers ? 'full-gpu' : 'partial';
    expect(fit.verdict).toBe(ollamaVerdict);
    expect(fit.totalLayers).toBe(c.totalLayers);
    expect(Math.abs(fit.gpuLayers - c.ollamaLayers)).toBeLessThanOrEqual(1);
    // Our full-offload need within 1% of Ollama's (the catalog keeps GGUF metadata in the weights).
    expect(fit.requiredBytes / c.ollamaNeed).toBeGreaterThan(0.995);
    expect(fit.requiredBytes / c.ollamaNeed).toBeLessThan(1.01);
  });

  it('reserves the larger (partial) graph while placing: llama3.1:8b 4k graphs are 296 MiB full, 677 MiB partial', () => {
    const est = estimateMemory(spec('llama3.1:8b'), { numCtx: 4096 });
    expect(est.graphBytes).toBe(310_380_544);
    expect(est.graphPartialBytes).toBe(710_385_664);
    expect(est.layerBufferBytes).toBe(138_936_320 + 16 * MIB);
    expect(est.outputLayerBytes).toBe(430_956_544);
  });

  it('leaves the untied input embedding out of the weights, keeps a tied one as the output layer', () => {
    const untied = estimateMemory(spec('llama3.1:8b'), { numCtx: 4096 });
    expect(untied.weightsBytes).toBe(spec('llama3.1:8b').sizeBytes - 295_501_824);
    const tied = estimateMemory(spec('gemma2:9b'), { numCtx: 4096 });
    expect(tied.weightsBytes).toBe(spec('gemma2:9b').sizeBytes);
    expect(tied.outputLayerBytes).toBe(752_654_336);
  });

  it('gemma2 gets no flash attention, so an OLLAMA_KV_CACHE_TYPE of q8_0 leaves its cache f16; llama gets q8_0', () => {
    const g = estimateMemory(spec('gemma2:9b'), { numCtx: 4096, kvCacheType: 'q8_0', flashAttention: true });
    expect(g.flashAttention).toBe(false);
    expect(g.kvCacheType).toBe('f16');
    expect(g.kvCacheBytes).toBe(1344 * MIB);
    const l = estimateMemory(spec('llama3.1:8b'), { numCtx: 4096, kvCacheType: 'q8_0', flashAttention: true });
    expect(l.kvCacheType).toBe('q8_0');
    expect(l.kvCacheBytes).toBe(256 * MIB);
    // qwen3 turns it on by default; llama does not.
    expect(estimateMemory(spec('qwen3:8b'), { numCtx: 4096, kvCacheType: 'q8_0' }).kvCacheType).toBe('q8_0');
    expect(estimateMemory(spec('llama3.1:8b'), { numCtx: 4096, kvCacheType: 'q8_0' }).kvCacheType).toBe('f16');
  });

  it('a vision model carries its projector on the GPU', () => {
    const est = estimateMemory(spec('llava:7b'), { numCtx: 4096 });
    expect(est.projectorBytes).toBe(624_000_000);
    expect(est.modelBytes).toBeGreaterThan(est.weightsBytes + est.kvCacheBytes + 624_000_000);
  });

  it('a figure measured on this machine scales the estimate: llama3.1:8b measured 20% above it no longer fits 7 GiB', () => {
    const est = estimateMemory(spec('llama3.1:8b'), { numCtx: 4096 });
    const seven: Case = { model: 'llama3.1:8b', vramGib: 7, ollamaLayers: 33, totalLayers: 33, ollamaNeed: 0 };
    expect(fitModel(est, hw(seven)).verdict).toBe('full-gpu');
    const measured = { sizeBytes: 1.2 * 5_900_000_000, estimateBytes: 5_900_000_000 };
    const fit = fitModel(est, hw(seven), 0, measured);
    expect(fit.verdict).toBe('partial');
    expect(fit.requiredBytes).toBeGreaterThan(7 * GIB);
  });

  it('says so when the running Ollama is newer than the pinned estimator', () => {
    expect(estimatorVersionNote('0.12.10')).toBeNull();
    expect(estimatorVersionNote('0.11.4')).toBeNull();
    expect(estimatorVersionNote(undefined)).toBeNull();
    expect(estimatorVersionNote('0.13.1')).toMatch(/^Ollama 0\.13\.1 measures memory in its own engine; .*0\.12\.10/);
  });
});
