/**
 * A loopback stand-in for DuckDuckGo's Instant Answer API (`GET /?q=…&format=json`), in its documented shape:
 * `Heading`, `Abstract`/`AbstractText`/`AbstractSource`/`AbstractURL`, `Answer`, `Definition`, `Type` (A, D, C,
 * N, E or ""), `Results` and `RelatedTopics` (entries `{FirstURL, Icon, Result, Text}`, or groups `{Name,
 * Topics}`). A query it knows nothing about answers 200 with every field empty, as the real API does. Without
 * `format=json` the real service answers an HTML page, so this does too. Faults give real error statuses.
 */
import http from 'node:http';
import { closeServer, listen, sendJson } from './http-util';
import { applyFault, FaultScript } from './source-faults';

interface Topic {
  FirstURL: string;
  Icon: { Height: string; URL: string; Width: string };
  Result: string;
  Text: string;
}

const topic = (url: string, text: string): Topic => ({
  FirstURL: url,
  Icon: { Height: '', URL: '', Width: '' },
  Result: `<a href="${url}">${text.split(' - ')[0]}</a>${text.slice(text.split(' - ')[0]!.length)}`,
  Text: text,
});

const EMPTY = {
  Abstract: '',
  AbstractSource: '',
  AbstractText: '',
  AbstractURL: '',
  Answer: '',
  AnswerType: '',
  Definition: '',
  DefinitionSource: '',
  DefinitionURL: '',
  Entity: '',
  Heading: '',
  Image: '',
  ImageHeight: '',
  ImageIsLogo: '',
  ImageWidth: '',
  Infobox: '',
  Redirect: '',
  RelatedTopics: [] as unknown[],
  Results: [] as unknown[],
  Type: '',
  meta: {},
};

export class WebSearchEmulator {
  url = '';
  readonly faults = new FaultScript();
  readonly requests: Array<{ path: string; query: Record<string, string> }> = [];
  private readonly server = http.createServer((req, res) => void this.handle(req, res));

  async start(): Promise<this> {
    this.url = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    this.requests.push({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
    if (await applyFault(this.faults.take(), res, () => sendJson(res, 500, {}))) return;
    if (url.pathname !== '/') {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body>404</body></html>');
      return;
    }
    const q = (url.searchParams.get('q') ?? '').trim().toLowerCase();
    if (url.searchParams.get('format') !== 'json') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=UTF-8' });
      res.end('<!DOCTYPE html><html><body>DuckDuckGo</body></html>');
      return;
    }
    // The real API answers JSON as application/x-javascript.
    const ct = 'application/x-javascript';
    if (q.includes('air pollution')) {
      return sendJson(
        res,
        200,
        {
          ...EMPTY,
          Heading: 'Air pollution',
          Abstract: 'Air pollution is the presence of substances in the air that are harmful to humans.',
          AbstractText: 'Air pollution is the presence of substances in the air that are harmful to humans.',
          AbstractSource: 'Wikipedia',
          AbstractURL: 'https://en.wikipedia.org/wiki/Air_pollution',
          Type: 'A',
          RelatedTopics: [
            topic(
              'https://duckduckgo.com/Particulates',
              'Particulates - Microscopic particles of solid or liquid matter.',
            ),
            {
              Name: 'Health effects',
              Topics: [topic('https://duckduckgo.com/Smog', 'Smog - A kind of intense air pollution.')],
            },
          ],
        },
        ct,
      );
    }
    return sendJson(res, 200, EMPTY, ct);
  }
}
