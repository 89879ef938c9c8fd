import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { loadState, saveState } from '../state.ts';
import { CTRL_EN, CTRL_IRQEN, CmsdkApbTimer, TIMER_CTRL, TIMER_INTSTATUS, TIMER_RELOAD, TIMER_VALUE } from './cmsdk-apb-timer.ts';
import { privateRam } from './device.ts';

function makeTimer(props: Record<string, number> = {}, clock = new FakeClock()) {
  const timer = new CmsdkApbTimer({ path: '/machine/timer0', props, allocateRam: privateRam, clock });
  const irq: boolean[] = [];
  timer.connectIrqOutput('irq', 0, { set: (level) => irq.push(level) });
  return { timer, clock, irq, level: () => irq[irq.length - 1] };
}

/** 25 MHz: one count every 40 ns. */
const TICK = 40;

describe('cmsdk-apb-timer', () => {
  it('cmsdk-apb-timer.pclk-frequency: VALUE counts down at that rate', () => {
    for (const [hz, expected] of [[25_000_000, 1000 - 25], [1_000_000, 999]] as const) {
      const { timer, clock } = makeTimer({ 'pclk-frequency': hz });
      timer.write(TIMER_RELOAD, 1000, 4);
      timer.write(TIMER_CTRL, CTRL_EN, 4);
      clock.advance(1000);
      expect(timer.read(TIMER_VALUE, 4)).toBe(expected);
    }
  });

  it('counts from RELOAD to 0, interrupts at the 1 → 0 step with IRQEN, holds 0 for one tick and reloads', () => {
    const { timer, clock, level } = makeTimer();
    timer.write(TIMER_RELOAD, 99, 4);
    expect(timer.read(TIMER_VALUE, 4)).toBe(99); // writing RELOAD loads VALUE
    timer.write(TIMER_CTRL, CTRL_EN | CTRL_IRQEN, 4);
    clock.advance(98 * TICK);
    expect(timer.read(TIMER_VALUE, 4)).toBe(1);
    expect(level()).toBe(false);
    clock.advance(TICK);
    expect(timer.read(TIMER_VALUE, 4)).toBe(0);
    expect(level()).toBe(true);
    expect(timer.read(TIMER_INTSTATUS, 4)).toBe(1);
    clock.advance(TICK);
    expect(timer.read(TIMER_VALUE, 4)).toBe(99);
    timer.write(TIMER_INTSTATUS, 1, 4);
    expect(level()).toBe(false);
    // The next interrupt one full period (RELOAD + 1 ticks) after the first.
    clock.advance(99 * TICK - 1);
    expect(level()).toBe(false);
    clock.advance(1);
    expect(level()).toBe(true);
  });

  it('does not interrupt without IRQEN, and a stopped timer keeps its VALUE', () => {
    const { timer, clock, irq } = makeTimer();
    timer.write(TIMER_RELOAD, 10, 4);
    timer.write(TIMER_CTRL, CTRL_EN, 4);
    clock.advance(100 * TICK);
    expect(irq.every((l) => !l)).toBe(true);
    timer.write(TIMER_CTRL, 0, 4);
    const value = timer.read(TIMER_VALUE, 4);
    clock.advance(100 * TICK);
    expect(timer.read(TIMER_VALUE, 4)).toBe(value);
  });

  it('with RELOAD 0 stops at 0 after one interrupt; setting VALUE 0 never interrupts', () => {
    const { timer, clock, irq, level } = makeTimer();
    timer.write(TIMER_CTRL, CTRL_EN | CTRL_IRQEN, 4);
    timer.write(TIMER_VALUE, 5, 4);
    clock.advance(5 * TICK);
    expect(level()).toBe(true);
    timer.write(TIMER_INTSTATUS, 1, 4);
    clock.advance(100 * TICK);
    expect(timer.read(TIMER_VALUE, 4)).toBe(0);
    expect(level()).toBe(false);
    const raised = irq.filter((l) => l).length;
    timer.write(TIMER_VALUE, 0, 4);
    clock.advance(100 * TICK);
    expect(irq.filter((l) => l).length).toBe(raised);
  });

  it('reads the CMSDK identification registers (part 0x822)', () => {
    const { timer } = makeTimer();
    expect([0xfe0, 0xfe4, 0xff0, 0xffc].map((o) => timer.read(o, 4))).toEqual([0x22, 0xb8, 0x0d, 0xb1]);
  });

  it('saves mid-count and restores the count and the next interrupt time', () => {
    const clock = new FakeClock();
    const a = makeTimer({}, clock);
    a.timer.write(TIMER_RELOAD, 1000, 4);
    a.timer.write(TIMER_CTRL, CTRL_EN | CTRL_IRQEN, 4);
    clock.advance(300 * TICK + 7);
    const saved = saveState(a.timer);
    a.timer.unrealize();
    const b = makeTimer({}, clock);
    loadState(b.timer, saved);
    expect(b.timer.read(TIMER_VALUE, 4)).toBe(700);
    clock.advance(700 * TICK - 8);
    expect(b.level()).toBe(false);
    clock.advance(1);
    expect(b.level()).toBe(true);
  });
});
