// The C extension: the 16-bit form of a 32-bit instruction, when there is one, chosen as GNU as
// chooses it (its opcode table tries the compressed aliases of a mnemonic before the full form).
// Only instructions whose operands are all known when they are parsed are compressed; an operand
// with a relocation (%lo(sym)) keeps the full form, as in GNU as.

import { OP, fitsSigned, isCReg } from './encoding.ts';

const C_NOP = 0x0001;
const C_EBREAK = 0x9002;
const EBREAK = 0x00100073;

const field = (word: number, low: number, width: number) => (word >>> low) & ((1 << width) - 1);
const cr = (r: number) => r - 8;
const b = (v: number, bit: number) => (v >> bit) & 1;
const bits = (v: number, hi: number, lo: number) => (v >> lo) & ((1 << (hi - lo + 1)) - 1);

/** The compressed form of a 32-bit instruction word, or undefined when it has none. */
export function compress(word: number): number | undefined {
  const opcode = word & 0x7f;
  const rd = field(word, 7, 5);
  const f3 = field(word, 12, 3);
  const rs1 = field(word, 15, 5);
  const rs2 = field(word, 20, 5);
  const f7 = field(word, 25, 7);
  const immI = word >> 20;
  const immS = ((word >> 25) << 5) | rd;
  switch (opcode) {
    case OP.OP_IMM:
      if (f3 === 0) return compressAddi(rd, rs1, immI);
      if (f3 === 7 && rd === rs1 && isCReg(rd) && fitsSigned(immI, 6)) return 0x8801 | (b(immI, 5) << 12) | (cr(rd) << 7) | (bits(immI, 4, 0) << 2);
      if (f3 === 1 && f7 === 0 && rd === rs1 && rd !== 0 && rs2 !== 0) return 0x0002 | (rd << 7) | (rs2 << 2);
      if (f3 === 5 && rd === rs1 && isCReg(rd) && rs2 !== 0 && (f7 === 0 || f7 === 0x20)) return 0x8001 | ((f7 === 0x20 ? 1 : 0) << 10) | (cr(rd) << 7) | (rs2 << 2);
      return undefined;
    case OP.LUI: {
      const imm20 = word >>> 12;
      if (rd === 0 || rd === 2) return undefined;
      const signed = (imm20 << 12) >> 12;
      if (signed === 0 || !fitsSigned(signed, 6)) return undefined;
      return 0x6001 | (b(signed, 5) << 12) | (rd << 7) | (bits(signed, 4, 0) << 2);
    }
    case OP.OP:
      if (f7 === 0 && f3 === 0) {
        if (rd === 0) return undefined;
        if (rs1 === 0 && rs2 !== 0) return 0x8002 | (rd << 7) | (rs2 << 2); // c.mv
        if (rd === rs1 && rs2 !== 0) return 0x9002 | (rd << 7) | (rs2 << 2); // c.add
        if (rd === rs2 && rs1 !== 0) return 0x9002 | (rd << 7) | (rs1 << 2); // c.add, operands swapped
        return undefined;
      }
      {
        const arith = f7 === 0x20 && f3 === 0 ? 0 : f7 === 0 && f3 === 4 ? 1 : f7 === 0 && f3 === 6 ? 2 : f7 === 0 && f3 === 7 ? 3 : -1;
        if (arith < 0 || !isCReg(rd)) return undefined;
        let other: number;
        if (rd === rs1 && isCReg(rs2)) other = rs2;
        else if (arith !== 0 && rd === rs2 && isCReg(rs1)) other = rs1; // xor/or/and commute
        else return undefined;
        return 0x8c01 | (cr(rd) << 7) | (arith << 5) | (cr(other) << 2);
      }
    case OP.LOAD:
      if (f3 !== 2 || rd === 0) return undefined;
      if (rs1 === 2 && immI >= 0 && immI < 256 && immI % 4 === 0) return 0x4002 | (b(immI, 5) << 12) | (rd << 7) | (bits(immI, 4, 2) << 4) | (bits(immI, 7, 6) << 2);
      if (isCReg(rd) && isCReg(rs1) && immI >= 0 && immI < 128 && immI % 4 === 0) return 0x4000 | (bits(immI, 5, 3) << 10) | (cr(rs1) << 7) | (b(immI, 2) << 6) | (b(immI, 6) << 5) | (cr(rd) << 2);
      return undefined;
    case OP.STORE:
      if (f3 !== 2) return undefined;
      if (rs1 === 2 && immS >= 0 && immS < 256 && immS % 4 === 0) return 0xc002 | (bits(immS, 5, 2) << 9) | (bits(immS, 7, 6) << 7) | (rs2 << 2);
      if (isCReg(rs2) && isCReg(rs1) && immS >= 0 && immS < 128 && immS % 4 === 0) return 0xc000 | (bits(immS, 5, 3) << 10) | (cr(rs1) << 7) | (b(immS, 2) << 6) | (b(immS, 6) << 5) | (cr(rs2) << 2);
      return undefined;
    case OP.JALR:
      if (f3 !== 0 || immI !== 0 || rs1 === 0) return undefined;
      if (rd === 0) return 0x8002 | (rs1 << 7);
      if (rd === 1) return 0x9002 | (rs1 << 7);
      return undefined;
    case OP.SYSTEM:
      return word === EBREAK ? C_EBREAK : undefined;
    default:
      return undefined;
  }
}

function compressAddi(rd: number, rs1: number, imm: number): number | undefined {
  if (rd === 0 && rs1 === 0 && imm === 0) return C_NOP;
  if (rd === 0) return undefined;
  if (rd === rs1 && imm !== 0 && fitsSigned(imm, 6)) return 0x0001 | (b(imm, 5) << 12) | (rd << 7) | (bits(imm, 4, 0) << 2); // c.addi
  if (rd === 2 && rs1 === 2 && imm !== 0 && imm % 16 === 0 && fitsSigned(imm, 10)) {
    return 0x6101 | (b(imm, 9) << 12) | (b(imm, 4) << 6) | (b(imm, 6) << 5) | (bits(imm, 8, 7) << 3) | (b(imm, 5) << 2); // c.addi16sp
  }
  if (isCReg(rd) && rs1 === 2 && imm > 0 && imm < 1024 && imm % 4 === 0) {
    return 0x0000 | (bits(imm, 5, 4) << 11) | (bits(imm, 9, 6) << 7) | (b(imm, 2) << 6) | (b(imm, 3) << 5) | (cr(rd) << 2); // c.addi4spn
  }
  if (rs1 === 0 && fitsSigned(imm, 6)) return 0x4001 | (b(imm, 5) << 12) | (rd << 7) | (bits(imm, 4, 0) << 2); // c.li
  if (imm === 0 && rs1 !== 0) return 0x8002 | (rd << 7) | (rs1 << 2); // c.mv
  return undefined;
}
