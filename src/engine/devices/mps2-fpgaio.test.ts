import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.ts';
import { loadState, saveState, StateError } from '../state.ts';
import { FPGAIO_BUTTON, FPGAIO_CLK100HZ, FPGAIO_CLK1HZ, FPGAIO_COUNTER, FPGAIO_LED0, FPGAIO_MISC, FPGAIO_PRESCALE, FPGAIO_PSCNTR, Mps2Fpgaio } from './mps2-fpgaio.ts';
import { privateRam } from './device.ts';

function makeFpgaio(props: Record<string, number> = {}, clock = new FakeClock()) {
  const fpgaio = new Mps2Fpgaio({ path: '/machine/fpgaio', props, allocateRam: privateRam, clock });
  const leds: boolean[] = [];
  for (let i = 0; i < fpgaio.numLeds; i++) fpgaio.connectIrqOutput('led', i, { set: (l) => (leds[i] = l) });
  return { fpgaio, clock, leds };
}

const SECOND = 1e9;

describe('mps2-fpgaio', () => {
  it('LED0 drives the LED lines and reads back', () => {
    const { fpgaio, leds } = makeFpgaio();
    expect(leds).toEqual([false, false]);
    fpgaio.write(FPGAIO_LED0, 0b10, 4);
    expect(leds).toEqual([false, true]);
    expect(fpgaio.read(FPGAIO_LED0, 4)).toBe(0b10);
    fpgaio.write(FPGAIO_LED0, 0b01, 4);
    expect(leds).toEqual([true, false]);
    fpgaio.reset();
    expect(leds).toEqual([false, false]);
  });

  it('mps2-fpgaio.num-leds: LED0 keeps that many bits and drives that many lines', () => {
    const two = makeFpgaio();
    two.fpgaio.write(FPGAIO_LED0, 0xff, 4);
    expect(two.fpgaio.read(FPGAIO_LED0, 4)).toBe(0b11);
    const eight = makeFpgaio({ 'num-leds': 8 });
    eight.fpgaio.write(FPGAIO_LED0, 0xff, 4);
    expect(eight.fpgaio.read(FPGAIO_LED0, 4)).toBe(0xff);
    expect(eight.leds).toEqual(new Array(8).fill(true));
    expect(() => makeFpgaio({ 'num-leds': 33 })).toThrow('/machine/fpgaio: num-leds must be 0 to 32, not 33');
  });

  it('BUTTON reads the button inputs (0 when none is wired, as QEMU)', () => {
    const { fpgaio } = makeFpgaio();
    expect(fpgaio.read(FPGAIO_BUTTON, 4)).toBe(0);
    fpgaio.setIrqInput('button', 1, true);
    expect(fpgaio.read(FPGAIO_BUTTON, 4)).toBe(0b10);
    fpgaio.setIrqInput('button', 0, true);
    fpgaio.setIrqInput('button', 1, false);
    expect(fpgaio.read(FPGAIO_BUTTON, 4)).toBe(0b01);
  });

  it('CLK1HZ and CLK100HZ count virtual time from reset, and count on from a written value', () => {
    const { fpgaio, clock } = makeFpgaio();
    clock.advance(2.5 * SECOND);
    expect(fpgaio.read(FPGAIO_CLK1HZ, 4)).toBe(2);
    expect(fpgaio.read(FPGAIO_CLK100HZ, 4)).toBe(250);
    fpgaio.write(FPGAIO_CLK1HZ, 100, 4);
    fpgaio.write(FPGAIO_CLK100HZ, 7, 4);
    clock.advance(SECOND);
    expect(fpgaio.read(FPGAIO_CLK1HZ, 4)).toBe(101);
    expect(fpgaio.read(FPGAIO_CLK100HZ, 4)).toBe(107);
  });

  it('PSCNTR counts down and reloads from PRESCALE one tick after 0, when COUNTER increments', () => {
    const { fpgaio, clock } = makeFpgaio();
    const tick = SECOND / 25_000_000; // 40 ns
    fpgaio.write(FPGAIO_PRESCALE, 5, 4);
    fpgaio.write(FPGAIO_PSCNTR, 7, 4);
    clock.advance(7 * tick);
    expect(fpgaio.read(FPGAIO_PSCNTR, 4)).toBe(0);
    expect(fpgaio.read(FPGAIO_COUNTER, 4)).toBe(0);
    clock.advance(tick);
    expect(fpgaio.read(FPGAIO_PSCNTR, 4)).toBe(5);
    expect(fpgaio.read(FPGAIO_COUNTER, 4)).toBe(1);
    clock.advance(6 * tick);
    expect(fpgaio.read(FPGAIO_PSCNTR, 4)).toBe(5);
    expect(fpgaio.read(FPGAIO_COUNTER, 4)).toBe(2);
  });

  it('with PRESCALE 0, COUNTER counts every tick of the prescale clock', () => {
    const { fpgaio, clock } = makeFpgaio();
    clock.advance(1000);
    expect(fpgaio.read(FPGAIO_COUNTER, 4)).toBe(25);
  });

  it('mps2-fpgaio.prescale-frequency: the prescale counter runs at that rate', () => {
    for (const [hz, counted] of [[25_000_000, 25_000], [1_000_000, 1000]] as const) {
      const { fpgaio, clock } = makeFpgaio({ 'prescale-frequency': hz });
      clock.advance(1_000_000);
      expect(fpgaio.read(FPGAIO_COUNTER, 4)).toBe(counted);
    }
  });

  it('MISC reads as written; state round-trips and refuses LED bits beyond num-leds', () => {
    const { fpgaio, clock } = makeFpgaio();
    fpgaio.write(FPGAIO_MISC, 0x1234, 4);
    fpgaio.write(FPGAIO_LED0, 1, 4);
    fpgaio.write(FPGAIO_PRESCALE, 9, 4);
    clock.advance(12_345);
    const saved = saveState(fpgaio);
    const other = makeFpgaio({}, clock);
    loadState(other.fpgaio, saved);
    expect(other.leds).toEqual([true, false]);
    expect(other.fpgaio.read(FPGAIO_MISC, 4)).toBe(0x1234);
    expect(other.fpgaio.read(FPGAIO_COUNTER, 4)).toBe(fpgaio.read(FPGAIO_COUNTER, 4));
    expect(() => loadState(other.fpgaio, { ...saved, fields: { ...saved.fields, led0: 0x10 } })).toThrow(StateError);
  });
});
