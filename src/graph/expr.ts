// A tiny, safe integer expression language for board documents: repetition (names, addresses and
// IRQ numbers derived from an index) and composite parameters. It never uses eval or Function.
//
// Syntax (C precedence, highest first):
//   primary     integer literal | name | name '(' args ')' | '(' expr ')'
//   unary       - + ~ !                                    (right to left)
//   * / %       multiplicative (division truncates toward zero; /0 and %0 are errors)
//   + -         additive
//   << >>       shifts (count 0..63; >> is arithmetic)
//   < <= > >=   relational, giving 1 or 0
//   == !=       equality, giving 1 or 0
//   &  ^  |     bitwise (two's complement, any width)
//   &&  ||      logical, short-circuit, giving 1 or 0
//   ?:          conditional (right associative; only the chosen branch is evaluated)
// Literals: 42, 0x1000_0000, 0b1010, 0o17, with '_' between digits, and an optional size suffix
// K/M/G/T (powers of 1024, either case): 4K = 4096. Functions: min(a, b, ...), max(a, b, ...).
// Names are bound by the environment (i, index, base, stride, ...).
//
// Values are integers. Arithmetic is exact (BigInt internally) and every intermediate result must
// be a safe integer (|v| <= 2^53 - 1), else the evaluation fails with an ExprError.
// Every error is an ExprError with a 0-based `position` into the source; messages that point at a
// place say "at column N" with the same 0-based N.

/** Longest accepted expression (and template), in characters. */
export const MAX_EXPR_LENGTH = 1000;
/** Deepest accepted nesting of parentheses, calls, unary operators and conditionals. */
export const MAX_EXPR_DEPTH = 64;

export class ExprError extends Error {
  /** 0-based column in the source where the problem is. */
  readonly position: number;
  constructor(message: string, position: number) {
    super(message);
    this.name = 'ExprError';
    this.position = position;
  }
}

export type UnaryOp = '-' | '+' | '~' | '!';
export type BinaryOp =
  | '*' | '/' | '%' | '+' | '-' | '<<' | '>>'
  | '<' | '<=' | '>' | '>=' | '==' | '!='
  | '&' | '^' | '|' | '&&' | '||';
export type FunctionName = 'min' | 'max';

/** A parsed expression. `pos` is the 0-based column of the node's token (operator, name, literal). */
export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'name'; readonly name: string; readonly pos: number }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr; readonly pos: number }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly pos: number }
  | { readonly kind: 'conditional'; readonly test: Expr; readonly then: Expr; readonly else: Expr; readonly pos: number }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Expr[]; readonly pos: number };

const FUNCTIONS: readonly FunctionName[] = ['min', 'max'];

// ---------------------------------------------------------------------------------------------
// Tokens

type TokenKind = 'number' | 'name' | 'op' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly pos: number;
  readonly value?: number;
}

const OPERATORS_2 = ['<<', '>>', '<=', '>=', '==', '!=', '&&', '||'];
const OPERATORS_1 = '+-*/%&|^~!<>(),?:';
const SIZE_SUFFIX: Record<string, bigint> = { k: 1n << 10n, m: 1n << 20n, g: 1n << 30n, t: 1n << 40n };
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isNameChar(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'end of expression' : `'${token.text}'`;
}

function readNumber(source: string, start: number): Token {
  let i = start;
  let radix = 10;
  let digitsStart = start;
  const prefix = source.slice(start, start + 2).toLowerCase();
  if (prefix === '0x' || prefix === '0b' || prefix === '0o') {
    radix = prefix === '0x' ? 16 : prefix === '0b' ? 2 : 8;
    i += 2;
    digitsStart = i;
  }
  const isRadixDigit = (c: string): boolean => {
    if (radix === 16) return /^[0-9a-fA-F]$/.test(c);
    if (radix === 2) return c === '0' || c === '1';
    if (radix === 8) return c >= '0' && c <= '7';
    return isDigit(c);
  };
  while (i < source.length && (isRadixDigit(source[i]) || source[i] === '_')) i++;
  const raw = source.slice(digitsStart, i);
  // Size suffix directly after the digits (K, M, G, T in either case).
  let scale = 1n;
  const suffix = source[i]?.toLowerCase();
  if (suffix !== undefined && suffix in SIZE_SUFFIX && !isNameChar(source[i + 1] ?? '')) {
    scale = SIZE_SUFFIX[suffix];
    i++;
  }
  const text = source.slice(start, i);
  if (raw === '' || raw.startsWith('_') || raw.endsWith('_') || raw.includes('__') || (i < source.length && isNameChar(source[i]))) {
    let end = i;
    while (end < source.length && isNameChar(source[end])) end++;
    throw new ExprError(`invalid number '${source.slice(start, end)}' at column ${start}`, start);
  }
  const digits = raw.replace(/_/g, '');
  const magnitude = (radix === 10 ? BigInt(digits) : BigInt((radix === 16 ? '0x' : radix === 2 ? '0b' : '0o') + digits)) * scale;
  if (magnitude > MAX_SAFE) throw new ExprError(`number '${text}' at column ${start} is larger than 2^53-1`, start);
  return { kind: 'number', text, pos: start, value: Number(magnitude) };
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (isSpace(c)) {
      i++;
    } else if (isDigit(c)) {
      const token = readNumber(source, i);
      tokens.push(token);
      i += token.text.length;
    } else if (isNameStart(c)) {
      let end = i + 1;
      while (end < source.length && isNameChar(source[end])) end++;
      tokens.push({ kind: 'name', text: source.slice(i, end), pos: i });
      i = end;
    } else if (OPERATORS_2.includes(source.slice(i, i + 2))) {
      tokens.push({ kind: 'op', text: source.slice(i, i + 2), pos: i });
      i += 2;
    } else if (OPERATORS_1.includes(c)) {
      tokens.push({ kind: 'op', text: c, pos: i });
      i++;
    } else if (c === '=') {
      throw new ExprError(`unexpected '=' at column ${i}; use '==' to compare`, i);
    } else {
      const shown = JSON.stringify(c).slice(1, -1);
      throw new ExprError(`unexpected character '${shown}' at column ${i}`, i);
    }
  }
  tokens.push({ kind: 'end', text: '', pos: source.length });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Parser (precedence climbing; binary chains are loops, so only nesting costs stack)

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '|': 3,
  '^': 4,
  '&': 5,
  '==': 6, '!=': 6,
  '<': 7, '<=': 7, '>': 7, '>=': 7,
  '<<': 8, '>>': 8,
  '+': 9, '-': 9,
  '*': 10, '/': 10, '%': 10,
};

class Parser {
  private index = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.index];
  }
  private next(): Token {
    return this.tokens[this.index++];
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private expect(text: string, context: string): Token {
    const t = this.peek();
    if (t.kind === 'op' && t.text === text) return this.next();
    throw new ExprError(`expected '${text}' at column ${t.pos} ${context}, found ${describe(t)}`, t.pos);
  }
  /** Count one level of nesting (a parenthesis, call, unary operator or conditional) opened at `at`. */
  private enter(at: Token): void {
    if (++this.depth > MAX_EXPR_DEPTH) {
      throw new ExprError(`expression nested too deeply (more than ${MAX_EXPR_DEPTH} levels) at column ${at.pos}`, at.pos);
    }
  }
  private leave(): void {
    this.depth--;
  }

  parseAll(): Expr {
    if (this.peek().kind === 'end') throw new ExprError('empty expression at column 0', 0);
    const expr = this.parseConditional();
    const t = this.peek();
    if (t.kind !== 'end') throw new ExprError(`unexpected ${describe(t)} at column ${t.pos}`, t.pos);
    return expr;
  }

  private parseConditional(): Expr {
    const test = this.parseBinary(1);
    if (!this.isOp('?')) return test;
    const q = this.next();
    this.enter(q);
    const then = this.parseConditional();
    this.expect(':', `after the '?' at column ${q.pos}`);
    const otherwise = this.parseConditional();
    this.leave();
    return { kind: 'conditional', test, then, else: otherwise, pos: q.pos };
  }

  private parseBinary(minPrecedence: number): Expr {
    let left = this.parseUnary();
    for (;;) {
      const t = this.peek();
      const precedence = t.kind === 'op' ? BINARY_PRECEDENCE[t.text] : undefined;
      if (precedence === undefined || precedence < minPrecedence) return left;
      this.next();
      const right = this.parseBinary(precedence + 1);
      left = { kind: 'binary', op: t.text as BinaryOp, left, right, pos: t.pos };
    }
  }

  private parseUnary(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!')) {
      this.next();
      this.enter(t);
      const arg = this.parseUnary();
      this.leave();
      return { kind: 'unary', op: t.text, arg, pos: t.pos };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Expr {
    const t = this.next();
    if (t.kind === 'number') return { kind: 'number', value: t.value as number, pos: t.pos };
    if (t.kind === 'name') {
      if (!this.isOp('(')) return { kind: 'name', name: t.text, pos: t.pos };
      const fn = FUNCTIONS.find((f) => f === t.text);
      if (fn === undefined) {
        throw new ExprError(`unknown function '${t.text}' at column ${t.pos}; known: ${FUNCTIONS.join(', ')}`, t.pos);
      }
      const open = this.next();
      this.enter(open);
      const args: Expr[] = [];
      if (!this.isOp(')')) {
        for (;;) {
          args.push(this.parseConditional());
          if (!this.isOp(',')) break;
          this.next();
        }
      }
      this.expect(')', `to close the '(' at column ${open.pos}`);
      this.leave();
      if (args.length < 2) {
        throw new ExprError(`${fn}() needs at least 2 arguments, got ${args.length}, at column ${t.pos}`, t.pos);
      }
      return { kind: 'call', fn, args, pos: t.pos };
    }
    if (t.kind === 'op' && t.text === '(') {
      this.enter(t);
      const inner = this.parseConditional();
      this.expect(')', `to close the '(' at column ${t.pos}`);
      this.leave();
      return inner;
    }
    throw new ExprError(`unexpected ${describe(t)} at column ${t.pos}`, t.pos);
  }
}

function checkLength(source: string): void {
  if (typeof source !== 'string') throw new ExprError('expression must be a string', 0);
  if (source.length > MAX_EXPR_LENGTH) {
    throw new ExprError(`expression is ${source.length} characters long; the limit is ${MAX_EXPR_LENGTH}`, MAX_EXPR_LENGTH);
  }
}

/** Parse an expression. Throws ExprError with the 0-based position of the problem. */
export function parseExpr(source: string): Expr {
  checkLength(source);
  return new Parser(tokenize(source)).parseAll();
}

// ---------------------------------------------------------------------------------------------
// Evaluation

function safe(value: bigint, what: string, pos: number): bigint {
  if (value > MAX_SAFE || value < -MAX_SAFE) {
    throw new ExprError(`${what} at column ${pos} is out of the safe integer range (±(2^53-1))`, pos);
  }
  return value;
}

function knownNames(env: Readonly<Record<string, number>>): string {
  const names = Object.keys(env);
  return names.length === 0 ? 'no names are defined here' : `known: ${names.join(', ')}`;
}

function evalNode(node: Expr, env: Readonly<Record<string, number>>): bigint {
  switch (node.kind) {
    case 'number':
      if (!Number.isSafeInteger(node.value)) throw new ExprError(`number at column ${node.pos} is not a safe integer`, node.pos);
      return BigInt(node.value);
    case 'name': {
      if (!Object.prototype.hasOwnProperty.call(env, node.name)) {
        throw new ExprError(`unknown name '${node.name}'; ${knownNames(env)}`, node.pos);
      }
      const value: unknown = env[node.name];
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
        throw new ExprError(`the value of '${node.name}' (${String(value)}) is not a safe integer`, node.pos);
      }
      return BigInt(value);
    }
    case 'unary': {
      const v = evalNode(node.arg, env);
      switch (node.op) {
        case '-': return -v;
        case '+': return v;
        case '~': return safe(~v, "the result of '~'", node.pos);
        case '!': return v === 0n ? 1n : 0n;
      }
      break;
    }
    case 'conditional':
      return evalNode(node.test, env) !== 0n ? evalNode(node.then, env) : evalNode(node.else, env);
    case 'call': {
      let result = evalNode(node.args[0], env);
      for (let k = 1; k < node.args.length; k++) {
        const v = evalNode(node.args[k], env);
        if (node.fn === 'min' ? v < result : v > result) result = v;
      }
      return result;
    }
    case 'binary': {
      const { op, pos } = node;
      const a = evalNode(node.left, env);
      if (op === '&&') return a !== 0n && evalNode(node.right, env) !== 0n ? 1n : 0n;
      if (op === '||') return a !== 0n || evalNode(node.right, env) !== 0n ? 1n : 0n;
      const b = evalNode(node.right, env);
      switch (op) {
        case '+': return safe(a + b, "the result of '+'", pos);
        case '-': return safe(a - b, "the result of '-'", pos);
        case '*': return safe(a * b, "the result of '*'", pos);
        case '/':
        case '%':
          if (b === 0n) throw new ExprError(`${op === '/' ? 'division' : 'modulo'} by zero at column ${pos}`, pos);
          return op === '/' ? a / b : a % b; // BigInt: truncates toward zero; remainder has the dividend's sign
        case '<<':
        case '>>':
          if (b < 0n || b > 63n) throw new ExprError(`shift count ${b} at column ${pos} is outside 0..63`, pos);
          return op === '<<' ? safe(a << b, "the result of '<<'", pos) : a >> b;
        case '<': return a < b ? 1n : 0n;
        case '<=': return a <= b ? 1n : 0n;
        case '>': return a > b ? 1n : 0n;
        case '>=': return a >= b ? 1n : 0n;
        case '==': return a === b ? 1n : 0n;
        case '!=': return a !== b ? 1n : 0n;
        case '&': return safe(a & b, "the result of '&'", pos);
        case '|': return safe(a | b, "the result of '|'", pos);
        case '^': return safe(a ^ b, "the result of '^'", pos);
      }
      break;
    }
  }
  // Only reachable with a hand-built, malformed tree.
  return malformed(node);
}

function malformed(node: unknown): never {
  const { kind, pos } = (node ?? {}) as { kind?: unknown; pos?: unknown };
  throw new ExprError(`malformed expression node '${String(kind)}'`, typeof pos === 'number' ? pos : 0);
}

/**
 * Evaluate a parsed expression with names bound by `env`. Throws ExprError for unknown names,
 * division or modulo by zero, shift counts outside 0..63 and results outside the safe-integer range.
 */
export function evaluate(expr: Expr, env: Readonly<Record<string, number>>): number {
  // Every operator checks its own result; this covers hand-built trees too.
  return Number(safe(evalNode(expr, env), 'the result', expr.pos));
}

/** Parse and evaluate in one step. */
export function evalExpr(source: string, env: Readonly<Record<string, number>>): number {
  return evaluate(parseExpr(source), env);
}

/** The free names an expression uses, each once, in order of first appearance. */
export function identifiers(expr: Expr): string[] {
  const seen = new Set<string>();
  const walk = (node: Expr): void => {
    switch (node.kind) {
      case 'number': return;
      case 'name': seen.add(node.name); return;
      case 'unary': walk(node.arg); return;
      case 'binary': walk(node.left); walk(node.right); return;
      case 'conditional': walk(node.test); walk(node.then); walk(node.else); return;
      case 'call': node.args.forEach(walk); return;
    }
  };
  walk(expr);
  return [...seen];
}

// ---------------------------------------------------------------------------------------------
// Templates: "uart${i}" → "uart2". `$${` writes a literal "${". Text outside ${...} is copied.

/** A template split into literal text and parsed expressions. */
export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'expr'; readonly expr: Expr; readonly source: string; readonly pos: number };

function shiftError(error: unknown, offset: number): never {
  if (error instanceof ExprError) {
    const position = error.position + offset;
    const message = error.message.replace(/at column (\d+)/g, (_m, n: string) => `at column ${Number(n) + offset}`);
    throw new ExprError(message, position);
  }
  throw error;
}

/** Split and parse a template. Errors carry positions in the template. */
export function parseTemplate(template: string): TemplatePart[] {
  if (typeof template !== 'string') throw new ExprError('template must be a string', 0);
  if (template.length > MAX_EXPR_LENGTH) {
    throw new ExprError(`template is ${template.length} characters long; the limit is ${MAX_EXPR_LENGTH}`, MAX_EXPR_LENGTH);
  }
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('$${', i)) {
      text += '${';
      i += 3;
    } else if (template.startsWith('${', i)) {
      const close = template.indexOf('}', i + 2);
      if (close < 0) throw new ExprError(`unterminated '\${' at column ${i}: missing '}'`, i);
      if (text !== '') parts.push({ kind: 'text', text });
      text = '';
      const source = template.slice(i + 2, close);
      let expr: Expr;
      try {
        expr = parseExpr(source);
      } catch (error) {
        shiftError(error, i + 2);
      }
      parts.push({ kind: 'expr', expr, source, pos: i + 2 });
      i = close + 1;
    } else {
      text += template[i];
      i++;
    }
  }
  if (text !== '') parts.push({ kind: 'text', text });
  return parts;
}

/** True if the string contains a ${...} part (so it is a template rather than plain text). */
export function isTemplate(text: string): boolean {
  return text.replace(/\$\$\{/g, '').includes('${');
}

/** The free names a template's ${...} parts use, each once. */
export function templateIdentifiers(template: string): string[] {
  const names = new Set<string>();
  for (const part of parseTemplate(template)) {
    if (part.kind === 'expr') for (const n of identifiers(part.expr)) names.add(n);
  }
  return [...names];
}

/**
 * Interpolate a template: every `${expr}` is replaced by the decimal value of expr.
 * interpolate("uart${i}", { i: 2 }) → "uart2". Errors carry positions in the template.
 */
export function interpolate(template: string, env: Readonly<Record<string, number>>): string {
  let out = '';
  for (const part of parseTemplate(template)) {
    if (part.kind === 'text') {
      out += part.text;
    } else {
      try {
        out += String(evaluate(part.expr, env));
      } catch (error) {
        shiftError(error, part.pos);
      }
    }
  }
  return out;
}
