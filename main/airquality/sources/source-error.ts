import type { SourceId } from './source-types';

type SourceErrorKind =
  | 'network'
  | 'timeout'
  | 'http'
  | 'auth'
  | 'rate_limited'
  | 'not_found'
  | 'bad_request'
  | 'bad_response'
  | 'circuit_open'
  | 'not_configured';

/** Kinds that say the service itself is unwell (they count towards the circuit breaker and are retried). */
const TRANSIENT: ReadonlySet<SourceErrorKind> = new Set(['network', 'timeout', 'http', 'rate_limited']);
/** Kinds where the service answered sensibly: not a failure of the source. */
const HEALTHY_ANSWER: ReadonlySet<SourceErrorKind> = new Set([
  'not_found',
  'bad_request',
  'not_configured',
  'circuit_open',
]);

/** A data-source failure with a message that is safe to show and log (keys already redacted). */
export class SourceError extends Error {
  constructor(
    readonly source: SourceId,
    readonly kind: SourceErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SourceError';
  }
  get retryable(): boolean {
    return TRANSIENT.has(this.kind);
  }
  /** Whether this outcome counts as a failure for the source's circuit breaker. */
  get countsAsFailure(): boolean {
    return !HEALTHY_ANSWER.has(this.kind);
  }
}

/** Removes secrets from text: the given key values wherever they appear, and token/key query parameters. */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('[redacted]');
  return out.replace(/([?&](?:token|key|api_key|apikey)=)[^&\s"']+/gi, '$1[redacted]');
}
