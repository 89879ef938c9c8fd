// Instruction groups of the Cortex-M core, hand-encoded (./asm.ts), with results and flags worked out
// from the ARMv7-M ARM pseudocode (AddWithCarry, Shift_C, ThumbExpandImm_C, SignedSatQ...).
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { Cond, DpOp, T32Op } from './asm.ts';
import { boot, DATA, runTo, SRAM } from './testing.ts';
import { thumbExpandImm } from './decode.ts';

/** Run `build`'s code (then `done`) and return the core. */
function exec(build: (p: A.Program) => void, options: Parameters<typeof boot>[1] = {}) {
  const board = boot((p) => {
    build(p);
    p.label('done').b('done');
  }, options);
  runTo(board, 'done');
  return board;
}

const flags = (xpsr: number) => ({ n: (xpsr >>> 31) & 1, z: (xpsr >>> 30) & 1, c: (xpsr >>> 29) & 1, v: (xpsr >>> 28) & 1, q: (xpsr >>> 27) & 1 });
const reg = (board: ReturnType<typeof boot>, r: number) => board.cpu.r[r] >>> 0;

describe('Cortex-M data processing', () => {
  it('ADDS sets N, Z, C, V as AddWithCarry: 0x7fffffff + 1 overflows signed, not unsigned', () => {
    const b = exec((p) => p.i(A.li(0, 0x7fff_ffff), A.movs(1, 1), A.addsReg(2, 0, 1)));
    expect(reg(b, 2)).toBe(0x8000_0000);
    expect(flags(b.cpu.xpsr)).toMatchObject({ n: 1, z: 0, c: 0, v: 1 });
  });

  it('ADDS 0xffffffff + 1 is zero with carry out and no overflow', () => {
    const b = exec((p) => p.i(A.li(0, 0xffff_ffff), A.addsImm3(2, 0, 1)));
    expect(reg(b, 2)).toBe(0);
    expect(flags(b.cpu.xpsr)).toMatchObject({ n: 0, z: 1, c: 1, v: 0 });
  });

  it('SUBS/CMP: C is NOT borrow (3 - 5 borrows: C clear, N set); 5 - 3: C set', () => {
    const b = exec((p) => p.i(A.movs(0, 3), A.movs(1, 5), A.subsReg(2, 0, 1)));
    expect(reg(b, 2)).toBe(0xffff_fffe);
    expect(flags(b.cpu.xpsr)).toMatchObject({ n: 1, z: 0, c: 0, v: 0 });
    const c = exec((p) => p.i(A.movs(0, 5), A.cmpImm(0, 3)));
    expect(flags(c.cpu.xpsr)).toMatchObject({ n: 0, z: 0, c: 1, v: 0 });
  });

  it('CMP 0x80000000, 1 overflows (V) without borrow (C set)', () => {
    const b = exec((p) => p.i(A.li(0, 0x8000_0000), A.cmpImm(0, 1)));
    expect(flags(b.cpu.xpsr)).toMatchObject({ n: 0, z: 0, c: 1, v: 1 });
  });

  it('ADC and SBC use the carry in', () => {
    const b = exec((p) => p.i(A.li(0, 0xffff_ffff), A.addsImm3(0, 0, 1), A.movs(1, 7), A.movs(2, 0), A.dpReg(DpOp.ADC, 1, 2), A.movs(3, 10), A.movs(4, 3), A.cmpImm(4, 4), A.dpReg(DpOp.SBC, 3, 4)));
    expect(reg(b, 1)).toBe(8); // 7 + 0 + C(1)
    expect(reg(b, 3)).toBe(6); // 10 - 3 - NOT C(0) = 10 - 3 - 1
  });

  it('RSBS (NEG) and MVN', () => {
    const b = exec((p) => p.i(A.movs(0, 5), A.dpReg(DpOp.RSB, 1, 0), A.movs(2, 0), A.dpReg(DpOp.MVN, 3, 2)));
    expect(reg(b, 1)).toBe(0xffff_fffb);
    expect(reg(b, 3)).toBe(0xffff_ffff);
  });

  it('logical ops set N and Z from the result and C from the shifter (LSLS #1 of 0x80000001: C = 1)', () => {
    const b = exec((p) => p.i(A.li(0, 0x8000_0001), A.lslsImm(1, 0, 1)));
    expect(reg(b, 1)).toBe(2);
    expect(flags(b.cpu.xpsr)).toMatchObject({ n: 0, z: 0, c: 1 });
  });

  it('LSRS #32 (imm5 = 0) and ASRS #32 shift everything out; C is the last bit out', () => {
    const b = exec((p) => p.i(A.li(0, 0x8000_0000), A.lsrsImm(1, 0, 0)));
    expect(reg(b, 1)).toBe(0);
    expect(flags(b.cpu.xpsr)).toMatchObject({ z: 1, c: 1 });
    const c = exec((p) => p.i(A.li(0, 0x8000_0000), A.asrsImm(1, 0, 0)));
    expect(reg(c, 1)).toBe(0xffff_ffff);
    expect(flags(c.cpu.xpsr)).toMatchObject({ n: 1, c: 1 });
  });

  it('register shifts by the bottom byte: LSL by 33 is 0 with C 0, ROR by 32 keeps the value and C = bit 31', () => {
    const b = exec((p) => p.i(A.li(0, 0xffff_ffff), A.movs(1, 33), A.dpReg(DpOp.LSL, 0, 1)));
    expect(reg(b, 0)).toBe(0);
    expect(flags(b.cpu.xpsr)).toMatchObject({ z: 1, c: 0 });
    const c = exec((p) => p.i(A.li(0, 0x8000_0001), A.movs(1, 32), A.dpReg(DpOp.ROR, 0, 1)));
    expect(reg(c, 0)).toBe(0x8000_0001);
    expect(flags(c.cpu.xpsr)).toMatchObject({ n: 1, c: 1 });
  });

  it('ThumbExpandImm: replicated patterns and rotated constants, with the carry of rotated ones', () => {
    expect(thumbExpandImm(0x0ab)).toEqual({ value: 0xab, carry: -1 });
    expect(thumbExpandImm(0x1ab).value >>> 0).toBe(0x00ab_00ab);
    expect(thumbExpandImm(0x2ab).value >>> 0).toBe(0xab00_ab00);
    expect(thumbExpandImm(0x3ab).value >>> 0).toBe(0xabab_abab);
    // 0x4ff: rotate 0xff by 9 → 0x7f800000; the carry is bit 31 = 0
    expect(thumbExpandImm(0x4ff)).toEqual({ value: 0x7f80_0000, carry: 0 });
    // i:imm3:a = 01000 → ROR(0x80 | 0x00, 8) = 0x80000000, carry 1
    expect(thumbExpandImm(0x400)).toEqual({ value: -0x8000_0000, carry: 1 });
  });

  it('32-bit data processing with modified immediates and shifted registers', () => {
    const b = exec((p) =>
      p.i(
        A.movs(0, 0),
        A.dpImm(T32Op.ORR, false, 1, 0, 0x3ab), // ORR r1, r0, #0xabababab
        A.dpImm(T32Op.ADD, true, 2, 1, 0x0001), // ADDS r2, r1, #1
        A.dpShifted(T32Op.ADD, false, 3, 1, 1, 1, 4), // ADD r3, r1, r1, LSR #4
        A.dpShifted(T32Op.BIC, false, 4, 1, 1, 3, 8), // BIC r4, r1, r1, ROR #8 → 0
        A.dpShifted(T32Op.EOR, true, 5, 1, 1, 0, 0), // EORS r5, r1, r1 → 0, Z
      ),
    );
    expect(reg(b, 1)).toBe(0xabab_abab);
    expect(reg(b, 2)).toBe(0xabab_abac);
    expect(reg(b, 3)).toBe((0xabab_abab + (0xabab_abab >>> 4)) >>> 0);
    expect(reg(b, 4)).toBe(0);
    expect(flags(b.cpu.xpsr).z).toBe(1);
  });

  it('MOVW/MOVT, MUL, MLA, MLS', () => {
    const b = exec((p) => p.i(A.li(0, 0x1234_5678), A.li(1, 3), A.li(2, 100), A.mul(3, 0, 1), A.mla(4, 1, 2, 1), A.mls(5, 1, 2, 0)));
    expect(reg(b, 0)).toBe(0x1234_5678);
    expect(reg(b, 3)).toBe((0x1234_5678 * 3) >>> 0);
    expect(reg(b, 4)).toBe(303);
    expect(reg(b, 5)).toBe(0x1234_5678 - 300);
  });

  it('long multiplies: UMULL, SMULL, UMLAL, SMLAL give the 64-bit results', () => {
    const b = exec((p) =>
      p.i(A.li(0, 0xffff_ffff), A.li(1, 0xffff_ffff), A.umull(2, 3, 0, 1), A.smull(4, 5, 0, 1), A.li(6, 1), A.li(7, 0), A.umlal(6, 7, 0, 1), A.li(8, 0), A.li(9, 0), A.smlal(8, 9, 0, 1)),
    );
    // 0xffffffff² = 0xfffffffe_00000001; (-1)² = 1
    expect([reg(b, 2), reg(b, 3)]).toEqual([0x0000_0001, 0xffff_fffe]);
    expect([reg(b, 4), reg(b, 5)]).toEqual([1, 0]);
    expect([reg(b, 6), reg(b, 7)]).toEqual([2, 0xffff_fffe]);
    expect([reg(b, 8), reg(b, 9)]).toEqual([1, 0]);
  });

  it('UDIV/SDIV round toward zero; dividing by zero gives 0 unless CCR.DIV_0_TRP', () => {
    const b = exec((p) => p.i(A.li(0, 7), A.li(1, 0xffff_fffe), A.sdiv(2, 0, 1), A.udiv(3, 1, 0), A.li(4, 0), A.udiv(5, 0, 4), A.li(6, 0x8000_0000), A.li(7, 0xffff_ffff), A.sdiv(8, 6, 7)));
    expect(reg(b, 2)).toBe(0xffff_fffd); // 7 / -2 = -3
    expect(reg(b, 3)).toBe(Math.floor(0xffff_fffe / 7));
    expect(reg(b, 5)).toBe(0);
    expect(reg(b, 8)).toBe(0x8000_0000);
  });

  it('SSAT/USAT saturate and set Q; in range they leave Q alone', () => {
    const b = exec((p) => p.i(A.li(0, 300), A.ssat(1, 8, 0), A.li(2, 0xffff_fc00), A.usat(3, 8, 2), A.ssat(4, 16, 0)));
    expect(reg(b, 1)).toBe(127);
    expect(reg(b, 3)).toBe(0);
    expect(reg(b, 4)).toBe(300);
    expect(flags(b.cpu.xpsr).q).toBe(1);
    const c = exec((p) => p.i(A.li(0, 100), A.ssat(1, 8, 0)));
    expect(flags(c.cpu.xpsr).q).toBe(0);
  });

  it('bitfields: BFI, BFC, UBFX, SBFX', () => {
    const b = exec((p) => p.i(A.li(0, 0xffff_ffff), A.li(1, 0x5), A.bfi(0, 1, 4, 4), A.li(2, 0xffff_ffff), A.bfc(2, 8, 8), A.li(3, 0x0000_f0a0), A.ubfx(4, 3, 4, 8), A.sbfx(5, 3, 12, 4)));
    expect(reg(b, 0)).toBe(0xffff_ff5f);
    expect(reg(b, 2)).toBe(0xffff_00ff);
    expect(reg(b, 4)).toBe(0x0a);
    expect(reg(b, 5)).toBe(0xffff_ffff);
  });

  it('CLZ, RBIT, REV, REV16, REVSH, SXTB, SXTH, UXTB, UXTH', () => {
    const b = exec((p) =>
      p.i(A.li(0, 0x0000_8180), A.clz(1, 0), A.rbit(2, 0), A.li(3, 0x1234_5678), A.rev(4, 3), A.rev16(5, 3), A.li(6, 0x0000_80ff), A.revsh(7, 6), A.sxtb(1, 0), A.sxth(3, 0), A.uxtb(6, 0)),
    );
    expect(reg(b, 1)).toBe(0xffff_ff80);
    expect(reg(b, 2)).toBe(0x0181_0000);
    expect(reg(b, 4)).toBe(0x7856_3412);
    expect(reg(b, 5)).toBe(0x3412_7856);
    expect(reg(b, 7)).toBe(0xffff_ff80);
    expect(reg(b, 3)).toBe(0xffff_8180);
    expect(reg(b, 6)).toBe(0x80);
    const c = exec((p) => p.i(A.li(0, 0x0000_8180), A.clz(1, 0), A.uxth(2, 0)));
    expect(reg(c, 1)).toBe(16);
    expect(reg(c, 2)).toBe(0x8180);
  });

  it('more encodings: SUBS #imm8/#imm3, ADD with a high register, STRH, ADD/SUB sp, DMB, STR.W, STMDB/LDMIA.W with high registers', () => {
    const b = exec((p) =>
      p.i(
        A.movs(0, 50), A.subsImm8(0, 8), A.subsImm3(1, 0, 2), A.li(8, 1000), A.addHi(8, 1), A.li(2, DATA), A.li(3, 0xbeef), A.strhImm(3, 2, 6), A.subSp(16), A.addSp(8), A.dmb(),
        A.strW(8, 2, 0x100), A.li(9, 0x99), A.li(10, 0xaa), A.mov(4, 13), A.stmdbW(13, (1 << 9) | (1 << 10)), A.mov(5, 13), A.movs(6, 0), A.mov(9, 6), A.mov(10, 6), A.ldmiaW(13, (1 << 9) | (1 << 10)),
      ),
    );
    expect(reg(b, 0)).toBe(42);
    expect(reg(b, 1)).toBe(40);
    expect(reg(b, 8)).toBe(1040);
    expect(b.space.load(DATA + 6, 2)).toBe(0xbeef);
    expect(b.space.load(DATA + 0x100, 4)).toBe(1040);
    expect(reg(b, 4)).toBe(0x2001_0000 - 8);
    expect(reg(b, 5)).toBe(0x2001_0000 - 16);
    expect([reg(b, 9), reg(b, 10), reg(b, 13)]).toEqual([0x99, 0xaa, 0x2001_0000 - 8]);
  });

  it('MSR APSR_nzcvq writes the flags; MRS APSR reads them back', () => {
    const b = exec((p) => p.i(A.li(0, 0xf800_0000), A.msr(A.SYSm.APSR, 0), A.mrs(1, A.SYSm.APSR)));
    expect(reg(b, 1)).toBe(0xf800_0000);
  });
});

describe('Cortex-M branches and IT blocks', () => {
  it('conditional branches follow the flags; CBZ/CBNZ test a register', () => {
    const b = exec((p) => {
      p.i(A.movs(0, 0), A.movs(1, 0), A.cmpImm(0, 0)).bcond(Cond.NE, 'skip').i(A.movs(1, 1));
      p.label('skip').cbz(0, 'zero').i(A.movs(2, 9));
      p.label('zero').i(A.movs(3, 1)).cbz(3, 'end', true).i(A.movs(4, 9));
      p.label('end');
    });
    expect(reg(b, 1)).toBe(1);
    expect(reg(b, 2)).toBe(0);
    expect(reg(b, 4)).toBe(0);
  });

  it('BL links pc+4 with the Thumb bit; BX lr returns; BLX rm links pc+2', () => {
    const b = exec((p) => {
      p.bl('f').i(A.movs(1, 1)).b('over');
      p.label('f').i(A.movs(0, 42), A.bx(14));
      p.label('over').adr(2, 'g').i(A.addsImm3(2, 2, 1), A.blx(2), A.movs(3, 3)).b('end');
      p.word(0);
      p.label('g').i(A.movs(4, 4), A.bx(14));
      p.label('end');
    });
    expect(reg(b, 0)).toBe(42);
    expect(reg(b, 1)).toBe(1);
    expect(reg(b, 3)).toBe(3);
    expect(reg(b, 4)).toBe(4);
  });

  it('IT blocks: ITE EQ runs the then-instruction on EQ and the else one otherwise; 16-bit ops inside do not set flags', () => {
    // ITE EQ: firstcond 0000, mask 1100 (the else slot inverts the condition's low bit)
    const b = exec((p) => p.i(A.movs(0, 1), A.cmpImm(0, 1), A.it(Cond.EQ, 0xc), A.movs(1, 7), A.movs(2, 8), A.movs(3, 9)));
    expect(reg(b, 1)).toBe(7);
    expect(reg(b, 2)).toBe(0);
    expect(reg(b, 3)).toBe(9);
    // MOVS inside the IT block is MOV (no flags): Z from the CMP stays set
    expect(flags(b.cpu.xpsr).z).toBe(0); // the last MOVS (outside) cleared Z
    const c = exec((p) => p.i(A.movs(0, 1), A.cmpImm(0, 1), A.it(Cond.EQ, 0x8), A.movs(1, 0)));
    expect(flags(c.cpu.xpsr)).toMatchObject({ z: 1, n: 0 });
    expect(reg(c, 1)).toBe(0);
    const d = exec((p) => p.i(A.movs(0, 2), A.cmpImm(0, 1), A.it(Cond.EQ, 0xc), A.movs(1, 7), A.movs(2, 8)));
    expect(reg(d, 1)).toBe(0);
    expect(reg(d, 2)).toBe(8);
  });

  it('TBB and TBH branch through byte and halfword tables (table right after the instruction: base pc + 4)', () => {
    for (const index of [0, 1]) {
      // TBB [pc, r0]: table bytes {1, 3} → case0 at +4 + 2, case1 at +4 + 6
      const b = exec((p) => {
        p.i(A.movs(0, index), A.tbb(15, 0), [0x0301]);
        p.i(A.movs(5, 10)).b('end');
        p.i(A.movs(5, 20)).b('end');
        p.label('end');
      });
      expect(reg(b, 5)).toBe(index === 0 ? 10 : 20);
      // TBH [pc, r0, lsl #1]: table halfwords {2, 4}
      const h = exec((p) => {
        p.i(A.movs(0, index), A.tbh(15, 0), [0x0002], [0x0004]);
        p.i(A.movs(5, 30)).b('end');
        p.i(A.movs(5, 40)).b('end');
        p.label('end');
      });
      expect(reg(h, 5)).toBe(index === 0 ? 30 : 40);
    }
  });
});

describe('Cortex-M loads and stores', () => {
  it('LDR/STR with immediate, register, pre- and post-indexed addressing; LDRB, LDRH, LDRSB, LDRSH', () => {
    const b = exec((p) =>
      p.i(
        A.li(0, DATA), A.li(1, 0x8182_8384), A.strImm(1, 0, 0), A.ldrbImm(2, 0, 1), A.ldrhImm(3, 0, 2), A.movs(4, 0), A.ldrsbReg(5, 0, 4), A.movs(4, 2), A.ldrshReg(6, 0, 4),
        A.mov(7, 0), A.ldrPost(8, 7, 4), A.ldrPre(9, 7, -4),
      ),
    );
    expect(reg(b, 2)).toBe(0x83);
    expect(reg(b, 3)).toBe(0x8182);
    expect(reg(b, 5)).toBe(0xffff_ff84);
    expect(reg(b, 6)).toBe(0xffff_8182);
    expect(reg(b, 8)).toBe(0x8182_8384);
    expect(reg(b, 7)).toBe(DATA);
    expect(reg(b, 9)).toBe(0x8182_8384);
  });

  // LDR{B,H}/STR{B,H}.W rt, [rn], #imm (post-indexed, T4/T3 forms): `op` is the first halfword's base
  const postIndexed = (op: number, rt: number, rn: number, imm: number) => A.t32(op | rn, (rt << 12) | 0x900 | (imm < 0 ? 0 : 0x200) | Math.abs(imm));
  const POST = { LDR: 0xf850, LDRB: 0xf810, LDRH: 0xf830, STR: 0xf840, STRB: 0xf800, STRH: 0xf820 } as const;
  it.each([
    // aligned: the fast paths (word, byte, halfword loads and stores)
    ['LDR', 0, -1], ['LDRB', 0, -1], ['LDRH', 0, -1], ['STR', 0, -1], ['STRB', 0, -1], ['STRH', 0, -1],
    // unaligned: the general path (unaligned word and halfword accesses are allowed with CCR.UNALIGN_TRP clear)
    ['LDR', 3, -4], ['LDRH', 1, -2], ['STR', 3, -4], ['STRH', 1, -2],
  ] as const)('%s post-indexed from %i by %i writes back 0xffffffff to the base register', (name, base, imm) => {
    const b = exec((p) => p.i(A.li(7, base), A.li(8, 0x5a), postIndexed(POST[name], 8, 7, imm)));
    expect(reg(b, 7)).toBe(0xffff_ffff);
  });

  it('PUSH/POP and LDM/STM move registers in order; LDRD/STRD move pairs', () => {
    const b = exec((p) =>
      p.i(A.movs(0, 1), A.movs(1, 2), A.movs(2, 3), A.push([0, 1, 2]), A.pop([5, 6, 7]), A.li(3, DATA), A.stmia(3, [5, 6, 7]), A.li(4, DATA), A.ldmia(4, [0, 1, 2]), A.li(4, DATA), A.ldrd(8, 9, 4, 4), A.strd(8, 9, 4, 16)),
    );
    expect([reg(b, 5), reg(b, 6), reg(b, 7)]).toEqual([1, 2, 3]);
    expect(reg(b, 3)).toBe(DATA + 12);
    expect([reg(b, 8), reg(b, 9)]).toEqual([2, 3]);
    expect(b.space.load(DATA + 16, 4)).toBe(2);
    expect(b.space.load(DATA + 20, 4)).toBe(3);
    expect(reg(b, 13)).toBe(b.cpu.msp);
  });

  it('self-modifying code: a store into decoded code (through the RAM fast path) is seen by the next execution', () => {
    // writes "movs r0, #1; bx lr" to DATA, calls it, rewrites it to "movs r0, #2", calls it again
    const b = exec((p) =>
      p.i(
        A.li(4, DATA), A.li(5, (A.bx(14)[0] << 16) | A.movs(0, 1)[0]), A.strImm(5, 4, 0), A.li(6, DATA + 1), A.blx(6), A.mov(8, 0),
        A.li(5, A.movs(0, 2)[0]), A.strhImm(5, 4, 0), A.blx(6), A.mov(9, 0),
      ),
    );
    expect(reg(b, 8)).toBe(1);
    expect(reg(b, 9)).toBe(2);
  });

  it('LDREX/STREX succeed with the monitor open (0) and fail after CLREX (1)', () => {
    const b = exec((p) => p.i(A.li(0, DATA), A.li(1, 77), A.ldrex(2, 0), A.strex(3, 1, 0), A.ldrex(2, 0), A.clrex(), A.li(1, 99), A.strex(4, 1, 0)));
    expect(reg(b, 3)).toBe(0);
    expect(reg(b, 4)).toBe(1);
    expect(b.space.load(DATA, 4)).toBe(77);
  });

  it('a plain STR to the address LDREX marked clears the monitor, also once the store window is open (STREX then fails)', () => {
    // the first str opens the fast-path store window; the one between LDREX and STREX must still see the monitor
    const b = exec((p) => p.i(A.li(0, DATA), A.li(1, 5), A.strImm(1, 0, 0), A.ldrex(2, 0), A.li(1, 6), A.strImm(1, 0, 0), A.li(1, 7), A.strex(3, 1, 0)));
    expect(reg(b, 2)).toBe(5);
    expect(reg(b, 3)).toBe(1);
    expect(b.space.load(DATA, 4)).toBe(6);
  });

  it('unaligned LDR/STR work on ARMv7-M; bit-band aliases read and write single bits', () => {
    const b = exec((p) =>
      p.i(A.li(0, DATA + 1), A.li(1, 0xa1b2_c3d4), A.strImm(1, 0, 0), A.ldrImm(2, 0, 0), A.li(3, 0x2200_0000 + (DATA - SRAM) * 32 + 2 * 4), A.ldrImm(4, 3, 0), A.movs(5, 1), A.li(6, 0x2200_0000 + (DATA - SRAM) * 32 + 0), A.strImm(5, 6, 0)),
    );
    expect(reg(b, 2)).toBe(0xa1b2_c3d4);
    // byte at DATA was 0 before; bit 2 of it: byte at DATA is the store's... (DATA + 1 starts the word): DATA's byte is 0
    expect(reg(b, 4)).toBe(0);
    expect(b.space.load(DATA, 1)).toBe(1);
  });
});
