// The RV32IMAC backend: parses RV32I/M/A, Zicsr, Zifencei and privileged instructions and GNU as's
// pseudo-instructions, expands them as GNU as does, compresses to the C extension where GNU as does
// (when `.option rvc` is on), and relaxes branches and jumps to labels in the same section.

import type { AsmBackend, AsmInstruction, EncodeContext, InstructionStatement, LayoutContext, ParseContext } from '../backend.ts';
import { AsmError, type SourceSpan } from '../diagnostics.ts';
import { spanOf, type Expr } from '../expr.ts';
import type { Token } from '../lexer.ts';
import { csrNames } from '../../engine/cpu/riscv/csr-names.ts';
import { compress } from './compress.ts';
import { OP, bType, cbOffset, cjOffset, fitsSigned, hi20, iType, isCReg, jType, lo12, rType, sType, uType, wordBytes } from './encoding.ts';

const EM_RISCV = 243;
const EF_RISCV_RVC = 0x1;
const NOP = 0x00000013;
const C_NOP = 0x0001;

export interface RiscvExtensions {
  compressed: boolean;
  multiply: boolean;
  atomic: boolean;
}

const ABI_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];
const REGISTERS: ReadonlyMap<string, number> = new Map([
  ...ABI_NAMES.map((name, i) => [name, i] as const),
  ...Array.from({ length: 32 }, (_, i) => [`x${i}`, i] as const),
  ['fp', 8],
]);
const CSR_NUMBERS: ReadonlyMap<string, number> = new Map([...csrNames('1.12')].map(([n, name]) => [name, n]));

const R_OPS: Record<string, [f7: number, f3: number]> = {
  add: [0, 0], sub: [0x20, 0], sll: [0, 1], slt: [0, 2], sltu: [0, 3], xor: [0, 4], srl: [0, 5], sra: [0x20, 5], or: [0, 6], and: [0, 7],
};
const M_OPS: Record<string, number> = { mul: 0, mulh: 1, mulhsu: 2, mulhu: 3, div: 4, divu: 5, rem: 6, remu: 7 };
const I_OPS: Record<string, number> = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 };
const SHIFT_OPS: Record<string, [f7: number, f3: number]> = { slli: [0, 1], srli: [0, 5], srai: [0x20, 5] };
/** R-type mnemonics GNU as also accepts with an immediate (`add a0, a0, 1` is addi). */
const R_WITH_IMMEDIATE: Record<string, string> = { add: 'addi', and: 'andi', or: 'ori', xor: 'xori', slt: 'slti', sltu: 'sltiu', sll: 'slli', srl: 'srli', sra: 'srai' };
const LOADS: Record<string, number> = { lb: 0, lh: 1, lw: 2, lbu: 4, lhu: 5 };
const STORES: Record<string, number> = { sb: 0, sh: 1, sw: 2 };
const BRANCHES: Record<string, number> = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 };
/** Branch pseudo-instructions: [real branch, swap operands]. */
const SWAPPED_BRANCHES: Record<string, [string, boolean]> = { bgt: ['blt', true], ble: ['bge', true], bgtu: ['bltu', true], bleu: ['bgeu', true] };
const ZERO_BRANCHES: Record<string, [string, 'rs1' | 'rs2']> = {
  beqz: ['beq', 'rs1'], bnez: ['bne', 'rs1'], blez: ['bge', 'rs2'], bgez: ['bge', 'rs1'], bltz: ['blt', 'rs1'], bgtz: ['blt', 'rs2'],
};
const CSR_OPS: Record<string, number> = { csrrw: 1, csrrs: 2, csrrc: 3, csrrwi: 5, csrrsi: 6, csrrci: 7 };
const CSR_PSEUDO: Record<string, number> = { csrw: 1, csrs: 2, csrc: 3, csrwi: 5, csrsi: 6, csrci: 7 };
const COUNTER_READS: Record<string, string> = { rdcycle: 'cycle', rdtime: 'time', rdinstret: 'instret', rdcycleh: 'cycleh', rdtimeh: 'timeh', rdinstreth: 'instreth' };
const AMO_OPS: Record<string, number> = {
  'amoadd.w': 0x00, 'amoswap.w': 0x01, 'lr.w': 0x02, 'sc.w': 0x03, 'amoxor.w': 0x04, 'amoor.w': 0x08, 'amoand.w': 0x0c,
  'amomin.w': 0x10, 'amomax.w': 0x14, 'amominu.w': 0x18, 'amomaxu.w': 0x1c,
};
const FIXED: Record<string, number> = {
  ecall: 0x00000073, ebreak: 0x00100073, mret: 0x30200073, sret: 0x10200073, wfi: 0x10500073, 'fence.i': 0x0000100f, 'fence.tso': 0x8330000f,
  uret: 0x00200073, scall: 0x00000073, sbreak: 0x00100073,
};
const FENCE_BITS: Record<string, number> = { i: 8, o: 4, r: 2, w: 1 };

type Word =
  | { size: 2 | 4; value: number }
  | { size: 4; compute: (ctx: EncodeContext, wordAddress: number) => number };

/** A sequence of instruction words of fixed size (possibly computed at encode time). */
class FixedInstruction implements AsmInstruction {
  constructor(
    private readonly words: Word[],
    /** For `auipc rd, %pcrel_hi(sym)`: sym, which %pcrel_lo(label-of-this) refers to. */
    readonly pcrelHiTarget?: Expr,
  ) {}
  size(): number {
    return this.words.reduce((n, w) => n + w.size, 0);
  }
  encode(ctx: EncodeContext): Uint8Array {
    let address = ctx.address;
    const values = this.words.map((w) => {
      const value = 'value' in w ? w.value : w.compute(ctx, address);
      address += w.size;
      return { size: w.size, value };
    });
    return wordBytes(values);
  }
}

/** A branch or jal to a label: GNU as picks the shortest form that reaches (c.beqz/c.j, then 4 bytes, then an inverted branch over a jal). */
class RelaxedJump implements AsmInstruction {
  constructor(
    private readonly kind: 'branch' | 'jal',
    private readonly f3: number,
    private readonly rs1: number,
    private readonly rs2: number,
    private readonly rd: number,
    private readonly target: Expr,
    /** c.beqz/c.bnez/c.j/c.jal fit the registers and RVC is on. */
    private readonly compressible: boolean,
  ) {}

  size(layout: LayoutContext): number {
    if (!layout.inSameSection(this.target)) return 4;
    const target = layout.value(this.target);
    if (target === undefined) return 4;
    const offset = (target - layout.address) | 0;
    if (this.compressible && fitsSigned(offset, this.kind === 'branch' ? 9 : 12)) return 2;
    // Too far for a branch: the inverted branch (compressed when it can be) jumps over a jal.
    if (this.kind === 'branch' && !fitsSigned(offset, 13)) return this.compressible ? 6 : 8;
    return 4;
  }

  encode(ctx: EncodeContext, size: number): Uint8Array {
    const offset = (ctx.require(this.target) - ctx.address) | 0;
    if (offset % 2 !== 0) throw new AsmError(this.target, `the target is not 2-byte aligned (offset ${offset})`, 'instructions start at even addresses');
    if (size === 2) {
      if (this.kind === 'jal') return wordBytes([{ size: 2, value: (this.rd === 1 ? 0x2001 : 0xa001) | cjOffset(offset) }]);
      return wordBytes([{ size: 2, value: (this.f3 === 0 ? 0xc001 : 0xe001) | ((this.rs1 - 8) << 7) | cbOffset(offset) }]);
    }
    if (size === 6 || size === 8) {
      // Inverted branch over a jump: b!cond rs1, rs2, .+size; jal x0, target.
      const branchSize = size - 4;
      const jumpOffset = offset - branchSize;
      if (!fitsSigned(jumpOffset, 21)) throw outOfRange(this.target, jumpOffset, 'jal');
      const inverted = branchSize === 2
        ? { size: 2 as const, value: (this.f3 === 0 ? 0xe001 : 0xc001) | ((this.rs1 - 8) << 7) | cbOffset(size) }
        : { size: 4 as const, value: bType(size, this.rs2, this.rs1, this.f3 ^ 1) };
      return wordBytes([inverted, { size: 4, value: jType(jumpOffset, 0) }]);
    }
    if (this.kind === 'jal') {
      if (!fitsSigned(offset, 21)) throw outOfRange(this.target, offset, 'jal');
      return wordBytes([{ size: 4, value: jType(offset, this.rd) }]);
    }
    if (!fitsSigned(offset, 13)) throw outOfRange(this.target, offset, 'branch');
    return wordBytes([{ size: 4, value: bType(offset, this.rs2, this.rs1, this.f3) }]);
  }
}

function outOfRange(where: SourceSpan, offset: number, what: 'jal' | 'branch'): AsmError {
  return new AsmError(where, `${what} target is out of range (${offset} bytes away)`, what === 'jal' ? 'jal reaches ±1 MiB; use call/tail (auipc+jalr) for farther targets' : 'a conditional branch to another section reaches ±4 KiB');
}

interface Operands {
  statement: InstructionStatement;
  ctx: ParseContext;
}

export class RiscvBackend implements AsmBackend {
  readonly elfMachine = EM_RISCV;
  readonly elfFlags: number;
  readonly defaultTextAddress = 0x80000000;
  readonly maxPageSize = 0x1000;
  readonly lineCommentChars = '#';
  private rvc: boolean;
  private readonly rvcStack: boolean[] = [];

  constructor(private readonly extensions: RiscvExtensions) {
    this.rvc = extensions.compressed;
    this.elfFlags = extensions.compressed ? EF_RISCV_RVC : 0;
  }

  instructionAlignment(): number {
    return this.rvc ? 2 : 4;
  }

  codeFill(size: number): Uint8Array {
    // GNU as: an odd byte of zero, then a c.nop if 2 bytes remain to a 4-byte boundary, then nops.
    const out = new Uint8Array(size);
    let at = size % 2;
    if ((size - at) % 4 === 2) {
      out.set(wordBytes([{ size: 2, value: C_NOP }]), at);
      at += 2;
    }
    for (; at < size; at += 4) out.set(wordBytes([{ size: 4, value: NOP }]), at);
    return out;
  }

  directive(name: Token, operands: Token[][], span: SourceSpan): boolean {
    if (name.text !== '.option') return false;
    if (operands.length !== 1 || operands[0].length !== 1) throw new AsmError(span, '.option takes one word', '.option rvc | norvc | push | pop | relax | norelax');
    const option = operands[0][0];
    switch (option.text) {
      case 'rvc':
        if (!this.extensions.compressed) throw new AsmError(option, '.option rvc: the C extension is not in this --march', 'use --march rv32imac');
        this.rvc = true;
        return true;
      case 'norvc': this.rvc = false; return true;
      case 'push': this.rvcStack.push(this.rvc); return true;
      case 'pop': {
        const saved = this.rvcStack.pop();
        if (saved === undefined) throw new AsmError(option, '.option pop without .option push', undefined);
        this.rvc = saved;
        return true;
      }
      // The assembler is always -mno-relax (it links too): relax/norelax change nothing.
      case 'relax':
      case 'norelax':
      case 'pic':
      case 'nopic':
        return true;
      default:
        throw new AsmError(option, `unknown .option '${option.text}'`, 'supported: rvc, norvc, push, pop, relax, norelax');
    }
  }

  instruction(statement: InstructionStatement, ctx: ParseContext): AsmInstruction {
    const mnemonic = statement.mnemonic.text.toLowerCase();
    const ops: Operands = { statement, ctx };
    const result = this.parse(mnemonic, ops);
    if (!result) throw new AsmError(statement.mnemonic, `unknown instruction '${statement.mnemonic.text}'`, this.suggest(mnemonic));
    return result;
  }

  private suggest(mnemonic: string): string {
    if (M_OPS[mnemonic] !== undefined) return 'mul/div need the M extension: use --march rv32imac';
    if (AMO_OPS[mnemonic] !== undefined) return 'atomics need the A extension: use --march rv32imac';
    if (/^f(add|sub|mul|div|sqrt|min|max|mv|cvt|eq|lt|le|class|sgnj|n?madd|n?msub|l[wd]|s[wd])/.test(mnemonic)) return 'floating point (F/D) is not supported: BoardLab assembles RV32IMAC';
    return 'RV32IMAC instructions, Zicsr, fence/fence.i and GNU as pseudo-instructions (li, la, mv, call, ret, j, beqz…) are supported';
  }

  // ------------------------------------------------------------------ words

  /** A word known now: compressed when RVC is on and a 16-bit form exists. */
  private word(value: number): Word {
    if (this.rvc) {
      const c = compress(value);
      if (c !== undefined) return { size: 2, value: c };
    }
    return { size: 4, value };
  }

  private fixed(...words: Word[]): FixedInstruction {
    return new FixedInstruction(words);
  }

  // ------------------------------------------------------------------ operands

  private count(ops: Operands, ...allowed: number[]): void {
    const n = ops.statement.operands.length;
    if (!allowed.includes(n)) {
      throw new AsmError(ops.statement.span, `'${ops.statement.mnemonic.text}' takes ${allowed.join(' or ')} operand${allowed.length === 1 && allowed[0] === 1 ? '' : 's'}, not ${n}`, USAGE[ops.statement.mnemonic.text.toLowerCase()] ?? undefined);
    }
  }

  private reg(ops: Operands, index: number): number {
    const tokens = ops.statement.operands[index];
    const r = tokens.length === 1 ? REGISTERS.get(tokens[0].text.toLowerCase()) : undefined;
    if (r === undefined) throw new AsmError(spanOf(tokens[0], tokens[tokens.length - 1]), `expected a register, found '${tokens.map((t) => t.text).join('')}'`, 'registers: x0-x31 or zero ra sp gp tp t0-t6 s0-s11 a0-a7 fp');
    return r;
  }

  private isReg(ops: Operands, index: number): boolean {
    const tokens = ops.statement.operands[index];
    return tokens.length === 1 && REGISTERS.has(tokens[0].text.toLowerCase());
  }

  private expr(ops: Operands, index: number): Expr {
    const tokens = ops.statement.operands[index];
    return ops.ctx.expression(tokens, ops.statement.span);
  }

  /** `imm(reg)`, `(reg)`: the offset expression (undefined when absent) and the base register; undefined when not of that shape. */
  private memory(ops: Operands, index: number): { offset: Expr | undefined; base: number } | undefined {
    const tokens = ops.statement.operands[index];
    const n = tokens.length;
    if (n < 3 || tokens[n - 1].text !== ')' || tokens[n - 3].text !== '(') return undefined;
    const base = REGISTERS.get(tokens[n - 2].text.toLowerCase());
    if (base === undefined) {
      // `8(q9)` is a memory operand with a bad base register; `%lo(sym)` is a relocation, not a base.
      const relocation = n >= 5 && tokens[n - 5].text === '%';
      if (!relocation && tokens[n - 2].kind === 'ident') throw new AsmError(tokens[n - 2], `'${tokens[n - 2].text}' is not a register`, 'the base register goes in parentheses: 8(sp), 0(a0); registers: x0-x31 or zero ra sp gp tp t0-t6 s0-s11 a0-a7 fp');
      return undefined;
    }
    const offsetTokens = tokens.slice(0, n - 3);
    return { offset: offsetTokens.length > 0 ? ops.ctx.expression(offsetTokens, ops.statement.span) : undefined, base };
  }

  private csr(ops: Operands, index: number): number {
    const tokens = ops.statement.operands[index];
    if (tokens.length === 1 && tokens[0].kind === 'ident') {
      const n = CSR_NUMBERS.get(tokens[0].text.toLowerCase());
      if (n !== undefined) return n;
    }
    const value = ops.ctx.constant(this.expr(ops, index));
    if (value === undefined || value < 0 || value > 0xfff) throw new AsmError(tokens[0], `unknown CSR '${tokens.map((t) => t.text).join('')}'`, 'use a CSR name (mstatus, mtvec, mepc, mcause, mie, mip, mscratch, mhartid…) or a number 0-0xfff');
    return value;
  }

  // ------------------------------------------------------------------ immediates

  /** A 12-bit signed immediate (I or S type): a constant, %lo(sym) or %pcrel_lo(label). */
  private immediate12(expr: Expr, what: string): (ctx: EncodeContext, wordAddress: number) => number {
    if (expr.kind === 'reloc') {
      if (expr.fn === 'lo') return (ctx) => lo12(ctx.require(expr.arg));
      if (expr.fn === 'pcrel_lo') return (ctx) => this.pcrelLo(expr, ctx);
      throw new AsmError(expr, `%${expr.fn} cannot be the immediate of ${what}`, `use %lo(sym) or %pcrel_lo(label) here; %${expr.fn} goes with ${expr.fn === 'hi' ? 'lui' : 'auipc'}`);
    }
    return (ctx) => {
      const value = ctx.require(expr);
      if (!fitsSigned(value, 12)) throw new AsmError(expr, `immediate ${value} is out of range for ${what} (-2048..2047)`, 'use li to load larger constants into a register');
      return value;
    };
  }

  private pcrelLo(expr: Expr & { kind: 'reloc' }, ctx: EncodeContext): number {
    const label = ctx.require(expr.arg);
    const auipc = ctx.instructionAt(label);
    const target = auipc instanceof FixedInstruction ? auipc.pcrelHiTarget : undefined;
    if (!target) throw new AsmError(expr.arg, '%pcrel_lo must name the label of an auipc with %pcrel_hi', 'write: 1: auipc a0, %pcrel_hi(sym) then addi a0, a0, %pcrel_lo(1b)');
    return lo12(ctx.require(target) - label);
  }

  /** A 20-bit upper immediate: a constant 0..0xfffff, %hi(sym) or %pcrel_hi(sym). */
  private immediate20(expr: Expr, what: string): (ctx: EncodeContext, wordAddress: number) => number {
    if (expr.kind === 'reloc') {
      if (expr.fn === 'hi') return (ctx) => hi20(ctx.require(expr.arg));
      if (expr.fn === 'pcrel_hi') return (ctx, address) => hi20(ctx.require(expr.arg) - address);
      throw new AsmError(expr, `%${expr.fn} cannot be the immediate of ${what}`, 'lui takes %hi(sym); auipc takes %pcrel_hi(sym)');
    }
    return (ctx) => {
      const value = ctx.require(expr);
      if (value < 0 || value > 0xfffff) throw new AsmError(expr, `immediate ${value} is out of range for ${what} (0..0xfffff)`, `${what} takes the upper 20 bits: lui a0, 0x12345 sets a0 to 0x12345000`);
      return value;
    };
  }

  /** An I-type instruction: compressed now if the immediate is a constant, else computed at encode time. */
  private iInstruction(f3: number, rd: number, rs1: number, opcode: number, immExpr: Expr, what: string, compressible = true): Word {
    const imm = this.immediate12(immExpr, what);
    const constant = immExpr.kind === 'reloc' ? undefined : this.constantOf(immExpr);
    if (constant !== undefined) {
      if (!fitsSigned(constant, 12)) throw new AsmError(immExpr, `immediate ${constant} is out of range for ${what} (-2048..2047)`, 'use li to load larger constants into a register');
      const word = iType(constant, rs1, f3, rd, opcode);
      return compressible ? this.word(word) : { size: 4, value: word };
    }
    if (immExpr.kind !== 'reloc') throw notConstant(immExpr, what);
    return { size: 4, compute: (ctx, address) => iType(imm(ctx, address), rs1, f3, rd, opcode) };
  }

  private sInstruction(f3: number, rs2: number, rs1: number, immExpr: Expr, what: string): Word {
    const imm = this.immediate12(immExpr, what);
    const constant = immExpr.kind === 'reloc' ? undefined : this.constantOf(immExpr);
    if (constant !== undefined) {
      if (!fitsSigned(constant, 12)) throw new AsmError(immExpr, `offset ${constant} is out of range for ${what} (-2048..2047)`, 'add the high part to the base register first (lui/add)');
      return this.word(sType(constant, rs2, rs1, f3, OP.STORE));
    }
    if (immExpr.kind !== 'reloc') throw notConstant(immExpr, what);
    return { size: 4, compute: (ctx, address) => sType(imm(ctx, address), rs2, rs1, f3, OP.STORE) };
  }

  private currentCtx: ParseContext | undefined;
  private constantOf(expr: Expr): number | undefined {
    return this.currentCtx?.constant(expr);
  }

  // ------------------------------------------------------------------ the instructions

  private parse(m: string, ops: Operands): AsmInstruction | undefined {
    this.currentCtx = ops.ctx;
    const n = ops.statement.operands.length;
    if (R_OPS[m] || (M_OPS[m] !== undefined && this.extensions.multiply)) {
      this.count(ops, 3);
      if (R_OPS[m] && !this.isReg(ops, 2) && R_WITH_IMMEDIATE[m]) return this.parse(R_WITH_IMMEDIATE[m], ops);
      const [f7, f3] = R_OPS[m] ?? [1, M_OPS[m]];
      return this.fixed(this.word(rType(f7, this.reg(ops, 2), this.reg(ops, 1), f3, this.reg(ops, 0), OP.OP)));
    }
    if (I_OPS[m] !== undefined) {
      this.count(ops, 3);
      return this.fixed(this.iInstruction(I_OPS[m], this.reg(ops, 0), this.reg(ops, 1), OP.OP_IMM, this.expr(ops, 2), m));
    }
    if (SHIFT_OPS[m]) {
      this.count(ops, 3);
      const [f7, f3] = SHIFT_OPS[m];
      const shamtExpr = this.expr(ops, 2);
      const shamt = ops.ctx.constant(shamtExpr);
      if (shamt === undefined || shamt < 0 || shamt > 31) throw new AsmError(shamtExpr, `shift amount must be a constant 0..31`, `${m} a0, a0, 3`);
      return this.fixed(this.word(rType(f7, shamt, this.reg(ops, 1), f3, this.reg(ops, 0), OP.OP_IMM)));
    }
    if (LOADS[m] !== undefined) {
      this.count(ops, 2);
      const rd = this.reg(ops, 0);
      const mem = this.memory(ops, 1);
      if (mem) return this.fixed(this.iInstruction(LOADS[m], rd, mem.base, OP.LOAD, mem.offset ?? zero(ops), m));
      // lw rd, symbol: auipc rd, %pcrel_hi(symbol); lw rd, %pcrel_lo(symbol)(rd)
      return this.pcrelPair(this.expr(ops, 1), rd, (lo) => iType(lo, rd, LOADS[m], rd, OP.LOAD));
    }
    if (STORES[m] !== undefined) {
      this.count(ops, 2, 3);
      const rs2 = this.reg(ops, 0);
      if (n === 2) {
        const mem = this.memory(ops, 1);
        if (!mem) throw new AsmError(ops.statement.operands[1][0], `expected a memory operand such as 8(sp)`, `${m} a0, 8(sp), or ${m} a0, symbol, t0 (t0 is the scratch register for the address)`);
        return this.fixed(this.sInstruction(STORES[m], rs2, mem.base, mem.offset ?? zero(ops), m));
      }
      const scratch = this.reg(ops, 2);
      return this.pcrelPair(this.expr(ops, 1), scratch, (lo) => sType(lo, rs2, scratch, STORES[m], OP.STORE));
    }
    if (BRANCHES[m] !== undefined) {
      this.count(ops, 3);
      return this.branch(m, this.reg(ops, 0), this.reg(ops, 1), this.expr(ops, 2));
    }
    if (SWAPPED_BRANCHES[m]) {
      this.count(ops, 3);
      const [real] = SWAPPED_BRANCHES[m];
      return this.branch(real, this.reg(ops, 1), this.reg(ops, 0), this.expr(ops, 2));
    }
    if (ZERO_BRANCHES[m]) {
      this.count(ops, 2);
      const [real, position] = ZERO_BRANCHES[m];
      const r = this.reg(ops, 0);
      return position === 'rs1' ? this.branch(real, r, 0, this.expr(ops, 1)) : this.branch(real, 0, r, this.expr(ops, 1));
    }
    if (CSR_OPS[m] !== undefined) {
      this.count(ops, 3);
      return this.csrInstruction(CSR_OPS[m], this.reg(ops, 0), this.csr(ops, 1), ops, 2);
    }
    if (CSR_PSEUDO[m] !== undefined) {
      this.count(ops, 2);
      let f3 = CSR_PSEUDO[m];
      if (f3 < 4 && !this.isReg(ops, 1)) f3 += 4; // csrw mstatus, 8 is csrwi
      return this.csrInstruction(f3, 0, this.csr(ops, 0), ops, 1);
    }
    if (COUNTER_READS[m]) {
      this.count(ops, 1);
      return this.fixed(this.word(iType(CSR_NUMBERS.get(COUNTER_READS[m]) as number, 0, 2, this.reg(ops, 0), OP.SYSTEM)));
    }
    if (AMO_OPS[m.replace(/\.(aq|rl|aqrl)$/, '')] !== undefined && this.extensions.atomic) return this.atomic(m, ops);
    if (FIXED[m] !== undefined) {
      this.count(ops, 0);
      return this.fixed(this.word(FIXED[m]));
    }
    switch (m) {
      case 'lui':
      case 'auipc': {
        this.count(ops, 2);
        const rd = this.reg(ops, 0);
        const expr = this.expr(ops, 1);
        const opcode = m === 'lui' ? OP.LUI : OP.AUIPC;
        const constant = expr.kind === 'reloc' ? undefined : ops.ctx.constant(expr);
        if (constant !== undefined) {
          if (constant < 0 || constant > 0xfffff) throw new AsmError(expr, `immediate ${constant} is out of range for ${m} (0..0xfffff)`, `${m} takes the upper 20 bits: lui a0, 0x12345 sets a0 to 0x12345000`);
          return this.fixed(m === 'lui' ? this.word(uType(constant, rd, opcode)) : { size: 4, value: uType(constant, rd, opcode) });
        }
        const imm = this.immediate20(expr, m);
        return new FixedInstruction([{ size: 4, compute: (ctx, address) => uType(imm(ctx, address), rd, opcode) }], expr.kind === 'reloc' && expr.fn === 'pcrel_hi' ? expr.arg : undefined);
      }
      case 'jal': {
        this.count(ops, 1, 2);
        // GNU as shortens only `j label` (to c.j); jal keeps its 4 bytes, even as jal zero, label.
        if (n === 1) return this.jump(1, this.expr(ops, 0), false);
        return this.jump(this.reg(ops, 0), this.expr(ops, 1), false);
      }
      case 'j':
        this.count(ops, 1);
        return this.jump(0, this.expr(ops, 0), this.rvc);
      case 'jalr':
      case 'jr': {
        this.count(ops, 1, 2, 3);
        const defaultRd = m === 'jalr' ? 1 : 0;
        if (n === 1) {
          const mem = this.memory(ops, 0);
          if (mem) return this.fixed(this.iInstruction(0, defaultRd, mem.base, OP.JALR, mem.offset ?? zero(ops), m, false));
          return this.fixed(this.word(iType(0, this.reg(ops, 0), 0, defaultRd, OP.JALR)));
        }
        if (n === 2) {
          const mem = this.memory(ops, 1);
          if (mem) return this.fixed(this.iInstruction(0, this.reg(ops, 0), mem.base, OP.JALR, mem.offset ?? zero(ops), m, false));
          if (m === 'jr') return this.fixed(this.iInstruction(0, 0, this.reg(ops, 0), OP.JALR, this.expr(ops, 1), m, false));
          return this.fixed({ size: 4, value: iType(0, this.reg(ops, 1), 0, this.reg(ops, 0), OP.JALR) });
        }
        // GNU as compresses only the one-register forms (jalr rs, jr rs, ret).
        return this.fixed(this.iInstruction(0, this.reg(ops, 0), this.reg(ops, 1), OP.JALR, this.expr(ops, 2), m, false));
      }
      case 'ret':
        this.count(ops, 0);
        return this.fixed(this.word(iType(0, 1, 0, 0, OP.JALR)));
      case 'call':
      case 'tail': {
        this.count(ops, 1);
        const link = m === 'call' ? 1 : 6; // call: auipc ra; jalr ra. tail: auipc t1; jr t1.
        const rd = m === 'call' ? 1 : 0;
        return this.pcrelPair(this.expr(ops, 0), link, (lo) => iType(lo, link, 0, rd, OP.JALR));
      }
      case 'nop':
        this.count(ops, 0);
        return this.fixed(this.word(NOP));
      case 'unimp':
        this.count(ops, 0);
        return this.fixed(this.rvc ? { size: 2, value: 0 } : { size: 4, value: 0xc0001073 });
      case 'li':
        this.count(ops, 2);
        return this.loadImmediate(this.reg(ops, 0), this.expr(ops, 1));
      case 'la':
      case 'lla': {
        this.count(ops, 2);
        const rd = this.reg(ops, 0);
        const target = this.expr(ops, 1);
        // The address of a constant (la t0, UART0 with .equ UART0 before) is loaded like li, as GNU as does.
        if (target.kind !== 'reloc' && this.constantOf(target) !== undefined) return this.loadImmediate(rd, target);
        return this.pcrelPair(target, rd, (lo) => iType(lo, rd, 0, rd, OP.OP_IMM));
      }
      case 'mv': {
        this.count(ops, 2);
        // GNU as's mv becomes c.mv (source not zero) or addi; never c.li, so `mv a0, zero` keeps 4 bytes.
        const rs = this.reg(ops, 1);
        const word = iType(0, rs, 0, this.reg(ops, 0), OP.OP_IMM);
        return this.fixed(rs === 0 ? { size: 4, value: word } : this.word(word));
      }
      case 'not':
        this.count(ops, 2);
        return this.fixed(this.word(iType(-1, this.reg(ops, 1), 4, this.reg(ops, 0), OP.OP_IMM)));
      case 'neg':
        this.count(ops, 2);
        return this.fixed(this.word(rType(0x20, this.reg(ops, 1), 0, 0, this.reg(ops, 0), OP.OP)));
      case 'seqz':
        this.count(ops, 2);
        return this.fixed(this.word(iType(1, this.reg(ops, 1), 3, this.reg(ops, 0), OP.OP_IMM)));
      case 'snez':
        this.count(ops, 2);
        return this.fixed(this.word(rType(0, this.reg(ops, 1), 0, 3, this.reg(ops, 0), OP.OP)));
      case 'sltz':
        this.count(ops, 2);
        return this.fixed(this.word(rType(0, 0, this.reg(ops, 1), 2, this.reg(ops, 0), OP.OP)));
      case 'sgtz':
        this.count(ops, 2);
        return this.fixed(this.word(rType(0, this.reg(ops, 1), 0, 2, this.reg(ops, 0), OP.OP)));
      case 'zext.b':
        this.count(ops, 2);
        return this.fixed(this.word(iType(0xff, this.reg(ops, 1), 7, this.reg(ops, 0), OP.OP_IMM)));
      case 'csrr':
        this.count(ops, 2);
        return this.fixed(this.word(iType(this.csr(ops, 1), 0, 2, this.reg(ops, 0), OP.SYSTEM)));
      case 'fence':
        this.count(ops, 0, 2);
        if (n === 0) return this.fixed(this.word(0x0ff0000f));
        return this.fixed(this.word((((this.fenceSet(ops, 0) << 4) | this.fenceSet(ops, 1)) << 20) | OP.MISC_MEM));
      case 'sfence.vma': {
        this.count(ops, 0, 1, 2);
        const rs1 = n > 0 ? this.reg(ops, 0) : 0;
        const rs2 = n > 1 ? this.reg(ops, 1) : 0;
        return this.fixed(this.word(rType(0x09, rs2, rs1, 0, 0, OP.SYSTEM)));
      }
      default:
        return undefined;
    }
  }

  private fenceSet(ops: Operands, index: number): number {
    const tokens = ops.statement.operands[index];
    const text = tokens.length === 1 ? tokens[0].text.toLowerCase() : '';
    if (!/^[iorw]+$/.test(text)) throw new AsmError(tokens[0], `bad fence set '${tokens.map((t) => t.text).join('')}'`, 'a fence set is a combination of i, o, r, w in that order: fence rw, rw');
    return [...text].reduce((bits, c) => bits | FENCE_BITS[c], 0);
  }

  private csrInstruction(f3: number, rd: number, csr: number, ops: Operands, sourceIndex: number): AsmInstruction {
    if (f3 >= 5) {
      const expr = this.expr(ops, sourceIndex);
      const value = ops.ctx.constant(expr);
      if (value === undefined || value < 0 || value > 31) throw new AsmError(expr, 'the immediate of a CSR instruction is 0..31', 'csrrsi/csrsi take a 5-bit unsigned constant; use a register for larger values');
      return this.fixed(this.word(iType(csr, value, f3, rd, OP.SYSTEM)));
    }
    return this.fixed(this.word(iType(csr, this.reg(ops, sourceIndex), f3, rd, OP.SYSTEM)));
  }

  private atomic(m: string, ops: Operands): AsmInstruction {
    const suffix = /\.(aq|rl|aqrl)$/.exec(m)?.[1];
    const base = suffix ? m.slice(0, -suffix.length - 1) : m;
    const f5 = AMO_OPS[base];
    const ordering = suffix === 'aq' ? 2 : suffix === 'rl' ? 1 : suffix === 'aqrl' ? 3 : 0;
    const isLr = base === 'lr.w';
    this.count(ops, isLr ? 2 : 3);
    const addressIndex = isLr ? 1 : 2;
    const mem = this.memory(ops, addressIndex);
    if (!mem) throw new AsmError(ops.statement.operands[addressIndex][0], 'expected the address register in parentheses', `${m} ${isLr ? 'a0, (a1)' : 'a0, a2, (a1)'}`);
    if (mem.offset && ops.ctx.constant(mem.offset) !== 0) throw new AsmError(mem.offset, 'atomic instructions take no offset', 'write (a1) or 0(a1)');
    const rs2 = isLr ? 0 : this.reg(ops, 1);
    return this.fixed({ size: 4, value: rType((f5 << 2) | ordering, rs2, mem.base, 2, this.reg(ops, 0), OP.AMO) });
  }

  private branch(name: string, rs1: number, rs2: number, target: Expr): AsmInstruction {
    const f3 = BRANCHES[name];
    const compressible = this.rvc && (f3 === 0 || f3 === 1) && rs2 === 0 && isCReg(rs1);
    return new RelaxedJump('branch', f3, rs1, rs2, 0, target, compressible);
  }

  private jump(rd: number, target: Expr, compressible: boolean): AsmInstruction {
    return new RelaxedJump('jal', 0, 0, 0, rd, target, compressible);
  }

  /** auipc scratch, %pcrel_hi(target) followed by an instruction using %pcrel_lo (la, call, tail, lw rd, sym…). */
  private pcrelPair(target: Expr, scratch: number, second: (lo: number) => number): AsmInstruction {
    return new FixedInstruction([
      { size: 4, compute: (ctx, address) => uType(hi20(ctx.require(target) - address), scratch, OP.AUIPC) },
      { size: 4, compute: (ctx, address) => second(lo12(ctx.require(target) - (address - 4))) },
    ]);
  }

  /**
   * li as GNU as expands it on RV32: c.li when the value as written fits 6 bits; addi from zero when
   * its 32-bit value fits 12 bits (never compressed: `li a0, 0xffffffff` stays addi a0, zero, -1);
   * else lui (c.lui when it fits) and, when the low part is not 0, addi (c.addi when it fits).
   */
  private loadImmediate(rd: number, expr: Expr): AsmInstruction {
    const written = expr.kind === 'reloc' ? undefined : this.constantOf(expr);
    if (written === undefined) {
      throw new AsmError(expr, 'li needs a constant (a number or an .equ defined before this line)', 'for the address of a label use la; for the value of a symbol use lui/addi with %hi/%lo');
    }
    const value = written | 0;
    if (fitsSigned(written, 6) && this.rvc && rd !== 0) return this.fixed(this.word(iType(value, 0, 0, rd, OP.OP_IMM)));
    if (fitsSigned(value, 12)) return this.fixed({ size: 4, value: iType(value, 0, 0, rd, OP.OP_IMM) });
    const upper = hi20(value);
    const lower = lo12(value);
    const words = [this.word(uType(upper, rd, OP.LUI))];
    if (lower !== 0) words.push(this.word(iType(lower, rd, 0, rd, OP.OP_IMM)));
    return this.fixed(...words);
  }
}

/** GNU as takes an immediate only as a constant known where it is written, or as a relocation. */
function notConstant(expr: Expr, what: string): AsmError {
  return new AsmError(expr, `the immediate of ${what} must be a constant known here`, 'define .equ constants before the lines that use them; for addresses use %lo(sym) / %pcrel_lo(label), or la');
}

/** The implicit 0 offset of `(reg)`. */
function zero(ops: Operands): Expr {
  const at = ops.statement.span;
  return { kind: 'number', value: 0, line: at.line, column: at.column, endColumn: at.endColumn };
}

const USAGE: Record<string, string> = {
  add: 'add rd, rs1, rs2', addi: 'addi rd, rs1, imm', lw: 'lw rd, offset(rs1)', sw: 'sw rs2, offset(rs1)', beq: 'beq rs1, rs2, label',
  li: 'li rd, constant', la: 'la rd, symbol', mv: 'mv rd, rs', j: 'j label', jal: 'jal label or jal rd, label', jalr: 'jalr rs or jalr rd, offset(rs1)',
  call: 'call function', tail: 'tail function', ret: 'ret', csrr: 'csrr rd, csr', csrw: 'csrw csr, rs', lui: 'lui rd, imm20', auipc: 'auipc rd, imm20',
};
