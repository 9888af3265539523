import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startOllamaEmulator, type OllamaEmulator } from '../e2e/emulators/ollama-emulator';
import { openStore } from '../main/store/store';
import { systemClock } from '../main/core/clock';
import { dataPaths } from '../main/core/paths';
import { buildCli } from './helpers/build-cli';
import { makeTempDir } from './helpers/temp-dir';

describe('kill -9 in the middle of a streamed reply', () => {
  let emulator: OllamaEmulator;
  let tmp: ReturnType<typeof makeTempDir>;
  let cli: string;

  beforeAll(async () => {
    tmp = makeTempDir();
    cli = await buildCli();
    emulator = await startOllamaEmulator();
    emulator.script({ reply: { tokens: Array.from({ length: 400 }, (_, i) => `w${i} `), tokenDelayMs: 15 } });
  });
  afterAll(async () => {
    await emulator.close();
    tmp.cleanup();
  });

  it('loses nothing that was shown, and marks the reply interrupted on the next start', async () => {
    const dataDir = path.join(tmp.dir, 'data');
    const child = spawn(
      process.execPath,
      [
        cli,
        'chat',
        'tell me everything',
        '--model',
        'qwen2.5:3b',
        '--data-dir',
        dataDir,
        '--ollama-host',
        emulator.url,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let shown = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        shown += b.toString();
        if (shown.includes('w40 ')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`chat exited early with ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(shown.length).toBeGreaterThan(0);

    const store = openStore(dataPaths(dataDir).dbFile, systemClock);
    try {
      const { sessions } = store.sessions.list();
      expect(sessions).toHaveLength(1);
      const [user, reply] = store.messages.list(sessions[0]!.id);
      expect(user?.content).toBe('tell me everything');
      expect(reply?.status).toBe('interrupted');
      // Every character the user saw is on disk.
      expect(reply!.content.startsWith(shown)).toBe(true);
      expect(store.messages.search('w40')).toHaveLength(1);
    } finally {
      store.close();
    }
  });
});
