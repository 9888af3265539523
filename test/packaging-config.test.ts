import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
// electron-builder's own loader and schema validator, so this test fails exactly when packaging would.
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  getConfig(dir: string, file: string | null, extra: unknown): Promise<Record<string, unknown>>;
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

type Resource = { from: string; to: string };

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validator really rejects a broken config', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    await expect(validateConfiguration({ ...config, asarUnpackk: true }, new DebugLogger(false))).rejects.toThrow(
      /asarUnpackk/,
    );
  });

  it('names files that exist, or that scripts/fetch-ollama.mjs creates', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    const fetchScript = fs.readFileSync(path.join(root, 'scripts/fetch-ollama.mjs'), 'utf8');
    const resources: Resource[] = [
      ...(config.extraResources as Resource[]),
      ...(['linux', 'win', 'mac'] as const).flatMap(
        (p) => (config[p] as { extraResources?: Resource[] }).extraResources ?? [],
      ),
    ];
    expect(resources.length).toBeGreaterThan(3);
    for (const r of resources) {
      if (r.from.startsWith('vendor/ollama/')) {
        // fetched at packaging time: the script must produce this folder
        const platform = r.from.slice('vendor/ollama/'.length).replace('${arch}', 'x64');
        expect(fetchScript).toMatch(new RegExp(`['"]?${platform}['"]?\\s*:\\s*'ollama-`));
        expect(r.to).toBe('ollama');
      } else {
        expect(fs.existsSync(path.join(root, r.from)), r.from).toBe(true);
      }
    }
    for (const icon of ['resources/icons/icon.png', 'resources/icons/512x512.png', 'resources/icons/256x256.png']) {
      expect(fs.existsSync(path.join(root, icon)), icon).toBe(true);
    }
  });

  it('unpacks the native module, burns the fuses, and packs what the build produces', async () => {
    const config = await getConfig(root, path.join(root, 'electron-builder.yml'), null);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    const build = fs.readFileSync(path.join(root, 'scripts/build.mjs'), 'utf8');
    expect(build).toContain(`outfile: '${pkg.main}'`);
    expect(build).toContain("outfile: 'dist/preload/index.cjs'");
    expect(config.linux).toMatchObject({ target: ['AppImage', 'deb'] });
    expect(config.win).toMatchObject({ target: ['nsis'] });
    expect(config.mac).toMatchObject({ target: ['dmg'] });
  });
});
