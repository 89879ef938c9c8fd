// Hand cases from IEEE 754-2019 and the RISC-V F/D chapter (with QEMU 7.2's choices where the
// standard leaves room: default NaN, tininess after rounding), and a randomized cross-check of the
// round-to-nearest-even values against the host's binary64 arithmetic. The line-by-line comparison
// with QEMU itself is firmware/fp-vectors.reference.test.ts.
import { describe, expect, test } from 'vitest';
import * as SF from './index.ts';

const { NearestEven: RNE, TowardZero: RTZ, Down: RDN, Up: RUP, NearestMaxMagnitude: RMM } = SF.RoundingMode;
const { Inexact: NX, Underflow: UF, Overflow: OF, DivideByZero: DZ, Invalid: NV } = SF.FloatFlag;
const MODES = [RNE, RTZ, RDN, RUP, RMM];

const view = new DataView(new ArrayBuffer(8));
/** A JS number as single-precision bits (rounded to nearest by the host). */
function f32(x: number): number {
  view.setFloat32(0, x);
  return view.getUint32(0);
}
function f64(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}
function fromF64(bits: bigint): number {
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}
function fromF32(bits: number): number {
  view.setUint32(0, bits);
  return view.getFloat32(0);
}
const st = (roundingMode: number = RNE): SF.FloatStatus => ({ roundingMode, flags: 0 });

/** Runs an operation with a fresh status; returns its result and flags. */
function run<T>(mode: number, op: (s: SF.FloatStatus) => T): [T, number] {
  const s = st(mode);
  const result = op(s);
  return [result, s.flags];
}

const MAX32 = 0x7f7fffff;
const INF32 = 0x7f800000;
const NEG = 0x80000000;
const MIN_NORMAL32 = 0x00800000;
const SNAN32 = 0x7f800001;
const QNAN32 = 0x7fc00000;
const MAX64 = 0x7fefffffffffffffn;
const INF64 = 0x7ff0000000000000n;
const NEG64 = 0x8000000000000000n;
const SNAN64 = 0x7ff0000000000001n;

describe('overflow: infinity or the largest finite number, per rounding mode and sign', () => {
  // IEEE 754 7.4: RNE and RMM go to ∞; RTZ to the largest finite; RDN/RUP to ∞ only in their direction.
  const expected32: Record<number, [number, number]> = {
    [RNE]: [INF32, NEG | INF32], [RMM]: [INF32, NEG | INF32], [RTZ]: [MAX32, NEG | MAX32],
    [RDN]: [MAX32, NEG | INF32], [RUP]: [INF32, NEG | MAX32],
  };
  test.each(MODES)('single, mode %i', (mode) => {
    expect(run(mode, (s) => SF.f32Mul(MAX32, f32(2), s))).toEqual([expected32[mode][0], OF | NX]);
    expect(run(mode, (s) => SF.f32Mul(MAX32, f32(-2), s))).toEqual([expected32[mode][1] >>> 0, OF | NX]);
    expect(run(mode, (s) => SF.f32Add(MAX32, MAX32, s))).toEqual([expected32[mode][0], OF | NX]);
  });
  test.each(MODES)('double, mode %i', (mode) => {
    const toInfinity = { up: mode === RNE || mode === RMM || mode === RUP, down: mode === RNE || mode === RMM || mode === RDN };
    expect(run(mode, (s) => SF.f64Mul(MAX64, f64(2), s))).toEqual([toInfinity.up ? INF64 : MAX64, OF | NX]);
    expect(run(mode, (s) => SF.f64Mul(MAX64, f64(-2), s))).toEqual([NEG64 | (toInfinity.down ? INF64 : MAX64), OF | NX]);
    expect(run(mode, (s) => SF.f64ToF32(MAX64, s))).toEqual([toInfinity.up ? INF32 : MAX32, OF | NX]);
  });
  test('a result that rounds to exactly the largest finite number does not overflow', () => {
    expect(run(RNE, (s) => SF.f32Mul(MAX32, f32(1), s))).toEqual([MAX32, 0]);
    // 2^128 - 2^103 (halfway between MAX32 and 2^128) rounds to even: 2^128, an overflow.
    expect(run(RNE, (s) => SF.f64ToF32(f64(2 ** 128 - 2 ** 103), s))).toEqual([INF32, OF | NX]);
    expect(run(RNE, (s) => SF.f64ToF32(f64(2 ** 128 - 2 ** 103 - 2 ** 80), s))).toEqual([MAX32, NX]);
  });
});

describe('underflow: tiny after rounding, and inexact', () => {
  test('a value below the smallest normal that rounds up to it at full precision is not tiny (Inexact only)', () => {
    // 2^-126 × (1 - 2^-26): rounded to 24 bits with an unbounded exponent it is 2^-126, a normal number.
    expect(run(RNE, (s) => SF.f64ToF32(f64(2 ** -126 * (1 - 2 ** -26)), s))).toEqual([MIN_NORMAL32, NX]);
  });
  test('one that stays below it at full precision is tiny, even when the subnormal rounding reaches 2^-126', () => {
    // 2^-126 × (1 - 2^-24) has 24 bits: tiny; to the subnormals' precision it is a tie that rounds to even, 2^-126.
    expect(run(RNE, (s) => SF.f32Mul(0x3f7fffff, MIN_NORMAL32, s))).toEqual([MIN_NORMAL32, UF | NX]);
    expect(run(RNE, (s) => SF.f64ToF32(f64(2 ** -126 * (1 - 2 ** -24)), s))).toEqual([MIN_NORMAL32, UF | NX]);
    expect(run(RNE, (s) => SF.f32Div(0x3f7fffff, f32(2 ** 126), s))).toEqual([MIN_NORMAL32, UF | NX]);
    expect(run(RNE, (s) => SF.f64Div(0x3fefffffffffffffn, f64(2 ** 1022), s))).toEqual([0x0010000000000000n, UF | NX]);
  });
  test('toward zero the same value stays tiny and becomes the largest subnormal', () => {
    expect(run(RTZ, (s) => SF.f64ToF32(f64(2 ** -126 * (1 - 2 ** -26)), s))).toEqual([0x007fffff, UF | NX]);
  });
  test('an exact subnormal result raises nothing; an inexact one Underflow and Inexact', () => {
    expect(run(RNE, (s) => SF.f32Mul(f32(2 ** -70), f32(2 ** -70), s))).toEqual([f32(2 ** -140), 0]);
    expect(run(RNE, (s) => SF.f32Mul(f32(3 * 2 ** -76), f32(2 ** -74), s))).toEqual([0x00000002, UF | NX]); // 1.5 × 2^-149 → tie → 2
    expect(run(RNE, (s) => SF.f64Div(1n, f64(2), s))).toEqual([0n, UF | NX]); // half the smallest subnormal: tie to even 0
    expect(run(RUP, (s) => SF.f64Div(1n, f64(2), s))).toEqual([1n, UF | NX]);
    expect(run(RDN, (s) => SF.f64Div(NEG64 | 1n, f64(4), s))).toEqual([NEG64 | 1n, UF | NX]);
    expect(run(RTZ, (s) => SF.f64Div(NEG64 | 1n, f64(4), s))).toEqual([NEG64, UF | NX]);
  });
});

describe('exact zero results', () => {
  // IEEE 754 6.3: x + (-x) is +0 in every mode but roundTowardNegative, where it is -0.
  test.each(MODES)('x - x and x + (-x) in mode %i', (mode) => {
    const zero = mode === RDN ? NEG : 0;
    expect(run(mode, (s) => SF.f32Add(f32(1.5), f32(-1.5), s))).toEqual([zero, 0]);
    expect(run(mode, (s) => SF.f32Sub(f32(3), f32(3), s))).toEqual([zero, 0]);
    expect(run(mode, (s) => SF.f64Add(f64(-7), f64(7), s))).toEqual([mode === RDN ? NEG64 : 0n, 0]);
    expect(run(mode, (s) => SF.f32Add(0, NEG, s))).toEqual([zero, 0]);
    expect(run(mode, (s) => SF.f32Add(NEG, NEG, s))).toEqual([NEG, 0]);
    // fma: (-1 × 1) - (-1): the product and the addend cancel exactly.
    expect(run(mode, (s) => SF.f32MulAdd(f32(1), f32(1), f32(-1), true, true, s))).toEqual([zero, 0]);
    expect(run(mode, (s) => SF.f64MulAdd(0n, f64(5), NEG64, false, false, s))).toEqual([mode === RDN ? NEG64 : 0n, 0]);
  });
  test('a zero product plus a zero addend of the same sign keeps it', () => {
    expect(run(RNE, (s) => SF.f32MulAdd(NEG, f32(1), NEG, false, false, s))).toEqual([NEG, 0]);
  });
});

describe('NaNs: always the canonical NaN; Invalid for signaling ones and invalid operations', () => {
  test('quiet NaN operands: canonical result, no flag; payloads are not propagated', () => {
    expect(run(RNE, (s) => SF.f32Add(0xffc12345, f32(1), s))).toEqual([QNAN32, 0]);
    expect(run(RNE, (s) => SF.f64Mul(0xfff8000000012345n, f64(1), s))).toEqual([SF.CANONICAL_NAN64, 0]);
  });
  test('signaling NaN operands: canonical result and Invalid', () => {
    expect(run(RNE, (s) => SF.f32Add(SNAN32, f32(1), s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f32Sqrt(SNAN32, s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f64Div(f64(1), SNAN64, s))).toEqual([SF.CANONICAL_NAN64, NV]);
    expect(run(RNE, (s) => SF.f32ToF64(SNAN32, s))).toEqual([SF.CANONICAL_NAN64, NV]);
    expect(run(RNE, (s) => SF.f64ToF32(SNAN64, s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f32ToF64(0xffc12345, s))).toEqual([SF.CANONICAL_NAN64, 0]);
  });
  test('invalid operations: ∞ - ∞, 0 × ∞, 0 / 0, ∞ / ∞, √negative', () => {
    expect(run(RNE, (s) => SF.f32Sub(INF32, INF32, s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f32Add(INF32, INF32, s))).toEqual([INF32, 0]);
    expect(run(RNE, (s) => SF.f32Mul(0, NEG | INF32, s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f64Div(0n, NEG64, s))).toEqual([SF.CANONICAL_NAN64, NV]);
    expect(run(RNE, (s) => SF.f64Div(INF64, INF64, s))).toEqual([SF.CANONICAL_NAN64, NV]);
    expect(run(RNE, (s) => SF.f32Sqrt(f32(-1), s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f64Sqrt(NEG64 | INF64, s))).toEqual([SF.CANONICAL_NAN64, NV]);
  });
  test('fma: ∞ × 0 is invalid even when the addend is a quiet NaN (as QEMU)', () => {
    expect(run(RNE, (s) => SF.f32MulAdd(INF32, 0, QNAN32, false, false, s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f64MulAdd(0n, INF64, SF.CANONICAL_NAN64, false, false, s))).toEqual([SF.CANONICAL_NAN64, NV]);
    expect(run(RNE, (s) => SF.f32MulAdd(INF32, f32(1), NEG | INF32, false, false, s))).toEqual([QNAN32, NV]);
    expect(run(RNE, (s) => SF.f32MulAdd(INF32, f32(1), NEG | INF32, false, true, s))).toEqual([INF32, 0]);
  });
});

describe('division by zero and square roots', () => {
  test('finite / 0 is a signed infinity with DivideByZero', () => {
    expect(run(RNE, (s) => SF.f32Div(f32(1), 0, s))).toEqual([INF32, DZ]);
    expect(run(RNE, (s) => SF.f32Div(f32(-1), 0, s))).toEqual([(NEG | INF32) >>> 0, DZ]);
    expect(run(RNE, (s) => SF.f64Div(f64(3), NEG64, s))).toEqual([NEG64 | INF64, DZ]);
    expect(run(RNE, (s) => SF.f32Div(INF32, 0, s))).toEqual([INF32, 0]);
  });
  test('√-0 is -0, √+∞ is +∞, exact roots raise nothing, others Inexact', () => {
    expect(run(RNE, (s) => SF.f32Sqrt(NEG, s))).toEqual([NEG, 0]);
    expect(run(RNE, (s) => SF.f64Sqrt(INF64, s))).toEqual([INF64, 0]);
    expect(run(RNE, (s) => SF.f32Sqrt(f32(2.25), s))).toEqual([f32(1.5), 0]);
    expect(run(RNE, (s) => SF.f64Sqrt(f64(2), s))).toEqual([f64(Math.SQRT2), NX]);
    expect(run(RUP, (s) => SF.f32Sqrt(f32(2), s))).toEqual([0x3fb504f4, NX]);
    expect(run(RDN, (s) => SF.f32Sqrt(f32(2), s))).toEqual([0x3fb504f3, NX]);
    expect(run(RNE, (s) => SF.f32Sqrt(1, s))).toEqual([f32(2 ** -74.5), NX]); // √(2^-149), a subnormal input
  });
});

describe('fused multiply-add rounds once', () => {
  test('(1 + 2^-23)(1 - 2^-23) - 1 is -2^-46 exactly (a multiply then a subtract would give 0)', () => {
    expect(run(RNE, (s) => SF.f32MulAdd(0x3f800001, 0x3f7ffffe, f32(-1), false, false, s))).toEqual([f32(-(2 ** -46)), 0]);
    expect(run(RNE, (s) => SF.f32Sub(SF.f32Mul(0x3f800001, 0x3f7ffffe, st()), f32(1), s))).toEqual([0, 0]);
  });
  test('negation flags: fmsub = a×b - c, fnmsub = -(a×b) + c, fnmadd = -(a×b) - c', () => {
    const [a, b, c] = [f32(2), f32(3), f32(1)];
    expect(run(RNE, (s) => SF.f32MulAdd(a, b, c, false, false, s))[0]).toBe(f32(7));
    expect(run(RNE, (s) => SF.f32MulAdd(a, b, c, false, true, s))[0]).toBe(f32(5));
    expect(run(RNE, (s) => SF.f32MulAdd(a, b, c, true, false, s))[0]).toBe(f32(-5));
    expect(run(RNE, (s) => SF.f32MulAdd(a, b, c, true, true, s))[0]).toBe(f32(-7));
  });
  test('a tiny addend below the product only makes it inexact (sticky), rounding per mode', () => {
    // 3 × (1 + 2^-23) = 3 + 3·2^-23: a tie at 24 bits; ∓2^-149 decides the direction.
    expect(run(RNE, (s) => SF.f32MulAdd(f32(3), 0x3f800001, 1, false, false, s))).toEqual([0x40400002, NX]);
    expect(run(RNE, (s) => SF.f32MulAdd(f32(3), 0x3f800001, NEG | 1, false, false, s))).toEqual([0x40400001, NX]);
    expect(run(RNE, (s) => SF.f32MulAdd(f32(3), 0x3f800001, 0, false, false, s))).toEqual([0x40400002, NX]);
  });
});

describe('comparisons', () => {
  test('feq is quiet: Invalid only for a signaling NaN; flt and fle signal for any NaN', () => {
    expect(run(RNE, (s) => SF.f32Eq(QNAN32, QNAN32, s))).toEqual([false, 0]);
    expect(run(RNE, (s) => SF.f32Eq(SNAN32, f32(1), s))).toEqual([false, NV]);
    expect(run(RNE, (s) => SF.f32Lt(QNAN32, f32(1), s))).toEqual([false, NV]);
    expect(run(RNE, (s) => SF.f64Le(f64(1), SF.CANONICAL_NAN64, s))).toEqual([false, NV]);
    expect(run(RNE, (s) => SF.f64Eq(SNAN64, SNAN64, s))).toEqual([false, NV]);
  });
  test('-0 equals +0; ordering of negatives, subnormals and infinities', () => {
    expect(run(RNE, (s) => SF.f32Eq(0, NEG, s))).toEqual([true, 0]);
    expect(run(RNE, (s) => SF.f32Lt(NEG, 0, s))).toEqual([false, 0]);
    expect(run(RNE, (s) => SF.f32Le(NEG, 0, s))).toEqual([true, 0]);
    expect(SF.f32Lt(f32(-2), f32(-1), st())).toBe(true);
    expect(SF.f32Lt(f32(-1), f32(-2), st())).toBe(false);
    expect(SF.f32Lt(1, 2, st())).toBe(true); // subnormals
    expect(SF.f64Lt(NEG64 | INF64, NEG64 | MAX64, st())).toBe(true);
    expect(SF.f64Le(INF64, INF64, st())).toBe(true);
    expect(SF.f64Lt(INF64, INF64, st())).toBe(false);
  });
});

describe('fmin / fmax (IEEE 754-2019 minimumNumber / maximumNumber, as QEMU for priv ≥ 1.11)', () => {
  test('-0 is below +0', () => {
    expect(run(RNE, (s) => SF.f32Min(0, NEG, s))).toEqual([NEG, 0]);
    expect(run(RNE, (s) => SF.f32Max(NEG, 0, s))).toEqual([0, 0]);
    expect(run(RNE, (s) => SF.f64Min(0n, NEG64, s))).toEqual([NEG64, 0]);
  });
  test('a NaN gives way to the number; a signaling one raises Invalid; two NaNs give the canonical NaN', () => {
    expect(run(RNE, (s) => SF.f32Min(QNAN32, f32(-3), s))).toEqual([f32(-3), 0]);
    expect(run(RNE, (s) => SF.f32Max(f32(2), SNAN32, s))).toEqual([f32(2), NV]);
    expect(run(RNE, (s) => SF.f32Max(0xffc12345, QNAN32, s))).toEqual([QNAN32, 0]);
    expect(run(RNE, (s) => SF.f64Min(SNAN64, SNAN64, s))).toEqual([SF.CANONICAL_NAN64, NV]);
  });
  test('ordinary values, subnormals unchanged', () => {
    expect(SF.f32Min(f32(-1), f32(1), st())).toBe(f32(-1));
    expect(SF.f32Max(f32(-1), f32(-2), st())).toBe(f32(-1));
    expect(SF.f32Max(1, 2, st())).toBe(2);
    expect(SF.f64Max(NEG64 | INF64, 1n, st())).toBe(1n);
  });
});

describe('fclass', () => {
  // RISC-V fclass bits 0-9: -∞, -normal, -subnormal, -0, +0, +subnormal, +normal, +∞, sNaN, qNaN.
  test.each([
    [NEG | INF32, 0], [f32(-1), 1], [NEG | 1, 2], [NEG, 3], [0, 4], [0x007fffff, 5], [MIN_NORMAL32, 6], [INF32, 7],
    [SNAN32, 8], [0xffa00000, 8], [QNAN32, 9], [0xffc12345, 9],
  ])('single %s: bit %i', (bits, bit) => {
    expect(SF.f32Classify(bits >>> 0)).toBe(1 << bit);
  });
  test.each([
    [NEG64 | INF64, 0], [NEG64 | MAX64, 1], [0x800fffffffffffffn, 2], [NEG64, 3], [0n, 4], [1n, 5], [0x0010000000000000n, 6], [INF64, 7],
    [SNAN64, 8], [0x7ff7ffffffffffffn, 8], [SF.CANONICAL_NAN64, 9], [0xfff8000000000001n, 9],
  ])('double %s: bit %i', (bits, bit) => {
    expect(SF.f64Classify(bits)).toBe(1 << bit);
  });
});

describe('conversions to integers', () => {
  test('rounding per mode, Inexact when a fraction is lost', () => {
    expect(run(RNE, (s) => SF.f32ToI32(f32(2.5), s))).toEqual([2, NX]);
    expect(run(RNE, (s) => SF.f32ToI32(f32(3.5), s))).toEqual([4, NX]);
    expect(run(RMM, (s) => SF.f32ToI32(f32(2.5), s))).toEqual([3, NX]);
    expect(run(RMM, (s) => SF.f32ToI32(f32(-2.5), s))).toEqual([-3, NX]);
    expect(run(RDN, (s) => SF.f64ToI32(f64(-2.25), s))).toEqual([-3, NX]);
    expect(run(RUP, (s) => SF.f64ToI32(f64(-2.25), s))).toEqual([-2, NX]);
    expect(run(RTZ, (s) => SF.f64ToI32(f64(-2.75), s))).toEqual([-2, NX]);
    expect(run(RUP, (s) => SF.f32ToU32(f32(0.25), s))).toEqual([1, NX]);
    expect(run(RNE, (s) => SF.f64ToI32(f64(-2147483648), s))).toEqual([-2147483648, 0]);
    expect(run(RNE, (s) => SF.f32ToI32(NEG, s))).toEqual([0, 0]);
  });
  test('negative values to unsigned: 0; Inexact only when they round to zero, else Invalid', () => {
    expect(run(RTZ, (s) => SF.f32ToU32(f32(-0.5), s))).toEqual([0, NX]);
    expect(run(RNE, (s) => SF.f64ToU32(f64(-0.4), s))).toEqual([0, NX]);
    expect(run(RDN, (s) => SF.f64ToU32(f64(-0.4), s))).toEqual([0, NV]);
    expect(run(RNE, (s) => SF.f32ToU32(f32(-1), s))).toEqual([0, NV]);
    expect(run(RNE, (s) => SF.f32ToU32(NEG | INF32, s))).toEqual([0, NV]);
  });
  test('out of range saturates with Invalid alone (no Inexact); NaN gives the largest integer', () => {
    expect(run(RNE, (s) => SF.f32ToI32(f32(2 ** 31), s))).toEqual([0x7fffffff, NV]);
    expect(run(RNE, (s) => SF.f64ToI32(f64(2147483647.5), s))).toEqual([0x7fffffff, NV]); // rounds to 2^31
    expect(run(RTZ, (s) => SF.f64ToI32(f64(2147483647.5), s))).toEqual([0x7fffffff, NX]);
    expect(run(RNE, (s) => SF.f64ToI32(f64(-2147483648.75), s))).toEqual([-2147483648, NV]);
    expect(run(RTZ, (s) => SF.f64ToI32(f64(-2147483648.75), s))).toEqual([-2147483648, NX]);
    expect(run(RNE, (s) => SF.f64ToU32(f64(4294967295.5), s))).toEqual([0xffffffff, NV]);
    expect(run(RNE, (s) => SF.f64ToU32(f64(1e300), s))).toEqual([0xffffffff, NV]);
    expect(run(RNE, (s) => SF.f32ToI32(QNAN32, s))).toEqual([0x7fffffff, NV]);
    expect(run(RNE, (s) => SF.f32ToI32(0xffc00000, s))).toEqual([0x7fffffff, NV]);
    expect(run(RNE, (s) => SF.f64ToU32(SNAN64, s))).toEqual([0xffffffff, NV]);
    expect(run(RNE, (s) => SF.f32ToI32(NEG | INF32, s))).toEqual([-2147483648, NV]);
  });
});

describe('conversions from integers and between formats', () => {
  test('int to single rounds beyond 24 bits', () => {
    expect(run(RNE, (s) => SF.i32ToF32(0x01000001, s))).toEqual([0x4b800000, NX]); // 2^24 + 1: tie to even
    expect(run(RUP, (s) => SF.i32ToF32(0x01000001, s))).toEqual([0x4b800001, NX]);
    expect(run(RNE, (s) => SF.i32ToF32(-0x80000000, s))).toEqual([0xcf000000, 0]);
    expect(run(RNE, (s) => SF.u32ToF32(0xffffffff, s))).toEqual([0x4f800000, NX]);
    expect(run(RTZ, (s) => SF.u32ToF32(0xffffffff, s))).toEqual([0x4f7fffff, NX]);
    expect(run(RNE, (s) => SF.i32ToF32(0, s))).toEqual([0, 0]);
  });
  test('int to double is exact', () => {
    expect(run(RNE, (s) => SF.i32ToF64(-1, s))).toEqual([f64(-1), 0]);
    expect(run(RNE, (s) => SF.u32ToF64(0xffffffff, s))).toEqual([f64(4294967295), 0]);
    expect(run(RNE, (s) => SF.i32ToF64(0x7fffffff, s))).toEqual([f64(2147483647), 0]);
  });
  test('single to double is exact, subnormals included; double to single rounds', () => {
    expect(run(RNE, (s) => SF.f32ToF64(1, s))).toEqual([f64(2 ** -149), 0]);
    expect(run(RNE, (s) => SF.f32ToF64(NEG | INF32, s))).toEqual([NEG64 | INF64, 0]);
    expect(run(RNE, (s) => SF.f64ToF32(f64(1 + 2 ** -24), s))).toEqual([f32(1), NX]);
    expect(run(RUP, (s) => SF.f64ToF32(f64(1 + 2 ** -30), s))).toEqual([0x3f800001, NX]);
    expect(run(RNE, (s) => SF.f64ToF32(f64(2 ** -150), s))).toEqual([0, UF | NX]);
    expect(run(RNE, (s) => SF.f64ToF32(f64(-(2 ** -150) * 1.5), s))).toEqual([(NEG | 1) >>> 0, UF | NX]);
  });
  test('an invalid rounding mode is an error, not a silent default', () => {
    expect(() => SF.f32Add(f32(1), f32(2 ** -30), st(7))).toThrow(/rounding mode 7/);
  });
});

/** xorshift32: reproducible operands. */
function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

describe('round-to-nearest-even values agree with the host (IEEE binary64 arithmetic in JS)', () => {
  const next = prng(0x1234567);
  const random64 = (): bigint => (BigInt(next()) << 32n) | BigInt(next());
  /** Mostly operands of similar magnitude (cancellation, ties), some anywhere. */
  const pair64 = (): [bigint, bigint] => {
    const a = random64();
    let b = random64();
    if (next() % 2 === 0) b = (b & 0x800fffffffffffffn) | (((a >> 52n) & 0x7ffn) ^ BigInt(next() % 64)) << 52n;
    return [a, b];
  };
  const host64 = (x: number): bigint => (Number.isNaN(x) ? SF.CANONICAL_NAN64 : f64(x));
  const host32 = (x: number): number => (Number.isNaN(x) ? SF.CANONICAL_NAN32 : f32(x));

  test('double: add, sub, mul, div, sqrt on 20000 pairs', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const [a, b] = pair64();
      const [x, y] = [fromF64(a), fromF64(b)];
      const cases: Array<[string, bigint, number]> = [
        ['add', SF.f64Add(a, b, st()), x + y], ['sub', SF.f64Sub(a, b, st()), x - y],
        ['mul', SF.f64Mul(a, b, st()), x * y], ['div', SF.f64Div(a, b, st()), x / y], ['sqrt', SF.f64Sqrt(a, st()), Math.sqrt(x)],
      ];
      for (const [name, ours, host] of cases) if (ours !== host64(host)) wrong.push(`${name} ${a.toString(16)} ${b.toString(16)}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  test('single: add, sub, mul, div, sqrt on 20000 pairs (the host result rounded once more to single is exact for these)', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = next();
      const b = next() % 2 === 0 ? next() : ((next() & 0x807fffff) | (a & 0x7f800000) ^ ((next() % 32) << 23)) >>> 0;
      const [x, y] = [fromF32(a), fromF32(b)];
      const cases: Array<[string, number, number]> = [
        ['add', SF.f32Add(a, b, st()), x + y], ['sub', SF.f32Sub(a, b, st()), x - y],
        ['mul', SF.f32Mul(a, b, st()), x * y], ['div', SF.f32Div(a, b, st()), x / y], ['sqrt', SF.f32Sqrt(a, st()), Math.sqrt(x)],
      ];
      for (const [name, ours, host] of cases) if (ours !== host32(Math.fround(host))) wrong.push(`${name} ${a.toString(16)} ${b.toString(16)}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  test('conversions: double to single, and both to int32 toward zero, agree with Math.fround and Math.trunc', () => {
    const wrong: string[] = [];
    for (let i = 0; i < 20000; i++) {
      const a = random64();
      const x = fromF64(a);
      if (SF.f64ToF32(a, st()) !== host32(Math.fround(x))) wrong.push(`f64ToF32 ${a.toString(16)}`);
      const small = f64(x / 2 ** (Math.floor(Math.log2(Math.abs(x) || 1)) - (next() % 34)));
      const t = Math.trunc(fromF64(small));
      if (Number.isFinite(t) && Math.abs(t) < 2 ** 31 && SF.f64ToI32(small, st(RTZ)) !== t) wrong.push(`f64ToI32 ${small.toString(16)}`);
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });
});
