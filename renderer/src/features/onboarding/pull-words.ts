import { t } from '../../i18n';

/**
 * A failed download, said for a person on a field laptop: what most likely happened, never a dead end
 * (the step always offers a USB drive, a network Ollama, or finishing without a model).
 */
export function pullFailureInWords(error: string | null, name: string): string {
  const e = error ?? '';
  if (
    /no such host|dial tcp|lookup |i\/o timeout|network is unreachable|connection refused|tls|x509|proxy|certificate/i.test(
      e,
    )
  )
    return t('wizard.pullFailure.offline');
  if (/file does not exist|manifest unknown|not found/i.test(e)) return t('wizard.pullFailure.notOffered', { name });
  if (/space|disk|no room/i.test(e)) return t('wizard.pullFailure.disk', { name });
  if (/cannot reach ollama|ollama.*(not|unavailable|unreachable)|lost the connection to ollama/i.test(e))
    return t('wizard.pullFailure.ollama');
  if (/unexpected eof|max retries|connection reset|ended before/i.test(e)) return t('wizard.pullFailure.dropped');
  return t('wizard.pullFailure.unfinished');
}
