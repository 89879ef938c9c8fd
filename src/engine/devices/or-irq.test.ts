import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../state.ts';
import { OrIrq } from './or-irq.ts';
import { privateRam } from './device.ts';

function makeGate(props: Record<string, number> = {}) {
  const gate = new OrIrq({ path: '/machine/or', props, allocateRam: privateRam });
  const out: boolean[] = [];
  gate.connectIrqOutput('out', 0, { set: (l) => out.push(l) });
  return { gate, out, level: () => out[out.length - 1] };
}

describe('or-irq', () => {
  it('is high while any input is high', () => {
    const { gate, level } = makeGate({ 'num-lines': 3 });
    expect(level()).toBe(false);
    gate.setIrqInput('in', 0, true);
    gate.setIrqInput('in', 2, true);
    expect(level()).toBe(true);
    gate.setIrqInput('in', 0, false);
    expect(level()).toBe(true);
    gate.setIrqInput('in', 2, false);
    expect(level()).toBe(false);
  });

  it('or-irq.num-lines: inputs at or beyond num-lines are not there', () => {
    const two = makeGate({ 'num-lines': 2 });
    two.gate.setIrqInput('in', 2, true);
    expect(two.level()).toBe(false);
    const three = makeGate({ 'num-lines': 3 });
    three.gate.setIrqInput('in', 2, true);
    expect(three.level()).toBe(true);
    expect(() => makeGate({ 'num-lines': 0 })).toThrow('num-lines must be 1 to 32');
  });

  it('restores its input levels and drives the output from them', () => {
    const a = makeGate();
    a.gate.setIrqInput('in', 1, true);
    const b = makeGate();
    loadState(b.gate, saveState(a.gate));
    expect(b.level()).toBe(true);
  });
});
