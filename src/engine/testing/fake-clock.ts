// A virtual clock for device tests: callbacks sorted by time (then by scheduling order), run by
// advance() at their own times.
import type { VirtualClock } from '../devices/device.ts';

export class FakeClock implements VirtualClock {
  time = 0;
  private nextHandle = 1;
  private queue: { at: number; handle: number; callback: () => void }[] = [];

  now(): number {
    return this.time;
  }

  schedule(at: number, callback: () => void): number {
    const handle = this.nextHandle++;
    this.queue.push({ at, handle, callback });
    this.queue.sort((a, b) => a.at - b.at || a.handle - b.handle);
    return handle;
  }

  cancel(handle: number): void {
    this.queue = this.queue.filter((entry) => entry.handle !== handle);
  }

  /** Callbacks waiting. */
  get pending(): number {
    return this.queue.length;
  }

  /** Move time forward by `ns`, running every callback that falls due at its own time. */
  advance(ns: number): void {
    const target = this.time + ns;
    for (;;) {
      const first = this.queue[0];
      if (first === undefined || first.at > target) break;
      this.queue.shift();
      this.time = Math.max(this.time, first.at);
      first.callback();
    }
    this.time = target;
  }
}
