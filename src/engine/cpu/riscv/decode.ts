// RV32 instruction decoder: turns raw instruction bits (32-bit or compressed 16-bit) into the
// interpreter's internal form, written straight into per-page slot arrays so nothing is allocated.
//
// Internal form, one slot per halfword of guest code:
//   word (Int32Array): bits 0-7 op, bits 8-13 rd (0 is mapped to 32, a sink register that is never
//                      read), bits 14-18 rs1, bits 19-23 rs2, bits 24-26 length in bytes (2 or 4).
//                      `word >>> 25` is the length in halfwords.
//   imm  (Int32Array): the sign-extended immediate, the CSR number for Zicsr ops, the shift amount,
//                      or the raw instruction bits for ILLEGAL (they become mtval) and for the F/D
//                      ops (mtval when FS is off or the rounding mode is illegal; the executor takes
//                      rm, rs3 and the load/store offset from them: fpMemoryOffset).
// F/D ops whose destination is a floating-point register keep rd as it is (f0 is a register, not
// a sink); those writing an integer register map x0 to the sink like every other op.
// Compressed instructions decode to the same ops as their 32-bit expansions.

/** Internal op numbers. The interpreter's switch in rv32.ts uses these numbers as literals. */
export const Op = {
  UNDECODED: 0,
  SLOW_FETCH: 1,
  PAGE_END: 2,
  ILLEGAL: 3,
  LUI: 4,
  AUIPC: 5,
  JAL: 6,
  JALR: 7,
  BEQ: 8,
  BNE: 9,
  BLT: 10,
  BGE: 11,
  BLTU: 12,
  BGEU: 13,
  LB: 14,
  LH: 15,
  LW: 16,
  LBU: 17,
  LHU: 18,
  SB: 19,
  SH: 20,
  SW: 21,
  ADDI: 22,
  SLTI: 23,
  SLTIU: 24,
  XORI: 25,
  ORI: 26,
  ANDI: 27,
  SLLI: 28,
  SRLI: 29,
  SRAI: 30,
  ADD: 31,
  SUB: 32,
  SLL: 33,
  SLT: 34,
  SLTU: 35,
  XOR: 36,
  SRL: 37,
  SRA: 38,
  OR: 39,
  AND: 40,
  FENCE: 41,
  FENCE_I: 42,
  ECALL: 43,
  EBREAK: 44,
  CSRRW: 45,
  CSRRS: 46,
  CSRRC: 47,
  CSRRWI: 48,
  CSRRSI: 49,
  CSRRCI: 50,
  MRET: 51,
  SRET: 52,
  WFI: 53,
  SFENCE_VMA: 54,
  MUL: 55,
  MULH: 56,
  MULHSU: 57,
  MULHU: 58,
  DIV: 59,
  DIVU: 60,
  REM: 61,
  REMU: 62,
  LR_W: 63,
  SC_W: 64,
  AMOSWAP_W: 65,
  AMOADD_W: 66,
  AMOXOR_W: 67,
  AMOAND_W: 68,
  AMOOR_W: 69,
  AMOMIN_W: 70,
  AMOMAX_W: 71,
  AMOMINU_W: 72,
  AMOMAXU_W: 73,
  // Zba
  SH1ADD: 74,
  SH2ADD: 75,
  SH3ADD: 76,
  // Zbb
  ANDN: 77,
  ORN: 78,
  XNOR: 79,
  CLZ: 80,
  CTZ: 81,
  CPOP: 82,
  MAX: 83,
  MAXU: 84,
  MIN: 85,
  MINU: 86,
  SEXT_B: 87,
  SEXT_H: 88,
  ZEXT_H: 89,
  ROL: 90,
  ROR: 91,
  RORI: 92,
  ORC_B: 93,
  REV8: 94,
  // Zbc
  CLMUL: 95,
  CLMULH: 96,
  CLMULR: 97,
  // Zbs
  BCLR: 98,
  BCLRI: 99,
  BEXT: 100,
  BEXTI: 101,
  BINV: 102,
  BINVI: 103,
  BSET: 104,
  BSETI: 105,
  // F and D: imm holds the raw instruction bits (see the header)
  FLW: 106,
  FSW: 107,
  FLD: 108,
  FSD: 109,
  FMADD_S: 110,
  FMSUB_S: 111,
  FNMSUB_S: 112,
  FNMADD_S: 113,
  FADD_S: 114,
  FSUB_S: 115,
  FMUL_S: 116,
  FDIV_S: 117,
  FSQRT_S: 118,
  FSGNJ_S: 119,
  FSGNJN_S: 120,
  FSGNJX_S: 121,
  FMIN_S: 122,
  FMAX_S: 123,
  FCVT_W_S: 124,
  FCVT_WU_S: 125,
  FMV_X_W: 126,
  FEQ_S: 127,
  FLT_S: 128,
  FLE_S: 129,
  FCLASS_S: 130,
  FCVT_S_W: 131,
  FCVT_S_WU: 132,
  FMV_W_X: 133,
  FMADD_D: 134,
  FMSUB_D: 135,
  FNMSUB_D: 136,
  FNMADD_D: 137,
  FADD_D: 138,
  FSUB_D: 139,
  FMUL_D: 140,
  FDIV_D: 141,
  FSQRT_D: 142,
  FSGNJ_D: 143,
  FSGNJN_D: 144,
  FSGNJX_D: 145,
  FMIN_D: 146,
  FMAX_D: 147,
  FCVT_S_D: 148,
  FCVT_D_S: 149,
  FEQ_D: 150,
  FLT_D: 151,
  FLE_D: 152,
  FCLASS_D: 153,
  FCVT_W_D: 154,
  FCVT_WU_D: 155,
  FCVT_D_W: 156,
  FCVT_D_WU: 157,
} as const;

/** Op number → name, for disassembly-ish debugging output and tests. */
export const OP_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, value] of Object.entries(Op)) names[value] = name;
  return names;
})();

/** Extension bits the decoder honours (same positions as in misa). */
export const EXT_A = 1 << 0;
export const EXT_C = 1 << 2;
export const EXT_D = 1 << 3;
export const EXT_F = 1 << 5;
export const EXT_I = 1 << 8;
export const EXT_M = 1 << 12;
export const EXT_S = 1 << 18;
export const EXT_U = 1 << 20;
/**
 * Multi-letter extensions have no misa bit: they use bits 26-29, which misa leaves zero on RV32
 * (the hart masks them out of misa with MISA_EXTENSION_BITS).
 */
export const EXT_ZBA = 1 << 26;
export const EXT_ZBB = 1 << 27;
export const EXT_ZBC = 1 << 28;
export const EXT_ZBS = 1 << 29;
/** The bits of an extension set that are misa letters. */
export const MISA_EXTENSION_BITS = (1 << 26) - 1;

/** Register index written for rd = x0: a sink slot beyond the 32 architectural registers. */
export const SINK = 32;

const LEN4 = 4 << 24;
const LEN2 = 2 << 24;

function pack(op: number, rd: number, rs1: number, rs2: number, len: number): number {
  return op | ((rd === 0 ? SINK : rd) << 8) | (rs1 << 14) | (rs2 << 19) | len;
}

/** pack() for an op whose rd is a floating-point register: f0 is a real destination. */
function packFp(op: number, rd: number, rs1: number, rs2: number, len: number): number {
  return op | (rd << 8) | (rs1 << 14) | (rs2 << 19) | len;
}

/** F/D ops that write an integer register (the others write a floating-point register, or none). */
const FP_OPS_WRITING_X: ReadonlySet<number> = new Set([
  Op.FCVT_W_S, Op.FCVT_WU_S, Op.FMV_X_W, Op.FEQ_S, Op.FLT_S, Op.FLE_S, Op.FCLASS_S,
  Op.FCVT_W_D, Op.FCVT_WU_D, Op.FEQ_D, Op.FLT_D, Op.FLE_D, Op.FCLASS_D,
]);

/** Write an F/D op into a slot: imm is the raw instruction (see the header). */
function fpSlot(words: Int32Array, imms: Int32Array, slot: number, op: number, rd: number, rs1: number, rs2: number, raw: number, len: number): void {
  words[slot] = FP_OPS_WRITING_X.has(op) ? pack(op, rd, rs1, rs2, len) : packFp(op, rd, rs1, rs2, len);
  imms[slot] = raw;
}

/**
 * The OP-FP (0x53) op of a 32-bit instruction, or ILLEGAL: `d` selects the double-precision form
 * (funct7 bit 0), which needs D; the single-precision ones need F. Fields that must be zero or a
 * fixed funct3 are checked here; the rounding mode is checked when the instruction runs (it may be
 * the dynamic one).
 */
function opFp(f7: number, f3: number, rs2: number, ext: number): number {
  const d = (f7 & 1) !== 0;
  if ((ext & (d ? EXT_D : EXT_F)) === 0) return Op.ILLEGAL;
  const pick = (single: number, double: number) => (d ? double : single);
  switch (f7 & ~1) {
    case 0x00: return pick(Op.FADD_S, Op.FADD_D);
    case 0x04: return pick(Op.FSUB_S, Op.FSUB_D);
    case 0x08: return pick(Op.FMUL_S, Op.FMUL_D);
    case 0x0c: return pick(Op.FDIV_S, Op.FDIV_D);
    case 0x2c: return rs2 === 0 ? pick(Op.FSQRT_S, Op.FSQRT_D) : Op.ILLEGAL;
    case 0x10:
      if (f3 > 2) return Op.ILLEGAL;
      return d ? [Op.FSGNJ_D, Op.FSGNJN_D, Op.FSGNJX_D][f3] : [Op.FSGNJ_S, Op.FSGNJN_S, Op.FSGNJX_S][f3];
    case 0x14:
      if (f3 > 1) return Op.ILLEGAL;
      return d ? [Op.FMIN_D, Op.FMAX_D][f3] : [Op.FMIN_S, Op.FMAX_S][f3];
    case 0x20: // fcvt.s.d (funct7 0x20, rs2 1)
      return d || rs2 !== 1 || (ext & EXT_D) === 0 ? Op.ILLEGAL : Op.FCVT_S_D;
    case 0x50:
      if (f3 > 2) return Op.ILLEGAL;
      return d ? [Op.FLE_D, Op.FLT_D, Op.FEQ_D][f3] : [Op.FLE_S, Op.FLT_S, Op.FEQ_S][f3];
    case 0x60:
      if (rs2 > 1) return Op.ILLEGAL;
      return d ? [Op.FCVT_W_D, Op.FCVT_WU_D][rs2] : [Op.FCVT_W_S, Op.FCVT_WU_S][rs2];
    case 0x68:
      if (rs2 > 1) return Op.ILLEGAL;
      return d ? [Op.FCVT_D_W, Op.FCVT_D_WU][rs2] : [Op.FCVT_S_W, Op.FCVT_S_WU][rs2];
    case 0x70:
      if (rs2 !== 0) return Op.ILLEGAL;
      if (f3 === 1) return pick(Op.FCLASS_S, Op.FCLASS_D);
      return f3 === 0 && !d ? Op.FMV_X_W : Op.ILLEGAL; // fmv.x.d is RV64 only
    case 0x78:
      return f3 === 0 && rs2 === 0 && !d ? Op.FMV_W_X : Op.ILLEGAL;
  }
  // fcvt.d.s is funct7 0x21 (odd, so it arrives here as 0x20 with d set)
  return Op.ILLEGAL;
}

/**
 * The byte offset of an F/D load or store from its raw instruction bits (32-bit flw/fld/fsw/fsd
 * or compressed c.flw/c.fld/c.flwsp/c.fldsp/c.fsw/c.fsd/c.fswsp/c.fsdsp).
 */
export function fpMemoryOffset(raw: number): number {
  if ((raw & 3) === 3) {
    return (raw & 0x7f) === 0x07 ? raw >> 20 : ((raw >> 25) << 5) | ((raw >> 7) & 31);
  }
  const f3 = (raw >> 13) & 7;
  const double = f3 === 1 || f3 === 5;
  if ((raw & 3) === 0) {
    // c.fld / c.fsd: uimm[5:3] = [12:10], uimm[7:6] = [6:5]; c.flw / c.fsw: as c.lw
    return double ? ((raw >> 7) & 0x38) | ((raw << 1) & 0xc0) : ((raw >> 7) & 0x38) | ((raw >> 4) & 0x4) | ((raw << 1) & 0x40);
  }
  if (f3 === 1) return (((raw >> 12) & 1) << 5) | ((raw >> 2) & 0x18) | ((raw << 4) & 0x1c0); // c.fldsp
  if (f3 === 3) return (((raw >> 12) & 1) << 5) | (((raw >> 4) & 7) << 2) | (((raw >> 2) & 3) << 6); // c.flwsp
  if (f3 === 5) return ((raw >> 7) & 0x38) | ((raw >> 1) & 0x1c0); // c.fsdsp
  return (((raw >> 9) & 0xf) << 2) | (((raw >> 7) & 3) << 6); // c.fswsp
}

function illegal(words: Int32Array, imms: Int32Array, slot: number, raw: number, len: number): void {
  words[slot] = Op.ILLEGAL | len;
  imms[slot] = raw;
}

/** Decode a 32-bit instruction into slot `slot` of `words`/`imms`. */
export function decode32(words: Int32Array, imms: Int32Array, slot: number, raw: number, ext: number): void {
  raw |= 0;
  const opcode = raw & 0x7f;
  const rd = (raw >> 7) & 31;
  const f3 = (raw >> 12) & 7;
  const rs1 = (raw >> 15) & 31;
  const rs2 = (raw >> 20) & 31;
  const f7 = raw >>> 25;
  let op: number = Op.ILLEGAL;
  let imm = 0;
  switch (opcode) {
    case 0x37: // LUI
      op = Op.LUI;
      imm = raw & 0xfffff000;
      break;
    case 0x17: // AUIPC
      op = Op.AUIPC;
      imm = raw & 0xfffff000;
      break;
    case 0x6f: // JAL
      op = Op.JAL;
      imm = jImmediate(raw);
      break;
    case 0x67: // JALR
      if (f3 === 0) {
        op = Op.JALR;
        imm = raw >> 20;
      }
      break;
    case 0x63: {
      // branches
      const branchOps = [Op.BEQ, Op.BNE, -1, -1, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
      const o = branchOps[f3];
      if (o >= 0) {
        op = o;
        imm = bImmediate(raw);
      }
      break;
    }
    case 0x03: {
      const loadOps = [Op.LB, Op.LH, Op.LW, -1, Op.LBU, Op.LHU, -1, -1];
      const o = loadOps[f3];
      if (o >= 0) {
        op = o;
        imm = raw >> 20;
      }
      break;
    }
    case 0x23: {
      const storeOps = [Op.SB, Op.SH, Op.SW, -1, -1, -1, -1, -1];
      const o = storeOps[f3];
      if (o >= 0) {
        op = o;
        imm = ((raw >> 25) << 5) | ((raw >> 7) & 31);
      }
      break;
    }
    case 0x13:
      imm = raw >> 20;
      switch (f3) {
        case 0: op = Op.ADDI; break;
        case 2: op = Op.SLTI; break;
        case 3: op = Op.SLTIU; break;
        case 4: op = Op.XORI; break;
        case 6: op = Op.ORI; break;
        case 7: op = Op.ANDI; break;
        case 1:
          if (f7 === 0) {
            op = Op.SLLI;
            imm = rs2;
          }
          break;
        case 5:
          if (f7 === 0) op = Op.SRLI;
          else if (f7 === 0x20) op = Op.SRAI;
          imm = rs2;
          break;
      }
      break;
    case 0x33:
      if (f7 === 0) {
        op = [Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND][f3];
      } else if (f7 === 0x20) {
        if (f3 === 0) op = Op.SUB;
        else if (f3 === 5) op = Op.SRA;
      } else if (f7 === 1 && (ext & EXT_M) !== 0) {
        op = [Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU][f3];
      }
      break;
    case 0x0f:
      if (f3 === 0) op = Op.FENCE;
      else if (f3 === 1) op = Op.FENCE_I;
      break;
    case 0x73:
      if (f3 === 0) {
        if (raw === 0x00000073) op = Op.ECALL;
        else if (raw === 0x00100073) op = Op.EBREAK;
        else if (raw === 0x30200073) op = Op.MRET;
        else if (raw === 0x10200073 && (ext & EXT_S) !== 0) op = Op.SRET;
        else if (raw === 0x10500073) op = Op.WFI;
        else if (f7 === 0x09 && rd === 0 && (ext & EXT_S) !== 0) op = Op.SFENCE_VMA;
      } else if (f3 !== 4) {
        op = [-1, Op.CSRRW, Op.CSRRS, Op.CSRRC, -1, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI][f3];
        imm = raw >>> 20;
      }
      break;
    case 0x2f:
      if (f3 === 2 && (ext & EXT_A) !== 0) {
        switch (raw >>> 27) {
          case 0x02: if (rs2 === 0) op = Op.LR_W; break;
          case 0x03: op = Op.SC_W; break;
          case 0x01: op = Op.AMOSWAP_W; break;
          case 0x00: op = Op.AMOADD_W; break;
          case 0x04: op = Op.AMOXOR_W; break;
          case 0x0c: op = Op.AMOAND_W; break;
          case 0x08: op = Op.AMOOR_W; break;
          case 0x10: op = Op.AMOMIN_W; break;
          case 0x14: op = Op.AMOMAX_W; break;
          case 0x18: op = Op.AMOMINU_W; break;
          case 0x1c: op = Op.AMOMAXU_W; break;
        }
      }
      break;
  }
  if (op === Op.ILLEGAL && (ext & EXT_F) !== 0) {
    let fp: number = Op.ILLEGAL;
    switch (opcode) {
      case 0x07: // LOAD-FP
        if (f3 === 2) fp = Op.FLW;
        else if (f3 === 3 && (ext & EXT_D) !== 0) fp = Op.FLD;
        break;
      case 0x27: // STORE-FP
        if (f3 === 2) fp = Op.FSW;
        else if (f3 === 3 && (ext & EXT_D) !== 0) fp = Op.FSD;
        break;
      case 0x43: // fmadd, fmsub, fnmsub, fnmadd: fmt in bits 26:25 (0 single, 1 double)
      case 0x47:
      case 0x4b:
      case 0x4f: {
        const fmt = f7 & 3;
        const which = (opcode - 0x43) >> 2;
        if (fmt === 0) fp = [Op.FMADD_S, Op.FMSUB_S, Op.FNMSUB_S, Op.FNMADD_S][which];
        else if (fmt === 1 && (ext & EXT_D) !== 0) fp = [Op.FMADD_D, Op.FMSUB_D, Op.FNMSUB_D, Op.FNMADD_D][which];
        break;
      }
      case 0x53:
        fp = f7 === 0x21 ? (rs2 === 0 && (ext & EXT_D) !== 0 ? Op.FCVT_D_S : Op.ILLEGAL) : opFp(f7, f3, rs2, ext);
        break;
    }
    if (fp !== Op.ILLEGAL) {
      fpSlot(words, imms, slot, fp, rd, rs1, rs2, raw, LEN4);
      return;
    }
  }
  if (op === Op.ILLEGAL && (opcode === 0x33 || opcode === 0x13) && (ext & (EXT_ZBA | EXT_ZBB | EXT_ZBC | EXT_ZBS)) !== 0) {
    // Encodings the base ISA and M leave unused in OP and OP-IMM: the bit-manipulation extensions.
    op = bitmanipOp(opcode, f3, f7, rs2, ext);
    imm = rs2; // the shift amount or bit index of the immediate forms
  }
  if (op === Op.ILLEGAL || op < 0) {
    illegal(words, imms, slot, raw, LEN4);
    return;
  }
  words[slot] = pack(op, rd, rs1, rs2, LEN4);
  imms[slot] = imm;
}

/**
 * The Zba/Zbb/Zbc/Zbs op of an OP (0x33) or OP-IMM (0x13) instruction (RV32 encodings: the
 * immediate forms have a 5-bit shift amount, so funct7 is exact), or ILLEGAL when the encoding
 * is none of them or its extension is off.
 */
function bitmanipOp(opcode: number, f3: number, f7: number, rs2: number, ext: number): number {
  const zba = (ext & EXT_ZBA) !== 0;
  const zbb = (ext & EXT_ZBB) !== 0;
  const zbc = (ext & EXT_ZBC) !== 0;
  const zbs = (ext & EXT_ZBS) !== 0;
  if (opcode === 0x33) {
    switch (f7) {
      case 0x10: // sh1add, sh2add, sh3add
        if (zba && (f3 === 2 || f3 === 4 || f3 === 6)) return [Op.SH1ADD, Op.SH2ADD, Op.SH3ADD][(f3 >> 1) - 1];
        break;
      case 0x20: // andn, orn, xnor (sub and sra are base)
        if (zbb && f3 === 7) return Op.ANDN;
        if (zbb && f3 === 6) return Op.ORN;
        if (zbb && f3 === 4) return Op.XNOR;
        break;
      case 0x05: // min, minu, max, maxu; clmul, clmulr, clmulh
        if (zbb && f3 >= 4) return [Op.MIN, Op.MINU, Op.MAX, Op.MAXU][f3 - 4];
        if (zbc && f3 >= 1 && f3 <= 3) return [Op.CLMUL, Op.CLMULR, Op.CLMULH][f3 - 1];
        break;
      case 0x04: // zext.h (pack rd, rs1, zero of Zbkb)
        if (zbb && f3 === 4 && rs2 === 0) return Op.ZEXT_H;
        break;
      case 0x30:
        if (zbb && f3 === 1) return Op.ROL;
        if (zbb && f3 === 5) return Op.ROR;
        break;
      case 0x24:
        if (zbs && f3 === 1) return Op.BCLR;
        if (zbs && f3 === 5) return Op.BEXT;
        break;
      case 0x34:
        if (zbs && f3 === 1) return Op.BINV;
        break;
      case 0x14:
        if (zbs && f3 === 1) return Op.BSET;
        break;
    }
    return Op.ILLEGAL;
  }
  if (f3 === 1) {
    switch (f7) {
      case 0x30: // clz, ctz, cpop, sext.b, sext.h
        if (zbb && rs2 <= 5 && rs2 !== 3) return [Op.CLZ, Op.CTZ, Op.CPOP, Op.ILLEGAL, Op.SEXT_B, Op.SEXT_H][rs2];
        break;
      case 0x24:
        if (zbs) return Op.BCLRI;
        break;
      case 0x34:
        if (zbs) return Op.BINVI;
        break;
      case 0x14:
        if (zbs) return Op.BSETI;
        break;
    }
  } else if (f3 === 5) {
    switch (f7) {
      case 0x30:
        if (zbb) return Op.RORI;
        break;
      case 0x24:
        if (zbs) return Op.BEXTI;
        break;
      case 0x14: // orc.b
        if (zbb && rs2 === 7) return Op.ORC_B;
        break;
      case 0x34: // rev8 (RV32)
        if (zbb && rs2 === 24) return Op.REV8;
        break;
    }
  }
  return Op.ILLEGAL;
}

/** Decode a 16-bit compressed instruction (RV32C, with the FP loads and stores of F and D) into slot `slot`. */
export function decode16(words: Int32Array, imms: Int32Array, slot: number, raw: number, ext = 0): void {
  raw &= 0xffff;
  const quadrant = raw & 3;
  const f3 = raw >> 13;
  const rdFull = (raw >> 7) & 31;
  const rs2Full = (raw >> 2) & 31;
  const rdP = ((raw >> 7) & 7) + 8;
  const rs2P = ((raw >> 2) & 7) + 8;
  const bit12 = (raw >> 12) & 1;
  // 6-bit signed immediate from bit 12 and bits 6:2
  const imm6 = ((bit12 << 5) | rs2Full) << 26 >> 26;
  let op = -1;
  let rd = 0;
  let rs1 = 0;
  let rs2 = 0;
  let imm = 0;
  const fp = compressedFpOp(quadrant, f3, ext);
  if (fp !== Op.ILLEGAL) {
    // quadrant 0: rd'/rs2' in [4:2], rs1' in [9:7]; quadrant 2: rd in [11:7] or rs2 in [6:2], base sp
    const store = fp === Op.FSW || fp === Op.FSD;
    if (quadrant === 0) fpSlot(words, imms, slot, fp, store ? 0 : rs2P, rdP, store ? rs2P : 0, raw, LEN2);
    else fpSlot(words, imms, slot, fp, store ? 0 : rdFull, 2, store ? rs2Full : 0, raw, LEN2);
    return;
  }
  switch (quadrant) {
    case 0:
      switch (f3) {
        case 0: // C.ADDI4SPN
          imm = ((raw >> 7) & 0x30) | ((raw >> 1) & 0x3c0) | ((raw >> 4) & 0x4) | ((raw >> 2) & 0x8);
          if (imm !== 0) {
            op = Op.ADDI;
            rd = rs2P;
            rs1 = 2;
          }
          break;
        case 2: // C.LW
          op = Op.LW;
          rd = rs2P;
          rs1 = rdP;
          imm = ((raw >> 7) & 0x38) | ((raw >> 4) & 0x4) | ((raw << 1) & 0x40);
          break;
        case 6: // C.SW
          op = Op.SW;
          rs1 = rdP;
          rs2 = rs2P;
          imm = ((raw >> 7) & 0x38) | ((raw >> 4) & 0x4) | ((raw << 1) & 0x40);
          break;
      }
      break;
    case 1:
      switch (f3) {
        case 0: // C.ADDI / C.NOP
          op = Op.ADDI;
          rd = rdFull;
          rs1 = rdFull;
          imm = imm6;
          break;
        case 1: // C.JAL (RV32)
          op = Op.JAL;
          rd = 1;
          imm = cjImmediate(raw);
          break;
        case 2: // C.LI
          op = Op.ADDI;
          rd = rdFull;
          rs1 = 0;
          imm = imm6;
          break;
        case 3:
          if (rdFull === 2) {
            // C.ADDI16SP
            imm =
              ((bit12 << 9) | (((raw >> 6) & 1) << 4) | (((raw >> 5) & 1) << 6) | (((raw >> 3) & 3) << 7) | (((raw >> 2) & 1) << 5)) <<
                22 >>
              22;
            if (imm !== 0) {
              op = Op.ADDI;
              rd = 2;
              rs1 = 2;
            }
          } else {
            // C.LUI
            imm = imm6 << 12;
            if (imm !== 0) {
              op = Op.LUI;
              rd = rdFull;
            }
          }
          break;
        case 4: {
          const f2 = (raw >> 10) & 3;
          rd = rdP;
          rs1 = rdP;
          if (f2 === 0 || f2 === 1) {
            // C.SRLI / C.SRAI (shamt[5] must be 0 on RV32)
            if (bit12 === 0) {
              op = f2 === 0 ? Op.SRLI : Op.SRAI;
              imm = rs2Full;
            }
          } else if (f2 === 2) {
            op = Op.ANDI;
            imm = imm6;
          } else if (bit12 === 0) {
            op = [Op.SUB, Op.XOR, Op.OR, Op.AND][(raw >> 5) & 3];
            rs2 = rs2P;
          }
          break;
        }
        case 5: // C.J
          op = Op.JAL;
          rd = 0;
          imm = cjImmediate(raw);
          break;
        case 6: // C.BEQZ
        case 7: // C.BNEZ
          op = f3 === 6 ? Op.BEQ : Op.BNE;
          rs1 = rdP;
          rs2 = 0;
          imm =
            ((bit12 << 8) | (((raw >> 10) & 3) << 3) | (((raw >> 5) & 3) << 6) | (((raw >> 3) & 3) << 1) | (((raw >> 2) & 1) << 5)) <<
              23 >>
            23;
          break;
      }
      break;
    case 2:
      switch (f3) {
        case 0: // C.SLLI
          if (bit12 === 0) {
            op = Op.SLLI;
            rd = rdFull;
            rs1 = rdFull;
            imm = rs2Full;
          }
          break;
        case 2: // C.LWSP
          if (rdFull !== 0) {
            op = Op.LW;
            rd = rdFull;
            rs1 = 2;
            imm = (bit12 << 5) | (((raw >> 4) & 7) << 2) | (((raw >> 2) & 3) << 6);
          }
          break;
        case 4:
          if (bit12 === 0) {
            if (rs2Full === 0) {
              // C.JR
              if (rdFull !== 0) {
                op = Op.JALR;
                rd = 0;
                rs1 = rdFull;
              }
            } else {
              // C.MV
              op = Op.ADD;
              rd = rdFull;
              rs1 = 0;
              rs2 = rs2Full;
            }
          } else if (rs2Full === 0) {
            if (rdFull === 0) op = Op.EBREAK;
            else {
              // C.JALR
              op = Op.JALR;
              rd = 1;
              rs1 = rdFull;
            }
          } else {
            // C.ADD
            op = Op.ADD;
            rd = rdFull;
            rs1 = rdFull;
            rs2 = rs2Full;
          }
          break;
        case 6: // C.SWSP
          op = Op.SW;
          rs1 = 2;
          rs2 = rs2Full;
          imm = (((raw >> 9) & 0xf) << 2) | (((raw >> 7) & 3) << 6);
          break;
      }
      break;
  }
  if (op < 0) {
    illegal(words, imms, slot, raw, LEN2);
    return;
  }
  words[slot] = pack(op, rd, rs1, rs2, LEN2);
  imms[slot] = imm;
}

/**
 * The FP load/store of a compressed instruction (RV32: c.fld/c.fsd/c.fldsp/c.fsdsp with D,
 * c.flw/c.fsw/c.flwsp/c.fswsp with F), or ILLEGAL when it is none or its extension is off.
 */
function compressedFpOp(quadrant: number, f3: number, ext: number): number {
  if (quadrant !== 0 && quadrant !== 2) return Op.ILLEGAL;
  switch (f3) {
    case 1: return (ext & EXT_D) !== 0 ? Op.FLD : Op.ILLEGAL;
    case 3: return (ext & EXT_F) !== 0 ? Op.FLW : Op.ILLEGAL;
    case 5: return (ext & EXT_D) !== 0 ? Op.FSD : Op.ILLEGAL;
    case 7: return (ext & EXT_F) !== 0 ? Op.FSW : Op.ILLEGAL;
  }
  return Op.ILLEGAL;
}

/** The signed offset of a JAL (J-type immediate). The disassembler uses it too. */
export function jImmediate(raw: number): number {
  return ((raw >> 31) << 20) | (raw & 0xff000) | (((raw >> 20) & 1) << 11) | (((raw >> 21) & 0x3ff) << 1);
}

/** The signed offset of a conditional branch (B-type immediate). */
export function bImmediate(raw: number): number {
  return ((raw >> 31) << 12) | (((raw >> 7) & 1) << 11) | (((raw >> 25) & 0x3f) << 5) | (((raw >> 8) & 0xf) << 1);
}

/** The signed offset of C.J / C.JAL (CJ-format immediate). */
export function cjImmediate(raw: number): number {
  const v =
    (((raw >> 12) & 1) << 11) |
    (((raw >> 11) & 1) << 4) |
    (((raw >> 9) & 3) << 8) |
    (((raw >> 8) & 1) << 10) |
    (((raw >> 7) & 1) << 6) |
    (((raw >> 6) & 1) << 7) |
    (((raw >> 3) & 7) << 1) |
    (((raw >> 2) & 1) << 5);
  return (v << 20) >> 20;
}

/** Decode the instruction whose low halfword is `raw & 0xffff` (and, if 32-bit, upper halfword in raw's top bits). */
export function decodeInto(words: Int32Array, imms: Int32Array, slot: number, raw: number, ext: number): void {
  if ((raw & 3) === 3) decode32(words, imms, slot, raw, ext);
  else if ((ext & EXT_C) !== 0) decode16(words, imms, slot, raw, ext);
  else illegal(words, imms, slot, raw, LEN4); // without C every instruction is 32 bits wide
}
