// Runs @doyensec/electronegativity over the Electron shell, the preload and the renderer's HTML, and fails
// on any finding above informational that .ci/electronegativity-explained.json does not explain.
// The check that downloads Electron's release list is skipped (no network here); the version is pinned.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aeris-eneg-'));
for (const rel of ['main/electron', 'preload'])
  fs.cpSync(path.join(root, rel), path.join(work, rel), { recursive: true });
fs.copyFileSync(path.join(root, 'renderer/index.html'), path.join(work, 'index.html'));
fs.copyFileSync(path.join(root, 'package.json'), path.join(work, 'package.json'));
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies.electron;
const out = path.join(work, 'report.csv');
const bin = path.join(root, 'node_modules/.bin/electronegativity');

/** One CSV record per line; fields may be quoted and hold commas ("" is a quote). */
function parseCsvLine(line) {
  const fields = [];
  let at = 0;
  while (at <= line.length) {
    if (line[at] === '"') {
      let v = '';
      at++;
      while (at < line.length && !(line[at] === '"' && line[at + 1] !== '"')) {
        v += line[at] === '"' ? (at++, '"') : line[at];
        at++;
      }
      fields.push(v);
      at += 2; // closing quote and comma
    } else {
      const end = line.indexOf(',', at);
      fields.push(line.slice(at, end === -1 ? line.length : end).trim());
      at = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

const SEVERITIES = new Set(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
const wellFormed = (f) => f.length === 8 && /^[A-Z0-9_]+$/.test(f[0]) && SEVERITIES.has(f[1]);

// electronegativity 1.10.3 sometimes writes its CSV with the start of the first record missing (a write
// race in the tool): such a report cannot be trusted either way, so it is made again.
let rows = null;
for (let attempt = 1; attempt <= 5 && !rows; attempt++) {
  fs.rmSync(out, { force: true });
  execFileSync(bin, ['-i', work, '-e', electronVersion, '-r', '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const parsed = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1).map(parseCsvLine);
  if (parsed.every(wellFormed)) rows = parsed;
  else console.log(`electronegativity wrote a garbled report (attempt ${attempt}); running it again`);
}
if (!rows) {
  console.log('electronegativity: no well-formed report in 5 attempts');
  process.exit(1);
}
const explained = JSON.parse(fs.readFileSync(path.join(root, '.ci/electronegativity-explained.json'), 'utf8'));
let unexplained = 0;
for (const [id, level, confidence, file, location] of rows) {
  const note = explained[id];
  const status = level === 'INFORMATIONAL' ? 'info' : note ? 'explained' : 'UNEXPLAINED';
  if (status === 'UNEXPLAINED') unexplained++;
  console.log(
    `${status.padEnd(11)} ${level.padEnd(13)} ${confidence.padEnd(9)} ${id} ${file}:${location}${note ? `\n            ↳ ${note}` : ''}`,
  );
}
fs.rmSync(work, { recursive: true, force: true });
console.log(`electronegativity: ${rows.length} finding(s), ${unexplained} unexplained above informational`);
process.exitCode = unexplained ? 1 : 0;
