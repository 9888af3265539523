import { createHash } from 'node:crypto';
import type { EmulatedModel, PullableModel } from '../../../e2e/emulators/ollama-emulator';

/** A model the emulator can "download": `layers` blobs of `layerSize` bytes each. */
export function pullable(name: string, layers = 3, layerSize = 1000): PullableModel {
  const model: EmulatedModel = {
    name,
    family: 'llama',
    parameterSize: '1B',
    quantization: 'Q4_K_M',
    sizeBytes: layers * layerSize,
    capabilities: ['completion'],
  };
  return {
    model,
    layers: Array.from({ length: layers }, (_, i) => ({
      digest: `sha256:${createHash('sha256').update(`${name}/${i}`).digest('hex')}`,
      size: layerSize,
    })),
  };
}
