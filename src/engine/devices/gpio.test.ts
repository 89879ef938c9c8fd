import { describe, expect, it } from 'vitest';
import { loadState, saveState, type SavedState } from '../state.ts';
import { privateRam, type DeviceContext } from './device.ts';
import { GPIO_INPUT, GPIO_IRQ_ENABLE, GPIO_IRQ_PENDING, GPIO_OUTPUT, GPIO_OUTPUT_ENABLE, Gpio } from './gpio.ts';

function makeGpio(props: DeviceContext['props'] = { 'num-lines': 8 }) {
  const gpio = new Gpio({ path: '/machine/gpio', props, allocateRam: privateRam });
  const out: boolean[][] = [];
  const irq: boolean[] = [];
  for (let line = 0; line < gpio.numLines; line++) {
    out.push([]);
    gpio.connectIrqOutput('out', line, { set: (level) => out[line].push(level) });
  }
  gpio.connectIrqOutput('irq', 0, { set: (level) => irq.push(level) });
  const last = (levels: boolean[]) => levels[levels.length - 1];
  return { gpio, out, irq, last };
}

describe('gpio', () => {
  it('reads the levels of its input lines', () => {
    const { gpio } = makeGpio();
    expect(gpio.read(GPIO_INPUT, 4)).toBe(0);
    gpio.setIrqInput('in', 0, true);
    gpio.setIrqInput('in', 7, true);
    gpio.setIrqInput('in', 8, true); // no line 8
    expect(gpio.read(GPIO_INPUT, 4)).toBe(0x81);
    expect(gpio.inputLevels()).toBe(0x81);
    gpio.setIrqInput('in', 0, false);
    expect(gpio.read(GPIO_INPUT, 4)).toBe(0x80);
    gpio.write(GPIO_INPUT, 0xff, 4); // read-only
    expect(gpio.read(GPIO_INPUT, 4)).toBe(0x80);
  });

  it('drives an output line only while both its value and enable bits are set', () => {
    const { gpio, out, last } = makeGpio();
    const seen: number[] = [];
    gpio.onOutputChange = (levels) => seen.push(levels);
    expect(out[2]).toEqual([false]); // connect drives the initial level
    gpio.write(GPIO_OUTPUT, 0x0c, 4);
    expect(last(out[2])).toBe(false);
    expect(gpio.outputLevels()).toBe(0);
    gpio.write(GPIO_OUTPUT_ENABLE, 0x04, 4);
    expect(last(out[2])).toBe(true);
    expect(out[3]).toEqual([false]);
    expect(gpio.outputLevels()).toBe(0x04);
    gpio.write(GPIO_OUTPUT_ENABLE, 0xff, 4);
    expect(last(out[3])).toBe(true);
    gpio.write(GPIO_OUTPUT, 0x08, 4);
    expect(out[2]).toEqual([false, true, false]);
    expect(gpio.outputLevels()).toBe(0x08);
    expect(seen).toEqual([0x04, 0x0c, 0x08]);
    expect(gpio.read(GPIO_OUTPUT, 4)).toBe(0x08);
    expect(gpio.read(GPIO_OUTPUT_ENABLE, 4)).toBe(0xff);
    gpio.write(GPIO_OUTPUT, 0xffffffff, 4); // bits beyond num-lines are not implemented
    expect(gpio.read(GPIO_OUTPUT, 4)).toBe(0xff);
  });

  it('latches changes of enabled inputs as pending interrupts, cleared by writing 1', () => {
    const { gpio, irq, last } = makeGpio();
    expect(irq).toEqual([false]);
    gpio.setIrqInput('in', 1, true); // not enabled: no pending bit
    expect(gpio.read(GPIO_IRQ_PENDING, 4)).toBe(0);
    gpio.write(GPIO_IRQ_ENABLE, 0x06, 4);
    gpio.setIrqInput('in', 1, true); // no change
    expect(gpio.read(GPIO_IRQ_PENDING, 4)).toBe(0);
    gpio.setIrqInput('in', 1, false); // falling edge
    expect(gpio.read(GPIO_IRQ_PENDING, 4)).toBe(0x02);
    expect(last(irq)).toBe(true);
    gpio.setIrqInput('in', 2, true); // rising edge
    expect(gpio.read(GPIO_IRQ_PENDING, 4)).toBe(0x06);
    gpio.write(GPIO_IRQ_PENDING, 0x02, 4);
    expect(gpio.read(GPIO_IRQ_PENDING, 4)).toBe(0x04);
    expect(last(irq)).toBe(true);
    gpio.write(GPIO_IRQ_ENABLE, 0x02, 4); // masking the pending line lowers irq, the bit stays
    expect(last(irq)).toBe(false);
    expect(gpio.read(GPIO_IRQ_PENDING, 4)).toBe(0x04);
    gpio.write(GPIO_IRQ_ENABLE, 0x06, 4);
    expect(last(irq)).toBe(true);
    gpio.write(GPIO_IRQ_PENDING, 0xffffffff, 4);
    expect(irq).toEqual([false, true, false, true, false]);
  });

  it('accepts byte and halfword accesses on byte lanes', () => {
    const { gpio } = makeGpio({ 'num-lines': 32 });
    gpio.write(GPIO_OUTPUT + 1, 0xab, 1);
    gpio.write(GPIO_OUTPUT + 2, 0x1234, 2);
    expect(gpio.read(GPIO_OUTPUT, 4)).toBe(0x1234ab00);
    expect(gpio.read(GPIO_OUTPUT + 3, 1)).toBe(0x12);
    expect(gpio.read(GPIO_OUTPUT, 2)).toBe(0xab00);
    gpio.write(GPIO_OUTPUT_ENABLE, 0xffffffff, 4);
    expect(gpio.outputLevels()).toBe(0x1234ab00);
  });

  it('resets its registers and lowers its outputs, keeping input levels', () => {
    const { gpio, out, irq, last } = makeGpio();
    gpio.write(GPIO_OUTPUT, 1, 4);
    gpio.write(GPIO_OUTPUT_ENABLE, 1, 4);
    gpio.write(GPIO_IRQ_ENABLE, 2, 4);
    gpio.setIrqInput('in', 1, true);
    expect(last(out[0])).toBe(true);
    expect(last(irq)).toBe(true);
    gpio.reset();
    expect(last(out[0])).toBe(false);
    expect(last(irq)).toBe(false);
    for (const register of [GPIO_OUTPUT, GPIO_OUTPUT_ENABLE, GPIO_IRQ_ENABLE, GPIO_IRQ_PENDING]) expect(gpio.read(register, 4)).toBe(0);
    expect(gpio.read(GPIO_INPUT, 4)).toBe(0x02);
  });
});

describe('gpio state', () => {
  const roundTrip = (state: SavedState): SavedState => JSON.parse(JSON.stringify(state)) as SavedState;
  type Made = ReturnType<typeof makeGpio>;
  const levels = (made: Made) => ({ out: made.out.map((line) => made.last(line)), irq: made.last(made.irq) });

  /** Outputs driven through the enable mask, input levels, interrupts enabled and latched. */
  function busyGpio(): Made {
    const made = makeGpio();
    const { gpio } = made;
    gpio.write(GPIO_OUTPUT, 0x5a, 4);
    gpio.write(GPIO_OUTPUT_ENABLE, 0x0f, 4);
    gpio.setIrqInput('in', 7, true);
    gpio.write(GPIO_IRQ_ENABLE, 0x06, 4);
    gpio.setIrqInput('in', 1, true);
    gpio.setIrqInput('in', 2, true);
    gpio.setIrqInput('in', 2, false);
    return made;
  }

  /** Register reads, then input edges, pending clears and output writes, recording the line levels after each. */
  function probe(made: Made): unknown[] {
    const { gpio } = made;
    const seen: unknown[] = [levels(made), gpio.outputLevels(), gpio.inputLevels()];
    for (const register of [GPIO_INPUT, GPIO_OUTPUT, GPIO_OUTPUT_ENABLE, GPIO_IRQ_ENABLE, GPIO_IRQ_PENDING]) seen.push(gpio.read(register, 4));
    gpio.write(GPIO_IRQ_PENDING, 0x06, 4);
    seen.push(levels(made));
    gpio.setIrqInput('in', 1, true); // no change: no edge
    gpio.setIrqInput('in', 1, false);
    seen.push(levels(made), gpio.read(GPIO_IRQ_PENDING, 4));
    gpio.write(GPIO_OUTPUT_ENABLE, 0xff, 4);
    seen.push(levels(made), gpio.outputLevels());
    return seen;
  }

  it('restores registers, input levels and the levels it drives into a fresh GPIO', () => {
    const original = busyGpio();
    const saved = roundTrip(saveState(original.gpio));
    expect(saved).toEqual({
      name: 'gpio',
      version: 1,
      fields: { input: 0x82, output: 0x5a, outputEnable: 0x0f, irqEnable: 0x06, irqPending: 0x06, driven: 0x0a, irqLevel: true },
    });

    const fresh = makeGpio();
    const seen: number[] = [];
    fresh.gpio.onOutputChange = (value) => seen.push(value);
    loadState(fresh.gpio, saved);
    expect(levels(fresh)).toEqual(levels(original));
    expect(levels(fresh)).toEqual({ out: [false, true, false, true, false, false, false, false], irq: true });
    expect(seen).toEqual([0x0a]); // the UI hears of the restored outputs
    expect(probe(fresh)).toEqual(probe(original));
    expect(saveState(fresh.gpio)).toEqual(saveState(original.gpio));
  });

  it('lowers what it drove when the loaded state drives nothing', () => {
    const busy = busyGpio();
    loadState(busy.gpio, roundTrip(saveState(makeGpio().gpio)));
    expect(levels(busy)).toEqual({ out: new Array<boolean>(8).fill(false), irq: false });
    expect(busy.gpio.read(GPIO_INPUT, 4)).toBe(0);
  });

  it('refuses bits beyond its lines and state of another type', () => {
    const saved = roundTrip(saveState(makeGpio({ 'num-lines': 32 }).gpio));
    saved.fields.output = 0x100;
    expect(() => loadState(makeGpio().gpio, saved)).toThrow(/field output = 0x100 has bits beyond the 8 lines/);
    loadState(makeGpio({ 'num-lines': 9 }).gpio, saved);
    expect(() => loadState(makeGpio().gpio, { ...saved, name: 'plic' })).toThrow(/cannot load "plic" state into a gpio device/);
  });
});
