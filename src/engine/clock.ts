// Virtual time: a clock in nanoseconds that the machine advances as harts retire instructions
// (deterministic by default), and an ordered queue of timer callbacks devices schedule on it.
import type { VirtualClock } from './devices/device.ts';

interface Timer {
  at: number;
  handle: number;
  callback: () => void;
}

export class TimerQueue implements VirtualClock {
  private time = 0;
  private nextHandle = 1;
  /** Sorted by deadline, then by scheduling order (so equal deadlines fire in a fixed order). */
  private timers: Timer[] = [];

  /**
   * While a hart runs a quantum, time moves on with every instruction it retires; the machine sets
   * this to report that progress, so device registers read mid-quantum (mtime) are exact.
   */
  liveOffset: (() => number) | undefined;

  now(): number {
    return this.liveOffset === undefined ? this.time : this.time + this.liveOffset();
  }

  schedule(at: number, callback: () => void): number {
    const timer = { at: Math.max(at, this.time), handle: this.nextHandle++, callback };
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1].at > timer.at) i--;
    this.timers.splice(i, 0, timer);
    return timer.handle;
  }

  cancel(handle: number): void {
    const i = this.timers.findIndex((t) => t.handle === handle);
    if (i >= 0) this.timers.splice(i, 1);
  }

  /** Deadline of the earliest timer, or Infinity. */
  nextDeadline(): number {
    return this.timers.length > 0 ? this.timers[0].at : Infinity;
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Move time forward to `to` (never backwards), firing every timer due by then, in order. */
  advanceTo(to: number): void {
    while (this.timers.length > 0 && this.timers[0].at <= to) {
      const timer = this.timers.shift()!;
      this.time = Math.max(this.time, timer.at);
      timer.callback();
    }
    this.time = Math.max(this.time, to);
  }

  /** Set the time and drop every timer (restoring a snapshot; devices re-arm in postLoad). Handles keep counting, so old ones never match new timers. */
  restore(time: number): void {
    this.time = time;
    this.timers = [];
  }

  /** Back to time 0 with no timers (system reset; devices re-arm in their reset). */
  reset(): void {
    this.time = 0;
    this.timers = [];
  }
}
