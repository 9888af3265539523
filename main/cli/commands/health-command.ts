import type { CliCommand } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';

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
    const report = await ctx.engine().health.check();
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
