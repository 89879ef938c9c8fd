import { describe, expect, it } from 'vitest';
import type { HartRegisters } from '../workers/emulator.worker.ts';
import { changedRegisters, FIRST_FLOAT, FIRST_SPECIAL, floatRegisterHex, floatRegisterText, followOrder, PC, RegisterChanges, registerIndex, registerName, registerValue, specialRegisterText } from './registers.ts';

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

/** A hart with D: 64-bit float registers f0..f31 (names as the register file gives them). */
function hartWithFloats(path: string, set: Record<number, bigint>): HartRegisters {
  const names = ['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11'];
  const values = names.map((_, i) => set[i] ?? 0n);
  return { ...hart(path, 0x100), float: { names, aliases: names.map((_, i) => [`f${i}`]), bits: 64, values } };
}

describe('floating-point registers', () => {
  it('shows the raw bits with as many hex digits as the register has', () => {
    expect(floatRegisterHex(0x3ff8_0000_0000_0000n, 64)).toBe('3ff8000000000000');
    expect(floatRegisterHex(1n, 64)).toBe('0000000000000001');
    expect(floatRegisterHex(0x3fc0_0000n, 32)).toBe('3fc00000');
    expect(floatRegisterHex(0xffff_ffff_ffff_ffffn, 64)).toBe('ffffffffffffffff');
  });

  it('reads a 64-bit register as the double its bits encode', () => {
    expect(floatRegisterText(0x3ff8_0000_0000_0000n, 64)).toBe('1.5');
    expect(floatRegisterText(0x3fb9_9999_9999_999an, 64)).toBe('0.1');
    expect(floatRegisterText(0xc000_0000_0000_0000n, 64)).toBe('-2');
    expect(floatRegisterText(0x7ff0_0000_0000_0000n, 64)).toBe('inf');
    expect(floatRegisterText(0xfff0_0000_0000_0000n, 64)).toBe('-inf');
    expect(floatRegisterText(0x8000_0000_0000_0000n, 64)).toBe('-0');
    expect(floatRegisterText(0x7ff8_0000_0000_0000n, 64)).toBe('NaN'); // the canonical NaN
    expect(floatRegisterText(0x7ff4_0000_0000_0000n, 64)).toBe('sNaN');
    expect(floatRegisterText(0x0000_0000_0000_0001n, 64)).toBe('5e-324'); // the smallest subnormal
  });

  it('reads a NaN-boxed single (upper half all ones) as the single', () => {
    expect(floatRegisterText(0xffff_ffff_3fc0_0000n, 64)).toBe('1.5 (s)');
    expect(floatRegisterText(0xffff_ffff_3dcc_cccdn, 64)).toBe('0.1 (s)'); // the single nearest 0.1, shortest
    expect(floatRegisterText(0xffff_ffff_7fc0_0000n, 64)).toBe('NaN (s)');
    expect(floatRegisterText(0xffff_ffff_7fa0_0000n, 64)).toBe('sNaN (s)');
    expect(floatRegisterText(0xffff_ffff_ff80_0000n, 64)).toBe('-inf (s)');
    expect(floatRegisterText(0xffff_ffff_8000_0000n, 64)).toBe('-0 (s)');
    expect(floatRegisterText(0xffff_ffff_0000_0001n, 64)).toBe('1e-45 (s)'); // the smallest subnormal single
    expect(floatRegisterText(0xffff_ffff_7f7f_ffffn, 64)).toBe('3.4028235e+38 (s)'); // FLT_MAX
  });

  it('reads a single that is not properly NaN-boxed as the double its bits make', () => {
    // Upper half zero: a subnormal double, 0x3fc00000 times the smallest subnormal.
    expect(floatRegisterText(0x0000_0000_3fc0_0000n, 64)).toBe(String(0x3fc0_0000 * 2 ** -1074));
    // Upper half not all ones: a (quiet) NaN as a double, not 1.5.
    expect(floatRegisterText(0xffff_fffe_3fc0_0000n, 64)).toBe('NaN');
  });

  it('reads a 32-bit register (F without D) as a single', () => {
    expect(floatRegisterText(0x3fc0_0000n, 32)).toBe('1.5 (s)');
    expect(floatRegisterText(0x4049_0fdbn, 32)).toBe('3.1415927 (s)');
  });

  it('diffs the floating-point registers too, at FIRST_FLOAT + their number', () => {
    const before = [hartWithFloats('/machine/cpu0', { 10: 0x3ff8_0000_0000_0000n })];
    const after = [hartWithFloats('/machine/cpu0', { 10: 0x3ff8_0000_0000_0000n, 11: 0xffff_ffff_3fc0_0000n })];
    expect([...changedRegisters(before, after).get('/machine/cpu0')!]).toEqual([FIRST_FLOAT + 11]);
    expect(FIRST_FLOAT).toBeGreaterThan(PC);
  });
});

describe('Cortex-M special registers', () => {
  it('read xPSR as its flags, Thumb bit and exception; CONTROL as privilege and stack; the masks as on or off', () => {
    // N and C set, Thumb, in HardFault (IPSR 3); Z and V clear, Thumb, IRQ 5 (exception 21)
    expect(specialRegisterText('xpsr', 0xa100_0003)).toBe('NzCvq T · HardFault');
    expect(specialRegisterText('xpsr', 0x0100_0015)).toBe('nzcvq T · IRQ 5');
    expect(specialRegisterText('xpsr', 0x4800_0000)).toBe('nZcvQ no T · Thread');
    expect(specialRegisterText('control', 0)).toBe('privileged · MSP');
    expect(specialRegisterText('control', 3)).toBe('unprivileged · PSP');
    expect(specialRegisterText('primask', 1)).toBe('masked');
    expect(specialRegisterText('faultmask', 0)).toBe('open');
    expect(specialRegisterText('basepri', 0)).toBe('off');
    expect(specialRegisterText('basepri', 0x40)).toBe('masks priority ≥ 64');
    expect(specialRegisterText('msp', 0x2000_1000)).toBeUndefined();
  });

  it('highlights a special register a step changed, and only it', () => {
    const arm = (values: number[]): HartRegisters => ({ path: '/machine/cpu0', pc: 0x100, x: [0, 1], names: ['r0', 'r1'], aliases: [[], []], roles: [null, null], special: { names: ['xpsr', 'primask'], values } });
    const changed = changedRegisters([arm([0x0100_0000, 0])], [arm([0x0100_0000, 1])]).get('/machine/cpu0');
    expect([...(changed ?? [])]).toEqual([FIRST_SPECIAL + 1]);
  });
});
