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

/** Seed names with no meaning here. */
const NOT_APPLIED = ['ENABLED_DATA_SOURCES'];

/** The original's AI_PROVIDER values, as our provider ids. */
const SEED_PROVIDERS: Record<string, string> = {
  ollama: 'ollama',
  openai: 'openai-compatible',
  'openai-compatible': 'openai-compatible',
  openrouter: 'openai-compatible',
  deepseek: 'openai-compatible',
  kimi: 'openai-compatible',
  gemini: 'gemini',
  google: 'gemini',
};

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
  // The provider and its settings: AI_PROVIDER, AI_MODEL (for a provider other than Ollama), AI_API_KEY (for
  // whichever provider AI_PROVIDER names; it goes with that provider's URL only), OPENAI_BASE_URL.
  const take = (seed: string, ours: string, value: string | undefined): void => {
    if (value === undefined || value === '') return;
    if (out[ours] !== undefined && out[ours] !== '') {
      ignored.push(`${seed} (${ours} is set)`);
      return;
    }
    out[ours] = value;
    used.push(`${seed}→${ours}`);
  };
  const ours = provider ? SEED_PROVIDERS[provider] : undefined;
  if (provider && !ours) ignored.push(`AI_PROVIDER=${provider} (unknown provider)`);
  take('AI_PROVIDER', 'AERIS_PROVIDER', ours);
  take('AI_MODEL', 'AERIS_MODEL', env.AI_MODEL);
  take('OPENAI_BASE_URL', 'AERIS_OPENAI_BASE_URL', env.OPENAI_BASE_URL);
  if (env.AI_API_KEY) {
    if (ours === 'gemini') take('AI_API_KEY', 'AERIS_GEMINI_API_KEY', env.AI_API_KEY);
    else if (ours === 'openai-compatible') take('AI_API_KEY', 'AERIS_OPENAI_API_KEY', env.AI_API_KEY);
    else ignored.push('AI_API_KEY (AI_PROVIDER names no provider that takes a key)');
  }
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

/**
 * The environment every shell hands the engine (`aeris` and serve, the desktop app): the process's own, with
 * the original server's names applied, and the line to print or log saying which were (null when none was set).
 */
export function shellEnvironment(raw: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; note: string | null } {
  const aliases = applySeedEnvAliases(raw);
  return { env: aliases.env, note: aliasNote(aliases) };
}
