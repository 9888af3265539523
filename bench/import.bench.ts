import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../main/core/clock';
import { ImportsService } from '../main/imports/imports-service';
import { openStore } from '../main/store/store';
import { makeTempDir } from '../test/helpers/temp-dir';
import { fmt, verdict, type BenchResult } from './stats';

const TARGET_MS = 30_000;
const SITES = ['Kampala Central', 'Makerere University', 'Nakawa', 'Entebbe', 'Jinja', 'Gulu', 'Mbarara', 'Mbale'];

/** Writes a generic CSV of `rows` readings: 8 sites, one reading a minute each, with a few bad lines. */
async function writeGenericCsv(file: string, rows: number): Promise<number> {
  const out = fs.createWriteStream(file);
  const t0 = Date.UTC(2024, 0, 1);
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  let buf = 'timestamp,site,latitude,longitude,pm2_5,pm10\n';
  let bad = 0;
  for (let i = 0; i < rows; i++) {
    const site = i % SITES.length;
    const t = new Date(t0 + Math.floor(i / SITES.length) * 60_000).toISOString();
    if (i % 100_000 === 99_999) {
      buf += `${t},${SITES[site]},0.3,32.5,n/a?,40\n`; // a bad line now and then, as in real files
      bad++;
    } else {
      const pm = (5 + rnd() * 60).toFixed(1);
      buf += `${t},${SITES[site]},${(0.3 + site * 0.01).toFixed(4)},${(32.5 + site * 0.01).toFixed(4)},${pm},${(Number(pm) * 1.6).toFixed(1)}\n`;
    }
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  out.end(buf);
  await new Promise<void>((r) => out.once('finish', () => r()));
  return bad;
}

/** Streams a 1,000,000-row generic CSV into the store (100,000 rows with AERIS_BENCH_QUICK=1); target < 30 s. */
export async function benchImport(
  rows = process.env.AERIS_BENCH_QUICK === '1' ? 100_000 : 1_000_000,
): Promise<BenchResult> {
  const tmp = makeTempDir('aeris-bench-import-');
  const lines: string[] = [];
  try {
    const file = path.join(tmp.dir, 'generic-1m.csv');
    const bad = await writeGenericCsv(file, rows);
    const store = openStore(path.join(tmp.dir, 'store.db'), systemClock);
    const imports = new ImportsService({ db: () => store.db, clock: systemClock, uploadDir: tmp.dir });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await imports.importFile(file);
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    // Scale the target with the row count so the quick run is judged by the same rate.
    const target = (TARGET_MS * rows) / 1_000_000;
    const correct = r.rowsImported === rows - bad && r.errorCount === bad;
    const ok = ms < target && correct;
    lines.push(
      verdict(
        `import ${rows.toLocaleString('en')} rows (${fmt(fs.statSync(file).size / 1048576, 1)} MB generic CSV)`,
        ok,
        `${fmt(ms / 1000, 2)} s, ${fmt(rows / (ms / 1000), 0)} rows/s; target < ${fmt(target / 1000, 0)} s → ${fmt(ms / target, 3)}× the target` +
          (correct ? '' : `; WRONG COUNTS imported ${r.rowsImported}, errors ${r.errorCount}`),
      ),
    );
    // Wall time is the figure; CPU time and the load show whether a slow run was this code or a busy machine.
    lines.push(
      `info  CPU time ${fmt((cpu.user + cpu.system) / 1e6, 2)} s; load average ${fmt(os.loadavg()[0]!, 1)} on ${os.cpus().length} cores`,
    );
    const t1 = performance.now();
    const again = await imports.importFile(file);
    const againMs = performance.now() - t1;
    const dedupOk = again.rowsImported === 0 && again.duplicates === rows - bad;
    lines.push(
      verdict(
        're-import of the same file adds nothing',
        dedupOk,
        `${again.rowsImported} new, ${again.duplicates.toLocaleString('en')} duplicates in ${fmt(againMs / 1000, 2)} s`,
      ),
    );
    const t2 = performance.now();
    const daily = imports.dailyMeans({ site: SITES[0]!, pollutant: 'pm25' });
    const sites = imports.sites();
    lines.push(
      `info  daily means (${daily.daysWithData} days) + sites list (${sites.length}) over the store: ${fmt(performance.now() - t2, 0)} ms`,
    );
    store.close();
    return { name: 'sensor-file import', lines, ok: ok && dedupOk };
  } finally {
    tmp.cleanup();
  }
}
