import { HTTP_STATUS, isAppError } from '../../core/errors';
import type { MetricsRecorder } from './metrics-service';

/**
 * Calls the dashboard itself polls while it is open; counting them would make the request rate and
 * latency describe the dashboard instead of the work.
 */
const UNCOUNTED_CALLS = new Set(['logs.tail', 'metrics.summary']);

/** A failure the server should answer for (5xx); refusals of bad input are the caller's, not an error rate. */
function isServerError(err: unknown): boolean {
  return !isAppError(err) || HTTP_STATUS[err.code] >= 500;
}

/** Wraps every contract handler so each call is timed and counted, whichever shell made it. */
export function instrumentHandlers<H extends Record<string, (input: never) => unknown>>(
  recorder: MetricsRecorder,
  handlers: H,
): H {
  const out: Record<string, (input: never) => unknown> = {};
  for (const [name, fn] of Object.entries(handlers)) {
    if (UNCOUNTED_CALLS.has(name)) {
      out[name] = fn;
      continue;
    }
    out[name] = (input: never) => {
      const t0 = performance.now();
      const done = (ok: boolean) => recorder.recordRequest('call', performance.now() - t0, ok);
      try {
        const result = fn(input);
        if (result instanceof Promise) {
          return result.then(
            (v: unknown) => (done(true), v),
            (err: unknown) => {
              done(!isServerError(err));
              throw err;
            },
          );
        }
        done(true);
        return result;
      } catch (err) {
        done(!isServerError(err));
        throw err;
      }
    };
  }
  return out as H;
}
