// Operands of one Thumb instruction in unified syntax, parsed from the driver's tokens: registers
// (`r0`, `sp`, `r0!`), immediates (`#expr`), bare expressions (labels), shifts (`lsl #2`, `asr r3`,
// `rrx`), memory (`[rn]`, `[rn, #imm]!`, `[rn, rm, lsl #2]`), register lists (`{r4-r7, lr}`) and
// literals (`=expr`). Expressions are handed to the driver's parser (generic E).

import { AsmError, type SourceSpan } from '../diagnostics.ts';
import type { Token } from '../lexer.ts';
import { registerNumber, SHIFT_TYPES } from './registers.ts';

/** Parses tokens as an expression (the driver's parser). */
export type ExpressionParser<E> = (tokens: Token[], where: SourceSpan) => E;

export interface ShiftSpec<E> {
  /** 0 LSL, 1 LSR, 2 ASR, 3 ROR; RRX is `rrx: true` with type 3. */
  type: number;
  rrx: boolean;
  amount?: E;
  /** A register shift amount (`lsl r3`), for the data-processing shifts by register. */
  register?: number;
  span: SourceSpan;
}

export type MemOffset<E> =
  | { kind: 'imm'; expr: E; span: SourceSpan }
  | { kind: 'reg'; reg: number; subtract: boolean; shift?: ShiftSpec<E>; span: SourceSpan };

export type Operand<E> = { span: SourceSpan } & (
  | { kind: 'reg'; reg: number; writeback: boolean }
  | { kind: 'imm'; expr: E; half?: 'lower16' | 'upper16' }
  | { kind: 'expr'; expr: E; name?: string }
  | { kind: 'literal'; expr: E }
  | { kind: 'shift'; shift: ShiftSpec<E> }
  | { kind: 'list'; mask: number }
  | { kind: 'mem'; base: number; offset?: MemOffset<E>; writeback: boolean }
);

const isPunct = (t: Token | undefined, text: string): boolean => t !== undefined && t.kind === 'punct' && t.text === text;

function spanOf(tokens: Token[]): SourceSpan {
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  return { line: first.line, column: first.column, endColumn: last.endColumn };
}

/**
 * The driver splits operands at every top-level comma, also those inside `[...]` and `{...}`;
 * groups them again so a memory operand or register list is one operand of sub-parts.
 */
function regroup(operands: Token[][]): Token[][][] {
  const groups: Token[][][] = [];
  let open: Token[][] | undefined;
  let depth = 0;
  for (const tokens of operands) {
    if (open === undefined) open = [];
    open.push(tokens);
    for (const t of tokens) {
      if (isPunct(t, '[') || isPunct(t, '{')) depth++;
      if (isPunct(t, ']') || isPunct(t, '}')) depth--;
    }
    if (depth <= 0) {
      groups.push(open);
      open = undefined;
      depth = 0;
    }
  }
  if (open !== undefined) groups.push(open);
  return groups;
}

/** Parses the operands of one instruction (as the driver split them at commas). */
export function parseOperands<E>(operands: Token[][], parseExpr: ExpressionParser<E>): Operand<E>[] {
  return regroup(operands).map((parts) => parseOperand(parts, parseExpr));
}

function parseOperand<E>(parts: Token[][], parseExpr: ExpressionParser<E>): Operand<E> {
  const all = parts.flat();
  const span = spanOf(all);
  const first = all[0];
  if (isPunct(first, '{')) return { kind: 'list', mask: parseRegisterList(parts, span), span };
  if (isPunct(first, '[')) return parseMemory(parts, span, parseExpr);
  if (parts.length > 1) throw new AsmError(span, 'unexpected comma', 'only `[...]` and `{...}` hold commas inside one operand');
  if (isPunct(first, '#')) {
    // `#:lower16:expr` / `#:upper16:expr` (MOVW/MOVT of an address).
    const half = isPunct(all[1], ':') && all[2]?.kind === 'ident' && isPunct(all[3], ':') ? all[2].text.toLowerCase() : undefined;
    if (half === 'lower16' || half === 'upper16') return { kind: 'imm', expr: parseExpr(all.slice(4), span), half, span };
    if (half !== undefined) throw new AsmError(all[2], `unknown operator :${all[2].text}:`, 'write #:lower16:symbol or #:upper16:symbol');
    return { kind: 'imm', expr: parseExpr(all.slice(1), span), span };
  }
  if (isPunct(first, '=')) return { kind: 'literal', expr: parseExpr(all.slice(1), span), span };
  const register = first.kind === 'ident' ? registerNumber(first.text) : undefined;
  if (register !== undefined) {
    if (all.length === 1) return { kind: 'reg', reg: register, writeback: false, span };
    if (all.length === 2 && isPunct(all[1], '!')) return { kind: 'reg', reg: register, writeback: true, span };
    throw new AsmError(spanOf(all.slice(1)), `unexpected '${all[1].text}' after register ${first.text}`, 'write `r0`, or `r0!` for write-back');
  }
  const shift = parseShift(all, parseExpr);
  if (shift !== undefined) return { kind: 'shift', shift, span };
  const name = all.length === 1 && first.kind === 'ident' ? first.text : undefined;
  return { kind: 'expr', expr: parseExpr(all, span), name, span };
}

/** `lsl #n`, `lsr r3`, `rrx`, or undefined when the tokens are not a shift. */
function parseShift<E>(tokens: Token[], parseExpr: ExpressionParser<E>): ShiftSpec<E> | undefined {
  const head = tokens[0];
  if (head.kind !== 'ident') return undefined;
  const name = head.text.toLowerCase();
  const span = spanOf(tokens);
  if (name === 'rrx' && tokens.length === 1) return { type: 3, rrx: true, span };
  const type = SHIFT_TYPES.get(name);
  if (type === undefined || tokens.length < 2) return undefined;
  if (isPunct(tokens[1], '#')) {
    if (tokens.length < 3) throw new AsmError(span, `${name} needs a shift amount after '#'`, `write \`${name} #2\``);
    return { type, rrx: false, amount: parseExpr(tokens.slice(2), span), span };
  }
  const register = tokens.length === 2 && tokens[1].kind === 'ident' ? registerNumber(tokens[1].text) : undefined;
  if (register !== undefined) return { type, rrx: false, register, span };
  throw new AsmError(spanOf(tokens.slice(1)), `the amount of ${name} is neither an immediate nor a register`, `write \`${name} #2\``);
}

function parseRegisterList(parts: Token[][], span: SourceSpan): number {
  const items = parts.map((p) => [...p]);
  items[0] = items[0].slice(1);
  const last = items[items.length - 1];
  if (!isPunct(last[last.length - 1], '}')) throw new AsmError(span, 'register list is missing its `}`', 'write `{r4-r7, lr}`');
  items[items.length - 1] = last.slice(0, -1);
  let mask = 0;
  for (const item of items) {
    if (item.length === 0) throw new AsmError(span, 'empty entry in the register list', 'write `{r4-r7, lr}`');
    const itemSpan = spanOf(item);
    let numbers: number[];
    if (item.length === 1) numbers = [listRegister(item[0])];
    else if (item.length === 3 && isPunct(item[1], '-')) numbers = [listRegister(item[0]), listRegister(item[2])];
    else throw new AsmError(itemSpan, 'not a register or a range of registers', 'write `r4` or `r4-r7`');
    const [low, high] = numbers.length === 1 ? [numbers[0], numbers[0]] : numbers;
    if (high < low) throw new AsmError(itemSpan, 'register range goes downwards', `write it as ${item[2].text}-${item[0].text}`);
    for (let r = low; r <= high; r++) mask |= 1 << r;
  }
  return mask;
}

function listRegister(token: Token): number {
  const reg = token.kind === 'ident' ? registerNumber(token.text) : undefined;
  if (reg === undefined) throw new AsmError(token, `'${token.text}' is not a register`, 'a register list holds r0-r15, sp, lr, pc');
  return reg;
}

function parseMemory<E>(parts: Token[][], span: SourceSpan, parseExpr: ExpressionParser<E>): Operand<E> {
  const items = parts.map((p) => [...p]);
  items[0] = items[0].slice(1);
  let last = items[items.length - 1];
  const writeback = isPunct(last[last.length - 1], '!');
  if (writeback) last = last.slice(0, -1);
  if (!isPunct(last[last.length - 1], ']')) throw new AsmError(span, 'memory operand is missing its `]`', 'write `[rn, #offset]`');
  items[items.length - 1] = last.slice(0, -1);
  if (items[0].length !== 1 || items[0][0].kind !== 'ident' || registerNumber(items[0][0].text) === undefined) {
    throw new AsmError(items[0].length > 0 ? spanOf(items[0]) : span, 'expected a base register', 'write `[rn, #offset]`');
  }
  const base = registerNumber(items[0][0].text) as number;
  let offset: MemOffset<E> | undefined;
  if (items.length >= 2) {
    const part = items[1];
    if (part.length === 0) throw new AsmError(span, 'missing offset', 'write `[rn, #offset]`');
    const partSpan = spanOf(part);
    if (isPunct(part[0], '#')) {
      if (items.length > 2) throw new AsmError(spanOf(items[2]), 'an immediate offset takes no shift', 'write `[rn, rm, lsl #2]` for a shifted register');
      offset = { kind: 'imm', expr: parseExpr(part.slice(1), partSpan), span: partSpan };
    } else {
      const subtract = isPunct(part[0], '-');
      const regTokens = isPunct(part[0], '-') || isPunct(part[0], '+') ? part.slice(1) : part;
      const reg = regTokens.length === 1 && regTokens[0].kind === 'ident' ? registerNumber(regTokens[0].text) : undefined;
      if (reg === undefined) throw new AsmError(partSpan, 'offset is neither `#imm` nor a register', 'immediates need a `#`: `[r1, #4]`');
      let shift: ShiftSpec<E> | undefined;
      if (items.length === 3) {
        shift = items[2].length > 0 ? parseShift(items[2], parseExpr) : undefined;
        if (shift === undefined) throw new AsmError(items[2].length > 0 ? spanOf(items[2]) : span, 'not a shift', 'write `[rn, rm, lsl #2]`');
      } else if (items.length > 3) {
        throw new AsmError(spanOf(items[3]), 'too many parts in the memory operand', 'write `[rn, rm, lsl #2]`');
      }
      offset = { kind: 'reg', reg, subtract, shift, span: partSpan };
    }
  }
  return { kind: 'mem', base, offset, writeback, span };
}
