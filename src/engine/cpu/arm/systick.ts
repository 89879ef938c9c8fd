// The SysTick timer of a Cortex-M System Control Space (SYST_CSR/RVR/CVR/CALIB at 0xE000E010),
// counting in virtual time. It follows the counter QEMU 7.2 models (hw/timer/armv7m_systick.c on a
// ptimer that wraps after one period and triggers only when it decrements to zero):
//   - the counter decrements once per clock tick; from 0 the next tick reloads SYST_RVR, so with
//     TICKINT the exception comes every RVR + 1 ticks;
//   - reaching 0 by decrementing sets COUNTFLAG and, with TICKINT, pends SysTick (exception 15);
//     a counter that starts at 0 (after reset or a CVR write) first reloads, without a trigger;
//   - with SYST_RVR = 0 the counter stops when it reaches 0 (ENABLE stays set, as in QEMU);
//   - any write to SYST_CVR clears it and COUNTFLAG; reading SYST_CSR clears COUNTFLAG.
// The counter's value is never stored per tick: while it runs, it is `baseCount` at virtual time
// `baseNs` and derives from the time since then. The owner (the SCS) gives it virtual time and a
// one-shot callback for the next trigger.

export const SYST_CSR_ENABLE = 1 << 0;
export const SYST_CSR_TICKINT = 1 << 1;
export const SYST_CSR_CLKSOURCE = 1 << 2;
export const SYST_CSR_COUNTFLAG = 1 << 16;
/** The CSR bits software writes. */
const SYST_CSR_WRITABLE = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
export const SYST_RVR_MASK = 0x00ff_ffff;

export const SYST_CALIB_NOREF = 0x8000_0000;
export const SYST_CALIB_SKEW = 0x4000_0000;
export const SYST_CALIB_TENMS = 0x00ff_ffff;

/** Register offsets inside the SysTick block (from 0xE000E010). */
export const SYST_CSR_OFFSET = 0x0;
export const SYST_RVR_OFFSET = 0x4;
export const SYST_CVR_OFFSET = 0x8;
export const SYST_CALIB_OFFSET = 0xc;

export interface SysTickHost {
  nowNs(): number;
  /** One-shot callback at virtual time ns (replaces the previous one); undefined cancels. */
  scheduleAt(ns: number | undefined): void;
  /** The counter reached zero with TICKINT set: pend exception 15. */
  pendSysTick(): void;
}

const NS_PER_SECOND = 1e9;

export class SysTick {
  /** SYST_CSR: ENABLE, TICKINT, CLKSOURCE, COUNTFLAG. */
  csr = 0;
  /** SYST_RVR (24 bits). */
  rvr = 0;
  /** Whether the counter counts (ENABLE set and not stopped at zero with RVR = 0). */
  running = false;
  /** The counter's value at baseNs (the current value while stopped). */
  baseCount = 0;
  /** Virtual time (ns) of baseCount while running. */
  baseNs = 0;

  constructor(
    /** The core clock (CLKSOURCE = 1), Hz. */
    private readonly clockHz: number,
    /** The external reference clock (CLKSOURCE = 0), Hz; 0 when the board has none (CLKSOURCE reads 1). */
    private readonly refClockHz: number,
    private readonly host: SysTickHost,
  ) {
    if (!(clockHz > 0)) throw new RangeError(`SysTick: the core clock must be a positive frequency (got ${clockHz} Hz)`);
    if (!(refClockHz >= 0)) throw new RangeError(`SysTick: the reference clock must be 0 (none) or a positive frequency (got ${refClockHz} Hz)`);
    this.reset();
  }

  reset(): void {
    this.csr = this.refClockHz === 0 ? SYST_CSR_CLKSOURCE : 0;
    this.rvr = 0;
    this.running = false;
    this.baseCount = 0;
    this.baseNs = 0;
    this.host.scheduleAt(undefined);
  }

  /** The frequency the counter decrements at now. */
  private get hz(): number {
    return this.csr & SYST_CSR_CLKSOURCE ? this.clockHz : this.refClockHz;
  }

  /** Whole ticks since baseNs at virtual time `now`. */
  private ticksAt(now: number): number {
    return Math.max(0, Math.floor(((now - this.baseNs) * this.hz) / NS_PER_SECOND));
  }

  /** The counter value `k` ticks after baseNs (running). */
  private countAfter(k: number): number {
    const c = this.baseCount;
    if (k <= c) return c - k;
    if (this.rvr === 0) return 0;
    return this.rvr - ((k - c - 1) % (this.rvr + 1));
  }

  /** Tick index (> after) of the next decrement to zero, or undefined when none comes. */
  private nextTriggerAfter(after: number): number | undefined {
    const c = this.baseCount;
    if (after < c) return c;
    if (this.rvr === 0) return undefined;
    const period = this.rvr + 1;
    return c + period * (Math.floor((after - c) / period) + 1);
  }

  /**
   * Brings the counter up to virtual time `now`: a decrement to zero since the last sync sets
   * COUNTFLAG and pends SysTick (several collapse into one, as a pending exception does), then the
   * base moves to now's tick. Every register access and the scheduled callback sync first.
   */
  sync(now = this.host.nowNs()): void {
    if (!this.running) return;
    const k = this.ticksAt(now);
    if (k === 0) return;
    const first = this.nextTriggerAfter(0);
    const count = this.countAfter(k);
    // the base moves by whole ticks, so the phase of the clock is kept
    this.baseNs += (k * NS_PER_SECOND) / this.hz;
    this.baseCount = count;
    if (first !== undefined && first <= k) {
      this.csr |= SYST_CSR_COUNTFLAG;
      if (this.rvr === 0) this.running = false; // QEMU: expiry with RVR = 0 stops the counter
      if (this.csr & SYST_CSR_TICKINT) this.host.pendSysTick();
    }
  }

  /** The scheduled callback: catch up, then ask for the next one. */
  timerCallback(now = this.host.nowNs()): void {
    this.sync(now);
    this.schedule();
  }

  /**
   * Asks the host for a callback at the next decrement to zero when it pends an exception (TICKINT),
   * else cancels it: COUNTFLAG, the counter and the stop at zero with RVR = 0 are worked out when
   * software next looks (every access syncs), so a polled SysTick costs the run loop nothing.
   */
  schedule(): void {
    if (!this.running || !(this.csr & SYST_CSR_TICKINT)) {
      this.host.scheduleAt(undefined);
      return;
    }
    const next = this.nextTriggerAfter(0);
    if (next === undefined) {
      this.host.scheduleAt(undefined);
      return;
    }
    const hz = this.hz;
    let at = Math.ceil(this.baseNs + (next * NS_PER_SECOND) / hz);
    // rounding must never put the callback before the tick it is for
    while (Math.floor(((at - this.baseNs) * hz) / NS_PER_SECOND) < next) at++;
    this.host.scheduleAt(at);
  }

  /** Restarts counting from the current value at virtual time now (after a change of clock or reload). */
  private rebase(now: number): void {
    this.baseNs = now;
  }

  /**
   * What read(offset) would return now, without bringing the counter up to now: COUNTFLAG is not
   * cleared and no SysTick is pended (a debugger's or the register view's look).
   */
  peek(offset: number): number {
    const k = this.running ? this.ticksAt(this.host.nowNs()) : 0;
    const first = this.running ? this.nextTriggerAfter(0) : undefined;
    switch (offset) {
      case SYST_CSR_OFFSET:
        return (this.csr | (first !== undefined && first <= k ? SYST_CSR_COUNTFLAG : 0)) >>> 0;
      case SYST_CVR_OFFSET:
        return this.running ? this.countAfter(k) : this.baseCount;
      case SYST_RVR_OFFSET:
        return this.rvr;
      case SYST_CALIB_OFFSET:
        return this.calibration();
      default:
        return 0;
    }
  }

  read(offset: number): number {
    const now = this.host.nowNs();
    this.sync(now);
    switch (offset) {
      case SYST_CSR_OFFSET: {
        const value = this.csr;
        this.csr &= ~SYST_CSR_COUNTFLAG;
        return value >>> 0;
      }
      case SYST_RVR_OFFSET:
        return this.rvr;
      case SYST_CVR_OFFSET:
        return this.baseCount;
      case SYST_CALIB_OFFSET:
        return this.calibration();
      default:
        return 0;
    }
  }

  write(offset: number, value: number): void {
    const now = this.host.nowNs();
    this.sync(now);
    switch (offset) {
      case SYST_CSR_OFFSET: {
        if (this.refClockHz === 0) value |= SYST_CSR_CLKSOURCE; // no reference clock: CLKSOURCE reads as one
        const old = this.csr;
        this.csr = (old & ~SYST_CSR_WRITABLE) | (value & SYST_CSR_WRITABLE);
        if ((old ^ value) & SYST_CSR_ENABLE) this.running = (value & SYST_CSR_ENABLE) !== 0;
        this.rebase(now);
        break;
      }
      case SYST_RVR_OFFSET:
        // the new reload value applies at the next reload; the current count is kept
        this.rvr = value & SYST_RVR_MASK;
        this.rebase(now);
        break;
      case SYST_CVR_OFFSET:
        // any write clears the counter and COUNTFLAG; it reloads at the next tick (QEMU: with RVR = 0 it stops)
        if (this.rvr === 0) this.running = false;
        this.baseCount = 0;
        this.csr &= ~SYST_CSR_COUNTFLAG;
        this.rebase(now);
        break;
      default:
        return;
    }
    this.schedule();
  }

  /** SYST_CALIB as QEMU 7.2 computes it: TENMS = reference ticks in 10 ms, minus one; SKEW when not exact; NOREF without a reference clock. */
  calibration(): number {
    if (this.refClockHz === 0) return SYST_CALIB_NOREF >>> 0;
    const ticks = (this.refClockHz * 10) / 1000;
    let value = (Math.floor(ticks) - 1) & SYST_CALIB_TENMS;
    if (!Number.isInteger(ticks)) value |= SYST_CALIB_SKEW;
    return value >>> 0;
  }
}
