import { describe, expect, it } from 'vitest';
import { quantBits } from './quant-bits';

describe('quantBits', () => {
  it('reads the bits of the GGUF names Ollama reports', () => {
    expect(quantBits('Q4_K_M')).toBe(4);
    expect(quantBits('Q4_0')).toBe(4);
    expect(quantBits('Q5_K_S')).toBe(5);
    expect(quantBits('Q8_0')).toBe(8);
    expect(quantBits('IQ3_XXS')).toBe(3);
    expect(quantBits('F16')).toBe(16);
    expect(quantBits('BF16')).toBe(16);
    expect(quantBits('F32')).toBe(32);
  });

  it('leaves a name it does not know to be shown as it is', () => {
    expect(quantBits('')).toBeNull();
    expect(quantBits('MXFP4')).toBeNull();
    expect(quantBits('Q10')).toBeNull();
  });
});
