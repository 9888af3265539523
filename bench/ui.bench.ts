import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fmt, verdict, type BenchResult } from './stats';
import { benchTimeToInteractive } from './ui-tti';

const DIST = path.resolve(import.meta.dirname, '../dist');

/**
 * What a first visit downloads before the UI runs (the scripts index.html loads, gzip-compressed), and how soon
 * the first screen can be used against a trivial page (bench/ui-tti.ts, `rounds` interleaved rounds).
 */
export async function benchUi(rounds = 20): Promise<BenchResult> {
  const html = path.join(DIST, 'renderer', 'index.html');
  if (!fs.existsSync(html)) throw new Error('dist/renderer is missing: run `npm run build` first');
  const page = fs.readFileSync(html, 'utf8');
  const initial = [...page.matchAll(/(?:src|href)="\.?\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const gz = (f: string) => zlib.gzipSync(fs.readFileSync(path.join(DIST, 'renderer', f))).length;
  const initialKb = initial.reduce((n, f) => n + gz(f), 0) / 1024;
  const all = fs.readdirSync(path.join(DIST, 'renderer', 'assets')).filter((f) => f.endsWith('.js'));
  const totalKb = all.reduce((n, f) => n + gz(`assets/${f}`), 0) / 1024;
  const maps = fs.readdirSync(DIST, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.map'));
  const sizeOk = initialKb <= 80;
  const mapsOk = maps.length === 0;
  const tti = await benchTimeToInteractive(rounds);
  return {
    name: 'web UI bundle and time to interactive',
    ok: sizeOk && mapsOk && tti.figure.ok,
    lines: [
      verdict(
        'initial JS (gzip)',
        sizeOk,
        `${fmt(initialKb, 1)} KB in ${initial.length} files (${fmt(totalKb, 1)} KB in all ${all.length} chunks, the rest on demand) → ${fmt(initialKb / 80)}× the 80 KB target`,
      ),
      verdict('no source map shipped', mapsOk, mapsOk ? 'none in dist/' : maps.join(', ')),
      ...tti.lines,
    ],
    figures: [
      {
        bench: 'ui',
        figure: 'initial JS gzip',
        ok: sizeOk,
        value: initialKb,
        target: '≤ 80 KB',
        unit: 'KB',
      },
      tti.figure,
    ],
  };
}
