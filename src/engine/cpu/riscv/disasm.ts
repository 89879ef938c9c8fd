// RV32IMAFDC (+Zicsr, Zifencei, Zba, Zbb, Zbc, Zbs) disassembler that prints what GNU objdump (binutils 2.40, default
// options) prints: ABI register names, objdump's pseudo-instructions (li, mv, j, ret, beqz, csrr,
// …), CSR names, decimal immediates except lui/auipc/shift amounts (hex), branch targets as bare
// hex addresses. Pure: no memory access, no DOM. The reference test compares it with Debian's
// riscv64-unknown-elf-objdump on every instruction of the committed firmware.
//
// objdump quirks kept on purpose, so the two can be compared line by line:
//   - addi/andi/ori/xori and the immediate shifts print as add/and/or/xor/sll/srl/sra with an
//     immediate operand (binutils lists those aliases before the real names);
//   - csrrwi/csrrsi/csrrci with a destination print without the "i";
//   - an unknown instruction prints as `.2byte 0x…` / `.4byte 0x…`.
// The bit-manipulation instructions are always decoded (objdump decodes them when the ELF's
// architecture attribute names the extensions, as the firmware built with them does). F and D are
// decoded by default too (a riscv-virt@1.2 hart has them); `floatExtensions` narrows that to what
// objdump decodes for an ELF whose attribute lacks D or F (.4byte/.2byte, csrr for fflags …).
//
// Like objdump, a sequential listing (DisassemblyContext) remembers what lui/auipc put into each
// register and, when a following addi, load, store or jalr uses it, reports the address the pair
// forms (`reference`, printed as "# address <symbol>").

import { csrNames, type PrivilegedSpec } from '../../../asm/riscv/csr-names.ts';
import { bImmediate, cjImmediate, jImmediate } from './decode.ts';
import { ABI_NAMES, FLOAT_ABI_NAMES } from './registers.ts';

const X0 = 0;
const RA = 1;
const SP = 2;
const GP = 3;
const TP = 4;

/** Major opcodes (bits 6:0) of 32-bit instructions. */
const OPCODE = {
  LOAD: 0x03,
  LOAD_FP: 0x07,
  MISC_MEM: 0x0f,
  OP_IMM: 0x13,
  AUIPC: 0x17,
  STORE: 0x23,
  STORE_FP: 0x27,
  AMO: 0x2f,
  OP: 0x33,
  LUI: 0x37,
  MADD: 0x43,
  MSUB: 0x47,
  NMSUB: 0x4b,
  NMADD: 0x4f,
  OP_FP: 0x53,
  BRANCH: 0x63,
  JALR: 0x67,
  JAL: 0x6f,
  SYSTEM: 0x73,
} as const;

/** Whole-instruction encodings of the SYSTEM instructions without operands. */
const SYSTEM_WORDS: ReadonlyMap<number, string> = new Map([
  [0x00000073, 'ecall'],
  [0x00100073, 'ebreak'],
  [0x00200073, 'uret'],
  [0x10200073, 'sret'],
  [0x30200073, 'mret'],
  [0x7b200073, 'dret'],
  [0x10500073, 'wfi'],
  [0xc0001073, 'unimp'], // csrrw zero, cycle, zero: the canonical illegal instruction
]);

/** One disassembled instruction. */
export interface DisassembledInstruction {
  /** Length in bytes (2 for a compressed instruction). */
  length: 2 | 4;
  mnemonic: string;
  /** Operands as objdump prints them; a branch or jump target is the bare hex address at the end. */
  operands: string;
  /** The branch or jump destination, when the instruction has one (objdump appends its symbol). */
  target?: number;
  /** The address a lui/auipc pair (or gp, tp, zero plus an offset) forms: objdump's "# address" comment. */
  reference?: number;
}

/**
 * The floating-point extensions objdump decodes, which it takes from the ELF's architecture
 * attribute: none (an rv32imac image), F only, or F and D.
 */
export type FloatExtensions = 'none' | 'F' | 'FD';

export interface DisassemblyOptions {
  /** The global pointer's value, for "# address" comments on gp-relative accesses (objdump takes it from `__global_pointer$`). */
  gp?: number;
  /** Which CSR names to use (default 1.12, the newest; objdump uses the version an ELF records). */
  privilegedSpec?: PrivilegedSpec;
  /** Which floating-point instructions to decode (default F and D, what a riscv-virt@1.2 hart runs). */
  floatExtensions?: FloatExtensions;
}

/**
 * What a sequential listing carries from one instruction to the next: like objdump, the values
 * lui/auipc put into each register, for the "# address" comment of a following addi, load, store
 * or jalr (a value is used once). Also holds the listing's options.
 */
export class DisassemblyContext {
  readonly gp: number | undefined;
  readonly csrNames: ReadonlyMap<number, string>;
  readonly singleFloat: boolean;
  readonly doubleFloat: boolean;
  private readonly high = new Array<number | undefined>(32).fill(undefined);

  constructor(options: DisassemblyOptions = {}) {
    this.gp = options.gp;
    this.csrNames = csrNames(options.privilegedSpec);
    const float = options.floatExtensions ?? 'FD';
    this.singleFloat = float !== 'none';
    this.doubleFloat = float === 'FD';
  }

  setHigh(register: number, value: number): void {
    this.high[register] = value >>> 0;
  }

  /** The address `base + offset` when base's value is known; consumes a lui/auipc value. */
  resolve(base: number, offset: number): number | undefined {
    const high = this.high[base];
    if (high !== undefined) {
      this.high[base] = undefined;
      return ((base !== X0 ? high : 0) + offset) >>> 0;
    }
    if (base === GP && this.gp !== undefined) return (this.gp + offset) >>> 0;
    if (base === TP || base === X0) return offset >>> 0;
    return undefined;
  }

  csrName(csr: number): string {
    return this.csrNames.get(csr) ?? `0x${hexNumber(csr)}`;
  }
}

const r = (n: number): string => ABI_NAMES[n];
const hexNumber = (n: number): string => (n >>> 0).toString(16);

function result(length: 2 | 4, mnemonic: string, operands = '', extra: { target?: number; reference?: number } = {}): DisassembledInstruction {
  const insn: DisassembledInstruction = { length, mnemonic, operands };
  if (extra.target !== undefined) insn.target = extra.target >>> 0;
  if (extra.reference !== undefined) insn.reference = extra.reference >>> 0;
  return insn;
}

/** Length in bytes of the instruction whose low halfword is `low16`. */
export function instructionLength(low16: number): 2 | 4 {
  return (low16 & 3) === 3 ? 4 : 2;
}

/**
 * Disassembles the instruction in `raw` (a 32-bit word, or a 16-bit compressed instruction in the
 * low halfword) at address `pc`. `context` carries lui/auipc values from earlier instructions of
 * the same listing.
 */
export function disassemble(raw: number, pc: number, context: DisassemblyContext = new DisassemblyContext()): DisassembledInstruction {
  return (raw & 3) === 3 ? disassemble32(raw >>> 0, pc >>> 0, context) : disassemble16(raw & 0xffff, pc >>> 0, context);
}

/** The text objdump shows for bytes that are not an instruction. */
function unknown(raw: number, length: 2 | 4): DisassembledInstruction {
  return result(length, `.${length}byte`, `0x${hexNumber(raw)}`);
}

function disassemble32(raw: number, pc: number, context: DisassemblyContext): DisassembledInstruction {
  const opcode = raw & 0x7f;
  const rd = (raw >>> 7) & 31;
  const f3 = (raw >>> 12) & 7;
  const rs1 = (raw >>> 15) & 31;
  const rs2 = (raw >>> 20) & 31;
  const f7 = raw >>> 25;
  const immI = raw >> 20;
  const immS = ((raw >> 25) << 5) | ((raw >>> 7) & 31);
  switch (opcode) {
    case OPCODE.LUI:
      context.setHigh(rd, raw & 0xfffff000);
      return result(4, 'lui', `${r(rd)},0x${hexNumber(raw >>> 12)}`);
    case OPCODE.AUIPC:
      context.setHigh(rd, pc + (raw & 0xfffff000));
      return result(4, 'auipc', `${r(rd)},0x${hexNumber(raw >>> 12)}`);
    case OPCODE.JAL: {
      const target = (pc + jImmediate(raw)) >>> 0;
      if (rd === X0) return result(4, 'j', hexNumber(target), { target });
      if (rd === RA) return result(4, 'jal', hexNumber(target), { target });
      return result(4, 'jal', `${r(rd)},${hexNumber(target)}`, { target });
    }
    case OPCODE.JALR: {
      if (f3 !== 0) break;
      const reference = context.resolve(rs1, immI);
      const extra = { reference };
      if (rd === X0 && rs1 === RA && immI === 0) return result(4, 'ret', '', extra);
      if (rd === X0) return result(4, 'jr', immI === 0 ? r(rs1) : `${immI}(${r(rs1)})`, extra);
      if (rd === RA) return result(4, 'jalr', immI === 0 ? r(rs1) : `${immI}(${r(rs1)})`, extra);
      return result(4, 'jalr', immI === 0 ? `${r(rd)},${r(rs1)}` : `${r(rd)},${immI}(${r(rs1)})`, extra);
    }
    case OPCODE.BRANCH: {
      const names = ['beq', 'bne', '', '', 'blt', 'bge', 'bltu', 'bgeu'];
      const name = names[f3];
      if (name === '') break;
      const target = (pc + bImmediate(raw)) >>> 0;
      const t = hexNumber(target);
      if (rs2 === X0 && name === 'beq') return result(4, 'beqz', `${r(rs1)},${t}`, { target });
      if (rs2 === X0 && name === 'bne') return result(4, 'bnez', `${r(rs1)},${t}`, { target });
      if (rs2 === X0 && name === 'blt') return result(4, 'bltz', `${r(rs1)},${t}`, { target });
      if (rs2 === X0 && name === 'bge') return result(4, 'bgez', `${r(rs1)},${t}`, { target });
      if (rs1 === X0 && name === 'blt') return result(4, 'bgtz', `${r(rs2)},${t}`, { target });
      if (rs1 === X0 && name === 'bge') return result(4, 'blez', `${r(rs2)},${t}`, { target });
      return result(4, name, `${r(rs1)},${r(rs2)},${t}`, { target });
    }
    case OPCODE.LOAD: {
      const name = ['lb', 'lh', 'lw', '', 'lbu', 'lhu', '', ''][f3];
      if (name === '') break;
      return result(4, name, `${r(rd)},${immI}(${r(rs1)})`, { reference: context.resolve(rs1, immI) });
    }
    case OPCODE.STORE: {
      const name = ['sb', 'sh', 'sw', '', '', '', '', ''][f3];
      if (name === '') break;
      return result(4, name, `${r(rs2)},${immS}(${r(rs1)})`, { reference: context.resolve(rs1, immS) });
    }
    case OPCODE.OP_IMM:
      return opImm(rd, f3, rs1, rs2, f7, immI, context) ?? unknown(raw, 4);
    case OPCODE.OP:
      return op(rd, f3, rs1, rs2, f7) ?? unknown(raw, 4);
    case OPCODE.MISC_MEM:
      if (f3 === 1 && raw === 0x0000100f) return result(4, 'fence.i');
      if (f3 === 0 && rd === X0 && rs1 === X0) return fence(raw);
      break;
    case OPCODE.SYSTEM:
      return system(raw, rd, f3, rs1, rs2, f7, context) ?? unknown(raw, 4);
    case OPCODE.AMO:
      return amo(raw, rd, f3, rs1, rs2) ?? unknown(raw, 4);
    case OPCODE.LOAD_FP:
    case OPCODE.STORE_FP:
      return floatLoadStore(opcode, rd, f3, rs1, rs2, immI, immS, context) ?? unknown(raw, 4);
    case OPCODE.MADD:
    case OPCODE.MSUB:
    case OPCODE.NMSUB:
    case OPCODE.NMADD:
      return fusedMultiplyAdd(raw, opcode, rd, f3, rs1, rs2, context) ?? unknown(raw, 4);
    case OPCODE.OP_FP:
      return opFp(rd, f3, rs1, rs2, f7, context) ?? unknown(raw, 4);
  }
  return unknown(raw, 4);
}

function opImm(rd: number, f3: number, rs1: number, rs2: number, f7: number, imm: number, context: DisassemblyContext): DisassembledInstruction | undefined {
  switch (f3) {
    case 0: // addi
      if (rd === X0 && rs1 === X0 && imm === 0) return result(4, 'nop');
      if (rs1 === X0) return result(4, 'li', `${r(rd)},${imm}`);
      if (imm === 0) return result(4, 'mv', `${r(rd)},${r(rs1)}`);
      return result(4, 'add', `${r(rd)},${r(rs1)},${imm}`, { reference: context.resolve(rs1, imm) });
    case 2:
      return result(4, 'slti', `${r(rd)},${r(rs1)},${imm}`);
    case 3:
      if (imm === 1) return result(4, 'seqz', `${r(rd)},${r(rs1)}`);
      return result(4, 'sltiu', `${r(rd)},${r(rs1)},${imm}`);
    case 4:
      if (imm === -1) return result(4, 'not', `${r(rd)},${r(rs1)}`);
      return result(4, 'xor', `${r(rd)},${r(rs1)},${imm}`);
    case 6:
      return result(4, 'or', `${r(rd)},${r(rs1)},${imm}`);
    case 7:
      if (imm === 0xff) return result(4, 'zext.b', `${r(rd)},${r(rs1)}`);
      return result(4, 'and', `${r(rd)},${r(rs1)},${imm}`);
    // The shift amount is 6 bits to objdump even on RV32 (bit 5 is funct7's low bit): a shift by
    // 32–63 is no RV32 instruction (the hart traps on it), but objdump prints it as one.
    case 1:
      if ((f7 & ~1) === 0) return result(4, 'sll', `${r(rd)},${r(rs1)},0x${hexNumber(rs2 | ((f7 & 1) << 5))}`);
      return bitmanipImm(rd, f3, rs1, rs2, f7);
    case 5:
      if ((f7 & ~1) === 0) return result(4, 'srl', `${r(rd)},${r(rs1)},0x${hexNumber(rs2 | ((f7 & 1) << 5))}`);
      if ((f7 & ~1) === 0x20) return result(4, 'sra', `${r(rd)},${r(rs1)},0x${hexNumber(rs2 | ((f7 & 1) << 5))}`);
      return bitmanipImm(rd, f3, rs1, rs2, f7);
  }
  return undefined;
}

/** Zbb's unary instructions by the rs2 field (OP-IMM, funct3 1, funct7 0x30); 3 is reserved. */
const UNARY_BITMANIP: readonly string[] = ['clz', 'ctz', 'cpop', '', 'sext.b', 'sext.h'];

/**
 * Zbb/Zbs in OP-IMM (RV32). Like objdump, the immediate forms print under the register form's
 * name (rori as ror, bclri as bclr, …) with a hex immediate, and objdump matches them with a
 * 6-bit shift amount even on RV32 (a hart takes shift amounts of 32 and more as illegal).
 */
function bitmanipImm(rd: number, f3: number, rs1: number, rs2: number, f7: number): DisassembledInstruction | undefined {
  const unary = (name: string) => result(4, name, `${r(rd)},${r(rs1)}`);
  const f6 = f7 >>> 1;
  const immediate = (name: string) => result(4, name, `${r(rd)},${r(rs1)},0x${hexNumber(((f7 & 1) << 5) | rs2)}`);
  if (f3 === 1) {
    if (f7 === 0x30) {
      const name = UNARY_BITMANIP[rs2];
      return name === undefined || name === '' ? undefined : unary(name);
    }
    if (f6 === 0x12) return immediate('bclr');
    if (f6 === 0x1a) return immediate('binv');
    if (f6 === 0x0a) return immediate('bset');
    return undefined;
  }
  if (f7 === 0x14 && rs2 === 7) return unary('orc.b');
  if (f7 === 0x34 && rs2 === 24) return unary('rev8');
  if (f6 === 0x18) return immediate('ror');
  if (f6 === 0x12) return immediate('bext');
  return undefined;
}

/** Zba/Zbb/Zbc/Zbs in OP: funct7 and funct3 → name (zext.h, which needs rs2 = zero, is separate). */
const BITMANIP_OPS: ReadonlyMap<number, string> = new Map([
  [(0x10 << 3) | 2, 'sh1add'], [(0x10 << 3) | 4, 'sh2add'], [(0x10 << 3) | 6, 'sh3add'],
  [(0x20 << 3) | 7, 'andn'], [(0x20 << 3) | 6, 'orn'], [(0x20 << 3) | 4, 'xnor'],
  [(0x05 << 3) | 1, 'clmul'], [(0x05 << 3) | 2, 'clmulr'], [(0x05 << 3) | 3, 'clmulh'],
  [(0x05 << 3) | 4, 'min'], [(0x05 << 3) | 5, 'minu'], [(0x05 << 3) | 6, 'max'], [(0x05 << 3) | 7, 'maxu'],
  [(0x30 << 3) | 1, 'rol'], [(0x30 << 3) | 5, 'ror'],
  [(0x24 << 3) | 1, 'bclr'], [(0x24 << 3) | 5, 'bext'], [(0x34 << 3) | 1, 'binv'], [(0x14 << 3) | 1, 'bset'],
]);

function op(rd: number, f3: number, rs1: number, rs2: number, f7: number): DisassembledInstruction | undefined {
  const three = (name: string) => result(4, name, `${r(rd)},${r(rs1)},${r(rs2)}`);
  if (f7 === 0) {
    if (f3 === 3 && rs1 === X0) return result(4, 'snez', `${r(rd)},${r(rs2)}`);
    if (f3 === 2 && rs2 === X0) return result(4, 'sltz', `${r(rd)},${r(rs1)}`);
    if (f3 === 2 && rs1 === X0) return result(4, 'sgtz', `${r(rd)},${r(rs2)}`);
    return three(['add', 'sll', 'slt', 'sltu', 'xor', 'srl', 'or', 'and'][f3]);
  }
  if (f7 === 0x20) {
    if (f3 === 0) return rs1 === X0 ? result(4, 'neg', `${r(rd)},${r(rs2)}`) : three('sub');
    if (f3 === 5) return three('sra');
  }
  if (f7 === 1) return three(['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'][f3]);
  if (f7 === 0x04 && f3 === 4 && rs2 === X0) return result(4, 'zext.h', `${r(rd)},${r(rs1)}`);
  const bitmanip = BITMANIP_OPS.get((f7 << 3) | f3);
  return bitmanip === undefined ? undefined : three(bitmanip);
}

/** fence: `fence` for iorw,iorw, else its predecessor and successor sets (an empty set is "unknown", as objdump says). */
function fence(raw: number): DisassembledInstruction {
  const fm = raw >>> 28;
  const pred = (raw >>> 24) & 15;
  const succ = (raw >>> 20) & 15;
  if (fm === 8 && pred === 3 && succ === 3) return result(4, 'fence.tso');
  if (fm === 0 && pred === 15 && succ === 15) return result(4, 'fence');
  const set = (bits: number) => (bits & 8 ? 'i' : '') + (bits & 4 ? 'o' : '') + (bits & 2 ? 'r' : '') + (bits & 1 ? 'w' : '') || 'unknown';
  return result(4, 'fence', `${set(pred)},${set(succ)}`);
}

/** Counter CSRs read with rd, 0 as rdcycle & co. */
const COUNTER_READS: ReadonlyMap<number, string> = new Map([
  [0xc00, 'rdcycle'],
  [0xc01, 'rdtime'],
  [0xc02, 'rdinstret'],
  [0xc80, 'rdcycleh'],
  [0xc81, 'rdtimeh'],
  [0xc82, 'rdinstreth'],
]);

function system(raw: number, rd: number, f3: number, rs1: number, rs2: number, f7: number, context: DisassemblyContext): DisassembledInstruction | undefined {
  const named = SYSTEM_WORDS.get(raw);
  if (named !== undefined) return result(4, named);
  if (f3 === 0) {
    if (f7 === 0x09 && rd === X0) {
      if (rs1 === X0 && rs2 === X0) return result(4, 'sfence.vma');
      return result(4, 'sfence.vma', rs2 === X0 ? r(rs1) : `${r(rs1)},${r(rs2)}`);
    }
    return undefined;
  }
  if (f3 === 4) return undefined;
  const csr = raw >>> 20;
  if (context.singleFloat) {
    const floatCsr = floatCsrAccess(csr, rd, f3, rs1);
    if (floatCsr !== undefined) return floatCsr;
  }
  const name = context.csrName(csr);
  const immediate = f3 >= 5;
  const source = immediate ? String(rs1) : r(rs1);
  const kind = ['', 'w', 's', 'c'][f3 & 3]; // csrrw / csrrs / csrrc
  if (!immediate && kind === 's' && rs1 === X0) {
    const counter = COUNTER_READS.get(csr);
    if (counter !== undefined) return result(4, counter, r(rd));
    return result(4, 'csrr', `${r(rd)},${name}`);
  }
  if (rd === X0) return result(4, `csr${kind}`, `${name},${source}`);
  return result(4, `csrr${kind}`, `${r(rd)},${name},${source}`);
}

function amo(raw: number, rd: number, f3: number, rs1: number, rs2: number): DisassembledInstruction | undefined {
  if (f3 !== 2) return undefined;
  const f5 = raw >>> 27;
  const ordering = ['', '.rl', '.aq', '.aqrl'][(raw >>> 25) & 3];
  if (f5 === 0x02) return rs2 === X0 ? result(4, `lr.w${ordering}`, `${r(rd)},(${r(rs1)})`) : undefined;
  const names: Record<number, string> = { 0x03: 'sc.w', 0x01: 'amoswap.w', 0x00: 'amoadd.w', 0x04: 'amoxor.w', 0x0c: 'amoand.w', 0x08: 'amoor.w', 0x10: 'amomin.w', 0x14: 'amomax.w', 0x18: 'amominu.w', 0x1c: 'amomaxu.w' };
  const name = names[f5];
  if (name === undefined) return undefined;
  return result(4, `${name}${ordering}`, `${r(rd)},${r(rs2)},(${r(rs1)})`);
}

// ---- F and D -------------------------------------------------------------------------------

const f = (n: number): string => FLOAT_ABI_NAMES[n];

/** The dynamic rounding mode (use frm): objdump leaves it out. */
const RM_DYNAMIC = 7;
/** Rounding-mode suffixes by rm; 5 and 6 are reserved, which objdump prints as "unknown". */
const ROUNDING_MODES: readonly string[] = ['rne', 'rtz', 'rdn', 'rup', 'rmm', 'unknown', 'unknown'];

/** The operand objdump appends for an instruction's rm field: nothing for dyn, else ",rtz" and so on. */
function roundingSuffix(rm: number): string {
  return rm === RM_DYNAMIC ? '' : `,${ROUNDING_MODES[rm]}`;
}

/** The format field (fmt) of OP-FP and the fused multiply-adds. */
const FMT_SINGLE = 0;
const FMT_DOUBLE = 1;

/** ".s"/".d" for a format the listing decodes; undefined for H, Q and for D in an F-only image. */
function formatSuffix(fmt: number, context: DisassemblyContext): string | undefined {
  if (fmt === FMT_SINGLE && context.singleFloat) return '.s';
  if (fmt === FMT_DOUBLE && context.doubleFloat) return '.d';
  return undefined;
}

/** flw/fld/fsw/fsd (funct3 2 is the word, 3 the doubleword; the others are vector accesses). */
function floatLoadStore(
  opcode: number, rd: number, f3: number, rs1: number, rs2: number, immI: number, immS: number, context: DisassemblyContext,
): DisassembledInstruction | undefined {
  const width = f3 === 2 && context.singleFloat ? 'w' : f3 === 3 && context.doubleFloat ? 'd' : undefined;
  if (width === undefined) return undefined;
  if (opcode === OPCODE.LOAD_FP) return result(4, `fl${width}`, `${f(rd)},${immI}(${r(rs1)})`, { reference: context.resolve(rs1, immI) });
  return result(4, `fs${width}`, `${f(rs2)},${immS}(${r(rs1)})`, { reference: context.resolve(rs1, immS) });
}

const FUSED_NAMES: ReadonlyMap<number, string> = new Map([
  [OPCODE.MADD, 'fmadd'], [OPCODE.MSUB, 'fmsub'], [OPCODE.NMSUB, 'fnmsub'], [OPCODE.NMADD, 'fnmadd'],
]);

/** fmadd/fmsub/fnmsub/fnmadd: rs3 in bits 31:27, the format in bits 26:25. */
function fusedMultiplyAdd(raw: number, opcode: number, rd: number, rm: number, rs1: number, rs2: number, context: DisassemblyContext): DisassembledInstruction | undefined {
  const suffix = formatSuffix((raw >>> 25) & 3, context);
  if (suffix === undefined) return undefined;
  const rs3 = raw >>> 27;
  return result(4, `${FUSED_NAMES.get(opcode)}${suffix}`, `${f(rd)},${f(rs1)},${f(rs2)},${f(rs3)}${roundingSuffix(rm)}`);
}

/** OP-FP's funct5 (funct7 bits 6:2); the low two bits are the format. */
const FP_FUNCT5 = {
  ADD: 0x00, SUB: 0x01, MUL: 0x02, DIV: 0x03, SGNJ: 0x04, MINMAX: 0x05, CVT_FP_FP: 0x08, SQRT: 0x0b,
  COMPARE: 0x14, CVT_INT_FROM_FP: 0x18, CVT_FP_FROM_INT: 0x1a, MV_X_CLASS: 0x1c, MV_FROM_X: 0x1e,
} as const;

const ARITHMETIC_NAMES: readonly string[] = ['fadd', 'fsub', 'fmul', 'fdiv'];

/**
 * OP-FP. The rm field is a rounding mode for arithmetic and conversions that can round (printed
 * as objdump does: omitted when dyn), and selects the operation elsewhere. objdump 2.40 matches
 * fcvt.d.s, fcvt.d.w and fcvt.d.wu (exact conversions) only with rm = 0, and the sign injections
 * with rs1 = rs2 as fmv/fneg/fabs.
 */
function opFp(rd: number, rm: number, rs1: number, rs2: number, f7: number, context: DisassemblyContext): DisassembledInstruction | undefined {
  const fmt = f7 & 3;
  const suffix = formatSuffix(fmt, context);
  if (suffix === undefined) return undefined;
  const rounding = roundingSuffix(rm);
  switch (f7 >>> 2) {
    case FP_FUNCT5.ADD:
    case FP_FUNCT5.SUB:
    case FP_FUNCT5.MUL:
    case FP_FUNCT5.DIV:
      return result(4, `${ARITHMETIC_NAMES[f7 >>> 2]}${suffix}`, `${f(rd)},${f(rs1)},${f(rs2)}${rounding}`);
    case FP_FUNCT5.SQRT:
      return rs2 === 0 ? result(4, `fsqrt${suffix}`, `${f(rd)},${f(rs1)}${rounding}`) : undefined;
    case FP_FUNCT5.SGNJ: {
      if (rm > 2) return undefined;
      if (rs1 === rs2) return result(4, `${['fmv', 'fneg', 'fabs'][rm]}${suffix}`, `${f(rd)},${f(rs1)}`);
      return result(4, `${['fsgnj', 'fsgnjn', 'fsgnjx'][rm]}${suffix}`, `${f(rd)},${f(rs1)},${f(rs2)}`);
    }
    case FP_FUNCT5.MINMAX:
      return rm > 1 ? undefined : result(4, `${['fmin', 'fmax'][rm]}${suffix}`, `${f(rd)},${f(rs1)},${f(rs2)}`);
    case FP_FUNCT5.CVT_FP_FP:
      // fmt is the destination's format, rs2 the source's.
      if (!context.doubleFloat) return undefined;
      if (fmt === FMT_SINGLE && rs2 === FMT_DOUBLE) return result(4, 'fcvt.s.d', `${f(rd)},${f(rs1)}${rounding}`);
      if (fmt === FMT_DOUBLE && rs2 === FMT_SINGLE && rm === 0) return result(4, 'fcvt.d.s', `${f(rd)},${f(rs1)}`);
      return undefined;
    case FP_FUNCT5.COMPARE: {
      const name = ['fle', 'flt', 'feq'][rm];
      return name === undefined ? undefined : result(4, `${name}${suffix}`, `${r(rd)},${f(rs1)},${f(rs2)}`);
    }
    case FP_FUNCT5.CVT_INT_FROM_FP:
      if (rs2 > 1) return undefined;
      return result(4, `fcvt.${rs2 === 0 ? 'w' : 'wu'}${suffix}`, `${r(rd)},${f(rs1)}${rounding}`);
    case FP_FUNCT5.CVT_FP_FROM_INT: {
      if (rs2 > 1) return undefined;
      const name = `fcvt${suffix}.${rs2 === 0 ? 'w' : 'wu'}`;
      if (fmt === FMT_DOUBLE) return rm === 0 ? result(4, name, `${f(rd)},${r(rs1)}`) : undefined;
      return result(4, name, `${f(rd)},${r(rs1)}${rounding}`);
    }
    case FP_FUNCT5.MV_X_CLASS:
      if (rs2 !== 0) return undefined;
      if (rm === 1) return result(4, `fclass${suffix}`, `${r(rd)},${f(rs1)}`);
      // fmv.x.d moves 64 bits into an integer register: RV64 only.
      return rm === 0 && fmt === FMT_SINGLE ? result(4, 'fmv.x.w', `${r(rd)},${f(rs1)}`) : undefined;
    case FP_FUNCT5.MV_FROM_X:
      return rs2 === 0 && rm === 0 && fmt === FMT_SINGLE ? result(4, 'fmv.w.x', `${f(rd)},${r(rs1)}`) : undefined;
  }
  return undefined;
}

/** The floating-point CSRs and the stem of their pseudo-instructions (frflags, fsrm, frcsr …). */
const FLOAT_CSR_STEMS: ReadonlyMap<number, string> = new Map([
  [0x001, 'flags'], // fflags
  [0x002, 'rm'], // frm
  [0x003, 'csr'], // fcsr
]);
const FCSR = 0x003;

/**
 * objdump's pseudo-instructions for the floating-point CSRs: a read (csrrs rd, csr, zero) is
 * fr…, a swap (csrrw) fs… (rd left out when it is zero), and an immediate swap of fflags or frm
 * fs…i (binutils lists the form with rd first, so it prints "fsflagsi zero,5"). Anything else
 * prints as the CSR instruction.
 */
function floatCsrAccess(csr: number, rd: number, f3: number, rs1: number): DisassembledInstruction | undefined {
  const stem = FLOAT_CSR_STEMS.get(csr);
  if (stem === undefined) return undefined;
  const CSRRW = 1;
  const CSRRS = 2;
  const CSRRWI = 5;
  if (f3 === CSRRW) return result(4, `fs${stem}`, rd === X0 ? r(rs1) : `${r(rd)},${r(rs1)}`);
  if (f3 === CSRRS && rs1 === X0) return result(4, `fr${stem}`, r(rd));
  if (f3 === CSRRWI && csr !== FCSR) return result(4, `fs${stem}i`, `${r(rd)},${rs1}`);
  return undefined;
}

function disassemble16(raw: number, pc: number, context: DisassemblyContext): DisassembledInstruction {
  const quadrant = raw & 3;
  const f3 = raw >>> 13;
  const rdFull = (raw >>> 7) & 31;
  const rs2Full = (raw >>> 2) & 31;
  const rdP = ((raw >>> 7) & 7) + 8;
  const rs2P = ((raw >>> 2) & 7) + 8;
  const bit12 = (raw >>> 12) & 1;
  const imm6 = (((bit12 << 5) | rs2Full) << 26) >> 26;
  const lwOffset = ((raw >>> 7) & 0x38) | ((raw >>> 4) & 0x4) | ((raw << 1) & 0x40);
  const lwspOffset = (bit12 << 5) | (((raw >>> 4) & 7) << 2) | (((raw >>> 2) & 3) << 6);
  const swspOffset = (((raw >>> 9) & 0xf) << 2) | (((raw >>> 7) & 3) << 6);
  if (raw === 0) return result(2, 'unimp');
  switch (quadrant) {
    case 0:
      switch (f3) {
        case 0: {
          const imm = ((raw >>> 7) & 0x30) | ((raw >>> 1) & 0x3c0) | ((raw >>> 4) & 0x4) | ((raw >>> 2) & 0x8);
          if (imm === 0) break;
          return result(2, 'add', `${r(rs2P)},sp,${imm}`);
        }
        case 2:
          return result(2, 'lw', `${r(rs2P)},${lwOffset}(${r(rdP)})`);
        case 6:
          return result(2, 'sw', `${r(rs2P)},${lwOffset}(${r(rdP)})`);
        // c.flw/c.fsw (RV32 only) and c.fld/c.fsd: objdump decodes them when the image has F, D.
        case 3:
        case 7:
          if (!context.singleFloat) break;
          return result(2, f3 === 3 ? 'flw' : 'fsw', `${f(rs2P)},${lwOffset}(${r(rdP)})`);
        case 1:
        case 5: {
          if (!context.doubleFloat) break;
          const offset = ((raw >>> 7) & 0x38) | ((raw << 1) & 0xc0);
          return result(2, f3 === 1 ? 'fld' : 'fsd', `${f(rs2P)},${offset}(${r(rdP)})`);
        }
      }
      break;
    case 1:
      switch (f3) {
        case 0:
          if (rdFull === X0) return imm6 === 0 ? result(2, 'nop') : unknown(raw, 2);
          return result(2, 'add', `${r(rdFull)},${r(rdFull)},${imm6}`, { reference: context.resolve(rdFull, imm6) });
        case 1:
        case 5: {
          const target = (pc + cjImmediate(raw)) >>> 0;
          return result(2, f3 === 1 ? 'jal' : 'j', hexNumber(target), { target });
        }
        case 2:
          if (rdFull === X0) break;
          return result(2, 'li', `${r(rdFull)},${imm6}`);
        case 3:
          if (rdFull === SP) {
            const imm =
              (((bit12 << 9) | (((raw >>> 6) & 1) << 4) | (((raw >>> 5) & 1) << 6) | (((raw >>> 3) & 3) << 7) | (((raw >>> 2) & 1) << 5)) << 22) >> 22;
            if (imm === 0) break;
            return result(2, 'add', `sp,sp,${imm}`);
          }
          if (imm6 === 0 || rdFull === X0) break;
          context.setHigh(rdFull, imm6 << 12);
          return result(2, 'lui', `${r(rdFull)},0x${hexNumber(imm6 & 0xfffff)}`);
        case 4: {
          const f2 = (raw >>> 10) & 3;
          if (f2 === 0 || f2 === 1) {
            if (bit12 !== 0) break;
            return result(2, f2 === 0 ? 'srl' : 'sra', `${r(rdP)},${r(rdP)},0x${hexNumber(rs2Full)}`);
          }
          if (f2 === 2) return result(2, 'and', `${r(rdP)},${r(rdP)},${imm6}`);
          if (bit12 !== 0) break;
          return result(2, ['sub', 'xor', 'or', 'and'][(raw >>> 5) & 3], `${r(rdP)},${r(rdP)},${r(rs2P)}`);
        }
        case 6:
        case 7: {
          const offset =
            (((bit12 << 8) | (((raw >>> 10) & 3) << 3) | (((raw >>> 5) & 3) << 6) | (((raw >>> 3) & 3) << 1) | (((raw >>> 2) & 1) << 5)) << 23) >> 23;
          const target = (pc + offset) >>> 0;
          return result(2, f3 === 6 ? 'beqz' : 'bnez', `${r(rdP)},${hexNumber(target)}`, { target });
        }
      }
      break;
    case 2:
      switch (f3) {
        case 0:
          if (bit12 !== 0 || rdFull === X0) break;
          return result(2, 'sll', `${r(rdFull)},${r(rdFull)},0x${hexNumber(rs2Full)}`);
        case 2: {
          if (rdFull === X0) break;
          return result(2, 'lw', `${r(rdFull)},${lwspOffset}(sp)`);
        }
        case 3: // c.flwsp: unlike c.lwsp, any destination
          if (!context.singleFloat) break;
          return result(2, 'flw', `${f(rdFull)},${lwspOffset}(sp)`);
        case 1: {
          if (!context.doubleFloat) break;
          const offset = (bit12 << 5) | (((raw >>> 5) & 3) << 3) | (((raw >>> 2) & 7) << 6);
          return result(2, 'fld', `${f(rdFull)},${offset}(sp)`);
        }
        case 4:
          if (bit12 === 0) {
            if (rs2Full === X0) {
              if (rdFull === X0) break;
              return rdFull === RA ? result(2, 'ret') : result(2, 'jr', r(rdFull));
            }
            if (rdFull === X0) break;
            return result(2, 'mv', `${r(rdFull)},${r(rs2Full)}`);
          }
          if (rs2Full === X0) return rdFull === X0 ? result(2, 'ebreak') : result(2, 'jalr', r(rdFull));
          if (rdFull === X0) break;
          return result(2, 'add', `${r(rdFull)},${r(rdFull)},${r(rs2Full)}`);
        case 6:
          return result(2, 'sw', `${r(rs2Full)},${swspOffset}(sp)`);
        case 7:
          if (!context.singleFloat) break;
          return result(2, 'fsw', `${f(rs2Full)},${swspOffset}(sp)`);
        case 5: {
          if (!context.doubleFloat) break;
          const offset = (((raw >>> 10) & 7) << 3) | (((raw >>> 7) & 7) << 6);
          return result(2, 'fsd', `${f(rs2Full)},${offset}(sp)`);
        }
      }
      break;
  }
  return unknown(raw, 2);
}

/** Finds the symbol objdump would name for an address: `<name>` or `<name+0x10>`. */
export type Symbolizer = (address: number) => string | undefined;

/**
 * The instruction as objdump prints it: mnemonic, a tab, operands; a target followed by its
 * symbol, and a formed address as a comment (`# 80001000 <buffer>`).
 */
export function formatInstruction(insn: DisassembledInstruction, symbolize: Symbolizer = () => undefined): string {
  let text = insn.operands === '' ? insn.mnemonic : `${insn.mnemonic}\t${insn.operands}`;
  if (insn.target !== undefined) {
    const label = symbolize(insn.target);
    if (label !== undefined) text += ` <${label}>`;
  }
  if (insn.reference !== undefined) {
    const label = symbolize(insn.reference);
    text += ` # ${hexNumber(insn.reference)}${label !== undefined ? ` <${label}>` : ''}`;
  }
  return text;
}

/** The instruction's bytes as objdump shows them: one 32-bit or 16-bit hex number. */
export function formatInstructionBytes(raw: number, length: 2 | 4): string {
  return length === 4 ? (raw >>> 0).toString(16).padStart(8, '0') : (raw & 0xffff).toString(16).padStart(4, '0');
}
