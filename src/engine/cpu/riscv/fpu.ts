// The F and D extensions' register file and the instructions that do not touch memory, as QEMU
// 7.2 runs them (target/riscv/insn_trans/trans_rvf.c.inc, trans_rvd.c.inc, fpu_helper.c): the
// hart (rv32.ts) checks mstatus.FS, does the loads and stores through its memory paths and marks
// FS dirty when an instruction here says so; the arithmetic itself is the softfloat library's
// (../softfloat).
//
// Registers are 64 bits wide, as QEMU keeps them with or without D: a single-precision value is
// NaN-boxed (upper 32 bits all ones) when written, and a single-precision operand that is not
// boxed reads as the canonical NaN — in every instruction that reads one as a number (arithmetic,
// compares, fclass, conversions, sign injection); fmv.x.w and fsw take the low 32 bits unchecked.
import * as sf from '../softfloat/index.ts';
import type { FloatStatus } from '../softfloat/index.ts';
import { Op } from './decode.ts';

/** fflags bits (the accrued exception flags; also fcsr bits 0-4). */
export const FFLAGS_MASK = 0x1f;
/** frm: 3 bits (fcsr bits 5-7); values 5 and 6 are reserved, 7 (DYN) is only valid in an instruction's rm field. */
export const FRM_MASK = 0x7;
export const FCSR_FRM_SHIFT = 5;
/** Rounding modes 0-4 exist; rm = 7 in an instruction means "use frm". */
const RM_DYNAMIC = 7;
const RM_LAST_VALID = 4;

/** Upper half of a NaN-boxed single: all ones. */
const NAN_BOX = 0xffff_ffff;

const SIGN32 = 0x8000_0000;

/** What executeFloat did: the instruction ran (and wrote no FP register, or did: FS becomes dirty), or is illegal (rounding mode). */
export const FP_CLEAN = 0;
export const FP_DIRTY = 1;
export const FP_ILLEGAL = 2;
export type FloatOutcome = typeof FP_CLEAN | typeof FP_DIRTY | typeof FP_ILLEGAL;

/** The 32 floating-point registers, 64 bits each as two u32 halves (f[i] = hi[i]:lo[i]). */
export class FloatRegisters {
  readonly lo = new Uint32Array(32);
  readonly hi = new Uint32Array(32);

  /** A single-precision operand: the low 32 bits when NaN-boxed, else the canonical NaN. */
  single(i: number): number {
    return this.hi[i] === NAN_BOX ? this.lo[i] : sf.CANONICAL_NAN32;
  }

  /** Write a single-precision result, NaN-boxed. */
  setSingle(i: number, bits: number): void {
    this.lo[i] = bits;
    this.hi[i] = NAN_BOX;
  }

  double(i: number): bigint {
    return (BigInt(this.hi[i]) << 32n) | BigInt(this.lo[i]);
  }

  setDouble(i: number, bits: bigint): void {
    this.lo[i] = Number(bits & 0xffff_ffffn);
    this.hi[i] = Number((bits >> 32n) & 0xffff_ffffn);
  }

  reset(): void {
    this.lo.fill(0);
    this.hi.fill(0);
  }
}

/**
 * The rounding mode an instruction uses (its rm field, bits 12-14, or frm for rm = 7), or -1 when
 * it is reserved (5, 6, or frm ≥ 5 under rm = 7): the instruction is illegal then, as on QEMU 7.2.
 */
export function roundingMode(raw: number, frm: number): number {
  const rm = (raw >>> 12) & 7;
  const mode = rm === RM_DYNAMIC ? frm : rm;
  return mode <= RM_LAST_VALID ? mode : -1;
}

/** The F/D ops whose result depends on a rounding mode (QEMU checks rm for exactly these: gen_set_rm). */
const ROUNDED: ReadonlySet<number> = new Set([
  Op.FMADD_S, Op.FMSUB_S, Op.FNMSUB_S, Op.FNMADD_S, Op.FADD_S, Op.FSUB_S, Op.FMUL_S, Op.FDIV_S, Op.FSQRT_S,
  Op.FCVT_W_S, Op.FCVT_WU_S, Op.FCVT_S_W, Op.FCVT_S_WU,
  Op.FMADD_D, Op.FMSUB_D, Op.FNMSUB_D, Op.FNMADD_D, Op.FADD_D, Op.FSUB_D, Op.FMUL_D, Op.FDIV_D, Op.FSQRT_D,
  Op.FCVT_S_D, Op.FCVT_D_S, Op.FCVT_W_D, Op.FCVT_WU_D, Op.FCVT_D_W, Op.FCVT_D_WU,
]);

/** fsgnj/fsgnjn/fsgnjx on the upper 32 bits (a single, or a double's sign half): a's magnitude, a sign from b. */
function signInjection32(op: number, a: number, b: number): number {
  switch (op) {
    case Op.FSGNJ_S: return ((b & SIGN32) | (a & ~SIGN32)) >>> 0;
    case Op.FSGNJN_S: return ((~b & SIGN32) | (a & ~SIGN32)) >>> 0;
    default: return (a ^ (b & SIGN32)) >>> 0; // FSGNJX_S
  }
}

/**
 * Execute an F/D instruction that does not access memory (the hart has checked FS). `w` is its
 * decoded word (decode.ts), `raw` its bits; `x` the integer registers with the sink slot;
 * `status.flags` receives the exception flags it raises (the caller ORs them into fflags). Returns FP_DIRTY when it wrote a floating-point register (mstatus.FS becomes dirty,
 * as QEMU's mark_fs_dirty), FP_CLEAN when it wrote only an integer register, FP_ILLEGAL for a
 * reserved rounding mode (nothing written).
 */
export function executeFloat(w: number, raw: number, f: FloatRegisters, x: Int32Array, frm: number, status: FloatStatus): FloatOutcome {
  const op = w & 0xff;
  const rd = (w >>> 8) & 63;
  const rs1 = (w >>> 14) & 31;
  const rs2 = (w >>> 19) & 31;
  let rm = 0;
  if (ROUNDED.has(op)) {
    rm = roundingMode(raw, frm);
    if (rm < 0) return FP_ILLEGAL;
  }
  switch (op) {
    case Op.FSGNJ_S:
    case Op.FSGNJN_S:
    case Op.FSGNJX_S:
      f.setSingle(rd, signInjection32(op, f.single(rs1), f.single(rs2)));
      return FP_DIRTY;
    case Op.FSGNJ_D:
    case Op.FSGNJN_D:
    case Op.FSGNJX_D: {
      // only the upper halves carry the sign
      const a = f.hi[rs1];
      const b = f.hi[rs2];
      f.lo[rd] = f.lo[rs1];
      f.hi[rd] = signInjection32(op - Op.FSGNJ_D + Op.FSGNJ_S, a, b);
      return FP_DIRTY;
    }
    case Op.FMV_X_W:
      x[rd] = f.lo[rs1] | 0; // the low 32 bits, boxed or not
      return FP_CLEAN;
    case Op.FMV_W_X:
      f.setSingle(rd, x[rs1] >>> 0);
      return FP_DIRTY;
  }
  status.roundingMode = rm;
  return arithmetic(op, rd, rs1, rs2, raw >>> 27, f, x, status);
}

/** The instructions that compute: the softfloat library does the arithmetic, with `status` (rounding mode set). */
function arithmetic(op: number, rd: number, rs1: number, rs2: number, rs3: number, f: FloatRegisters, x: Int32Array, s: FloatStatus): FloatOutcome {
  switch (op) {
    // single precision, results NaN-boxed
    case Op.FADD_S: f.setSingle(rd, sf.f32Add(f.single(rs1), f.single(rs2), s)); break;
    case Op.FSUB_S: f.setSingle(rd, sf.f32Sub(f.single(rs1), f.single(rs2), s)); break;
    case Op.FMUL_S: f.setSingle(rd, sf.f32Mul(f.single(rs1), f.single(rs2), s)); break;
    case Op.FDIV_S: f.setSingle(rd, sf.f32Div(f.single(rs1), f.single(rs2), s)); break;
    case Op.FSQRT_S: f.setSingle(rd, sf.f32Sqrt(f.single(rs1), s)); break;
    // fmsub negates the addend, fnmsub the product, fnmadd both (one rounding)
    case Op.FMADD_S: f.setSingle(rd, sf.f32MulAdd(f.single(rs1), f.single(rs2), f.single(rs3), false, false, s)); break;
    case Op.FMSUB_S: f.setSingle(rd, sf.f32MulAdd(f.single(rs1), f.single(rs2), f.single(rs3), false, true, s)); break;
    case Op.FNMSUB_S: f.setSingle(rd, sf.f32MulAdd(f.single(rs1), f.single(rs2), f.single(rs3), true, false, s)); break;
    case Op.FNMADD_S: f.setSingle(rd, sf.f32MulAdd(f.single(rs1), f.single(rs2), f.single(rs3), true, true, s)); break;
    case Op.FMIN_S: f.setSingle(rd, sf.f32Min(f.single(rs1), f.single(rs2), s)); break;
    case Op.FMAX_S: f.setSingle(rd, sf.f32Max(f.single(rs1), f.single(rs2), s)); break;
    case Op.FCVT_S_W: f.setSingle(rd, sf.i32ToF32(x[rs1], s)); break;
    case Op.FCVT_S_WU: f.setSingle(rd, sf.u32ToF32(x[rs1] >>> 0, s)); break;
    case Op.FCVT_S_D: f.setSingle(rd, sf.f64ToF32(f.double(rs1), s)); break;
    // double precision
    case Op.FADD_D: f.setDouble(rd, sf.f64Add(f.double(rs1), f.double(rs2), s)); break;
    case Op.FSUB_D: f.setDouble(rd, sf.f64Sub(f.double(rs1), f.double(rs2), s)); break;
    case Op.FMUL_D: f.setDouble(rd, sf.f64Mul(f.double(rs1), f.double(rs2), s)); break;
    case Op.FDIV_D: f.setDouble(rd, sf.f64Div(f.double(rs1), f.double(rs2), s)); break;
    case Op.FSQRT_D: f.setDouble(rd, sf.f64Sqrt(f.double(rs1), s)); break;
    case Op.FMADD_D: f.setDouble(rd, sf.f64MulAdd(f.double(rs1), f.double(rs2), f.double(rs3), false, false, s)); break;
    case Op.FMSUB_D: f.setDouble(rd, sf.f64MulAdd(f.double(rs1), f.double(rs2), f.double(rs3), false, true, s)); break;
    case Op.FNMSUB_D: f.setDouble(rd, sf.f64MulAdd(f.double(rs1), f.double(rs2), f.double(rs3), true, false, s)); break;
    case Op.FNMADD_D: f.setDouble(rd, sf.f64MulAdd(f.double(rs1), f.double(rs2), f.double(rs3), true, true, s)); break;
    case Op.FMIN_D: f.setDouble(rd, sf.f64Min(f.double(rs1), f.double(rs2), s)); break;
    case Op.FMAX_D: f.setDouble(rd, sf.f64Max(f.double(rs1), f.double(rs2), s)); break;
    case Op.FCVT_D_W: f.setDouble(rd, sf.i32ToF64(x[rs1], s)); break;
    case Op.FCVT_D_WU: f.setDouble(rd, sf.u32ToF64(x[rs1] >>> 0, s)); break;
    case Op.FCVT_D_S: f.setDouble(rd, sf.f32ToF64(f.single(rs1), s)); break;
    // results in an integer register: FS stays as it is (QEMU 7.2 marks it dirty only for FP register writes)
    case Op.FEQ_S: x[rd] = sf.f32Eq(f.single(rs1), f.single(rs2), s) ? 1 : 0; return FP_CLEAN;
    case Op.FLT_S: x[rd] = sf.f32Lt(f.single(rs1), f.single(rs2), s) ? 1 : 0; return FP_CLEAN;
    case Op.FLE_S: x[rd] = sf.f32Le(f.single(rs1), f.single(rs2), s) ? 1 : 0; return FP_CLEAN;
    case Op.FCLASS_S: x[rd] = sf.f32Classify(f.single(rs1)); return FP_CLEAN;
    case Op.FCVT_W_S: x[rd] = sf.f32ToI32(f.single(rs1), s) | 0; return FP_CLEAN;
    case Op.FCVT_WU_S: x[rd] = sf.f32ToU32(f.single(rs1), s) | 0; return FP_CLEAN;
    case Op.FEQ_D: x[rd] = sf.f64Eq(f.double(rs1), f.double(rs2), s) ? 1 : 0; return FP_CLEAN;
    case Op.FLT_D: x[rd] = sf.f64Lt(f.double(rs1), f.double(rs2), s) ? 1 : 0; return FP_CLEAN;
    case Op.FLE_D: x[rd] = sf.f64Le(f.double(rs1), f.double(rs2), s) ? 1 : 0; return FP_CLEAN;
    case Op.FCLASS_D: x[rd] = sf.f64Classify(f.double(rs1)); return FP_CLEAN;
    case Op.FCVT_W_D: x[rd] = sf.f64ToI32(f.double(rs1), s) | 0; return FP_CLEAN;
    case Op.FCVT_WU_D: x[rd] = sf.f64ToU32(f.double(rs1), s) | 0; return FP_CLEAN;
    default: throw new Error(`fpu: op ${op} is no F/D instruction`);
  }
  return FP_DIRTY;
}
