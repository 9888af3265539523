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
execFileSync(bin, ['-i', work, '-e', electronVersion, '-r', '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out], {
  stdio: ['ignore', 'ignore', 'inherit'],
});
const explained = JSON.parse(fs.readFileSync(path.join(root, '.ci/electronegativity-explained.json'), 'utf8'));
const lines = fs.readFileSync(out, 'utf8').trim().split('\n').slice(1);
let unexplained = 0;
for (const line of lines) {
  const [id, severity, confidence, file, location] = line.split(',').map((c) => c.replace(/^"|"$/g, ''));
  const level = severity.trim();
  const note = explained[id];
  const status = level === 'INFORMATIONAL' ? 'info' : note ? 'explained' : 'UNEXPLAINED';
  if (status === 'UNEXPLAINED') unexplained++;
  console.log(
    `${status.padEnd(11)} ${level.padEnd(13)} ${confidence.padEnd(9)} ${id} ${file}:${location}${note ? `\n            ↳ ${note}` : ''}`,
  );
}
fs.rmSync(work, { recursive: true, force: true });
console.log(`electronegativity: ${lines.length} finding(s), ${unexplained} unexplained above informational`);
process.exitCode = unexplained ? 1 : 0;
