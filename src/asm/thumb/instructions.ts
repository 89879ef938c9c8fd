// The Thumb / Thumb-2 instruction set in unified syntax, encoded as GNU as (arm-none-eabi-as,
// binutils 2.40) encodes it for -mcpu=cortex-m3 (ARMv7-M) and cortex-m0 (ARMv6-M). For every
// instruction with a 16-bit and a 32-bit form the choice follows tc-arm.c's rules:
//   - `.w` forces the 32-bit form, `.n` the 16-bit one (an error when it cannot be had);
//   - a 16-bit data-processing form that sets the flags is used outside an IT block only for the
//     S mnemonic (`adds`), and inside one only for the plain mnemonic (`addeq`), because there
//     the same encoding does not set them;
//   - operands must fit the 16-bit form (low registers, small immediates), else 32 bits;
//   - branches, `ldr rt, label` and `adr` to a label in the same section start 16-bit and grow
//     to 32-bit when the distance (or alignment) demands it — the driver's relaxation; a branch to
//     a global symbol is always 32-bit, since the linker may have to reach it (as GNU as).
// Encodings are from the ARMv7-M Architecture Reference Manual (A5, A7); ../../engine/cpu/arm/
// disasm.ts reads the same fields back.

import { AsmError, type SourceSpan } from '../diagnostics.ts';
import { complementaryOperation, modifiedImmediate, splitImm12, T32 } from './immediates.ts';
import type { MemOffset, Operand, ShiftSpec } from './operands.ts';
import { barrierOption, conditionNumber, COND_AL, LR, PC, SP, specialRegisterNumber, V7M_ONLY_SPECIAL_REGISTERS } from './registers.ts';

export type ThumbArch = 'v7m' | 'v6m';

/** The driver's view of the layout while relaxing (structurally the driver's LayoutContext). */
export interface ThumbLayout<E> {
  address: number;
  value(expr: E): number | undefined;
  inSameSection(expr: E): boolean;
  /** Whether the expression is a global symbol: GNU as never shortens a branch to one. */
  isGlobal(expr: E): boolean;
  /** Whether the expression is a function symbol (a Thumb function: its address has bit 0 set). */
  isFunction(expr: E): boolean;
  /** How far the instruction moved since the previous relaxation pass. */
  stretch?: number;
}

/** The driver's view while encoding (structurally its EncodeContext). */
export interface ThumbEncodeContext<E> extends ThumbLayout<E> {
  require(expr: E): number;
}

/** What an instruction needs from the backend while it is parsed. */
export interface ThumbParseEnv<E> {
  arch: ThumbArch;
  /** The expression's value when it is a constant now, else undefined. */
  constant(expr: E): number | undefined;
  /** A literal-pool slot holding `value`; returns an expression for the slot's address. */
  literal(value: E, span: SourceSpan): E;
}

/** One encoded instruction: its size in the current layout and its halfwords. */
export interface ThumbInstruction<E> {
  readonly shrinks: boolean;
  initialSize(): number;
  size(layout: ThumbLayout<E>): number;
  encode(context: ThumbEncodeContext<E>, size: number): Uint8Array;
}

/** A mnemonic split into its parts: `addseq.w` is add + S + EQ + wide. */
export interface Mnemonic {
  base: string;
  setFlags: boolean;
  /** The condition written in the mnemonic (undefined when none). */
  cond?: number;
  width?: 'n' | 'w';
  span: SourceSpan;
}

/** Where an instruction stands relative to an IT block (the backend tracks them). */
export interface ItPosition {
  inside: boolean;
  last: boolean;
}

type Halfwords = number[];

interface Fixed<E> {
  kind: 'fixed';
  size: 2 | 4;
  emit(context: ThumbEncodeContext<E>): Halfwords;
}

interface Relaxable<E> {
  kind: 'relax';
  /** Whether the 16-bit form reaches in this layout (false also for targets it must not shorten). */
  fits(layout: ThumbLayout<E>): boolean;
  narrow(context: ThumbEncodeContext<E>): Halfwords;
  wide(context: ThumbEncodeContext<E>): Halfwords;
}

type Built<E> = Fixed<E> | Relaxable<E>;

class Instruction<E> implements ThumbInstruction<E> {
  /** GNU as lets a relaxed instruction shrink again, until it is wide in a pass where it did not move forward. */
  readonly shrinks = true;
  private frozen = false;
  constructor(private readonly built: Built<E>) {}

  initialSize(): number {
    return this.built.kind === 'fixed' ? this.built.size : 2;
  }

  size(layout: ThumbLayout<E>): number {
    if (this.built.kind === 'fixed') return this.built.size;
    if (this.frozen) return 4;
    const size = this.built.fits(layout) ? 2 : 4;
    if (size === 4 && (layout.stretch ?? 0) <= 0) this.frozen = true;
    return size;
  }

  encode(context: ThumbEncodeContext<E>, size: number): Uint8Array {
    const built = this.built;
    const halfwords = built.kind === 'fixed' ? built.emit(context) : size === 2 ? built.narrow(context) : built.wide(context);
    const bytes = new Uint8Array(halfwords.length * 2);
    halfwords.forEach((hw, i) => {
      bytes[i * 2] = hw & 0xff;
      bytes[i * 2 + 1] = (hw >>> 8) & 0xff;
    });
    return bytes;
  }
}

/** Everything a builder sees about the statement. */
interface Statement<E> {
  m: Mnemonic;
  ops: Operand<E>[];
  env: ThumbParseEnv<E>;
  it: ItPosition;
  span: SourceSpan;
}

type Builder<E> = (s: Statement<E>) => Built<E>;

// ---------------------------------------------------------------- helpers

const lowReg = (r: number): boolean => r < 8;
const bit = (condition: boolean, position: number): number => (condition ? 1 << position : 0);

function fail(span: SourceSpan, message: string, hint?: string): never {
  throw new AsmError(span, message, hint);
}

function n16<E>(s: Statement<E>, hw: number): Fixed<E> {
  if (s.m.width === 'w') {
    fail(s.m.span, `${s.m.base}.w: this instruction has only a 16-bit encoding`, 'drop the .w');
  }
  return { kind: 'fixed', size: 2, emit: () => [hw & 0xffff] };
}

/** A 32-bit encoding; ARMv6-M has only BL, MRS, MSR and the barriers in 32 bits. */
function w32<E>(s: Statement<E>, hw1: number, hw2: number, allowedOnV6m = false): Fixed<E> {
  check32(s, allowedOnV6m);
  return { kind: 'fixed', size: 4, emit: () => [hw1 & 0xffff, hw2 & 0xffff] };
}

function check32<E>(s: Statement<E>, allowedOnV6m = false): void {
  if (s.m.width === 'n') {
    fail(s.m.span, `${mnemonicText(s.m)}: these operands need a 32-bit encoding`, 'drop the .n, or use low registers (r0-r7) and a smaller immediate');
  }
  if (s.env.arch === 'v6m' && !allowedOnV6m) {
    fail(s.span, `${mnemonicText(s.m)} with these operands is a 32-bit Thumb-2 instruction, which ARMv6-M (cortex-m0) does not have`, 'on ARMv6-M use the 16-bit forms: low registers r0-r7, flag-setting mnemonics (movs, adds), small immediates');
  }
}

function mnemonicText(m: Mnemonic): string {
  return m.base + (m.setFlags ? 's' : '') + (m.width !== undefined ? `.${m.width}` : '');
}

/** Whether a 16-bit form that sets the flags outside IT blocks (and not inside) matches the mnemonic. */
function narrowFlagsOk<E>(s: Statement<E>): boolean {
  return s.m.width !== 'w' && (s.it.inside ? !s.m.setFlags : s.m.setFlags);
}

function count(s: Statement<E>, min: number, max = min): void {
  if (s.ops.length < min || s.ops.length > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    fail(s.span, `${mnemonicText(s.m)} takes ${want} operands, not ${s.ops.length}`);
  }
}
type E = unknown;

function reg<X>(s: Statement<X>, index: number, what = 'a register'): number {
  const op = s.ops[index];
  if (op === undefined) fail(s.span, `${mnemonicText(s.m)} is missing operand ${index + 1}`, `expected ${what}`);
  if (op.kind !== 'reg' || op.writeback) fail(op.span, `expected ${what}`, 'registers are r0-r12, sp, lr, pc');
  return op.reg;
}

function notPc<X>(s: Statement<X>, index: number, r: number, allowSp = true): number {
  if (r === PC || (!allowSp && r === SP)) fail(s.ops[index].span, `${r === PC ? 'pc' : 'sp'} is not allowed here`, 'use r0-r12 or lr');
  return r;
}

function isReg<X>(op: Operand<X> | undefined): op is Operand<X> & { kind: 'reg' } {
  return op !== undefined && op.kind === 'reg' && !op.writeback;
}

/** An immediate operand's value, which must be a constant when the instruction is read. */
function constant<X>(s: Statement<X>, expr: X, span: SourceSpan): number {
  const value = s.env.constant(expr);
  if (value === undefined) fail(span, 'the immediate must be a constant known here', 'define the symbol with .equ before this line, or load an address with `ldr rX, =label`');
  return value;
}

function immediate<X>(s: Statement<X>, index: number): number {
  const op = s.ops[index];
  if (op === undefined || op.kind !== 'imm') fail(op?.span ?? s.span, 'expected an immediate `#value`', 'immediates are written with a #: `#42`');
  return constant(s, op.expr, op.span);
}

function inRange(s: Statement<E>, span: SourceSpan, value: number, low: number, high: number, what: string): number {
  if (value < low || value > high) fail(span, `${what} ${value} is out of range ${low}..${high}`);
  return value;
}

/** A shift as the 32-bit encodings hold it: type and a 5-bit amount (LSR/ASR #32 are 0). */
function shiftFields<X>(s: Statement<X>, shift: ShiftSpec<X> | undefined): { type: number; imm5: number } {
  if (shift === undefined) return { type: 0, imm5: 0 };
  if (shift.rrx) return { type: 3, imm5: 0 };
  if (shift.amount === undefined) fail(shift.span, 'a register shift amount is not allowed here', 'write `lsl #n`');
  const amount = constant(s, shift.amount, shift.span);
  const [low, high] = shift.type === 0 ? [0, 31] : shift.type === 3 ? [1, 31] : [1, 32];
  if (amount < low || amount > high) fail(shift.span, `shift amount ${amount} is out of range ${low}..${high}`);
  return { type: amount === 0 ? 0 : shift.type, imm5: amount & 31 };
}

function shiftedRegFields(rd: number, rm: number, type: number, imm5: number): number {
  return (((imm5 >>> 2) & 7) << 12) | (rd << 8) | ((imm5 & 3) << 6) | (type << 4) | rm;
}

/** The 32-bit data-processing (modified immediate) encoding, with GNU as's complementary fallback. */
function dpModifiedImm<X>(s: Statement<X>, op: number, setFlags: boolean, rd: number, rn: number, value: number, span: SourceSpan): Fixed<X> {
  let imm12 = modifiedImmediate(value);
  let encodedOp = op;
  if (imm12 === undefined) {
    const other = complementaryOperation(op, value);
    const otherImm = other === undefined ? undefined : modifiedImmediate(other.value);
    if (other !== undefined && otherImm !== undefined) {
      encodedOp = other.op;
      imm12 = otherImm;
    }
  }
  if (imm12 === undefined) {
    fail(span, `the constant ${hex(value)} cannot be encoded as a Thumb-2 immediate`, 'a Thumb-2 immediate is an 8-bit value shifted, or a repeated byte (0x00XY00XY, 0xXY00XY00, 0xXYXYXYXY); load others with `ldr rX, =value` or movw/movt');
  }
  const [h1, h2] = splitImm12(imm12);
  return w32(s, 0xf000 | h1 | (encodedOp << 5) | bit(setFlags, 4) | rn, h2 | (rd << 8));
}

const hex = (value: number): string => `0x${(value >>> 0).toString(16)}`;

// ---------------------------------------------------------------- data processing

/** The 16-bit "data processing (register)" opcodes (A5.2.2). */
const DP16 = { AND: 0, EOR: 1, LSL: 2, LSR: 3, ASR: 4, ADC: 5, SBC: 6, ROR: 7, TST: 8, RSB: 9, CMP: 10, CMN: 11, ORR: 12, MUL: 13, BIC: 14, MVN: 15 } as const;

const dp16 = (opcode: number, rdn: number, rm: number): number => 0x4000 | (opcode << 6) | (rm << 3) | rdn;

/** Rd, Rn and the flexible second operand of a three-operand data-processing instruction (Rn defaults to Rd). */
interface ThreeOperands<X> {
  rd: number;
  rn: number;
  op2: Operand<X>;
  shift?: ShiftSpec<X>;
}

function threeOperands<X>(s: Statement<X>): ThreeOperands<X> {
  const ops = s.ops;
  if (ops.length < 2) fail(s.span, `${mnemonicText(s.m)} needs at least 2 operands`);
  const rd = reg(s, 0);
  let index = 1;
  let rn = rd;
  if (isReg(ops[1]) && ops.length >= 3 && ops[2].kind !== 'shift') {
    rn = ops[1].reg;
    index = 2;
  }
  const op2 = ops[index];
  const shiftOp = ops[index + 1];
  if (ops.length > index + 2) fail(ops[index + 2].span, 'too many operands');
  if (shiftOp !== undefined && shiftOp.kind !== 'shift') fail(shiftOp.span, 'expected a shift such as `lsl #2`');
  if (op2.kind !== 'reg' && op2.kind !== 'imm') fail(op2.span, 'expected a register or an immediate `#value`');
  if (shiftOp !== undefined && op2.kind !== 'reg') fail(shiftOp.span, 'only a register operand can be shifted');
  return { rd, rn, op2, shift: shiftOp?.kind === 'shift' ? shiftOp.shift : undefined };
}

function registerShiftNotAllowed<X>(shift: ShiftSpec<X> | undefined): void {
  if (shift?.register !== undefined) fail(shift.span, 'a shift by a register is not allowed here', 'Thumb-2 shifts the second operand by a constant only; use lsl/lsr/asr/ror rd, rn, rm');
}

/** AND, EOR, ORR, ADC (commutative) and BIC, SBC, ORN: GNU as's do_t_arit3 / do_t_arit3c. */
function logical(op32: number, op16: number | undefined, commutative: boolean): Builder<E> {
  return (s) => {
    const { rd, rn, op2, shift } = threeOperands(s);
    if (op2.kind === 'imm') return dpModifiedImm(s, op32, s.m.setFlags, rd, rn, constant(s, op2.expr, op2.span), op2.span);
    registerShiftNotAllowed(shift);
    const rm = op2.kind === 'reg' ? op2.reg : 0;
    if (op16 !== undefined && shift === undefined && narrowFlagsOk(s) && lowReg(rd) && lowReg(rn) && lowReg(rm)) {
      if (rd === rn) return n16(s, dp16(op16, rd, rm));
      if (commutative && rd === rm) return n16(s, dp16(op16, rd, rn));
    }
    const { type, imm5 } = shiftFields(s, shift);
    return w32(s, 0xea00 | (op32 << 5) | bit(s.m.setFlags, 4) | rn, shiftedRegFields(rd, rm, type, imm5));
  };
}

/** ADD and SUB (do_t_add_sub), including SP and PC operands and ADDW/SUBW. */
function addSub(subtract: boolean): Builder<E> {
  return (s) => {
    const { rd, rn, op2, shift } = threeOperands(s);
    const op32 = subtract ? T32.SUB : T32.ADD;
    if (op2.kind === 'imm') {
      const value = constant(s, op2.expr, op2.span);
      if (s.m.width !== 'w' && !s.m.setFlags) {
        if (rd === SP && rn === SP && value >= 0 && value <= 508 && value % 4 === 0) return n16(s, (subtract ? 0xb080 : 0xb000) | (value >> 2));
        if (!subtract && lowReg(rd) && rn === SP && value >= 0 && value <= 1020 && value % 4 === 0) return n16(s, 0xa800 | (rd << 8) | (value >> 2));
        if (!subtract && lowReg(rd) && rn === PC && value >= 0 && value <= 1020 && value % 4 === 0) return n16(s, 0xa000 | (rd << 8) | (value >> 2));
      }
      if (narrowFlagsOk(s) && lowReg(rd) && lowReg(rn)) {
        if (rd === rn && value >= 0 && value <= 255) return n16(s, (subtract ? 0x3800 : 0x3000) | (rd << 8) | value);
        if (value >= 0 && value <= 7) return n16(s, (subtract ? 0x1e00 : 0x1c00) | (value << 6) | (rn << 3) | rd);
      }
      if (rn === PC && !s.m.setFlags) return adrWide(s, rd, subtract ? -value : value);
      if (modifiedImmediate(value) !== undefined || modifiedImmediate(-value) !== undefined || s.m.setFlags) {
        return dpModifiedImm(s, op32, s.m.setFlags, rd, rn, value, op2.span);
      }
      // ADDW / SUBW: a plain 12-bit immediate, negated into the other operation when negative.
      const negative = value < 0;
      const magnitude = Math.abs(value);
      if (magnitude > 0xfff) fail(op2.span, `the constant ${hex(value)} fits neither a Thumb-2 immediate nor 12 bits`, 'load it into a register first (`ldr rX, =value`)');
      const [h1, h2] = splitImm12(magnitude);
      return w32(s, (subtract !== negative ? 0xf2a0 : 0xf200) | h1 | rn, h2 | (rd << 8));
    }
    registerShiftNotAllowed(shift);
    const rm = op2.kind === 'reg' ? op2.reg : 0;
    if (shift === undefined && s.m.width !== 'w') {
      if (narrowFlagsOk(s) && lowReg(rd) && lowReg(rn) && lowReg(rm)) return n16(s, (subtract ? 0x1a00 : 0x1800) | (rm << 6) | (rn << 3) | rd);
      if (!subtract && !s.m.setFlags && (rd === rn || rd === rm) && !(rd === PC && s.it.inside && !s.it.last)) {
        const other = rd === rn ? rm : rn;
        return n16(s, 0x4400 | ((rd & 8) << 4) | (other << 3) | (rd & 7));
      }
    }
    const { type, imm5 } = shiftFields(s, shift);
    return w32(s, 0xeb00 | (op32 << 5) | bit(s.m.setFlags, 4) | rn, shiftedRegFields(rd, rm, type, imm5));
  };
}

/** RSB (do_t_rsb): the 16-bit form only for `rsbs rd, rn, #0` (NEGS). */
const rsb: Builder<E> = (s) => {
  const { rd, rn, op2, shift } = threeOperands(s);
  if (op2.kind === 'imm') {
    const value = constant(s, op2.expr, op2.span);
    if (value === 0 && narrowFlagsOk(s) && lowReg(rd) && lowReg(rn)) return n16(s, dp16(DP16.RSB, rd, rn));
    return dpModifiedImm(s, T32.RSB, s.m.setFlags, rd, rn, value, op2.span);
  }
  registerShiftNotAllowed(shift);
  const { type, imm5 } = shiftFields(s, shift);
  return w32(s, 0xea00 | (T32.RSB << 5) | bit(s.m.setFlags, 4) | rn, shiftedRegFields(rd, op2.kind === 'reg' ? op2.reg : 0, type, imm5));
};

/** NEG rd, rm: RSB rd, rm, #0. */
const neg: Builder<E> = (s) => {
  count(s, 2);
  const rd = reg(s, 0);
  const rm = reg(s, 1);
  if (narrowFlagsOk(s) && lowReg(rd) && lowReg(rm)) return n16(s, dp16(DP16.RSB, rd, rm));
  return w32(s, 0xf1c0 | bit(s.m.setFlags, 4) | rm, rd << 8);
};

/** CMP, CMN, TST, TEQ: flags only (Rd field 15 in the 32-bit forms). */
function compare(op32: number, op16: number | undefined): Builder<E> {
  const isCmp = op32 === T32.SUB;
  return (s) => {
    if (s.ops.length < 2 || s.ops.length > 3) fail(s.span, `${mnemonicText(s.m)} takes a register and a register or immediate`);
    const rn = reg(s, 0);
    const op2 = s.ops[1];
    const shiftOp = s.ops[2];
    if (shiftOp !== undefined && (shiftOp.kind !== 'shift' || op2.kind !== 'reg')) fail(shiftOp.span, 'expected a shift of the register operand');
    const shift = shiftOp?.kind === 'shift' ? shiftOp.shift : undefined;
    if (op2.kind === 'imm') {
      const value = constant(s, op2.expr, op2.span);
      if (isCmp && s.m.width !== 'w' && lowReg(rn) && value >= 0 && value <= 255) return n16(s, 0x2800 | (rn << 8) | value);
      let op = op32;
      let v = value;
      if (modifiedImmediate(v) === undefined && (op32 === T32.SUB || op32 === T32.ADD) && modifiedImmediate(-v) !== undefined) {
        op = op32 === T32.SUB ? T32.ADD : T32.SUB;
        v = -v;
      }
      return dpModifiedImm(s, op, true, 15, rn, v, op2.span);
    }
    if (op2.kind !== 'reg') fail(op2.span, 'expected a register or an immediate `#value`');
    registerShiftNotAllowed(shift);
    const rm = op2.reg;
    if (shift === undefined && s.m.width !== 'w') {
      if (op16 !== undefined && lowReg(rn) && lowReg(rm)) return n16(s, dp16(op16, rn, rm));
      if (isCmp) return n16(s, 0x4500 | ((rn & 8) << 4) | (rm << 3) | (rn & 7));
    }
    const { type, imm5 } = shiftFields(s, shift);
    return w32(s, 0xea00 | (op32 << 5) | 0x10 | rn, shiftedRegFields(15, rm, type, imm5));
  };
}

/** MOV (do_t_mov_cmp): register moves, MOVS, immediates (MOVS #imm8, MOV.W, MVN.W, MOVW) and shifted registers. */
const mov: Builder<E> = (s) => {
  if (s.ops.length < 2 || s.ops.length > 3) fail(s.span, `${mnemonicText(s.m)} takes 2 operands (or 3 with a shift)`);
  const rd = reg(s, 0);
  const src = s.ops[1];
  if (src.kind === 'imm') {
    if (s.ops.length > 2) fail(s.ops[2].span, 'too many operands');
    const value = constant(s, src.expr, src.span);
    if (narrowFlagsOk(s) && lowReg(rd) && value >= 0 && value <= 255) return n16(s, 0x2000 | (rd << 8) | value);
    if (s.m.width === 'n') check32(s);
    if (modifiedImmediate(value) !== undefined) return dpModifiedImm(s, T32.ORR, s.m.setFlags, rd, PC, value, src.span);
    if (modifiedImmediate(~value) !== undefined) return dpModifiedImm(s, T32.ORN, s.m.setFlags, rd, PC, ~value, src.span);
    if (!s.m.setFlags && value >= 0 && value <= 0xffff) return movwt(s, 0xf240, rd, value);
    return fail(src.span, `the constant ${hex(value)} cannot be moved in one instruction`, 'use `ldr rX, =value`, or movw and movt');
  }
  if (src.kind !== 'reg') fail(src.span, 'expected a register or an immediate `#value`');
  const rm = src.reg;
  const shiftOp = s.ops[2];
  if (shiftOp !== undefined) {
    if (shiftOp.kind !== 'shift') fail(shiftOp.span, 'expected a shift such as `lsl #2`');
    return shiftInstruction(s, shiftOp.shift.rrx ? -1 : shiftOp.shift.type, rd, rm, shiftOp.shift);
  }
  if (s.m.width !== 'w') {
    if (!s.m.setFlags) return n16(s, 0x4600 | ((rd & 8) << 4) | (rm << 3) | (rd & 7));
    if (!s.it.inside && lowReg(rd) && lowReg(rm)) return n16(s, (rm << 3) | rd);
  }
  return w32(s, 0xea4f | bit(s.m.setFlags, 4), shiftedRegFields(rd, rm, 0, 0));
};

/** MVN (register or immediate). */
const mvn: Builder<E> = (s) => {
  if (s.ops.length < 2 || s.ops.length > 3) fail(s.span, `${mnemonicText(s.m)} takes 2 operands (or 3 with a shift)`);
  const rd = reg(s, 0);
  const src = s.ops[1];
  if (src.kind === 'imm') return dpModifiedImm(s, T32.ORN, s.m.setFlags, rd, PC, constant(s, src.expr, src.span), src.span);
  if (src.kind !== 'reg') fail(src.span, 'expected a register or an immediate `#value`');
  const shiftOp = s.ops[2];
  if (shiftOp !== undefined && shiftOp.kind !== 'shift') fail(shiftOp.span, 'expected a shift such as `lsl #2`');
  const shift = shiftOp?.kind === 'shift' ? shiftOp.shift : undefined;
  registerShiftNotAllowed(shift);
  if (shift === undefined && narrowFlagsOk(s) && lowReg(rd) && lowReg(src.reg)) return n16(s, dp16(DP16.MVN, rd, src.reg));
  const { type, imm5 } = shiftFields(s, shift);
  return w32(s, 0xea6f | bit(s.m.setFlags, 4), shiftedRegFields(rd, src.reg, type, imm5));
};

function movwt(s: Statement<E>, base: number, rd: number, value: number): Fixed<E> {
  const v = value & 0xffff;
  return w32(s, base | (((v >>> 11) & 1) << 10) | ((v >>> 12) & 0xf), (((v >>> 8) & 7) << 12) | (notPc(s, 0, rd, false) << 8) | (v & 0xff));
}

/** MOVW / MOVT rd, #imm16 or #:lower16:expr / #:upper16:expr (an address, resolved at the end; a Thumb function's with bit 0 set, as ld's MOVW relocations). */
function movHalf(base: number): Builder<E> {
  return (s) => {
    count(s, 2);
    const rd = reg(s, 0);
    const op = s.ops[1];
    if (op.kind === 'imm' && op.half !== undefined) {
      const half = op.half;
      const expr = op.expr;
      check32(s);
      return {
        kind: 'fixed',
        size: 4,
        emit: (c) => {
          const value = (c.require(expr) | (c.isFunction(expr) ? 1 : 0)) >>> 0;
          return movwt(s, base, rd, half === 'lower16' ? value & 0xffff : value >>> 16).emit(c);
        },
      };
    }
    const value = immediate(s, 1);
    inRange(s, op.span, value, 0, 0xffff, `${s.m.base} immediate`);
    return movwt(s, base, rd, value);
  };
}

/**
 * LSL/LSR/ASR/ROR by an immediate or a register, and RRX (type -1): do_t_shift. The 32-bit
 * immediate forms are MOV.W with a shifted register; the register forms LSL.W etc.
 */
function shiftInstruction(s: Statement<E>, type: number, rd: number, rm: number, shift: ShiftSpec<E>): Built<E> {
  if (type === -1) return w32(s, 0xea4f | bit(s.m.setFlags, 4), shiftedRegFields(rd, rm, 3, 0));
  if (shift.register !== undefined) {
    const rs = shift.register;
    if (narrowFlagsOk(s) && rd === rm && lowReg(rd) && lowReg(rs)) return n16(s, dp16([DP16.LSL, DP16.LSR, DP16.ASR, DP16.ROR][type], rd, rs));
    return w32(s, 0xfa00 | (type << 5) | bit(s.m.setFlags, 4) | rm, 0xf000 | (rd << 8) | rs);
  }
  const { type: encodedType, imm5 } = shiftFields(s, shift);
  if (narrowFlagsOk(s) && lowReg(rd) && lowReg(rm) && encodedType !== 3) return n16(s, (encodedType << 11) | (imm5 << 6) | (rm << 3) | rd);
  return w32(s, 0xea4f | bit(s.m.setFlags, 4), shiftedRegFields(rd, rm, encodedType, imm5));
}

function shift(type: number): Builder<E> {
  return (s) => {
    if (s.ops.length < 2 || s.ops.length > 3) fail(s.span, `${mnemonicText(s.m)} takes 2 or 3 operands`);
    const rd = reg(s, 0);
    let rm = rd;
    let amountOp = s.ops[1];
    if (s.ops.length === 3) {
      rm = reg(s, 1);
      amountOp = s.ops[2];
    }
    if (amountOp.kind === 'reg') {
      // Two operands `lsls r0, r1` shift r0 by r1; three `lsls r0, r1, r2` shift r1 by r2.
      return shiftInstruction(s, type, rd, rm, { type, rrx: false, register: amountOp.reg, span: amountOp.span });
    }
    if (amountOp.kind !== 'imm') fail(amountOp.span, 'expected a shift amount `#n` or a register');
    return shiftInstruction(s, type, rd, rm, { type, rrx: false, amount: amountOp.expr, span: amountOp.span });
  };
}

const rrx: Builder<E> = (s) => {
  count(s, 2);
  return shiftInstruction(s, -1, reg(s, 0), reg(s, 1), { type: 3, rrx: true, span: s.span });
};

// ---------------------------------------------------------------- multiply, divide, bits

/** MUL rd, rn{, rm} (do_t_mul): MULS rdm, rn in 16 bits when rd is one of the sources. */
const mul: Builder<E> = (s) => {
  count(s, 2, 3);
  const rd = reg(s, 0);
  const rn = reg(s, 1);
  const rm = s.ops.length === 3 ? reg(s, 2) : rd;
  if (narrowFlagsOk(s) && lowReg(rd) && lowReg(rn) && lowReg(rm) && (rd === rn || rd === rm)) return n16(s, dp16(DP16.MUL, rd, rd === rm ? rn : rm));
  if (s.m.setFlags) fail(s.m.span, 'muls has only the 16-bit form: low registers with the destination also a source', 'write `muls r0, r1, r0`, or `mul` for any registers');
  return w32(s, 0xfb00 | rn, 0xf000 | (rd << 8) | rm);
};

/** MLA / MLS rd, rn, rm, ra. */
function multiplyAccumulate(subtract: boolean): Builder<E> {
  return (s) => {
    count(s, 4);
    return w32(s, 0xfb00 | reg(s, 1), (reg(s, 3) << 12) | (reg(s, 0) << 8) | bit(subtract, 4) | reg(s, 2));
  };
}

/** SMULL/UMULL/SMLAL/UMLAL rdlo, rdhi, rn, rm. */
function longMultiply(hw1: number): Builder<E> {
  return (s) => {
    count(s, 4);
    return w32(s, hw1 | reg(s, 2), (reg(s, 0) << 12) | (reg(s, 1) << 8) | reg(s, 3));
  };
}

function divide(hw1: number): Builder<E> {
  return (s) => {
    count(s, 2, 3);
    const rd = reg(s, 0);
    const rn = s.ops.length === 3 ? reg(s, 1) : rd;
    const rm = reg(s, s.ops.length - 1);
    return w32(s, hw1 | rn, 0xf0f0 | (rd << 8) | rm);
  };
}

/** CLZ and RBIT: the source register sits in both halfwords. */
function twoRegWide(hw1: number, hw2: number): Builder<E> {
  return (s) => {
    count(s, 2);
    const rm = reg(s, 1);
    return w32(s, hw1 | rm, hw2 | (reg(s, 0) << 8) | rm);
  };
}

/** REV, REV16, REVSH: 16-bit with low registers. */
function reverse(op16: number, hw2: number): Builder<E> {
  return (s) => {
    count(s, 2);
    const rd = reg(s, 0);
    const rm = reg(s, 1);
    if (s.m.width !== 'w' && lowReg(rd) && lowReg(rm)) return n16(s, op16 | (rm << 3) | rd);
    return w32(s, 0xfa90 | rm, hw2 | (rd << 8) | rm);
  };
}

/** SXTB/SXTH/UXTB/UXTH rd, rm{, ror #8|16|24}. */
function extend(op16: number, hw1: number): Builder<E> {
  return (s) => {
    count(s, 2, 3);
    const rd = reg(s, 0);
    const rm = reg(s, 1);
    let rotation = 0;
    if (s.ops.length === 3) {
      const op = s.ops[2];
      if (op.kind !== 'shift' || op.shift.type !== 3 || op.shift.amount === undefined || op.shift.rrx) fail(op.span, 'expected `ror #8`, `ror #16` or `ror #24`');
      rotation = constant(s, op.shift.amount, op.span);
      if (![0, 8, 16, 24].includes(rotation)) fail(op.span, `rotation ${rotation} is not 0, 8, 16 or 24`);
    }
    if (s.m.width !== 'w' && rotation === 0 && lowReg(rd) && lowReg(rm)) return n16(s, op16 | (rm << 3) | rd);
    return w32(s, hw1, 0xf080 | (rd << 8) | ((rotation >> 3) << 4) | rm);
  };
}

function bitfieldLsb(lsb: number): number {
  return (((lsb >>> 2) & 7) << 12) | ((lsb & 3) << 6);
}

/** BFI rd, rn, #lsb, #width and BFC rd, #lsb, #width. */
function bitfieldInsert(clear: boolean): Builder<E> {
  return (s) => {
    count(s, clear ? 3 : 4);
    const rd = reg(s, 0);
    const rn = clear ? 15 : reg(s, 1);
    const lsb = inRange(s, s.ops[clear ? 1 : 2].span, immediate(s, clear ? 1 : 2), 0, 31, 'lsb');
    const width = inRange(s, s.ops[clear ? 2 : 3].span, immediate(s, clear ? 2 : 3), 1, 32 - lsb, 'width');
    return w32(s, 0xf360 | rn, bitfieldLsb(lsb) | (rd << 8) | (lsb + width - 1));
  };
}

/** SBFX / UBFX rd, rn, #lsb, #width. */
function bitfieldExtract(hw1: number): Builder<E> {
  return (s) => {
    count(s, 4);
    const lsb = inRange(s, s.ops[2].span, immediate(s, 2), 0, 31, 'lsb');
    const width = inRange(s, s.ops[3].span, immediate(s, 3), 1, 32 - lsb, 'width');
    return w32(s, hw1 | reg(s, 1), bitfieldLsb(lsb) | (reg(s, 0) << 8) | (width - 1));
  };
}

/** SSAT / USAT rd, #sat, rn{, lsl #n | asr #n}. */
function saturate(signed: boolean): Builder<E> {
  return (s) => {
    count(s, 3, 4);
    const rd = reg(s, 0);
    const sat = signed ? inRange(s, s.ops[1].span, immediate(s, 1), 1, 32, 'saturation width') - 1 : inRange(s, s.ops[1].span, immediate(s, 1), 0, 31, 'saturation width');
    const rn = reg(s, 2);
    let asr = false;
    let amount = 0;
    if (s.ops.length === 4) {
      const op = s.ops[3];
      if (op.kind !== 'shift' || (op.shift.type !== 0 && op.shift.type !== 2) || op.shift.amount === undefined) fail(op.span, 'expected `lsl #n` or `asr #n`');
      asr = op.shift.type === 2;
      amount = inRange(s, op.span, constant(s, op.shift.amount, op.span), asr ? 1 : 0, asr ? 31 : 31, 'shift');
    }
    return w32(s, (signed ? 0xf300 : 0xf380) | bit(asr, 5) | rn, bitfieldLsb(amount) | (rd << 8) | sat);
  };
}

// ---------------------------------------------------------------- loads and stores

interface LoadStore {
  load: boolean;
  /** 0 byte, 1 halfword, 2 word. */
  size: 0 | 1 | 2;
  signed: boolean;
  /** 16-bit immediate-offset opcode (imm5 scaled by the size), if any. */
  imm16?: number;
  /** 16-bit register-offset opcode. */
  reg16: number;
}

const LOAD_STORE: Record<string, LoadStore> = {
  ldr: { load: true, size: 2, signed: false, imm16: 0x6800, reg16: 0x5800 },
  str: { load: false, size: 2, signed: false, imm16: 0x6000, reg16: 0x5000 },
  ldrb: { load: true, size: 0, signed: false, imm16: 0x7800, reg16: 0x5c00 },
  strb: { load: false, size: 0, signed: false, imm16: 0x7000, reg16: 0x5400 },
  ldrh: { load: true, size: 1, signed: false, imm16: 0x8800, reg16: 0x5a00 },
  strh: { load: false, size: 1, signed: false, imm16: 0x8000, reg16: 0x5200 },
  ldrsb: { load: true, size: 0, signed: true, reg16: 0x5600 },
  ldrsh: { load: true, size: 1, signed: true, reg16: 0x5e00 },
};

/** hw1 of the 32-bit load/store encodings without the imm12 bit (bit 7). */
const ldst32 = (ls: LoadStore, rn: number): number => 0xf800 | bit(ls.signed, 8) | (ls.size << 5) | bit(ls.load, 4) | rn;

function loadStore(ls: LoadStore): Builder<E> {
  return (s) => {
    if (s.ops.length < 2 || s.ops.length > 3) fail(s.span, `${mnemonicText(s.m)} takes a register and an address`);
    const rt = reg(s, 0);
    const address = s.ops[1];
    if (address.kind === 'literal') return literalLoad(s, ls, rt, address.expr, address.span);
    if (address.kind === 'expr') {
      if (s.ops.length > 2) fail(s.ops[2].span, 'too many operands');
      return pcRelativeLoad(s, ls, rt, address.expr, address.span);
    }
    if (address.kind !== 'mem') fail(address.span, 'expected an address: `[rn]`, `[rn, #offset]`, `[rn, rm]`, a label or `=value`');
    const post = s.ops[2];
    if (post !== undefined) {
      if (address.offset !== undefined || address.writeback) fail(post.span, 'a post-indexed address is `[rn], #offset`');
      if (post.kind !== 'imm') fail(post.span, 'post-indexing takes an immediate `#offset`', 'Thumb has no register post-indexing');
      const offset = constant(s, post.expr, post.span);
      inRange(s, post.span, offset, -255, 255, 'post-index offset');
      return w32(s, ldst32(ls, address.base), (rt << 12) | 0x900 | bit(offset >= 0, 9) | Math.abs(offset));
    }
    const base = address.base;
    const offset = address.offset;
    if (offset?.kind === 'reg') return registerOffset(s, ls, rt, base, offset, address.writeback);
    const value = offset === undefined ? 0 : constant(s, offset.expr, offset.span);
    const scale = 1 << ls.size;
    if (address.writeback) {
      inRange(s, offset?.span ?? address.span, value, -255, 255, 'pre-index offset');
      return w32(s, ldst32(ls, base), (rt << 12) | 0xd00 | bit(value >= 0, 9) | Math.abs(value));
    }
    if (s.m.width !== 'w' && lowReg(rt)) {
      if (ls.imm16 !== undefined && lowReg(base) && value >= 0 && value % scale === 0 && value / scale <= 31) return n16(s, ls.imm16 | ((value / scale) << 6) | (base << 3) | rt);
      if (ls.size === 2 && !ls.signed && base === SP && value >= 0 && value <= 1020 && value % 4 === 0) return n16(s, (ls.load ? 0x9800 : 0x9000) | (rt << 8) | (value >> 2));
      if (ls.load && ls.size === 2 && base === PC && value >= 0 && value <= 1020 && value % 4 === 0) return n16(s, 0x4800 | (rt << 8) | (value >> 2));
    }
    if (base === PC) {
      inRange(s, offset?.span ?? address.span, value, -4095, 4095, 'pc-relative offset');
      return w32(s, ldst32(ls, PC) | bit(value >= 0, 7), (rt << 12) | Math.abs(value));
    }
    if (value >= 0) {
      inRange(s, offset?.span ?? address.span, value, 0, 4095, 'offset');
      return w32(s, ldst32(ls, base) | 0x80, (rt << 12) | value);
    }
    inRange(s, offset?.span ?? address.span, value, -255, 0, 'negative offset');
    return w32(s, ldst32(ls, base), (rt << 12) | 0xc00 | -value);
  };
}

function registerOffset(s: Statement<E>, ls: LoadStore, rt: number, rn: number, offset: MemOffset<E> & { kind: 'reg' }, writeback: boolean): Built<E> {
  if (offset.subtract) fail(offset.span, 'Thumb does not support a subtracted register offset', 'compute the address first: `sub rX, rn, rm`');
  if (writeback) fail(offset.span, 'Thumb does not support register offsets with write-back');
  let amount = 0;
  if (offset.shift !== undefined) {
    const shift = offset.shift;
    if (shift.type !== 0 || shift.amount === undefined || shift.rrx) fail(shift.span, 'Thumb supports only `lsl #0..3` in a register offset');
    amount = inRange(s, shift.span, constant(s, shift.amount, shift.span), 0, 3, 'shift');
  }
  if (s.m.width !== 'w' && amount === 0 && lowReg(rt) && lowReg(rn) && lowReg(offset.reg)) return n16(s, ls.reg16 | (offset.reg << 6) | (rn << 3) | rt);
  return w32(s, ldst32(ls, rn), (rt << 12) | (amount << 4) | offset.reg);
}

/** `ldr rt, label`: 16-bit while the label is ahead, word-aligned and within 1020 bytes; else 32-bit ±4095. */
function pcRelativeLoad(s: Statement<E>, ls: LoadStore, rt: number, target: E, span: SourceSpan): Built<E> {
  const wideEncoding = (c: ThumbEncodeContext<E>): Halfwords => {
    const offset = c.require(target) - ((c.address + 4) & ~3);
    if (offset < -4095 || offset > 4095) fail(span, `the label is ${offset} bytes away; a pc-relative load reaches ±4095`, 'load its address with `ldr rX, =label` and then load through it');
    return [ldst32(ls, PC) | bit(offset >= 0, 7), (rt << 12) | Math.abs(offset)];
  };
  const canBeNarrow = ls.load && ls.size === 2 && lowReg(rt) && s.m.width !== 'w';
  if (!canBeNarrow) {
    check32(s);
    return { kind: 'fixed', size: 4, emit: wideEncoding };
  }
  return {
    kind: 'relax',
    fits: (layout) => narrowPcOffset(layout, target) !== undefined,
    narrow: (c) => {
      const offset = narrowPcOffset(c, target);
      if (offset === undefined) fail(span, 'the label is out of reach of a 16-bit pc-relative load', 'drop the .n');
      return [0x4800 | (rt << 8) | (offset >> 2)];
    },
    wide: (c) => {
      check32(s);
      return wideEncoding(c);
    },
  };
}

/** The offset from Align(PC, 4) when it fits the 16-bit LDR (literal) / ADR forms. */
function narrowPcOffset<X>(layout: ThumbLayout<X>, target: X): number | undefined {
  if (!layout.inSameSection(target)) return undefined;
  const value = layout.value(target);
  if (value === undefined || value % 4 !== 0) return undefined;
  const offset = value - ((layout.address + 4) & ~3);
  return offset >= 0 && offset <= 1020 ? offset : undefined;
}

/**
 * `ldr rt, =value`: GNU as moves a constant that MOV.W, MVN.W or MOVW can make (ARMv7-M) or
 * MOVS (ARMv6-M, low register, 0-255) and puts anything else in the literal pool.
 */
function literalLoad(s: Statement<E>, ls: LoadStore, rt: number, value: E, span: SourceSpan): Built<E> {
  if (!ls.load || ls.signed || ls.size !== 2) fail(span, `${mnemonicText(s.m)} cannot take a literal \`=value\``, 'only ldr rX, =value loads a literal');
  const known = s.env.constant(value);
  if (known !== undefined && s.m.width !== 'n') {
    if (s.env.arch === 'v7m') {
      if (modifiedImmediate(known) !== undefined) return dpModifiedImm(s, T32.ORR, false, rt, PC, known, span);
      if (modifiedImmediate(~known) !== undefined) return dpModifiedImm(s, T32.ORN, false, rt, PC, ~known, span);
      if (known >>> 0 <= 0xffff) return movwt(s, 0xf240, rt, known >>> 0);
    }
  }
  const slot = s.env.literal(value, span);
  const narrow = (c: ThumbEncodeContext<E>): Halfwords => {
    const offset = c.require(slot) - ((c.address + 4) & ~3);
    if (offset < 0 || offset > 1020) fail(span, `the literal pool is ${offset} bytes away; a 16-bit literal load reaches 0..1020`, 'drop the .n, or place a pool closer with `.ltorg` (after an unconditional branch)');
    return [0x4800 | (rt << 8) | (offset >> 2)];
  };
  const wide = (c: ThumbEncodeContext<E>): Halfwords => {
    check32(s);
    const offset = c.require(slot) - ((c.address + 4) & ~3);
    if (offset < -4095 || offset > 4095) fail(span, `the literal pool is ${offset} bytes away; a literal load reaches ±4095`, 'place a pool closer with `.ltorg` (after an unconditional branch)');
    return [ldst32(ls, PC) | bit(offset >= 0, 7), (rt << 12) | Math.abs(offset)];
  };
  if (!lowReg(rt) || s.m.width === 'w') return { kind: 'fixed', size: 4, emit: wide };
  if (s.m.width === 'n' || s.env.arch === 'v6m') return { kind: 'fixed', size: 2, emit: narrow };
  // Like `ldr rX, label`: 16-bit while the pool is within reach, else 32-bit.
  return { kind: 'relax', fits: (layout) => narrowPcOffset(layout, slot) !== undefined, narrow, wide };
}

/** LDRD / STRD rt, rt2, [rn{, #±imm}]{!} or [rn], #±imm. */
function loadStoreDual(load: boolean): Builder<E> {
  return (s) => {
    count(s, 3, 4);
    const rt = reg(s, 0);
    const rt2 = reg(s, 1);
    const address = s.ops[2];
    if (address.kind !== 'mem' || address.offset?.kind === 'reg') fail(address.span, 'expected `[rn, #offset]`');
    let value = address.offset === undefined ? 0 : constant(s, address.offset.expr, address.offset.span);
    let p = true;
    let w = address.writeback;
    if (s.ops.length === 4) {
      const post = s.ops[3];
      if (post.kind !== 'imm' || address.offset !== undefined) fail(post.span, 'a post-indexed address is `[rn], #offset`');
      value = constant(s, post.expr, post.span);
      p = false;
      w = true;
    }
    if (value % 4 !== 0 || Math.abs(value) > 1020) fail(address.span, `offset ${value} is not a multiple of 4 in -1020..1020`);
    return w32(s, 0xe840 | bit(p, 8) | bit(value >= 0, 7) | bit(w, 5) | bit(load, 4) | address.base, (rt << 12) | (rt2 << 8) | (Math.abs(value) >> 2));
  };
}

/** LDREX/STREX (word, with an offset ×4) and the byte/halfword forms. */
const ldrex: Builder<E> = (s) => {
  count(s, 2);
  const address = s.ops[1];
  if (address.kind !== 'mem' || address.writeback || address.offset?.kind === 'reg') fail(address.span, 'expected `[rn]` or `[rn, #offset]`');
  const offset = address.offset === undefined ? 0 : constant(s, address.offset.expr, address.offset.span);
  if (offset % 4 !== 0 || offset < 0 || offset > 1020) fail(address.span, `offset ${offset} is not a multiple of 4 in 0..1020`);
  return w32(s, 0xe850 | address.base, (reg(s, 0) << 12) | 0xf00 | (offset >> 2));
};

const strex: Builder<E> = (s) => {
  count(s, 3);
  const address = s.ops[2];
  if (address.kind !== 'mem' || address.writeback || address.offset?.kind === 'reg') fail(address.span, 'expected `[rn]` or `[rn, #offset]`');
  const offset = address.offset === undefined ? 0 : constant(s, address.offset.expr, address.offset.span);
  if (offset % 4 !== 0 || offset < 0 || offset > 1020) fail(address.span, `offset ${offset} is not a multiple of 4 in 0..1020`);
  return w32(s, 0xe840 | address.base, (reg(s, 1) << 12) | (reg(s, 0) << 8) | (offset >> 2));
};

function exclusiveNarrow(load: boolean, halfword: boolean): Builder<E> {
  return (s) => {
    count(s, load ? 2 : 3);
    const address = s.ops[load ? 1 : 2];
    if (address.kind !== 'mem' || address.offset !== undefined || address.writeback) fail(address.span, 'expected `[rn]`');
    const size = halfword ? 0x50 : 0x40;
    if (load) return w32(s, 0xe8d0 | address.base, (reg(s, 0) << 12) | 0xf00 | size | 0xf);
    return w32(s, 0xe8c0 | address.base, (reg(s, 1) << 12) | 0xf00 | size | reg(s, 0));
  };
}

// ---------------------------------------------------------------- multiple loads and stores

const bitCount = (mask: number): number => {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
};
const lowestBit = (mask: number): number => 31 - Math.clz32(mask & -mask);

function listOperand(s: Statement<E>, index: number): number {
  const op = s.ops[index];
  if (op === undefined || op.kind !== 'list') fail(op?.span ?? s.span, 'expected a register list `{...}`');
  return op.mask;
}

/** LDM/STM in 32 bits; a single register becomes LDR/STR with the same addressing, as GNU as does. */
function ldmStm32(s: Statement<E>, load: boolean, decrement: boolean, rn: number, mask: number, writeback: boolean): Fixed<E> {
  if (bitCount(mask) === 1) {
    const rt = lowestBit(mask);
    const ls = LOAD_STORE[load ? 'ldr' : 'str'];
    if (!writeback) {
      if (decrement) return w32(s, ldst32(ls, rn), (rt << 12) | 0xc04);
      return w32(s, ldst32(ls, rn) | 0x80, rt << 12);
    }
    // Increment-after: post-index +4; decrement-before: pre-index -4 with write-back.
    return w32(s, ldst32(ls, rn), (rt << 12) | (decrement ? 0xd04 : 0xb04));
  }
  if ((mask & (1 << SP)) !== 0 || (!load && (mask & (1 << PC)) !== 0)) fail(s.ops[1]?.span ?? s.span, 'the register list may not hold sp (nor pc in a store)');
  return w32(s, 0xe800 | (decrement ? 0x100 : 0x80) | bit(writeback, 5) | bit(load, 4) | rn, mask);
}

function ldmStm(load: boolean, decrement: boolean): Builder<E> {
  return (s) => {
    count(s, 2);
    const base = s.ops[0];
    if (base.kind !== 'reg') fail(base.span, 'expected a base register (`r0` or `r0!`)');
    const rn = base.reg;
    const writeback = base.writeback;
    const mask = listOperand(s, 1);
    if (writeback && load && (mask & (1 << rn)) !== 0) fail(s.ops[1].span, 'the base register may not be in the list when it is written back', 'drop the `!` or the register');
    // GNU as writes LDMIA sp! / STMIA sp! with low registers as POP / PUSH (the latter although
    // PUSH decrements: its bytes are what we must match).
    if (!decrement && s.m.width !== 'w' && rn === SP && writeback && (mask & ~0xff) === 0) return n16(s, (load ? 0xbc00 : 0xb400) | mask);
    if (!decrement && s.m.width !== 'w' && lowReg(rn) && (mask & ~0xff) === 0) {
      if (load && writeback !== ((mask & (1 << rn)) !== 0)) return n16(s, 0xc800 | (rn << 8) | mask);
      if (!load && writeback && ((mask & (1 << rn)) === 0 || lowestBit(mask) === rn)) return n16(s, 0xc000 | (rn << 8) | mask);
    }
    return ldmStm32(s, load, decrement, rn, mask, writeback);
  };
}

function pushPop(push: boolean): Builder<E> {
  return (s) => {
    count(s, 1);
    const mask = listOperand(s, 0);
    const extra = push ? LR : PC;
    if (s.m.width !== 'w' && (mask & ~0xff & ~(1 << extra)) === 0) return n16(s, (push ? 0xb400 : 0xbc00) | bit((mask & (1 << extra)) !== 0, 8) | (mask & 0xff));
    return ldmStm32(s, !push, push, SP, mask, true);
  };
}

// ---------------------------------------------------------------- branches

function branchTarget(s: Statement<E>): { expr: E; span: SourceSpan } {
  count(s, 1);
  const op = s.ops[0];
  if (op.kind !== 'expr') fail(op.span, 'expected a label');
  return { expr: op.expr, span: op.span };
}

function branchOffset(c: ThumbEncodeContext<E>, target: E): number {
  return c.require(target) - (c.address + 4);
}

/** Whether a branch may be shortened: a target GNU as resolves itself (same section, not global). */
function shortenable(layout: ThumbLayout<E>, target: E): boolean {
  return layout.inSameSection(target) && !layout.isGlobal(target);
}

function b32(offset: number, link: boolean): Halfwords {
  const sign = offset < 0 ? 1 : 0;
  const j1 = (~((offset >> 23) & 1) & 1) ^ sign;
  const j2 = (~((offset >> 22) & 1) & 1) ^ sign;
  return [0xf000 | (sign << 10) | ((offset >> 12) & 0x3ff), (link ? 0xd000 : 0x9000) | (j1 << 13) | (j2 << 11) | ((offset >> 1) & 0x7ff)];
}

function checkBranch(span: SourceSpan, offset: number, limit: number, what: string): void {
  if (offset < -limit || offset >= limit) fail(span, `the label is ${offset} bytes away, beyond the ±${limit} reach of ${what}`);
  if ((offset & 1) !== 0) fail(span, 'the branch target is not halfword-aligned');
}

const B_NARROW = 2048;
const BCC_NARROW = 256;
const B_WIDE = 1 << 24;
const BCC_WIDE = 1 << 20;

/** B and B<cond> (the condition written in the mnemonic; inside an IT block it comes from the block). */
const branch: Builder<E> = (s) => {
  const { expr, span } = branchTarget(s);
  const cond = s.m.cond ?? COND_AL;
  if (s.it.inside && !s.it.last) fail(s.m.span, 'a branch inside an IT block must be its last instruction');
  const conditional = cond !== COND_AL && !s.it.inside;
  const narrowLimit = conditional ? BCC_NARROW : B_NARROW;
  const narrow = (c: ThumbEncodeContext<E>): Halfwords => {
    const offset = branchOffset(c, expr);
    checkBranch(span, offset, narrowLimit, conditional ? 'a 16-bit conditional branch' : 'a 16-bit branch');
    return conditional ? [0xd000 | (cond << 8) | ((offset >> 1) & 0xff)] : [0xe000 | ((offset >> 1) & 0x7ff)];
  };
  const wide = (c: ThumbEncodeContext<E>): Halfwords => {
    check32(s);
    const offset = branchOffset(c, expr);
    if (!conditional) {
      checkBranch(span, offset, B_WIDE, 'b.w');
      return b32(offset, false);
    }
    checkBranch(span, offset, BCC_WIDE, 'a 32-bit conditional branch');
    const sign = offset < 0 ? 1 : 0;
    return [0xf000 | (sign << 10) | (cond << 6) | ((offset >> 12) & 0x3f), 0x8000 | (((offset >> 18) & 1) << 13) | (((offset >> 19) & 1) << 11) | ((offset >> 1) & 0x7ff)];
  };
  if (s.m.width === 'w') return { kind: 'fixed', size: 4, emit: wide };
  if (s.m.width === 'n') return { kind: 'fixed', size: 2, emit: narrow };
  return {
    kind: 'relax',
    fits: (layout) => {
      if (!shortenable(layout, expr)) return s.env.arch === 'v6m';
      const value = layout.value(expr);
      if (value === undefined) return false;
      const offset = value - (layout.address + 4);
      return offset >= -narrowLimit && offset < narrowLimit;
    },
    narrow,
    wide,
  };
};

const bl: Builder<E> = (s) => {
  const { expr, span } = branchTarget(s);
  if (s.it.inside && !s.it.last) fail(s.m.span, 'bl inside an IT block must be its last instruction');
  if (s.m.width === 'n') fail(s.m.span, 'bl has only a 32-bit encoding', 'drop the .n');
  return {
    kind: 'fixed',
    size: 4,
    emit: (c) => {
      const offset = branchOffset(c, expr);
      checkBranch(span, offset, B_WIDE, 'bl');
      return b32(offset, true);
    },
  };
};

function branchExchange(link: boolean): Builder<E> {
  return (s) => {
    count(s, 1);
    const rm = reg(s, 0);
    if (s.it.inside && !s.it.last) fail(s.m.span, `${s.m.base} inside an IT block must be its last instruction`);
    return n16(s, (link ? 0x4780 : 0x4700) | (rm << 3));
  };
}

/** CBZ / CBNZ rn, label: forward only, 0..126 bytes. */
function compareBranch(nonzero: boolean): Builder<E> {
  return (s) => {
    count(s, 2);
    if (s.it.inside) fail(s.m.span, `${s.m.base} is not allowed inside an IT block`);
    const rn = reg(s, 0);
    if (!lowReg(rn)) fail(s.ops[0].span, `${s.m.base} takes a low register (r0-r7)`);
    const target = s.ops[1];
    if (target.kind !== 'expr') fail(target.span, 'expected a label');

    return {
      kind: 'fixed',
      size: 2,
      emit: (c) => {
        const offset = branchOffset(c, target.expr);
        // To the next instruction CBZ would go either way: GNU as writes a NOP.
        if (offset === -2) return [0xbf00];
        if (offset < 0 || offset > 126) fail(target.span, `the label is ${offset} bytes away; ${s.m.base} reaches 0..126 bytes forward`, `use \`cmp r${rn}, #0\` and \`${nonzero ? 'bne' : 'beq'}\``);
        return [0xb100 | bit(nonzero, 11) | (((offset >> 6) & 1) << 9) | (((offset >> 1) & 0x1f) << 3) | rn];
      },
    };
  };
}

function tableBranch(halfword: boolean): Builder<E> {
  return (s) => {
    count(s, 1);
    const op = s.ops[0];
    if (op.kind !== 'mem' || op.offset?.kind !== 'reg' || op.writeback) fail(op.span, halfword ? 'expected `[rn, rm, lsl #1]`' : 'expected `[rn, rm]`');
    if (s.it.inside && !s.it.last) fail(s.m.span, `${s.m.base} inside an IT block must be its last instruction`);
    const shift = op.offset.shift;
    const shiftOk = halfword ? shift !== undefined && shift.type === 0 && shift.amount !== undefined && constant(s, shift.amount, shift.span) === 1 : shift === undefined;
    if (!shiftOk) fail(op.span, halfword ? 'tbh takes `[rn, rm, lsl #1]`' : 'tbb takes `[rn, rm]`');
    return w32(s, 0xe8d0 | op.base, 0xf000 | bit(halfword, 4) | op.offset.reg);
  };
}

// ---------------------------------------------------------------- ADR

function adrWide(s: Statement<E>, rd: number, offset: number): Fixed<E> {
  check32(s);
  const [h1, h2] = splitImm12(Math.abs(offset));
  return { kind: 'fixed', size: 4, emit: () => [(offset < 0 ? 0xf2af : 0xf20f) | h1, h2 | (rd << 8)] };
}

const adr: Builder<E> = (s) => {
  count(s, 2);
  const rd = reg(s, 0);
  const target = s.ops[1];
  if (target.kind !== 'expr') fail(target.span, 'expected a label');
  const wide = (c: ThumbEncodeContext<E>): Halfwords => {
    check32(s);
    const offset = (c.require(target.expr) | (c.isFunction(target.expr) ? 1 : 0)) - ((c.address + 4) & ~3);
    if (offset < -4095 || offset > 4095) fail(target.span, `the label is ${offset} bytes away; adr reaches ±4095`);
    const [h1, h2] = splitImm12(Math.abs(offset));
    return [(offset < 0 ? 0xf2af : 0xf20f) | h1, h2 | (rd << 8)];
  };
  const narrow = (c: ThumbEncodeContext<E>): Halfwords => {
    const offset = narrowPcOffset(c, target.expr);
    if (offset === undefined) fail(target.span, 'the label is out of reach of a 16-bit adr (0..1020 bytes ahead, word-aligned)');
    return [0xa000 | (rd << 8) | (offset >> 2)];
  };
  if (s.m.width === 'w' || !lowReg(rd)) return { kind: 'fixed', size: 4, emit: wide };
  if (s.m.width === 'n') return { kind: 'fixed', size: 2, emit: narrow };
  // A Thumb function's address carries bit 0, which only the 32-bit form can add (GNU as).
  return { kind: 'relax', fits: (layout) => !layout.isFunction(target.expr) && narrowPcOffset(layout, target.expr) !== undefined, narrow, wide };
};

// ---------------------------------------------------------------- system

const mrs: Builder<E> = (s) => {
  count(s, 2);
  const rd = reg(s, 0);
  const sysm = specialRegister(s, 1);
  return w32(s, 0xf3ef, 0x8000 | (rd << 8) | sysm, true);
};

const msr: Builder<E> = (s) => {
  count(s, 2);
  const op = s.ops[0];
  const name = op.kind === 'expr' ? op.name?.toLowerCase() : undefined;
  let sysm: number;
  let mask = 2;
  if (name === 'apsr_nzcvq' || name === 'apsr_nzcv' || name === 'apsr' || name === 'cpsr_f') sysm = 0;
  else if (name === 'apsr_g') {
    sysm = 0;
    mask = 1;
  } else if (name === 'apsr_nzcvqg') {
    sysm = 0;
    mask = 3;
  } else sysm = specialRegister(s, 0);
  return w32(s, 0xf380 | reg(s, 1), 0x8000 | (mask << 10) | sysm, true);
};

function specialRegister(s: Statement<E>, index: number): number {
  const op = s.ops[index];
  const sysm = op.kind === 'expr' && op.name !== undefined ? specialRegisterNumber(op.name) : undefined;
  if (sysm === undefined) fail(op.span, 'expected a special register', 'apsr, ipsr, epsr, xpsr, msp, psp, primask, basepri, basepri_max, faultmask, control');
  if (s.env.arch === 'v6m' && V7M_ONLY_SPECIAL_REGISTERS.has(sysm)) fail(op.span, `${op.kind === 'expr' ? op.name : ''} is an ARMv7-M register; ARMv6-M (cortex-m0) does not have it`, 'ARMv6-M masks interrupts with primask only');
  return sysm;
}

function cps(enable: boolean): Builder<E> {
  return (s) => {
    count(s, 1);
    const op = s.ops[0];
    const flags = op.kind === 'expr' ? op.name?.toLowerCase() : undefined;
    if (flags === undefined || !/^(i|f|if|fi)$/.test(flags)) fail(op.span, 'expected `i`, `f` or `if`');
    if (s.it.inside) fail(s.m.span, 'cps is not allowed inside an IT block');
    if (s.env.arch === 'v6m' && flags.includes('f')) fail(op.span, 'ARMv6-M has no FAULTMASK: only `cpsie i` / `cpsid i`');
    return n16(s, 0xb660 | bit(!enable, 4) | bit(flags.includes('i'), 1) | bit(flags.includes('f'), 0));
  };
}

function barrier(hw2: number): Builder<E> {
  return (s) => {
    count(s, 0, 1);
    let option = 15;
    if (s.ops.length === 1) {
      const op = s.ops[0];
      const named = op.kind === 'expr' && op.name !== undefined ? barrierOption(op.name) : undefined;
      if (named !== undefined) option = named;
      else if (op.kind === 'imm') option = inRange(s, op.span, constant(s, op.expr, op.span), 0, 15, 'barrier option');
      else fail(op.span, 'expected a barrier option such as `sy`');
    }
    return w32(s, 0xf3bf, hw2 | option, true);
  };
}

/** SVC / BKPT #imm8 (the # is optional, as in GNU as). */
function imm8Instruction(base: number): Builder<E> {
  return (s) => {
    count(s, 0, 1);
    let value = 0;
    if (s.ops.length === 1) {
      const op = s.ops[0];
      if (op.kind !== 'imm' && op.kind !== 'expr') fail(op.span, 'expected an immediate');
      value = inRange(s, op.span, constant(s, op.expr, op.span), 0, 255, 'immediate');
    }
    return n16(s, base | value);
  };
}

/** NOP, WFI, WFE, SEV, YIELD: the hint instructions, with `.w` forms on ARMv7-M. */
function hint(op: number): Builder<E> {
  return (s) => {
    count(s, 0);
    if (s.m.width === 'w') return w32(s, 0xf3af, 0x8000 | op);
    // For ARMv6-M GNU as writes NOP as `mov r8, r8`, the no-op of Thumb before the hint space.
    if (op === 0 && s.env.arch === 'v6m') return n16(s, 0x46c0);
    return n16(s, 0xbf00 | (op << 4));
  };
}

function fixedWide(hw1: number, hw2: number): Builder<E> {
  return (s) => {
    count(s, 0);
    return w32(s, hw1, hw2);
  };
}

function udf(): Builder<E> {
  return (s) => {
    count(s, 0, 1);
    const value = s.ops.length === 0 ? 0 : immediate(s, 0);
    if (s.m.width !== 'w' && value <= 255) return n16(s, 0xde00 | value);
    inRange(s, s.ops[0].span, value, 0, 0xffff, 'immediate');
    return w32(s, 0xf7f0 | (value >> 12), 0xa000 | (value & 0xfff));
  };
}

// ---------------------------------------------------------------- the table

interface Entry {
  build: Builder<E>;
  /** Whether an S suffix is accepted. */
  setFlags?: boolean;
  /** Never conditional (IT itself). */
  noCondition?: boolean;
}

const TABLE: Record<string, Entry> = {
  add: { build: addSub(false), setFlags: true },
  sub: { build: addSub(true), setFlags: true },
  adc: { build: logical(T32.ADC, DP16.ADC, true), setFlags: true },
  sbc: { build: logical(T32.SBC, DP16.SBC, false), setFlags: true },
  and: { build: logical(T32.AND, DP16.AND, true), setFlags: true },
  eor: { build: logical(T32.EOR, DP16.EOR, true), setFlags: true },
  orr: { build: logical(T32.ORR, DP16.ORR, true), setFlags: true },
  bic: { build: logical(T32.BIC, DP16.BIC, false), setFlags: true },
  orn: { build: logical(T32.ORN, undefined, false), setFlags: true },
  rsb: { build: rsb, setFlags: true },
  neg: { build: neg, setFlags: true },
  cmp: { build: compare(T32.SUB, DP16.CMP) },
  cmn: { build: compare(T32.ADD, DP16.CMN) },
  tst: { build: compare(T32.AND, DP16.TST) },
  teq: { build: compare(T32.EOR, undefined) },
  mov: { build: mov, setFlags: true },
  mvn: { build: mvn, setFlags: true },
  movw: { build: movHalf(0xf240) },
  movt: { build: movHalf(0xf2c0) },
  lsl: { build: shift(0), setFlags: true },
  lsr: { build: shift(1), setFlags: true },
  asr: { build: shift(2), setFlags: true },
  ror: { build: shift(3), setFlags: true },
  rrx: { build: rrx, setFlags: true },
  mul: { build: mul, setFlags: true },
  mla: { build: multiplyAccumulate(false) },
  mls: { build: multiplyAccumulate(true) },
  smull: { build: longMultiply(0xfb80) },
  umull: { build: longMultiply(0xfba0) },
  smlal: { build: longMultiply(0xfbc0) },
  umlal: { build: longMultiply(0xfbe0) },
  sdiv: { build: divide(0xfb90) },
  udiv: { build: divide(0xfbb0) },
  clz: { build: twoRegWide(0xfab0, 0xf080) },
  rbit: { build: twoRegWide(0xfa90, 0xf0a0) },
  rev: { build: reverse(0xba00, 0xf080) },
  rev16: { build: reverse(0xba40, 0xf090) },
  revsh: { build: reverse(0xbac0, 0xf0b0) },
  sxtb: { build: extend(0xb240, 0xfa4f) },
  sxth: { build: extend(0xb200, 0xfa0f) },
  uxtb: { build: extend(0xb2c0, 0xfa5f) },
  uxth: { build: extend(0xb280, 0xfa1f) },
  bfi: { build: bitfieldInsert(false) },
  bfc: { build: bitfieldInsert(true) },
  sbfx: { build: bitfieldExtract(0xf340) },
  ubfx: { build: bitfieldExtract(0xf3c0) },
  ssat: { build: saturate(true) },
  usat: { build: saturate(false) },
  ...Object.fromEntries(Object.entries(LOAD_STORE).map(([name, ls]) => [name, { build: loadStore(ls) }])),
  ldrd: { build: loadStoreDual(true) },
  strd: { build: loadStoreDual(false) },
  ldrex: { build: ldrex },
  strex: { build: strex },
  ldrexb: { build: exclusiveNarrow(true, false) },
  ldrexh: { build: exclusiveNarrow(true, true) },
  strexb: { build: exclusiveNarrow(false, false) },
  strexh: { build: exclusiveNarrow(false, true) },
  clrex: { build: fixedWide(0xf3bf, 0x8f2f) },
  ldm: { build: ldmStm(true, false) },
  ldmia: { build: ldmStm(true, false) },
  ldmfd: { build: ldmStm(true, false) },
  ldmdb: { build: ldmStm(true, true) },
  ldmea: { build: ldmStm(true, true) },
  stm: { build: ldmStm(false, false) },
  stmia: { build: ldmStm(false, false) },
  stmea: { build: ldmStm(false, false) },
  stmdb: { build: ldmStm(false, true) },
  stmfd: { build: ldmStm(false, true) },
  push: { build: pushPop(true) },
  pop: { build: pushPop(false) },
  b: { build: branch },
  bl: { build: bl },
  bx: { build: branchExchange(false) },
  blx: { build: branchExchange(true) },
  cbz: { build: compareBranch(false), noCondition: true },
  cbnz: { build: compareBranch(true), noCondition: true },
  tbb: { build: tableBranch(false) },
  tbh: { build: tableBranch(true) },
  adr: { build: adr },
  mrs: { build: mrs },
  msr: { build: msr },
  cpsie: { build: cps(true), noCondition: true },
  cpsid: { build: cps(false), noCondition: true },
  dmb: { build: barrier(0x8f50), noCondition: true },
  dsb: { build: barrier(0x8f40), noCondition: true },
  isb: { build: barrier(0x8f60), noCondition: true },
  svc: { build: imm8Instruction(0xdf00) },
  bkpt: { build: imm8Instruction(0xbe00), noCondition: true },
  udf: { build: udf(), noCondition: true },
  nop: { build: hint(0) },
  yield: { build: hint(1) },
  wfe: { build: hint(2) },
  wfi: { build: hint(3) },
  sev: { build: hint(4) },
};

/** Mnemonics that are ARMv7-M only even in their 16-bit forms. */
const V7M_ONLY = new Set(['cbz', 'cbnz']);

const BASES = Object.keys(TABLE).sort((a, b) => b.length - a.length);

/** Splits a mnemonic into base, S, condition and width; undefined when it is no instruction. */
export function splitMnemonic(text: string, span: SourceSpan): Mnemonic | undefined {
  let name = text.toLowerCase();
  let width: 'n' | 'w' | undefined;
  if (name.endsWith('.w') || name.endsWith('.n')) {
    width = name.endsWith('.w') ? 'w' : 'n';
    name = name.slice(0, -2);
  }
  for (const base of BASES) {
    if (!name.startsWith(base)) continue;
    const rest = name.slice(base.length);
    const entry = TABLE[base];
    const parsed = suffixes(rest);
    if (parsed === undefined) continue;
    if (parsed.setFlags && entry.setFlags !== true) continue;
    if (parsed.cond !== undefined && entry.noCondition === true) continue;
    return { base, setFlags: parsed.setFlags, cond: parsed.cond, width, span };
  }
  return undefined;
}

function suffixes(rest: string): { setFlags: boolean; cond?: number } | undefined {
  if (rest === '') return { setFlags: false };
  if (rest === 's') return { setFlags: true };
  const cond = conditionNumber(rest);
  if (cond !== undefined) return { setFlags: false, cond };
  if (rest.startsWith('s')) {
    const c = conditionNumber(rest.slice(1));
    if (c !== undefined) return { setFlags: true, cond: c };
  }
  if (rest.endsWith('s')) {
    const c = conditionNumber(rest.slice(0, -1));
    if (c !== undefined) return { setFlags: true, cond: c };
  }
  return undefined;
}

/** Builds one instruction (not IT, which the backend handles). */
export function buildInstruction<X>(m: Mnemonic, ops: Operand<X>[], env: ThumbParseEnv<X>, it: ItPosition, span: SourceSpan): ThumbInstruction<X> {
  if (env.arch === 'v6m' && V7M_ONLY.has(m.base)) fail(m.span, `${m.base} is an ARMv7-M instruction; ARMv6-M (cortex-m0) does not have it`, 'compare with `cmp rN, #0` and branch with beq/bne');
  const statement = { m, ops, env, it, span } as unknown as Statement<E>;
  const built = TABLE[m.base].build(statement);
  return new Instruction(built) as unknown as ThumbInstruction<X>;
}
