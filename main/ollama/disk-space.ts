import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Bytes free for this user on the volume holding `dir` (or its nearest existing parent). */
export async function freeBytes(dir: string): Promise<number> {
  let p = path.resolve(dir);
  while (!fs.existsSync(p)) {
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  const s = await fs.promises.statfs(p);
  return Number(s.bavail) * Number(s.bsize);
}

/** Where Ollama keeps its blobs: OLLAMA_MODELS, else `~/.ollama/models` (the same on Linux, macOS and Windows). */
export function ollamaModelsDir(env: NodeJS.ProcessEnv, homedir: string): string {
  const fromEnv = env.OLLAMA_MODELS?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(homedir, '.ollama', 'models');
}

/** The same, for this user. */
export function defaultModelsDir(env: NodeJS.ProcessEnv = process.env): string {
  return ollamaModelsDir(env, os.homedir());
}

/** "1.9 GB": decimal units, as Ollama and file managers show sizes. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}
