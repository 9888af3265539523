import type { SendInput } from '../../chat/chat-service';
import { parseFields } from './form-validation';
import { seedSchemas } from './seed-schemas';

/** The original's chat form, read into what the chat engine takes. */
export interface SeedChatRequest {
  input: SendInput;
  /** The message exactly as sent (whitespace-only is told apart from missing by the stream route). */
  rawMessage: string;
}

/**
 * Form fields → a chat request, validated with `ChatForm` (a missing or empty `message` is FastAPI's 422).
 * `role` (the original's /chat) and `style` (its /chat/stream) both name the style preset.
 * GPS coordinates travel with the question as the engine's position, as the original hands them to its agent.
 */
export function chatRequestFrom(fields: Record<string, string>): SeedChatRequest {
  const normalised = { ...fields };
  for (const k of ['role', 'style'] as const) {
    if (normalised[k] !== undefined) normalised[k] = normalised[k].trim().toLowerCase();
  }
  delete normalised.file; // a file part with no file name arrives as a text field; it is not the upload
  const form = parseFields(seedSchemas().ChatForm, normalised);
  // The position goes to the engine beside the question (its system prompt and the no-tools lookup), not into the text.
  const located =
    form.latitude !== undefined && form.longitude !== undefined
      ? { latitude: form.latitude, longitude: form.longitude }
      : {};
  const sessionId = form.session_id?.trim() || undefined;
  const style = form.role ?? form.style;
  const model = form.model?.trim() || undefined;
  return {
    rawMessage: form.message,
    input: {
      message: form.message,
      ...located,
      ...(sessionId ? { sessionId } : {}),
      ...(style ? { style } : {}),
      ...(model ? { model } : {}),
    },
  };
}
