import { describe, expect, it } from 'vitest';
import { loadState, saveState, type SavedState } from '../state.ts';
import { Button } from './button.ts';
import { privateRam } from './device.ts';

function makeButton(activeLow: boolean) {
  const button = new Button({ path: '/machine/button0', props: { 'active-low': activeLow }, allocateRam: privateRam });
  const levels: boolean[] = [];
  button.connectIrqOutput('out', 0, { set: (level) => levels.push(level) });
  return { button, levels };
}

describe('button', () => {
  it('drives its line high while pressed', () => {
    const { button, levels } = makeButton(false);
    expect(levels).toEqual([false]); // connect drives the released level at once
    button.press();
    expect(button.pressed).toBe(true);
    button.press(); // already pressed: no new edge
    button.release();
    expect(button.pressed).toBe(false);
    expect(levels).toEqual([false, true, false]);
  });

  it('drives its line low while pressed when active-low', () => {
    const { button, levels } = makeButton(true);
    expect(levels).toEqual([true]);
    button.press();
    expect(button.level).toBe(false);
    button.release();
    expect(levels).toEqual([true, false, true]);
  });

  it('stays pressed across a reset and drives its level again', () => {
    const { button, levels } = makeButton(false);
    button.press();
    button.reset();
    expect(button.pressed).toBe(true);
    expect(levels).toEqual([false, true, true]);
    expect(button.regions.size).toBe(0);
  });
});

describe('button state', () => {
  const roundTrip = (state: SavedState): SavedState => JSON.parse(JSON.stringify(state)) as SavedState;

  it('restores the pressed state into a fresh button, which drives its line at once', () => {
    for (const activeLow of [false, true]) {
      const original = makeButton(activeLow);
      original.button.press();
      const saved = roundTrip(saveState(original.button));
      expect(saved).toEqual({ name: 'button', version: 1, fields: { down: true } });
      const fresh = makeButton(activeLow);
      loadState(fresh.button, saved);
      expect(fresh.button.pressed).toBe(true);
      expect(fresh.levels[fresh.levels.length - 1]).toBe(!activeLow);
      expect(fresh.button.level).toBe(original.button.level);
      fresh.button.release();
      original.button.release();
      expect(fresh.levels.slice(-1)).toEqual(original.levels.slice(-1));
    }
  });

  it('releases on loading a released state', () => {
    const { button, levels } = makeButton(false);
    button.press();
    loadState(button, { name: 'button', version: 1, fields: { down: false } });
    expect(button.pressed).toBe(false);
    expect(levels).toEqual([false, true, false]);
    expect(() => loadState(button, { name: 'button', version: 1, fields: { down: 1 } })).toThrow(/field down must be a boolean/);
  });
});
