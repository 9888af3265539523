import { engineMessage } from '../../preload/shared/engine-messages';
import { CALLS, type CallErrorDto, type CallName } from '../../preload/contract';
import { explainDiskFull } from '../core/disk-full';
import { AppError, errorMessage, isAppError } from '../core/errors';
import type { Handlers } from './handlers';

function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(CALLS, name);
}

/**
 * The single entry for a contract call from any shell: unknown names and inputs that fail their schema
 * are refused before any handler runs.
 */
export async function dispatch(handlers: Handlers, name: string, rawInput: unknown): Promise<unknown> {
  if (!isCallName(name)) {
    throw new AppError('not_found', `Unknown call "${name}".`, {}, engineMessage('error.unknownCall', { name }));
  }
  const parsed = CALLS[name].input.safeParse(rawInput ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
    throw new AppError(
      'bad_request',
      `Invalid input for ${name}: ${issues}`,
      {},
      engineMessage('error.invalidInput', { call: name, issues }),
    );
  }
  const handler = handlers[name] as (input: unknown) => unknown;
  return await handler(parsed.data);
}

export function toCallError(raw: unknown): CallErrorDto {
  const err = explainDiskFull(raw);
  if (isAppError(err)) {
    return { code: err.code, message: err.message, details: err.details, ...(err.text ? { text: err.text } : {}) };
  }
  return { code: 'internal', message: errorMessage(err) };
}
