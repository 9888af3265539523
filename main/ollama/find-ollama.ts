import fs from 'node:fs';
import path from 'node:path';

export interface OllamaBinary {
  path: string;
  source: 'env' | 'bundled' | 'path';
}

interface FindOllamaOptions {
  env: NodeJS.ProcessEnv;
  /** Electron's `process.resourcesPath`; null outside the packaged app. */
  resourcesPath?: string | null;
  platform?: NodeJS.Platform;
}

function isExecutable(file: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (platform !== 'win32') fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * `AERIS_OLLAMA_BIN`, then the copy bundled in the app's resources, then `PATH` — the order the official
 * app uses, so a bundled engine wins over whatever else is installed. `problem` explains a bad override.
 */
export function findOllamaBinary(opts: FindOllamaOptions): { binary: OllamaBinary | null; problem: string | null } {
  const platform = opts.platform ?? process.platform;
  const exe = platform === 'win32' ? 'ollama.exe' : 'ollama';
  let problem: string | null = null;
  const override = opts.env.AERIS_OLLAMA_BIN?.trim();
  if (override) {
    if (isExecutable(override, platform)) return { binary: { path: path.resolve(override), source: 'env' }, problem };
    problem = `AERIS_OLLAMA_BIN points to ${override}, which is not an executable file.`;
  }
  if (opts.resourcesPath) {
    const bundled = path.join(opts.resourcesPath, 'ollama', exe);
    if (isExecutable(bundled, platform)) return { binary: { path: bundled, source: 'bundled' }, problem };
  }
  const pathVar = opts.env.PATH ?? opts.env.Path ?? '';
  for (const dir of pathVar.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (isExecutable(candidate, platform)) return { binary: { path: candidate, source: 'path' }, problem };
  }
  return { binary: null, problem };
}
