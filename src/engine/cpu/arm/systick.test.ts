// SysTick through the SCS (0xE000E010…): counting in virtual time at the core or reference clock,
// COUNTFLAG, TICKINT, reload, CVR writes, RVR = 0, SYST_CALIB — as the ARMv7-M ARM describes and
// QEMU 7.2's armv7m_systick models.
import { describe, expect, it } from 'vitest';
import { CPUID_CORTEX_M3, EXC_SYSTICK, type ScsHost, SystemControlSpace } from './scs.ts';

const CSR = 0x10;
const RVR = 0x14;
const CVR = 0x18;
const CALIB = 0x1c;
const ENABLE = 1;
const TICKINT = 2;
const CLKSOURCE = 4;
const COUNTFLAG = 1 << 16;

class Clock implements ScsHost {
  now = 0;
  scheduled: number | undefined;
  nowNs(): number {
    return this.now;
  }
  scheduleAt(ns: number | undefined): void {
    this.scheduled = ns;
  }
  exceptionStateChanged(): void {}
  requestSystemReset(): void {}
}

/** 25 MHz core clock (40 ns a tick), 1 MHz reference (1000 ns a tick), as QEMU's mps2-an385. */
function make(clockHz = 25_000_000, refClockHz = 1_000_000): { scs: SystemControlSpace; clock: Clock } {
  const clock = new Clock();
  return { scs: new SystemControlSpace({ numIrq: 32, priorityBits: 8, profile: 'v7m', cpuid: CPUID_CORTEX_M3, clockHz, refClockHz }, clock), clock };
}

/** Runs the host's timer: advances virtual time to each scheduled callback up to `until`. */
function runUntil(scs: SystemControlSpace, clock: Clock, until: number): number {
  let callbacks = 0;
  while (clock.scheduled !== undefined && clock.scheduled <= until) {
    clock.now = clock.scheduled;
    scs.timerCallback();
    callbacks++;
  }
  clock.now = until;
  return callbacks;
}

describe('SysTick', () => {
  it('counts down at the core clock with CLKSOURCE = 1: from 0 it reloads first, then reaches 0 after RVR + 1 ticks', () => {
    const { scs, clock } = make();
    scs.write(RVR, 99, 4);
    scs.write(CSR, ENABLE | CLKSOURCE, 4);
    expect(scs.read(CVR, 4)).toBe(0);
    clock.now = 40; // one tick: reloaded
    expect(scs.read(CVR, 4)).toBe(99);
    clock.now = 40 * 50;
    expect(scs.read(CVR, 4)).toBe(50);
    expect(scs.read(CSR, 4)! & COUNTFLAG).toBe(0);
    clock.now = 40 * 100; // reaches 0
    expect(scs.read(CVR, 4)).toBe(0);
    expect(scs.read(CSR, 4)).toBe(COUNTFLAG | ENABLE | CLKSOURCE);
    expect(scs.read(CSR, 4)).toBe(ENABLE | CLKSOURCE); // reading cleared COUNTFLAG
    clock.now = 40 * 101;
    expect(scs.read(CVR, 4)).toBe(99);
  });
  it('peek shows COUNTFLAG and the count as a read would, without clearing COUNTFLAG or moving the counter', () => {
    const { scs, clock } = make();
    scs.write(RVR, 99, 4);
    scs.write(CSR, ENABLE | CLKSOURCE, 4);
    clock.now = 40 * 100; // reaches 0
    expect(scs.peek(CVR)).toBe(0);
    expect(scs.peek(CSR)).toBe(COUNTFLAG | ENABLE | CLKSOURCE);
    expect(scs.peek(CSR)).toBe(COUNTFLAG | ENABLE | CLKSOURCE);
    clock.now = 40 * 110;
    expect(scs.peek(CVR)).toBe(90);
    expect(scs.read(CSR, 4)).toBe(COUNTFLAG | ENABLE | CLKSOURCE);
    expect(scs.peek(CSR)).toBe(ENABLE | CLKSOURCE);
    expect(scs.peek(RVR)).toBe(99);
  });
  it('counts at the reference clock with CLKSOURCE = 0', () => {
    const { scs, clock } = make();
    scs.write(RVR, 9, 4);
    scs.write(CSR, ENABLE, 4);
    clock.now = 40 * 10; // ten core ticks: not one reference tick
    expect(scs.read(CVR, 4)).toBe(0);
    clock.now = 1000 * 3;
    expect(scs.read(CVR, 4)).toBe(7);
  });
  it('with TICKINT it pends SysTick every RVR + 1 ticks, scheduling a callback at each wrap', () => {
    const { scs, clock } = make();
    scs.write(RVR, 24_999, 4); // 1 ms at 25 MHz
    scs.write(CSR, ENABLE | TICKINT | CLKSOURCE, 4);
    expect(clock.scheduled).toBe(1_000_000);
    let taken = 0;
    for (let ms = 1; ms <= 5; ms++) {
      runUntil(scs, clock, ms * 1_000_000);
      if (scs.isPending(EXC_SYSTICK)) {
        taken++;
        scs.clearPending(EXC_SYSTICK);
      }
    }
    expect(taken).toBe(5);
    expect(clock.scheduled).toBe(6_000_000);
  });
  it('without TICKINT it sets COUNTFLAG but pends nothing, and asks for no callback (polling costs nothing)', () => {
    const { scs, clock } = make();
    scs.write(RVR, 10, 4);
    scs.write(CSR, ENABLE | CLKSOURCE, 4);
    expect(clock.scheduled).toBeUndefined();
    clock.now = 40 * 11;
    expect(scs.isPending(EXC_SYSTICK)).toBe(false);
    expect(scs.read(CSR, 4)! & COUNTFLAG).toBe(COUNTFLAG);
    // TICKINT set later: no exception for the wraps before, a callback for the next one
    clock.now = 40 * 30;
    scs.write(CSR, ENABLE | TICKINT | CLKSOURCE, 4);
    expect(scs.isPending(EXC_SYSTICK)).toBe(false);
    expect(clock.scheduled).toBe(40 * 33);
    runUntil(scs, clock, 40 * 33);
    expect(scs.isPending(EXC_SYSTICK)).toBe(true);
  });
  it('several wraps before the callback runs pend one exception', () => {
    const { scs, clock } = make();
    scs.write(RVR, 9, 4);
    scs.write(CSR, ENABLE | TICKINT | CLKSOURCE, 4);
    clock.now = 40 * 1000;
    scs.timerCallback();
    expect(scs.isPending(EXC_SYSTICK)).toBe(true);
    expect(clock.scheduled).toBe(40 * 1010);
  });
  it('any write to CVR clears it and COUNTFLAG; it reloads at the next tick', () => {
    const { scs, clock } = make();
    scs.write(RVR, 99, 4);
    scs.write(CSR, ENABLE | CLKSOURCE, 4);
    clock.now = 40 * 100;
    scs.write(CVR, 0x1234, 4);
    expect(scs.read(CSR, 4)! & COUNTFLAG).toBe(0);
    expect(scs.read(CVR, 4)).toBe(0);
    clock.now = 40 * 101;
    expect(scs.read(CVR, 4)).toBe(99);
  });
  it('RVR keeps 24 bits; a new value applies at the next reload', () => {
    const { scs, clock } = make();
    scs.write(RVR, 0xffff_ffff, 4);
    expect(scs.read(RVR, 4)).toBe(0x00ff_ffff);
    scs.write(RVR, 99, 4);
    scs.write(CSR, ENABLE | CLKSOURCE, 4);
    clock.now = 40 * 11;
    expect(scs.read(CVR, 4)).toBe(89);
    scs.write(RVR, 9, 4);
    expect(scs.read(CVR, 4)).toBe(89);
    clock.now = 40 * 100; // 89 more ticks: zero
    expect(scs.read(CVR, 4)).toBe(0);
    clock.now = 40 * 101;
    expect(scs.read(CVR, 4)).toBe(9);
  });
  it('with RVR = 0 the counter stops at zero (ENABLE stays set); enabling at 0 with RVR = 0 never fires', () => {
    const { scs, clock } = make();
    scs.write(RVR, 9, 4);
    scs.write(CSR, ENABLE | TICKINT | CLKSOURCE, 4);
    clock.now = 40 * 5;
    scs.write(RVR, 0, 4);
    runUntil(scs, clock, 40 * 1000);
    expect(scs.isPending(EXC_SYSTICK)).toBe(true);
    expect(scs.read(CVR, 4)).toBe(0);
    expect(scs.read(CSR, 4)! & ENABLE).toBe(ENABLE);
    expect(clock.scheduled).toBeUndefined();
    const fresh = make();
    fresh.scs.write(CSR, ENABLE | TICKINT | CLKSOURCE, 4);
    expect(fresh.clock.scheduled).toBeUndefined();
    fresh.clock.now = 1e6;
    expect(fresh.scs.read(CSR, 4)! & COUNTFLAG).toBe(0);
  });
  it('disabling freezes the count; enabling again continues from it', () => {
    const { scs, clock } = make();
    scs.write(RVR, 99, 4);
    scs.write(CSR, ENABLE | CLKSOURCE, 4);
    clock.now = 40 * 30;
    scs.write(CSR, CLKSOURCE, 4);
    expect(clock.scheduled).toBeUndefined();
    clock.now = 40 * 1000;
    expect(scs.read(CVR, 4)).toBe(70);
    scs.write(CSR, ENABLE | CLKSOURCE, 4);
    clock.now = 40 * 1010;
    expect(scs.read(CVR, 4)).toBe(60);
  });
  it('SYST_CALIB: TENMS from the reference clock (1 MHz: 9999), SKEW when 10 ms is not whole ticks, NOREF without one (CLKSOURCE then reads 1)', () => {
    expect(make().scs.read(CALIB, 4)).toBe(9999);
    expect(make(25_000_000, 32_768).scs.read(CALIB, 4)).toBe((0x4000_0000 | 326) >>> 0);
    const { scs } = make(16_000_000, 0);
    expect(scs.read(CALIB, 4)).toBe(0x8000_0000);
    expect(scs.read(CSR, 4)).toBe(CLKSOURCE);
    scs.write(CSR, ENABLE, 4);
    expect(scs.read(CSR, 4)).toBe(ENABLE | CLKSOURCE);
  });
  it('reset stops the counter and cancels its callback', () => {
    const { scs, clock } = make();
    scs.write(RVR, 99, 4);
    scs.write(CSR, ENABLE | TICKINT | CLKSOURCE, 4);
    expect(clock.scheduled).toBeDefined();
    scs.reset();
    expect(clock.scheduled).toBeUndefined();
    expect(scs.read(CSR, 4)).toBe(0);
    expect(scs.read(RVR, 4)).toBe(0);
    expect(scs.read(CVR, 4)).toBe(0);
  });
});
