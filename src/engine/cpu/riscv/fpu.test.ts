// F and D in the hart: mstatus.FS (off → illegal, dirty tracking, SD), fflags/frm/fcsr, NaN-boxing,
// loads and stores (32-bit and compressed), moves and sign injection, the register file the
// debugger sees, and snapshots. Expected values come from the RISC-V spec (and QEMU 7.2 where the
// spec leaves a choice; firmware/conf-fp checks the same things against it).
import { describe, expect, it } from 'vitest';
import { loadState, saveState, type SavedState } from '../../state.ts';
import * as A from './asm.ts';
import { Cause, Csr, MSTATUS_FS, MSTATUS_SD, PTE_A, PTE_D, PTE_R, PTE_V, PTE_W } from './csr.ts';
import { EXT_C, EXT_D, EXT_F, EXT_I, OP_NAMES, decodeInto } from './decode.ts';
import { RV32_STATE, Rv32Cpu } from './rv32.ts';
import { BASE, DATA, boot, runToWfi, setMtvec, skippingHandler } from './testing.ts';
import { MCONTROL_LOAD, MCONTROL_M, MCONTROL_STORE, TDATA1_RESET, TRIGGER_CSRS } from './triggers.ts';

const { t0, t1, a0, a1, s0, s1 } = A.Reg;
const FS_INITIAL = 1 << 13;
const FS_CLEAN = 2 << 13;
const FS_DIRTY = 3 << 13;
const FD = 'MAFDCSU';

/** Instructions that turn the FPU on (FS = initial) and point t0 at DATA. */
function fpuOn(p: A.Program, fs = FS_INITIAL): A.Program {
  return p.i(...A.li(t1, fs), A.csrrs(0, Csr.MSTATUS, t1), ...A.li(t0, DATA));
}

function run(build: (p: A.Program) => void, extensions = FD) {
  const board = boot((p) => {
    setMtvec(p);
    build(p);
    p.i(A.wfi()).apply(skippingHandler);
  }, { extensions });
  runToWfi(board.cpu);
  return board;
}

const fs = (cpu: Rv32Cpu) => cpu.readCsr(Csr.MSTATUS) & MSTATUS_FS;

describe('F and D: decoding', () => {
  const decodedName = (raw: number, ext: number) => {
    const words = new Int32Array(1);
    decodeInto(words, new Int32Array(1), 0, raw, ext);
    return OP_NAMES[words[0] & 0xff];
  };
  const FDC = EXT_I | EXT_F | EXT_D | EXT_C;

  it('decodes every F and D instruction (compressed loads and stores too) to its op, and to ILLEGAL without its extension', () => {
    const single: Array<[string, number]> = [
      ['FLW', A.flw(1, 2, 4)], ['FSW', A.fsw(1, 2, 4)], ['FMADD_S', A.fmaddS(1, 2, 3, 4)], ['FMSUB_S', A.fmsubS(1, 2, 3, 4)],
      ['FNMSUB_S', A.fnmsubS(1, 2, 3, 4)], ['FNMADD_S', A.fnmaddS(1, 2, 3, 4)], ['FADD_S', A.faddS(1, 2, 3)], ['FSUB_S', A.fsubS(1, 2, 3)],
      ['FMUL_S', A.fmulS(1, 2, 3)], ['FDIV_S', A.fdivS(1, 2, 3)], ['FSQRT_S', A.fsqrtS(1, 2)], ['FSGNJ_S', A.fsgnjS(1, 2, 3)],
      ['FSGNJN_S', A.fsgnjnS(1, 2, 3)], ['FSGNJX_S', A.fsgnjxS(1, 2, 3)], ['FMIN_S', A.fminS(1, 2, 3)], ['FMAX_S', A.fmaxS(1, 2, 3)],
      ['FCVT_W_S', A.fcvtWS(1, 2)], ['FCVT_WU_S', A.fcvtWuS(1, 2)], ['FMV_X_W', A.fmvXW(1, 2)], ['FEQ_S', A.feqS(1, 2, 3)],
      ['FLT_S', A.fltS(1, 2, 3)], ['FLE_S', A.fleS(1, 2, 3)], ['FCLASS_S', A.fclassS(1, 2)], ['FCVT_S_W', A.fcvtSW(1, 2)],
      ['FCVT_S_WU', A.fcvtSWu(1, 2)], ['FMV_W_X', A.fmvWX(1, 2)], ['FLW', A.cFlw(8, 9, 4)], ['FSW', A.cFsw(8, 9, 4)],
      ['FLW', A.cFlwsp(1, 4)], ['FSW', A.cFswsp(1, 4)],
    ];
    const double: Array<[string, number]> = [
      ['FLD', A.fld(1, 2, 8)], ['FSD', A.fsd(1, 2, 8)], ['FMADD_D', A.fmaddD(1, 2, 3, 4)], ['FMSUB_D', A.fmsubD(1, 2, 3, 4)],
      ['FNMSUB_D', A.fnmsubD(1, 2, 3, 4)], ['FNMADD_D', A.fnmaddD(1, 2, 3, 4)], ['FADD_D', A.faddD(1, 2, 3)], ['FSUB_D', A.fsubD(1, 2, 3)],
      ['FMUL_D', A.fmulD(1, 2, 3)], ['FDIV_D', A.fdivD(1, 2, 3)], ['FSQRT_D', A.fsqrtD(1, 2)], ['FSGNJ_D', A.fsgnjD(1, 2, 3)],
      ['FSGNJN_D', A.fsgnjnD(1, 2, 3)], ['FSGNJX_D', A.fsgnjxD(1, 2, 3)], ['FMIN_D', A.fminD(1, 2, 3)], ['FMAX_D', A.fmaxD(1, 2, 3)],
      ['FCVT_S_D', A.fcvtSD(1, 2)], ['FCVT_D_S', A.fcvtDS(1, 2)], ['FEQ_D', A.feqD(1, 2, 3)], ['FLT_D', A.fltD(1, 2, 3)],
      ['FLE_D', A.fleD(1, 2, 3)], ['FCLASS_D', A.fclassD(1, 2)], ['FCVT_W_D', A.fcvtWD(1, 2)], ['FCVT_WU_D', A.fcvtWuD(1, 2)],
      ['FCVT_D_W', A.fcvtDW(1, 2)], ['FCVT_D_WU', A.fcvtDWu(1, 2)], ['FLD', A.cFld(8, 9, 8)], ['FSD', A.cFsd(8, 9, 8)],
      ['FLD', A.cFldsp(1, 8)], ['FSD', A.cFsdsp(1, 8)],
    ];
    for (const [name, raw] of [...single, ...double]) expect(decodedName(raw, FDC), name).toBe(name);
    for (const [name, raw] of double) expect(decodedName(raw, EXT_I | EXT_F | EXT_C), `${name} without D`).toBe('ILLEGAL');
    for (const [name, raw] of single) expect(decodedName(raw, EXT_I | EXT_C), `${name} without F`).toBe('ILLEGAL');
  });

  it('leaves reserved encodings illegal (fmt 2/3, wrong funct3 or rs2, the RV64-only moves)', () => {
    const reserved = [
      (A.fmaddS(1, 2, 3, 4) | (2 << 25)) >>> 0, // fmt H
      (A.fmaddS(1, 2, 3, 4) | (3 << 25)) >>> 0, // fmt Q
      A.rType(0x10, 3, 2, 3, 1, 0x53), // fsgnj funct3 3
      A.rType(0x14, 3, 2, 2, 1, 0x53), // fmin funct3 2
      A.rType(0x50, 3, 2, 3, 1, 0x53), // compare funct3 3
      A.rType(0x2c, 1, 2, 0, 1, 0x53), // fsqrt rs2 1
      A.rType(0x60, 2, 2, 0, 1, 0x53), // fcvt.l.s (RV64)
      A.rType(0x20, 0, 2, 0, 1, 0x53), // fcvt.s.d rs2 0
      A.rType(0x71, 0, 2, 0, 1, 0x53), // fmv.x.d (RV64)
      A.rType(0x79, 0, 2, 0, 1, 0x53), // fmv.d.x (RV64)
      A.iType(0, 2, 4, 1, 0x07), // flq
    ];
    for (const raw of reserved) expect(decodedName(raw, FDC), raw.toString(16)).toBe('ILLEGAL');
  });
});

describe('F and D: mstatus.FS', () => {
  it('resets to off; every F/D instruction and fflags/frm/fcsr are illegal while it is off, with the bits in mtval', () => {
    const probes = [A.flw(1, t0, 0), A.fsw(1, t0, 0), A.fld(1, t0, 0), A.fsd(1, t0, 0), A.faddS(1, 2, 3), A.fmvWX(1, t1), A.fmvXW(t1, 1), A.fsgnjD(1, 2, 3), A.feqS(t1, 1, 2), A.csrr(t1, Csr.FFLAGS), A.csrr(t1, Csr.FRM), A.csrw(Csr.FCSR, 0)];
    const { cpu, traps } = run((p) => p.i(...A.li(t0, DATA), ...probes));
    expect(fs(cpu)).toBe(0);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual(probes.map((bits) => [Cause.ILLEGAL_INSTRUCTION, bits >>> 0]));
  });

  it('compressed FP loads and stores are illegal while FS is off too (mtval: the 16 bits)', () => {
    const probes = [A.cFlw(s0, s1, 4), A.cFsd(s0, s1, 8), A.cFldsp(3, 16), A.cFswsp(3, 4)];
    const words = [(probes[0] | (probes[1] << 16)) >>> 0, (probes[2] | (probes[3] << 16)) >>> 0];
    const { cpu, traps } = boot((p) => {
      setMtvec(p);
      p.i(...A.li(s1, DATA), ...words, A.wfi());
      // a handler that skips 2 bytes (the probes are compressed)
      p.label('trap').i(A.csrr(A.Reg.t6, Csr.MEPC), A.addi(A.Reg.t6, A.Reg.t6, 2), A.csrw(Csr.MEPC, A.Reg.t6), A.mret());
    }, { extensions: FD });
    runToWfi(cpu);
    expect(traps.map((t) => [t.cause, t.tval])).toEqual(probes.map((bits) => [Cause.ILLEGAL_INSTRUCTION, bits]));
  });

  it('FS is writable with F (mstatus and sstatus), SD shows dirty; without F it stays 0', () => {
    const { cpu } = run((p) => p.i(...A.li(t1, FS_DIRTY), A.csrrs(0, Csr.MSTATUS, t1), A.csrr(a0, Csr.MSTATUS), A.csrr(a1, Csr.SSTATUS), A.csrrc(0, Csr.SSTATUS, t1), A.csrr(s0, Csr.MSTATUS)));
    expect((cpu.x[a0] & (MSTATUS_FS | MSTATUS_SD)) >>> 0).toBe((FS_DIRTY | MSTATUS_SD) >>> 0);
    expect((cpu.x[a1] & (MSTATUS_FS | MSTATUS_SD)) >>> 0).toBe((FS_DIRTY | MSTATUS_SD) >>> 0);
    expect(cpu.x[s0] & (MSTATUS_FS | MSTATUS_SD)).toBe(0);
    const noF = run((p) => p.i(...A.li(t1, FS_DIRTY), A.csrrs(0, Csr.MSTATUS, t1), A.csrr(a0, Csr.MSTATUS)), 'MACSU');
    expect(noF.cpu.x[a0] & MSTATUS_FS).toBe(0);
    expect(() => noF.cpu.readCsr(Csr.FCSR)).toThrow(/not implemented/);
  });

  it('becomes dirty after an instruction that writes an FP register or an FP CSR write, not after stores, compares, moves to x, or CSR reads', () => {
    const cases: Array<[string, number[], number]> = [
      ['flw', [A.flw(1, t0, 0)], FS_DIRTY],
      ['fld', [A.fld(1, t0, 0)], FS_DIRTY],
      ['fsw', [A.fsw(1, t0, 0)], FS_CLEAN],
      ['fsd', [A.fsd(1, t0, 0)], FS_CLEAN],
      ['fmv.w.x', [A.fmvWX(1, t1)], FS_DIRTY],
      ['fmv.x.w', [A.fmvXW(a0, 1)], FS_CLEAN],
      ['fsgnj.s', [A.fsgnjS(1, 2, 3)], FS_DIRTY],
      ['fsgnjx.d', [A.fsgnjxD(1, 2, 3)], FS_DIRTY],
      ['csrr fcsr', [A.csrr(a0, Csr.FCSR)], FS_CLEAN],
      ['csrrs fflags, x0', [A.csrrs(a0, Csr.FFLAGS, 0)], FS_CLEAN],
      ['csrw frm', [A.csrrwi(0, Csr.FRM, 1)], FS_DIRTY],
      ['csrw fflags', [A.csrw(Csr.FFLAGS, 0)], FS_DIRTY],
      ['csrrwi fcsr', [A.csrrwi(0, Csr.FCSR, 0)], FS_DIRTY],
    ];
    for (const [name, code, expected] of cases) {
      const { cpu, traps } = run((p) => fpuOn(p, FS_CLEAN).i(...code));
      expect(traps, name).toEqual([]);
      expect(fs(cpu), name).toBe(expected);
      expect((cpu.readCsr(Csr.MSTATUS) & MSTATUS_SD) !== 0, name).toBe(expected === FS_DIRTY);
    }
  });
});

describe('F and D: fcsr', () => {
  it('fflags is 5 bits, frm 3 bits (5-7 kept), fcsr their concatenation; the upper bits read 0', () => {
    const { cpu } = run((p) =>
      fpuOn(p).i(
        ...A.li(t1, -1),
        A.csrrw(0, Csr.FCSR, t1),
        A.csrr(a0, Csr.FCSR),
        A.csrr(a1, Csr.FFLAGS),
        A.csrr(s0, Csr.FRM),
        A.csrrwi(0, Csr.FRM, 2),
        A.csrrwi(0, Csr.FFLAGS, 0x1e),
        A.csrr(s1, Csr.FCSR),
      ),
    );
    expect([cpu.x[a0], cpu.x[a1], cpu.x[s0], cpu.x[s1]]).toEqual([0xff, 0x1f, 7, (2 << 5) | 0x1e]);
  });
});

describe('F and D: loads, stores, moves, NaN-boxing', () => {
  it('flw boxes; fsw stores the low 32 bits; fld/fsd move 64 bits; fmv.x.w takes the low bits unchecked', () => {
    const { cpu, space } = run((p) =>
      fpuOn(p).i(
        ...A.li(t1, 0x3f80_0000),
        A.sw(t1, t0, 0),
        ...A.li(t1, 0x1234_5678),
        A.sw(t1, t0, 8),
        ...A.li(t1, 0x9abc_def0 | 0),
        A.sw(t1, t0, 12),
        A.flw(1, t0, 0),
        A.fld(2, t0, 8),
        A.fsw(2, t0, 16), // the low half of an unboxed register, unchanged
        A.fsd(1, t0, 24), // a boxed single: ones above
        A.fmvXW(a0, 2),
      ),
    );
    expect([cpu.fregLo[1], cpu.fregHi[1]]).toEqual([0x3f80_0000, 0xffff_ffff]);
    expect([cpu.fregLo[2], cpu.fregHi[2]]).toEqual([0x1234_5678, 0x9abc_def0]);
    expect(space.load(DATA + 16, 4)).toBe(0x1234_5678);
    expect([space.load(DATA + 24, 4), space.load(DATA + 28, 4)]).toEqual([0x3f80_0000, 0xffff_ffff]);
    expect(cpu.x[a0]).toBe(0x1234_5678);
  });

  it('compressed FP loads and stores (c.flw, c.fsw, c.flwsp, c.fswsp, c.fld, c.fsd, c.fldsp, c.fsdsp) reach the same memory', () => {
    const pair = (lo: number, hi: number) => (lo | (hi << 16)) >>> 0;
    const { cpu, space, traps } = run((p) =>
      fpuOn(p).i(
        ...A.li(s1, DATA),
        A.addi(A.Reg.sp, s1, 64),
        ...A.li(t1, 0x4049_0fdb), // pi as a single
        A.sw(t1, s1, 4),
        ...A.li(t1, 0x5444_2d18),
        A.sw(t1, s1, 8),
        ...A.li(t1, 0x4009_21fb), // pi as a double
        A.sw(t1, s1, 12),
        pair(A.cFlw(s0, s1, 4), A.cFld(A.Reg.a2, s1, 8)), // f8 = [DATA+4], f12 = [DATA+8]
        pair(A.cFswsp(8, 4), A.cFsdsp(12, 8)), // [sp+4] = f8, [sp+8] = f12
        pair(A.cFlwsp(20, 4), A.cFldsp(21, 8)), // f20 = [sp+4], f21 = [sp+8]
        pair(A.cFsw(s0, s1, 32), A.cFsd(A.Reg.a2, s1, 40)), // [DATA+32] = f8, [DATA+40] = f12
      ),
    );
    expect(traps).toEqual([]);
    expect([cpu.fregLo[8], cpu.fregHi[8]]).toEqual([0x4049_0fdb, 0xffff_ffff]);
    expect([cpu.fregLo[12], cpu.fregHi[12]]).toEqual([0x5444_2d18, 0x4009_21fb]);
    expect([cpu.fregLo[20], cpu.fregHi[20]]).toEqual([0x4049_0fdb, 0xffff_ffff]);
    expect([cpu.fregLo[21], cpu.fregHi[21]]).toEqual([0x5444_2d18, 0x4009_21fb]);
    expect([space.load(DATA + 68, 4), space.load(DATA + 72, 4), space.load(DATA + 76, 4)]).toEqual([0x4049_0fdb, 0x5444_2d18, 0x4009_21fb]);
    expect([space.load(DATA + 32, 4), space.load(DATA + 40, 4), space.load(DATA + 44, 4)]).toEqual([0x4049_0fdb, 0x5444_2d18, 0x4009_21fb]);
  });

  it('FP loads and stores fault like integer ones (access fault with the address in mtval; the register keeps its value)', () => {
    const { cpu, traps } = run((p) => fpuOn(p).i(...A.li(t1, 0x1000), A.fmvWX(1, t1), ...A.li(a0, 0x4000_0000), A.flw(1, a0, 4), A.fsd(1, a0, 8)));
    expect(traps.map((t) => [t.cause, t.tval])).toEqual([
      [Cause.LOAD_ACCESS_FAULT, 0x4000_0004],
      [Cause.STORE_ACCESS_FAULT, 0x4000_0008],
    ]);
    expect(cpu.fregLo[1]).toBe(0x1000);
  });

  it('under Sv32 an fsd across a page boundary whose second page faults stores nothing; loads across it fault at the second page (mtval as QEMU)', () => {
    const ROOT = BASE + 0x1_0000;
    const L0 = BASE + 0x1_1000;
    const PAGE = BASE + 0x3_0000; // VA 0x4000_0000; VA 0x4000_1000 is unmapped
    const pte = (pa: number, flags: number) => (((pa >>> 12) << 10) | flags) >>> 0;
    const MPRV_S = (1 << 17) | (1 << 11); // M-mode loads and stores translated as S-mode's
    const { cpu, space, traps } = boot((p) => {
      setMtvec(p);
      fpuOn(p).i(
        ...A.li(t1, 0x8000_0000 | (ROOT >>> 12)),
        A.csrw(Csr.SATP, t1),
        ...A.li(t1, 0x1122_3344),
        A.fmvWX(1, t1),
        ...A.li(t1, MPRV_S),
        A.csrrs(0, Csr.MSTATUS, t1),
        ...A.li(a0, 0x4000_1000),
        A.fsw(1, a0, -8), // within the mapped page: stored
        A.fsd(1, a0, -4), // 0x4000_0ffc..0x4000_1003
        A.flw(2, a0, -2),
        A.fld(2, a0, -6),
        A.lw(a1, a0, -1),
        A.wfi(),
      );
      // stays in M-mode: sets MPP back to S (the trap made it M) and jumps past the 4-byte instruction
      const { t5, t6 } = A.Reg;
      p.label('trap').i(A.csrr(t5, Csr.MEPC), A.addi(t5, t5, 4), ...A.li(t6, 2 << 11), A.csrrc(0, Csr.MSTATUS, t6), A.jalr(0, t5, 0));
    }, { extensions: FD });
    space.store(ROOT + 0x100 * 4, pte(L0, PTE_V), 4);
    space.store(L0, pte(PAGE, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D), 4);
    runToWfi(cpu);
    // a misaligned flw, fld and lw across the boundary: load page faults naming the second page's first byte
    expect(traps.map((t) => [t.cause, t.tval])).toEqual([
      [Cause.STORE_PAGE_FAULT, 0x4000_1000],
      [Cause.LOAD_PAGE_FAULT, 0x4000_1000],
      [Cause.LOAD_PAGE_FAULT, 0x4000_1000],
      [Cause.LOAD_PAGE_FAULT, 0x4000_1000],
    ]);
    expect(space.load(PAGE + 0xffc, 4)).toBe(0);
    expect(space.load(PAGE + 0xff8, 4)).toBe(0x1122_3344);
  });

  it('FP loads and stores meet triggers and debugger watchpoints as lw/sw do (same slow paths)', () => {
    const flwBits = A.flw(1, t0, 8);
    const fsdBits = A.fsd(1, t0, 16);
    const { cpu, traps, program } = boot((p) => {
      setMtvec(p);
      fpuOn(p).label('flw').i(flwBits).label('fsd').i(fsdBits, A.wfi()).apply(skippingHandler);
    }, { extensions: FD });
    // a load trigger on DATA+8 and a store trigger on DATA+20 (the high word of the fsd)
    cpu.writeCsr(TRIGGER_CSRS.TDATA2, DATA + 8);
    cpu.writeCsr(TRIGGER_CSRS.TDATA1, TDATA1_RESET | MCONTROL_M | MCONTROL_LOAD);
    cpu.writeCsr(TRIGGER_CSRS.TSELECT, 1);
    cpu.writeCsr(TRIGGER_CSRS.TDATA2, DATA + 20);
    cpu.writeCsr(TRIGGER_CSRS.TDATA1, TDATA1_RESET | MCONTROL_M | MCONTROL_STORE);
    runToWfi(cpu);
    expect(traps).toEqual([
      { cause: Cause.BREAKPOINT, tval: 0, pc: program.address('flw') },
      { cause: Cause.BREAKPOINT, tval: 0, pc: program.address('fsd') },
    ]);
    // a debugger watchpoint stops before the fsd
    const watched = boot((p) => fpuOn(p).label('fsd').i(fsdBits, A.wfi()), { extensions: FD });
    watched.cpu.debug.setWatchpoint('write', DATA + 16, 8);
    watched.cpu.run(100);
    expect(watched.cpu.debug.watchpointHit).toEqual({ kind: 'write', address: DATA + 16, accessAddress: DATA + 16 });
    expect(watched.cpu.pc).toBe(watched.program.address('fsd'));
  });

  it('fsgnj.s/fsgnjn.s/fsgnjx.s: sign from the second operand, results boxed; an unboxed operand reads as the canonical NaN', () => {
    const { cpu } = run((p) =>
      fpuOn(p).i(
        ...A.li(t1, 0x3f80_0000), // 1.0
        A.fmvWX(1, t1),
        ...A.li(t1, 0xc000_0000 | 0), // -2.0
        A.fmvWX(2, t1),
        A.fsgnjS(3, 1, 2), // -1.0
        A.fsgnjnS(4, 1, 2), // 1.0
        A.fsgnjxS(5, 2, 2), // fabs: 2.0
        A.fsgnjnS(6, 1, 1), // fneg: -1.0
        A.fld(7, t0, 0), // DATA is zero: f7 = 0 (not boxed)
        A.fsgnjS(8, 7, 2), // canonical NaN with the sign of -2.0
        A.fsgnjxS(9, 1, 7), // 1.0 with the sign of the canonical NaN (+)
      ),
    );
    const single = (i: number) => [cpu.fregLo[i], cpu.fregHi[i]];
    expect(single(3)).toEqual([0xbf80_0000, 0xffff_ffff]);
    expect(single(4)).toEqual([0x3f80_0000, 0xffff_ffff]);
    expect(single(5)).toEqual([0x4000_0000, 0xffff_ffff]);
    expect(single(6)).toEqual([0xbf80_0000, 0xffff_ffff]);
    expect(single(8)).toEqual([0xffc0_0000, 0xffff_ffff]);
    expect(single(9)).toEqual([0x3f80_0000, 0xffff_ffff]);
  });

  it('fsgnj.d family works on the 64-bit sign', () => {
    const { cpu } = run((p) =>
      fpuOn(p).i(
        ...A.li(t1, 0x3ff0_0000), // 1.0 (high half)
        A.sw(t1, t0, 4),
        ...A.li(t1, 0xc000_0000 | 0), // -2.0
        A.sw(t1, t0, 12),
        ...A.li(t1, 7),
        A.sw(t1, t0, 8),
        A.fld(1, t0, 0),
        A.fld(2, t0, 8),
        A.fsgnjD(3, 1, 2),
        A.fsgnjnD(4, 2, 2),
        A.fsgnjxD(5, 2, 2),
      ),
    );
    const double = (i: number) => [cpu.fregHi[i], cpu.fregLo[i]];
    expect(double(3)).toEqual([0xbff0_0000, 0]);
    expect(double(4)).toEqual([0x4000_0000, 7]);
    expect(double(5)).toEqual([0x4000_0000, 7]);
  });

  it('f=off / d=off: the encodings are illegal (D needs F), the compressed FP forms too', () => {
    const { traps } = run((p) => fpuOn(p).i(A.fld(1, t0, 0), A.fsgnjD(1, 2, 3), A.flw(1, t0, 0)), 'MAFCSU');
    expect(traps.map((t) => t.tval >>> 0)).toEqual([A.fld(1, t0, 0), A.fsgnjD(1, 2, 3)]);
    const none = run((p) => fpuOn(p).i(A.flw(1, t0, 0), A.fmvWX(1, t0)), 'MACSU');
    expect(none.traps.map((t) => t.tval >>> 0)).toEqual([A.flw(1, t0, 0), A.fmvWX(1, t0)]);
    expect(() => new Rv32Cpu(none.space, { hartId: 0, resetVector: 0, extensions: 'MADC' })).toThrow(/D extension needs F/);
  });
});

describe('F and D: the debugger and snapshots', () => {
  it('lists f0–f31 (ABI names, f<n> aliases, gdb regnums 33–64; 64 bits with D, 32 with F only, none without F)', () => {
    const withD = boot((p) => p.i(A.wfi()), { extensions: FD }).cpu.debug;
    const floats = withD.registers.filter((r) => r.group === 'float');
    expect(floats.map((r) => r.name)).toEqual(['ft0', 'ft1', 'ft2', 'ft3', 'ft4', 'ft5', 'ft6', 'ft7', 'fs0', 'fs1', 'fa0', 'fa1', 'fa2', 'fa3', 'fa4', 'fa5', 'fa6', 'fa7', 'fs2', 'fs3', 'fs4', 'fs5', 'fs6', 'fs7', 'fs8', 'fs9', 'fs10', 'fs11', 'ft8', 'ft9', 'ft10', 'ft11']);
    expect(floats.map((r) => r.aliases)).toEqual(Array.from({ length: 32 }, (_, i) => [`f${i}`]));
    expect(floats.map((r) => r.regnum)).toEqual(Array.from({ length: 32 }, (_, i) => 33 + i));
    expect(new Set(floats.map((r) => r.bits))).toEqual(new Set([64]));
    expect(withD.registers.find((r) => r.name === 'fcsr')?.regnum).toBe(65 + 3);
    const fOnly = boot((p) => p.i(A.wfi()), { extensions: 'MAFCSU' }).cpu.debug;
    expect(new Set(fOnly.registers.filter((r) => r.group === 'float').map((r) => r.bits))).toEqual(new Set([32]));
    expect(boot((p) => p.i(A.wfi())).cpu.debug.registers.some((r) => r.group === 'float')).toBe(false);
  });

  it('reads and writes 64-bit float registers through readRegisterBits/writeRegisterBits; a single written with F only is boxed', () => {
    const { cpu } = boot((p) => p.i(A.wfi()), { extensions: FD });
    const index = cpu.debug.registers.findIndex((r) => r.name === 'fa0');
    expect(cpu.debug.writeRegisterBits(index, 0x4009_21fb_5444_2d18n)).toBe(true);
    expect([cpu.fregHi[10], cpu.fregLo[10]]).toEqual([0x4009_21fb, 0x5444_2d18]);
    expect(cpu.debug.readRegisterBits(index)).toBe(0x4009_21fb_5444_2d18n);
    expect(cpu.debug.readRegister(index)).toBe(0x5444_2d18);
    const single = boot((p) => p.i(A.wfi()), { extensions: 'MAFCSU' }).cpu;
    const ft1 = single.debug.registers.findIndex((r) => r.name === 'ft1');
    expect(single.debug.writeRegisterBits(ft1, 0x3f80_0000n)).toBe(true);
    expect([single.fregHi[1], single.fregLo[1]]).toEqual([0xffff_ffff, 0x3f80_0000]);
    expect(single.debug.readRegisterBits(ft1)).toBe(0x3f80_0000n);
  });

  it('target.xml has the fpu feature as QEMU 7.2 lays it out (D: riscv_double union, fcsr among the CSRs; F only: ieee_single and fflags/frm/fcsr in the fpu feature)', () => {
    const withD = boot((p) => p.i(A.wfi()), { extensions: FD }).cpu.debug.targetXml();
    expect(withD).toContain('<feature name="org.gnu.gdb.riscv.fpu">\n    <union id="riscv_double">\n      <field name="float" type="ieee_single"/>\n      <field name="double" type="ieee_double"/>\n    </union>\n    <reg name="ft0" bitsize="64" regnum="33" type="riscv_double"/>');
    expect(withD).toContain('<reg name="ft11" bitsize="64" regnum="64" type="riscv_double"/>\n  </feature>');
    expect(withD).toMatch(/<feature name="org.gnu.gdb.riscv.csr">\n {4}<reg name="fflags" bitsize="32" regnum="66" type="int" group="csr"\/>/);
    const fOnly = boot((p) => p.i(A.wfi()), { extensions: 'MAFCSU' }).cpu.debug.targetXml();
    expect(fOnly).toContain('<reg name="ft11" bitsize="32" regnum="64" type="ieee_single"/>\n    <reg name="fflags" bitsize="32" regnum="66" type="int"/>\n    <reg name="frm" bitsize="32" regnum="67" type="int"/>\n    <reg name="fcsr" bitsize="32" regnum="68" type="int"/>\n  </feature>');
    expect(fOnly.match(/name="fcsr"/g)).toHaveLength(1);
    expect(boot((p) => p.i(A.wfi())).cpu.debug.targetXml()).not.toContain('riscv.fpu');
  });

  it('saves the FP registers and fcsr; a version 2 snapshot loads with them reset', () => {
    const { cpu, space } = run((p) => fpuOn(p).i(...A.li(t1, 0x4120_0000), A.fmvWX(5, t1), ...A.li(t1, 0x45), A.csrw(Csr.FCSR, t1)));
    const saved = JSON.parse(JSON.stringify(saveState(cpu))) as SavedState;
    expect(saved.version).toBe(RV32_STATE.version);
    const fresh = new Rv32Cpu(space, { hartId: 0, resetVector: 0, extensions: FD });
    loadState(fresh, saved);
    expect([fresh.fregLo[5], fresh.fregHi[5]]).toEqual([0x4120_0000, 0xffff_ffff]);
    expect(fresh.readCsr(Csr.FCSR)).toBe(0x45);
    expect(fresh.readCsr(Csr.MSTATUS) & MSTATUS_FS).toBe(FS_DIRTY);
    const { fregLo: _lo, fregHi: _hi, fflags: _f, frm: _r, ...v2Fields } = saved.fields;
    const older = new Rv32Cpu(space, { hartId: 0, resetVector: 0, extensions: FD });
    older.debug.writeRegisterBits(older.debug.registers.findIndex((r) => r.name === 'ft5'), 0x1234n);
    loadState(older, { name: 'rv32', version: 2, fields: v2Fields });
    expect([older.fregLo[5], older.fregHi[5], older.readCsr(Csr.FCSR)]).toEqual([0, 0, 0]);
  });
});


describe('F and D: arithmetic through the softfloat library', () => {
  /** Puts single-precision bits in f1, f2, f3 (boxed) and runs `code`; returns the board. */
  function singles(values: number[], code: number[], extensions = FD) {
    return run((p) => {
      fpuOn(p);
      values.forEach((v, i) => p.i(...A.li(t1, v), A.fmvWX(i + 1, t1)));
      p.i(A.csrw(Csr.FFLAGS, 0), ...code);
    }, extensions);
  }
  const ONE = 0x3f80_0000;
  const TWO = 0x4000_0000;
  const THREE = 0x4040_0000;
  const QNAN = 0x7fc0_0000;
  const NX = 1;
  const DZ = 8;
  const NV = 16;

  it('uses the rm field, or frm for rm = 7 (dyn): 1/3 rounds per mode; fflags accrue inexact', () => {
    const { cpu, traps } = singles([ONE, THREE], [
      A.fdivS(4, 1, 2, A.Rm.rne),
      A.fdivS(5, 1, 2, A.Rm.rtz),
      A.fdivS(6, 1, 2, A.Rm.rup),
      A.csrrwi(0, Csr.FRM, A.Rm.rdn),
      A.fdivS(7, 1, 2, A.Rm.dyn),
      A.csrrwi(0, Csr.FRM, A.Rm.rup),
      A.fdivS(8, 1, 2, A.Rm.dyn),
    ]);
    expect(traps).toEqual([]);
    expect([4, 5, 6, 7, 8].map((i) => cpu.fregLo[i])).toEqual([0x3eaa_aaab, 0x3eaa_aaaa, 0x3eaa_aaab, 0x3eaa_aaaa, 0x3eaa_aaab]);
    expect(cpu.fregHi[4]).toBe(0xffff_ffff);
    expect(cpu.readCsr(Csr.FFLAGS)).toBe(NX);
  });

  it('a reserved rounding mode is an illegal instruction (rm 5 or 6, or rm = 7 with frm ≥ 5), the rd untouched; fixed-funct3 ops ignore frm', () => {
    const bad = [A.faddS(4, 1, 2, 5), A.fmulD(4, 1, 2, 6), A.fcvtWS(a0, 1, 5)];
    const dynamic = A.faddS(5, 1, 2, A.Rm.dyn);
    const { cpu, traps } = singles([ONE, TWO], [...bad, ...A.li(t1, 5), A.csrw(Csr.FRM, t1), dynamic, A.fsgnjS(6, 1, 2), A.feqS(a1, 1, 1), A.fminS(7, 1, 2)]);
    expect(traps.map((t) => [t.cause, t.tval >>> 0])).toEqual([...bad, dynamic].map((bits) => [Cause.ILLEGAL_INSTRUCTION, bits >>> 0]));
    expect([cpu.fregLo[4], cpu.fregLo[5]]).toEqual([0, 0]);
    expect([cpu.fregLo[6], cpu.x[a1], cpu.fregLo[7]]).toEqual([ONE, 1, ONE]);
  });

  it('fadd/fsub/fmul/fdiv/fsqrt and the fused ops (one rounding; fmsub, fnmsub, fnmadd negate as the spec says)', () => {
    const { cpu } = singles([TWO, THREE, ONE], [
      A.faddS(4, 1, 2),
      A.fsubS(5, 1, 2),
      A.fmulS(6, 1, 2),
      A.fsqrtS(7, 1),
      A.fmaddS(8, 1, 2, 3),
      A.fmsubS(9, 1, 2, 3),
      A.fnmsubS(10, 1, 2, 3),
      A.fnmaddS(11, 1, 2, 3),
    ]);
    expect([4, 5, 6, 7, 8, 9, 10, 11].map((i) => cpu.fregLo[i])).toEqual([0x40a0_0000, 0xbf80_0000, 0x40c0_0000, 0x3fb5_04f3, 0x40e0_0000, 0x40a0_0000, 0xc0a0_0000, 0xc0e0_0000]);
    expect(cpu.readCsr(Csr.FFLAGS)).toBe(NX); // sqrt(2)
  });

  it('an unboxed single operand reads as the canonical NaN in arithmetic, compares and fclass', () => {
    const { cpu } = run((p) =>
      fpuOn(p).i(...A.li(t1, ONE), A.fmvWX(1, t1), A.fld(2, t0, 0), A.faddS(3, 1, 2), A.fclassS(a0, 2), A.feqS(a1, 1, 2), A.csrr(s0, Csr.FFLAGS)),
    );
    expect([cpu.fregLo[3], cpu.fregHi[3]]).toEqual([QNAN, 0xffff_ffff]);
    expect(cpu.x[a0]).toBe(1 << 9); // quiet NaN
    expect([cpu.x[a1], cpu.x[s0]]).toEqual([0, 0]); // feq with a quiet NaN: false, no flag
  });

  it('compares: flt/fle signal invalid for a quiet NaN, feq does not; results in x registers leave FS clean', () => {
    const { cpu } = run((p) =>
      fpuOn(p, FS_CLEAN).i(...A.li(t1, QNAN), A.fmvWX(1, t1), ...A.li(t1, ONE), A.fmvWX(2, t1), A.csrrwi(0, Csr.MSTATUS, 0), ...A.li(t1, FS_CLEAN), A.csrrs(0, Csr.MSTATUS, t1), A.feqS(a0, 1, 2), A.csrr(s0, Csr.FFLAGS), A.fltS(a1, 2, 1), A.csrr(s1, Csr.FFLAGS), A.fleS(A.Reg.a2, 2, 2)),
    );
    expect([cpu.x[a0], cpu.x[s0], cpu.x[a1], cpu.x[s1], cpu.x[A.Reg.a2]]).toEqual([0, 0, 0, NV, 1]);
    expect(fs(cpu)).toBe(FS_CLEAN);
  });

  it('conversions: fcvt.w.s rounds per mode and saturates with invalid; fcvt.wu.s of -1 is 0; fcvt.s.w/wu', () => {
    const TWO_AND_HALF = 0x4020_0000;
    const { cpu } = singles([TWO_AND_HALF, QNAN, 0xbf80_0000], [
      A.fcvtWS(a0, 1, A.Rm.rne),
      A.fcvtWS(a1, 1, A.Rm.rmm),
      A.fcvtWS(s0, 2, A.Rm.rtz),
      A.fcvtWuS(s1, 3, A.Rm.rtz),
      ...A.li(t1, -7),
      A.fcvtSW(4, t1),
      A.fcvtSWu(5, t1),
    ]);
    expect([cpu.x[a0], cpu.x[a1], cpu.x[s0], cpu.x[s1]]).toEqual([2, 3, 0x7fff_ffff, 0]);
    expect([cpu.fregLo[4], cpu.fregLo[5]]).toEqual([0xc0e0_0000, 0x4f80_0000]); // -7.0, 4294967289 rounds to 2^32
    expect(cpu.readCsr(Csr.FFLAGS)).toBe(NX | NV);
  });

  it('double precision: fcvt.d.w, fcvt.d.s, fcvt.s.d, fsqrt.d, fdiv.d by zero, fclass.d, fcvt.w.d', () => {
    const { cpu } = run((p) =>
      fpuOn(p).i(
        ...A.li(t1, -7),
        A.fcvtDW(1, t1),
        ...A.li(t1, 0x3fc0_0000), // 1.5f
        A.fmvWX(2, t1),
        A.fcvtDS(3, 2),
        ...A.li(t1, 2),
        A.fcvtDW(4, t1),
        A.fsqrtD(5, 4),
        A.fcvtSD(6, 5),
        A.fcvtDW(7, 0), // +0.0
        A.fdivD(8, 4, 7),
        A.fclassD(a0, 8),
        A.fcvtWD(a1, 5, A.Rm.rup),
        A.fminD(9, 1, 4),
        A.fmaddD(10, 4, 4, 1), // 2*2 - 7
      ),
    );
    const double = (i: number) => (BigInt(cpu.fregHi[i]) << 32n) | BigInt(cpu.fregLo[i]);
    expect(double(1)).toBe(0xc01c_0000_0000_0000n);
    expect(double(3)).toBe(0x3ff8_0000_0000_0000n);
    expect(double(5)).toBe(0x3ff6_a09e_667f_3bcdn);
    expect([cpu.fregLo[6], cpu.fregHi[6]]).toEqual([0x3fb5_04f3, 0xffff_ffff]);
    expect(double(8)).toBe(0x7ff0_0000_0000_0000n);
    expect(cpu.x[a0]).toBe(1 << 7); // +infinity
    expect(cpu.x[a1]).toBe(2);
    expect(double(9)).toBe(0xc01c_0000_0000_0000n);
    expect(double(10)).toBe(0xc008_0000_0000_0000n); // -3.0
    expect(cpu.readCsr(Csr.FFLAGS)).toBe(NX | DZ);
  });

  it('fmin/fmax: -0 < +0; a quiet NaN operand gives the other one', () => {
    const { cpu } = singles([0x8000_0000, 0, QNAN], [A.fminS(4, 2, 1), A.fmaxS(5, 1, 2), A.fminS(6, 3, 2), A.fmaxS(7, 3, 3)]);
    expect([4, 5, 6, 7].map((i) => cpu.fregLo[i])).toEqual([0x8000_0000, 0, 0, QNAN]);
    expect(cpu.readCsr(Csr.FFLAGS)).toBe(0);
  });
});

describe('F and D: the listing of a hart', () => {
  // fadd.d fa0,fa1,fa2 (rm = dyn) and flw fa0,0(t0): decoded for a hart that runs them, data for one that traps on them
  const FADD_D = 0x02c5f553;
  const FLW = 0x0002a507;
  const listing = (extensions: string) => {
    const { cpu, space } = boot((p) => p.i(FADD_D, FLW, A.wfi()), { extensions });
    const read = (address: number, length: number) => Uint8Array.from({ length }, (_, i) => space.load(address + i, 1));
    const list = cpu.debug.disassembly();
    return [list.next(read, BASE)?.text, list.next(read, BASE + 4)?.text];
  };

  it('decodes F and D on a hart with both, only F with F, neither without', () => {
    expect(listing(FD)).toEqual(['fadd.d\tfa0,fa1,fa2', 'flw\tfa0,0(t0)']);
    expect(listing('MAFCSU')).toEqual(['.4byte\t0x2c5f553', 'flw\tfa0,0(t0)']);
    expect(listing('MACSU')).toEqual(['.4byte\t0x2c5f553', '.4byte\t0x2a507']);
  });
});

describe('F and D: what an illegal floating-point instruction is called', () => {
  const FADD_S = 0x00b57553; // fadd.s fa0,fa0,fa1
  const causeNames = (extensions: string, build: (p: A.Program) => void) => {
    const board = boot((p) => {
      setMtvec(p);
      build(p);
      p.i(A.wfi()).apply(skippingHandler);
    }, { extensions });
    const names: string[] = [];
    board.cpu.onTrap = (trap) => names.push(trap.causeName);
    runToWfi(board.cpu);
    return names;
  };

  it('says the hart has no F, or that mstatus.FS is off; an integer illegal instruction keeps its plain name', () => {
    expect(causeNames('MACSU', (p) => p.i(FADD_S))).toEqual([expect.stringMatching(/^floating-point instruction on a hart without F \(set the CPU's "f" and "d" properties/)]);
    expect(causeNames(FD, (p) => p.i(FADD_S, A.csrr(a0, Csr.FCSR)))).toEqual([
      expect.stringMatching(/^floating-point instruction while mstatus\.FS is off/),
      expect.stringMatching(/^floating-point instruction while mstatus\.FS is off/),
    ]);
    expect(causeNames(FD, (p) => p.i(0xffffffff))).toEqual(['illegal instruction']);
    expect(causeNames(FD, (p) => fpuOn(p).i(FADD_S))).toEqual([]);
  });
});
