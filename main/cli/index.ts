import path from 'node:path';
import { runCli } from './run-cli';

// Entry of the `aeris` bin (bundled to dist/cli-bundle.cjs, which dist/cli.cjs loads with a code cache; the renderer is
// built beside it).
const rendererDir = path.join(__dirname, 'renderer');
runCli(process.argv.slice(2), {
  io: {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stdout.isTTY),
  },
  rendererDir,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`fatal: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
