// Writes the loader (code-cache-loader.cjs) of a bundle beside it, with the bundle's name and content hash filled
// in: the hash names the code cache, so a rebuilt bundle never meets the cache of an older one.
import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const TEMPLATE = path.join(import.meta.dirname, 'code-cache-loader.cjs');

export function writeCodeCacheLoader(bundleFile, loaderFile) {
  const bytes = fs.readFileSync(bundleFile);
  const hash = crypto.createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const rel = path.relative(path.dirname(loaderFile), bundleFile).split(path.sep).join('/');
  const text = fs
    .readFileSync(TEMPLATE, 'utf8')
    .replace("'__BUNDLE__'", JSON.stringify(rel))
    .replace("'__BUILD_HASH__'", JSON.stringify(hash))
    .replace("'__ENCODING__'", JSON.stringify(isAscii(bytes) ? 'latin1' : 'utf8'));
  if (/__(BUNDLE|BUILD_HASH|ENCODING)__/.test(text)) throw new Error('code-cache loader template');
  fs.writeFileSync(loaderFile, text);
}
