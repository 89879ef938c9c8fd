// A down-counter in virtual time, as the CMSDK APB timer and each half of the dual timer count
// (QEMU drives both with a ptimer whose policies are: the counter goes from 1 to 0 and triggers;
// it holds 0 for one tick, then reloads from the limit; setting the count to 0 never triggers;
// with a limit of 0, or in one-shot mode, it stops at 0).
//
// Nothing counts tick by tick: the counter keeps the count it had at a start time, and the value
// at any later time follows from the ticks elapsed since. The one clock callback armed is the next
// 1 → 0 transition. The whole state lives in a Float64Array so a device can save it as one field.

import type { VirtualClock } from './device.ts';

// Slots of the state array.
const RUNNING = 0;
const ONESHOT = 1;
/** Virtual time (ns, may be fractional) of the tick boundary the count is relative to. */
const START_NS = 2;
/** The count at START_NS. */
const START_COUNT = 3;
const LIMIT = 4;
const STATE_LENGTH = 5;

/** Ticks are counted with this much slack, so a callback armed at a rounded time sees its tick. */
const TICK_EPSILON = 1e-7;

export class DownCounter {
  /** running, one-shot, start time, count at the start time, limit (the reload value). */
  readonly state = new Float64Array(STATE_LENGTH);
  private handle: number | undefined;
  /** The tick of the armed callback (relative to START_NS). */
  private armedTick: number | undefined;

  /**
   * @param tickNs nanoseconds per count (1e9 / the counting clock)
   * @param onZero called at every 1 → 0 transition
   */
  constructor(
    private readonly clock: VirtualClock | undefined,
    private tickNs: number,
    private readonly onZero: () => void,
  ) {}

  get running(): boolean {
    return this.state[RUNNING] !== 0;
  }

  get limit(): number {
    return this.state[LIMIT];
  }

  /** The current count. */
  count(): number {
    this.catchUp();
    return this.running ? this.valueAt(this.elapsed()) : this.state[START_COUNT];
  }

  /** Start counting (or, already running, switch between one-shot and periodic). */
  run(oneshot: boolean): void {
    this.rebase();
    this.state[ONESHOT] = oneshot ? 1 : 0;
    if (!this.running) {
      this.state[RUNNING] = 1;
      this.state[START_NS] = this.now();
    }
    this.arm();
  }

  /** Stop counting; the count stays where it is. */
  stop(): void {
    this.rebase();
    this.state[RUNNING] = 0;
    this.disarm();
  }

  /** Set the count now; counting restarts its tick phase from now. */
  setCount(value: number): void {
    this.rebase();
    this.state[START_COUNT] = value;
    this.state[START_NS] = this.now();
    this.arm();
  }

  /** Set the limit (reload value); with `reload`, the count too. */
  setLimit(limit: number, reload: boolean): void {
    this.rebase();
    this.state[LIMIT] = limit;
    if (reload) {
      this.state[START_COUNT] = limit;
      this.state[START_NS] = this.now();
    }
    this.arm();
  }

  /** Change the counting rate; the count so far stays. */
  setTickNs(tickNs: number): void {
    if (tickNs === this.tickNs) return;
    this.rebase();
    this.state[START_NS] = this.now();
    this.tickNs = tickNs;
    this.arm();
  }

  /** After the state array was loaded: arm the callback it implies. */
  restore(): void {
    this.arm();
  }

  /** Stopped at 0 with no limit, and no callback. */
  reset(limit: number): void {
    this.disarm();
    this.state.set([0, 0, 0, limit, limit]);
  }

  /** Release the clock callback (the device is going away). */
  release(): void {
    this.disarm();
  }

  private now(): number {
    return this.clock?.now() ?? 0;
  }

  private elapsed(): number {
    return Math.max(0, Math.floor((this.now() - this.state[START_NS]) / this.tickNs + TICK_EPSILON));
  }

  /** The count `ticks` after the start (running). */
  private valueAt(ticks: number): number {
    const start = this.state[START_COUNT];
    if (ticks <= start) return start - ticks;
    const limit = this.state[LIMIT];
    if (this.state[ONESHOT] !== 0 || limit === 0) return 0;
    return limit - ((ticks - start - 1) % (limit + 1));
  }

  /** The first 1 → 0 transition strictly after tick `after`, or undefined when there is none. */
  private nextTrigger(after: number): number | undefined {
    const start = this.state[START_COUNT];
    if (start >= 1 && start > after) return start;
    const limit = this.state[LIMIT];
    if (this.state[ONESHOT] !== 0 || limit === 0) return undefined;
    // Later transitions: start + (limit + 1) * n for n ≥ 1.
    const period = limit + 1;
    const n = Math.max(1, Math.floor((after - start) / period) + 1);
    return start + period * n;
  }

  /** Run a transition that is due but whose callback has not run yet (an access later in the same slice). */
  private catchUp(): void {
    while (this.running && this.armedTick !== undefined && this.armedTick <= this.elapsed()) this.fire();
  }

  /** Re-express the state relative to the last tick boundary (keeping the tick phase), after catching up. */
  private rebase(): void {
    this.catchUp();
    if (!this.running) return;
    const ticks = this.elapsed();
    const value = this.valueAt(ticks);
    this.state[START_NS] += ticks * this.tickNs;
    this.state[START_COUNT] = value;
    if (value === 0 && ticks > 0 && (this.state[ONESHOT] !== 0 || this.state[LIMIT] === 0)) this.state[RUNNING] = 0;
  }

  private fire(): void {
    const tick = this.armedTick!;
    this.disarm();
    this.onZero();
    if (this.state[ONESHOT] !== 0 || this.state[LIMIT] === 0) {
      // Expired: stopped at 0.
      this.state[START_NS] += tick * this.tickNs;
      this.state[START_COUNT] = 0;
      this.state[RUNNING] = 0;
      return;
    }
    this.armAt(this.nextTrigger(tick));
  }

  private arm(): void {
    this.disarm();
    if (!this.running) return;
    const next = this.nextTrigger(this.elapsed() - 1);
    if (next === undefined && this.state[START_COUNT] === 0 && (this.state[ONESHOT] !== 0 || this.state[LIMIT] === 0)) {
      this.state[RUNNING] = 0; // nothing left to count
      return;
    }
    this.armAt(next);
  }

  private armAt(tick: number | undefined): void {
    this.disarm();
    if (tick === undefined || this.clock === undefined) return;
    this.armedTick = tick;
    this.handle = this.clock.schedule(Math.ceil(this.state[START_NS] + tick * this.tickNs), () => {
      this.handle = undefined;
      if (this.armedTick === tick) this.fire();
    });
  }

  private disarm(): void {
    if (this.handle !== undefined) this.clock?.cancel(this.handle);
    this.handle = undefined;
    this.armedTick = undefined;
  }
}
