// Run by kill-backup.test.ts as a real child process (`node --import tsx`), so the test can `kill -9` it
// in the middle of a backup. Args: <data dir> <store MB> <gzip|none> <the phase it will be killed in>.
import { systemClock } from '../../../core/clock';
import { BackupService } from '../backup-service';
import { fillStore, growStore, makeDataDir } from './backup-test-kit';

const [root, mb, mode, killPhase] = process.argv.slice(2);
const { paths, host } = makeDataDir(root!, systemClock);
if (host.store.sessions.list().total === 0) {
  fillStore(host, 5, 5);
  growStore(host, Number(mb), Date.now());
}
process.stdout.write('ready\n');
const service = new BackupService({ host, paths, clock: systemClock });
let told = false;
const pause = new Int32Array(new SharedArrayBuffer(4));
await service.create({
  compress: mode === 'gzip',
  onProgress: (p) => {
    process.stdout.write(`progress ${p.phase} ${p.done} ${p.total}\n`);
    // At the first report of the phase to be killed in, this thread (the one that would name the backup)
    // waits, so the kill lands while the backup is still in that phase, however fast this machine is.
    if (p.phase === killPhase && p.done > 0 && !told) {
      told = true;
      Atomics.wait(pause, 0, 0, 3000);
    }
  },
});
process.stdout.write('done\n');
host.current().close();
