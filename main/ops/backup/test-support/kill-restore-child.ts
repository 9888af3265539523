// Run by kill-restore.test.ts as a real child process (`node --import tsx`), so the test can `kill -9` it in
// the middle of a restore. Args: <data dir> <backup file> <swap step to stop at, or "extract">. At that step
// it says so and waits (blocked, as a process stuck in a rename would be) to be killed.
import fs from 'node:fs';
import { systemClock } from '../../../core/clock';
import { BackupService } from '../backup-service';
import { makeDataDir } from './backup-test-kit';

const [root, file, stopAt] = process.argv.slice(2);
const { paths, host } = makeDataDir(root!, systemClock);
const say = (line: string) => fs.writeSync(1, `${line}\n`);
const stop = (step: string) => {
  say(`at ${step}`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until SIGKILL
};
const service = new BackupService({
  host,
  paths,
  clock: systemClock,
  onSwapStep: (step) => {
    if (step === stopAt) stop(step);
  },
});
say('ready');
await service.restore(file!, {
  onProgress: (p) => {
    if (p.phase === 'extract' && p.done > 0 && stopAt === 'extract') stop('extract');
  },
});
say('done');
host.close();
