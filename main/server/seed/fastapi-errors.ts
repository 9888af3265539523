import type http from 'node:http';
import { HTTP_STATUS, isAppError } from '../../core/errors';
import { sendJson } from '../http-io';

/** One entry of a FastAPI validation error list. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  input?: unknown;
}

/** An error the original's routes answer with their own status and `{"detail": ...}` body. */
export class SeedHttpError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string | ValidationIssue[],
  ) {
    super(typeof detail === 'string' ? detail : detail.map((d) => d.msg).join('; '));
    this.name = 'SeedHttpError';
  }
}

/**
 * Errors in the original's shape: `{"detail": "..."}` (or a list for 422). Our stable `code` and any details
 * (`action_required` for a full session) ride along, as extra keys the original's clients ignore.
 */
export function sendSeedError(res: http.ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof SeedHttpError) {
    sendJson(res, err.status, { detail: err.detail });
    return;
  }
  if (isAppError(err)) {
    sendJson(res, HTTP_STATUS[err.code], { detail: err.message, code: err.code, ...err.details });
    return;
  }
  sendJson(res, 500, { detail: 'Internal error', code: 'internal' });
}
