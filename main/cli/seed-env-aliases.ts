/**
 * The original server's configuration names, read as aliases of ours. Our own name wins when both are set;
 * what was taken (or could not be) is reported in one line at start.
 */
const ALIASES: ReadonlyArray<readonly [seed: string, ours: string]> = [
  ['OLLAMA_BASE_URL', 'OLLAMA_HOST'],
  ['AI_MODEL', 'AERIS_DEFAULT_MODEL'],
  ['WAQI_API_KEY', 'AERIS_WAQI_TOKEN'],
  ['AIRQO_API_TOKEN', 'AERIS_AIRQO_TOKEN'],
  ['OPENAQ_API_KEY', 'AERIS_OPENAQ_KEY'],
  ['CACHE_TTL_SECONDS', 'AERIS_CACHE_TTL_SECONDS'],
];

/** Seed names this app reads under the same name. */
const SAME_NAME = ['MAX_MESSAGES_PER_SESSION', 'DISABLE_SESSION_LIMIT'];

/** Seed names with no meaning here (the model is always the local Ollama). */
const NOT_APPLIED = ['AI_API_KEY', 'OPENAI_BASE_URL', 'ENABLED_DATA_SOURCES'];

interface AliasResult {
  env: NodeJS.ProcessEnv;
  used: string[];
  ignored: string[];
}

export function applySeedEnvAliases(env: NodeJS.ProcessEnv): AliasResult {
  const out: NodeJS.ProcessEnv = { ...env };
  const used: string[] = [];
  const ignored: string[] = [];
  const provider = env.AI_PROVIDER?.trim().toLowerCase();
  for (const [seed, ours] of ALIASES) {
    const value = env[seed];
    if (value === undefined || value === '') continue;
    // OLLAMA_BASE_URL only means the model server when the seed was set up for Ollama.
    if (seed === 'OLLAMA_BASE_URL' && provider && provider !== 'ollama') {
      ignored.push(`${seed} (AI_PROVIDER=${provider})`);
      continue;
    }
    if (out[ours] !== undefined && out[ours] !== '') {
      ignored.push(`${seed} (${ours} is set)`);
      continue;
    }
    out[ours] = value;
    used.push(`${seed}→${ours}`);
  }
  for (const name of SAME_NAME) if (env[name]) used.push(name);
  if (provider && provider !== 'ollama') ignored.push(`AI_PROVIDER=${provider} (only the local Ollama is used)`);
  for (const name of NOT_APPLIED) if (env[name]) ignored.push(name);
  return { env: out, used, ignored };
}

/** The line printed at start, or null when no seed name was set. */
export function aliasNote(r: AliasResult): string | null {
  if (!r.used.length && !r.ignored.length) return null;
  const parts = [];
  if (r.used.length) parts.push(`used ${r.used.join(', ')}`);
  if (r.ignored.length) parts.push(`not applied: ${r.ignored.join(', ')}`);
  return `seed configuration names: ${parts.join('; ')}`;
}
