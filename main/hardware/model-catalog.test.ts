import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { catalogSchema, loadModelCatalog, parseCatalog, specFromCatalog } from './model-catalog';
import { FIXTURES } from './test-fixtures';

const CATALOG_FILE = path.join(FIXTURES, '..', '..', '..', 'resources', 'models', 'catalog.json');

describe('resources/models/catalog.json', () => {
  const catalog = loadModelCatalog();
  const byName = new Map(catalog.map((m) => [m.name, m]));

  it('validates against the schema, straight from the file on disk', () => {
    const raw: unknown = JSON.parse(fs.readFileSync(CATALOG_FILE, 'utf8'));
    const r = catalogSchema().safeParse(raw);
    expect(r.success ? [] : r.error.issues).toEqual([]);
  });

  it('holds at least 20 models, including every one the seed’s tiers name', () => {
    expect(catalog.length).toBeGreaterThanOrEqual(20);
    for (const name of [
      'qwen2.5:0.5b',
      'qwen2.5:1.5b',
      'qwen2.5:3b',
      'qwen2.5:7b',
      'qwen2.5:14b',
      'llama3.2:1b',
      'llama3.2:3b',
      'llama3.1:8b',
      'llama3:8b',
      'llama3:70b',
      'mistral:7b',
      'mixtral:8x7b',
      'gemma:2b',
      'gemma2:2b',
      'gemma2:9b',
      'phi3:mini',
      'qwen3:4b',
      'qwen3:8b',
    ]) {
      expect(byName.has(name), name).toBe(true);
    }
  });

  it('marks tool support as Ollama does: gemma, gemma2, phi3 and llama3 (3.0) have none', () => {
    const tools = (n: string) => byName.get(n)!.capabilities.includes('tools');
    expect(['qwen2.5:3b', 'llama3.1:8b', 'llama3.2:3b', 'mistral:7b', 'qwen3:8b', 'mixtral:8x7b'].every(tools)).toBe(
      true,
    );
    expect(['gemma:2b', 'gemma2:9b', 'phi3:mini', 'llama3:8b', 'llama3:70b'].some(tools)).toBe(false);
  });

  it('carries shapes that agree with the emulator’s /api/show figures and the download sizes Ollama reports', () => {
    expect(byName.get('llama3.1:8b')).toMatchObject({
      blockCount: 32,
      embeddingLength: 4096,
      headCount: 32,
      headCountKv: 8,
      sizeBytes: 4_920_753_328,
    });
    expect(byName.get('qwen2.5:3b')).toMatchObject({
      blockCount: 36,
      embeddingLength: 2048,
      headCount: 16,
      headCountKv: 2,
      sizeBytes: 1_929_912_432,
    });
    expect(byName.get('gemma:2b')).toMatchObject({ blockCount: 18, headCountKv: 1, sizeBytes: 1_678_456_656 });
    // Bits per parameter stay in a plausible band for the stated quantization (small models keep their
    // embeddings at higher precision, hence up to ~6.5 for a 0.5B at Q4).
    for (const m of catalog) {
      const bitsPerParam = (m.sizeBytes * 8) / m.parameterCount;
      const [lo, hi] = m.quantization === 'Q8_0' ? [7.5, 9.5] : m.quantization === 'F16' ? [15.8, 16.6] : [4.3, 6.6];
      expect(bitsPerParam, `${m.name} ${bitsPerParam.toFixed(2)} bits/param`).toBeGreaterThan(lo);
      expect(bitsPerParam, m.name).toBeLessThan(hi);
    }
  });

  it('lists the embedding models document search uses, with the sizes Ollama downloads', () => {
    const embedders = catalog.filter((m) => m.capabilities.includes('embedding'));
    expect(embedders.map((m) => [m.name, m.sizeBytes, m.embeddingLength, m.contextLength])).toEqual([
      ['nomic-embed-text:latest', 274_302_450, 768, 2048],
      ['all-minilm:latest', 45_960_996, 384, 512],
      ['mxbai-embed-large:latest', 669_615_493, 1024, 512],
    ]);
    // Embedding only: never offered as a chat model.
    expect(embedders.every((m) => !m.capabilities.includes('completion') && !m.capabilities.includes('tools'))).toBe(
      true,
    );
    // BERT models have no output layer: Ollama's estimator counts the token embedding in its place.
    for (const m of embedders) expect(m.outputBytes).toBe(m.vocabSize * m.embeddingLength * 2);
  });

  it('head dims default to embedding/heads, or take the GGUF key_length (gemma2, qwen3)', () => {
    expect(specFromCatalog(byName.get('llama3.1:8b')!).shape).toMatchObject({ keyLength: 128, valueLength: 128 });
    expect(specFromCatalog(byName.get('gemma2:9b')!).shape).toMatchObject({ keyLength: 256, valueLength: 256 });
    expect(specFromCatalog(byName.get('qwen3:4b')!).shape).toMatchObject({ keyLength: 128 });
  });

  it('rejects a broken catalog with every problem named', () => {
    const bad = {
      version: 1,
      models: [
        { ...catalog[0], headCountKv: 3 },
        { ...catalog[0], sizeBytes: -1 },
      ],
    };
    expect(() => parseCatalog(bad)).toThrow(/sizeBytes.*|head_count not a multiple/);
    expect(() => parseCatalog({ version: 1, models: [catalog[0], catalog[0]] })).toThrow(/duplicate/);
  });
});
