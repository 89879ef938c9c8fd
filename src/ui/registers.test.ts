import { describe, expect, it } from 'vitest';
import type { HartRegisters } from '../workers/emulator.worker.ts';
import { changedRegisters, followOrder, PC, RegisterChanges, registerIndex, registerName, registerValue } from './registers.ts';

/** A RISC-V hart's register file as the worker describes it (names, aliases and roles come from the core). */
const NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const ROLES: HartRegisters['roles'] = NAMES.map((_, i) => (i === 0 ? 'zero' : i === 1 ? 'return-address' : i === 2 ? 'stack-pointer' : [3, 4, 8].includes(i) ? 'pointer' : null));

function hart(path: string, pc: number, set: Record<number, number> = {}): HartRegisters {
  const x = Array.from({ length: 32 }, (_, i) => set[i] ?? 0);
  return { path, pc, x, names: NAMES, aliases: NAMES.map((_, i) => (i === 8 ? ['x8', 'fp'] : [`x${i}`])), roles: ROLES };
}

describe('registers', () => {
  it('names registers by the names the hart gives them and reads them back', () => {
    const h = hart('/machine/cpu0', 0);
    expect(registerName(h, 2)).toBe('sp');
    expect(registerName(h, PC)).toBe('pc');
    expect(registerIndex(h, 'sp')).toBe(2);
    expect(registerIndex(h, 'A0')).toBe(10);
    expect(registerIndex(h, 'x31')).toBe(31);
    expect(registerIndex(h, 'fp')).toBe(8);
    expect(registerIndex(h, 'pc')).toBe(PC);
    expect(registerIndex(h, 'x32')).toBeUndefined();
    expect(registerIndex(h, 'r1')).toBeUndefined();
  });

  it('offers the pc, then the pointers (stack pointer first), then the rest to follow, never a hard-wired zero', () => {
    const order = followOrder(hart('/machine/cpu0', 0));
    expect(order.slice(0, 6)).toEqual([PC, 2, 1, 3, 4, 8]);
    expect(order).not.toContain(0);
    expect(order).toHaveLength(32);
  });

  it('reads a followed register of a hart, unsigned', () => {
    const harts = [hart('/machine/cpu0', 0x8000_0004, { 2: 0x8000_fff0 | 0, 10: -1 })];
    expect(registerValue(harts, '/machine/cpu0', 2)).toBe(0x8000_fff0);
    expect(registerValue(harts, '/machine/cpu0', 10)).toBe(0xffff_ffff);
    expect(registerValue(harts, '/machine/cpu0', PC)).toBe(0x8000_0004);
    expect(registerValue(harts, '/machine/cpu1', 2)).toBeUndefined();
  });

  it('diffs two readings per hart, the pc included; a hart that was not there has no changes', () => {
    const before = [hart('/machine/cpu0', 0x100, { 10: 1, 11: 2 })];
    const after = [hart('/machine/cpu0', 0x104, { 10: 1, 11: 3 }), hart('/machine/cpu1', 0x200, { 5: 9 })];
    const changes = changedRegisters(before, after);
    expect([...changes.get('/machine/cpu0')!]).toEqual([11, PC]);
    expect([...changes.get('/machine/cpu1')!]).toEqual([]);
  });

  it('highlights what changed since the previous stop: after each step, after a run, never while running', () => {
    const tracker = new RegisterChanges();
    const machine = {};
    const at = (instructions: number, pc: number, set: Record<number, number>, running = false) => tracker.observe({ harts: [hart('/machine/cpu0', pc, set)], instructions, running, machine });
    expect(at(10, 0x100, { 5: 1 }).size).toBe(0); // the first stop: nothing to compare with
    expect([...at(11, 0x104, { 5: 2 }).get('/machine/cpu0')!]).toEqual([5, PC]); // a step
    expect([...at(11, 0x104, { 5: 2 }).get('/machine/cpu0')!]).toEqual([5, PC]); // read again at the same stop: still shown
    expect([...at(12, 0x108, { 5: 2, 6: 7 }).get('/machine/cpu0')!]).toEqual([6, PC]); // the next step: only what it changed
    expect(at(5000, 0x200, { 5: 9 }, true).size).toBe(0); // running
    expect([...at(9000, 0x108, { 5: 2, 6: 7, 7: 1 }).get('/machine/cpu0')!]).toEqual([7]); // paused: compared with the stop before the run
    // Another machine (a board switch): starts over, nothing highlighted at its first stop.
    expect(tracker.observe({ harts: [hart('/machine/cpu0', 0x0, {})], instructions: 3, running: false, machine: {} }).size).toBe(0);
  });
});
