import type { CliCommand } from '../cli-types';
import { parseCommandArgs } from '../run-cli';

export const healthCommand: CliCommand = {
  name: 'health',
  summary: 'Check the store and Ollama (exit 1 when unhealthy)',
  usage: 'Usage: aeris health [--json]\n\nExit code: 0 healthy, 3 degraded, 1 unhealthy.',
  async run(argv, ctx) {
    const { values } = parseCommandArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: false });
    const report = await ctx.engine().health.check();
    if (values.json) ctx.io.stdout(JSON.stringify(report, null, 2) + '\n');
    else {
      const mark = report.status === 'healthy' ? '●' : report.status === 'degraded' ? '◐' : '○';
      ctx.io.stdout(
        [
          `${mark} ${report.status.toUpperCase()}  (AERIS-AQ ${report.version}, ${report.timestamp})`,
          `  database  ${report.database}`,
          `  cache     ${report.cache}`,
          `  ollama    ${report.ollama}  [${report.ollama_host}]`,
        ].join('\n') + '\n',
      );
    }
    return report.status === 'healthy' ? 0 : report.status === 'degraded' ? 3 : 1;
  },
};
