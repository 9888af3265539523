import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import type { BackupInfoDto, LogEntryDto } from '../../../../preload/contract';
import { backup, engineAnswers, HARDWARE, HEALTH_DETAIL, METRICS } from '../../test-support/engine-fixtures';
import { deferred } from '../../test-support/fake-bridge';
import { choose, useFakeBridge } from '../../test-support/render-with-bridge';

const logLine = (message: string, level: LogEntryDto['level'] = 'info'): LogEntryDto => ({
  time: '2026-01-10T11:00:00.000Z',
  level,
  component: 'chat',
  message,
  context: { session: 's1' },
  raw: JSON.stringify({ level, message }),
});

/** Opens the Database card's "Advanced" the way a person does: a click on its summary. */
async function openAdvanced(card: HTMLElement): Promise<HTMLDetailsElement> {
  fireEvent.click(within(card).getByText('Advanced', { selector: 'summary' }));
  await within(card).findByRole('button', { name: 'Checkpoint' });
  return card.querySelector('details')!;
}

async function openDashboard() {
  const { useApp } = await import('../../stores/app-store');
  const { DashboardPage } = await import('./DashboardPage');
  await useApp.getState().init();
  render(<DashboardPage />);
}

describe('dashboard', () => {
  const fake = useFakeBridge(() => ({
    ...engineAnswers(),
    'health.detail': () => HEALTH_DETAIL,
    'hardware.detect': () => HARDWARE,
    'hardware.refresh': () => HARDWARE,
    'metrics.summary': () => METRICS,
    'backups.list': () => ({
      backups: [backup('aeris-backup-1.aerisbak'), backup('aeris-backup-2.aerisbak', { kind: 'scheduled' })],
      damaged: [
        {
          path: '/b/broken.aerisbak',
          name: 'broken.aerisbak',
          sizeBytes: 10,
          reason: 'bad_gzip',
          message: 'not a gzip file',
        },
      ],
      folder: '/data/aeris/backups',
    }),
    'maintenance.size': () => ({
      fileBytes: 4_000_000,
      walBytes: 100_000,
      totalBytes: 4_100_000,
      pageSize: 4096,
      pageCount: 1000,
      freeBytes: 200_000,
    }),
    'logs.query': ({ level }) => ({
      entries: level === 'error' ? [logLine('reply failed', 'error')] : [logLine('reply done'), logLine('tool ran')],
      truncated: false,
    }),
    'backups.verify': ({ file }) =>
      file.endsWith('1.aerisbak')
        ? {
            ok: true,
            file,
            info: backup('aeris-backup-1.aerisbak'),
            checks: ['integrity_check: ok', 'a line from an older engine'],
            checkTexts: [{ id: 'verify.integrity', params: {} }],
          }
        : { ok: false, file, reason: 'checksum', message: 'checksum does not match', info: null, checks: [] },
    'backups.delete': () => ({ deleted: true }),
    'maintenance.integrity': () => ({ ok: true, problems: [] }),
    'maintenance.vacuum': () => ({ beforeBytes: 4_100_000, afterBytes: 3_900_000, ms: 42 }),
    'maintenance.checkpoint': () => ({ busy: false, walFrames: 25, checkpointedFrames: 25 }),
    'maintenance.cleanup': ({ dryRun, days }) => ({
      sessions: 4,
      deleted: dryRun ? 0 : 4,
      cutoff: '2025-12-01T00:00:00.000Z',
      dryRun: dryRun ?? false,
      days,
    }),
  }));

  it('shows each health check with its light, and says how many need attention', async () => {
    await openDashboard();
    const health = await screen.findByRole('region', { name: 'Health' });
    expect(await within(health).findByText('2 things need attention')).toBeTruthy();
    const ollama = health.querySelector('[data-check="ollama"]')!;
    expect(within(ollama as HTMLElement).getByRole('img', { name: 'Problem' })).toBeTruthy();
    expect(ollama.textContent).toContain('not answering');
    expect(within(health).getAllByRole('img', { name: 'Warning' })).toHaveLength(1);
  });

  it('charts activity to scale, fires the alert, and switches to 30 days', async () => {
    await openDashboard();
    const activity = await screen.findByRole('region', { name: 'Activity' });
    expect(await within(activity).findByRole('alert')).toHaveProperty(
      'textContent',
      'Warning: Replies are slow: p95 2.4 s',
    );
    // Bars scale to the busiest hour (30 requests = full height); an empty hour draws no bar.
    const requests = within(activity).getByRole('img', { name: 'Requests chart' });
    const heights = [...requests.querySelectorAll('rect')].map((r) => Number(r.getAttribute('height')));
    expect(heights[3]).toBeCloseTo(60, 5);
    expect(heights[1]).toBeCloseTo((12 / 30) * 60, 5);
    expect(heights[2]).toBe(0);
    expect(requests.querySelector('title')?.textContent).toMatch(/: 4 requests$/);
    // The latency line breaks at the hour without data: two runs, the second a lone point with a stem.
    const latency = within(activity).getByRole('img', { name: 'Latency p95 chart' });
    expect(latency.querySelectorAll('path.db-chart-line')).toHaveLength(1);
    expect(latency.querySelectorAll('line.db-chart-stem')).toHaveLength(1);
    expect(activity.textContent).toContain('get_air_quality');
    expect(activity.textContent).toContain('4.5 messages on average, longest 12.');

    fireEvent.click(within(activity).getByRole('button', { name: '30 days' }));
    await waitFor(() =>
      expect(within(activity).getByRole('button', { name: '30 days' }).getAttribute('aria-pressed')).toBe('true'),
    );
    expect(within(activity).getByRole('img', { name: 'Requests chart' }).querySelectorAll('rect')).toHaveLength(2);
    fireEvent.click(within(activity).getByRole('button', { name: 'Requests: show the detailed chart' }));
    expect(await within(activity).findByRole('button', { name: 'Requests: hide the detailed chart' })).toBeTruthy();
  });

  it('lists backups, verifies them, lists damaged files and deletes after asking', async () => {
    await openDashboard();
    const card = await screen.findByRole('region', { name: 'Backups' });
    const list = await within(card).findByRole('list', { name: 'Backups' });
    const items = within(list).getAllByRole('listitem');
    expect(items).toHaveLength(2);
    expect(items[0]!.textContent).toContain('3 conversations · 12 messages');
    expect(within(items[1]!).getByText('Daily')).toBeTruthy();
    expect(card.textContent).toContain('broken.aerisbak: not a gzip file');

    fireEvent.click(within(items[0]!).getByRole('button', { name: 'Verify' }));
    fireEvent.click(within(items[1]!).getByRole('button', { name: 'Verify' }));
    expect((await within(items[0]!).findByRole('status')).textContent).toContain('Verified');
    // The checks it passed, worded from their ids; a line without one stays as the engine wrote it.
    const passed = within(items[0]!).getByRole('list', { name: 'Checks passed' });
    expect(
      within(passed)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Database integrity check: OK.', 'a line from an older engine']);
    expect((await within(items[1]!).findByRole('status')).textContent).toContain('checksum does not match');

    fireEvent.click(within(card).getByRole('button', { name: 'Delete backup aeris-backup-2.aerisbak' }));
    const ask = await screen.findByRole('alertdialog', { name: 'Delete this backup?' });
    fireEvent.click(within(ask).getByRole('button', { name: 'Delete' }));
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'backups.delete')?.input).toEqual({
        file: '/data/aeris/backups/aeris-backup-2.aerisbak',
      }),
    );
  });

  it('asks for an export folder before exporting a backup', async () => {
    await openDashboard();
    const card = await screen.findByRole('region', { name: 'Backups' });
    const list = await within(card).findByRole('list', { name: 'Backups' });
    fireEvent.click(within(list).getAllByRole('button', { name: 'Export' })[0]!);
    const { useApp } = await import('../../stores/app-store');
    expect(useApp.getState().notices.map((n) => n.text)).toContain(
      'Type the folder to export to first (a USB drive, for example).',
    );
    expect(fake.bridge.count('backups.export')).toBe(0);
  });

  it('previews a clean-up before deleting old conversations, and runs an integrity check', async () => {
    await openDashboard();
    const db = await screen.findByRole('region', { name: 'Saved conversations' });
    fireEvent.input(within(db).getByRole('spinbutton', { name: 'Older than (days)' }), { target: { value: '30' } });
    fireEvent.click(within(db).getByRole('button', { name: 'Clean up…' }));
    const confirm = await within(db).findByRole('button', { name: 'Delete 4' });
    expect(fake.bridge.calls.find((c) => c.name === 'maintenance.cleanup')?.input).toEqual({ days: 30, dryRun: true });
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(fake.bridge.calls.filter((c) => c.name === 'maintenance.cleanup').map((c) => c.input)).toContainEqual({
        days: 30,
      }),
    );
    await openAdvanced(db);
    fireEvent.click(within(db).getByRole('button', { name: 'Integrity check' }));
    expect(await within(db).findByText(/Integrity check passed: the database is sound./)).toBeTruthy();
  });

  it('says the history’s size in plain words, keeps the database terms under a closed Advanced, and frees space', async () => {
    await openDashboard();
    const db = await screen.findByRole('region', { name: 'Saved conversations' });
    expect(await within(db).findByText('Chat history on disk')).toBeTruthy();
    expect(within(db).getByText('Space that can be freed')).toBeTruthy();
    const details = db.querySelector('details')!;
    expect(details.open).toBe(false);
    // Closed: no jargon anywhere in the card, tooltips included.
    const plain = `${db.textContent} ${[...db.querySelectorAll('[title]')].map((e) => e.getAttribute('title')).join(' ')}`;
    for (const term of ['VACUUM', 'Write-ahead', 'Checkpoint', 'Integrity', 'PRAGMA'])
      expect(plain).not.toContain(term);
    expect(within(db).queryByRole('button', { name: 'Checkpoint' })).toBeNull();

    // "Free up space" is the call the VACUUM button made.
    fireEvent.click(within(db).getByRole('button', { name: 'Free up space' }));
    await waitFor(() => expect(fake.bridge.count('maintenance.vacuum')).toBe(1));
    expect(await within(db).findByRole('status')).toHaveProperty(
      'textContent',
      expect.stringMatching(/^Space freed in 42 ms/),
    );

    // Opened: the write-ahead log's size and each technical action, explained, and they still work.
    expect((await openAdvanced(db)).open).toBe(true);
    expect(db.textContent).toContain('Write-ahead log');
    expect(db.textContent).toContain('Recent changes waiting to be written into the main file.');
    expect(db.textContent).toContain('VACUUM');
    fireEvent.click(within(db).getByRole('button', { name: 'Checkpoint' }));
    await waitFor(() => expect(fake.bridge.count('maintenance.checkpoint')).toBe(1));
    expect(await within(db).findByText('Checkpoint done: 25 pages folded into the database.')).toBeTruthy();
  });

  it('reads a log with filters and downloads what is shown', async () => {
    URL.createObjectURL = vi.fn(() => 'blob:log');
    URL.revokeObjectURL = vi.fn();
    const downloads: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      downloads.push(this.download);
    });
    await openDashboard();
    const logs = await screen.findByRole('region', { name: 'Logs' });
    expect(await within(logs).findByText(/reply done/)).toBeTruthy();
    expect(logs.textContent).toContain('{"session":"s1"}');
    choose(within(logs).getByRole('combobox', { name: 'Level' }), 'error');
    expect(await within(logs).findByText(/reply failed/)).toBeTruthy();
    expect(fake.bridge.calls.filter((c) => c.name === 'logs.query').at(-1)?.input).toMatchObject({
      file: 'app',
      level: 'error',
    });
    fireEvent.click(within(logs).getByRole('button', { name: 'Download' }));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatch(/^aeris-app-.*\.log$/);
  });

  it('describes this computer’s hardware', async () => {
    await openDashboard();
    const hw = await screen.findByRole('region', { name: 'This computer' });
    expect(await within(hw).findByText(/RTX 3060/)).toBeTruthy();
    expect(hw.textContent).toContain('driver 550.54');
  });

  it('backs up now with progress, then restores a backup only after the preview is understood', async () => {
    const made = deferred<BackupInfoDto>();
    fake.bridge.handle({
      'backups.create': () => made.promise,
      'backups.preview': ({ file }) => ({
        backup: backup('aeris-backup-1.aerisbak', { path: file }),
        current: { sessions: 5, messages: 30, firstMessageAt: null, lastMessageAt: null },
        blocker: null,
        settingsTrusted: false,
        settingsChanges: [
          { key: 'ollamaHost', current: null, backup: 'http://10.0.0.9:11434', needsConsent: true },
          { key: 'theme', current: 'light', backup: 'dark', needsConsent: false },
        ],
      }),
      'backups.restore': () => ({
        restored: backup('aeris-backup-1.aerisbak'),
        safetyBackup: backup('aeris-backup-safety.aerisbak', { kind: 'safety' }),
        settingsRestored: true,
        settingsApplied: ['theme', 'ollamaHost'],
        settingsKept: [],
      }),
    });
    await openDashboard();
    const card = await screen.findByRole('region', { name: 'Backups' });
    fireEvent.click(within(card).getByRole('button', { name: 'Back up now' }));
    fake.bridge.emit('backups.progress', { op: 'create', phase: 'compress', done: 1, total: 2, fraction: 0.5 });
    const bar = await within(card).findByRole('progressbar', { name: 'Backing up progress' });
    await waitFor(() => expect(bar.getAttribute('aria-valuenow')).toBe('50'));
    expect(card.textContent).toContain('Backing up: compressing… 50%');
    made.resolve(backup('aeris-backup-3.aerisbak', { sessions: 1, messages: 2 }));
    expect(await within(card).findByText('Backed up 1 conversation, 2 messages.')).toBeTruthy();

    const list = within(card).getByRole('list', { name: 'Backups' });
    fireEvent.click(within(list).getAllByRole('button', { name: 'Restore…' })[0]!);
    const ask = await screen.findByRole('dialog', { name: 'Restore this backup?' });
    const compare = within(ask).getByRole('table');
    expect(within(compare).getByRole('row', { name: /Conversations/ }).textContent).toBe('Conversations35');
    expect(ask.textContent).toContain('ollamaHost: (not set) → http://10.0.0.9:11434');
    expect(ask.textContent).toContain('theme: light → dark');
    const restore = within(ask).getByRole('button', { name: 'Restore' });
    expect(restore).toHaveProperty('disabled', true);
    fireEvent.click(within(ask).getByRole('checkbox', { name: /ollamaHost/ }));
    fireEvent.click(within(ask).getByRole('checkbox', { name: /I understand/ }));
    expect(restore).toHaveProperty('disabled', false);
    fireEvent.click(restore);
    await waitFor(() =>
      expect(fake.bridge.calls.find((c) => c.name === 'backups.restore')?.input).toEqual({
        file: '/data/aeris/backups/aeris-backup-1.aerisbak',
        confirm: true,
        acceptSettings: ['ollamaHost'],
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Restore this backup?' })).toBeNull());
  });
});
