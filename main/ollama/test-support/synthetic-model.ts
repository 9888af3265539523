import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes a model into `modelsDir` in Ollama's on-disk layout: a config blob, `layerSizes` random layer
 * blobs, and `manifests/registry.ollama.ai/library/<model>/<tag>`. `shared` blobs are reused as given.
 */
export function writeSyntheticModel(
  modelsDir: string,
  name: { model: string; tag: string },
  layerSizes: number[] = [64 * 1024, 200 * 1024],
  shared: Buffer[] = [],
): { manifestFile: string; blobs: string[] } {
  fs.mkdirSync(path.join(modelsDir, 'blobs'), { recursive: true });
  const put = (data: Buffer, mediaType: string) => {
    const hex = createHash('sha256').update(data).digest('hex');
    const file = path.join(modelsDir, 'blobs', `sha256-${hex}`);
    fs.writeFileSync(file, data);
    return { mediaType, digest: `sha256:${hex}`, size: data.length, file };
  };
  const config = put(
    Buffer.from(JSON.stringify({ model_format: 'gguf', model_family: 'llama', name: name.model })),
    'application/vnd.docker.container.image.v1+json',
  );
  const layers = [
    ...shared.map((b) => put(b, 'application/vnd.ollama.image.model')),
    ...layerSizes.map((n, i) =>
      put(randomBytes(n), i === 0 ? 'application/vnd.ollama.image.model' : 'application/vnd.ollama.image.params'),
    ),
  ];
  const manifest = {
    schemaVersion: 2,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    config: { mediaType: config.mediaType, digest: config.digest, size: config.size },
    layers: layers.map((l) => ({ mediaType: l.mediaType, digest: l.digest, size: l.size })),
  };
  const manifestFile = path.join(modelsDir, 'manifests', 'registry.ollama.ai', 'library', name.model, name.tag);
  fs.mkdirSync(path.dirname(manifestFile), { recursive: true });
  fs.writeFileSync(manifestFile, JSON.stringify(manifest));
  return { manifestFile, blobs: [config.file, ...layers.map((l) => l.file)] };
}

/** Every file under `dir`, relative, sorted: for "nothing changed" assertions. */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((p) => fs.statSync(path.join(dir, p)).isFile())
    .sort();
}
