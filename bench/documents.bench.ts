import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EMBEDDING_MODELS, emulatedEmbedding, startOllamaEmulator } from '../e2e/emulators/ollama-emulator';
import { systemClock } from '../main/core/clock';
import { chunkPages } from '../main/documents/chunking';
import { DocumentsService } from '../main/documents/documents-service';
import { extractInWorker } from '../main/documents/extract-in-worker';
import { ftsQuery, HybridSearch } from '../main/documents/hybrid-search';
import { OllamaEmbedder, type Embedder } from '../main/documents/ollama-embedder';
import { fromBlob, normalize } from '../main/documents/vectors';
import { openStore } from '../main/store/store';
import { fmt, median, percentile, verdict, type BenchResult } from './stats';

/**
 * Issue 17's figures: retrieval over `chunks` chunks (the in-memory sign-bit index with an exact re-rank, +
 * FTS5 BM25, fused) with p95 < 50 ms, against the exact float32 scan it replaced (A/B, interleaved); the right passage in the top 5 for questions written against the
 * committed real documents; extraction + chunking of a 100-page pdfTeX PDF under 2 s CPU (where pdflatex
 * is installed); embedding overhead against a direct /api/embed call of the same batch (≤ 1.1×).
 */
export async function benchDocuments(chunks = 100_000, dims = 384): Promise<BenchResult> {
  const lines: string[] = [];
  let ok = true;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-bench-docs-'));
  const store = openStore(path.join(root, 'store.db'), systemClock);
  try {
    // 1. Retrieval latency over a large library: random unit vectors; text drawn Zipf-like from 20 domain words
    // and 5,000 other words, so a question's words match a realistic share of chunks rather than all of them.
    let seed = 42;
    const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const vocab =
      'pm2.5 pm10 ozone sensor kampala gulu jinja mbarara harmattan dust guideline annual mean calibration reference monitor traffic burning season rainfall'.split(
        ' ',
      );
    // The domain words at ranks 200-219: each is in about 3 % of the chunks (about 3,000 BM25 matches a word).
    const pseudo = Array.from({ length: 5000 }, (_, i) => `w${i.toString(36)}`);
    const words = [...pseudo.slice(0, 200), ...vocab, ...pseudo.slice(200)];
    const randomEmbedder: Embedder = {
      model: 'bench',
      embed: (texts) => Promise.resolve(texts.map(() => normalize(Array.from({ length: dims }, rand)))),
    };
    const service = new DocumentsService({ db: () => store.db, clock: systemClock, embedder: () => randomEmbedder });
    const t0 = performance.now();
    const perDoc = 1000;
    for (let d = 0; d * perDoc < chunks; d++) {
      const cs = Array.from({ length: Math.min(perDoc, chunks - d * perDoc) }, (_, i) => ({
        seq: i,
        page: 1 + Math.floor(i / 4),
        label: `p. ${1 + Math.floor(i / 4)}`,
        text: Array.from({ length: 60 }, () => words[Math.floor(((rand() + 1) / 2) ** 3 * words.length)]).join(' '),
      }));
      service.repo.insert({
        sessionId: null,
        name: `doc-${d}.pdf`,
        kind: 'pdf',
        sizeBytes: 1,
        sha256: '',
        pages: perDoc / 4,
        embedModel: 'bench',
        chunks: cs,
        vectors: await randomEmbedder.embed(cs.map((c) => c.text)),
      });
    }
    // Exact search is CPU-bound: the load on a shared machine explains most of the spread.
    lines.push(
      `load average ${os
        .loadavg()
        .map((l) => fmt(l, 1))
        .join(' ')} on ${os.cpus().length} CPUs`,
    );
    lines.push(`library: ${chunks} chunks × ${dims} dims built in ${fmt((performance.now() - t0) / 1000, 1)} s`);
    const first = performance.now();
    await service.search('annual mean pm2.5 in kampala');
    lines.push(
      `first search (reads every vector BLOB once to build the index): ${fmt(performance.now() - first, 0)} ms`,
    );
    // Half the questions as a user types them (function words and all), half as bare keywords.
    const question = (i: number) =>
      i % 2
        ? `What was the ${vocab[i % vocab.length]} ${vocab[(i * 7) % vocab.length]} in ${vocab[(i * 3) % vocab.length]}?`
        : `${vocab[i % vocab.length]} ${vocab[(i * 7) % vocab.length]} levels`;
    const times: number[] = [];
    // CPU time of each search too: on a shared machine the wall time mostly measures the other processes.
    const cpuMs: number[] = [];
    for (let i = 0; i < 60; i++) {
      const c = process.cpuUsage();
      const s = performance.now();
      await service.search(question(i));
      times.push(performance.now() - s);
      const d = process.cpuUsage(c);
      cpuMs.push((d.user + d.system) / 1000);
    }
    const p95 = percentile(times, 95);
    lines.push(
      verdict(
        `hybrid search over ${chunks} chunks`,
        p95 < 50,
        `median ${fmt(median(times))} ms, p95 ${fmt(p95)} ms (spread ${fmt(Math.min(...times))}–${fmt(Math.max(...times))} ms; target p95 < 50 ms)`,
      ),
    );
    ok &&= p95 < 50;
    lines.push(
      `  CPU time per search (this process, all threads): median ${fmt(median(cpuMs))} ms, p95 ${fmt(percentile(cpuMs, 95))} ms`,
    );
    const searcher = new HybridSearch(service.repo, () => randomEmbedder);
    const docs = service.repo.list();
    const [warm] = await randomEmbedder.embed(['q']);
    searcher.nearest(warm!, docs, 50);
    const indexMb = searcher.indexBytes() / 1e6;
    lines.push(
      `vector index in memory: ${fmt(indexMb, 1)} MB (sign bits, int8 codes, scales, ids) against ${fmt((chunks * dims * 4) / 1e6, 1)} MB as float32 (${dims} dims; 768 dims: about twice both)`,
    );
    // A/B, interleaved (the order swaps each round): the exact float32 scan this replaced, and the index (sign
    // bits, int8 codes of the closest 8 %, exact re-rank of the best 200 read back from the store); its
    // recall@50 too, on uniformly random vectors (the hardest case for sign bits: real embeddings cluster).
    const all = new Float32Array(chunks * dims);
    const allIds = new Int32Array(chunks);
    let at = 0;
    for (const r of service.repo.vectors(docs.map((d) => d.id))) {
      all.set(fromBlob(r.vector), at * dims);
      allIds[at++] = r.id;
    }
    const exactTop = (q: Float32Array, k: number) => {
      const top: Array<{ id: number; s: number }> = [];
      for (let row = 0; row < at; row++) {
        let s = 0;
        for (let i = 0, b = row * dims; i < dims; i++) s += q[i]! * all[b + i]!;
        if (top.length < k || s > top[k - 1]!.s) {
          top.push({ id: allIds[row]!, s });
          top.sort((a, b) => b.s - a.s);
          if (top.length > k) top.pop();
        }
      }
      return top.map((t) => t.id);
    };
    const exactMs: number[] = [];
    const indexMs: number[] = [];
    let recall = 0;
    const rounds = 20;
    for (let i = 0; i < rounds; i++) {
      const [q] = await randomEmbedder.embed(['q']);
      const runExact = () => {
        const s = performance.now();
        const r = exactTop(q!, 50);
        exactMs.push(performance.now() - s);
        return r;
      };
      const runIndex = () => {
        const s = performance.now();
        const r = searcher.nearest(q!, docs, 50);
        indexMs.push(performance.now() - s);
        return r;
      };
      let truth: number[];
      let got: number[];
      if (i % 2) {
        truth = runExact();
        got = runIndex();
      } else {
        got = runIndex();
        truth = runExact();
      }
      const want = new Set(truth);
      recall += got.filter((id) => want.has(id)).length / truth.length / rounds;
    }
    lines.push(
      `  vector half, A/B over ${rounds} interleaved rounds: exact float32 scan median ${fmt(median(exactMs))} ms (${fmt(Math.min(...exactMs))}–${fmt(Math.max(...exactMs))}); index median ${fmt(median(indexMs))} ms (${fmt(Math.min(...indexMs))}–${fmt(Math.max(...indexMs))}), p95 ${fmt(percentile(indexMs, 95))} ms; recall@50 against exact ${fmt(recall, 3)}`,
    );
    const ids = docs.map((d) => d.id);
    const kw: number[] = [];
    const kwSome: number[] = [];
    for (let i = 0; i < 20; i++) {
      const m = ftsQuery(question(i))!;
      let s = performance.now();
      service.repo.keywordSearch(m, ids, 50);
      kw.push(performance.now() - s);
      s = performance.now();
      service.repo.keywordSearch(m, ids.slice(0, 10), 50);
      kwSome.push(performance.now() - s);
    }
    lines.push(
      `  keyword half (FTS5 BM25): whole library median ${fmt(median(kw))} ms, p95 ${fmt(percentile(kw, 95))} ms; 10 of ${ids.length} documents median ${fmt(median(kwSome))} ms`,
    );

    // 2. Hit rate on the committed real documents with the emulator's lexical embedding.
    const small = openStore(path.join(root, 'small.db'), systemClock);
    const lexical: Embedder = {
      model: 'lexical',
      embed: (t) => Promise.resolve(t.map((x) => normalize(emulatedEmbedding(x, 384)))),
    };
    const lib = new DocumentsService({
      db: () => small.db,
      clock: systemClock,
      embedder: () => lexical,
      chunking: { size: 300, overlap: 60 },
    });
    const fx = path.join(import.meta.dirname, '../main/documents/fixtures');
    for (const f of ['annual-report.pdf', 'siting-guideline.docx', 'partner-monitoring.xlsx']) {
      await lib.add({ name: f, bytes: new Uint8Array(fs.readFileSync(path.join(fx, f))), sessionId: null });
    }
    const questions: Array<[string, string, RegExp]> = [
      ['What was the annual mean PM2.5 in Kampala?', 'annual-report.pdf', /48 micrograms/],
      ['How many sensors did the ministry operate?', 'annual-report.pdf', /Forty\s+low-\s*cost/],
      ['Where should reference monitoring be expanded?', 'annual-report.pdf', /Gulu and Mbarara/],
      ['When should health advisories be published?', 'annual-report.pdf', /before eight/],
      ['How far from a chimney must a sensor be?', 'siting-guideline.docx', /10 metres from a chimney/],
      ['How high should a sensor be mounted?', 'siting-guideline.docx', /1\.5 and 4 metres/],
      ['What PM10 did KCCA measure at Jinja Road?', 'partner-monitoring.xlsx', /140\.3/],
      ['PM2.5 at Makerere in March', 'partner-monitoring.xlsx', /35\.9/],
    ];
    let hits = 0;
    for (const [q, file, re] of questions) {
      const r = await lib.search(q, { limit: 5 });
      if (r.passages.some((p) => p.file === file && re.test(p.text))) hits++;
      else lines.push(`missed: "${q}" → ${r.passages.map((p) => `${p.file} ${p.label ?? ''}`).join(', ')}`);
    }
    small.close();
    lines.push(
      verdict('right passage in the top 5', hits === questions.length, `${hits}/${questions.length} questions`),
    );
    ok &&= hits === questions.length;

    // 3. Extraction + chunking of a 100-page text PDF made by pdfTeX (CPU of every thread of this process).
    if (spawnSync('pdflatex', ['--version'], { stdio: 'ignore' }).status === 0) {
      const para = 'The monitoring network recorded particulate matter, ozone and nitrogen dioxide at every site. ';
      const body = Array.from(
        { length: 100 },
        (_, i) => `\\section*{Page ${i + 1}}\n${para.repeat(18)}\n\\newpage`,
      ).join('\n');
      fs.writeFileSync(
        path.join(root, 'long.tex'),
        `\\documentclass{article}\\begin{document}\n${body}\n\\end{document}\n`,
      );
      execFileSync('pdflatex', ['-interaction=batchmode', 'long.tex'], { cwd: root, stdio: 'ignore' });
      const bytes = new Uint8Array(fs.readFileSync(path.join(root, 'long.pdf')));
      const cpu0 = process.cpuUsage();
      const w0 = performance.now();
      // The engine's thread meanwhile: the longest gap between 5 ms ticks (chat streams run on this thread).
      let last = performance.now();
      let worstGap = 0;
      const tick = setInterval(() => {
        const now = performance.now();
        worstGap = Math.max(worstGap, now - last);
        last = now;
      }, 5);
      const doc = await extractInWorker({ name: 'long.pdf', bytes });
      clearInterval(tick);
      const cs = chunkPages(doc.pages);
      const cpu = process.cpuUsage(cpu0);
      const cpuS = (cpu.user + cpu.system) / 1e6;
      lines.push(
        verdict(
          `extract + chunk a ${doc.pageCount}-page PDF (${cs.length} chunks)`,
          cpuS < 2,
          `${fmt(cpuS)} s CPU, ${fmt((performance.now() - w0) / 1000)} s wall (target < 2 s CPU)`,
        ),
      );
      ok &&= cpuS < 2;
      lines.push(`engine thread during the extraction: longest gap between 5 ms ticks ${fmt(worstGap, 1)} ms`);

      // 4. Our batched embedding against a direct /api/embed call of the same batches (emulator).
      const emu = await startOllamaEmulator({ models: [EMBEDDING_MODELS['all-minilm:latest']!] });
      try {
        const texts = cs.map((c) => c.text);
        const embedder = new OllamaEmbedder({ host: emu.url, model: 'all-minilm', batchSize: 64 });
        const direct = async () => {
          for (let i = 0; i < texts.length; i += 64) {
            const r = await fetch(new URL('/api/embed', emu.url), {
              method: 'POST',
              body: JSON.stringify({ model: 'all-minilm', input: texts.slice(i, i + 64), truncate: true }),
            });
            await r.json();
          }
        };
        const ours: number[] = [];
        const base: number[] = [];
        for (let i = 0; i < 7; i++) {
          let s = performance.now();
          await direct();
          base.push(performance.now() - s);
          s = performance.now();
          await embedder.embed(texts);
          ours.push(performance.now() - s);
        }
        const ratio = median(ours) / median(base);
        lines.push(
          verdict(
            'embedding overhead vs direct /api/embed',
            ratio <= 1.1,
            `${fmt(median(ours) / texts.length, 3)} ms/chunk vs ${fmt(median(base) / texts.length, 3)} ms/chunk = ${fmt(ratio)}× (target ≤ 1.1×; emulator, not a real model)`,
          ),
        );
        ok &&= ratio <= 1.1;
      } finally {
        await emu.close();
      }
    } else {
      lines.push('skipped: the 100-page PDF figures need pdflatex (apt-get install texlive-latex-base)');
    }
  } finally {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  return { name: `documents (${chunks} chunks)`, lines, ok };
}
