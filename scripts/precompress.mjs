// Writes a brotli (.br) and a gzip (.gz) copy beside each text file of a built folder, for serve mode to send
// by Accept-Encoding (main/server/static-files.ts). Compressed once at build time, at the highest levels,
// instead of on every request. A copy that would not be smaller is not written.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const TEXT = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.webmanifest']);

/** @param {string} dir @returns {{ files: number, bytes: number, br: number, gz: number }} */
export function precompressDir(dir) {
  const totals = { files: 0, bytes: 0, br: 0, gz: 0 };
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, rel);
    if (!TEXT.has(path.extname(file)) || !fs.statSync(file).isFile()) continue;
    const body = fs.readFileSync(file);
    const br = zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
      },
    });
    const gz = zlib.gzipSync(body, { level: zlib.constants.Z_BEST_COMPRESSION });
    totals.files++;
    totals.bytes += body.length;
    if (br.length < body.length) {
      fs.writeFileSync(file + '.br', br);
      totals.br += br.length;
    }
    if (gz.length < body.length) {
      fs.writeFileSync(file + '.gz', gz);
      totals.gz += gz.length;
    }
  }
  return totals;
}
