import { describe, expect, it } from 'vitest';
import { loadState, saveState, type SavedState } from '../state.ts';
import { Led } from './led.ts';
import { privateRam } from './device.ts';

describe('led', () => {
  it('is lit while its input line is high and reports each change', () => {
    const led = new Led({ path: '/machine/led0', props: { color: 'red' }, allocateRam: privateRam });
    const changes: boolean[] = [];
    led.onChange = (lit) => changes.push(lit);
    expect(led.color).toBe('red');
    expect(led.lit).toBe(false);
    led.setIrqInput('in', 0, true);
    expect(led.lit).toBe(true);
    led.setIrqInput('in', 0, true); // no change, no report
    led.setIrqInput('in', 1, false); // no such line
    led.setIrqInput('in', 0, false);
    expect(led.lit).toBe(false);
    expect(changes).toEqual([true, false]);
    expect(led.regions.size).toBe(0);
  });

  it('keeps following its line across a reset and rejects unknown colours', () => {
    const led = new Led({ path: '/machine/led0', props: {}, allocateRam: privateRam });
    expect(led.color).toBe('green');
    led.setIrqInput('in', 0, true);
    led.reset();
    expect(led.lit).toBe(true);
    expect(() => new Led({ path: '/machine/led1', props: { color: 'purple' }, allocateRam: privateRam })).toThrow(/color/);
  });
});

describe('led state', () => {
  it('restores whether it is lit into a fresh LED and tells the observer', () => {
    const context = { path: '/machine/led0', props: { color: 'red' }, allocateRam: privateRam };
    const original = new Led(context);
    original.setIrqInput('in', 0, true);
    const saved = JSON.parse(JSON.stringify(saveState(original))) as SavedState;
    expect(saved).toEqual({ name: 'led', version: 1, fields: { on: true } });
    const fresh = new Led(context);
    const changes: boolean[] = [];
    fresh.onChange = (lit) => changes.push(lit);
    loadState(fresh, saved);
    expect(fresh.lit).toBe(true);
    expect(changes).toEqual([true]);
    fresh.setIrqInput('in', 0, true); // the machine re-drives the line at the same level: no change
    expect(changes).toEqual([true]);
    fresh.setIrqInput('in', 0, false);
    expect(changes).toEqual([true, false]);
  });
});
