// A tiny Thumb / Thumb-2 encoder for the core's tests: each function returns the halfwords of one
// instruction, encoded by hand from the ARMv7-M ARM (A7) encoding diagrams; Program lays them out
// at an address with labels for branches, literal loads and data words.

export type Halfwords = number[];

const lo = (r: number): number => {
  if (r < 0 || r > 7) throw new Error(`r${r} is not a low register`);
  return r;
};

/** A 32-bit encoding as its two halfwords. */
export function t32(hw1: number, hw2: number): Halfwords {
  return [hw1 & 0xffff, hw2 & 0xffff];
}

// ---- 16-bit
export const movs = (rd: number, imm8: number): Halfwords => [0x2000 | (lo(rd) << 8) | (imm8 & 0xff)];
export const cmpImm = (rn: number, imm8: number): Halfwords => [0x2800 | (lo(rn) << 8) | (imm8 & 0xff)];
export const addsImm8 = (rdn: number, imm8: number): Halfwords => [0x3000 | (lo(rdn) << 8) | (imm8 & 0xff)];
export const subsImm8 = (rdn: number, imm8: number): Halfwords => [0x3800 | (lo(rdn) << 8) | (imm8 & 0xff)];
export const addsImm3 = (rd: number, rn: number, imm3: number): Halfwords => [0x1c00 | ((imm3 & 7) << 6) | (lo(rn) << 3) | lo(rd)];
export const subsImm3 = (rd: number, rn: number, imm3: number): Halfwords => [0x1e00 | ((imm3 & 7) << 6) | (lo(rn) << 3) | lo(rd)];
export const addsReg = (rd: number, rn: number, rm: number): Halfwords => [0x1800 | (lo(rm) << 6) | (lo(rn) << 3) | lo(rd)];
export const subsReg = (rd: number, rn: number, rm: number): Halfwords => [0x1a00 | (lo(rm) << 6) | (lo(rn) << 3) | lo(rd)];
export const lslsImm = (rd: number, rm: number, imm5: number): Halfwords => [0x0000 | ((imm5 & 31) << 6) | (lo(rm) << 3) | lo(rd)];
export const lsrsImm = (rd: number, rm: number, imm5: number): Halfwords => [0x0800 | ((imm5 & 31) << 6) | (lo(rm) << 3) | lo(rd)];
export const asrsImm = (rd: number, rm: number, imm5: number): Halfwords => [0x1000 | ((imm5 & 31) << 6) | (lo(rm) << 3) | lo(rd)];

/** The 16-bit data-processing (register) group: opcode 0 AND … 15 MVN (A5.2.2). */
export const DpOp = { AND: 0, EOR: 1, LSL: 2, LSR: 3, ASR: 4, ADC: 5, SBC: 6, ROR: 7, TST: 8, RSB: 9, CMP: 10, CMN: 11, ORR: 12, MUL: 13, BIC: 14, MVN: 15 } as const;
export const dpReg = (opcode: number, rdn: number, rm: number): Halfwords => [0x4000 | (opcode << 6) | (lo(rm) << 3) | lo(rdn)];

/** MOV rd, rm (any registers, no flags). */
export const mov = (rd: number, rm: number): Halfwords => [0x4600 | ((rd & 8) << 4) | (rm << 3) | (rd & 7)];
/** ADD rdn, rm (any registers, no flags). */
export const addHi = (rdn: number, rm: number): Halfwords => [0x4400 | ((rdn & 8) << 4) | (rm << 3) | (rdn & 7)];
export const bx = (rm: number): Halfwords => [0x4700 | (rm << 3)];
export const blx = (rm: number): Halfwords => [0x4780 | (rm << 3)];
export const strImm = (rt: number, rn: number, offset: number): Halfwords => [0x6000 | ((offset >>> 2) << 6) | (lo(rn) << 3) | lo(rt)];
export const ldrImm = (rt: number, rn: number, offset: number): Halfwords => [0x6800 | ((offset >>> 2) << 6) | (lo(rn) << 3) | lo(rt)];
export const strbImm = (rt: number, rn: number, offset: number): Halfwords => [0x7000 | (offset << 6) | (lo(rn) << 3) | lo(rt)];
export const ldrbImm = (rt: number, rn: number, offset: number): Halfwords => [0x7800 | (offset << 6) | (lo(rn) << 3) | lo(rt)];
export const strhImm = (rt: number, rn: number, offset: number): Halfwords => [0x8000 | ((offset >>> 1) << 6) | (lo(rn) << 3) | lo(rt)];
export const ldrhImm = (rt: number, rn: number, offset: number): Halfwords => [0x8800 | ((offset >>> 1) << 6) | (lo(rn) << 3) | lo(rt)];
export const ldrsbReg = (rt: number, rn: number, rm: number): Halfwords => [0x5600 | (lo(rm) << 6) | (lo(rn) << 3) | lo(rt)];
export const ldrshReg = (rt: number, rn: number, rm: number): Halfwords => [0x5e00 | (lo(rm) << 6) | (lo(rn) << 3) | lo(rt)];
export const push = (regs: number[], lr = false): Halfwords => [0xb400 | (lr ? 0x100 : 0) | regs.reduce((m, r) => m | (1 << lo(r)), 0)];
export const pop = (regs: number[], pc = false): Halfwords => [0xbc00 | (pc ? 0x100 : 0) | regs.reduce((m, r) => m | (1 << lo(r)), 0)];
export const stmia = (rn: number, regs: number[]): Halfwords => [0xc000 | (lo(rn) << 8) | regs.reduce((m, r) => m | (1 << lo(r)), 0)];
export const ldmia = (rn: number, regs: number[]): Halfwords => [0xc800 | (lo(rn) << 8) | regs.reduce((m, r) => m | (1 << lo(r)), 0)];
export const addSp = (imm: number): Halfwords => [0xb000 | (imm >>> 2)];
export const subSp = (imm: number): Halfwords => [0xb080 | (imm >>> 2)];
export const sxtb = (rd: number, rm: number): Halfwords => [0xb240 | (lo(rm) << 3) | lo(rd)];
export const sxth = (rd: number, rm: number): Halfwords => [0xb200 | (lo(rm) << 3) | lo(rd)];
export const uxtb = (rd: number, rm: number): Halfwords => [0xb2c0 | (lo(rm) << 3) | lo(rd)];
export const uxth = (rd: number, rm: number): Halfwords => [0xb280 | (lo(rm) << 3) | lo(rd)];
export const rev = (rd: number, rm: number): Halfwords => [0xba00 | (lo(rm) << 3) | lo(rd)];
export const rev16 = (rd: number, rm: number): Halfwords => [0xba40 | (lo(rm) << 3) | lo(rd)];
export const revsh = (rd: number, rm: number): Halfwords => [0xbac0 | (lo(rm) << 3) | lo(rd)];
export const svc = (imm8: number): Halfwords => [0xdf00 | (imm8 & 0xff)];
export const udf = (imm8: number): Halfwords => [0xde00 | (imm8 & 0xff)];
export const bkpt = (imm8: number): Halfwords => [0xbe00 | (imm8 & 0xff)];
export const nop = (): Halfwords => [0xbf00];
export const wfe = (): Halfwords => [0xbf20];
export const wfi = (): Halfwords => [0xbf30];
export const sev = (): Halfwords => [0xbf40];
export const cpsie = (): Halfwords => [0xb662];
export const cpsid = (): Halfwords => [0xb672];
export const cpsieF = (): Halfwords => [0xb661];
export const cpsidF = (): Halfwords => [0xb671];
/** IT firstcond with `mask` as the encoding holds it (0x8: IT; for ITT/ITE... compute the mask by hand). */
export const it = (firstcond: number, mask: number): Halfwords => [0xbf00 | (firstcond << 4) | mask];

export const Cond = { EQ: 0, NE: 1, CS: 2, CC: 3, MI: 4, PL: 5, VS: 6, VC: 7, HI: 8, LS: 9, GE: 10, LT: 11, GT: 12, LE: 13, AL: 14 } as const;

// ---- 32-bit
/** A modified immediate's 12-bit field as i:imm3:imm8 placed into the two halfwords. */
function imm12Fields(imm12: number): [number, number] {
  return [((imm12 >>> 11) & 1) << 10, (((imm12 >>> 8) & 7) << 12) | (imm12 & 0xff)];
}

/** Data processing (modified immediate): op 0 AND, 1 BIC, 2 ORR, 3 ORN, 4 EOR, 8 ADD, 10 ADC, 11 SBC, 13 SUB, 14 RSB; `imm12` the encoded constant field. */
export function dpImm(op: number, s: boolean, rd: number, rn: number, imm12: number): Halfwords {
  const [h1, h2] = imm12Fields(imm12);
  return t32(0xf000 | h1 | (op << 5) | (s ? 0x10 : 0) | rn, h2 | (rd << 8));
}

/** Data processing (shifted register), same op numbers; shift type 0 LSL, 1 LSR, 2 ASR, 3 ROR (imm5 0: RRX). */
export function dpShifted(op: number, s: boolean, rd: number, rn: number, rm: number, type = 0, imm5 = 0): Halfwords {
  return t32(0xea00 | (op << 5) | (s ? 0x10 : 0) | rn, (((imm5 >>> 2) & 7) << 12) | (rd << 8) | ((imm5 & 3) << 6) | (type << 4) | rm);
}

export const T32Op = { AND: 0, BIC: 1, ORR: 2, ORN: 3, EOR: 4, ADD: 8, ADC: 10, SBC: 11, SUB: 13, RSB: 14 } as const;

export function movw(rd: number, imm16: number): Halfwords {
  return t32(0xf240 | (((imm16 >>> 11) & 1) << 10) | ((imm16 >>> 12) & 0xf), (((imm16 >>> 8) & 7) << 12) | (rd << 8) | (imm16 & 0xff));
}

export function movt(rd: number, imm16: number): Halfwords {
  return t32(0xf2c0 | (((imm16 >>> 11) & 1) << 10) | ((imm16 >>> 12) & 0xf), (((imm16 >>> 8) & 7) << 12) | (rd << 8) | (imm16 & 0xff));
}

/** Load a 32-bit constant: MOVW, then MOVT when the high half is not zero. */
export function li(rd: number, value: number): Halfwords {
  value >>>= 0;
  return value >>> 16 === 0 ? movw(rd, value) : [...movw(rd, value & 0xffff), ...movt(rd, value >>> 16)];
}

export const mul = (rd: number, rn: number, rm: number): Halfwords => t32(0xfb00 | rn, 0xf000 | (rd << 8) | rm);
export const mla = (rd: number, rn: number, rm: number, ra: number): Halfwords => t32(0xfb00 | rn, (ra << 12) | (rd << 8) | rm);
export const mls = (rd: number, rn: number, rm: number, ra: number): Halfwords => t32(0xfb00 | rn, (ra << 12) | (rd << 8) | 0x10 | rm);
export const smull = (rdLo: number, rdHi: number, rn: number, rm: number): Halfwords => t32(0xfb80 | rn, (rdLo << 12) | (rdHi << 8) | rm);
export const umull = (rdLo: number, rdHi: number, rn: number, rm: number): Halfwords => t32(0xfba0 | rn, (rdLo << 12) | (rdHi << 8) | rm);
export const smlal = (rdLo: number, rdHi: number, rn: number, rm: number): Halfwords => t32(0xfbc0 | rn, (rdLo << 12) | (rdHi << 8) | rm);
export const umlal = (rdLo: number, rdHi: number, rn: number, rm: number): Halfwords => t32(0xfbe0 | rn, (rdLo << 12) | (rdHi << 8) | rm);
export const sdiv = (rd: number, rn: number, rm: number): Halfwords => t32(0xfb90 | rn, 0xf0f0 | (rd << 8) | rm);
export const udiv = (rd: number, rn: number, rm: number): Halfwords => t32(0xfbb0 | rn, 0xf0f0 | (rd << 8) | rm);
export const clz = (rd: number, rm: number): Halfwords => t32(0xfab0 | rm, 0xf080 | (rd << 8) | rm);
export const rbit = (rd: number, rm: number): Halfwords => t32(0xfa90 | rm, 0xf0a0 | (rd << 8) | rm);

function bitfieldImm(lsb: number): number {
  return (((lsb >>> 2) & 7) << 12) | ((lsb & 3) << 6);
}

/** SSAT rd, #bits, rn (LSL 0): saturate to `bits` signed bits (1-32). */
export const ssat = (rd: number, bits: number, rn: number): Halfwords => t32(0xf300 | rn, (rd << 8) | (bits - 1));
/** USAT rd, #bits, rn: saturate to `bits` unsigned bits (0-31). */
export const usat = (rd: number, bits: number, rn: number): Halfwords => t32(0xf380 | rn, (rd << 8) | bits);
export const bfi = (rd: number, rn: number, lsb: number, width: number): Halfwords => t32(0xf360 | rn, bitfieldImm(lsb) | (rd << 8) | (lsb + width - 1));
export const bfc = (rd: number, lsb: number, width: number): Halfwords => t32(0xf36f, bitfieldImm(lsb) | (rd << 8) | (lsb + width - 1));
export const ubfx = (rd: number, rn: number, lsb: number, width: number): Halfwords => t32(0xf3c0 | rn, bitfieldImm(lsb) | (rd << 8) | (width - 1));
export const sbfx = (rd: number, rn: number, lsb: number, width: number): Halfwords => t32(0xf340 | rn, bitfieldImm(lsb) | (rd << 8) | (width - 1));

export const ldrex = (rt: number, rn: number, offset = 0): Halfwords => t32(0xe850 | rn, (rt << 12) | 0xf00 | (offset >>> 2));
export const strex = (rd: number, rt: number, rn: number, offset = 0): Halfwords => t32(0xe840 | rn, (rt << 12) | (rd << 8) | (offset >>> 2));
export const clrex = (): Halfwords => t32(0xf3bf, 0x8f2f);
export const dmb = (): Halfwords => t32(0xf3bf, 0x8f5f);
/** LDRD/STRD rt, rt2, [rn, #offset] (offset form, no write-back). */
export const ldrd = (rt: number, rt2: number, rn: number, offset: number): Halfwords => t32(0xe9d0 | (offset < 0 ? 0 : 0x80) | rn, (rt << 12) | (rt2 << 8) | (Math.abs(offset) >>> 2));
export const strd = (rt: number, rt2: number, rn: number, offset: number): Halfwords => t32(0xe9c0 | (offset < 0 ? 0 : 0x80) | rn, (rt << 12) | (rt2 << 8) | (Math.abs(offset) >>> 2));
export const tbb = (rn: number, rm: number): Halfwords => t32(0xe8d0 | rn, 0xf000 | rm);
export const tbh = (rn: number, rm: number): Halfwords => t32(0xe8d0 | rn, 0xf010 | rm);
/** LDR.W / STR.W rt, [rn, #imm12]. */
export const ldrW = (rt: number, rn: number, imm12: number): Halfwords => t32(0xf8d0 | rn, (rt << 12) | imm12);
export const strW = (rt: number, rn: number, imm12: number): Halfwords => t32(0xf8c0 | rn, (rt << 12) | imm12);
/** LDR rt, [rn], #imm8 (post-indexed) and LDR rt, [rn, #imm8]! (pre-indexed); negative imm subtracts. */
export const ldrPost = (rt: number, rn: number, imm: number): Halfwords => t32(0xf850 | rn, (rt << 12) | 0x900 | (imm < 0 ? 0 : 0x200) | Math.abs(imm));
export const ldrPre = (rt: number, rn: number, imm: number): Halfwords => t32(0xf850 | rn, (rt << 12) | 0xd00 | (imm < 0 ? 0 : 0x200) | Math.abs(imm));
/** STMDB rn!, {list} and LDMIA rn!, {list} (32-bit, any registers). */
export const stmdbW = (rn: number, list: number): Halfwords => t32(0xe920 | rn, list);
export const ldmiaW = (rn: number, list: number): Halfwords => t32(0xe8b0 | rn, list);

export const SYSm = { APSR: 0, IPSR: 5, XPSR: 3, MSP: 8, PSP: 9, PRIMASK: 16, BASEPRI: 17, BASEPRI_MAX: 18, FAULTMASK: 19, CONTROL: 20 } as const;
export const mrs = (rd: number, sysm: number): Halfwords => t32(0xf3ef, 0x8000 | (rd << 8) | sysm);
/** MSR spec_reg, rn (mask 2: the APSR's NZCVQ). */
export const msr = (sysm: number, rn: number): Halfwords => t32(0xf380 | rn, 0x8800 | sysm);

/** A program at `base`: instructions, labels, branches and literal words resolved when its bytes are taken. */
export class Program {
  private readonly items: Array<{ at: number; emit: () => Halfwords }> = [];
  private readonly labels = new Map<string, number>();
  /** Bytes laid out so far. */
  private size = 0;

  constructor(readonly base: number) {}

  get here(): number {
    return this.base + this.size;
  }

  label(name: string): this {
    this.labels.set(name, this.here);
    return this;
  }

  address(name: string): number {
    const at = this.labels.get(name);
    if (at === undefined) throw new Error(`no label ${name}`);
    return at;
  }

  /** Append instructions (each an array of halfwords). */
  i(...instructions: Halfwords[]): this {
    for (const halfwords of instructions) this.push(halfwords.length, () => halfwords);
    return this;
  }

  /** A 32-bit data word (aligned to 4 with a NOP halfword when needed), labelled `label` when given. */
  word(value: number | string, label?: string): this {
    if (this.here % 4 !== 0) this.i(nop());
    if (label !== undefined) this.label(label);
    this.push(2, () => {
      const v = typeof value === 'string' ? this.address(value) : value >>> 0;
      return [v & 0xffff, v >>> 16];
    });
    return this;
  }

  /** B label (16-bit, ±2 KiB). */
  b(label: string): this {
    const at = this.here;
    return this.push(1, () => [0xe000 | (((this.address(label) - at - 4) >> 1) & 0x7ff)]);
  }

  /** B<cond> label (16-bit, ±256 bytes). */
  bcond(cond: number, label: string): this {
    const at = this.here;
    return this.push(1, () => [0xd000 | (cond << 8) | (((this.address(label) - at - 4) >> 1) & 0xff)]);
  }

  /** CBZ / CBNZ rn, label (forward, up to 126 bytes). */
  cbz(rn: number, label: string, nonzero = false): this {
    const at = this.here;
    return this.push(1, () => {
      const offset = this.address(label) - at - 4;
      return [0xb100 | (nonzero ? 0x800 : 0) | (((offset >>> 6) & 1) << 9) | (((offset >>> 1) & 0x1f) << 3) | lo(rn)];
    });
  }

  /** BL label (or B.W label with `link` false). */
  bl(label: string, link = true): this {
    const at = this.here;
    return this.push(2, () => {
      const offset = this.address(label) - at - 4;
      const s = (offset >>> 24) & 1;
      const i1 = (offset >>> 23) & 1;
      const i2 = (offset >>> 22) & 1;
      const j1 = (1 - i1) ^ s;
      const j2 = (1 - i2) ^ s;
      return [0xf000 | (s << 10) | ((offset >>> 12) & 0x3ff), (link ? 0xd000 : 0x9000) | (j1 << 13) | (j2 << 11) | ((offset >>> 1) & 0x7ff)];
    });
  }

  /** LDR rt, label (16-bit literal load; the label must be word-aligned and ahead). */
  ldrLit(rt: number, label: string): this {
    const at = this.here;
    return this.push(1, () => [0x4800 | (lo(rt) << 8) | ((this.address(label) - ((at + 4) & ~3)) >>> 2)]);
  }

  /** ADR rd, label (16-bit, ahead, word-aligned). */
  adr(rd: number, label: string): this {
    const at = this.here;
    return this.push(1, () => [0xa000 | (lo(rd) << 8) | ((this.address(label) - ((at + 4) & ~3)) >>> 2)]);
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const item of this.items) {
      for (const hw of item.emit()) {
        out[offset++] = hw & 0xff;
        out[offset++] = (hw >>> 8) & 0xff;
      }
    }
    return out;
  }

  private push(halfwords: number, emit: () => Halfwords): this {
    this.items.push({ at: this.here, emit });
    this.size += halfwords * 2;
    return this;
  }
}
