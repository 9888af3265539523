// Run by kill-backup.test.ts as a real child process (`node --import tsx`), so the test can `kill -9` it
// in the middle of a backup. Args: <data dir> <store MB> <gzip|none>.
import { systemClock } from '../../../core/clock';
import { BackupService } from '../backup-service';
import { fillStore, growStore, makeDataDir } from './backup-test-kit';

const [root, mb, mode] = process.argv.slice(2);
const { paths, host } = makeDataDir(root!, systemClock);
if (host.store.sessions.list().total === 0) {
  fillStore(host, 5, 5);
  growStore(host, Number(mb), Date.now());
}
process.stdout.write('ready\n');
const service = new BackupService({ host, paths, clock: systemClock });
await service.create({
  compress: mode === 'gzip',
  onProgress: (p) => process.stdout.write(`progress ${p.phase} ${p.done} ${p.total}\n`),
});
process.stdout.write('done\n');
host.current().close();
