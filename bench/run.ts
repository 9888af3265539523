// `npm run bench`: every figure the issues name, as ratios against a target or a baseline measured in this run.
// Select with `npm run bench -- chat sse store append startup ui fairness import pull documents backup` (default: all). Sizes shrink
// with AERIS_BENCH_QUICK=1. `--json[=FILE]` also writes every figure (value, baseline, ratio, verdict) to FILE
// (default bench-results.json). The benches that start `aeris serve` or read dist/ need `npm run build` first.
import { benchAppend } from './append.bench';
import { benchBackup } from './backup.bench';
import { benchChatOverhead } from './chat-overhead.bench';
import { benchDocuments } from './documents.bench';
import { benchImport } from './import.bench';
import { benchPullProgress } from './pull-progress.bench';
import { benchProviderOverhead } from './provider-overhead.bench';
import { benchSseStreaming } from './sse-streaming.bench';
import { benchStore } from './store.bench';
import { benchStartup } from './startup.bench';
import { benchFairness } from './fairness.bench';
import { benchUi } from './ui.bench';
import fs from 'node:fs';
import type { BenchResult } from './stats';

const quick = process.env.AERIS_BENCH_QUICK === '1';
const all: Record<string, () => Promise<BenchResult>> = {
  chat: () => benchChatOverhead(quick ? 8 : 30),
  provider: () => benchProviderOverhead(quick ? 10 : 30),
  sse: () => benchSseStreaming(quick ? 5000 : 20_000),
  store: () => benchStore(quick ? { ftsMessages: 100_000, typedWords: 6 } : {}),
  import: () => benchImport(quick ? 100_000 : 1_000_000),
  pull: () => withVerdict(benchPullProgress()),
  documents: () => benchDocuments(quick ? 50_000 : 100_000),
  append: () => benchAppend(quick ? 5 : 9),
  ui: () => benchUi(quick ? 10 : 20),
  fairness: () => benchFairness(quick ? 100_000 : 1_000_000, quick ? 2 : 3),
  startup: () => benchStartup(quick ? 4 : 10),
  backup: () => benchBackup(quick ? 200 : Number(process.env.AERIS_BENCH_BACKUP_MB ?? 1024)),
};

/** For benches that print PASS/FAIL per line instead of returning a verdict. */
async function withVerdict(p: Promise<{ name: string; lines: string[] }>): Promise<BenchResult> {
  const r = await p;
  return { ...r, ok: !r.lines.some((l) => /\bFAIL\b/.test(l)) };
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : Object.keys(all);
let failed = 0;
const jsonArg = process.argv.find((a) => a === '--json' || a.startsWith('--json='));
const results: Array<BenchResult & { seconds: number }> = [];
for (const name of names) {
  const run = all[name];
  if (!run) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(all).join(', ')}`);
    process.exitCode = 2;
    continue;
  }
  const t0 = performance.now();
  const r = await run();
  console.log(`\n## ${r.name}  (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  for (const line of r.lines) console.log(`  ${line}`);
  if (!r.ok) failed++;
  results.push({ ...r, seconds: (performance.now() - t0) / 1000 });
}
if (jsonArg) {
  const file = jsonArg.includes('=') ? jsonArg.slice('--json='.length) : 'bench-results.json';
  const doc = { at: new Date().toISOString(), quick, results };
  fs.writeFileSync(file, JSON.stringify(doc, null, 2) + '\n');
  console.log(`figures written to ${file}`);
}
console.log(`\n${failed === 0 ? 'all figures met' : `${failed} benchmark(s) missed a figure`}`);
if (failed) process.exitCode = 1;
