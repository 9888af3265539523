import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';

/** Where everything the app keeps lives. Layout follows the seed's runbook (data/, logs/, backups/). */
export interface DataPaths {
  root: string;
  dbFile: string;
  logsDir: string;
  backupsDir: string;
  configFile: string;
  tokenFile: string;
}

/**
 * The OS convention outside Electron (Electron passes its userData in instead):
 * Linux `$XDG_CONFIG_HOME/aeris-aq`, macOS `~/Library/Application Support/aeris-aq`, Windows `%APPDATA%\aeris-aq`.
 */
function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'aeris-aq');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'aeris-aq');
  return path.join(env.XDG_CONFIG_HOME || path.join(home, '.config'), 'aeris-aq');
}

/** `--data-dir` beats `AERIS_DATA_DIR` beats the platform default. */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(flag || env.AERIS_DATA_DIR || defaultDataDir(env));
}

export function dataPaths(root: string): DataPaths {
  return {
    root,
    dbFile: path.join(root, 'data', 'aeris_agent.db'),
    logsDir: path.join(root, 'logs'),
    backupsDir: path.join(root, 'backups'),
    configFile: path.join(root, 'config.json'),
    tokenFile: path.join(root, 'api-token'),
  };
}

export function ensureDataDirs(paths: DataPaths): void {
  for (const dir of [paths.root, path.dirname(paths.dbFile), paths.logsDir, paths.backupsDir]) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}
