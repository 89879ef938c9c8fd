// The Cortex-M core's state descriptor (with the SCS's fields) and its debug contract.
import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../../state.ts';
import type { CodeReader } from '../contract.ts';
import * as A from './asm.ts';
import { Exception } from './exceptions.ts';
import { boot, DATA, runTo, SRAM, STACK_TOP } from './testing.ts';

const NVIC_ISER = 0xe000_e100;
const NVIC_ISPR = 0xe000_e200;

/** A program that spends a while in an interrupt handler on PSP-based thread code, counting in r4/r5. */
function program() {
  return boot(
    (p) => {
      p.i(A.li(0, DATA + 0x800), A.msr(A.SYSm.PSP, 0), A.movs(0, 2), A.msr(A.SYSm.CONTROL, 0), A.li(6, NVIC_ISER), A.movs(7, 1), A.strImm(7, 6, 0), A.li(6, NVIC_ISPR), A.strImm(7, 6, 0));
      p.label('thread').i(A.addsImm8(4, 1)).b('thread');
      p.label('irq').i(A.movs(5, 0));
      p.label('count').i(A.addsImm8(5, 1), A.cmpImm(5, 200)).bcond(A.Cond.NE, 'count').i(A.bx(14));
    },
    { vectors: { [Exception.IRQ0]: 'irq' } },
  );
}

describe('Cortex-M state', () => {
  it('reaches the SCS fields through accessors on the prototype, shared by every core (per-core ones put a second core in V8 dictionary mode, several times slower)', () => {
    const a = program();
    const b = program();
    for (const core of [a.cpu, b.cpu]) expect(Object.getOwnPropertyNames(core).filter((name) => name.startsWith('scs.'))).toEqual([]);
    const fields = [a, b].map((board) => board.cpu as unknown as Record<string, unknown>);
    expect(fields[0]['scs.vtor']).toBe(a.scs.vtor);
    b.scs.write(0xd08, 0x2000_0000, 4); // VTOR
    expect(fields[1]['scs.vtor']).toBe(0x2000_0000);
    expect(fields[0]['scs.vtor']).toBe(a.scs.vtor);
    expect(fields[0]['scs.vtor']).not.toBe(0x2000_0000);
  });

  it('saves and restores mid-handler (PSP thread, IRQ active, flags, SCS) and the run goes on exactly', () => {
    const b = program();
    b.cpu.run(40);
    expect(b.cpu.ipsr).toBe(Exception.IRQ0);
    const saved = saveState(b.cpu);
    const savedRam = b.space.findRam(SRAM)!.u8.slice();
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    expect(Object.keys(saved.fields)).toEqual(expect.arrayContaining(['r', 'otherSp', 'ipsr', 'scs.active', 'scs.vtor']));
    b.cpu.run(1000);
    const after = { pc: b.cpu.pc, r4: b.cpu.r[4], r5: b.cpu.r[5], ipsr: b.cpu.ipsr, sp: b.cpu.r[13], active: b.scs.isActive(Exception.IRQ0) };
    expect(after.ipsr).toBe(0);
    // into a fresh core: the same program, its RAM (the machine saves memory apart from state), the state
    const c = program();
    const ram = c.space.findRam(SRAM)!;
    ram.u8.set(savedRam);
    loadState(c.cpu, saved);
    expect(c.cpu.ipsr).toBe(Exception.IRQ0);
    expect(c.scs.isActive(Exception.IRQ0)).toBe(true);
    c.cpu.run(1000);
    expect({ pc: c.cpu.pc, r4: c.cpu.r[4], r5: c.cpu.r[5], ipsr: c.cpu.ipsr, sp: c.cpu.r[13], active: c.scs.isActive(Exception.IRQ0) }).toEqual(after);
    expect(c.cpu.msp).toBe(STACK_TOP);
  });

  it('refuses saved state with an exception number the core does not have', () => {
    const b = program();
    const saved = saveState(b.cpu);
    saved.fields.ipsr = 300;
    expect(() => loadState(b.cpu, saved)).toThrow(/ipsr is 300/);
  });
});

describe('Cortex-M debug contract', () => {
  const read = (b: ReturnType<typeof boot>): CodeReader => (address, length) => {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = b.space.load(address + i, 1);
    return out;
  };

  it('names registers as gdb does for M-profile: r0-r12, sp, lr, pc as 0-15, xpsr 25, then msp, psp, primask, basepri, faultmask, control', () => {
    const b = program();
    const { debug } = b.cpu;
    expect(debug.registers.map((r) => [r.name, r.regnum])).toEqual([
      ...['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr', 'pc'].map((n, i) => [n, i]),
      ['xpsr', 25], ['msp', 26], ['psp', 27], ['primask', 28], ['basepri', 29], ['faultmask', 30], ['control', 31],
    ]);
    expect(debug.targetXml()).toContain('<feature name="org.gnu.gdb.arm.m-profile">');
    expect(debug.targetXml()).toContain('<reg name="xpsr" bitsize="32" regnum="25"/>');
    expect(debug.gPacketRegisters).toHaveLength(17);
    expect(debug.elfMachines).toEqual([40]);
    expect(debug.instructionAlignment).toBe(2);
    expect(debug.translate(0x2000_0004)).toBe(0x2000_0004);
  });

  it('reads and writes the banked stack pointers and special registers', () => {
    const b = program();
    b.cpu.run(6); // PSP set, CONTROL.SPSEL = 1
    const { debug } = b.cpu;
    const index = (name: string) => debug.registers.findIndex((r) => r.name === name);
    expect(debug.readRegister(index('psp'))).toBe(DATA + 0x800);
    expect(debug.readRegister(index('msp'))).toBe(STACK_TOP);
    expect(debug.readRegister(index('sp'))).toBe(DATA + 0x800);
    expect(debug.readRegister(index('control'))).toBe(2);
    expect(debug.writeRegister(index('psp'), DATA + 0x400)).toBe(true);
    expect(b.cpu.r[13] >>> 0).toBe(DATA + 0x400);
    expect(debug.writeRegister(index('primask'), 1)).toBe(true);
    expect(b.cpu.primask).toBe(1);
    expect(debug.writeRegister(index('control'), 0)).toBe(true);
    expect(b.cpu.r[13] >>> 0).toBe(STACK_TOP);
    expect(debug.readRegister(index('xpsr'))! & (1 << 24)).not.toBe(0);
    expect(debug.readRegister(99)).toBeUndefined();
  });

  it('knows instruction lengths and the calls step over steps over (BL, BLX rm)', () => {
    const b = boot((p) => {
      p.label('bl').bl('f');
      p.label('blx').i(A.blx(3));
      p.label('movw').i(A.movw(0, 1));
      p.label('f').i(A.bx(14));
    });
    const { debug } = b.cpu;
    const at = (l: string) => b.program.address(l);
    expect(debug.instructionLength(read(b), at('bl'))).toBe(4);
    expect(debug.instructionLength(read(b), at('blx'))).toBe(2);
    expect(debug.callReturnAddress(read(b), at('bl'))).toBe(at('bl') + 4);
    expect(debug.callReturnAddress(read(b), at('blx'))).toBe(at('blx') + 2);
    expect(debug.callReturnAddress(read(b), at('movw'))).toBeUndefined();
    expect(debug.callReturnAddress(read(b), at('f'))).toBeUndefined();
    const line = debug.disassembly().next(read(b), at('movw'));
    expect(line).toMatchObject({ length: 4, bytes: 'f240 0001' });
  });

  it('lists code as objdump prints it, naming branch targets through the symbolize option', () => {
    const b = boot((p) => {
      p.i(A.movs(0, 1)).bl('f');
      p.i(A.movw(1, 0x1234), A.it(A.Cond.EQ, 0x8), A.addsImm8(2, 3));
      p.label('f').i(A.bx(14));
    });
    const f = b.program.address('f');
    const listing = b.cpu.debug.disassembly({ symbolize: (target) => (target === f ? 'f' : undefined) });
    const lines: string[] = [];
    for (let address = b.program.address('start'); address <= f; ) {
      const line = listing.next(read(b), address)!;
      lines.push(`${line.bytes}  ${line.text}`);
      address += line.length;
    }
    // arm-none-eabi-objdump -d of the same halfwords (IT makes the 16-bit adds lose its s and take the condition)
    expect(lines).toEqual(['2001  movs\tr0, #1', `f000 f804  bl\t${f.toString(16)} <f>`, 'f241 2134  movw\tr1, #4660\t@ 0x1234', 'bf08  it\teq', '3203  addeq\tr2, #3', '4770  bx\tlr']);
  });

  it('stops before an instruction a watchpoint watches, then executes it on the next run', () => {
    const b = boot((p) => {
      p.i(A.li(0, DATA), A.movs(1, 5));
      p.label('store').i(A.strImm(1, 0, 0), A.movs(2, 2));
      p.label('end').b('end');
    });
    b.cpu.debug.setWatchpoint('write', DATA, 4);
    b.cpu.run(100);
    expect(b.cpu.pc).toBe(b.program.address('store'));
    expect(b.cpu.debug.watchpointHit).toEqual({ kind: 'write', address: DATA, accessAddress: DATA });
    expect(b.space.load(DATA, 4)).toBe(0);
    runTo(b, 'end', 100);
    expect(b.space.load(DATA, 4)).toBe(5);
    expect(b.cpu.debug.removeWatchpoint('write', DATA, 4)).toBe(true);
  });

  it('watchpoints set after the code has run (decoded, its load and store windows open) stop before the access', () => {
    // loop: ldr r2, [r0]; str r1, [r0, #4]; adds r1, #1; b loop
    const b = boot((p) => {
      p.i(A.li(0, DATA), A.movs(1, 5));
      p.label('loop').i(A.ldrImm(2, 0, 0), A.strImm(1, 0, 4), A.addsImm8(1, 1)).b('loop');
    });
    const loop = b.program.address('loop');
    expect(b.cpu.run(10)).toBe(10); // li (movw, movt), movs, the loop once and then up to its b
    expect(b.space.load(DATA + 4, 4)).toBe(6);
    b.cpu.debug.setWatchpoint('read', DATA, 4);
    expect(b.cpu.run(100)).toBe(1);
    expect([b.cpu.pc, b.cpu.instret]).toEqual([loop, 11]);
    expect(b.cpu.debug.watchpointHit).toEqual({ kind: 'read', address: DATA, accessAddress: DATA });
    expect(b.cpu.debug.removeWatchpoint('read', DATA, 4)).toBe(true);
    b.cpu.debug.setWatchpoint('write', DATA + 4, 4);
    expect(b.cpu.run(100)).toBe(1);
    expect([b.cpu.pc, b.cpu.instret, b.space.load(DATA + 4, 4)]).toEqual([loop + 2, 12, 6]);
    expect(b.cpu.debug.watchpointHit).toEqual({ kind: 'write', address: DATA + 4, accessAddress: DATA + 4 });
  });
});
