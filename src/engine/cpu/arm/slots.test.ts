// The run loop's packed slots (./slots.ts): the forms of MOV, CMP, ADD and SUB with ops of their own
// (SlotOp), with results and flags worked out from the ARMv7-M ARM pseudocode (ThumbExpandImm_C,
// AddWithCarry; 16-bit flag-setting encodings set no flags inside an IT block), and code the core
// cannot cache (fetched from a device: run once from the scratch page, fetched afresh every time).
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { Cond, DpOp, T32Op } from './asm.ts';
import { thumbExpandImm } from './decode.ts';
import { boot, runTo } from './testing.ts';

function exec(build: (p: A.Program) => void) {
  const board = boot((p) => {
    build(p);
    p.label('done').b('done');
  });
  runTo(board, 'done');
  return board;
}

const flags = (xpsr: number) => ({ n: (xpsr >>> 31) & 1, z: (xpsr >>> 30) & 1, c: (xpsr >>> 29) & 1, v: (xpsr >>> 28) & 1 });
const reg = (board: ReturnType<typeof boot>, r: number) => board.cpu.r[r] >>> 0;
/** imm12 of the modified immediate 0x80000000 (0x80 rotated right by 8): its carry out is bit 31, 1. */
const IMM12_TOP_BIT = 0x400;

describe('Cortex-M slot ops (MOV, CMP, ADD, SUB with an immediate or a plain register)', () => {
  it('MOVS.W #0x80000000 takes C from the modified immediate; MOVS #imm8 leaves C and V', () => {
    const expanded = thumbExpandImm(IMM12_TOP_BIT);
    expect({ value: expanded.value >>> 0, carry: expanded.carry }).toEqual({ value: 0x8000_0000, carry: 1 });
    // movs r0, #0; cmp r0, #1: C clear (a borrow), V clear; then movs.w r1, #0x80000000
    const b = exec((p) => p.i(A.movs(0, 0), A.cmpImm(0, 1), A.dpImm(T32Op.ORR, true, 1, 15, IMM12_TOP_BIT)));
    expect(reg(b, 1)).toBe(0x8000_0000);
    expect(flags(b.cpu.xpsr)).toEqual({ n: 1, z: 0, c: 1, v: 0 });
    // cmp 0x80000000, 1 sets C and V; movs r2, #0 sets Z, clears N, keeps C and V
    const c = exec((p) => p.i(A.li(0, 0x8000_0000), A.cmpImm(0, 1), A.movs(2, 0)));
    expect(flags(c.cpu.xpsr)).toEqual({ n: 0, z: 1, c: 1, v: 1 });
  });

  it('MOVS rd, rm (LSL #0) sets N and Z only; MOV to a high register or lr sets none', () => {
    const b = exec((p) => p.i(A.li(0, 0x8000_0000), A.cmpImm(0, 1), A.movs(2, 0), A.li(3, 0x8000_0000), A.lslsImm(1, 3, 0), A.mov(8, 1), A.mov(14, 0)));
    expect(reg(b, 1)).toBe(0x8000_0000);
    expect(reg(b, 8)).toBe(0x8000_0000);
    expect(reg(b, 14)).toBe(0x8000_0000);
    expect(flags(b.cpu.xpsr)).toEqual({ n: 1, z: 0, c: 1, v: 1 });
  });

  it('CMP with a register: 3 - 5 borrows (N set, C clear); 5 - 5 is Z with C set', () => {
    const b = exec((p) => p.i(A.movs(0, 3), A.movs(1, 5), A.dpReg(DpOp.CMP, 0, 1)));
    expect(flags(b.cpu.xpsr)).toEqual({ n: 1, z: 0, c: 0, v: 0 });
    const c = exec((p) => p.i(A.movs(0, 5), A.movs(1, 5), A.dpReg(DpOp.CMP, 0, 1)));
    expect(flags(c.cpu.xpsr)).toEqual({ n: 0, z: 1, c: 1, v: 0 });
  });

  it('ADDS/SUBS with an immediate or a register set the flags as AddWithCarry; ADD to lr (a high register) sets none', () => {
    const b = exec((p) => p.i(A.li(0, 0x7fff_ffff), A.movs(1, 1), A.addsReg(2, 0, 1)));
    expect(reg(b, 2)).toBe(0x8000_0000);
    expect(flags(b.cpu.xpsr)).toEqual({ n: 1, z: 0, c: 0, v: 1 });
    const c = exec((p) => p.i(A.movs(0, 0), A.subsImm3(3, 0, 1)));
    expect(reg(c, 3)).toBe(0xffff_ffff);
    expect(flags(c.cpu.xpsr)).toEqual({ n: 1, z: 0, c: 0, v: 0 });
    const d = exec((p) => p.i(A.li(0, 0xffff_fff0), A.movs(1, 0x10), A.subsReg(2, 1, 1), A.li(14, 0x20), A.addHi(14, 0)));
    expect(reg(d, 2)).toBe(0);
    expect(reg(d, 14)).toBe(0x10);
    expect(flags(d.cpu.xpsr)).toEqual({ n: 0, z: 1, c: 1, v: 0 });
  });

  it('inside an IT block the 16-bit ADDS, SUBS and MOVS set no flags (and all four run)', () => {
    // cmp r0, r0: N 0, Z 1, C 1, V 0; ITTTT EQ; adds r1, #1; subs r2, r2, r4; movs r3, #0x80; movs r5, r0
    const b = exec((p) => p.i(A.movs(0, 7), A.movs(1, 5), A.movs(2, 0), A.movs(4, 1), A.dpReg(DpOp.CMP, 0, 0), A.it(Cond.EQ, 0x1), A.addsImm8(1, 1), A.subsReg(2, 2, 4), A.movs(3, 0x80), A.lslsImm(5, 0, 0)));
    expect([reg(b, 1), reg(b, 2), reg(b, 3), reg(b, 5)]).toEqual([6, 0xffff_ffff, 0x80, 7]);
    expect(flags(b.cpu.xpsr)).toEqual({ n: 0, z: 1, c: 1, v: 0 });
  });
});

describe('Cortex-M code that cannot be cached', () => {
  const DEVICE = 0x4000_0000;
  const DEVICE_SIZE = 0x2000;
  const PAGE = 0x1000;
  const bytes = (halfwords: A.Halfwords) => halfwords.flatMap((hw) => [hw & 0xff, hw >>> 8]);

  /** A device whose registers read as Thumb code; a store to it replaces its first page's code with `next`. */
  function codeDevice(board: ReturnType<typeof boot>, pages: A.Halfwords[], next: A.Halfwords) {
    const memory = new Uint8Array(DEVICE_SIZE);
    pages.forEach((code, i) => memory.set(bytes(code), i * PAGE));
    board.space.mapMmio('code', DEVICE, DEVICE_SIZE, {
      read: (offset, size) => {
        let value = 0;
        for (let i = size - 1; i >= 0; i--) value = (value << 8) | memory[offset + i];
        return value >>> 0;
      },
      write: () => memory.set(bytes(next), 0),
    });
  }

  it('code read from a device is fetched afresh each time it runs', () => {
    // call the device's code, store to the device (its code changes), call it again
    const board = boot((p) => p.i(A.li(3, DEVICE | 1), A.blx(3), A.mov(4, 0), A.li(2, DEVICE), A.strImm(5, 2, 0), A.blx(3), A.mov(6, 0)));
    codeDevice(board, [[...A.movs(0, 5), ...A.bx(14)]], [...A.movs(0, 9), ...A.bx(14)]);
    runTo(board, 'default');
    expect(board.cpu.r[4]).toBe(5);
    expect(board.cpu.r[6]).toBe(9);
  });

  it('uncached code at the same offset of two device pages runs each page\'s own instruction', () => {
    const board = boot((p) => p.i(A.li(3, DEVICE | 1), A.blx(3), A.mov(4, 0), A.li(3, (DEVICE + PAGE) | 1), A.blx(3), A.mov(6, 0), A.li(3, DEVICE | 1), A.blx(3), A.mov(7, 0)));
    codeDevice(board, [[...A.movs(0, 5), ...A.bx(14)], [...A.movs(0, 7), ...A.bx(14)]], []);
    runTo(board, 'default');
    expect([board.cpu.r[4], board.cpu.r[6], board.cpu.r[7]]).toEqual([5, 7, 5]);
  });
});
