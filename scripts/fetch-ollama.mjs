// Fetches the Ollama binaries the packaged app bundles (electron-builder's extraResources), at packaging time.
// Needs network, so CI never runs it. Run on the packaging machine before `npx electron-builder`:
//   node scripts/fetch-ollama.mjs [--version 0.12.6] [--platform linux-x64|linux-arm64|windows-x64|darwin]...
// Each archive is checked against the release's sha256sum.txt before it is unpacked into vendor/ollama/<platform>/.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ASSETS = {
  'linux-x64': 'ollama-linux-amd64.tgz',
  'linux-arm64': 'ollama-linux-arm64.tgz',
  'windows-x64': 'ollama-windows-amd64.zip',
  darwin: 'ollama-darwin.tgz',
};

const { values } = parseArgs({
  options: { version: { type: 'string', default: '0.12.6' }, platform: { type: 'string', multiple: true } },
});
const version = values.version;
const platforms = values.platform?.length ? values.platform : Object.keys(ASSETS);
const base = `https://github.com/ollama/ollama/releases/download/v${version}`;
const root = path.resolve(import.meta.dirname, '..');

async function download(url) {
  const res = await fetch(url, { redirect: 'follow' });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

const sums = new Map(
  (await download(`${base}/sha256sum.txt`))
    .toString('utf8')
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([hash, name]) => [name.replace(/^\*?\.\//, ''), hash]),
);

for (const platform of platforms) {
  const asset = ASSETS[platform];
  if (!asset) throw new Error(`unknown platform ${platform}; known: ${Object.keys(ASSETS).join(', ')}`);
  console.log(`${platform}: downloading ${asset} (${version})`);
  const data = await download(`${base}/${asset}`);
  const actual = createHash('sha256').update(data).digest('hex');
  if (sums.get(asset) !== actual)
    throw new Error(`${asset}: sha256 ${actual} does not match the release's ${sums.get(asset)}`);
  const dest = path.join(root, 'vendor', 'ollama', platform);
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  const archive = path.join(dest, asset);
  fs.writeFileSync(archive, data);
  if (asset.endsWith('.zip')) execFileSync('unzip', ['-q', archive, '-d', dest]);
  else execFileSync('tar', ['-xzf', archive, '-C', dest]);
  fs.rmSync(archive);
  fs.writeFileSync(path.join(dest, 'VERSION'), `${version}\n`);
  console.log(`${platform}: ready in ${path.relative(root, dest)}`);
}
