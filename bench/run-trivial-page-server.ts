// The floor for the web UI's time to interactive (bench/ui-tti.ts): a trivial page — one HTML file and one tiny
// module script that puts a textarea and a "New chat" button on screen — served in its own process (as
// `aeris serve` runs in its own) by serve mode's own static-file code (main/server/static-files.ts): the same
// headers (CSP, no-store page, immutable hashed asset), the same precompressed copies chosen by Accept-Encoding,
// the same URL shape (`/`, `./assets/<name>-<hash>.js`). `aeris serve` only serves its built renderer, so the
// trivial page cannot come from that process. Prints "listening <url>" when ready.
//   npx tsx bench/run-trivial-page-server.ts DIR
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { serveStatic } from '../main/server/static-files';

const dir = process.argv[2];
if (!dir) throw new Error('usage: run-trivial-page-server.ts DIR');
const SCRIPT = 'assets/trivial-Bq3xZ0aK.js';
const files: Record<string, string> = {
  // The app's index.html, less its icon, preloads and stylesheet: the module script in the head, an empty root.
  'index.html': `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1.0" />
    <title>trivial</title>
    <script type="module" crossorigin src="./${SCRIPT}"></script>
  </head>
  <body>
    <div id="root"></div>
  </body>
</html>
`,
  // The least a client-rendered page does before it can be used: build its two controls into the root.
  [SCRIPT]: `const root = document.getElementById('root');
const box = document.createElement('textarea');
box.setAttribute('aria-label', 'Message');
const button = document.createElement('button');
button.textContent = 'New chat';
button.addEventListener('click', () => (box.value = ''));
root.append(button, box);
`,
};
for (const [name, text] of Object.entries(files)) {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  // As scripts/precompress.mjs writes them beside the renderer's files.
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(text));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(text, { level: 9 }));
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const head = req.method === 'HEAD';
  if ((req.method === 'GET' || head) && serveStatic(dir, url.pathname, res, head, req.headers)) return;
  res.writeHead(404);
  res.end();
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  console.log(`listening http://127.0.0.1:${address.port}`);
});
process.once('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
