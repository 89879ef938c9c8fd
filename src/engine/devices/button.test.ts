import { describe, expect, it } from 'vitest';
import { Button } from './button.ts';

function makeButton(activeLow: boolean) {
  const button = new Button({ path: '/machine/button0', props: { 'active-low': activeLow }, allocateRam: (n) => new ArrayBuffer(n) });
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
