// The Thumb backend (ARMv7-M and ARMv6-M, unified syntax): parses instructions into
// ./instructions.ts's encodings, keeps IT blocks and literal pools, handles the ARM directives
// (.syntax, .thumb, .thumb_func, .cpu, .arch, .code, .ltorg/.pool are the driver's hooks), and
// tells the driver what GNU as + ld put into an ARM ELF (EM_ARM, EABI 5 soft-float flags, Thumb
// function symbols with bit 0 set).

import type { AsmBackend, AsmInstruction, InstructionStatement, LiteralPoolEntry, ParseContext } from '../backend.ts';
import { AsmError, type SourceSpan } from '../diagnostics.ts';
import type { Expr } from '../expr.ts';
import type { Token } from '../lexer.ts';
import { buildInstruction, splitMnemonic, type ItPosition, type Mnemonic, type ThumbArch, type ThumbInstruction } from './instructions.ts';
import { parseOperands } from './operands.ts';
import { conditionNumber, COND_AL } from './registers.ts';

const EM_ARM = 40;
/** EF_ARM_EABI_VER5 | EF_ARM_ABI_FLOAT_SOFT, as arm-none-eabi-ld sets them. */
const ARM_ELF_FLAGS = 0x05000200;
/** arm-none-eabi-ld's page size (the data segment starts one page on, at the same offset). */
const ARM_MAX_PAGE_SIZE = 0x1000;
const THUMB2_NOP = 0xbf00;
const THUMB2_WIDE_NOP = [0xf3af, 0x8000];
/** ARMv6-M has no NOP hint in GNU as's padding: it pads with `mov r8, r8`. */
const THUMB1_NOP = 0x46c0;

/** CPUs GNU as knows for .cpu, by the architecture they implement. */
const CPU_ARCH: Record<string, ThumbArch> = {
  'cortex-m0': 'v6m', 'cortex-m0plus': 'v6m', 'cortex-m1': 'v6m',
  'cortex-m3': 'v7m', 'cortex-m4': 'v7m', 'cortex-m7': 'v7m',
};
const ARCH_NAMES: Record<string, ThumbArch> = { 'armv6-m': 'v6m', 'armv6s-m': 'v6m', 'armv7-m': 'v7m', 'armv7e-m': 'v7m' };

interface PoolSlot {
  label: string;
  value: Expr;
  /** Identical values share a slot (GNU as reuses an entry with the same constant or symbol + addend). */
  key: string | undefined;
}

export class ThumbBackend implements AsmBackend {
  readonly elfMachine = EM_ARM;
  readonly elfFlags = ARM_ELF_FLAGS;
  readonly defaultTextAddress = 0;
  readonly maxPageSize = ARM_MAX_PAGE_SIZE;
  readonly lineCommentChars = '@';
  /** Thumb function symbols have bit 0 set in the symbol table and wherever data holds their address. */
  readonly functionAddressBit = 1;
  /** GNU as (tc-arm.h SUB_SEGMENT_ALIGN) pads a code section's end to its alignment, up to 4 bytes. */
  readonly codeSectionEndAlignment = 4;
  readonly mappingSymbols = { code: '$t', data: '$d' };
  readonly relaxation = 'arm';

  private arch: ThumbArch;
  /** Conditions of the instructions still to come in the current IT block. */
  private itConditions: number[] = [];
  private itSpan: SourceSpan | undefined;
  private readonly pools = new Map<string, PoolSlot[]>();
  private poolLabels = 0;
  private thumbFuncPending = false;

  constructor(arch: ThumbArch) {
    this.arch = arch;
  }

  instruction(statement: InstructionStatement, context: ParseContext): AsmInstruction {
    const { mnemonic, span } = statement;
    const itMatch = /^it([te]{0,3})$/i.exec(mnemonic.text);
    if (itMatch !== null) return this.itInstruction(itMatch[1].toLowerCase(), statement);
    const m = splitMnemonic(mnemonic.text, mnemonic);
    if (m === undefined) throw new AsmError(mnemonic, `unknown instruction '${mnemonic.text}'`, 'Thumb instructions in unified syntax: adds, ldr, push, b, bl, …');
    const it = this.itPosition(m, mnemonic);
    const ops = parseOperands(statement.operands, (tokens, where) => context.expression(tokens, where));
    const env = {
      arch: this.arch,
      constant: (expr: Expr) => context.constant(expr),
      literal: (value: Expr, where: SourceSpan) => this.literal(value, where, context),
    };
    const built: ThumbInstruction<Expr> = buildInstruction(m, ops, env, it, span);
    return built;
  }

  /** Where an instruction with condition `cond` stands in the IT block (and whether that is allowed). */
  private itPosition(m: Mnemonic, where: Token): ItPosition {
    const expected = this.itConditions.shift();
    const cond = m.cond;
    if (expected === undefined) {
      // Outside IT blocks only B<cond> is conditional (its own 16- and 32-bit encodings).
      if (cond !== undefined && cond !== COND_AL && m.base !== 'b') {
        throw new AsmError(where, 'conditional instruction outside an IT block', `put \`it ${conditionName(cond)}\` before it`);
      }
      return { inside: false, last: false };
    }
    if (cond !== expected) {
      const written = cond === undefined ? 'no condition' : `condition ${conditionName(cond)}`;
      const fixed = `${m.base}${m.setFlags ? 's' : ''}${conditionName(expected)}${m.width !== undefined ? `.${m.width}` : ''}`;
      throw new AsmError(where, `instruction with ${written} inside an IT block that expects ${conditionName(expected)}`, `write it as ${fixed}, or change the IT instruction`);
    }
    return { inside: true, last: this.itConditions.length === 0 };
  }

  private itInstruction(pattern: string, statement: InstructionStatement): AsmInstruction {
    const { mnemonic, operands } = statement;
    if (this.arch === 'v6m') throw new AsmError(mnemonic, 'IT blocks are ARMv7-M; ARMv6-M (cortex-m0) has no IT instruction', 'branch around the conditional code instead');
    if (this.itConditions.length > 0) throw new AsmError(mnemonic, 'IT instruction inside an IT block', `the IT block started at line ${this.itSpan?.line} has ${this.itConditions.length} more instruction(s)`);
    if (operands.length !== 1 || operands[0].length !== 1) throw new AsmError(statement.span, `${mnemonic.text} takes one condition`, 'write `it eq`, `ite ne`, …');
    const token = operands[0][0];
    const firstcond = conditionNumber(token.text);
    if (firstcond === undefined) throw new AsmError(token, `'${token.text}' is not a condition`, 'eq ne cs/hs cc/lo mi pl vs vc hi ls ge lt gt le al');
    if (firstcond === COND_AL && pattern.includes('e')) throw new AsmError(token, 'an IT block with condition al cannot have else (e) instructions');
    let mask = 0;
    const conditions = [firstcond];
    [...pattern].forEach((x, i) => {
      const same = x === 't';
      mask |= ((same ? firstcond & 1 : (firstcond & 1) ^ 1) << (3 - i));
      conditions.push(same ? firstcond : firstcond ^ 1);
    });
    mask |= 1 << (3 - pattern.length);
    this.itConditions = conditions;
    this.itSpan = statement.span;
    const halfword = 0xbf00 | (firstcond << 4) | mask;
    return { size: () => 2, encode: () => new Uint8Array([halfword & 0xff, halfword >>> 8]) };
  }

  /** A pool slot for `ldr rX, =value` in the current section, shared with an identical earlier value. */
  private literal(value: Expr, where: SourceSpan, context: ParseContext): Expr {
    const section = context.section;
    let pool = this.pools.get(section);
    if (pool === undefined) {
      pool = [];
      this.pools.set(section, pool);
    }
    const constant = context.constant(value);
    const key = constant !== undefined ? `#${constant >>> 0}` : exprKey(value);
    let slot = key === undefined ? undefined : pool.find((s) => s.key === key);
    if (slot === undefined) {
      slot = { label: `.L.thumb.pool.${this.poolLabels++}`, value, key };
      pool.push(slot);
    }
    return { kind: 'symbol', name: slot.label, line: where.line, column: where.column, endColumn: where.endColumn };
  }

  /** The literal pool of a section so far, emptied: the driver places it at `.ltorg` and at the end. */
  takeLiteralPool(section: string): LiteralPoolEntry[] {
    const pool = this.pools.get(section) ?? [];
    this.pools.delete(section);
    return pool.map((slot) => ({ label: slot.label, value: slot.value }));
  }

  /** `.thumb_func` makes the next label a Thumb function. */
  labelIsFunction(): boolean {
    const pending = this.thumbFuncPending;
    this.thumbFuncPending = false;
    return pending;
  }

  instructionAlignment(): number {
    return 2;
  }

  directive(name: Token, operands: Token[][], span: SourceSpan): boolean {
    const text = (i: number) => (operands[i] ?? []).map((t) => t.text).join('');
    switch (name.text.toLowerCase()) {
      case '.syntax':
        if (text(0).toLowerCase() !== 'unified') throw new AsmError(span, `.syntax ${text(0)} is not supported`, 'this assembler reads unified syntax: `.syntax unified`');
        return true;
      case '.thumb':
        return true;
      case '.code':
        if (text(0) !== '16') throw new AsmError(span, 'only Thumb code (`.code 16`) is supported', 'Cortex-M runs Thumb only');
        return true;
      case '.arm':
        throw new AsmError(name, 'ARM (A32) code is not supported', 'Cortex-M runs Thumb only: use `.thumb`');
      case '.thumb_func':
        this.thumbFuncPending = true;
        return true;
      case '.cpu': {
        const arch = CPU_ARCH[text(0).toLowerCase()];
        if (arch === undefined) throw new AsmError(span, `unknown CPU '${text(0)}'`, `known: ${Object.keys(CPU_ARCH).join(', ')}`);
        this.arch = arch;
        return true;
      }
      case '.arch': {
        const arch = ARCH_NAMES[text(0).toLowerCase()];
        if (arch === undefined) throw new AsmError(span, `unknown architecture '${text(0)}'`, `known: ${Object.keys(ARCH_NAMES).join(', ')}`);
        this.arch = arch;
        return true;
      }
      case '.fpu':
      case '.eabi_attribute':
        return true;
      default:
        return false;
    }
  }

  /** GNU as's code padding (tc-arm.c arm_handle_align): a zero byte to reach an even address, then one 16-bit no-op, then 32-bit ones (ARMv7-M). */
  codeFill(size: number, address: number): Uint8Array {
    const bytes = new Uint8Array(size);
    const put = (offset: number, halfword: number) => {
      bytes[offset] = halfword & 0xff;
      bytes[offset + 1] = halfword >>> 8;
    };
    let offset = address & 1;
    if (this.arch === 'v6m') {
      for (; offset + 1 < size; offset += 2) put(offset, THUMB1_NOP);
      return bytes;
    }
    if (((size - offset) & 2) !== 0) {
      put(offset, THUMB2_NOP);
      offset += 2;
    }
    for (; offset + 3 < size; offset += 4) {
      put(offset, THUMB2_WIDE_NOP[0]);
      put(offset + 2, THUMB2_WIDE_NOP[1]);
    }
    return bytes;
  }
}

const CONDITION_NAMES = ['eq', 'ne', 'cs', 'cc', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al'];
const conditionName = (cond: number): string => CONDITION_NAMES[cond] ?? 'al';

/** A key identifying a symbol (plus or minus a constant) for sharing pool slots; undefined otherwise. */
function exprKey(expr: Expr): string | undefined {
  if (expr.kind === 'symbol') return `${expr.name}+0`;
  if (expr.kind === 'binary' && (expr.op === '+' || expr.op === '-') && expr.left.kind === 'symbol' && expr.right.kind === 'number') {
    return `${expr.left.name}${expr.op === '+' ? '+' : '-'}${expr.right.value}`;
  }
  return undefined;
}
