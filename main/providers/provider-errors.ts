import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError, isAppError } from '../core/errors';
import type { ProviderId } from './provider-types';

const NAMES: Record<ProviderId, string> = {
  ollama: 'Ollama',
  'openai-compatible': 'the OpenAI-compatible server',
  gemini: 'Gemini',
};

interface ProviderErrorContext {
  provider: ProviderId;
  baseUrl: string;
  model?: string;
}

/** The HTTP status and the server's own message, from an SDK error (openai's APIError, genai's ApiError). */
function statusAndMessage(err: unknown): { status: number | null; message: string } {
  const e = err as { status?: unknown; status_code?: unknown; error?: unknown; message?: unknown } | null;
  // openai and genai say `status`; ollama-js says `status_code`, with the server's text in `error`.
  const status = typeof e?.status === 'number' ? e.status : typeof e?.status_code === 'number' ? e.status_code : null;
  const body = e?.error as { message?: unknown } | string | undefined;
  let message =
    typeof body === 'string'
      ? body
      : typeof body?.message === 'string'
        ? body.message
        : typeof e?.message === 'string'
          ? e.message
          : '';
  // genai puts the whole JSON body in the message: keep only the server's words.
  const json = /\{[\s\S]*\}/.exec(message);
  if (json) {
    try {
      const parsed = JSON.parse(json[0]) as { error?: { message?: unknown } };
      if (typeof parsed.error?.message === 'string') message = parsed.error.message;
    } catch {
      // Not JSON after all: the message stays as it came.
    }
  }
  return { status, message: message || String(err) };
}

/** The server said the model cannot take `tools` (vLLM without tool parsing, llama.cpp without --jinja…). */
function toolsRefused(message: string): boolean {
  return /tool(s|_choice)?\b.*(not supported|unsupported|enable-auto-tool-choice|--jinja)|does not support tools/i.test(
    message,
  );
}

/**
 * A provider's failure in words, with a stable code: unreachable (`ollama_unavailable`, the one that may fall
 * back), a model it does not have, a key refused, a rate limit, or the server's own error.
 */
export function explainProviderError(err: unknown, ctx: ProviderErrorContext): AppError {
  if (isAppError(err)) return err;
  const who = `${NAMES[ctx.provider]} at ${ctx.baseUrl}`;
  const { status, message } = statusAndMessage(err);
  const details = { provider: ctx.provider, ...(ctx.model ? { model: ctx.model } : {}), ...(status ? { status } : {}) };
  if (status === null) {
    return new AppError(
      'ollama_unavailable',
      `Could not reach ${who}: ${message}`,
      details,
      engineMessage('error.providerUnreachable', { provider: ctx.provider, url: ctx.baseUrl, error: message }),
    );
  }
  if (status === 401 || status === 403) {
    return new AppError(
      'ollama_error',
      `${who} refused the API key (HTTP ${status}): ${message}. Check the key in Settings → Model provider.`,
      details,
      engineMessage('error.providerKeyRefused', { provider: ctx.provider, url: ctx.baseUrl, status, error: message }),
    );
  }
  if (status === 404) {
    return new AppError(
      'model_not_found',
      `${who} has no model "${ctx.model ?? ''}" (HTTP 404): ${message}. Choose one of its models in Settings.`,
      details,
      engineMessage('error.providerNoModel', {
        provider: ctx.provider,
        url: ctx.baseUrl,
        model: ctx.model ?? '',
        error: message,
      }),
    );
  }
  if (status === 429) {
    return new AppError(
      'ollama_error',
      `${who} is rate limiting requests (HTTP 429): ${message}. Try again shortly.`,
      details,
      engineMessage('error.providerRateLimited', { provider: ctx.provider, url: ctx.baseUrl, error: message }),
    );
  }
  if (status === 400 && toolsRefused(message)) {
    // The agent loop reads "does not support tools" to switch to the proactive path.
    return new AppError(
      'model_no_tools',
      `The model does not support tools here (${who}): ${message}`,
      details,
      engineMessage('error.providerNoTools', { provider: ctx.provider, url: ctx.baseUrl, error: message }),
    );
  }
  if (status >= 500) {
    return new AppError(
      'ollama_unavailable',
      `${who} failed (HTTP ${status}): ${message}`,
      details,
      engineMessage('error.providerFailed', { provider: ctx.provider, url: ctx.baseUrl, status, error: message }),
    );
  }
  return new AppError(
    'ollama_error',
    `${who} answered HTTP ${status}: ${message}`,
    details,
    engineMessage('error.providerFailed', { provider: ctx.provider, url: ctx.baseUrl, status, error: message }),
  );
}
