import { engineMessage } from '../../preload/shared/engine-messages';
import { AppError, errorMessage } from '../core/errors';

/**
 * Turns what the `ollama` client throws into an error a field officer can act on.
 * ResponseError carries the server's own text and status; network failures carry a `cause` code.
 */
export function explainOllamaError(err: unknown, ctx: { host: string; model?: string }): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: string; status_code?: number; error?: string; cause?: { code?: string } };
  const text = e?.error ?? errorMessage(err);
  const status = e?.status_code;
  const causeCode = e?.cause?.code;
  if (
    causeCode === 'ECONNREFUSED' ||
    causeCode === 'ECONNRESET' ||
    causeCode === 'ENOTFOUND' ||
    causeCode === 'EHOSTUNREACH' ||
    causeCode === 'UND_ERR_SOCKET' ||
    /fetch failed|ECONNREFUSED|socket hang up|other side closed/i.test(text)
  ) {
    return new AppError(
      'ollama_unavailable',
      `Ollama is not answering at ${ctx.host}. Start Ollama (or check the host in Settings) and try again.`,
      { host: ctx.host, cause: causeCode ?? text },
      engineMessage('error.ollamaUnavailable', { host: ctx.host }),
    );
  }
  if (/does not support tools/.test(text)) {
    return new AppError(
      'model_no_tools',
      `The model ${ctx.model ?? ''} cannot call tools. Pick a model with tool support (for example qwen2.5:3b) for live data.`,
      { model: ctx.model, server: text },
      engineMessage('error.modelNoTools', { model: ctx.model ?? '' }),
    );
  }
  if (status === 404 || /not found/.test(text)) {
    const model = ctx.model ?? '';
    return new AppError(
      'model_not_found',
      `The model "${model}" is not installed in Ollama. Pull it from the Models page or run \`ollama pull ${model}\`.`,
      { model, server: text },
      engineMessage('error.modelNotInstalled', { model }),
    );
  }
  return new AppError(
    'ollama_error',
    `Ollama reported an error: ${text}`,
    { status, server: text },
    engineMessage('error.ollamaError', { error: text }),
  );
}
