import type { CliCommand } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';
import { toDoctorReport, type DoctorReport } from '../../hardware/doctor-report';
import { formatContext, formatGb } from '../../../preload/shared/units';

const VERDICT_LABEL = { 'full-gpu': 'GPU', partial: 'partial', cpu: 'CPU', 'too-large': 'too large' } as const;

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

function renderDoctor(d: DoctorReport): string {
  const lines: string[] = ['AERIS-AQ doctor', ''];
  if (d.gpus.length === 0) lines.push('GPU    none found (Ollama will use the CPU)');
  for (const g of d.gpus) {
    const mem =
      g.sharesSystemRam && !g.usedByOllama
        ? 'shares system RAM, not used by Ollama'
        : `${formatGb(g.vramTotalBytes)} VRAM${g.vramFreeBytes !== null ? `, ${formatGb(g.vramFreeBytes)} free` : ''}`;
    lines.push(`GPU    ${g.name} (${g.vendor}) ${mem}${g.driver ? `, driver ${g.driver}` : ''}`);
  }
  lines.push(
    `RAM    ${formatGb(d.ram.totalBytes)} total, ${formatGb(d.ram.freeBytes)} free`,
    `CPU    ${d.cpu.model}, ${d.cpu.cores} threads${d.cpu.flags.length ? `, ${d.cpu.flags.join(' ')}` : ''}`,
    `Disk   ${d.disk.modelsDir}: ${d.disk.freeBytes === null ? 'free space unknown' : `${formatGb(d.disk.freeBytes)} free`}`,
    d.ollama.reachable
      ? `Ollama ${d.ollama.host} (${d.ollama.installed} installed)`
      : `Ollama not reachable${d.ollama.host ? ` at ${d.ollama.host}` : ''}: advice from the built-in catalog only`,
    // Ollama's default for this much VRAM; each model's line says the context it was sized at.
    `Sizing ${formatContext(d.context.numCtx)} context (or a model's own maximum, if smaller), KV cache ${d.context.kvCacheType}, ${d.context.numParallel} parallel slot(s)`,
    '',
    d.recommended ? `Recommended: ${d.recommended}` : 'Recommended: none of the known models fits this machine',
    '',
  );
  lines.push(
    ...table([
      ['', 'MODEL', 'RUNS ON', 'NEEDS', 'TOOLS', 'WHY'],
      ...d.recommendations.map((r) => [
        r.installed ? '*' : ' ',
        r.model,
        r.verdict === 'partial' ? `${Math.round(r.gpuFraction * 100)}% GPU` : VERDICT_LABEL[r.verdict],
        formatGb(r.requiredBytes),
        r.tools ? 'yes' : 'no',
        r.reason,
      ]),
    ]),
    '',
    '* installed',
  );
  if (d.notes.length) lines.push('', 'Notes:', ...d.notes.map((n) => `  - ${n}`));
  return lines.join('\n') + '\n';
}

export const doctorCommand: CliCommand = {
  name: 'doctor',
  summary: 'Detect GPU, RAM, CPU and disk, and say which models fit this machine',
  usage: [
    'Usage: aeris doctor [--json] [--context N]',
    '',
    'Reads nvidia-smi, sysfs/rocm-smi, sysctl or the Windows registry (each with a timeout), estimates each',
    "catalog and installed model's memory (weights + KV cache + graph + GPU minimum) and ranks them.",
    'Works without Ollama (catalog only). --json prints the report as a JSON contract for scripts.',
  ].join('\n'),
  async run(argv, ctx) {
    const { values } = parseCommandArgs({
      args: argv,
      options: { json: { type: 'boolean' }, context: { type: 'string' } },
      allowPositionals: false,
    });
    const numCtx = values.context !== undefined ? Number(values.context) : undefined;
    if (numCtx !== undefined && (!Number.isInteger(numCtx) || numCtx < 256))
      throw new UsageError('--context must be a whole number ≥ 256');
    const engine = ctx.engine();
    const hardware = engine.hardware;
    const report = toDoctorReport(await hardware.recommend({ numCtx }));
    ctx.io.stdout(values.json ? JSON.stringify(report, null, 2) + '\n' : renderDoctor(report));
    return 0;
  },
};
