import type { AirQualityService, Answer } from './air-quality-service';
import { WebPageFetcher } from './sources/web-page-fetcher';
import { WebSearchClient, type WebSearchHit } from './sources/web-search-client';

/** Search answers change slowly and the service is shared: an hour is plenty. */
const SEARCH_TTL_MS = 3_600_000;

/**
 * The optional online tools' sources: web search through the air-quality service's cache, breaker and offline
 * fallback (source `websearch`), and the guarded page reader. Page reads are not cached: a page is read once
 * for one answer, and keeping untrusted page text on disk buys nothing.
 * `AERIS_WEB_ALLOW_LOOPBACK=1` lets the page reader reach loopback (never link-local or LAN addresses): for tests
 * against local servers only, never in use.
 */
export class WebSources {
  readonly search: WebSearchClient;
  readonly pages: WebPageFetcher;

  constructor(
    private readonly service: AirQualityService,
    opts: { env: NodeJS.ProcessEnv; pages?: WebPageFetcher },
  ) {
    this.search = new WebSearchClient({
      http: service.httpFor('websearch'),
      baseUrl: () => service.config().sources.websearch.baseUrl,
    });
    this.pages =
      opts.pages ??
      new WebPageFetcher({
        allowLoopback: opts.env.AERIS_WEB_ALLOW_LOOPBACK === '1',
        timeoutMs: service.config().timeoutMs,
      });
  }

  searchWeb(query: string, maxResults: number, signal?: AbortSignal): Promise<Answer<WebSearchHit[]>> {
    return this.service.cachedCall(
      'search',
      `websearch:${maxResults}:${query.trim().toLowerCase().replace(/\s+/g, ' ')}`,
      SEARCH_TTL_MS,
      'websearch',
      this.search,
      `web search results for "${query}"`,
      async () => {
        const hits = await this.search.search(query, maxResults, signal);
        return hits.length ? hits : null;
      },
    );
  }
}
