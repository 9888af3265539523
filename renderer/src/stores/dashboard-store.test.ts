import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LogEntryDto } from '../../../preload/contract';
import { BridgeError } from '../bridge/http-bridge';
import { deferred, FakeBridge, settle } from '../test-support/fake-bridge';
import { createAppStore } from './app-store';
import { createDashboardStore } from './dashboard-store';

const NOW = Date.UTC(2026, 0, 10, 12);
const entry = (message: string): LogEntryDto => ({
  time: '2026-01-10T11:00:00.000Z',
  level: 'info',
  component: 'chat',
  message,
  raw: message,
});

function setup(handlers: ConstructorParameters<typeof FakeBridge>[0] = {}) {
  const bridge = new FakeBridge({
    'backups.list': () => ({ backups: [], damaged: [], folder: '/backups' }),
    'health.detail': () => ({ status: 'healthy' }) as never,
    'maintenance.size': () => ({ fileBytes: 1 }) as never,
    'sessions.list': () => ({ sessions: [], total: 0 }),
    ...handlers,
  });
  const app = createAppStore({ api: () => bridge, connection: () => null });
  const dash = createDashboardStore({ api: () => bridge, app, now: () => NOW, doneMs: 5000 });
  return { bridge, app, dash };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('dashboard store: backup progress', () => {
  it('moves the bar only forward within one operation, shows the end, then clears it after a while', async () => {
    vi.useFakeTimers();
    const created = deferred<never>();
    const { bridge, dash } = setup({ 'backups.create': () => created.promise });
    dash.getState().init(); // subscribes to backups.progress (the cards it also loads do not matter here)
    const running = dash.getState().backupNow();
    bridge.emit('backups.progress', { op: 'create', phase: 'copying', done: 5, total: 10, fraction: 0.5 });
    bridge.emit('backups.progress', { op: 'create', phase: 'checking', done: 1, total: 4, fraction: 0.3 });
    expect(dash.getState().backupOp).toMatchObject({ op: 'create', fraction: 0.5, phase: 'checking', doneText: null });
    created.resolve({ sessions: 2, messages: 1 } as never);
    await running;
    expect(dash.getState().backupOp).toMatchObject({ fraction: 1, doneText: 'Backed up 2 conversations, 1 message.' });
    // A late progress event does not reopen a finished bar.
    bridge.emit('backups.progress', { op: 'create', phase: 'copying', done: 9, total: 10, fraction: 0.9 });
    expect(dash.getState().backupOp?.fraction).toBe(1);
    vi.advanceTimersByTime(4999);
    expect(dash.getState().backupOp).not.toBeNull();
    vi.advanceTimersByTime(1);
    expect(dash.getState().backupOp).toBeNull();
  });

  it('drops the bar and says why when a backup fails; a failed check removes its spinner', async () => {
    const { app, dash } = setup({
      'backups.create': () => {
        throw new BridgeError('disk_full', 'The disk is full.');
      },
      'backups.verify': () => {
        throw new BridgeError('not_found', 'No such backup.');
      },
    });
    await dash.getState().backupNow();
    expect(dash.getState().backupOp).toBeNull();
    await dash.getState().verify('b1.db');
    expect(dash.getState().verifying).toEqual({});
    expect(app.getState().notices.map((n) => n.text)).toEqual(['The disk is full.', 'No such backup.']);
  });
});

describe('dashboard store: logs', () => {
  it('asks for the chosen range and keeps only the answer to the latest filter', async () => {
    const answers: Array<ReturnType<typeof deferred<{ entries: LogEntryDto[]; truncated: boolean }>>> = [];
    const { bridge, dash } = setup({
      'logs.query': () => {
        const d = deferred<{ entries: LogEntryDto[]; truncated: boolean }>();
        answers.push(d);
        return d.promise;
      },
    });
    dash.getState().setLogFilter({ range: '1h', level: 'warn' });
    dash.getState().setLogFilter({ text: ' kampala ' });
    expect(bridge.calls.filter((c) => c.name === 'logs.query').map((c) => c.input)).toEqual([
      { file: 'app', level: 'warn', text: undefined, since: NOW - 3_600_000, limit: 500 },
      { file: 'app', level: 'warn', text: 'kampala', since: NOW - 3_600_000, limit: 500 },
    ]);
    answers[1]!.resolve({ entries: [entry('newer')], truncated: false });
    answers[0]!.resolve({ entries: [entry('older')], truncated: true });
    await settle();
    expect(dash.getState()).toMatchObject({ logTruncated: false, logLoading: false });
    expect(dash.getState().logEntries.map((e) => e.message)).toEqual(['newer']);
  });

  it('follows the live tail from its cursor, keeping the last thousand lines', async () => {
    let n = 0;
    const { dash } = setup({
      'logs.tail': ({ cursor }) => ({
        entries: cursor ? Array.from({ length: 600 }, () => entry(`line ${n++}`)) : [],
        cursor: { ino: 1, offset: (cursor?.offset ?? 0) + 10 },
      }),
    });
    await dash.getState().setLive(true);
    expect(dash.getState().logCursor).toEqual({ ino: 1, offset: 10 });
    await dash.getState().pollTail();
    await dash.getState().pollTail();
    expect(dash.getState().logCursor).toEqual({ ino: 1, offset: 30 });
    const lines = dash.getState().logEntries;
    expect(lines).toHaveLength(1000);
    expect(lines[0]!.message).toBe('line 200');
    expect(lines.at(-1)!.message).toBe('line 1199');
    await dash.getState().setLive(false);
    await dash.getState().pollTail();
    expect(dash.getState().logEntries).toHaveLength(1000);
  });
});

describe('dashboard store: maintenance', () => {
  it('previews a cleanup, deletes only after confirmation, and reports the outcome', async () => {
    const { bridge, dash } = setup({
      'maintenance.cleanup': ({ dryRun }) =>
        ({
          sessions: 3,
          deleted: dryRun ? 0 : 3,
          cutoff: '2025-10-12',
          dryRun: dryRun ?? false,
        }) as never,
    });
    await dash.getState().previewCleanup(90);
    expect(dash.getState().maintenance).toMatchObject({
      busy: null,
      cleanupPreview: { days: 90, sessions: 3, cutoff: '2025-10-12' },
    });
    expect(bridge.calls.filter((c) => c.name === 'maintenance.cleanup').map((c) => c.input)).toEqual([
      { days: 90, dryRun: true },
    ]);
    await dash.getState().cleanup();
    expect(bridge.calls.filter((c) => c.name === 'maintenance.cleanup').at(-1)?.input).toEqual({ days: 90 });
    expect(dash.getState().maintenance).toMatchObject({
      busy: null,
      cleanupPreview: null,
      result: { ok: true, text: 'Deleted 3 conversations not updated for 90 days.' },
    });
    // Nothing is deleted without a preview to confirm.
    const calls = bridge.count('maintenance.cleanup');
    await dash.getState().cleanup();
    expect(bridge.count('maintenance.cleanup')).toBe(calls);
  });

  it('shows a failed integrity check as a problem, not an error notice', async () => {
    const { app, dash } = setup({
      'maintenance.integrity': () => ({ ok: false, problems: ['page 4 is never used', 'b', 'c', 'd'] }) as never,
    });
    await dash.getState().integrity();
    expect(dash.getState().maintenance.result).toEqual({
      ok: false,
      text: 'Integrity check found problems: page 4 is never used; b; c',
    });
    expect(app.getState().notices).toEqual([]);
  });
});

describe('dashboard store: a read taken before a change never undoes it', () => {
  it('drops the backups and health reads overtaken by a delete: the deleted backup does not come back', async () => {
    const listed = { backups: [{ name: 'old.aerisbak' }], damaged: [], folder: '/backups' } as never;
    const { bridge, dash } = setup();
    // The page opens while the engine is slow: the first backups and health reads are held back.
    const slowList = deferred<never>();
    const slowHealth = deferred<never>();
    bridge.handle({ 'backups.list': () => slowList.promise, 'health.detail': () => slowHealth.promise });
    const reading = Promise.all([dash.getState().refreshBackups(), dash.getState().refreshHealth()]);
    // The backup is deleted meanwhile; the delete's own reads answer at once.
    bridge.handle({
      'backups.delete': () => ({ ok: true }) as never,
      'backups.list': () => ({ backups: [], damaged: [], folder: '/backups' }),
      'health.detail': () => ({ status: 'degraded' }) as never,
    });
    await dash.getState().deleteBackup('old.aerisbak');
    expect(dash.getState().backups).toEqual([]);
    slowList.resolve(listed);
    slowHealth.resolve({ status: 'healthy' } as never);
    await reading;
    expect(dash.getState().backups).toEqual([]);
    expect(dash.getState().health).toMatchObject({ status: 'degraded' });
    expect(dash.getState().healthLoading).toBe(false);
  });
});
