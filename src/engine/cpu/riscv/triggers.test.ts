// The debug trigger module (./triggers.ts) in the hart: execute triggers fire inside code that is
// already decoded and cached, load/store triggers while the RAM fast paths were open, the trigger
// state survives a snapshot (and version 1 snapshots still load), and the debugger's watchpoints
// (CpuDebug.setWatchpoint) stop before the access. firmware/conf-trigger checks the CSR rules
// against QEMU.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../memory.ts';
import { StateError, loadState, saveState, type SavedState } from '../../state.ts';
import * as A from './asm.ts';
import { Cause, Csr } from './csr.ts';
import { cpus, riscvCore } from './index.ts';
import { Rv32Cpu } from './rv32.ts';
import { DATA, boot, runToWfi, setMtvec, skippingHandler } from './testing.ts';
import { MCONTROL_EXECUTE, MCONTROL_LOAD, MCONTROL_M, MCONTROL_STORE, MCONTROL_U, TDATA1_RESET, TRIGGER_CSRS } from './triggers.ts';

const { zero, s0, s1, a0, a2, t0, t1 } = A.Reg;
const { TSELECT, TDATA1, TDATA2, TDATA3, TINFO } = TRIGGER_CSRS;
const MCONTROL = TDATA1_RESET;

/**
 * Runs the loop at 'loop' (its 'target' instruction counts a2) twice, then arms trigger 0 with the
 * tdata1 in t1 on the address in s0 with csrw, and runs the loop three more times; then WFI.
 */
function armMidway(p: A.Program, tdata1: number, address: (p: A.Program) => void): A.Program {
  return p
    .apply((q) => setMtvec(q))
    .apply(address)
    .i(A.li(t1, tdata1), A.li(a0, 2))
    .label('loop')
    .label('target')
    .i(A.addi(a2, a2, 1))
    .i(A.lw(t0, s0, 0), A.sw(t0, s0, 0), A.addi(a0, a0, -1))
    .branch(A.bne, a0, zero, 'loop')
    .branch(A.bne, s1, zero, 'done')
    .i(A.li(s1, 1), A.csrw(TDATA2, s0), A.csrw(TDATA1, t1), A.li(a0, 3))
    .jal(zero, 'loop')
    .label('done')
    .i(A.wfi())
    .apply((q) => skippingHandler(q));
}

describe('Rv32Cpu debug triggers', () => {
  it('has tselect, tdata1-3 and tinfo as QEMU 7.2 does, and none of them without the trigger module', () => {
    const { cpu } = boot((p) => p.i(A.wfi()));
    expect(cpu.readCsr(TSELECT)).toBe(0);
    expect(cpu.readCsr(TDATA1)).toBe(0x2000_0000);
    expect(cpu.readCsr(TINFO)).toBe(0x44);
    cpu.writeCsr(TDATA1, 0x2fff_ffff);
    expect(cpu.readCsr(TDATA1)).toBe(0x2003_005f);
    cpu.writeCsr(TDATA1, 0x3000_0441); // icount: not in QEMU 7.2, ignored
    expect(cpu.readCsr(TDATA1)).toBe(0x2003_005f);
    cpu.writeCsr(TSELECT, 5);
    expect(cpu.readCsr(TSELECT)).toBe(0);
    cpu.writeCsr(TDATA3, -1);
    expect(cpu.readCsr(TDATA3)).toBe(0);
    const without = boot((p) => p.i(A.wfi()), { triggers: false }).cpu;
    for (const csr of [TSELECT, TDATA1, TDATA2, TDATA3, TINFO]) expect(() => without.readCsr(csr)).toThrow(/not implemented/);
  });

  it('the core factory builds the trigger module unless the object says debug: false (QEMU\'s property)', () => {
    const build = (props: Record<string, number | boolean>) => riscvCore(cpus.rv32({ path: '/machine/cpu0', props: { 'hart-id': 0, 'reset-vector': 0x1000, ...props }, space: new AddressSpace('t') }));
    expect(build({}).readCsr(TINFO)).toBe(0x44);
    expect(() => build({ debug: false }).readCsr(TINFO)).toThrow(/not implemented/);
  });

  it('an execute trigger armed over cached code fires before its instruction every time: breakpoint, mepc there, mtval 0', () => {
    const { cpu, program, traps } = boot((p) => armMidway(p, MCONTROL | MCONTROL_M | MCONTROL_EXECUTE, (q) => q.la(s0, 'target')));
    runToWfi(cpu);
    const target = program.address('target');
    expect(cpu.x[a2]).toBe(2); // the two passes before arming; the three after skip it
    expect(traps).toEqual([1, 2, 3].map(() => ({ cause: Cause.BREAKPOINT, tval: 0, pc: target })));
  });

  it('an execute trigger for U-mode only does not fire in M-mode', () => {
    const { cpu, traps } = boot((p) => armMidway(p, MCONTROL | MCONTROL_U | MCONTROL_EXECUTE, (q) => q.la(s0, 'target')));
    runToWfi(cpu);
    expect(cpu.x[a2]).toBe(5);
    expect(traps).toEqual([]);
  });

  it('a store trigger fires before stores that overlap its 4 bytes, after the RAM fast path served them; loads pass', () => {
    const { cpu, space, program, traps } = boot((p) => armMidway(p, MCONTROL | MCONTROL_M | MCONTROL_STORE, (q) => q.i(A.li(s0, DATA))));
    space.store(DATA, 0x1234_5678, 4);
    runToWfi(cpu);
    // the lw before each sw loaded the value (t0), each sw after arming trapped without storing
    const sw = program.address('target') + 8;
    expect(traps).toEqual([1, 2, 3].map(() => ({ cause: Cause.BREAKPOINT, tval: 0, pc: sw })));
    expect(cpu.x[t0]).toBe(0x1234_5678);
    expect(space.load(DATA, 4)).toBe(0x1234_5678);
  });

  it('a load trigger fires before the load: the destination keeps its value', () => {
    const { cpu, space, program, traps } = boot((p) => armMidway(p, MCONTROL | MCONTROL_M | MCONTROL_LOAD, (q) => q.i(A.li(s0, DATA))));
    space.store(DATA, 0x55, 4);
    runToWfi(cpu);
    const lw = program.address('target') + 4;
    expect(traps).toEqual([1, 2, 3].map(() => ({ cause: Cause.BREAKPOINT, tval: 0, pc: lw })));
    expect(cpu.x[t0]).toBe(0x55); // loaded before arming, never after
  });

  it('saves the triggers: a restored hart fires the same trigger; a version 1 snapshot loads with reset triggers; a bad tdata1 is refused', () => {
    const build = (p: A.Program) => armMidway(p, MCONTROL | MCONTROL_M | MCONTROL_EXECUTE, (q) => q.la(s0, 'target'));
    const { cpu, space, program } = boot(build);
    cpu.writeCsr(TSELECT, 1);
    cpu.writeCsr(TDATA2, program.address('target'));
    cpu.writeCsr(TDATA1, MCONTROL | MCONTROL_M | MCONTROL_EXECUTE);
    const saved = JSON.parse(JSON.stringify(saveState(cpu))) as SavedState;
    expect(saved.version).toBe(3);
    const fresh = new Rv32Cpu(space, { hartId: 0, resetVector: 0 });
    const traps: number[] = [];
    fresh.onTrap = (trap) => traps.push(trap.cause);
    loadState(fresh, saved);
    expect(fresh.readCsr(TSELECT)).toBe(1);
    fresh.pc = program.address('target');
    fresh.run(1);
    expect(traps).toEqual([Cause.BREAKPOINT]);

    const { tselect: _s, tdata1: _d1, tdata2: _d2, ...v1Fields } = saved.fields;
    const older = new Rv32Cpu(space, { hartId: 0, resetVector: 0 });
    older.writeCsr(TDATA1, 0x2000_0044);
    loadState(older, { name: 'rv32', version: 1, fields: v1Fields });
    expect(older.readCsr(TDATA1)).toBe(TDATA1_RESET);
    expect(older.readCsr(Csr.MTVEC)).toBe(cpu.readCsr(Csr.MTVEC));

    const bad = { ...saved, fields: { ...saved.fields, tdata1: [0x1000_0000, TDATA1_RESET] } };
    expect(() => loadState(older, bad)).toThrow(StateError);
    expect(() => loadState(older, bad)).toThrow(/tdata1.*0x10000000/);
    expect(() => loadState(older, { ...saved, fields: { ...saved.fields, tselect: 2 } })).toThrow(/tselect/);
  });
});

describe('Rv32Cpu debugger watchpoints', () => {
  /** Stores then loads DATA+4 in a loop of 3; then WFI. */
  function storeLoad(p: A.Program): A.Program {
    return p
      .i(A.li(s0, DATA), A.li(a0, 3), A.li(t1, 7))
      .label('loop')
      .label('store')
      .i(A.sw(t1, s0, 4))
      .label('load')
      .i(A.lw(t0, s0, 4), A.addi(a0, a0, -1))
      .branch(A.bne, a0, zero, 'loop')
      .i(A.wfi());
  }

  it('a write watchpoint stops before each store that overlaps it (memory not yet written), and the next run passes it', () => {
    const { cpu, space, program } = boot(storeLoad);
    cpu.run(100); // the fast paths are warm
    cpu.reset();
    space.store(DATA + 4, 0, 4);
    cpu.debug.setWatchpoint('write', DATA + 6, 1);
    expect(cpu.run(1000)).toBe(3);
    expect(cpu.pc).toBe(program.address('store'));
    expect(cpu.debug.watchpointHit).toEqual({ kind: 'write', address: DATA + 6, accessAddress: DATA + 4 });
    expect(space.load(DATA + 4, 4)).toBe(0);
    expect(cpu.run(1000)).toBe(4); // sw, lw, addi, bne: stopped before the next sw
    expect(cpu.debug.watchpointHit?.kind).toBe('write');
    expect(space.load(DATA + 4, 4)).toBe(7);
    expect(cpu.debug.removeWatchpoint('write', DATA + 6, 1)).toBe(true);
    expect(cpu.debug.removeWatchpoint('write', DATA + 6, 1)).toBe(false);
    runToWfi(cpu);
    expect(cpu.debug.watchpointHit).toBeUndefined();
  });

  it('read watchpoints stop before loads only, access watchpoints before both; ranges that do not overlap never stop', () => {
    const { cpu, program } = boot(storeLoad);
    cpu.debug.setWatchpoint('read', DATA + 4, 4);
    cpu.debug.setWatchpoint('access', DATA + 8, 4);
    cpu.run(1000);
    expect(cpu.pc).toBe(program.address('load'));
    expect(cpu.debug.watchpointHit).toEqual({ kind: 'read', address: DATA + 4, accessAddress: DATA + 4 });
    cpu.debug.removeWatchpoint('read', DATA + 4, 4);
    cpu.debug.setWatchpoint('access', DATA, 5);
    cpu.run(1000);
    expect(cpu.debug.watchpointHit).toEqual({ kind: 'access', address: DATA, accessAddress: DATA + 4 });
    expect(cpu.pc).toBe(program.address('store'));
  });
});
