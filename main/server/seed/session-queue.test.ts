import { describe, expect, it } from 'vitest';
import { SeedHttpError } from './fastapi-errors';
import { SessionQueue } from './session-queue';

/** A job that finishes when the test says so. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('SessionQueue', () => {
  it('runs one session’s jobs one at a time, in arrival order; other sessions do not wait', async () => {
    const q = new SessionQueue(8);
    const order: string[] = [];
    const first = gate();
    const a1 = q.run('a', async () => {
      order.push('a1 start');
      await first.opened;
      order.push('a1 end');
    });
    const a2 = q.run('a', async () => void order.push('a2'));
    await q.run('b', async () => void order.push('b1'));
    expect(order).toEqual(['a1 start', 'b1']);
    expect(q.depth('a')).toBe(2);
    first.open();
    await Promise.all([a1, a2]);
    expect(order).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
    expect(q.depth('a')).toBe(0);
  });

  it('a failed job does not block the next; past the bound a 429 says why', async () => {
    const q = new SessionQueue(2);
    const hold = gate();
    const running = q.run('s', () => hold.opened);
    const failing = q.run('s', () => Promise.reject(new Error('boom')));
    const after = q.run('s', async () => 'ran');
    const refused = q.run('s', async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(SeedHttpError);
    await expect(refused).rejects.toMatchObject({ status: 429, message: expect.stringMatching(/Too many messages/) });
    hold.open();
    await running;
    await expect(failing).rejects.toThrow('boom');
    expect(await after).toBe('ran');
  });

  it('jobs without a session run at once', async () => {
    const q = new SessionQueue(0);
    expect(await Promise.all([q.run(undefined, async () => 1), q.run(undefined, async () => 2)])).toEqual([1, 2]);
  });
});
