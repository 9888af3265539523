/**
 * A tiny page server for the page reader's tests: named pages (HTML or any body and type), redirects, a page
 * larger than any cap, and one that never ends its body. Loopback only, so tests run the reader with
 * `AERIS_WEB_ALLOW_LOOPBACK=1`.
 */
import http from 'node:http';
import { closeServer, listen } from './http-util';

interface Page {
  status?: number;
  type?: string;
  body?: string;
  /** Redirects to this path or URL. */
  location?: string;
  /** Sends the headers and then nothing (a page that never finishes). */
  hang?: boolean;
  /** Streams this many bytes without a Content-Length. */
  streamBytes?: number;
}

export class WebPageServer {
  url = '';
  readonly pages = new Map<string, Page>();
  readonly hits: string[] = [];
  private readonly server = http.createServer((req, res) => this.handle(req, res));

  async start(): Promise<this> {
    this.url = await listen(this.server);
    return this;
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    this.hits.push(path);
    const page = this.pages.get(path);
    if (!page) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><body>Not found</body></html>');
      return;
    }
    if (page.location) {
      res.writeHead(page.status ?? 302, { Location: page.location });
      res.end();
      return;
    }
    if (page.hang) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.write('<p>');
      return;
    }
    if (page.streamBytes) {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < page.streamBytes! && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        if (!res.destroyed) res.end();
      };
      pump();
      return;
    }
    const body = page.body ?? '';
    res.writeHead(page.status ?? 200, {
      'Content-Type': page.type ?? 'text/html; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  }
}
