// The layer picture: production modules of main/ and preload/ collapsed to their folders, as text
// (printed, one "from → to" per line) and as Graphviz dot (.tmp/layers.dot; `dot -Tsvg` draws it).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = path.join(root, 'node_modules/.bin/depcruise');
const args = [
  'main',
  'preload',
  '--config',
  '.dependency-cruiser.cjs',
  '--include-only',
  '^(main|preload)/',
  '--exclude',
  '(\\.test\\.tsx?$|/test-support/|test-kit|/fixtures/|/test-fixtures)',
  '--collapse',
  '^(main/[^/]+|preload/[^/]+)',
];
const run = (type) => execFileSync(bin, [...args, '--output-type', type], { cwd: root, encoding: 'utf8' });

fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
fs.writeFileSync(path.join(root, '.tmp/layers.dot'), run('dot'));
const lines = [...new Set(run('text').split('\n').filter(Boolean))].sort();
process.stdout.write(lines.join('\n') + '\n');
console.error('(dot graph written to .tmp/layers.dot)');
