// Expressions in GNU as syntax: numbers, symbols, `.`, unary - ~ !, the binary operators with
// GNU as precedence, parentheses and the relocation functions %hi %lo %pcrel_hi %pcrel_lo.
//
// Precedence, highest first (as GNU as documents it):
//   * / % << >>   |   | & ^ !(or-not)   |   + - == != <> < <= > >=   |   &&   |   ||
// Comparisons give -1 for true (GNU as convention), && and || give 1.

import { AsmError, type SourceSpan } from './diagnostics.ts';
import type { Token } from './lexer.ts';

export type RelocFunction = 'hi' | 'lo' | 'pcrel_hi' | 'pcrel_lo';
const RELOC_FUNCTIONS: ReadonlySet<string> = new Set<RelocFunction>(['hi', 'lo', 'pcrel_hi', 'pcrel_lo']);

export type Expr = SourceSpan &
  (
    | { kind: 'number'; value: number }
    | { kind: 'symbol'; name: string }
    | { kind: 'dot' }
    | { kind: 'unary'; op: string; arg: Expr }
    | { kind: 'binary'; op: string; left: Expr; right: Expr }
    | { kind: 'reloc'; fn: RelocFunction; arg: Expr }
  );

const BINARY_LEVELS: ReadonlyArray<ReadonlyArray<string>> = [
  ['||'],
  ['&&'],
  ['+', '-', '==', '!=', '<>', '<', '<=', '>', '>='],
  ['|', '&', '^', '!'],
  ['*', '/', '%', '<<', '>>'],
];

/** Spans the tokens from..to (inclusive). */
export function spanOf(first: SourceSpan, last: SourceSpan): SourceSpan {
  return { line: first.line, column: first.column, endColumn: last.endColumn };
}

/** Turns a local label reference (`1b`, `1f`) into the name of the label it means. */
export type LocalLabelResolver = (token: Token) => string;

/** Parses tokens as one expression; every token must be used. */
export function parseExpression(tokens: Token[], resolveLocal: LocalLabelResolver, where: SourceSpan): Expr {
  if (tokens.length === 0) throw new AsmError(where, 'missing expression', 'write a number, a symbol or an expression such as label+4');
  const parser = new ExprParser(tokens, resolveLocal);
  const expr = parser.parse(0);
  if (parser.pos < tokens.length) {
    const t = tokens[parser.pos];
    throw new AsmError(t, `unexpected '${t.text}' in expression`, 'operands are separated by commas');
  }
  return expr;
}

class ExprParser {
  pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly resolveLocal: LocalLabelResolver,
  ) {}

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  parse(level: number): Expr {
    if (level >= BINARY_LEVELS.length) return this.unary();
    let left = this.parse(level + 1);
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'punct' || !BINARY_LEVELS[level].includes(t.text)) return left;
      this.pos++;
      const right = this.parse(level + 1);
      left = { kind: 'binary', op: t.text, left, right, ...spanOf(left, right) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (!t) {
      const last = this.tokens[this.tokens.length - 1];
      throw new AsmError({ line: last.line, column: last.endColumn, endColumn: last.endColumn + 1 }, 'expression ends too early', 'an operator needs a value after it');
    }
    this.pos++;
    if (t.kind === 'punct') {
      if (t.text === '-' || t.text === '~' || t.text === '!' || t.text === '+') {
        const arg = this.unary();
        return { kind: 'unary', op: t.text, arg, ...spanOf(t, arg) };
      }
      if (t.text === '(') {
        const inner = this.parse(0);
        this.expect(')', t);
        return inner;
      }
      if (t.text === '%') {
        const name = this.peek();
        if (name && name.kind === 'ident' && RELOC_FUNCTIONS.has(name.text)) {
          this.pos++;
          this.expect('(', name);
          const arg = this.parse(0);
          const close = this.expect(')', name);
          return { kind: 'reloc', fn: name.text as RelocFunction, arg, ...spanOf(t, close) };
        }
        throw new AsmError(name ?? t, `unknown relocation function '%${name?.text ?? ''}'`, 'supported: %hi(sym), %lo(sym), %pcrel_hi(sym), %pcrel_lo(label)');
      }
      throw new AsmError(t, `unexpected '${t.text}' in expression`, 'write a number, a symbol or an expression such as label+4');
    }
    if (t.kind === 'number') return { kind: 'number', value: t.value ?? 0, ...spanOf(t, t) };
    if (t.kind === 'localref') return { kind: 'symbol', name: this.resolveLocal(t), line: t.line, column: t.column, endColumn: t.endColumn };
    if (t.kind === 'ident') {
      if (t.text === '.') return { kind: 'dot', line: t.line, column: t.column, endColumn: t.endColumn };
      return { kind: 'symbol', name: t.text, line: t.line, column: t.column, endColumn: t.endColumn };
    }
    throw new AsmError(t, 'a string is not a number', 'strings belong in .ascii/.asciz/.string');
  }

  private expect(text: string, after: Token): Token {
    const t = this.peek();
    if (!t || t.text !== text) throw new AsmError(t ?? after, `expected '${text}'`, text === ')' ? 'parentheses must be balanced' : undefined);
    this.pos++;
    return t;
  }
}

/** How symbols get values while evaluating. */
export interface SymbolValues {
  /** A symbol's value, or undefined when it has none (yet). */
  symbol(name: string, where: SourceSpan): number | undefined;
  /** The value of `.`, or undefined when positions are not known. */
  dot(): number | undefined;
}

/** Evaluates with 32-bit wrap-around; undefined when a symbol or `.` has no value. */
export function evaluate(expr: Expr, values: SymbolValues): number | undefined {
  switch (expr.kind) {
    case 'number': return expr.value;
    case 'symbol': return values.symbol(expr.name, expr);
    case 'dot': return values.dot();
    case 'reloc': throw new AsmError(expr, `%${expr.fn} cannot be used here`, '%hi/%lo/%pcrel_hi/%pcrel_lo are operands of lui, auipc, addi, loads and stores');
    case 'unary': {
      const a = evaluate(expr.arg, values);
      if (a === undefined) return undefined;
      if (expr.op === '-') return -a | 0;
      if (expr.op === '~') return ~a;
      if (expr.op === '!') return a === 0 ? 1 : 0;
      return a;
    }
    case 'binary': {
      const a = evaluate(expr.left, values);
      const b = evaluate(expr.right, values);
      if (a === undefined || b === undefined) return undefined;
      return binary(expr.op, a, b, expr);
    }
  }
}

function binary(op: string, a: number, b: number, where: SourceSpan): number {
  const truth = (x: boolean) => (x ? -1 : 0);
  switch (op) {
    case '+': return (a + b) | 0;
    case '-': return (a - b) | 0;
    case '*': return Math.imul(a, b);
    case '/':
    case '%':
      if (b === 0) throw new AsmError(where, 'division by zero', undefined);
      return op === '/' ? (a / b) | 0 : a % b | 0;
    case '<<': return b >= 32 ? 0 : a << b;
    case '>>': return b >= 32 ? (a < 0 ? -1 : 0) : a >> b;
    case '|': return a | b;
    case '&': return a & b;
    case '^': return a ^ b;
    case '!': return a | ~b;
    case '==': return truth(a === b);
    case '!=':
    case '<>': return truth(a !== b);
    case '<': return truth(a < b);
    case '<=': return truth(a <= b);
    case '>': return truth(a > b);
    case '>=': return truth(a >= b);
    case '&&': return a !== 0 && b !== 0 ? 1 : 0;
    case '||': return a !== 0 || b !== 0 ? 1 : 0;
  }
  throw new AsmError(where, `unknown operator '${op}'`, undefined);
}

/** Symbols an expression mentions (to tell constants from addresses). */
export function mentionsPosition(expr: Expr, isConstantSymbol: (name: string) => boolean): boolean {
  switch (expr.kind) {
    case 'number': return false;
    case 'dot': return true;
    case 'symbol': return !isConstantSymbol(expr.name);
    case 'unary':
    case 'reloc': return mentionsPosition(expr.arg, isConstantSymbol);
    case 'binary': return mentionsPosition(expr.left, isConstantSymbol) || mentionsPosition(expr.right, isConstantSymbol);
  }
}
