import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { engineFixture, type EngineFixture } from '../../test/helpers/engine-fixture';
import type { ChatEvent } from './chat-events';

/**
 * A reply whose disk fills mid-stream. SQLite's page cap (max_page_count) fails the next write with the
 * same SQLITE_FULL a full disk gives, so the whole engine path runs as in the field, on any machine.
 */
describe('a chat reply when the disk fills', () => {
  let f: EngineFixture;
  beforeEach(async () => {
    f = await engineFixture();
  });
  afterEach(async () => {
    await f.close();
  });

  const fillDisk = () =>
    f.engine.store.db.pragma(`max_page_count = ${f.engine.store.db.pragma('page_count', { simple: true }) as number}`);
  const freeDisk = () => f.engine.store.db.pragma('max_page_count = 1073741823');

  it('ends with a "disk full" error event, keeps what was shown, says so in health, and recovers', async () => {
    const first = await f.engine.chat.send({ message: 'first question', model: 'qwen2.5:3b' });
    await first.done;
    f.emulator.script({
      match: 'long report',
      reply: { tokens: Array.from({ length: 800 }, (_, i) => `word${i} `), tokenDelayMs: 1 },
    });

    const h = await f.engine.chat.send({ sessionId: first.sessionId, message: 'a long report', model: 'qwen2.5:3b' });
    const events: ChatEvent[] = [];
    h.subscribe((e) => {
      events.push(e);
      if (e.type === 'token' && e.offset === 0) fillDisk();
    });
    await expect(h.done).rejects.toMatchObject({ code: 'disk_full' });
    const last = events.at(-1)!;
    expect(last.type).toBe('error');
    if (last.type !== 'error') return;
    expect(last.error.code).toBe('disk_full');
    expect(last.error.message).toMatch(/^The disk is full: .* Free some space/);
    expect(last.error.message).toContain(f.dataDir);
    const shown = events.map((e) => (e.type === 'token' ? e.text : '')).join('');
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).not.toContain('word799');

    // Its final status is written when SQLite can; when even that needs a page, it waits for the next
    // message (or the next start's recovery), and the row keeps its text meanwhile.
    const cut = f.engine.store.messages.get(h.assistantMessageId)!;
    expect(['error', 'streaming']).toContain(cut.status);
    expect(cut.content).toBe(shown);

    // The process goes on; health names the disk and what to free.
    const report = await f.engine.health.check();
    expect(report.status).toBe('degraded');
    const disk = report.checks.find((c) => c.id === 'disk')!;
    expect(disk.status).toBe('fail');
    expect(disk.reason).toMatch(/^Disk full: [\d.]+ (MB|GB)? ?.*free on .+; free at least [\d.]+ MB\./);
    expect(disk.reason).toContain(f.dataDir);
    expect(disk.reason).toContain('Saving the chat reply failed just now.');

    // A new message while still full is refused in words, and nothing half-written stays.
    await expect(f.engine.chat.send({ sessionId: first.sessionId, message: 'x'.repeat(20_000) })).rejects.toMatchObject(
      { code: 'disk_full' },
    );

    // Room again: the next message works, and the cut reply is final with exactly the text shown.
    freeDisk();
    const next = await f.engine.chat.send({ sessionId: first.sessionId, message: 'after cleanup' });
    await expect(next.done).resolves.toMatchObject({ status: 'complete' });
    const rows = f.engine.store.messages.list(first.sessionId);
    expect(rows.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
      ['user', 'complete'],
      ['assistant', 'error'],
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(rows[3]!.content).toBe(shown);
    expect(rows[3]!.error).toMatch(/disk is full/i);
    const after = await f.engine.health.check();
    expect(after.checks.find((c) => c.id === 'disk')!.status).not.toBe('fail');
    expect(after.status).toBe('healthy');
  });
});
