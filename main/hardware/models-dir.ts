import path from 'node:path';

/** Where Ollama keeps its blobs: OLLAMA_MODELS, else `~/.ollama/models` (the same on Linux, macOS and Windows). */
export function ollamaModelsDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const fromEnv = env.OLLAMA_MODELS?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(homedir, '.ollama', 'models');
}
