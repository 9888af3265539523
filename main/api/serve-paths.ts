import { engineMessage } from '../../preload/shared/engine-messages';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../core/errors';
import type { Engine } from '../engine';

export type Shell = 'electron' | 'serve';

/** Which folders a call may name a path in: backups/ only, the export folder only, or either. */
export type PathScope = 'backups' | 'exports' | 'backups-or-exports';

/** The export folder set in Settings, or `<data dir>/exports`. */
function exportFolder(engine: Pick<Engine, 'settings' | 'paths'>): string {
  return engine.settings.get().exportFolder ?? path.join(engine.paths.root, 'exports');
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** `p` with symlinks resolved as far as the path exists (the rest cannot be a link yet). */
function realish(p: string): string | null {
  let existing = p;
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    const up = path.dirname(existing);
    if (up === existing) return null;
    rest.unshift(path.basename(existing));
    existing = up;
  }
  try {
    return path.join(fs.realpathSync(existing), ...rest);
  } catch {
    return null;
  }
}

/**
 * The one rule for file paths named over the bridge. The desktop app names any path its owner picked;
 * a browser talking to serve mode may only name files in the data dir's backups folder and the export
 * folder chosen in Settings (a bare file name means one in the first allowed folder). Anything else is
 * refused with the same words whether or not it exists, and symlinks out of those folders are refused too.
 * `what` names the action for the message; `imports.run` uses scope null: no server path at all.
 */
export function confinePath(
  engine: Pick<Engine, 'settings' | 'paths'>,
  shell: Shell,
  raw: string,
  scope: PathScope | null,
  what: string,
): string {
  if (shell === 'electron') return raw;
  if (scope === null) {
    throw new AppError(
      'forbidden',
      `In the browser, ${what}: upload the file (POST /api/v1/imports) instead of naming a path.`,
      {},
      engineMessage('error.browserUploadInstead', {}),
    );
  }
  const backups = engine.paths.backupsDir;
  const exports = exportFolder(engine);
  // The default export folder is ours to create; one chosen in Settings is the owner's to provide.
  if (engine.settings.get().exportFolder === null) fs.mkdirSync(exports, { recursive: true });
  const roots = scope === 'backups' ? [backups] : scope === 'exports' ? [exports] : [backups, exports];
  const where =
    scope === 'backups'
      ? `the backups folder (${backups})`
      : scope === 'exports'
        ? `the export folder set in Settings (${exports})`
        : `the backups folder (${backups}) or the export folder set in Settings (${exports})`;
  const whereText =
    scope === 'backups'
      ? engineMessage('error.browserPathBackups', { dir: backups })
      : scope === 'exports'
        ? engineMessage('error.browserPathExports', { dir: exports })
        : engineMessage('error.browserPathEither', { backups, exports });
  const refuse = () =>
    new AppError('forbidden', `In the browser, ${what} works only with ${where}.`, { allowed: roots }, whereText);
  const t = raw.trim();
  const bare = t !== '' && !t.includes('/') && !t.includes('\\') && t !== '.' && t !== '..';
  const candidate = bare ? path.join(roots[0]!, t) : t;
  if (!path.isAbsolute(candidate)) throw refuse();
  const resolved = path.resolve(candidate);
  // Lexically first: a path outside is refused without touching the disk, so the answer says nothing about it.
  const root = roots.find((r) => inside(path.resolve(r), resolved));
  if (!root) throw refuse();
  const real = realish(resolved);
  const realRoot = realish(path.resolve(root)) ?? path.resolve(root);
  if (real === null || !inside(realRoot, real)) throw refuse();
  return resolved;
}
