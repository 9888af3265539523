import type { InstalledModel } from '../ollama/ollama-gateway';

interface NewChatModelInput {
  installed: ReadonlyArray<Pick<InstalledModel, 'name' | 'sizeBytes'>>;
  /** The person's choice (Settings, the wizard, AERIS_DEFAULT_MODEL); used only while it is installed. */
  preferred: string | null;
  supportsTools: (model: string) => Promise<boolean>;
  /** Bytes a model may weigh and still run well here; null when unknown. */
  budgetBytes: number | null;
}

/**
 * The model a chat without one uses: the chosen default while installed; else the largest tool-capable model
 * that fits the memory budget (tools bring live readings); else the smallest tool-capable one; else the
 * smallest installed model. Never "first by name": a no-tools model cannot look up the air.
 */
export async function pickNewChatModel(input: NewChatModelInput): Promise<string | null> {
  const { installed, preferred, budgetBytes } = input;
  if (preferred && installed.some((m) => m.name === preferred)) return preferred;
  const bySizeDesc = [...installed].sort((a, b) => b.sizeBytes - a.sizeBytes || a.name.localeCompare(b.name));
  const tools: typeof bySizeDesc = [];
  for (const m of bySizeDesc) if (await input.supportsTools(m.name)) tools.push(m);
  const fitting = budgetBytes === null ? tools : tools.filter((m) => m.sizeBytes <= budgetBytes);
  return fitting[0]?.name ?? tools.at(-1)?.name ?? bySizeDesc.at(-1)?.name ?? null;
}
