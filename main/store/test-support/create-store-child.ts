// Child process for create-store-file.test.ts: opens (and so makes) the store given as argv[2] at the same moment
// as its siblings, then writes one row naming itself.
import { openDatabase } from '../database';

const db = openDatabase(process.argv[2]!);
db.exec('CREATE TABLE IF NOT EXISTS opened_by (pid INTEGER NOT NULL)');
db.prepare('INSERT INTO opened_by (pid) VALUES (?)').run(process.pid);
db.close();
process.stdout.write(`wrote ${process.pid}\n`);
