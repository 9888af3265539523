import type { InstalledModel } from '../ollama/ollama-gateway';

interface NewChatModelInput {
  installed: ReadonlyArray<Pick<InstalledModel, 'name' | 'sizeBytes'>>;
  /** The person's choice (Settings, the wizard, AERIS_DEFAULT_MODEL); used only while it is installed. */
  preferred: string | null;
  supportsTools: (model: string) => Promise<boolean>;
  /** Bytes a model may weigh and still run well here; null when unknown. */
  budgetBytes: number | null;
  /**
   * Installed models as the hardware advisor ranks them for this machine, best first (GPU fit, then on the CPU
   * alone a ~3B model before a bigger one that would crawl); null when the advisor could not say.
   */
  advisorOrder?: readonly string[] | null;
}

/**
 * The model a chat without one uses: the chosen default while installed; else the advisor's best tool-capable
 * installed model (tools bring live readings); without the advisor, the largest tool-capable model that fits
 * the memory budget; else the smallest tool-capable one; else the smallest installed model. Never "first by
 * name": a no-tools model cannot look up the air.
 */
export async function pickNewChatModel(input: NewChatModelInput): Promise<string | null> {
  const { installed, preferred, budgetBytes } = input;
  if (preferred && installed.some((m) => m.name === preferred)) return preferred;
  const names = new Set(installed.map((m) => m.name));
  for (const name of input.advisorOrder ?? []) {
    if (names.has(name) && (await input.supportsTools(name))) return name;
  }
  const bySizeDesc = [...installed].sort((a, b) => b.sizeBytes - a.sizeBytes || a.name.localeCompare(b.name));
  const tools: typeof bySizeDesc = [];
  for (const m of bySizeDesc) if (await input.supportsTools(m.name)) tools.push(m);
  const fitting = budgetBytes === null ? tools : tools.filter((m) => m.sizeBytes <= budgetBytes);
  return fitting[0]?.name ?? tools.at(-1)?.name ?? bySizeDesc.at(-1)?.name ?? null;
}
