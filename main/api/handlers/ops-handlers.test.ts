import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackupProgressDto } from '../../../preload/contract';
import { engineFixture, type EngineFixture } from '../../../test/helpers/engine-fixture';
import { makeTempDir } from '../../../test/helpers/temp-dir';
import { dispatch } from '../dispatch';
import { createHandlers, type Handlers } from '../handlers';

describe('ops handlers (dashboard calls)', () => {
  let f: EngineFixture;
  let h: Handlers;
  // Test-only: results are checked field by field.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = (name: string, input: unknown = {}): Promise<any> => dispatch(h, name, input);

  beforeEach(async () => {
    f = await engineFixture();
    h = createHandlers(f.engine, 'serve');
  });
  afterEach(async () => {
    await f.close();
  });

  it('health.detail: the checks, the data dir and the Ollama engine state', async () => {
    const d = await call('health.detail');
    expect(d.status).toBe('healthy');
    expect(d.dataDir).toBe(f.dataDir);
    expect(d.engine).toMatchObject({ state: expect.any(String), restarts: 0 });
    expect(d.checks.length).toBeGreaterThanOrEqual(8);
  });

  it('backups: create with progress events, list, verify, preview, restore (confirmed), export, import, delete', async () => {
    const s = f.engine.store.sessions.create({ title: 'Kampala PM2.5' });
    f.engine.store.messages.insert({ sessionId: s.id, role: 'user', content: 'hello' });
    const events: BackupProgressDto[] = [];
    f.engine.events.on('backups.progress', (p) => events.push(p));

    const info = await call('backups.create');
    expect(info).toMatchObject({ sessions: 1, messages: 1, kind: 'manual' });
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((e) => e.op === 'create')).toBe(true);
    const fractions = events.map((e) => e.fraction);
    expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
    expect(fractions.at(-1)).toBe(1);

    const list = await call('backups.list');
    expect(list.backups.map((b: { name: string }) => b.name)).toEqual([info.name]);
    expect(list.folder).toBe(path.join(f.dataDir, 'backups'));
    const health = await call('health.detail');
    expect(health.checks.find((c: { id: string }) => c.id === 'backup').status).toBe('ok');

    expect(await call('backups.verify', { file: info.name })).toMatchObject({ ok: true });

    f.engine.store.sessions.create({ title: 'After the backup' });
    const preview = await call('backups.preview', { file: info.name });
    expect(preview).toMatchObject({ backup: { sessions: 1 }, current: { sessions: 2, messages: 1 }, blocker: null });

    await expect(call('backups.restore', { file: info.name })).rejects.toThrow(/confirm/);
    const restored = await call('backups.restore', { file: info.name, confirm: true });
    expect(restored.restored.sessions).toBe(1);
    expect(restored.safetyBackup.kind).toBe('safety');
    expect(f.engine.store.sessions.list(10, 0).total).toBe(1);

    const usb = makeTempDir();
    // Serve mode writes and reads outside backups/ only in the export folder chosen in Settings.
    f.engine.settings.update({ exportFolder: usb.dir });
    try {
      const { path: exported } = await call('backups.export', { file: info.name, folder: usb.dir });
      expect(fs.existsSync(exported)).toBe(true);
      await call('backups.delete', { file: info.name });
      const imported = await call('backups.import', { file: exported });
      expect(imported.sessions).toBe(1);
      fs.writeFileSync(path.join(usb.dir, 'junk.aqbak'), 'not a backup');
      await expect(call('backups.import', { file: path.join(usb.dir, 'junk.aqbak') })).rejects.toMatchObject({
        details: { reason: expect.any(String) },
      });
    } finally {
      usb.cleanup();
    }
  });

  it('backups: the preview lists the settings a restore would change; the Ollama host changes only when ticked', async () => {
    f.engine.settings.update({ ollamaHost: 'http://10.0.0.5:11434', theme: 'dark' });
    const info = await call('backups.create');
    f.engine.settings.update({ ollamaHost: 'http://127.0.0.1:11434', theme: 'light' });

    const preview = await call('backups.preview', { file: info.name });
    expect(preview.settingsTrusted).toBe(true);
    expect(preview.settingsChanges).toEqual(
      expect.arrayContaining([
        { key: 'ollamaHost', current: 'http://127.0.0.1:11434', backup: 'http://10.0.0.5:11434', needsConsent: true },
        { key: 'theme', current: 'light', backup: 'dark', needsConsent: false },
      ]),
    );

    const kept = await call('backups.restore', { file: info.name, confirm: true });
    expect(kept).toMatchObject({ settingsApplied: ['theme'], settingsKept: ['ollamaHost'] });
    expect(f.engine.settings.get()).toMatchObject({ ollamaHost: 'http://127.0.0.1:11434', theme: 'dark' });

    const taken = await call('backups.restore', { file: info.name, confirm: true, acceptSettings: ['ollamaHost'] });
    expect(taken.settingsApplied).toContain('ollamaHost');
    expect(f.engine.settings.get().ollamaHost).toBe('http://10.0.0.5:11434');
  });

  it('maintenance: a dry run counts what a cleanup would delete; then the cleanup, size, integrity, checkpoint, vacuum', async () => {
    const old = f.engine.store.sessions.create({ title: 'old' });
    f.engine.store.db
      .prepare('UPDATE sessions SET updated_at = ? WHERE id = ?')
      .run(Date.now() - 40 * 86_400_000, old.id);
    f.engine.store.sessions.create({ title: 'new' });
    expect(await call('maintenance.cleanup', { days: 30, dryRun: true })).toMatchObject({
      sessions: 1,
      deleted: 0,
      dryRun: true,
    });
    expect(f.engine.store.sessions.list(10, 0).total).toBe(2);
    expect(await call('maintenance.cleanup', { days: 30 })).toMatchObject({ sessions: 1, deleted: 1, dryRun: false });
    await expect(call('maintenance.cleanup', { days: 0 })).rejects.toThrow(/Invalid input/);
    expect((await call('maintenance.size')).totalBytes).toBeGreaterThan(0);
    expect(await call('maintenance.integrity', {})).toEqual({ ok: true, problems: [] });
    expect(await call('maintenance.checkpoint')).toMatchObject({ busy: false });
    expect(await call('maintenance.vacuum')).toMatchObject({ beforeBytes: expect.any(Number) });
  });

  it('logs: query by level and text, then tail new lines with a cursor', async () => {
    const logs = path.join(f.dataDir, 'logs');
    const line = (level: string, message: string) =>
      JSON.stringify({ time: new Date().toISOString(), level, component: 'test', message }) + '\n';
    fs.writeFileSync(
      path.join(logs, 'app.log'),
      line('info', 'engine started') + line('error', 'WAQI failed') + line('warn', 'slow WAQI'),
    );
    const q = await call('logs.query', { file: 'app', level: 'warn', text: 'waqi' });
    expect(q.entries.map((e: { message: string }) => e.message)).toEqual(['WAQI failed', 'slow WAQI']);
    expect(q.truncated).toBe(false);
    expect((await call('logs.query', { file: 'app', limit: 1 })).truncated).toBe(true);

    const first = await call('logs.tail', { file: 'app' });
    expect(first.entries).toEqual([]);
    fs.appendFileSync(path.join(logs, 'app.log'), line('info', 'new one') + line('debug', 'noise') + '{"half');
    const next = await call('logs.tail', { file: 'app', level: 'info', cursor: first.cursor });
    expect(next.entries.map((e: { message: string }) => e.message)).toEqual(['new one']);
    fs.appendFileSync(path.join(logs, 'app.log'), '"}\n');
    const after = await call('logs.tail', { file: 'app', cursor: next.cursor });
    expect(after.entries).toHaveLength(1);
    // Rotated away: the new file is read from its start.
    fs.renameSync(path.join(logs, 'app.log'), path.join(logs, 'app.log.20260101'));
    fs.writeFileSync(path.join(logs, 'app.log'), line('info', 'fresh file'));
    const rotated = await call('logs.tail', { file: 'app', cursor: after.cursor });
    expect(rotated.entries.map((e: { message: string }) => e.message)).toContain('fresh file');
  });

  it('metrics.summary: 24 hourly and 30 daily points, calls counted by the instrumented handlers', async () => {
    await call('sessions.list');
    await call('sessions.list');
    const s = await call('metrics.summary');
    expect(s.hourly).toHaveLength(24);
    expect(s.daily).toHaveLength(30);
    expect(s.last24h.requests).toBe(2);
    expect(s.alerts.map((a: { id: string }) => a.id)).toEqual(['error_rate', 'latency_p95']);
  });

  it('hardware.detect: the machine and the first picks with reasons', async () => {
    const hw = await call('hardware.detect');
    expect(hw.ram.totalBytes).toBeGreaterThan(0);
    expect(hw.cpu.cores).toBeGreaterThan(0);
    expect(Array.isArray(hw.gpus)).toBe(true);
    expect(hw.recommendations.length).toBeGreaterThan(0);
    expect(hw.recommendations.length).toBeLessThanOrEqual(5);
    expect(hw.recommendations[0].reason.length).toBeGreaterThan(5);
  }, 30_000);
});
