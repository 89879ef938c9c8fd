// RV32 and RVC instruction formats: fields to instruction words.

export const OP = {
  LOAD: 0x03, MISC_MEM: 0x0f, OP_IMM: 0x13, AUIPC: 0x17, STORE: 0x23, AMO: 0x2f, OP: 0x33, LUI: 0x37,
  BRANCH: 0x63, JALR: 0x67, JAL: 0x6f, SYSTEM: 0x73,
} as const;

export const rType = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opcode: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;
export const iType = (imm: number, rs1: number, f3: number, rd: number, opcode: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;
export const sType = (imm: number, rs2: number, rs1: number, f3: number, opcode: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | opcode) >>> 0;
export const bType = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | OP.BRANCH) >>> 0;
export const uType = (imm20: number, rd: number, opcode: number) => (((imm20 & 0xfffff) << 12) | (rd << 7) | opcode) >>> 0;
export const jType = (imm: number, rd: number) =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) | (((imm >> 12) & 0xff) << 12) | (rd << 7) | OP.JAL) >>> 0;

const bit = (v: number, b: number) => (v >> b) & 1;

/** c.j / c.jal offset field (bits 12:2). */
export const cjOffset = (o: number) =>
  (bit(o, 11) << 12) | (bit(o, 4) << 11) | (bit(o, 9) << 10) | (bit(o, 8) << 9) | (bit(o, 10) << 8) | (bit(o, 6) << 7) | (bit(o, 7) << 6) | (bit(o, 3) << 5) | (bit(o, 2) << 4) | (bit(o, 1) << 3) | (bit(o, 5) << 2);
/** c.beqz / c.bnez offset field. */
export const cbOffset = (o: number) =>
  (bit(o, 8) << 12) | (bit(o, 4) << 11) | (bit(o, 3) << 10) | (bit(o, 7) << 6) | (bit(o, 6) << 5) | (bit(o, 2) << 4) | (bit(o, 1) << 3) | (bit(o, 5) << 2);

export const fitsSigned = (v: number, bits: number) => v >= -(2 ** (bits - 1)) && v < 2 ** (bits - 1);
/** x8..x15, the registers 3-bit RVC fields name. */
export const isCReg = (r: number) => r >= 8 && r <= 15;

/** %hi: the upper 20 bits, rounded so that %lo (signed) adds back to the value. */
export const hi20 = (v: number) => ((v + 0x800) >>> 12) & 0xfffff;
/** %lo: the signed low 12 bits. */
export const lo12 = (v: number) => (v << 20) >> 20;

export function wordBytes(words: Array<{ value: number; size: 2 | 4 }>): Uint8Array {
  const out = new Uint8Array(words.reduce((n, w) => n + w.size, 0));
  let at = 0;
  for (const w of words) {
    out[at] = w.value & 0xff;
    out[at + 1] = (w.value >>> 8) & 0xff;
    if (w.size === 4) {
      out[at + 2] = (w.value >>> 16) & 0xff;
      out[at + 3] = (w.value >>> 24) & 0xff;
    }
    at += w.size;
  }
  return out;
}
