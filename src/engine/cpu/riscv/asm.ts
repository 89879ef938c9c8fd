// A tiny RV32IMAC assembler for tests and benchmarks: instruction encoders and a program builder
// with labels. Unit tests must not depend on a system cross assembler, so they hand-encode with this.

export const Reg = {
  zero: 0, ra: 1, sp: 2, gp: 3, tp: 4, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9,
  a0: 10, a1: 11, a2: 12, a3: 13, a4: 14, a5: 15, a6: 16, a7: 17,
  s2: 18, s3: 19, s4: 20, s5: 21, s6: 22, s7: 23, s8: 24, s9: 25, s10: 26, s11: 27,
  t3: 28, t4: 29, t5: 30, t6: 31,
} as const;

// ------------------------------------------------------------------ 32-bit formats

export function rType(f7: number, rs2: number, rs1: number, f3: number, rd: number, opcode: number): number {
  return ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;
}
export function iType(imm: number, rs1: number, f3: number, rd: number, opcode: number): number {
  return (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opcode) >>> 0;
}
export function sType(imm: number, rs2: number, rs1: number, f3: number, opcode: number): number {
  return ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | opcode) >>> 0;
}
export function bType(imm: number, rs2: number, rs1: number, f3: number): number {
  return (
    ((((imm >> 12) & 1) << 31) |
      (((imm >> 5) & 0x3f) << 25) |
      (rs2 << 20) |
      (rs1 << 15) |
      (f3 << 12) |
      (((imm >> 1) & 0xf) << 8) |
      (((imm >> 11) & 1) << 7) |
      0x63) >>>
    0
  );
}
export function uType(imm: number, rd: number, opcode: number): number {
  return ((imm & 0xfffff000) | (rd << 7) | opcode) >>> 0;
}
export function jType(imm: number, rd: number): number {
  return (
    ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) | (((imm >> 12) & 0xff) << 12) | (rd << 7) | 0x6f) >>>
    0
  );
}

export const lui = (rd: number, imm: number) => uType(imm, rd, 0x37);
export const auipc = (rd: number, imm: number) => uType(imm, rd, 0x17);
export const jal = (rd: number, offset: number) => jType(offset, rd);
export const jalr = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x67);
export const beq = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 0);
export const bne = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 1);
export const blt = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 4);
export const bge = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 5);
export const bltu = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 6);
export const bgeu = (rs1: number, rs2: number, off: number) => bType(off, rs2, rs1, 7);
export const lb = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x03);
export const lh = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 1, rd, 0x03);
export const lw = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 2, rd, 0x03);
export const lbu = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 4, rd, 0x03);
export const lhu = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 5, rd, 0x03);
export const sb = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 0, 0x23);
export const sh = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 1, 0x23);
export const sw = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 2, 0x23);
export const addi = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 0, rd, 0x13);
export const slti = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 2, rd, 0x13);
export const sltiu = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 3, rd, 0x13);
export const xori = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 4, rd, 0x13);
export const ori = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 6, rd, 0x13);
export const andi = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 7, rd, 0x13);
export const slli = (rd: number, rs1: number, sh: number) => iType(sh, rs1, 1, rd, 0x13);
export const srli = (rd: number, rs1: number, sh: number) => iType(sh, rs1, 5, rd, 0x13);
export const srai = (rd: number, rs1: number, sh: number) => iType(0x400 | sh, rs1, 5, rd, 0x13);
export const add = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 0, rd, 0x33);
export const sub = (rd: number, rs1: number, rs2: number) => rType(0x20, rs2, rs1, 0, rd, 0x33);
export const sll = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 1, rd, 0x33);
export const slt = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 2, rd, 0x33);
export const sltu = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 3, rd, 0x33);
export const xor = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 4, rd, 0x33);
export const srl = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 5, rd, 0x33);
export const sra = (rd: number, rs1: number, rs2: number) => rType(0x20, rs2, rs1, 5, rd, 0x33);
export const or = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 6, rd, 0x33);
export const and = (rd: number, rs1: number, rs2: number) => rType(0, rs2, rs1, 7, rd, 0x33);
export const mul = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 0, rd, 0x33);
export const mulh = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 1, rd, 0x33);
export const mulhsu = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 2, rd, 0x33);
export const mulhu = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 3, rd, 0x33);
export const div = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 4, rd, 0x33);
export const divu = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 5, rd, 0x33);
export const rem = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 6, rd, 0x33);
export const remu = (rd: number, rs1: number, rs2: number) => rType(1, rs2, rs1, 7, rd, 0x33);
export const fence = () => 0x0ff0000f;
export const fenceI = () => 0x0000100f;
export const ecall = () => 0x00000073;
export const ebreak = () => 0x00100073;
export const mret = () => 0x30200073;
export const sret = () => 0x10200073;
export const wfi = () => 0x10500073;
export const sfenceVma = (rs1 = 0, rs2 = 0) => rType(0x09, rs2, rs1, 0, 0, 0x73);
export const csrrw = (rd: number, csr: number, rs1: number) => iType(csr, rs1, 1, rd, 0x73);
export const csrrs = (rd: number, csr: number, rs1: number) => iType(csr, rs1, 2, rd, 0x73);
export const csrrc = (rd: number, csr: number, rs1: number) => iType(csr, rs1, 3, rd, 0x73);
export const csrrwi = (rd: number, csr: number, uimm: number) => iType(csr, uimm, 5, rd, 0x73);
export const csrrsi = (rd: number, csr: number, uimm: number) => iType(csr, uimm, 6, rd, 0x73);
export const csrrci = (rd: number, csr: number, uimm: number) => iType(csr, uimm, 7, rd, 0x73);
export const csrr = (rd: number, csr: number) => csrrs(rd, csr, 0);
export const csrw = (csr: number, rs1: number) => csrrw(0, csr, rs1);
const amo = (f5: number) => (rd: number, rs1: number, rs2: number) => rType(f5 << 2, rs2, rs1, 2, rd, 0x2f);
export const lrW = (rd: number, rs1: number) => amo(0x02)(rd, rs1, 0);
export const scW = amo(0x03);
export const amoswapW = amo(0x01);
export const amoaddW = amo(0x00);
export const amoxorW = amo(0x04);
export const amoandW = amo(0x0c);
export const amoorW = amo(0x08);
export const amominW = amo(0x10);
export const amomaxW = amo(0x14);
export const amominuW = amo(0x18);
export const amomaxuW = amo(0x1c);

// Bit manipulation (RV32 encodings): Zba, Zbb, Zbc, Zbs.
const op = (f7: number, f3: number) => (rd: number, rs1: number, rs2: number) => rType(f7, rs2, rs1, f3, rd, 0x33);
/** An OP-IMM instruction whose imm[11:0] is funct7 and a 5-bit shift amount or selector. */
const opImm = (f7: number, f3: number) => (rd: number, rs1: number, shamt: number) => iType((f7 << 5) | (shamt & 31), rs1, f3, rd, 0x13);
const unary = (f7: number, f3: number, selector: number) => (rd: number, rs1: number) => opImm(f7, f3)(rd, rs1, selector);
export const sh1add = op(0x10, 2);
export const sh2add = op(0x10, 4);
export const sh3add = op(0x10, 6);
export const andn = op(0x20, 7);
export const orn = op(0x20, 6);
export const xnor = op(0x20, 4);
export const clz = unary(0x30, 1, 0);
export const ctz = unary(0x30, 1, 1);
export const cpop = unary(0x30, 1, 2);
export const sextB = unary(0x30, 1, 4);
export const sextH = unary(0x30, 1, 5);
export const zextH = (rd: number, rs1: number) => op(0x04, 4)(rd, rs1, 0);
export const max = op(0x05, 6);
export const maxu = op(0x05, 7);
export const min = op(0x05, 4);
export const minu = op(0x05, 5);
export const rol = op(0x30, 1);
export const ror = op(0x30, 5);
export const rori = opImm(0x30, 5);
export const orcB = unary(0x14, 5, 7);
export const rev8 = unary(0x34, 5, 24);
export const clmul = op(0x05, 1);
export const clmulh = op(0x05, 3);
export const clmulr = op(0x05, 2);
export const bclr = op(0x24, 1);
export const bclri = opImm(0x24, 1);
export const bext = op(0x24, 5);
export const bexti = opImm(0x24, 5);
export const binv = op(0x34, 1);
export const binvi = opImm(0x34, 1);
export const bset = op(0x14, 1);
export const bseti = opImm(0x14, 1);

// ------------------------------------------------------------------ F and D (register numbers are f0..f31)

/** Rounding modes for the rm field (7: frm, the dynamic one). */
export const Rm = { rne: 0, rtz: 1, rdn: 2, rup: 3, rmm: 4, dyn: 7 } as const;
export const flw = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 2, rd, 0x07);
export const fld = (rd: number, rs1: number, imm: number) => iType(imm, rs1, 3, rd, 0x07);
export const fsw = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 2, 0x27);
export const fsd = (rs2: number, rs1: number, imm: number) => sType(imm, rs2, rs1, 3, 0x27);
/** OP-FP with a rounding mode (default dyn, as assemblers write it). */
const fpRm = (f7: number) => (rd: number, rs1: number, rs2: number, rm: number = Rm.dyn) => rType(f7, rs2, rs1, rm, rd, 0x53);
/** OP-FP with one source and a fixed rs2 field (sqrt, conversions). */
const fpUnary = (f7: number, rs2: number) => (rd: number, rs1: number, rm: number = Rm.dyn) => rType(f7, rs2, rs1, rm, rd, 0x53);
/** OP-FP with a fixed funct3 (sign injection, min/max, compares, moves, fclass). */
const fpFixed = (f7: number, f3: number) => (rd: number, rs1: number, rs2 = 0) => rType(f7, rs2, rs1, f3, rd, 0x53);
/** fmadd/fmsub/fnmsub/fnmadd (R4-type): fmt 0 single, 1 double. */
const fpFused = (opcode: number, fmt: number) => (rd: number, rs1: number, rs2: number, rs3: number, rm: number = Rm.dyn) =>
  ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) >>> 0;
export const fmaddS = fpFused(0x43, 0);
export const fmsubS = fpFused(0x47, 0);
export const fnmsubS = fpFused(0x4b, 0);
export const fnmaddS = fpFused(0x4f, 0);
export const faddS = fpRm(0x00);
export const fsubS = fpRm(0x04);
export const fmulS = fpRm(0x08);
export const fdivS = fpRm(0x0c);
export const fsqrtS = fpUnary(0x2c, 0);
export const fsgnjS = fpFixed(0x10, 0);
export const fsgnjnS = fpFixed(0x10, 1);
export const fsgnjxS = fpFixed(0x10, 2);
export const fminS = fpFixed(0x14, 0);
export const fmaxS = fpFixed(0x14, 1);
export const fcvtWS = fpUnary(0x60, 0);
export const fcvtWuS = fpUnary(0x60, 1);
export const fmvXW = (rd: number, rs1: number) => fpFixed(0x70, 0)(rd, rs1);
export const fclassS = (rd: number, rs1: number) => fpFixed(0x70, 1)(rd, rs1);
export const feqS = fpFixed(0x50, 2);
export const fltS = fpFixed(0x50, 1);
export const fleS = fpFixed(0x50, 0);
export const fcvtSW = fpUnary(0x68, 0);
export const fcvtSWu = fpUnary(0x68, 1);
export const fmvWX = (rd: number, rs1: number) => fpFixed(0x78, 0)(rd, rs1);
export const fmaddD = fpFused(0x43, 1);
export const fmsubD = fpFused(0x47, 1);
export const fnmsubD = fpFused(0x4b, 1);
export const fnmaddD = fpFused(0x4f, 1);
export const faddD = fpRm(0x01);
export const fsubD = fpRm(0x05);
export const fmulD = fpRm(0x09);
export const fdivD = fpRm(0x0d);
export const fsqrtD = fpUnary(0x2d, 0);
export const fsgnjD = fpFixed(0x11, 0);
export const fsgnjnD = fpFixed(0x11, 1);
export const fsgnjxD = fpFixed(0x11, 2);
export const fminD = fpFixed(0x15, 0);
export const fmaxD = fpFixed(0x15, 1);
export const fcvtSD = fpUnary(0x20, 1);
export const fcvtDS = fpUnary(0x21, 0);
export const feqD = fpFixed(0x51, 2);
export const fltD = fpFixed(0x51, 1);
export const fleD = fpFixed(0x51, 0);
export const fclassD = (rd: number, rs1: number) => fpFixed(0x71, 1)(rd, rs1);
export const fcvtWD = fpUnary(0x61, 0);
export const fcvtWuD = fpUnary(0x61, 1);
export const fcvtDW = fpUnary(0x69, 0);
export const fcvtDWu = fpUnary(0x69, 1);

/** `li rd, value` as one or two instructions. */
export function li(rd: number, value: number): number[] {
  value |= 0;
  if (value >= -2048 && value < 2048) return [addi(rd, 0, value)];
  const lo = (value << 20) >> 20;
  const hi = (value - lo) | 0;
  return lo === 0 ? [lui(rd, hi)] : [lui(rd, hi), addi(rd, rd, lo)];
}

// ------------------------------------------------------------------ compressed (RV32C)

const bit = (v: number, b: number) => (v >> b) & 1;
const rp = (r: number) => {
  if (r < 8 || r > 15) throw new Error(`compressed register x${r} is not in x8..x15`);
  return r - 8;
};

export const cNop = () => 0x0001;
export const cEbreak = () => 0x9002;
export const cAddi = (rd: number, imm: number) => (bit(imm, 5) << 12) | (rd << 7) | ((imm & 31) << 2) | 0x01;
export const cLi = (rd: number, imm: number) => (0x2 << 13) | (bit(imm, 5) << 12) | (rd << 7) | ((imm & 31) << 2) | 0x01;
export const cLui = (rd: number, imm: number) => (0x3 << 13) | (bit(imm, 17) << 12) | (rd << 7) | (((imm >> 12) & 31) << 2) | 0x01;
export const cAddi16sp = (imm: number) =>
  (0x3 << 13) | (bit(imm, 9) << 12) | (2 << 7) | (bit(imm, 4) << 6) | (bit(imm, 6) << 5) | (((imm >> 7) & 3) << 3) | (bit(imm, 5) << 2) | 0x01;
export const cAddi4spn = (rd: number, imm: number) =>
  (((imm >> 4) & 3) << 11) | (((imm >> 6) & 0xf) << 7) | (bit(imm, 2) << 6) | (bit(imm, 3) << 5) | (rp(rd) << 2) | 0x00;
export const cLw = (rd: number, rs1: number, imm: number) =>
  (0x2 << 13) | (((imm >> 3) & 7) << 10) | (rp(rs1) << 7) | (bit(imm, 2) << 6) | (bit(imm, 6) << 5) | (rp(rd) << 2) | 0x00;
export const cSw = (rs2: number, rs1: number, imm: number) =>
  (0x6 << 13) | (((imm >> 3) & 7) << 10) | (rp(rs1) << 7) | (bit(imm, 2) << 6) | (bit(imm, 6) << 5) | (rp(rs2) << 2) | 0x00;
export const cLwsp = (rd: number, imm: number) =>
  (0x2 << 13) | (bit(imm, 5) << 12) | (rd << 7) | (((imm >> 2) & 7) << 4) | (((imm >> 6) & 3) << 2) | 0x02;
export const cSwsp = (rs2: number, imm: number) => (0x6 << 13) | (((imm >> 2) & 0xf) << 9) | (((imm >> 6) & 3) << 7) | (rs2 << 2) | 0x02;
// compressed FP loads and stores (RV32): c.flw/c.fsw/c.flwsp/c.fswsp (F), c.fld/c.fsd/c.fldsp/c.fsdsp (D)
export const cFlw = (rd: number, rs1: number, imm: number) => (cLw(rd, rs1, imm) & ~(7 << 13)) | (0x3 << 13);
export const cFsw = (rs2: number, rs1: number, imm: number) => (cSw(rs2, rs1, imm) & ~(7 << 13)) | (0x7 << 13);
export const cFlwsp = (rd: number, imm: number) => (cLwsp(rd, imm) & ~(7 << 13)) | (0x3 << 13);
export const cFswsp = (rs2: number, imm: number) => (cSwsp(rs2, imm) & ~(7 << 13)) | (0x7 << 13);
export const cFld = (rd: number, rs1: number, imm: number) =>
  (0x1 << 13) | (((imm >> 3) & 7) << 10) | (rp(rs1) << 7) | (((imm >> 6) & 3) << 5) | (rp(rd) << 2) | 0x00;
export const cFsd = (rs2: number, rs1: number, imm: number) =>
  (0x5 << 13) | (((imm >> 3) & 7) << 10) | (rp(rs1) << 7) | (((imm >> 6) & 3) << 5) | (rp(rs2) << 2) | 0x00;
export const cFldsp = (rd: number, imm: number) =>
  (0x1 << 13) | (bit(imm, 5) << 12) | (rd << 7) | (((imm >> 3) & 3) << 5) | (((imm >> 6) & 7) << 2) | 0x02;
export const cFsdsp = (rs2: number, imm: number) => (0x5 << 13) | (((imm >> 3) & 7) << 10) | (((imm >> 6) & 7) << 7) | (rs2 << 2) | 0x02;
const cjImm = (off: number) =>
  (bit(off, 11) << 12) |
  (bit(off, 4) << 11) |
  (((off >> 8) & 3) << 9) |
  (bit(off, 10) << 8) |
  (bit(off, 6) << 7) |
  (bit(off, 7) << 6) |
  (((off >> 1) & 7) << 3) |
  (bit(off, 5) << 2);
export const cJ = (off: number) => (0x5 << 13) | cjImm(off) | 0x01;
export const cJal = (off: number) => (0x1 << 13) | cjImm(off) | 0x01;
export const cJr = (rs1: number) => (0x8 << 12) | (rs1 << 7) | 0x02;
export const cJalr = (rs1: number) => (0x9 << 12) | (rs1 << 7) | 0x02;
export const cMv = (rd: number, rs2: number) => (0x8 << 12) | (rd << 7) | (rs2 << 2) | 0x02;
export const cAdd = (rd: number, rs2: number) => (0x9 << 12) | (rd << 7) | (rs2 << 2) | 0x02;
const cbImm = (off: number) =>
  (bit(off, 8) << 12) | (((off >> 3) & 3) << 10) | (((off >> 6) & 3) << 5) | (((off >> 1) & 3) << 3) | (bit(off, 5) << 2);
export const cBeqz = (rs1: number, off: number) => (0x6 << 13) | cbImm(off) | (rp(rs1) << 7) | 0x01;
export const cBnez = (rs1: number, off: number) => (0x7 << 13) | cbImm(off) | (rp(rs1) << 7) | 0x01;
export const cSrli = (rd: number, sh: number) => (0x4 << 13) | (0 << 10) | (rp(rd) << 7) | ((sh & 31) << 2) | 0x01;
export const cSrai = (rd: number, sh: number) => (0x4 << 13) | (1 << 10) | (rp(rd) << 7) | ((sh & 31) << 2) | 0x01;
export const cAndi = (rd: number, imm: number) => (0x4 << 13) | (bit(imm, 5) << 12) | (2 << 10) | (rp(rd) << 7) | ((imm & 31) << 2) | 0x01;
const cArith = (f2: number) => (rd: number, rs2: number) => (0x4 << 13) | (3 << 10) | (rp(rd) << 7) | (f2 << 5) | (rp(rs2) << 2) | 0x01;
export const cSub = cArith(0);
export const cXor = cArith(1);
export const cOr = cArith(2);
export const cAnd = cArith(3);
export const cSlli = (rd: number, sh: number) => (rd << 7) | ((sh & 31) << 2) | 0x02;

// ------------------------------------------------------------------ program builder

type Target = string | number;
type Item = { size: 2 | 4; encode: (pc: number, label: (t: Target) => number) => number };

/** Builds a program at `base`; branch/jump targets are labels or byte offsets relative to the instruction. */
export class Program {
  private readonly items: Item[] = [];
  private readonly labels = new Map<string, number>();
  private size = 0;

  constructor(readonly base: number) {}

  /** Address the next instruction will have. */
  get here(): number {
    return (this.base + this.size) >>> 0;
  }

  label(name: string): this {
    this.labels.set(name, this.here);
    return this;
  }

  address(name: string): number {
    const a = this.labels.get(name);
    if (a === undefined) throw new Error(`label ${name} is not defined`);
    return a;
  }

  /** Emit raw 32-bit instructions. */
  i(...words: Array<number | number[]>): this {
    for (const w of words.flat()) this.push(4, () => w);
    return this;
  }

  /** Emit raw 16-bit (compressed) instructions. */
  c(...halves: number[]): this {
    for (const h of halves) this.push(2, () => h);
    return this;
  }

  /** Emit a 32-bit data word. */
  word(value: number): this {
    return this.i(value >>> 0);
  }

  branch(make: (rs1: number, rs2: number, off: number) => number, rs1: number, rs2: number, target: Target): this {
    return this.push(4, (pc, at) => make(rs1, rs2, at(target) - pc));
  }

  jal(rd: number, target: Target): this {
    return this.push(4, (pc, at) => jal(rd, at(target) - pc));
  }

  cj(target: Target): this {
    return this.push(2, (pc, at) => cJ(at(target) - pc));
  }

  cjal(target: Target): this {
    return this.push(2, (pc, at) => cJal(at(target) - pc));
  }

  /** Run a snippet builder on this program (for reusable fragments). */
  apply(fragment: (p: Program) => unknown): this {
    fragment(this);
    return this;
  }

  cbranch(make: (rs1: number, off: number) => number, rs1: number, target: Target): this {
    return this.push(2, (pc, at) => make(rs1, at(target) - pc));
  }

  /** `la rd, label` as auipc + addi. */
  la(rd: number, target: string): this {
    this.push(4, (pc, at) => auipc(rd, (at(target) - pc + 0x800) & 0xfffff000));
    return this.push(4, (pc, at) => addi(rd, rd, ((at(target) - (pc - 4)) << 20) >> 20));
  }

  /** Pad with zero bytes up to `address`. */
  org(address: number): this {
    while (this.here < address) this.push(2, () => 0);
    return this;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let pc = this.base;
    let off = 0;
    const at = (t: Target) => {
      if (typeof t === 'number') return pc + t;
      return this.address(t);
    };
    for (const item of this.items) {
      const v = item.encode(pc, at);
      out[off] = v & 0xff;
      out[off + 1] = (v >>> 8) & 0xff;
      if (item.size === 4) {
        out[off + 2] = (v >>> 16) & 0xff;
        out[off + 3] = (v >>> 24) & 0xff;
      }
      off += item.size;
      pc += item.size;
    }
    return out;
  }

  private push(size: 2 | 4, encode: Item['encode']): this {
    this.items.push({ size, encode });
    this.size += size;
    return this;
  }
}

// ------------------------------------------------------------------ F and D formats (disassembler tests)
// Floating-point registers are plain numbers 0–31 (f0–f31); `rm` is the rounding-mode field
// (7 = dynamic) or, for the instructions without rounding, the funct3 that selects the operation.

/** OP-FP (0x53): funct7 holds the operation and, in its low two bits, the format (0 = S, 1 = D). */
export const fpR = (f7: number, rs2: number, rs1: number, rm: number, rd: number) => rType(f7, rs2, rs1, rm, rd, 0x53);
/** The fused multiply-adds (opcode 0x43 fmadd, 0x47 fmsub, 0x4b fnmsub, 0x4f fnmadd) with rs3 and the format. */
export const fpR4 = (opcode: number, fmt: number, rs3: number, rs2: number, rs1: number, rm: number, rd: number) =>
  ((rs3 << 27) | (fmt << 25) | (rs2 << 20) | (rs1 << 15) | (rm << 12) | (rd << 7) | opcode) >>> 0;
