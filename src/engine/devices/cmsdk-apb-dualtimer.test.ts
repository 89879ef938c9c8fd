import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { loadState, saveState } from '../state.ts';
import {
  CONTROL_ENABLE,
  CONTROL_INTEN,
  CONTROL_ONESHOT,
  CONTROL_PERIODIC,
  CONTROL_PRESCALE_SHIFT,
  CONTROL_SIZE32,
  CmsdkApbDualTimer,
  DT_BGLOAD,
  DT_CONTROL,
  DT_INTCLR,
  DT_ITCR,
  DT_ITOP,
  DT_LOAD,
  DT_MIS,
  DT_RIS,
  DT_TIMER2,
  DT_VALUE,
} from './cmsdk-apb-dualtimer.ts';
import { privateRam } from './device.ts';

function makeDualTimer(props: Record<string, number> = {}, clock = new FakeClock()) {
  const timer = new CmsdkApbDualTimer({ path: '/machine/dualtimer', props, allocateRam: privateRam, clock });
  const levels: Record<string, boolean> = {};
  timer.connectIrqOutput('timint', 0, { set: (l) => (levels.t1 = l) });
  timer.connectIrqOutput('timint', 1, { set: (l) => (levels.t2 = l) });
  timer.connectIrqOutput('timintc', 0, { set: (l) => (levels.c = l) });
  return { timer, clock, levels };
}

const TICK = 40; // 25 MHz
const PERIODIC32 = CONTROL_ENABLE | CONTROL_PERIODIC | CONTROL_SIZE32 | CONTROL_INTEN;

describe('cmsdk-apb-dualtimer', () => {
  it('resets as QEMU: CONTROL.INTEN, 16-bit free-running, VALUE 0xFFFFFFFF, LOAD 0', () => {
    const { timer } = makeDualTimer();
    for (const base of [0, DT_TIMER2]) {
      expect(timer.read(base + DT_CONTROL, 4)).toBe(CONTROL_INTEN);
      expect(timer.read(base + DT_VALUE, 4)).toBe(0xffffffff);
      expect(timer.read(base + DT_LOAD, 4)).toBe(0);
    }
  });

  it('a periodic 32-bit counter interrupts every LOAD + 1 ticks; RIS, MIS and the combined output follow; INTCLR clears', () => {
    const { timer, clock, levels } = makeDualTimer();
    timer.write(DT_LOAD, 9, 4);
    timer.write(DT_CONTROL, PERIODIC32, 4);
    clock.advance(8 * TICK);
    expect(timer.read(DT_VALUE, 4)).toBe(1);
    expect(levels.c).toBe(false);
    clock.advance(TICK);
    expect(timer.read(DT_RIS, 4)).toBe(1);
    expect(timer.read(DT_MIS, 4)).toBe(1);
    expect(levels).toEqual({ t1: true, t2: false, c: true });
    timer.write(DT_INTCLR, 0, 4);
    expect(levels).toEqual({ t1: false, t2: false, c: false });
    clock.advance(10 * TICK);
    expect(levels.c).toBe(true);
  });

  it('MIS and the outputs need CONTROL.INTEN; RIS does not', () => {
    const { timer, clock, levels } = makeDualTimer();
    timer.write(DT_TIMER2 + DT_LOAD, 4, 4);
    timer.write(DT_TIMER2 + DT_CONTROL, PERIODIC32 & ~CONTROL_INTEN, 4);
    clock.advance(4 * TICK);
    expect(timer.read(DT_TIMER2 + DT_RIS, 4)).toBe(1);
    expect(timer.read(DT_TIMER2 + DT_MIS, 4)).toBe(0);
    expect(levels.c).toBe(false);
    timer.write(DT_TIMER2 + DT_CONTROL, PERIODIC32, 4);
    expect(levels).toEqual({ t1: false, t2: true, c: true });
  });

  it('prescales by 16 and 256', () => {
    for (const [prescale, divisor] of [[0, 1], [1, 16], [2, 256]] as const) {
      const { timer, clock } = makeDualTimer();
      timer.write(DT_LOAD, 100_000, 4);
      timer.write(DT_CONTROL, PERIODIC32 | (prescale << CONTROL_PRESCALE_SHIFT), 4);
      clock.advance(512 * TICK);
      expect(timer.read(DT_VALUE, 4)).toBe(100_000 - 512 / divisor);
    }
  });

  it('cmsdk-apb-dualtimer.pclk-frequency: the counters count at that rate', () => {
    for (const [hz, counted] of [[25_000_000, 25], [1_000_000, 1]] as const) {
      const { timer, clock } = makeDualTimer({ 'pclk-frequency': hz });
      timer.write(DT_LOAD, 1000, 4);
      timer.write(DT_CONTROL, PERIODIC32, 4);
      clock.advance(1000);
      expect(timer.read(DT_VALUE, 4)).toBe(1000 - counted);
    }
  });

  it('free-running 16-bit wraps from 0 to 0xFFFF and keeps VALUE\'s top half', () => {
    const { timer, clock } = makeDualTimer();
    timer.write(DT_LOAD, 0x1234_0003, 4);
    timer.write(DT_CONTROL, CONTROL_ENABLE | CONTROL_INTEN, 4);
    expect(timer.read(DT_VALUE, 4)).toBe(0x1234_0003);
    clock.advance(3 * TICK);
    expect(timer.read(DT_VALUE, 4)).toBe(0x1234_0000);
    expect(timer.read(DT_RIS, 4)).toBe(1);
    clock.advance(TICK);
    expect(timer.read(DT_VALUE, 4)).toBe(0x1234_ffff);
  });

  it('one-shot stops at 0 after one interrupt', () => {
    const { timer, clock } = makeDualTimer();
    timer.write(DT_LOAD, 5, 4);
    timer.write(DT_CONTROL, PERIODIC32 | CONTROL_ONESHOT, 4);
    clock.advance(5 * TICK);
    expect(timer.read(DT_RIS, 4)).toBe(1);
    timer.write(DT_INTCLR, 0, 4);
    clock.advance(1000 * TICK);
    expect(timer.read(DT_VALUE, 4)).toBe(0);
    expect(timer.read(DT_RIS, 4)).toBe(0);
  });

  it('BGLOAD sets the reload value without touching the count', () => {
    const { timer, clock } = makeDualTimer();
    timer.write(DT_LOAD, 10, 4);
    timer.write(DT_CONTROL, PERIODIC32, 4);
    clock.advance(3 * TICK);
    timer.write(DT_BGLOAD, 50, 4);
    expect(timer.read(DT_VALUE, 4)).toBe(7);
    expect(timer.read(DT_LOAD, 4)).toBe(50);
    clock.advance(8 * TICK);
    expect(timer.read(DT_VALUE, 4)).toBe(50);
  });

  it('integration test mode drives the outputs from TIMERITOP', () => {
    const { timer, levels } = makeDualTimer();
    timer.write(DT_ITCR, 1, 4);
    timer.write(DT_ITOP, 2, 4);
    expect(levels).toEqual({ t1: false, t2: true, c: true });
    timer.write(DT_ITCR, 0, 4);
    expect(levels.c).toBe(false);
    expect([0xfe0, 0xff0].map((o) => timer.read(o, 4))).toEqual([0x23, 0x0d]);
  });

  it('saves and restores both counters mid-count', () => {
    const clock = new FakeClock();
    const a = makeDualTimer({}, clock);
    a.timer.write(DT_LOAD, 100, 4);
    a.timer.write(DT_CONTROL, PERIODIC32, 4);
    a.timer.write(DT_TIMER2 + DT_LOAD, 0xabcd_0010, 4);
    clock.advance(40 * TICK);
    const saved = saveState(a.timer);
    a.timer.unrealize();
    const b = makeDualTimer({}, clock);
    loadState(b.timer, saved);
    expect(b.timer.read(DT_VALUE, 4)).toBe(60);
    expect(b.timer.read(DT_CONTROL, 4)).toBe(PERIODIC32);
    expect(b.timer.read(DT_TIMER2 + DT_VALUE, 4)).toBe(0xabcd_0010);
    clock.advance(60 * TICK);
    expect(b.levels.c).toBe(true);
  });
});
