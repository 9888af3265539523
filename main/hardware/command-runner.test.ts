import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { makeTempDir } from '../../test/helpers/temp-dir';
import { execFileRunner } from './command-runner';

// Real child processes against small shell scripts: what the probes rely on when a tool misbehaves.
describe.skipIf(process.platform === 'win32')('execFileRunner', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let env: NodeJS.ProcessEnv;
  const script = (name: string, body: string): void => {
    const file = path.join(tmp.dir, name);
    fs.writeFileSync(file, `#!/bin/sh\n${body}\n`);
    fs.chmodSync(file, 0o755);
  };

  beforeAll(() => {
    tmp = makeTempDir();
    env = { PATH: `${tmp.dir}:/usr/bin:/bin` };
    script('says-hello', 'echo "hello $1"');
    script('fails', 'echo "Failed to initialize NVML: Driver/library version mismatch"; exit 18');
    script('hangs', 'exec sleep 5');
    script('hangs-with-child', 'sleep 4 & wait');
  });
  afterAll(() => tmp.cleanup());

  it('returns stdout of a command found on env.PATH', async () => {
    const r = await execFileRunner(env).run('says-hello', ['world']);
    expect(r).toMatchObject({ ok: true, exitCode: 0, stdout: 'hello world\n' });
  });

  it('reports a missing binary as "missing"', async () => {
    const r = await execFileRunner(env).run('no-such-tool-xyz', []);
    expect(r).toMatchObject({ ok: false, failure: 'missing', message: 'no-such-tool-xyz not found on PATH' });
  });

  it('reports a non-zero exit with the code and the first line it printed', async () => {
    const r = await execFileRunner(env).run('fails', []);
    expect(r).toMatchObject({ ok: false, failure: 'exit', exitCode: 18 });
    expect(r.message).toBe('fails exited with code 18: Failed to initialize NVML: Driver/library version mismatch');
  });

  it('kills a command that hangs and says it timed out', async () => {
    const t0 = Date.now();
    const r = await execFileRunner(env).run('hangs', [], { timeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, failure: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });

  it('settles even when a grandchild keeps the pipes open after the kill', async () => {
    const t0 = Date.now();
    const r = await execFileRunner(env).run('hangs-with-child', [], { timeoutMs: 200 });
    expect(r).toMatchObject({ ok: false, failure: 'timeout' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
