import type { Schedule } from '../../main/core/ticker';

/** A schedule tests fire by hand: `tick()` runs every registered task once. */
export class ManualSchedule {
  private readonly tasks = new Set<() => void>();
  readonly schedule: Schedule = (fn) => {
    this.tasks.add(fn);
    return () => this.tasks.delete(fn);
  };
  get size(): number {
    return this.tasks.size;
  }
  tick(): void {
    for (const fn of [...this.tasks]) fn();
  }
}
