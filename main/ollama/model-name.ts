import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError } from '../core/errors';
import { displayModelName, parseModelName, type ModelName } from '../../preload/shared/model-name';

// The grammar is shared with the UI (preload/shared/model-name.ts); the engine adds its error and paths.
/** Validates before any request; returns the canonical name (tag filled in). */
export function requireModelName(raw: unknown): string {
  const parsed = typeof raw === 'string' ? parseModelName(raw) : null;
  if (!parsed) {
    throw new AppError(
      'bad_request',
      `"${typeof raw === 'string' ? raw : JSON.stringify(raw ?? '')}" is not a valid model name. Use a name like qwen2.5:3b or namespace/model:tag.`,
      { name: raw },
      engineMessage('error.badModelName', { name: typeof raw === 'string' ? raw : JSON.stringify(raw ?? '') }),
    );
  }
  return displayModelName(parsed);
}

/** `manifests/<host>/<namespace>/<model>/<tag>` under a models directory, as path segments. */
export function manifestSegments(n: ModelName): string[] {
  return ['manifests', n.host, n.namespace, n.model, n.tag];
}
