import type { EngineText } from '../../preload/shared/engine-messages';

/**
 * Errors the engine raises on purpose. `code` is stable (shells map it to HTTP statuses and exit codes);
 * `message` is written for the person reading it, in English (the CLI, the logs, the original server's API);
 * `text`, when given, is the same sentence as a catalog id with parameters, which the UI words in its
 * language (preload/shared/engine-messages.ts).
 */
export type AppErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'payload_too_large'
  | 'session_limit'
  | 'conflict'
  | 'ollama_unavailable'
  | 'model_not_found'
  | 'model_no_tools'
  | 'ollama_error'
  | 'unauthorized'
  | 'forbidden'
  | 'store_damaged'
  | 'disk_full'
  | 'rate_limited'
  | 'busy'
  | 'internal';

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly text?: EngineText,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  session_limit: 429,
  model_not_found: 404,
  model_no_tools: 400,
  ollama_unavailable: 503,
  ollama_error: 502,
  store_damaged: 503,
  rate_limited: 429,
  busy: 503,
  // 507 Insufficient Storage: the request was fine, the disk had no room to save it.
  disk_full: 507,
  internal: 500,
};

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
