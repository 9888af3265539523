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
    return 'This computer could not reach the model registry on the internet: there is no connection, or a proxy or firewall is in the way.';
  if (/file does not exist|manifest unknown|not found/i.test(e))
    return `The model registry did not offer ${name}. Without internet the registry cannot be reached at all, so nothing can be downloaded right now.`;
  if (/space|disk|no room/i.test(e)) return `There is not enough free disk space for ${name}.`;
  if (/cannot reach ollama|ollama.*(not|unavailable|unreachable)|lost the connection to ollama/i.test(e))
    return 'Ollama is not answering, so it cannot download anything. The Ollama step says what to do.';
  if (/unexpected eof|max retries|connection reset|ended before/i.test(e))
    return 'The connection dropped during the download. Downloading again continues where it stopped.';
  return 'The download did not finish.';
}
