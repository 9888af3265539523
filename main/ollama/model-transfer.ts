import { engineMessage } from '../../preload/shared/engine-messages';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../core/atomic-file';
import { AppError, errorMessage } from '../core/errors';
import type { ComponentLogger } from '../core/logger';
import { formatBytes } from './disk-space';
import { manifestSegments, requireModelName } from './model-name';
import { displayModelName, parseModelName, type ModelName } from '../../preload/shared/model-name';

/**
 * Offline transfer of models in Ollama's own on-disk layout (what OLLAMA_MODELS holds):
 *   manifests/<host>/<namespace>/<model>/<tag>   JSON: config + layers, each {mediaType, digest, size}
 *   blobs/sha256-<hex>                           content addressed by its sha256
 * An exported folder is itself a valid models directory, so it also works with `OLLAMA_MODELS=<usb>`.
 */
interface ManifestBlob {
  mediaType: string;
  digest: string;
  size: number;
}
interface Manifest {
  schemaVersion: number;
  config: ManifestBlob;
  layers: ManifestBlob[];
}

export interface TransferProgress {
  phase: 'verify' | 'copy' | 'commit';
  bytesDone: number;
  bytesTotal: number;
}

interface TransferResult {
  models: string[];
  /** Bytes copied (blobs already present at the destination are not copied again). */
  bytesCopied: number;
  blobs: number;
}

const DIGEST = /^sha256:([0-9a-f]{64})$/;

function blobFile(dir: string, digest: string): string {
  return path.join(dir, 'blobs', digest.replace(':', '-'));
}

function parseManifest(text: string, where: string): Manifest {
  let m: Manifest;
  try {
    m = JSON.parse(text) as Manifest;
  } catch {
    throw new AppError(
      'bad_request',
      `${where} is not a valid Ollama manifest (not JSON).`,
      {},
      engineMessage('error.manifestNotJson', { file: where }),
    );
  }
  const blobs = [m?.config, ...(Array.isArray(m?.layers) ? m.layers : [null])];
  for (const b of blobs) {
    if (!b || typeof b.digest !== 'string' || !DIGEST.test(b.digest) || !Number.isSafeInteger(b.size) || b.size < 0) {
      throw new AppError(
        'bad_request',
        `${where} is not a valid Ollama manifest (bad config or layer entry).`,
        {},
        engineMessage('error.manifestBadEntry', { file: where }),
      );
    }
  }
  return m;
}

function manifestBlobs(m: Manifest): ManifestBlob[] {
  return [m.config, ...m.layers];
}

/** Copies `src` to `dest` (new file) hashing on the way; throws and removes `dest` if size or digest differ. */
async function copyVerified(
  src: string,
  dest: string,
  blob: ManifestBlob,
  onBytes: (n: number) => void,
): Promise<void> {
  const hash = createHash('sha256');
  let size = 0;
  try {
    await pipeline(
      fs.createReadStream(src),
      new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          size += chunk.length;
          onBytes(chunk.length);
          cb(null, chunk);
        },
      }),
      fs.createWriteStream(dest, { flags: 'wx', mode: 0o644 }),
    );
    const hex = hash.digest('hex');
    if (size !== blob.size || `sha256:${hex}` !== blob.digest) {
      throw new AppError(
        'bad_request',
        `${path.basename(src)} is corrupt or incomplete: expected ${blob.size} bytes with ${blob.digest}, got ${size} bytes with sha256:${hex}.`,
        { file: src },
        engineMessage('error.blobCorrupt', { file: path.basename(src) }),
      );
    }
    const fd = fs.openSync(dest, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    fs.rmSync(dest, { force: true });
    throw err;
  }
}

async function hashFile(file: string): Promise<{ hex: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { hex: hash.digest('hex'), size };
}

function sizeOf(file: string): number | null {
  try {
    const st = fs.statSync(file);
    return st.isFile() ? st.size : null;
  } catch {
    return null;
  }
}

/** Every manifest under `<dir>/manifests/<host>/<namespace>/<model>/<tag>`. */
export function findManifests(dir: string): Array<{ name: ModelName; file: string }> {
  const out: Array<{ name: ModelName; file: string }> = [];
  const root = path.join(dir, 'manifests');
  const ls = (p: string): string[] => {
    try {
      return fs.readdirSync(p).filter((n) => !n.startsWith('.'));
    } catch {
      return [];
    }
  };
  for (const host of ls(root))
    for (const ns of ls(path.join(root, host)))
      for (const model of ls(path.join(root, host, ns)))
        for (const tag of ls(path.join(root, host, ns, model))) {
          const file = path.join(root, host, ns, model, tag);
          const parsed = parseModelName(`${host}/${ns}/${model}:${tag}`);
          if (parsed && fs.statSync(file).isFile()) out.push({ name: parsed, file });
        }
  return out;
}

interface ModelTransferDeps {
  /** The local OLLAMA_MODELS directory. */
  modelsDir: () => string;
  freeBytes?: (dir: string) => Promise<number>;
  logger?: ComponentLogger;
}

/** Export to and import from a folder or USB drive, every blob's sha256 checked. */
export class ModelTransfer {
  constructor(private readonly deps: ModelTransferDeps) {}

  private async ensureSpace(dir: string, bytes: number, what: string): Promise<void> {
    if (!this.deps.freeBytes || bytes === 0) return;
    const free = await this.deps.freeBytes(dir);
    if (free < bytes) {
      throw new AppError(
        'conflict',
        `Not enough disk space to ${what}: it needs ${formatBytes(bytes)}, only ${formatBytes(free)} is free at ${dir}.`,
        { needBytes: bytes, freeBytes: free, dir },
        engineMessage('error.transferNoSpace', { needBytes: bytes, freeBytes: free, dir }),
      );
    }
  }

  /** Copies an installed model's manifest and blobs to `destDir`, in the same layout. */
  async exportModel(
    rawName: string,
    destDir: string,
    onProgress?: (p: TransferProgress) => void,
  ): Promise<TransferResult> {
    const name = requireModelName(rawName);
    const parsed = parseModelName(name)!;
    const modelsDir = this.deps.modelsDir();
    const manifestFile = path.join(modelsDir, ...manifestSegments(parsed));
    let text: string;
    try {
      text = fs.readFileSync(manifestFile, 'utf8');
    } catch {
      throw new AppError(
        'model_not_found',
        `model '${name}' not found in ${modelsDir}`,
        { model: name, modelsDir },
        engineMessage('error.modelNotInFolder', { model: name, dir: modelsDir }),
      );
    }
    const manifest = parseManifest(text, manifestFile);
    const blobs = manifestBlobs(manifest);
    for (const b of blobs) {
      if (sizeOf(blobFile(modelsDir, b.digest)) !== b.size) {
        throw new AppError(
          'bad_request',
          `The installed ${name} is incomplete: ${b.digest} is missing or has the wrong size in ${modelsDir}.`,
          {},
          engineMessage('error.installedIncomplete', { model: name, dir: modelsDir }),
        );
      }
    }
    fs.mkdirSync(path.join(destDir, 'blobs'), { recursive: true });
    // Blobs already at the destination (another model sharing layers) are checked, not copied again.
    const todo: ManifestBlob[] = [];
    for (const b of blobs) {
      const dest = blobFile(destDir, b.digest);
      if (sizeOf(dest) === b.size && `sha256:${(await hashFile(dest)).hex}` === b.digest) continue;
      todo.push(b);
    }
    const total = todo.reduce((n, b) => n + b.size, 0);
    await this.ensureSpace(destDir, total, `export ${name}`);
    let done = 0;
    for (const b of todo) {
      const final = blobFile(destDir, b.digest);
      const tmp = `${path.join(destDir, 'blobs', '.' + path.basename(final))}.${randomBytes(4).toString('hex')}.partial`;
      await copyVerified(blobFile(modelsDir, b.digest), tmp, b, (n) => {
        done += n;
        onProgress?.({ phase: 'copy', bytesDone: done, bytesTotal: total });
      });
      fs.renameSync(tmp, final);
    }
    const destManifest = path.join(destDir, ...manifestSegments(parsed));
    fs.mkdirSync(path.dirname(destManifest), { recursive: true });
    writeFileAtomic(destManifest, text, 0o644);
    onProgress?.({ phase: 'commit', bytesDone: total, bytesTotal: total });
    this.deps.logger?.info('model exported', { model: name, destDir, bytes: total });
    return { models: [name], bytesCopied: total, blobs: blobs.length };
  }

  /**
   * Imports every model found in `srcDir` into the models directory. All blobs are copied under temporary
   * names and their sha256 checked first; only when every one is good are they renamed into place and the
   * manifests (what makes a model visible to Ollama) written, last and atomically. A corrupt or partial
   * folder changes nothing.
   */
  async importDir(
    srcDir: string,
    opts: { overwrite?: boolean; onProgress?: (p: TransferProgress) => void } = {},
  ): Promise<TransferResult> {
    const found = findManifests(srcDir);
    if (found.length === 0) {
      throw new AppError(
        'bad_request',
        `No model found in ${srcDir}: expected Ollama's layout (manifests/registry.ollama.ai/library/<name>/<tag> and blobs/sha256-<hex>).`,
        {},
        engineMessage('error.noModelInFolder', { dir: srcDir }),
      );
    }
    const modelsDir = this.deps.modelsDir();
    const entries = found.map((f) => {
      const text = fs.readFileSync(f.file, 'utf8');
      return { name: displayModelName(f.name), parsed: f.name, text, manifest: parseManifest(text, f.file) };
    });
    const toWrite = entries.filter((e) => {
      const existing = path.join(modelsDir, ...manifestSegments(e.parsed));
      if (!fs.existsSync(existing)) return true;
      if (fs.readFileSync(existing, 'utf8') === e.text) return false;
      if (!opts.overwrite) {
        throw new AppError(
          'conflict',
          `${e.name} is already installed with different contents; import with --force to replace it.`,
          {
            model: e.name,
          },
          engineMessage('error.modelDiffers', { model: e.name }),
        );
      }
      return true;
    });
    const blobs = new Map<string, ManifestBlob>();
    for (const e of toWrite) for (const b of manifestBlobs(e.manifest)) blobs.set(b.digest, b);
    for (const b of blobs.values()) {
      const src = blobFile(srcDir, b.digest);
      const size = sizeOf(src);
      if (size === null)
        throw new AppError(
          'bad_request',
          `The folder is incomplete: ${path.relative(srcDir, src)} is missing.`,
          {},
          engineMessage('error.folderMissingFile', { file: path.relative(srcDir, src) }),
        );
      if (size !== b.size) {
        throw new AppError(
          'bad_request',
          `The folder is incomplete: ${path.relative(srcDir, src)} has ${size} bytes, the manifest says ${b.size}.`,
          {},
          engineMessage('error.folderWrongSize', { file: path.relative(srcDir, src), size, expected: b.size }),
        );
      }
    }
    const todo = [...blobs.values()].filter((b) => sizeOf(blobFile(modelsDir, b.digest)) !== b.size);
    const total = todo.reduce((n, b) => n + b.size, 0);
    fs.mkdirSync(path.join(modelsDir, 'blobs'), { recursive: true });
    await this.ensureSpace(modelsDir, total, 'import');

    const staged: Array<{ tmp: string; final: string }> = [];
    let done = 0;
    try {
      for (const b of todo) {
        const final = blobFile(modelsDir, b.digest);
        const tmp = path.join(
          modelsDir,
          'blobs',
          `.aeris-import-${b.digest.slice(7, 19)}-${randomBytes(4).toString('hex')}.partial`,
        );
        await copyVerified(blobFile(srcDir, b.digest), tmp, b, (n) => {
          done += n;
          opts.onProgress?.({ phase: 'verify', bytesDone: done, bytesTotal: total });
        });
        staged.push({ tmp, final });
      }
    } catch (err) {
      for (const s of staged) fs.rmSync(s.tmp, { force: true });
      this.deps.logger?.warn('import refused', { srcDir, error: errorMessage(err) });
      throw err;
    }
    // Every blob is verified: blobs first (invisible without a manifest), manifests last.
    for (const s of staged) fs.renameSync(s.tmp, s.final);
    for (const e of toWrite) {
      const file = path.join(modelsDir, ...manifestSegments(e.parsed));
      fs.mkdirSync(path.dirname(file), { recursive: true });
      writeFileAtomic(file, e.text, 0o644);
    }
    opts.onProgress?.({ phase: 'commit', bytesDone: total, bytesTotal: total });
    const models = entries.map((e) => e.name);
    this.deps.logger?.info('models imported', { models, srcDir, bytes: total });
    return { models, bytesCopied: total, blobs: blobs.size };
  }
}
