import path from 'node:path';
import type { CliCommand, CliContext } from '../cli-types';
import { UsageError } from '../cli-types';
import { parseCommandArgs } from '../parse-command-args';
import { formatBytes } from '../../ollama/disk-space';
import { createModelServices, type ModelServices } from '../../ollama/model-services';
import type { PullSnapshot } from '../../ollama/pull-manager';
import type { TransferProgress } from '../../ollama/model-transfer';

const USAGE = `Usage:
  aeris models list [--json]
  aeris models pull NAME
  aeris models rm NAME
  aeris models show NAME [--json]
  aeris models export NAME DIR [--models-dir DIR]
  aeris models import DIR [--force] [--models-dir DIR]

export/import work on the local models folder (OLLAMA_MODELS, else ~/.ollama/models) in Ollama's own layout,
checking every blob's sha256. Failures exit 1 with Ollama's own reason.`;

/** The engine's own model services; a separate set only for a `--models-dir` other than Ollama's. */
function services(ctx: CliContext, modelsDir?: string): ModelServices {
  const engine = ctx.engine();
  if (!modelsDir) return engine.models;
  return createModelServices({
    gateway: engine.ollama,
    settings: engine.settings,
    paths: engine.paths,
    clock: engine.clock,
    env: ctx.env,
    logger: engine.logger,
    modelsDir: () => path.resolve(modelsDir),
  });
}

function bar(fraction: number, width = 24): string {
  const full = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

function eta(seconds: number | null): string {
  if (seconds === null) return '';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`;
}

/** One line per update on a terminal (redrawn in place); on a pipe, a line per status change or 10 %. */
function pullPrinter(ctx: CliContext): { update(s: PullSnapshot): void; end(): void } {
  let lastKey = '';
  let drawn = false;
  return {
    update(s) {
      // Queued has nothing to draw; off a terminal the final state is printed by the caller alone.
      if (s.state === 'queued') return;
      const pct = s.percent ?? 0;
      if (ctx.io.isTTY) {
        if (s.state !== 'pulling' && s.state !== 'success') return;
        const sizes = s.totalBytes ? `${formatBytes(s.completedBytes)}/${formatBytes(s.totalBytes)}` : '';
        const speed = s.bytesPerSecond ? `${formatBytes(s.bytesPerSecond)}/s` : '';
        const line = `${s.status.padEnd(24).slice(0, 24)} ${bar(pct / 100)} ${pct.toFixed(0).padStart(3)}% ${sizes} ${speed} ${eta(s.etaSeconds)}`;
        ctx.io.stdout(`\r${line.trimEnd()}\x1b[K`);
        drawn = true;
        return;
      }
      if (s.state !== 'pulling') return;
      const status = s.status.startsWith('pulling ') && s.status !== 'pulling manifest' ? 'pulling' : s.status;
      const key = `${status}|${Math.floor(pct / 10)}`;
      if (key === lastKey || !s.status) return;
      lastKey = key;
      ctx.io.stdout(
        s.totalBytes
          ? `${s.status} ${pct.toFixed(0)}% (${formatBytes(s.completedBytes)}/${formatBytes(s.totalBytes)})\n`
          : `${s.status}\n`,
      );
    },
    end() {
      if (drawn) ctx.io.stdout('\n');
    },
  };
}

function transferPrinter(ctx: CliContext, verb: string): (p: TransferProgress) => void {
  let lastTenth = -1;
  return (p) => {
    const f = p.bytesTotal ? p.bytesDone / p.bytesTotal : 1;
    if (ctx.io.isTTY) {
      ctx.io.stdout(
        `\r${verb} ${bar(f)} ${(f * 100).toFixed(0).padStart(3)}% ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}\x1b[K`,
      );
      if (p.phase === 'commit') ctx.io.stdout('\n');
      return;
    }
    const tenth = Math.floor(f * 10);
    if (tenth !== lastTenth && p.phase !== 'commit') {
      lastTenth = tenth;
      ctx.io.stdout(`${verb} ${tenth * 10}%\n`);
    }
  };
}

function pct(share: number | null): string {
  if (share === null) return '';
  const gpu = Math.round(share * 100);
  return gpu >= 100 ? '100% GPU' : gpu <= 0 ? '100% CPU' : `${gpu}% GPU`;
}

async function list(ctx: CliContext, argv: string[]): Promise<number> {
  const { values } = parseCommandArgs({ args: argv, options: { json: { type: 'boolean' } }, allowPositionals: false });
  const svc = services(ctx);
  const result = await svc.models.list();
  const unfinished = svc.pulls.resumable();
  if (values.json) {
    ctx.io.stdout(JSON.stringify({ ...result, unfinishedPulls: unfinished }, null, 2) + '\n');
    return 0;
  }
  const rows = [
    ['NAME', 'SIZE', 'FAMILY', 'PARAMS', 'QUANT', 'CAPABILITIES', 'LOADED'],
    ...result.models.map((m) => [
      m.name + (result.defaultModel === m.name ? ' *' : ''),
      formatBytes(m.sizeBytes),
      m.family,
      m.parameterSize,
      m.quantization,
      m.capabilities.join(','),
      pct(m.gpuShare),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    ctx.io.stdout(
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd() + '\n',
    );
  ctx.io.stdout(
    `\n${result.models.length} model(s), ${formatBytes(result.totalBytes)}${result.defaultModel ? ` · default ${result.defaultModel} (*)` : ''}\n`,
  );
  for (const u of unfinished) {
    ctx.io.stdout(
      `unfinished download: ${u.name}${u.percent !== null ? ` (${u.percent}%)` : ''} — resume with \`aeris models pull ${u.name}\`\n`,
    );
  }
  return 0;
}

async function pull(ctx: CliContext, argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs({ args: argv, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('pull needs exactly one model NAME.');
  const { pulls } = services(ctx);
  const printer = pullPrinter(ctx);
  const started = await pulls.pull(positionals[0]!);
  const off = pulls.onUpdate((s) => s.name === started.name && printer.update(s));
  // Ctrl-C cancels the request; the partial download stays for a later resume.
  const onSigint = (): void => void pulls.cancel(started.name);
  process.once('SIGINT', onSigint);
  try {
    const final = await pulls.wait(started.name);
    printer.end();
    if (final.state === 'success') {
      ctx.io.stdout(`success: ${final.name} is installed\n`);
      return 0;
    }
    if (final.state === 'cancelled') {
      ctx.io.stderr(`cancelled: run \`aeris models pull ${final.name}\` again to resume\n`);
      return 130;
    }
    ctx.io.stderr(`error: ${final.error ?? final.state}\n`);
    if (final.resumable) ctx.io.stderr(`(the download can be resumed: \`aeris models pull ${final.name}\`)\n`);
    return 1;
  } finally {
    off();
    process.removeListener('SIGINT', onSigint);
  }
}

async function rm(ctx: CliContext, argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs({ args: argv, options: {}, allowPositionals: true });
  if (positionals.length !== 1) throw new UsageError('rm needs exactly one model NAME.');
  await services(ctx).models.delete(positionals[0]!);
  ctx.io.stdout(`deleted ${positionals[0]}\n`);
  return 0;
}

async function show(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('show needs exactly one model NAME.');
  const d = await services(ctx).models.show(positionals[0]!);
  if (values.json) {
    ctx.io.stdout(JSON.stringify(d, null, 2) + '\n');
    return 0;
  }
  ctx.io.stdout(
    [
      d.name,
      `  family        ${d.family}`,
      `  parameters    ${d.parameterSize}${d.parameterCount ? ` (${d.parameterCount.toLocaleString('en')})` : ''}`,
      `  quantization  ${d.quantization}`,
      `  context       ${d.contextLength ?? '?'}`,
      `  capabilities  ${d.capabilities.join(', ')}`,
      `  modified      ${d.modifiedAt}`,
    ].join('\n') + '\n',
  );
  return 0;
}

async function exportModel(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: { 'models-dir': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 2) throw new UsageError('export needs a model NAME and a destination DIR.');
  const [name, dir] = positionals as [string, string];
  const r = await services(ctx, values['models-dir']).transfer.exportModel(
    name,
    path.resolve(dir),
    transferPrinter(ctx, 'exporting'),
  );
  ctx.io.stdout(
    `exported ${r.models.join(', ')} to ${path.resolve(dir)} (${r.blobs} blobs, ${formatBytes(r.bytesCopied)} copied, sha256 checked)\n`,
  );
  return 0;
}

async function importDir(ctx: CliContext, argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args: argv,
    options: { force: { type: 'boolean' }, 'models-dir': { type: 'string' } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) throw new UsageError('import needs one source DIR.');
  const svc = services(ctx, values['models-dir']);
  const r = await svc.transfer.importDir(path.resolve(positionals[0]!), {
    overwrite: values.force,
    onProgress: transferPrinter(ctx, 'importing'),
  });
  ctx.engine().ollama.invalidate();
  ctx.io.stdout(
    `imported ${r.models.join(', ')} (${r.blobs} blobs, ${formatBytes(r.bytesCopied)} copied, every sha256 verified)\n`,
  );
  return 0;
}

const SUB: Record<string, (ctx: CliContext, argv: string[]) => Promise<number>> = {
  list,
  ls: list,
  pull,
  rm,
  delete: rm,
  show,
  export: exportModel,
  import: importDir,
};

export const modelsCommand: CliCommand = {
  name: 'models',
  summary: 'List, pull, delete, show, export and import Ollama models',
  usage: USAGE,
  async run(argv, ctx) {
    const [sub, ...rest] = argv;
    const fn = sub ? SUB[sub] : undefined;
    if (!fn) throw new UsageError(sub ? `Unknown models subcommand "${sub}".` : 'A subcommand is required.');
    return fn(ctx, rest);
  },
};
