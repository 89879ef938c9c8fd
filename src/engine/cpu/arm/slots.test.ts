// The run loop's packed slots (./slots.ts): the forms of MOV, CMP, ADD, SUB, shifts and logic ops with ops of their own
// (SlotOp), with results and flags worked out from the ARMv7-M ARM pseudocode (ThumbExpandImm_C,
// AddWithCarry; 16-bit flag-setting encodings set no flags inside an IT block), and code the core
// cannot cache (fetched from a device: run once from the scratch page, fetched afresh every time).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { Cond, DpOp, T32Op } from './asm.ts';
import { AddrMode, Kind, Op, SetFlags, Shift, thumbExpandImm } from './decode.ts';
import {
  AUX_DECREMENT, AUX_IMM_CARRY, AUX_SHIFT_N, AUX_SIGNED, AUX_UNPRIVILEGED, AUX_WRITE_BACK, COND_MASK_SHIFT, KIND_MASK, KIND_SHIFT, OP_MASK, PREAMBLE, SET_FLAGS_SHIFT,
  SLOT_NOT_DECODED, SLOT_PAGE_END, SLOTS_SHIFT, SlotOp,
} from './slots.ts';
import { CODE_CHUNK_SHIFT } from '../../memory.ts';
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

describe('Cortex-M slot ops AND, EOR, ORR, BIC with a register shifted by a constant (no flags)', () => {
  const SHIFT = { LSL: 0, LSR: 1, ASR: 2, ROR: 3 } as const;

  it('EOR.W rd, rn, rm, LSR #8 and LSL #13; AND.W with ASR #4 of a negative value; ORR.W, BIC.W; the flags are left alone', () => {
    // cmp r0, r0 first (Z and C set): none of the shifted ops may change the flags
    const b = exec((p) => p.i(
      A.li(0, 0xedb8_8320), A.li(1, 0x1234_5678), A.dpReg(DpOp.CMP, 0, 0),
      A.dpShifted(T32Op.EOR, false, 2, 0, 1, SHIFT.LSR, 8), // 0xedb88320 ^ 0x00123456
      A.dpShifted(T32Op.EOR, false, 3, 1, 1, SHIFT.LSL, 13), // 0x12345678 ^ 0x8acf0000
      A.dpShifted(T32Op.AND, false, 4, 0, 0, SHIFT.ASR, 4), // 0xedb88320 & 0xfedb8832
      A.dpShifted(T32Op.ORR, false, 5, 1, 0, SHIFT.LSR, 31), // 0x12345678 | 1
      A.dpShifted(T32Op.BIC, false, 6, 0, 1, SHIFT.LSL, 0), // 0xedb88320 & ~0x12345678
    ));
    expect([reg(b, 2), reg(b, 3), reg(b, 4), reg(b, 5), reg(b, 6)]).toEqual([
      0xedaa_b776, 0x98fb_5678, 0xec98_8020, 0x1234_5679, 0xed88_8100,
    ]);
    expect(flags(b.cpu.xpsr)).toEqual({ n: 0, z: 1, c: 1, v: 0 });
  });

  it('LSR #32, ASR #32, ROR and the flag-setting EORS.W keep the general path: results and carry as Shift_C says', () => {
    const b = exec((p) => p.i(
      A.li(0, 0x8000_0001), A.li(1, 0xf0f0_f0f0), A.movs(7, 0), A.dpReg(DpOp.CMP, 7, 7),
      A.dpShifted(T32Op.EOR, false, 2, 1, 0, SHIFT.LSR, 0), // LSR #32: 0xf0f0f0f0 ^ 0
      A.dpShifted(T32Op.EOR, false, 3, 1, 0, SHIFT.ASR, 0), // ASR #32 of a negative value: all ones
      A.dpShifted(T32Op.EOR, false, 4, 1, 0, SHIFT.ROR, 1), // ROR #1: 0xc0000000
      A.dpShifted(T32Op.EOR, true, 5, 7, 0, SHIFT.LSR, 1), // EORS: C from bit 0 of 0x80000001 (1), N 0, Z 0
    ));
    expect([reg(b, 2), reg(b, 3), reg(b, 4), reg(b, 5)]).toEqual([0xf0f0_f0f0, 0x0f0f_0f0f, 0x30f0_f0f0, 0x4000_0000]);
    expect(flags(b.cpu.xpsr)).toEqual({ n: 0, z: 0, c: 1, v: 0 });
  });

  it('inside an IT block a shifted EOR.W whose condition fails does not run', () => {
    const b = exec((p) => p.i(A.li(0, 0xff), A.movs(2, 7), A.movs(1, 1), A.dpReg(DpOp.CMP, 1, 1), A.it(Cond.NE, 0x8), A.dpShifted(T32Op.EOR, false, 2, 0, 0, SHIFT.LSL, 4)));
    expect(reg(b, 2)).toBe(7);
  });
});

describe('Cortex-M slot op SHIFT_IMM (LSL, LSR, ASR by a constant)', () => {
  const SHIFT = { LSL: 0, LSR: 1, ASR: 2 } as const;
  /** li r2, 0x80000000; cmp r2, #1: C and V set, so a shift that leaves V shows it. */
  const setCV = (p: A.Program) => p.i(A.li(2, 0x8000_0000), A.cmpImm(2, 1));

  it('LSLS takes C from the last bit shifted out (bit 32 - n) and leaves V', () => {
    const b = exec((p) => { setCV(p); p.i(A.li(0, 0x8000_0001), A.lslsImm(1, 0, 1)); });
    expect(reg(b, 1)).toBe(2);
    expect(flags(b.cpu.xpsr)).toEqual({ n: 0, z: 0, c: 1, v: 1 });
    const c = exec((p) => { setCV(p); p.i(A.li(0, 0x8000_0001), A.lslsImm(1, 0, 2)); });
    expect(reg(c, 1)).toBe(4);
    expect(flags(c.cpu.xpsr)).toEqual({ n: 0, z: 0, c: 0, v: 1 });
  });

  it('LSRS and ASRS by 1 and by 32 (imm5 0): results and C as Shift_C says', () => {
    const lsr1 = exec((p) => p.i(A.li(0, 0x8000_0001), A.lsrsImm(1, 0, 1)));
    expect(reg(lsr1, 1)).toBe(0x4000_0000);
    expect(flags(lsr1.cpu.xpsr)).toEqual({ n: 0, z: 0, c: 1, v: 0 });
    const lsr32 = exec((p) => p.i(A.li(0, 0x8000_0001), A.lsrsImm(1, 0, 0)));
    expect(reg(lsr32, 1)).toBe(0);
    expect(flags(lsr32.cpu.xpsr)).toEqual({ n: 0, z: 1, c: 1, v: 0 });
    const asr1 = exec((p) => p.i(A.li(0, 0x8000_0002), A.asrsImm(1, 0, 1)));
    expect(reg(asr1, 1)).toBe(0xc000_0001);
    expect(flags(asr1.cpu.xpsr)).toEqual({ n: 1, z: 0, c: 0, v: 0 });
    const asr32 = exec((p) => p.i(A.li(0, 0x8000_0000), A.asrsImm(1, 0, 0)));
    expect(reg(asr32, 1)).toBe(0xffff_ffff);
    expect(flags(asr32.cpu.xpsr)).toEqual({ n: 1, z: 0, c: 1, v: 0 });
  });

  it('MOV.W rd, rm, LSR #4 (no S) and a 16-bit LSLS inside an IT block set no flags', () => {
    // cmp r7, r7: Z and C set; a flag-setting lsls #1 of 0x40000000 would set N and clear C and Z
    const b = exec((p) => p.i(A.li(0, 0x4000_0000), A.movs(7, 0), A.dpReg(DpOp.CMP, 7, 7),
      A.dpShifted(T32Op.ORR, false, 3, 15, 0, SHIFT.LSR, 4), A.it(Cond.EQ, 0x8), A.lslsImm(1, 0, 1), A.dpShifted(T32Op.ORR, false, 4, 15, 0, SHIFT.ASR, 30)));
    expect([reg(b, 3), reg(b, 1), reg(b, 4)]).toEqual([0x0400_0000, 0x8000_0000, 1]);
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

describe('Cortex-M B slots and breakpoints on decoded code', () => {
  /** ConditionPassed (ARMv7-M A7.3.1), written out from the pseudocode, for flags N, Z, C, V. */
  function conditionPassed(cond: number, n: number, z: number, c: number, v: number): boolean {
    const base = [z === 1, c === 1, n === 1, v === 1, c === 1 && z === 0, n === v, z === 0 && n === v][cond >>> 1];
    return (cond & 1) === 0 ? base : !base;
  }

  it('B<cond> is taken exactly when ConditionPassed says, for every condition and all 16 flag values (decoded code, no breakpoint)', () => {
    for (let cond = 0; cond < 14; cond++) {
      // b<cond> taken; movs r0, #1; b done; taken: movs r0, #2; done: b done
      const board = boot((p) => {
        p.bcond(cond, 'taken').i(A.movs(0, 1)).b('done').label('taken').i(A.movs(0, 2)).label('done').b('done');
      });
      const start = board.program.address('start');
      for (let nzcv = 0; nzcv < 16; nzcv++) {
        for (let pass = 0; pass < 2; pass++) {
          // the first pass decodes the slots; the second runs them decoded
          board.cpu.pc = start;
          board.cpu.xpsr = ((nzcv << 28) | (1 << 24)) >>> 0;
          board.cpu.r[0] = 0;
          expect(board.cpu.run(3)).toBe(3);
          const taken = conditionPassed(cond, nzcv >>> 3, (nzcv >>> 2) & 1, (nzcv >>> 1) & 1, nzcv & 1);
          expect({ cond, nzcv, r0: board.cpu.r[0] }).toEqual({ cond, nzcv, r0: taken ? 2 : 1 });
        }
      }
    }
  });

  it('a breakpoint set on code that has run (decoded) stops run() before it, every time round a loop', () => {
    // loop: adds r0, #1; cmp r0, #10; bne loop; movs r1, #7
    const board = boot((p) => p.i(A.movs(0, 0)).label('loop').i(A.addsImm8(0, 1), A.cmpImm(0, 10)).bcond(Cond.NE, 'loop').i(A.movs(1, 7)));
    expect(board.cpu.run(8)).toBe(8); // movs, then (adds, cmp, bne) twice and an adds: all decoded
    expect(board.cpu.r[0]).toBe(3);
    const cmp = board.program.address('loop') + 2;
    board.cpu.breakpoints.add(cmp);
    expect(board.cpu.run(100)).toBe(0);
    expect([board.cpu.pc, board.cpu.stoppedAtBreakpoint, board.cpu.instret]).toEqual([cmp, true, 8]);
    // passing it runs on to the next round's cmp
    board.cpu.passBreakpointHere();
    expect(board.cpu.run(100)).toBe(3);
    expect([board.cpu.pc, board.cpu.r[0], board.cpu.instret]).toEqual([cmp, 4, 11]);
    board.cpu.breakpoints.delete(cmp);
    expect(board.cpu.run(100)).toBe(100);
    expect(board.cpu.r[1]).toBe(7);
  });
});

describe('the literals run() uses for named constants', () => {
  // run() writes constants as literals named in a block comment after them (0x7f then OP_MASK, case 81 then slot MOV_IMM):
  // V8 would load a module constant from its cell at every use. Each literal must be the named constant's value.
  const source = readFileSync(new URL('./cortex-m.ts', import.meta.url), 'utf8');
  const localConstant = (name: string): number => {
    const match = new RegExp(`^const ${name} = (\\d+);$`, 'm').exec(source);
    if (match === null) throw new Error(`cortex-m.ts declares no const ${name}`);
    return Number(match[1]);
  };
  const named = new Map<string, number>([
    ...Object.entries(Op),
    ...Object.entries(SlotOp).map(([name, value]): [string, number] => [`slot ${name}`, value]),
    ...Object.entries(Kind).map(([name, value]): [string, number] => [`Kind.${name}`, value]),
    ...Object.entries(Shift).map(([name, value]): [string, number] => [`Shift.${name}`, value]),
    ...Object.entries(AddrMode).map(([name, value]): [string, number] => [`AddrMode.${name}`, value]),
    ['OP_MASK', OP_MASK], ['PREAMBLE', PREAMBLE], ['SET_FLAGS_SHIFT', SET_FLAGS_SHIFT], ['KIND_SHIFT', KIND_SHIFT], ['KIND_MASK', KIND_MASK], ['SLOTS_SHIFT', SLOTS_SHIFT], ['COND_MASK_SHIFT', COND_MASK_SHIFT],
    ['SLOT_NOT_DECODED', SLOT_NOT_DECODED], ['SLOT_PAGE_END', SLOT_PAGE_END], ['AUX_SHIFT_N', AUX_SHIFT_N], ['AUX_IMM_CARRY', AUX_IMM_CARRY],
    ['AUX_SIGNED', AUX_SIGNED], ['AUX_UNPRIVILEGED', AUX_UNPRIVILEGED], ['AUX_WRITE_BACK', AUX_WRITE_BACK], ['AUX_DECREMENT', AUX_DECREMENT],
    ['CODE_CHUNK_SHIFT', CODE_CHUNK_SHIFT], ['PAGE_SHIFT', localConstant('PAGE_SHIFT')], ['PAGE_BYTES', 1 << localConstant('PAGE_SHIFT')],
    ['SETS_FLAGS_OUTSIDE_IT', SetFlags.ALWAYS | SetFlags.OUTSIDE_IT], ['SETS_FLAGS_INSIDE_IT', SetFlags.ALWAYS],
  ]);
  const literals = [...source.matchAll(/\b(0x[0-9a-f_]+|\d+) \/\* ((?:slot )?[A-Z][A-Za-z0-9_.]*) \*\//g)];

  it('finds the literals of run() and its helpers', () => {
    const names = new Set(literals.map((m) => m[2]));
    for (const name of ['OP_MASK', 'PREAMBLE', 'SET_FLAGS_SHIFT', 'SETS_FLAGS_OUTSIDE_IT', 'PAGE_BYTES', 'Kind.REG', 'AddrMode.POST', 'slot CMP_IMM', 'LDR_IMM']) {
      expect(names.has(name), name).toBe(true);
    }
  });

  it.each(literals.map((m) => [m[0], m[1], m[2]] as const))('%s', (_text, literal, name) => {
    expect(named.has(name), `${name} is not a constant the test knows`).toBe(true);
    expect(Number(literal.replaceAll('_', ''))).toBe(named.get(name));
  });
});
