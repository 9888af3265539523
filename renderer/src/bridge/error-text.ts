import { engineErrorText } from '../i18n/engine-text';

/** The words of a failure, for a notice or an error line: in the UI's language where the engine sent a message id, its English words otherwise. */
export function errorText(err: unknown): string {
  return engineErrorText(err);
}
