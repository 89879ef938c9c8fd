// Thumb / Thumb-2 decoder of the Cortex-M cores: one 16-bit or 32-bit instruction into an Insn (the
// op and its operands, with everything that depends only on the encoding and its address worked out
// once: modified immediates and their carry, branch targets, literal addresses, ADR values). The
// core (./cortex-m.ts) caches Insns by address and executes them with one switch over `op`.
//
// The encodings follow the ARMv7-M Architecture Reference Manual, chapter A5 (Thumb instruction set
// encoding) and A7 (instruction details); ARMv6-M is the subset of A6 of the ARMv6-M manual. An
// encoding this decoder does not give an op to is UNDEFINED (a UsageFault UNDEFINSTR; on ARMv6-M a
// HardFault); a coprocessor encoding is NOCP (no coprocessor on these cores).

/** The ops the core executes. */
export const Op = {
  UNDEFINED: 0,
  NOCP: 1,
  // data processing: rd = rn <op> operand2 (see Insn.kind for operand2)
  AND: 2, EOR: 3, ORR: 4, ORN: 5, BIC: 6, MOV: 7, MVN: 8, TST: 9, TEQ: 10,
  ADD: 11, ADC: 12, SUB: 13, SBC: 14, RSB: 15, CMP: 16, CMN: 17,
  MOVT: 18,
  MUL: 19, MLA: 20, MLS: 21, UMULL: 22, SMULL: 23, UMLAL: 24, SMLAL: 25, UDIV: 26, SDIV: 27,
  SSAT: 28, USAT: 29, BFI: 30, BFC: 31, UBFX: 32, SBFX: 33,
  CLZ: 34, RBIT: 35, REV: 36, REV16: 37, REVSH: 38, SXTB: 39, SXTH: 40, UXTB: 41, UXTH: 42,
  // branches
  B: 43, BL: 44, BX: 45, BLX: 46, CBZ: 47, CBNZ: 48, TBB: 49, TBH: 50,
  // memory
  LOAD: 51, STORE: 52, LDM: 53, STM: 54, LDRD: 55, STRD: 56, LDREX: 57, STREX: 58, CLREX: 59,
  // system
  MRS: 60, MSR: 61, CPS: 62, NOP: 63, WFI: 64, WFE: 65, SEV: 66, BARRIER: 67, SVC: 68, BKPT: 69, IT: 70, UDF: 71,
  // (72 is not an instruction: the core's slot op for the end of a page, ./slots.ts SLOT_PAGE_END)
  // the commonest forms of LOAD and STORE, told apart at decode so the core's fast path has fewer
  // checks (none into the pc, none unprivileged): a word at [rn, #imm] or [rn, rm, lsl #n]; an
  // unsigned byte at [rn, #imm], [rn, #imm]! or [rn], #imm; a word at [rn, #imm]! or [rn], #imm
  LDR_IMM: 73, LDR_REG: 74, STR_IMM: 75, STR_REG: 76, LDRB_IMM: 77, STRB_IMM: 78, LDR_WB: 79, STR_WB: 80,
} as const;

/** Operand2 kinds of data-processing ops. */
export const Kind = {
  /** `imm`; `immCarry` is the shifter carry (-1: C unchanged) */
  IMM: 0,
  /** rm shifted by the constant `shiftN` of type `shiftType` (shiftN 0 with LSL: no shift, C unchanged) */
  REG: 1,
  /** rm shifted by the low byte of rs (register-shifted register) */
  RSR: 2,
} as const;

export const Shift = { LSL: 0, LSR: 1, ASR: 2, ROR: 3, RRX: 4 } as const;

/** Insn.setFlags: never, always, or only outside an IT block (16-bit encodings). */
export const SetFlags = { NEVER: 0, ALWAYS: 1, OUTSIDE_IT: 2 } as const;

/** Insn.mode of LOAD / STORE: how the address is formed. */
export const AddrMode = {
  /** [rn, #imm] */ OFFSET: 0,
  /** [rn, #imm]! */ PRE: 1,
  /** [rn], #imm */ POST: 2,
  /** [rn, rm, lsl #shiftN] */ REG: 3,
  /** the absolute address `imm` (literal loads: the pc is known at decode time) */ LITERAL: 4,
} as const;

/** The condition code "always". */
const COND_AL = 14;

export class Insn {
  op: number = Op.UNDEFINED;
  /** 2 or 4 bytes. */
  len = 2;
  /** The encoding (16-bit: the halfword; 32-bit: first halfword << 16 | second). */
  raw = 0;
  rd = 0;
  rn = 0;
  rm = 0;
  /** rs of register-shifted registers; ra of MLA/MLS; rt2 of LDRD/STRD; the status register of STREX. */
  ra = 0;
  kind: number = Kind.IMM;
  /** An int32 (branch targets and literal addresses too: one field representation for V8). */
  imm = 0;
  immCarry = -1;
  shiftType: number = Shift.LSL;
  shiftN = 0;
  setFlags: number = SetFlags.NEVER;
  /** Condition of a conditional branch (COND_AL for everything else; IT blocks are the core's). */
  cond = COND_AL;
  /** LOAD/STORE: bytes; LDREX/STREX: bytes. */
  size = 4;
  /** LOAD: sign-extend. */
  signed = false;
  mode: number = AddrMode.OFFSET;
  /** LOAD/STORE: the unprivileged forms (LDRT, STRT). */
  unprivileged = false;
  /** LDM/STM/PUSH/POP: the register list; MSR: the mask; CPS: bit 0 F, bit 1 I; IT: firstcond << 4 | mask. */
  list = 0;
  /** LDM/STM: write back; LDM: decrement before (DB); CPS: disable. */
  writeBack = false;
  decrement = false;
  /** The instruction exists on ARMv7-M only (ARMv6-M takes it as UNDEFINED). */
  v7Only = false;
  /** A register field names r15 (as a source, or to be safe also as a destination): the core sets r15 to pc + 4 first. */
  readsPc = false;
}

/** Is `hw1` the first halfword of a 32-bit Thumb instruction? */
export function isThumb32(hw1: number): boolean {
  return hw1 >>> 11 >= 0x1d;
}

function signExtend(value: number, bits: number): number {
  const shift = 32 - bits;
  return (value << shift) >> shift;
}

/** ThumbExpandImm_C: the modified immediate of a 12-bit field, and its carry (-1: C unchanged). */
export function thumbExpandImm(imm12: number): { value: number; carry: number } {
  if (imm12 >>> 10 === 0) {
    const imm8 = imm12 & 0xff;
    switch ((imm12 >>> 8) & 3) {
      case 0: return { value: imm8, carry: -1 };
      case 1: return { value: (imm8 << 16) | imm8, carry: -1 };
      case 2: return { value: (imm8 << 24) | (imm8 << 8), carry: -1 };
      default: return { value: (imm8 << 24) | (imm8 << 16) | (imm8 << 8) | imm8, carry: -1 };
    }
  }
  const unrotated = 0x80 | (imm12 & 0x7f);
  const rot = imm12 >>> 7;
  const value = ((unrotated >>> rot) | (unrotated << (32 - rot))) | 0;
  return { value, carry: value >>> 31 };
}

/** DecodeImmShift: the shift type and amount of an immediate shift field. */
function decodeImmShift(insn: Insn, type: number, imm5: number): void {
  switch (type) {
    case 0: insn.shiftType = Shift.LSL; insn.shiftN = imm5; break;
    case 1: insn.shiftType = Shift.LSR; insn.shiftN = imm5 === 0 ? 32 : imm5; break;
    case 2: insn.shiftType = Shift.ASR; insn.shiftN = imm5 === 0 ? 32 : imm5; break;
    default:
      if (imm5 === 0) { insn.shiftType = Shift.RRX; insn.shiftN = 1; } else { insn.shiftType = Shift.ROR; insn.shiftN = imm5; }
  }
}

function dp(insn: Insn, op: number, rd: number, rn: number, setFlags: number): Insn {
  insn.op = op;
  insn.rd = rd;
  insn.rn = rn;
  insn.setFlags = setFlags;
  return insn;
}

function regOperand(insn: Insn, rm: number, shiftType: number = Shift.LSL, shiftN = 0): Insn {
  insn.kind = Kind.REG;
  insn.rm = rm;
  insn.shiftType = shiftType;
  insn.shiftN = shiftN;
  return insn;
}

function immOperand(insn: Insn, value: number, carry = -1): Insn {
  insn.kind = Kind.IMM;
  insn.imm = value | 0;
  insn.immCarry = carry;
  return insn;
}

function memory(insn: Insn, op: number, rt: number, rn: number, size: number, signed: boolean, mode: number, imm: number): Insn {
  insn.op = op;
  insn.rd = rt;
  insn.rn = rn;
  insn.size = size;
  insn.signed = signed;
  insn.mode = mode;
  insn.imm = imm | 0;
  return insn;
}

/** Align(pc + 4, 4): the base of literal loads and ADR. */
function literalBase(pc: number): number {
  return ((pc + 4) & ~3) >>> 0;
}

/**
 * Decode the instruction at `pc` whose first halfword is `hw1` and (for a 32-bit one) second
 * halfword `hw2`. Marks v7-only encodings (Insn.v7Only); the core decides what they do on ARMv6-M.
 */
export function decode(hw1: number, hw2: number, pc: number): Insn {
  const insn = new Insn();
  if (isThumb32(hw1)) {
    insn.len = 4;
    insn.raw = ((hw1 << 16) | hw2) >>> 0;
    decode32(insn, hw1, hw2, pc);
  } else {
    insn.raw = hw1;
    decode16(insn, hw1, pc);
  }
  insn.readsPc = insn.rd === 15 || insn.rn === 15 || insn.rm === 15 || insn.ra === 15 || (insn.op === Op.STM && (insn.list & 0x8000) !== 0);
  insn.op = specialisedMemoryOp(insn);
  return insn;
}

/** The op of a LOAD or STORE in one of the forms that have an op of their own (see Op.LDR_IMM), else insn.op. */
function specialisedMemoryOp(insn: Insn): number {
  const load = insn.op === Op.LOAD;
  if ((!load && insn.op !== Op.STORE) || insn.signed || insn.unprivileged || (load && insn.rd === 15)) return insn.op;
  const mode = insn.mode;
  if (insn.size === 4) {
    if (mode === AddrMode.OFFSET) return load ? Op.LDR_IMM : Op.STR_IMM;
    if (mode === AddrMode.REG) return load ? Op.LDR_REG : Op.STR_REG;
    if (mode === AddrMode.PRE || mode === AddrMode.POST) return load ? Op.LDR_WB : Op.STR_WB;
  } else if (insn.size === 1 && (mode === AddrMode.OFFSET || mode === AddrMode.PRE || mode === AddrMode.POST)) {
    return load ? Op.LDRB_IMM : Op.STRB_IMM;
  }
  return insn.op;
}

const DP_REG16 = [Op.AND, Op.EOR, -1, -1, -1, Op.ADC, Op.SBC, -1, Op.TST, Op.RSB, Op.CMP, Op.CMN, Op.ORR, Op.MUL, Op.BIC, Op.MVN];

function decode16(insn: Insn, hw: number, pc: number): void {
  const lo3 = hw & 7;
  const mid3 = (hw >>> 3) & 7;
  const r8 = (hw >>> 8) & 7;
  const imm8 = hw & 0xff;
  switch (hw >>> 12) {
    case 0x0: case 0x1: {
      const opcode = (hw >>> 9) & 0x1f;
      const imm5 = (hw >>> 6) & 0x1f;
      if (opcode < 12) {
        // LSL/LSR/ASR #imm (MOVS rd, rm when LSL #0)
        dp(insn, Op.MOV, lo3, 0, SetFlags.OUTSIDE_IT);
        insn.kind = Kind.REG;
        insn.rm = mid3;
        decodeImmShift(insn, opcode >>> 2, imm5);
        return;
      }
      const rn = mid3;
      switch (opcode) {
        case 12: regOperand(dp(insn, Op.ADD, lo3, rn, SetFlags.OUTSIDE_IT), (hw >>> 6) & 7); return;
        case 13: regOperand(dp(insn, Op.SUB, lo3, rn, SetFlags.OUTSIDE_IT), (hw >>> 6) & 7); return;
        case 14: immOperand(dp(insn, Op.ADD, lo3, rn, SetFlags.OUTSIDE_IT), (hw >>> 6) & 7); return;
        default: immOperand(dp(insn, Op.SUB, lo3, rn, SetFlags.OUTSIDE_IT), (hw >>> 6) & 7); return;
      }
    }
    case 0x2: case 0x3: {
      const op = [Op.MOV, Op.CMP, Op.ADD, Op.SUB][(hw >>> 11) & 3];
      immOperand(dp(insn, op, r8, r8, op === Op.CMP ? SetFlags.ALWAYS : SetFlags.OUTSIDE_IT), imm8);
      return;
    }
    case 0x4: {
      if ((hw & 0xfc00) === 0x4000) {
        const opcode = (hw >>> 6) & 0xf;
        const rdn = lo3;
        const rm = mid3;
        if (opcode === 2 || opcode === 3 || opcode === 4 || opcode === 7) {
          dp(insn, Op.MOV, rdn, 0, SetFlags.OUTSIDE_IT);
          insn.kind = Kind.RSR;
          insn.rm = rdn;
          insn.ra = rm;
          insn.shiftType = opcode === 2 ? Shift.LSL : opcode === 3 ? Shift.LSR : opcode === 4 ? Shift.ASR : Shift.ROR;
          return;
        }
        const op = DP_REG16[opcode];
        if (op === Op.RSB) { immOperand(dp(insn, Op.RSB, rdn, rm, SetFlags.OUTSIDE_IT), 0); return; }
        if (op === Op.MUL) { dp(insn, Op.MUL, rdn, rm, SetFlags.OUTSIDE_IT); insn.rm = rdn; return; }
        const compare = op === Op.TST || op === Op.CMP || op === Op.CMN;
        regOperand(dp(insn, op, rdn, op === Op.MVN ? 0 : rdn, compare ? SetFlags.ALWAYS : SetFlags.OUTSIDE_IT), rm);
        return;
      }
      if ((hw & 0xfc00) === 0x4400) {
        const opcode = (hw >>> 8) & 3;
        const rm = (hw >>> 3) & 0xf;
        const rdn = ((hw >>> 4) & 8) | lo3;
        switch (opcode) {
          case 0: regOperand(dp(insn, Op.ADD, rdn, rdn, SetFlags.NEVER), rm); return;
          case 1: regOperand(dp(insn, Op.CMP, rdn, rdn, SetFlags.ALWAYS), rm); return;
          case 2: regOperand(dp(insn, Op.MOV, rdn, 0, SetFlags.NEVER), rm); return;
          default:
            if ((hw & 7) !== 0) return; // (0)(0)(0) bits: UNPREDICTABLE, taken as UNDEFINED
            insn.op = hw & 0x80 ? Op.BLX : Op.BX;
            insn.rm = rm;
            return;
        }
      }
      // LDR (literal)
      memory(insn, Op.LOAD, r8, 15, 4, false, AddrMode.LITERAL, literalBase(pc) + imm8 * 4);
      return;
    }
    case 0x5: {
      const opB = (hw >>> 9) & 7;
      const rm = (hw >>> 6) & 7;
      const sizes = [4, 2, 1, 1, 4, 2, 1, 2];
      const op = opB < 3 ? Op.STORE : Op.LOAD;
      memory(insn, op, lo3, mid3, sizes[opB], opB === 3 || opB === 7, AddrMode.REG, 0);
      insn.rm = rm;
      return;
    }
    case 0x6: case 0x7: case 0x8: {
      const load = (hw & 0x800) !== 0;
      const imm5 = (hw >>> 6) & 0x1f;
      const size = hw >>> 12 === 6 ? 4 : hw >>> 12 === 7 ? 1 : 2;
      memory(insn, load ? Op.LOAD : Op.STORE, lo3, mid3, size, false, AddrMode.OFFSET, imm5 * size);
      return;
    }
    case 0x9: // LDR/STR rt, [sp, #imm8*4]
      memory(insn, hw & 0x800 ? Op.LOAD : Op.STORE, r8, 13, 4, false, AddrMode.OFFSET, imm8 * 4);
      return;
    case 0xa:
      if (hw & 0x800) immOperand(dp(insn, Op.ADD, r8, 13, SetFlags.NEVER), imm8 * 4);
      else immOperand(dp(insn, Op.MOV, r8, 0, SetFlags.NEVER), literalBase(pc) + imm8 * 4); // ADR
      return;
    case 0xb: decodeMisc16(insn, hw, pc); return;
    case 0xc: {
      insn.op = hw & 0x800 ? Op.LDM : Op.STM;
      insn.rn = r8;
      insn.list = imm8;
      // LDM writes back unless the base is in the list; STM always writes back
      insn.writeBack = insn.op === Op.STM || (imm8 & (1 << r8)) === 0;
      return;
    }
    case 0xd: {
      const cond = (hw >>> 8) & 0xf;
      if (cond === 0xe) { insn.op = Op.UDF; insn.imm = imm8; return; }
      if (cond === 0xf) { insn.op = Op.SVC; insn.imm = imm8; return; }
      insn.op = Op.B;
      insn.cond = cond;
      insn.imm = (pc + 4 + signExtend(imm8, 8) * 2) | 0;
      return;
    }
    case 0xe:
      if (hw & 0x800) return; // a 32-bit prefix would have been caught above; 0xe800 is 32-bit
      insn.op = Op.B;
      insn.imm = (pc + 4 + signExtend(hw & 0x7ff, 11) * 2) | 0;
      return;
    default:
      return;
  }
}

function decodeMisc16(insn: Insn, hw: number, pc: number): void {
  const lo3 = hw & 7;
  const mid3 = (hw >>> 3) & 7;
  if ((hw & 0xff00) === 0xb000) {
    immOperand(dp(insn, hw & 0x80 ? Op.SUB : Op.ADD, 13, 13, SetFlags.NEVER), (hw & 0x7f) * 4);
    return;
  }
  if ((hw & 0xf500) === 0xb100) {
    insn.op = hw & 0x800 ? Op.CBNZ : Op.CBZ;
    insn.rn = lo3;
    insn.imm = (pc + 4 + ((((hw >>> 9) & 1) << 6) | (((hw >>> 3) & 0x1f) << 1))) | 0;
    insn.v7Only = true;
    return;
  }
  if ((hw & 0xff00) === 0xb200) {
    insn.op = [Op.SXTH, Op.SXTB, Op.UXTH, Op.UXTB][(hw >>> 6) & 3];
    insn.rd = lo3;
    insn.rm = mid3;
    return;
  }
  if ((hw & 0xfe00) === 0xb400 || (hw & 0xfe00) === 0xbc00) {
    const pop = (hw & 0x800) !== 0;
    insn.op = pop ? Op.LDM : Op.STM;
    insn.rn = 13;
    insn.writeBack = true;
    insn.decrement = !pop;
    insn.list = (hw & 0xff) | (hw & 0x100 ? (pop ? 0x8000 : 0x4000) : 0);
    return;
  }
  if ((hw & 0xffe8) === 0xb660) {
    insn.op = Op.CPS;
    insn.writeBack = (hw & 0x10) !== 0; // disable
    insn.list = hw & 3;
    return;
  }
  if ((hw & 0xff00) === 0xba00) {
    const op = [Op.REV, Op.REV16, Op.UNDEFINED, Op.REVSH][(hw >>> 6) & 3];
    insn.op = op;
    insn.rd = lo3;
    insn.rm = mid3;
    return;
  }
  if ((hw & 0xff00) === 0xbe00) {
    insn.op = Op.BKPT;
    insn.imm = hw & 0xff;
    return;
  }
  if ((hw & 0xff00) === 0xbf00) {
    if ((hw & 0xf) !== 0) {
      insn.op = Op.IT;
      insn.list = hw & 0xff;
      insn.v7Only = true;
      return;
    }
    insn.op = [Op.NOP, Op.NOP, Op.WFE, Op.WFI, Op.SEV][(hw >>> 4) & 0xf] ?? Op.NOP;
    return;
  }
}

const DP32 = [Op.AND, Op.BIC, Op.ORR, Op.ORN, Op.EOR, -1, -1, -1, Op.ADD, -1, Op.ADC, Op.SBC, -1, Op.SUB, Op.RSB, -1];

/** The data-processing op of a 32-bit encoding, with TST/TEQ/CMN/CMP/MOV/MVN for the rd/rn = 15 forms; false when UNDEFINED. */
function dp32(insn: Insn, opcode: number, s: boolean, rd: number, rn: number): boolean {
  let op = DP32[opcode];
  if (op < 0) return false;
  if (rd === 15 && s) {
    if (op === Op.AND) op = Op.TST;
    else if (op === Op.EOR) op = Op.TEQ;
    else if (op === Op.ADD) op = Op.CMN;
    else if (op === Op.SUB) op = Op.CMP;
  }
  if (rn === 15) {
    if (op === Op.ORR) op = Op.MOV;
    else if (op === Op.ORN) op = Op.MVN;
  }
  dp(insn, op, rd, rn, s || op === Op.TST || op === Op.TEQ || op === Op.CMN || op === Op.CMP ? SetFlags.ALWAYS : SetFlags.NEVER);
  insn.v7Only = true;
  return true;
}

function decode32(insn: Insn, hw1: number, hw2: number, pc: number): void {
  const op1 = (hw1 >>> 11) & 3;
  const rn = hw1 & 0xf;
  const rd = (hw2 >>> 8) & 0xf;
  const rt = hw2 >>> 12;
  const rm = hw2 & 0xf;
  if (op1 === 1) {
    if ((hw1 & 0x0640) === 0x0000) { // load/store multiple
      const op = (hw1 >>> 7) & 3;
      if (op !== 1 && op !== 2) return;
      insn.op = hw1 & 0x10 ? Op.LDM : Op.STM;
      insn.rn = rn;
      insn.list = hw2;
      insn.writeBack = (hw1 & 0x20) !== 0;
      insn.decrement = op === 2;
      insn.v7Only = true;
      return;
    }
    if ((hw1 & 0x0640) === 0x0040) { // load/store dual or exclusive, table branch
      insn.v7Only = true;
      const a = (hw1 >>> 7) & 3;
      const b = (hw1 >>> 4) & 3;
      const op3 = (hw2 >>> 4) & 0xf;
      if (a === 0 && b === 0) { memory(insn, Op.STREX, rt, rn, 4, false, AddrMode.OFFSET, (hw2 & 0xff) * 4); insn.ra = rd; return; }
      if (a === 0 && b === 1) { memory(insn, Op.LDREX, rt, rn, 4, false, AddrMode.OFFSET, (hw2 & 0xff) * 4); return; }
      if ((a & 2) !== 0 || (b & 2) !== 0) {
        const p = (hw1 & 0x100) !== 0;
        const u = (hw1 & 0x80) !== 0;
        const w = (hw1 & 0x20) !== 0;
        const offset = (u ? 1 : -1) * (hw2 & 0xff) * 4;
        const mode = !p ? AddrMode.POST : w ? AddrMode.PRE : AddrMode.OFFSET;
        if (rn === 15 && (hw1 & 0x10) !== 0 && !w) memory(insn, Op.LDRD, rt, 15, 4, false, AddrMode.LITERAL, literalBase(pc) + offset);
        else memory(insn, hw1 & 0x10 ? Op.LDRD : Op.STRD, rt, rn, 4, false, mode, offset);
        insn.ra = rd;
        return;
      }
      if (a === 1 && b === 0) {
        if (op3 === 4 || op3 === 5) { memory(insn, Op.STREX, rt, rn, op3 === 4 ? 1 : 2, false, AddrMode.OFFSET, 0); insn.ra = rm; }
        return;
      }
      if (a === 1 && b === 1) {
        if (op3 === 0 || op3 === 1) { insn.op = op3 === 0 ? Op.TBB : Op.TBH; insn.rn = rn; insn.rm = rm; return; }
        if (op3 === 4 || op3 === 5) memory(insn, Op.LDREX, rt, rn, op3 === 4 ? 1 : 2, false, AddrMode.OFFSET, 0);
        return;
      }
      return;
    }
    if ((hw1 & 0x0600) === 0x0200) { // data processing (shifted register)
      const s = (hw1 & 0x10) !== 0;
      if (!dp32(insn, (hw1 >>> 5) & 0xf, s, rd, rn)) return;
      insn.kind = Kind.REG;
      insn.rm = rm;
      decodeImmShift(insn, (hw2 >>> 4) & 3, (((hw2 >>> 12) & 7) << 2) | ((hw2 >>> 6) & 3));
      return;
    }
    insn.op = Op.NOCP; // coprocessor
    insn.v7Only = true;
    return;
  }
  if (op1 === 2) {
    if ((hw2 & 0x8000) === 0) {
      const imm12 = (((hw1 >>> 10) & 1) << 11) | (((hw2 >>> 12) & 7) << 8) | (hw2 & 0xff);
      insn.v7Only = true;
      if ((hw1 & 0x0200) === 0) { // data processing (modified immediate)
        const s = (hw1 & 0x10) !== 0;
        if (!dp32(insn, (hw1 >>> 5) & 0xf, s, rd, rn)) return;
        const { value, carry } = thumbExpandImm(imm12);
        immOperand(insn, value, carry);
        return;
      }
      // data processing (plain binary immediate)
      const op = (hw1 >>> 4) & 0x1f;
      const imm5 = (((hw2 >>> 12) & 7) << 2) | ((hw2 >>> 6) & 3);
      const widthField = hw2 & 0x1f;
      switch (op) {
        case 0x00: // ADDW / ADR
          if (rn === 15) immOperand(dp(insn, Op.MOV, rd, 0, SetFlags.NEVER), literalBase(pc) + imm12);
          else immOperand(dp(insn, Op.ADD, rd, rn, SetFlags.NEVER), imm12);
          return;
        case 0x0a: // SUBW / ADR
          if (rn === 15) immOperand(dp(insn, Op.MOV, rd, 0, SetFlags.NEVER), literalBase(pc) - imm12);
          else immOperand(dp(insn, Op.SUB, rd, rn, SetFlags.NEVER), imm12);
          return;
        case 0x04: case 0x0c: // MOVW, MOVT
          insn.op = op === 0x04 ? Op.MOV : Op.MOVT;
          insn.rd = rd;
          immOperand(insn, (rn << 12) | imm12);
          return;
        case 0x10: case 0x12: case 0x18: case 0x1a: // SSAT, USAT (with shift; sh = 1, imm 0 is the DSP's SSAT16/USAT16)
          if ((op & 2) !== 0 && imm5 === 0) return;
          insn.op = op < 0x18 ? Op.SSAT : Op.USAT;
          insn.rd = rd;
          insn.rm = rn;
          insn.shiftType = (op & 2) !== 0 ? Shift.ASR : Shift.LSL;
          insn.shiftN = imm5;
          insn.imm = op < 0x18 ? widthField + 1 : widthField;
          return;
        case 0x14: case 0x1c: // SBFX, UBFX
          insn.op = op === 0x14 ? Op.SBFX : Op.UBFX;
          insn.rd = rd;
          insn.rn = rn;
          insn.shiftN = imm5; // lsb
          insn.imm = widthField + 1; // width
          return;
        case 0x16: // BFI, BFC
          insn.op = rn === 15 ? Op.BFC : Op.BFI;
          insn.rd = rd;
          insn.rn = rn;
          insn.shiftN = imm5; // lsb
          insn.imm = widthField - imm5 + 1; // width (msb - lsb + 1; < 1 is UNPREDICTABLE)
          if (insn.imm < 1) insn.op = Op.UNDEFINED;
          return;
        default:
          return;
      }
    }
    decodeBranchMisc(insn, hw1, hw2, pc);
    return;
  }
  // op1 === 3
  insn.v7Only = true;
  if ((hw1 & 0x0600) === 0x0000) { decodeLoadStore32(insn, hw1, hw2, pc); return; }
  if ((hw1 & 0x0700) === 0x0200) { // data processing (register)
    const a = (hw1 >>> 4) & 0xf;
    const b = (hw2 >>> 4) & 0xf;
    if ((hw2 & 0xf000) !== 0xf000) return;
    if ((a & 0xe) <= 6 && b === 0 && (a >>> 1) <= 3) { // LSL/LSR/ASR/ROR (register)
      dp(insn, Op.MOV, rd, 0, a & 1 ? SetFlags.ALWAYS : SetFlags.NEVER);
      insn.kind = Kind.RSR;
      insn.rm = rn;
      insn.ra = rm;
      insn.shiftType = [Shift.LSL, Shift.LSR, Shift.ASR, Shift.ROR][a >>> 1];
      return;
    }
    if ((b & 8) !== 0 && a <= 5 && rn === 15) { // SXTH, UXTH, SXTB, UXTB (with rotation)
      const op = [Op.SXTH, Op.UXTH, -1, -1, Op.SXTB, Op.UXTB][a];
      if (op < 0) return;
      insn.op = op;
      insn.rd = rd;
      insn.rm = rm;
      insn.shiftN = ((hw2 >>> 4) & 3) * 8;
      return;
    }
    if ((a & 0xc) === 0x8 && (b & 0xc) === 0x8) { // miscellaneous
      const x = a & 3;
      const y = b & 3;
      let op: number = Op.UNDEFINED;
      if (x === 1) op = [Op.REV, Op.REV16, Op.RBIT, Op.REVSH][y];
      else if (x === 3 && y === 0) op = Op.CLZ;
      insn.op = op;
      insn.rd = rd;
      insn.rm = rm;
      return;
    }
    return;
  }
  if ((hw1 & 0x0780) === 0x0300) { // multiply, multiply accumulate
    const a = (hw1 >>> 4) & 7;
    const b = (hw2 >>> 4) & 3;
    if (a !== 0 || (hw2 & 0xc0) !== 0) return;
    insn.op = b === 0 ? (rt === 15 ? Op.MUL : Op.MLA) : b === 1 ? Op.MLS : Op.UNDEFINED;
    insn.rd = rd;
    insn.rn = rn;
    insn.rm = rm;
    insn.ra = rt;
    return;
  }
  if ((hw1 & 0x0780) === 0x0380) { // long multiply, divide
    const a = (hw1 >>> 4) & 7;
    const b = (hw2 >>> 4) & 0xf;
    let op: number = Op.UNDEFINED;
    if (a === 0 && b === 0) op = Op.SMULL;
    else if (a === 1 && b === 0xf) op = Op.SDIV;
    else if (a === 2 && b === 0) op = Op.UMULL;
    else if (a === 3 && b === 0xf) op = Op.UDIV;
    else if (a === 4 && b === 0) op = Op.SMLAL;
    else if (a === 6 && b === 0) op = Op.UMLAL;
    insn.op = op;
    insn.rn = rn;
    insn.rm = rm;
    insn.rd = op === Op.SDIV || op === Op.UDIV ? rd : rt; // RdLo for the long ones
    insn.ra = rd; // RdHi
    return;
  }
  if ((hw1 & 0x0400) !== 0) insn.op = Op.NOCP; // coprocessor
}

function decodeBranchMisc(insn: Insn, hw1: number, hw2: number, pc: number): void {
  const op1 = (hw2 >>> 12) & 7;
  const s = (hw1 >>> 10) & 1;
  const j1 = (hw2 >>> 13) & 1;
  const j2 = (hw2 >>> 11) & 1;
  if ((op1 & 5) === 0) {
    if ((hw1 & 0x0380) !== 0x0380) { // B<cond>.W
      const imm = (s << 20) | (j2 << 19) | (j1 << 18) | ((hw1 & 0x3f) << 12) | ((hw2 & 0x7ff) << 1);
      insn.op = Op.B;
      insn.cond = (hw1 >>> 6) & 0xf;
      insn.imm = (pc + 4 + signExtend(imm, 21)) | 0;
      insn.v7Only = true;
      return;
    }
    const op = (hw1 >>> 4) & 0x7f;
    if ((op & 0x7e) === 0x38) { // MSR
      insn.op = Op.MSR;
      insn.rn = hw1 & 0xf;
      insn.imm = hw2 & 0xff; // SYSm
      insn.list = (hw2 >>> 10) & 3; // mask
      return;
    }
    if ((op & 0x7e) === 0x3e) { // MRS
      insn.op = Op.MRS;
      insn.rd = (hw2 >>> 8) & 0xf;
      insn.imm = hw2 & 0xff;
      return;
    }
    if (op === 0x3a) { // hints
      insn.op = [Op.NOP, Op.NOP, Op.WFE, Op.WFI, Op.SEV][hw2 & 0xff] ?? Op.NOP;
      insn.v7Only = true;
      return;
    }
    if (op === 0x3b) { // miscellaneous control
      const kind = (hw2 >>> 4) & 0xf;
      if (kind === 2) { insn.op = Op.CLREX; insn.v7Only = true; }
      else if (kind >= 4 && kind <= 6) insn.op = Op.BARRIER;
      return;
    }
    return;
  }
  if (op1 === 2 && (hw1 & 0x07f0) === 0x07f0) { // UDF.W
    insn.op = Op.UDF;
    insn.imm = ((hw1 & 0xf) << 12) | (hw2 & 0xfff);
    return;
  }
  if ((op1 & 5) === 1 || (op1 & 5) === 5) {
    const i1 = 1 - (j1 ^ s);
    const i2 = 1 - (j2 ^ s);
    const imm = (s << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x3ff) << 12) | ((hw2 & 0x7ff) << 1);
    insn.op = op1 & 4 ? Op.BL : Op.B;
    insn.imm = (pc + 4 + signExtend(imm, 25)) | 0;
    if (insn.op === Op.B) insn.v7Only = true;
    return;
  }
  // BLX (immediate) switches to ARM state: UNDEFINED on M profile
}

function decodeLoadStore32(insn: Insn, hw1: number, hw2: number, pc: number): void {
  const load = (hw1 & 0x10) !== 0;
  const sizeField = (hw1 >>> 5) & 3;
  if (sizeField === 3) return;
  const size = 1 << sizeField;
  const signed = (hw1 & 0x100) !== 0;
  if (!load && signed) return;
  const rn = hw1 & 0xf;
  const rt = hw2 >>> 12;
  const op = load ? Op.LOAD : Op.STORE;
  if (load && rt === 15 && size < 4) { insn.op = Op.NOP; return; } // PLD, PLI (preload hints)
  if (rn === 15) {
    if (!load) return;
    const offset = hw2 & 0xfff;
    memory(insn, op, rt, 15, size, signed, AddrMode.LITERAL, literalBase(pc) + (hw1 & 0x80 ? offset : -offset));
    return;
  }
  if (hw1 & 0x80) { memory(insn, op, rt, rn, size, signed, AddrMode.OFFSET, hw2 & 0xfff); return; }
  if ((hw2 & 0x800) !== 0) {
    const puw = (hw2 >>> 8) & 7;
    const imm8 = hw2 & 0xff;
    if (puw === 6) { memory(insn, op, rt, rn, size, signed, AddrMode.OFFSET, imm8); insn.unprivileged = true; return; }
    if ((puw & 5) === 0) return; // P = 0, W = 0: UNDEFINED
    const offset = puw & 2 ? imm8 : -imm8;
    memory(insn, op, rt, rn, size, signed, puw & 4 ? (puw & 1 ? AddrMode.PRE : AddrMode.OFFSET) : AddrMode.POST, offset);
    return;
  }
  if ((hw2 & 0xfc0) !== 0) return;
  memory(insn, op, rt, rn, size, signed, AddrMode.REG, 0);
  insn.rm = hw2 & 0xf;
  insn.shiftN = (hw2 >>> 4) & 3;
}
