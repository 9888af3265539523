import { engineMessage, type EngineText } from '../../preload/shared/engine-messages';
import { AppError } from '../core/errors';

/** The seed's limits: 100 messages (user + assistant) per session, a warning from 90. */
export const MAX_MESSAGES_PER_SESSION = 100;
const SESSION_LIMIT_WARNING_THRESHOLD = 90;

export interface SessionLimitPolicy {
  disabled: boolean;
  /** Messages a session may hold (`MAX_MESSAGES_PER_SESSION`, as the seed names it); 100 when absent. */
  max?: number;
}

export function sessionLimitFromEnv(env: NodeJS.ProcessEnv): SessionLimitPolicy {
  const max = Number(env.MAX_MESSAGES_PER_SESSION);
  return {
    disabled: /^(1|true|yes)$/i.test(env.DISABLE_SESSION_LIMIT ?? ''),
    ...(Number.isInteger(max) && max >= 2 ? { max } : {}),
  };
}

const maxOf = (policy: SessionLimitPolicy): number => policy.max ?? MAX_MESSAGES_PER_SESSION;

/** A new exchange adds two messages; refuse it when the session is already full. */
export function assertWithinLimit(policy: SessionLimitPolicy, messageCount: number): void {
  if (policy.disabled) return;
  const max = maxOf(policy);
  if (messageCount >= max) {
    throw new AppError(
      'session_limit',
      `This conversation has reached ${max} messages. Start a new session to keep answers focused.`,
      { action_required: 'start_new_session', message_count: messageCount, limit: max },
      engineMessage('error.sessionLimit', { count: max }),
    );
  }
}

export function limitWarning(policy: SessionLimitPolicy, messageCount: number): string | null {
  const near = nearLimit(policy, messageCount);
  return near
    ? `This session has ${near.count} of ${near.max} messages (${near.left} left). Consider starting a new session.`
    : null;
}

/** The same warning as a message id, for the UI to word in its language. */
export function limitWarningText(policy: SessionLimitPolicy, messageCount: number): EngineText | null {
  const near = nearLimit(policy, messageCount);
  return near ? engineMessage('warning.sessionNearLimit', near) : null;
}

function nearLimit(policy: SessionLimitPolicy, count: number): { count: number; max: number; left: number } | null {
  const max = maxOf(policy);
  // The seed warns from 90 of 100: the same share of a configured limit.
  const threshold = Math.floor((max * SESSION_LIMIT_WARNING_THRESHOLD) / MAX_MESSAGES_PER_SESSION);
  if (policy.disabled || count < threshold) return null;
  return { count, max, left: Math.max(0, max - count) };
}
