import type { SourceHttp } from './source-http';
import { joinUrl } from './source-http';
import { SourceError } from './source-error';

export interface WebSearchHit {
  title: string;
  url: string;
  snippet: string;
}

/** One entry of DuckDuckGo's `Results`/`RelatedTopics` (a topic group has `Name` and `Topics` instead). */
interface DdgTopic {
  FirstURL?: string;
  Text?: string;
  Name?: string;
  Topics?: DdgTopic[];
}

interface DdgReply {
  Heading?: string;
  AbstractText?: string;
  AbstractURL?: string;
  AbstractSource?: string;
  Answer?: string;
  Definition?: string;
  DefinitionURL?: string;
  Results?: DdgTopic[];
  RelatedTopics?: DdgTopic[];
}

/**
 * Web search through DuckDuckGo's keyless Instant Answer API (`GET /?q=…&format=json`), the service the
 * original's `search_web` used (DuckDuckGo, no key). Its answer is an abstract plus `Results` and
 * `RelatedTopics` (topics may be grouped under `Name`/`Topics`); these become title/url/snippet hits.
 * `AERIS_SEARCH_URL` points it elsewhere (an emulator, or a proxy that answers in the same shape).
 */
export class WebSearchClient {
  readonly configured = true;
  constructor(private readonly opts: { http: SourceHttp; baseUrl: () => string }) {}

  async search(query: string, maxResults: number, signal?: AbortSignal): Promise<WebSearchHit[]> {
    const url = joinUrl(this.opts.baseUrl(), '/', {
      q: query,
      format: 'json',
      no_html: 1,
      skip_disambig: 1,
      t: 'aeris-aq',
    });
    return this.opts.http.get(
      url,
      (reply) => {
        if (reply.status >= 400)
          throw new SourceError(
            'websearch',
            'bad_request',
            `The search service refused the query (HTTP ${reply.status})`,
            reply.status,
          );
        const body = reply.body as DdgReply | undefined;
        if (!body || typeof body !== 'object' || Array.isArray(body))
          throw new SourceError('websearch', 'bad_response', 'The search service did not answer in JSON');
        return flatten(body).slice(0, maxResults);
      },
      { signal },
    );
  }
}

function flatten(body: DdgReply): WebSearchHit[] {
  const hits: WebSearchHit[] = [];
  const seen = new Set<string>();
  const add = (title: string, url: string | undefined, snippet: string) => {
    if (!url || seen.has(url)) return;
    seen.add(url);
    hits.push({ title: title.trim() || url, url, snippet: snippet.trim() });
  };
  if (body.AbstractText && body.AbstractURL)
    add(
      `${body.Heading ?? ''}${body.AbstractSource ? ` (${body.AbstractSource})` : ''}`,
      body.AbstractURL,
      body.AbstractText,
    );
  if (body.Definition && body.DefinitionURL) add(body.Heading ?? '', body.DefinitionURL, body.Definition);
  const topic = (t: DdgTopic) => {
    if (Array.isArray(t.Topics)) for (const sub of t.Topics) topic(sub);
    else if (t.FirstURL && t.Text) add(t.Text.split(' - ')[0] ?? t.Text, t.FirstURL, t.Text);
  };
  for (const t of body.Results ?? []) topic(t);
  for (const t of body.RelatedTopics ?? []) topic(t);
  return hits;
}
