import fs from 'node:fs';
import { START_QUICK_CHECK_MAX_BYTES } from '../../ops/recovery/recoverable-store';
import type { CliCommand } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';

const storeBytes = (file: string): number => (fs.existsSync(file) ? fs.statSync(file).size : 0);

const LIGHT = { ok: '●', warn: '◐', fail: '○' } as const;
const WORD = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

export const healthCommand: CliCommand = {
  name: 'health',
  summary: 'Check the store, Ollama, data sources, disk and backups (exit 1 when unhealthy)',
  usage:
    'Usage: aeris health [--json]\n\nEach check shows ok, WARN or FAIL with its reason.\nExit code: 0 healthy, 3 degraded, 1 unhealthy (store or Ollama; warnings alone do not change it).',
  async run(argv, ctx) {
    const { values } = parseCommandArgs({
      args: argv,
      options: { json: { type: 'boolean' } },
      allowPositionals: false,
    });
    const engine = ctx.engine();
    // A big store only had its header checked at start: check every page now (on a worker), so damage
    // anywhere makes this exit 1 rather than HEALTHY.
    if (!engine.recoveryState.active && storeBytes(engine.paths.dbFile) > START_QUICK_CHECK_MAX_BYTES) {
      await engine.storeWatch.runOnce();
    }
    const report = await engine.health.check();
    if (values.json) ctx.io.stdout(JSON.stringify(report, null, 2) + '\n');
    else {
      const mark = report.status === 'healthy' ? '●' : report.status === 'degraded' ? '◐' : '○';
      const width = Math.max(...report.checks.map((c) => c.label.length));
      ctx.io.stdout(
        [
          `${mark} ${report.status.toUpperCase()}  (AERIS-AQ ${report.version}, ${report.timestamp})`,
          ...report.checks.map((c) => `  ${LIGHT[c.status]} ${WORD[c.status]}  ${c.label.padEnd(width)}  ${c.reason}`),
        ].join('\n') + '\n',
      );
    }
    return report.status === 'healthy' ? 0 : report.status === 'degraded' ? 3 : 1;
  },
};
