/**
 * How many bits a quantization keeps per weight ("Q4_K_M" → 4, "F16" → 16), so the Models page can say "4-bit"
 * in words and keep the GGUF name as a tooltip; null for a name it does not know (shown as it is).
 */
export function quantBits(quantization: string): number | null {
  const q = /^I?Q(\d)(?:_|$)/i.exec(quantization);
  if (q) return Number(q[1]);
  if (/^B?F16$/i.test(quantization)) return 16;
  if (/^F32$/i.test(quantization)) return 32;
  return null;
}
