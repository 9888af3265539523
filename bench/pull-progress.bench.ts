// CPU cost of pull-progress handling for a pull of 10 layers with Ollama's 60 ms progress ticks. The
// emulator streams from a child process so only this process is measured (process.cpuUsage).
//   npx tsx bench/pull-progress.bench.ts
// Two cases: Ollama's own pattern (PullModel waits on one layer at a time: one line per 60 ms), on which
// the < 1 % target is checked, and a worst case where all 10 layers report every 60 ms (10× the lines).
// Each case also measures the transport floor — a bare node:http request reading the same stream and
// doing nothing — because on a small VM every socket wakeup has a CPU cost no client can avoid; the
// handling cost is the manager's total minus that floor. Runs alternate and the lowest of each is kept,
// which damps noise from other processes on the machine. Each run starts after a full garbage collection:
// `npm run bench` runs this after the 1M-row import in the same process, and that heap's collection landing
// in a 3 s window read as 0.96 % of a core for progress handling (0.22–0.29 % when this bench runs alone).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { systemClock } from '../main/core/clock';
import { PullManager, type PullSnapshot } from '../main/ollama/pull-manager';
import { PullStore } from '../main/ollama/pull-store';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = 10;
const TICK_MS = 60;
const SEQ_TICKS_PER_LAYER = 5; // 50 lines, ≈ 3 s
const PAR_TICKS = 50; // 500 lines, ≈ 3 s
const ROUNDS = 2;
const CPU_TARGET = 0.01; // 1 % of one core
const MAX_UPDATES_PER_S = 10;

async function startEmulatorChild(dir: string): Promise<{ seq: string; par: string; stop: () => void }> {
  const runner = path.join(dir, 'bench-emulator.mts');
  const href = (p: string): string => JSON.stringify(pathToFileURL(path.join(root, p)).href);
  fs.writeFileSync(
    runner,
    `import { startOllamaEmulator } from ${href('e2e/emulators/ollama-emulator.ts')};
import { pullable } from ${href('main/ollama/test-support/pullable.ts')};
const common = { models: [], pullTickMs: ${TICK_MS}, pullBytesPerTick: 1_000_000 };
// A fresh name per run: the emulator keeps downloaded blobs, as Ollama does.
const names = (p) => Array.from({ length: ${ROUNDS * 2} }, (_, i) => p + ':r' + i);
const seq = await startOllamaEmulator({ ...common, registry: [...names('seq').map((n) => pullable(n, ${LAYERS}, ${SEQ_TICKS_PER_LAYER * 1_000_000})), pullable('warmup:1l', 1, 3_000_000)] });
const par = await startOllamaEmulator({ ...common, pullConcurrentLayers: true, registry: names('par').map((n) => pullable(n, ${LAYERS}, ${PAR_TICKS * 1_000_000})) });
process.stdout.write(seq.url + ' ' + par.url + '\\n');
`,
  );
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, runner],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl).trim());
    });
    child.once('exit', (code) => reject(new Error(`emulator child exited (${code})`)));
  });
  const [seq, par] = url.split(' ') as [string, string];
  return { seq, par, stop: () => void child.kill('SIGKILL') };
}

interface Run {
  wallMs: number;
  cpuMs: number;
}
interface ManagerRun extends Run {
  updates: number;
  maxInWindow: number;
  finalDelivered: boolean;
  state: string;
}

v8.setFlagsFromString('--expose-gc');
/** A full collection, run before each measured pull so earlier work's garbage is not counted in it. */
const collectGarbage = vm.runInNewContext('gc') as () => void;

function measure<T>(fn: () => Promise<T>): Promise<{ r: T; wallMs: number; cpuMs: number }> {
  collectGarbage();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  return fn().then((r) => {
    const cpu = process.cpuUsage(cpu0);
    return { r, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
  });
}

/** The same stream read by a bare request that does nothing with it. */
function barePull(host: string, model: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${host}/api/pull`, { method: 'POST' }, (res) => {
      res.on('data', () => undefined);
      res.on('end', resolve);
    });
    req.on('error', reject);
    req.end(JSON.stringify({ model }));
  });
}

async function managerPull(host: string, store: string, model: string): Promise<ManagerRun> {
  const pulls = new PullManager({ host: () => host, store: new PullStore(store), clock: systemClock });
  const deliveries: Array<{ t: number; s: PullSnapshot }> = [];
  pulls.onUpdate((s) => deliveries.push({ t: performance.now(), s }));
  const m = await measure(async () => {
    await pulls.pull(model);
    return pulls.wait(model);
  });
  let maxInWindow = 0;
  for (let i = 0; i < deliveries.length; i++) {
    let n = 0;
    for (let j = i; j < deliveries.length && deliveries[j]!.t - deliveries[i]!.t < 1000; j++) n++;
    maxInWindow = Math.max(maxInWindow, n);
  }
  const last = deliveries.at(-1)?.s;
  return {
    wallMs: m.wallMs,
    cpuMs: m.cpuMs,
    updates: deliveries.length,
    maxInWindow,
    finalDelivered: last?.state === 'success' && last.totalBytes > 0 && last.completedBytes === m.r.totalBytes,
    state: m.r.state,
  };
}

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
const pct = (cpuMs: number, wallMs: number): string => `${((cpuMs / wallMs) * 100).toFixed(3)}%`;

async function runCase(
  host: string,
  prefix: string,
  dir: string,
  lines: number,
  label: string,
  checked: boolean,
): Promise<string[]> {
  const floors: Run[] = [];
  const runs: ManagerRun[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const bare = await measure(() => barePull(host, `${prefix}:r${2 * i}`));
    floors.push(bare);
    runs.push(await managerPull(host, path.join(dir, `${prefix}-${i}.json`), `${prefix}:r${2 * i + 1}`));
  }
  const floor = floors.reduce((a, b) => (a.cpuMs / a.wallMs <= b.cpuMs / b.wallMs ? a : b));
  const best = runs.reduce((a, b) => (a.cpuMs / a.wallMs <= b.cpuMs / b.wallMs ? a : b));
  const totalShare = best.cpuMs / best.wallMs;
  const floorShare = floor.cpuMs / floor.wallMs;
  const handling = Math.max(0, totalShare - floorShare);
  const worstWindow = Math.max(...runs.map((r) => r.maxInWindow));
  const allFinal = runs.every((r) => r.finalDelivered);
  return [
    `${label}: ${lines} progress lines in ${(best.wallMs / 1000).toFixed(2)} s (${Math.round((lines * 1000) / best.wallMs)} lines/s), pull ${best.state}`,
    `  CPU with the pull manager ${pct(best.cpuMs, best.wallMs)} of one core; bare HTTP read of the same stream ${pct(floor.cpuMs, floor.wallMs)}`,
    `  progress handling ${(handling * 100).toFixed(3)}% of one core; target < ${CPU_TARGET * 100}% → ${(handling / CPU_TARGET).toFixed(3)}× target ${checked ? verdict(handling < CPU_TARGET) : '(information)'}`,
    `  UI updates: ${best.updates} per pull, at most ${worstWindow} in any 1 s window; target ≤ ${MAX_UPDATES_PER_S}/s → ${(worstWindow / MAX_UPDATES_PER_S).toFixed(2)}× target ${verdict(worstWindow <= MAX_UPDATES_PER_S)}`,
    `  final state delivered in every run: ${allFinal ? 'yes (success, 100%)' : 'no'} ${verdict(allFinal)}`,
  ];
}

export async function benchPullProgress(): Promise<{ name: string; lines: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-bench-pull-'));
  const emu = await startEmulatorChild(dir);
  try {
    // Warm-up: load the HTTP client and JIT the path once, so the figures are the steady per-pull cost.
    await managerPull(emu.seq, path.join(dir, 'warm.json'), 'warmup:1l');
    await barePull(emu.seq, 'warmup:1l');
    return {
      name: 'pull-progress',
      lines: [
        ...(await runCase(
          emu.seq,
          'seq',
          dir,
          LAYERS * SEQ_TICKS_PER_LAYER,
          `10 layers one at a time, ${TICK_MS} ms ticks (Ollama's pattern)`,
          true,
        )),
        ...(await runCase(
          emu.par,
          'par',
          dir,
          LAYERS * PAR_TICKS,
          `10 layers all reporting every ${TICK_MS} ms (worst case)`,
          false,
        )),
      ],
    };
  } finally {
    emu.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const r = await benchPullProgress();
  console.log(`# ${r.name}\n${r.lines.join('\n')}`);
}
