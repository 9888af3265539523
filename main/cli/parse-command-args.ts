import { parseArgs, type ParseArgsConfig } from 'node:util';
import { errorMessage } from '../core/errors';
import { UsageError } from './cli-types';

/** node:util parseArgs, with its errors turned into usage errors (exit 2 with the command's usage). */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T) {
  try {
    return parseArgs<T>(config);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
}
