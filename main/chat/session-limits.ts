import { AppError } from '../core/errors';

/** The seed's limits: 100 messages (user + assistant) per session, a warning from 90. */
export const MAX_MESSAGES_PER_SESSION = 100;
export const SESSION_LIMIT_WARNING_THRESHOLD = 90;

export interface SessionLimitPolicy {
  disabled: boolean;
}

export function sessionLimitFromEnv(env: NodeJS.ProcessEnv): SessionLimitPolicy {
  return { disabled: /^(1|true|yes)$/i.test(env.DISABLE_SESSION_LIMIT ?? '') };
}

/** A new exchange adds two messages; refuse it when the session is already full. */
export function assertWithinLimit(policy: SessionLimitPolicy, messageCount: number): void {
  if (policy.disabled) return;
  if (messageCount >= MAX_MESSAGES_PER_SESSION) {
    throw new AppError(
      'session_limit',
      `This conversation has reached ${MAX_MESSAGES_PER_SESSION} messages. Start a new session to keep answers focused.`,
      { action_required: 'start_new_session', message_count: messageCount, limit: MAX_MESSAGES_PER_SESSION },
    );
  }
}

export function limitWarning(policy: SessionLimitPolicy, messageCount: number): string | null {
  if (policy.disabled || messageCount < SESSION_LIMIT_WARNING_THRESHOLD) return null;
  const left = Math.max(0, MAX_MESSAGES_PER_SESSION - messageCount);
  return `This session has ${messageCount} of ${MAX_MESSAGES_PER_SESSION} messages (${left} left). Consider starting a new session.`;
}
