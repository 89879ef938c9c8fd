import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ExprError,
  MAX_EXPR_DEPTH,
  MAX_EXPR_LENGTH,
  evalExpr,
  evaluate,
  identifiers,
  interpolate,
  isTemplate,
  parseExpr,
  parseTemplate,
  templateIdentifiers,
} from './expr.ts';

const MAX = Number.MAX_SAFE_INTEGER;

/** The ExprError `fn` throws (fails the test if it throws anything else or nothing). */
function exprError(fn: () => unknown): ExprError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ExprError);
    return error as ExprError;
  }
  throw new Error('expected an ExprError');
}

describe('literals', () => {
  it.each([
    ['0', 0],
    ['42', 42],
    ['007', 7], // leading zeros are decimal, not octal
    ['0x10', 16],
    ['0XfF', 255],
    ['0x1000_0000', 0x10000000],
    ['0b1010', 10],
    ['0B1_0000', 16],
    ['0o17', 15],
    ['1_000_000', 1000000],
    ['4K', 4096],
    ['4k', 4096],
    ['64M', 64 * 1024 * 1024],
    ['2G', 2 * 1024 ** 3],
    ['1T', 1024 ** 4],
    ['0x10K', 16 * 1024],
    ['0b1M', 1024 * 1024],
    ['9007199254740991', MAX],
    ['0x1F_FFFF_FFFF_FFFF', MAX],
  ])('%s = %d', (source, value) => {
    expect(evalExpr(source, {})).toBe(value);
  });

  it.each([
    ['0x', 0],
    ['0b2', 0],
    ['0o8', 0],
    ['1_', 0],
    ['1__0', 0],
    ['0x_1', 0],
    ['1e3', 0],
    ['4KB', 0],
    ['2i', 0],
    ['1 + 12abc', 4],
  ])('%s is not a number (error at %d)', (source, position) => {
    const error = exprError(() => parseExpr(source));
    expect(error.position).toBe(position);
    expect(error.message).toMatch(/^invalid number '/);
  });

  it('rejects literals above 2^53-1', () => {
    expect(exprError(() => parseExpr('9007199254740992')).message).toMatch(/larger than 2\^53-1/);
    expect(exprError(() => parseExpr('1 + 8192T')).position).toBe(4);
  });
});

describe('operators', () => {
  const env = { a: 12, b: 5, z: 0, n: -7 };
  it.each([
    ['a + b', 17],
    ['a - b', 7],
    ['a * b', 60],
    ['a / b', 2],
    ['a % b', 2],
    ['a << 2', 48],
    ['a >> 2', 3],
    ['n >> 1', -4], // arithmetic shift (floor)
    ['a & b', 4],
    ['a | b', 13],
    ['a ^ b', 9],
    ['~a', -13],
    ['-a', -12],
    ['+a', 12],
    ['!a', 0],
    ['!z', 1],
    ['a == 12', 1],
    ['a != 12', 0],
    ['a < b', 0],
    ['a <= 12', 1],
    ['a > b', 1],
    ['b >= 6', 0],
    ['a && b', 1],
    ['a && z', 0],
    ['z || b', 1],
    ['z || z', 0],
    ['a ? 1 : 2', 1],
    ['z ? 1 : 2', 2],
    ['min(a, b)', 5],
    ['max(a, b)', 12],
    ['min(a, b, n, 3)', -7],
    ['max(n, z)', 0],
  ])('%s = %d', (source, value) => {
    expect(evalExpr(source, env)).toBe(value);
  });

  it.each([
    ['7 / 2', 3],
    ['-7 / 2', -3],
    ['7 / -2', -3],
    ['-7 / -2', 3],
    ['7 % 3', 1],
    ['-7 % 3', -1],
    ['7 % -3', 1],
    ['-7 % -3', -1],
  ])('division truncates toward zero: %s = %d', (source, value) => {
    expect(evalExpr(source, {})).toBe(value);
  });

  it('works on addresses above 2^31 (no 32-bit wrap-around)', () => {
    expect(evalExpr('0x80000000 | 0x1000', {})).toBe(0x80001000);
    expect(evalExpr('0xFFFFFFFF & ~0xFFF', {})).toBe(0xfffff000);
    expect(evalExpr('0x1_0000_0000 >> 4', {})).toBe(0x10000000);
    expect(evalExpr('1 << 40', {})).toBe(2 ** 40);
    expect(evalExpr('0xC000_0000 ^ 0x4000_0000', {})).toBe(0x80000000);
  });

  it('evaluates only the chosen branch and short-circuits && and ||', () => {
    expect(evalExpr('i == 0 ? 0 : 100 / i', { i: 0 })).toBe(0);
    expect(evalExpr('i != 0 && 100 / i > 1', { i: 0 })).toBe(0);
    expect(evalExpr('i == 0 || 100 / i > 1', { i: 0 })).toBe(1);
    expect(evalExpr('i ? j : 1', { i: 0 })).toBe(1); // j unknown but never evaluated
  });
});

describe('precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['2 * 3 % 4', 2],
    ['1 + 2 << 1', 6],
    ['1 << 2 + 1', 8],
    ['1 << 2 < 5', 1],
    ['3 < 2 == 0', 1],
    ['1 == 1 & 2', 0], // == binds tighter than &: (1 == 1) & 2
    ['6 & 3 ^ 1', 3], // & before ^: (6 & 3) ^ 1
    ['1 | 2 ^ 3', 1], // ^ before |: 1 | (2 ^ 3)
    ['1 | 0 && 0', 0], // | before &&
    ['1 || 0 && 0', 1], // && before ||
    ['0 && 1 ? 5 : 6', 6],
    ['-2 * 3', -6],
    ['-2 * -3', 6],
    ['~0 & 7', 7],
    ['!0 + 1', 2],
    ['- -1', 1],
    ['--1', 1],
    ['-~0', 1],
    ['!!5', 1],
    ['10 - 3 - 2', 5],
    ['100 / 10 / 5', 2],
    ['100 % 7 % 3', 2],
    ['2 << 1 << 1', 8],
    ['64 >> 2 >> 1', 8],
    ['1 - 2 + 3', 2],
    ['1 ? 2 : 0 ? 3 : 4', 2], // right associative: 1 ? 2 : (0 ? 3 : 4)
    ['0 ? 2 : 0 ? 3 : 4', 4],
    ['0 ? 2 : 1 ? 3 : 4', 3],
    ['1 ? 0 ? 5 : 6 : 7', 6],
    ['(1 ? 2 : 3) + 10', 12],
    ['1 ? 2 : 3 + 10', 2],
    ['max(1, 2) * min(3, 4)', 6],
    ['max(1 ? 2 : 3, 0)', 2],
  ])('%s = %d', (source, value) => {
    expect(evalExpr(source, {})).toBe(value);
  });

  it('handles whitespace and newlines anywhere between tokens', () => {
    expect(evalExpr('\t1\n+\r\n2 *  3 ', {})).toBe(7);
  });
});

describe('names and environments', () => {
  it('binds names from the environment', () => {
    expect(evalExpr('base + i * stride', { base: 0x10000000, i: 3, stride: 0x1000 })).toBe(0x10003000);
    expect(evalExpr('index_2 + _x', { index_2: 1, _x: 2 })).toBe(3);
  });

  it('names an unknown identifier and lists the known ones', () => {
    const error = exprError(() => evalExpr('i + j', { i: 1, base: 2 }));
    expect(error.message).toBe("unknown name 'j'; known: i, base");
    expect(error.position).toBe(4);
    expect(exprError(() => evalExpr('x', {})).message).toBe("unknown name 'x'; no names are defined here");
  });

  it('does not see inherited properties', () => {
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
      expect(exprError(() => evalExpr(name, { i: 1 })).message).toBe(`unknown name '${name}'; known: i`);
    }
  });

  it('rejects environment values that are not safe integers', () => {
    for (const bad of [1.5, NaN, Infinity, 2 ** 53]) {
      const error = exprError(() => evalExpr('1 + x', { x: bad }));
      expect(error.message).toMatch(/the value of 'x' .* is not a safe integer/);
      expect(error.position).toBe(4);
    }
    expect(exprError(() => evalExpr('x', { x: '3' } as unknown as Record<string, number>)).message).toMatch(/not a safe integer/);
  });

  it('lets a name shadow a function when it is not called', () => {
    expect(evalExpr('min + 1', { min: 4 })).toBe(5);
    expect(evalExpr('min(min, 2)', { min: 4 })).toBe(2);
  });

  it('evaluates one parsed expression in many environments', () => {
    const expr = parseExpr('0x1000_0000 + i * 0x100');
    expect([0, 1, 2].map((i) => evaluate(expr, { i }))).toEqual([0x10000000, 0x10000100, 0x10000200]);
  });

  it('lists free identifiers once, in order, without function names', () => {
    expect(identifiers(parseExpr('base + i * stride + i - max(i, lim)'))).toEqual(['base', 'i', 'stride', 'lim']);
    expect(identifiers(parseExpr('1 + 2'))).toEqual([]);
    expect(identifiers(parseExpr('a ? -b : ~c'))).toEqual(['a', 'b', 'c']);
  });
});

describe('runtime errors', () => {
  it.each([
    ['1 / 0', 2, 'division by zero at column 2'],
    ['5 % (i - i)', 2, 'modulo by zero at column 2'],
    ['9007199254740991 + 1', 17, "the result of '+' at column 17 is out of the safe integer range"],
    ['-9007199254740991 - 1', 18, "the result of '-'"],
    ['0x100000000 * 0x200000', 12, "the result of '*'"],
    ['1 << 53', 2, "the result of '<<'"],
    ['1 << 64', 2, 'shift count 64 at column 2 is outside 0..63'],
    ['1 >> -1', 2, 'shift count -1'],
    ['~9007199254740991', 0, "the result of '~' at column 0"], // ~x = -x-1 = -2^53
    ['-0x1F_FFFF_FFFF_FFFF ^ 1', 21, "the result of '^'"],
    ['-0x1F_FFFF_FFFF_FFFF & -2', 21, "the result of '&'"],
  ])('%s fails at %d', (source, position, message) => {
    const error = exprError(() => evalExpr(source, { i: 3 }));
    expect(error.position).toBe(position);
    expect(error.message).toContain(message);
  });

  it('keeps results at the edge of the range', () => {
    expect(evalExpr('~-9007199254740991', {})).toBe(2 ** 53 - 2);
    expect(evalExpr('-9007199254740991 & -1', {})).toBe(-MAX);
    expect(evalExpr('9007199254740990 + 1', {})).toBe(MAX);
  });

  it('checks intermediate results, not only the final one', () => {
    expect(exprError(() => evalExpr('(9007199254740991 + 1) - 1', {})).message).toMatch(/'\+'/);
  });
});

describe('syntax errors', () => {
  it.each([
    ['(1 + 2))', 7, "unexpected ')' at column 7"],
    ['', 0, 'empty expression at column 0'],
    ['   ', 0, 'empty expression'],
    ['1 +', 3, 'unexpected end of expression at column 3'],
    ['1 2', 2, "unexpected '2' at column 2"],
    ['(1', 2, "expected ')' at column 2 to close the '(' at column 0, found end of expression"],
    ['((1)', 4, "expected ')' at column 4 to close the '(' at column 0"],
    ['a = 1', 2, "unexpected '=' at column 2; use '==' to compare"],
    ['1 # 2', 2, "unexpected character '#' at column 2"],
    ['1 ? 2', 5, "expected ':' at column 5 after the '?' at column 2"],
    ['1 ? 2 , 3', 6, "expected ':' at column 6"],
    ['min(1,)', 6, "unexpected ')' at column 6"],
    ['min(1 2)', 6, "expected ')' at column 6 to close the '(' at column 3, found '2'"],
    ['min(1)', 0, 'min() needs at least 2 arguments, got 1'],
    ['max()', 0, 'max() needs at least 2 arguments, got 0'],
    ['pow(2, 3)', 0, "unknown function 'pow' at column 0; known: min, max"],
    ['2 ** 3', 3, "unexpected '*' at column 3"],
    [')', 0, "unexpected ')' at column 0"],
    ['1 +* 2', 3, "unexpected '*'"],
    ['"a"', 0, "unexpected character '\\\"'"],
    ['1 ; 2', 2, "unexpected character ';'"],
    ['x.y', 1, "unexpected character '.'"],
    ['i++', 3, 'unexpected end of expression'],
  ])('%j fails at %d', (source, position, message) => {
    const error = exprError(() => parseExpr(source));
    expect(error.position).toBe(position);
    expect(error.message).toContain(message);
  });
});

describe('guards against hostile input', () => {
  it(`rejects sources longer than ${MAX_EXPR_LENGTH} characters`, () => {
    const error = exprError(() => parseExpr('1+'.repeat(500) + '1'));
    expect(error.message).toMatch(/limit is 1000/);
    expect(error.position).toBe(MAX_EXPR_LENGTH);
  });

  it('accepts long flat chains within the limit', () => {
    expect(evalExpr('1+'.repeat(499) + '1', {})).toBe(500);
    expect(evalExpr('i*'.repeat(100) + '1', { i: 1 })).toBe(1);
  });

  it(`accepts nesting up to ${MAX_EXPR_DEPTH} levels and rejects deeper`, () => {
    const nested = (n: number): string => '('.repeat(n) + '1' + ')'.repeat(n);
    expect(evalExpr(nested(MAX_EXPR_DEPTH), {})).toBe(1);
    expect(evalExpr('-'.repeat(MAX_EXPR_DEPTH) + '1', {})).toBe(1);
    const error = exprError(() => parseExpr(nested(MAX_EXPR_DEPTH + 1)));
    expect(error.message).toBe('expression nested too deeply (more than 64 levels) at column 64');
    expect(error.position).toBe(MAX_EXPR_DEPTH); // the '(' that opens level 65
    expect(exprError(() => parseExpr('-'.repeat(MAX_EXPR_DEPTH + 1) + '1')).position).toBe(MAX_EXPR_DEPTH);
    expect(exprError(() => parseExpr(nested(400))).message).toMatch(/nested too deeply/);
    expect(exprError(() => parseExpr('-'.repeat(900) + '1')).message).toMatch(/nested too deeply/);
    expect(exprError(() => parseExpr('!~'.repeat(400) + '1')).message).toMatch(/nested too deeply/);
    expect(exprError(() => parseExpr('1?'.repeat(200) + '1' + ':1'.repeat(200))).message).toMatch(/nested too deeply/);
    expect(exprError(() => parseExpr('min(1,'.repeat(100) + '1' + ')'.repeat(100))).message).toMatch(/nested too deeply/);
  });

  it('rejects non-string input with an ExprError', () => {
    expect(exprError(() => parseExpr(42 as unknown as string)).message).toMatch(/must be a string/);
  });

  it('never uses eval or Function', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('./expr.ts', import.meta.url), 'utf8').replace(/\/\/.*$/gm, '');
    expect(source).not.toMatch(/\beval\s*\(|new\s+Function|\bFunction\s*\(/);
  });
});

describe('templates', () => {
  it.each([
    ['uart${i}', { i: 2 }, 'uart2'],
    ['uart', { i: 2 }, 'uart'],
    ['', {}, ''],
    ['${i}', { i: 7 }, '7'],
    ['cpu${i}-core${i * 2 + 1}', { i: 3 }, 'cpu3-core7'],
    ['${base + i * 0x1000}', { base: 0x10000000, i: 1 }, '268439552'],
    ['n${-i}', { i: 4 }, 'n-4'],
    ['cost $${i} and ${i}', { i: 1 }, 'cost ${i} and 1'],
    ['a$b{c}$', {}, 'a$b{c}$'],
    ['${ i ? 1 : 2 }', { i: 0 }, '2'],
  ])('%s → %s', (template, env, out) => {
    expect(interpolate(template, env)).toBe(out);
  });

  it('reports errors at their position in the template', () => {
    let error = exprError(() => interpolate('uart${i + }', { i: 1 }));
    expect(error.position).toBe(10);
    expect(error.message).toBe('unexpected end of expression at column 10');
    error = exprError(() => interpolate('x${i}y${j}', { i: 1 }));
    expect(error.position).toBe(8);
    expect(error.message).toBe("unknown name 'j'; known: i");
    error = exprError(() => interpolate('ab${1/0}', {}));
    expect(error.position).toBe(5);
    expect(error.message).toBe('division by zero at column 5');
    error = exprError(() => interpolate('uart${i', { i: 1 }));
    expect(error.position).toBe(4);
    expect(error.message).toMatch(/unterminated '\$\{' at column 4/);
    expect(exprError(() => interpolate('${}', {})).position).toBe(2);
    expect(exprError(() => interpolate('x'.repeat(1001), {})).message).toMatch(/limit is 1000/);
  });

  it('splits, inspects and detects templates', () => {
    const parts = parseTemplate('irq${i + 1}!');
    expect(parts.map((p) => p.kind)).toEqual(['text', 'expr', 'text']);
    expect(parts[1]).toMatchObject({ kind: 'expr', source: 'i + 1', pos: 5 });
    expect(templateIdentifiers('dev${i}@${base + i * stride}')).toEqual(['i', 'base', 'stride']);
    expect(isTemplate('uart${i}')).toBe(true);
    expect(isTemplate('uart')).toBe(false);
    expect(isTemplate('price $${x}')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Property tests

type Tree =
  | { readonly t: 'n'; readonly v: number }
  | { readonly t: 'v'; readonly name: 'i' | 'j' }
  | { readonly t: 'u'; readonly op: '-' | '~' | '!'; readonly a: Tree }
  | { readonly t: 'b'; readonly op: string; readonly a: Tree; readonly b: Tree }
  | { readonly t: 'c'; readonly a: Tree; readonly b: Tree; readonly c: Tree }
  | { readonly t: 'f'; readonly fn: 'min' | 'max'; readonly args: readonly Tree[] };

const ALL_BINARY = ['+', '-', '*', '/', '%', '<<', '>>', '<', '<=', '>', '>=', '==', '!=', '&', '|', '^', '&&', '||'];
const ENV = { i: 3, j: -5 };

function trees(ops: readonly string[], full: boolean): fc.Arbitrary<Tree> {
  const leaf: fc.Arbitrary<Tree> = fc.oneof(
    fc.integer({ min: -1000, max: 1000 }).map((v): Tree => ({ t: 'n', v })),
    fc.constantFrom<'i' | 'j'>('i', 'j').map((name): Tree => ({ t: 'v', name })),
  );
  return fc.letrec<{ tree: Tree }>((tie) => ({
    tree: fc.oneof(
      { maxDepth: 6, depthIdentifier: 'tree' },
      leaf,
      fc.record({ t: fc.constant('b' as const), op: fc.constantFrom(...ops), a: tie('tree'), b: tie('tree') }),
      ...(full
        ? [
            fc.record({ t: fc.constant('u' as const), op: fc.constantFrom<'-' | '~' | '!'>('-', '~', '!'), a: tie('tree') }),
            fc.record({ t: fc.constant('c' as const), a: tie('tree'), b: tie('tree'), c: tie('tree') }),
            fc.record({ t: fc.constant('f' as const), fn: fc.constantFrom<'min' | 'max'>('min', 'max'), args: fc.array(tie('tree'), { minLength: 2, maxLength: 3 }) }),
          ]
        : []),
    ),
  })).tree;
}

/** Fully parenthesized source (a negative literal is written as unary minus on its magnitude). */
function render(tree: Tree): string {
  switch (tree.t) {
    case 'n': return tree.v < 0 ? `(-${-tree.v})` : String(tree.v);
    case 'v': return tree.name;
    case 'u': return `(${tree.op}${render(tree.a)})`;
    case 'b': return `(${render(tree.a)} ${tree.op} ${render(tree.b)})`;
    case 'c': return `(${render(tree.a)} ? ${render(tree.b)} : ${render(tree.c)})`;
    case 'f': return `${tree.fn}(${tree.args.map(render).join(', ')})`;
  }
}

class ReferenceError_ extends Error {}
const LIMIT = BigInt(MAX);
function inRange(v: bigint): bigint {
  if (v > LIMIT || v < -LIMIT) throw new ReferenceError_('range');
  return v;
}

/** An independent BigInt reference with C semantics; throws ReferenceError_ where evalExpr must fail. */
function reference(tree: Tree): bigint {
  switch (tree.t) {
    case 'n': return BigInt(tree.v);
    case 'v': return BigInt(ENV[tree.name]);
    case 'u': {
      const a = reference(tree.a);
      return tree.op === '-' ? -a : tree.op === '~' ? inRange(-a - 1n) : a === 0n ? 1n : 0n;
    }
    case 'c': return reference(tree.a) !== 0n ? reference(tree.b) : reference(tree.c);
    case 'f': {
      const values = tree.args.map(reference);
      return values.reduce((m, v) => (tree.fn === 'min' ? (v < m ? v : m) : v > m ? v : m));
    }
    case 'b': {
      const a = reference(tree.a);
      if (tree.op === '&&') return a !== 0n && reference(tree.b) !== 0n ? 1n : 0n;
      if (tree.op === '||') return a !== 0n || reference(tree.b) !== 0n ? 1n : 0n;
      const b = reference(tree.b);
      const bool = (x: boolean): bigint => (x ? 1n : 0n);
      switch (tree.op) {
        case '+': return inRange(a + b);
        case '-': return inRange(a - b);
        case '*': return inRange(a * b);
        case '/': if (b === 0n) throw new ReferenceError_('div'); return a / b;
        case '%': if (b === 0n) throw new ReferenceError_('div'); return a % b;
        case '<<': if (b < 0n || b > 63n) throw new ReferenceError_('shift'); return inRange(a * 2n ** b);
        case '>>': {
          if (b < 0n || b > 63n) throw new ReferenceError_('shift');
          const d = 2n ** b;
          return a >= 0n ? a / d : -((-a + d - 1n) / d); // floor division
        }
        case '<': return bool(a < b);
        case '<=': return bool(a <= b);
        case '>': return bool(a > b);
        case '>=': return bool(a >= b);
        case '==': return bool(a === b);
        case '!=': return bool(a !== b);
        case '&': return inRange(a & b);
        case '|': return inRange(a | b);
        case '^': return inRange(a ^ b);
      }
      throw new Error(`bad op ${tree.op}`);
    }
  }
}

function outcome(fn: () => bigint | number): { ok: true; value: number } | { ok: false } {
  try {
    return { ok: true, value: Number(fn()) };
  } catch (error) {
    if (error instanceof ReferenceError_ || error instanceof ExprError) return { ok: false };
    throw error;
  }
}

describe('properties', () => {
  it('+, - and * of small integers agree with a BigInt reference (including overflow)', () => {
    fc.assert(
      fc.property(trees(['+', '-', '*'], false), (tree) => {
        const source = render(tree);
        fc.pre(source.length <= MAX_EXPR_LENGTH);
        expect(outcome(() => evalExpr(source, ENV))).toEqual(outcome(() => reference(tree)));
      }),
      { numRuns: 1000 },
    );
  });

  it('every operator agrees with the reference, and only ExprErrors are thrown', () => {
    fc.assert(
      fc.property(trees(ALL_BINARY, true), (tree) => {
        const source = render(tree);
        fc.pre(source.length <= MAX_EXPR_LENGTH);
        let result: number | undefined;
        try {
          result = evalExpr(source, ENV);
        } catch (error) {
          expect(error).toBeInstanceOf(ExprError);
        }
        if (result !== undefined) expect(Number.isSafeInteger(result)).toBe(true);
        expect(outcome(() => evalExpr(source, ENV))).toEqual(outcome(() => reference(tree)));
      }),
      { numRuns: 1000 },
    );
  });

  it('random text never throws anything but ExprError, with a position inside the source', () => {
    const alphabet = fc.constantFrom(...'0123456789abijxKMG_ +-*/%<>=!&|^~?:(),$.{}#\n'.split(''), '0x', '0b', 'min(', 'max(', '<<', '>>', '&&', '||', '==', '${');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join('')), (source) => {
        for (const run of [() => evalExpr(source, ENV), () => interpolate(source, ENV)]) {
          try {
            const value = run();
            if (typeof value === 'number') expect(Number.isSafeInteger(value)).toBe(true);
          } catch (error) {
            expect(error).toBeInstanceOf(ExprError);
            const { position } = error as ExprError;
            expect(Number.isInteger(position) && position >= 0 && position <= source.length).toBe(true);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('identifiers() lists exactly the names evaluation needs', () => {
    fc.assert(
      fc.property(trees(ALL_BINARY, true), (tree) => {
        const expr = parseExpr(render(tree));
        const names = identifiers(expr);
        for (const name of names) expect(['i', 'j']).toContain(name);
        // With every listed name bound, no evaluation fails for an unknown name.
        const env = Object.fromEntries(names.map((n) => [n, ENV[n as 'i' | 'j']]));
        try {
          evaluate(expr, env);
        } catch (error) {
          expect((error as Error).message).not.toMatch(/unknown name/);
        }
      }),
      { numRuns: 300 },
    );
  });
});
