import http from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOpenAiEmulator, type OpenAiCompatibleEmulator } from '../../../e2e/emulators/openai-compatible-emulator';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { runCli } from '../run-cli';

const MODEL = 'Qwen/Qwen2.5-7B-Instruct';

describe('aeris chat --provider openai-compatible --base-url URL', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let emu: OpenAiCompatibleEmulator;
  let deadOllama: string;
  beforeEach(async () => {
    tmp = makeTempDir();
    emu = await startOpenAiEmulator({ models: [MODEL] });
    // Ollama is nowhere: the answer must come from the server named on the command line.
    const s = http.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    deadOllama = `http://127.0.0.1:${(s.address() as { port: number }).port}`;
    await new Promise<void>((r) => s.close(() => r()));
  });
  afterEach(async () => {
    await emu.close();
    tmp.cleanup();
  });

  it('answers from the named server and says who answered', async () => {
    emu.script({ match: 'air', reply: { content: 'Good air on the server.' } });
    let stdout = '';
    let stderr = '';
    const code = await runCli(
      [
        'chat',
        '--provider',
        'openai-compatible',
        '--base-url',
        emu.baseUrl,
        '--model',
        MODEL,
        'How is the air?',
        '--data-dir',
        tmp.dir,
        '--ollama-host',
        deadOllama,
      ],
      {
        io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false },
        env: {},
        rendererDir: tmp.dir,
      },
    );
    expect(stderr).toMatch(new RegExp(`openai-compatible · ${MODEL.replace(/[/.]/g, '\\$&')} · complete`));
    expect(code).toBe(0);
    expect(stdout).toBe('Good air on the server.\n');
    expect(emu.requests.filter((r) => r.path === '/v1/chat/completions')).toHaveLength(1);
  });
});
