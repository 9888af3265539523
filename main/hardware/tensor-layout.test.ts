import { describe, expect, it } from 'vitest';
import { EMULATOR_MODELS } from '../../e2e/emulators/ollama-emulator';
import { specFromShow } from './installed-models';
import { estimateMemory } from './memory-estimator';
import { layoutFromTensors, tensorBytes } from './tensor-layout';

// llama3.1:8b Q4_K_M as `/api/show` (verbose) lists it: GGUF shapes are [columns, rows].
const llama31 = [
  { name: 'token_embd.weight', type: 'Q4_K', shape: [4096, 128256] },
  { name: 'rope_freqs.weight', type: 'F32', shape: [64] },
  { name: 'blk.0.attn_norm.weight', type: 'F32', shape: [4096] },
  { name: 'blk.0.attn_q.weight', type: 'Q4_K', shape: [4096, 4096] },
  { name: 'blk.0.attn_k.weight', type: 'Q4_K', shape: [4096, 1024] },
  { name: 'blk.0.attn_v.weight', type: 'Q6_K', shape: [4096, 1024] },
  { name: 'blk.0.attn_output.weight', type: 'Q4_K', shape: [4096, 4096] },
  { name: 'blk.0.ffn_norm.weight', type: 'F32', shape: [4096] },
  { name: 'blk.0.ffn_gate.weight', type: 'Q4_K', shape: [4096, 14336] },
  { name: 'blk.0.ffn_up.weight', type: 'Q4_K', shape: [4096, 14336] },
  { name: 'blk.0.ffn_down.weight', type: 'Q6_K', shape: [14336, 4096] },
  { name: 'blk.1.attn_q.weight', type: 'Q4_K', shape: [4096, 4096] },
  { name: 'blk.10.attn_q.weight', type: 'Q4_K', shape: [4096, 4096] },
  { name: 'output_norm.weight', type: 'F32', shape: [4096] },
  { name: 'output.weight', type: 'Q6_K', shape: [4096, 128256] },
];

describe('weight layout from /api/show tensors', () => {
  it('sizes tensors as Ollama does: elements × block bytes / block elements', () => {
    expect(tensorBytes({ name: 'x', type: 'Q4_K', shape: [4096, 128256] })).toBe(295_501_824);
    expect(tensorBytes({ name: 'x', type: 'Q6_K', shape: [4096, 128256] })).toBe(430_940_160);
    expect(tensorBytes({ name: 'x', type: 'IQ9_Z', shape: [4] })).toBeNull();
  });

  it('untied: output_norm + output is the output layer, the input embedding is left out, blk.0 is not blk.1/blk.10', () => {
    expect(layoutFromTensors(llama31)).toEqual({
      tiedEmbedding: false,
      outputBytes: 16_384 + 430_940_160,
      inputEmbeddingBytes: 295_501_824,
      // The same figures the catalog carries for llama3.1:8b.
      block0Bytes: 138_936_320,
      projectorBytes: 0,
    });
  });

  it('tied: without output.weight the token embedding is the output layer', () => {
    const tied = llama31.filter((t) => t.name !== 'output.weight');
    expect(layoutFromTensors(tied, 5)).toMatchObject({
      tiedEmbedding: true,
      outputBytes: 16_384 + 295_501_824,
      inputEmbeddingBytes: 0,
      projectorBytes: 5,
    });
  });

  it('no list, or a type it cannot size: null (the file is spread evenly instead)', () => {
    expect(layoutFromTensors(undefined)).toBeNull();
    expect(layoutFromTensors([{ name: 'blk.0.x', type: 'IQ9_Z', shape: [4] }])).toBeNull();
  });
});

describe('an installed model outside the catalog', () => {
  it('takes its sizes from the verbose /api/show tensor list, not the file spread evenly', () => {
    const m = EMULATOR_MODELS['llama3.1:8b']!;
    const plain = specFromShow('my-llama:latest', m.sizeBytes, { model_info: m.modelInfo });
    const verbose = specFromShow('my-llama:latest', m.sizeBytes, { model_info: m.modelInfo, tensors: llama31 });
    expect(plain.layout).toBeNull();
    expect(verbose.layout?.inputEmbeddingBytes).toBe(295_501_824);
    const e = estimateMemory(verbose, { numCtx: 4096 });
    expect(e.layoutSource).toBe('layout');
    expect(e.weightsBytes).toBe(m.sizeBytes - 295_501_824);
    expect(estimateMemory(plain, { numCtx: 4096 }).layoutSource).toBe('file-size');
  });
});
