import type { SendInput } from '../../chat/chat-service';
import { SeedHttpError, missingField, type ValidationIssue } from './fastapi-errors';

/** The original's chat form, read into what the chat engine takes. */
export interface SeedChatRequest {
  input: SendInput;
  /** The message exactly as sent (whitespace-only is told apart from missing by the stream route). */
  rawMessage: string;
}

function coordinate(fields: Record<string, string>, name: string, limit: number): number | null {
  const raw = fields[name];
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isFinite(n)) {
    throw new SeedHttpError(422, [
      {
        loc: ['body', name],
        msg: 'Input should be a valid number, unable to parse string as a number',
        type: 'float_parsing',
        input: raw,
      } satisfies ValidationIssue,
    ]);
  }
  if (Math.abs(n) > limit) {
    throw new SeedHttpError(422, [
      { loc: ['body', name], msg: `Input should be between -${limit} and ${limit}`, type: 'value_error', input: raw },
    ]);
  }
  return n;
}

/**
 * Form fields → a chat request. As FastAPI treats `Form(...)`: a missing or empty `message` is a 422.
 * `role` (the original's /chat) and `style` (its /chat/stream) both name the style preset.
 * GPS coordinates travel with the question, as the original hands them to its agent.
 */
export function chatRequestFrom(fields: Record<string, string>): SeedChatRequest {
  const message = fields.message;
  if (message === undefined || message === '') throw missingField('message', message ?? null);
  const lat = coordinate(fields, 'latitude', 90);
  const lon = coordinate(fields, 'longitude', 180);
  const located = lat !== null && lon !== null ? `\n\n(My location: latitude ${lat}, longitude ${lon}.)` : '';
  const sessionId = fields.session_id?.trim() || undefined;
  const style = (fields.role ?? fields.style)?.trim().toLowerCase() || undefined;
  const model = fields.model?.trim() || undefined;
  return {
    rawMessage: message,
    input: {
      message: message.trim() === '' ? message : message + located,
      ...(sessionId ? { sessionId } : {}),
      ...(style ? { style } : {}),
      ...(model ? { model } : {}),
    },
  };
}
