// Single precision (RISC-V F): values are their 32 bits as an unsigned number.
//
// Every operation has a fast path on the host's binary64 numbers for the common case and falls back
// to the format-independent bigint code in core.ts (QEMU-exact in every case) for the rest. The
// fast paths rest on two facts: a binary32 product is exact in binary64 (24 + 24 bits), and for
// +, -, ×, ÷ and √ of binary32 operands, rounding the correctly rounded binary64 result once more to
// binary32 (Math.fround, round-to-nearest-even) gives the correctly rounded binary32 result, since
// 53 ≥ 2 × 24 + 2. So they serve round-to-nearest-even with a normal, finite result (no tininess or
// overflow to decide); Inexact comes from an exactness test.
import * as core from './core.ts';
import { MIN_NORMAL32, roundToIntegral, sumError } from './host.ts';
import { FloatFlag, RoundingMode, type FloatStatus } from './status.ts';

const F = core.BINARY32;
const big = (a: number): bigint => BigInt(a >>> 0);

// One float viewed as its bits: the conversions between bits and values.
const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);
function value(bits: number): number {
  bitsView[0] = bits;
  return floatView[0];
}
/** The bits of a number that is exactly representable in binary32. */
function bitsOf(x: number): number {
  floatView[0] = x;
  return bitsView[0];
}

/** A rounded binary32 result that the fast paths may return: normal and finite. */
const isSafe = (rounded: number): boolean => Math.abs(rounded) > MIN_NORMAL32 && Math.abs(rounded) !== Infinity;

function addOrSub(a: number, b: number, subtract: boolean, s: FloatStatus): number {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    const y = subtract ? -value(b) : value(b);
    const sum = x + y;
    const rounded = Math.fround(sum);
    if (isSafe(rounded)) {
      if (rounded !== sum || sumError(x, y, sum) !== 0) s.flags |= FloatFlag.Inexact;
      return bitsOf(rounded);
    }
  }
  return Number(core.add(F, big(a), big(b), subtract, s));
}

export const f32Add = (a: number, b: number, s: FloatStatus): number => addOrSub(a, b, false, s);
export const f32Sub = (a: number, b: number, s: FloatStatus): number => addOrSub(a, b, true, s);

export function f32Mul(a: number, b: number, s: FloatStatus): number {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const product = value(a) * value(b); // exact
    const rounded = Math.fround(product);
    if (Math.abs(product) >= MIN_NORMAL32 && Math.abs(rounded) !== Infinity) {
      if (rounded !== product) s.flags |= FloatFlag.Inexact;
      return bitsOf(rounded);
    }
  }
  return Number(core.mul(F, big(a), big(b), s));
}

export function f32Div(a: number, b: number, s: FloatStatus): number {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    const y = value(b);
    const rounded = Math.fround(x / y);
    if (isSafe(rounded)) {
      // Exact exactly when the binary32 quotient times the divisor (exact: 24 × 24 bits) is the dividend.
      if (rounded * y !== x) s.flags |= FloatFlag.Inexact;
      return bitsOf(rounded);
    }
  }
  return Number(core.div(F, big(a), big(b), s));
}

export function f32Sqrt(a: number, s: FloatStatus): number {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    if (x > 0 && x !== Infinity) {
      // Never tiny, never overflows; exact exactly when the root squared (exact) is the operand.
      const root = Math.fround(Math.sqrt(x));
      if (root * root !== x) s.flags |= FloatFlag.Inexact;
      return bitsOf(root);
    }
  }
  return Number(core.sqrt(F, big(a), s));
}

export function f32MulAdd(a: number, b: number, c: number, negateProduct: boolean, negateAddend: boolean, s: FloatStatus): number {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const product = negateProduct ? -(value(a) * value(b)) : value(a) * value(b); // exact
    const addend = negateAddend ? -value(c) : value(c);
    const sum = product + addend;
    // Only when the binary64 sum is exact: rounding it is then the one rounding fma makes.
    if (Math.abs(sum) >= MIN_NORMAL32 && Math.abs(sum) !== Infinity && sumError(product, addend, sum) === 0) {
      const rounded = Math.fround(sum);
      if (Math.abs(rounded) !== Infinity) {
        if (rounded !== sum) s.flags |= FloatFlag.Inexact;
        return bitsOf(rounded);
      }
    }
  }
  return Number(core.mulAdd(F, big(a), big(b), big(c), negateProduct, negateAddend, s));
}

export function f32Min(a: number, b: number, s: FloatStatus): number {
  const x = value(a);
  const y = value(b);
  if (x < y) return a >>> 0;
  if (y < x) return b >>> 0;
  return Number(core.minMax(F, big(a), big(b), false, s)); // equal (±0 decide by sign), or NaNs
}

export function f32Max(a: number, b: number, s: FloatStatus): number {
  const x = value(a);
  const y = value(b);
  if (x > y) return a >>> 0;
  if (y > x) return b >>> 0;
  return Number(core.minMax(F, big(a), big(b), true, s));
}

export function f32Eq(a: number, b: number, s: FloatStatus): boolean {
  const x = value(a);
  const y = value(b);
  if (x === x && y === y) return x === y; // no NaN
  return core.eq(F, big(a), big(b), s);
}

export function f32Lt(a: number, b: number, s: FloatStatus): boolean {
  const x = value(a);
  const y = value(b);
  if (x === x && y === y) return x < y;
  return core.less(F, big(a), big(b), false, s);
}

export function f32Le(a: number, b: number, s: FloatStatus): boolean {
  const x = value(a);
  const y = value(b);
  if (x === x && y === y) return x <= y;
  return core.less(F, big(a), big(b), true, s);
}

export const f32Classify = (a: number): number => core.classify(F, big(a));

/** Conversion to int32 / uint32 of a finite value in range, on the host; undefined otherwise. */
export function toInt32Fast(x: number, signed: boolean, s: FloatStatus): number | undefined {
  if (x - x !== 0) return undefined; // ∞ or NaN
  const rounded = roundToIntegral(x, s.roundingMode);
  if (signed ? rounded < -0x80000000 || rounded > 0x7fffffff : rounded < 0 || rounded > 0xffffffff) return undefined;
  if (rounded !== x) s.flags |= FloatFlag.Inexact;
  return signed ? rounded | 0 : rounded >>> 0;
}

export const f32ToI32 = (a: number, s: FloatStatus): number => toInt32Fast(value(a), true, s) ?? core.toInt32(F, big(a), true, s);
export const f32ToU32 = (a: number, s: FloatStatus): number => toInt32Fast(value(a), false, s) ?? core.toInt32(F, big(a), false, s);

function fromInt(x: number, s: FloatStatus): number {
  // Up to 2^24 every integer is exact in binary32, whatever the mode.
  if (Math.abs(x) <= 0x1000000) return bitsOf(x);
  return Number(core.fromInt(F, x, s));
}

export const i32ToF32 = (x: number, s: FloatStatus): number => fromInt(x | 0, s);
export const u32ToF32 = (x: number, s: FloatStatus): number => fromInt(x >>> 0, s);

const doubleView = new DataView(new ArrayBuffer(8));

export function f32ToF64(a: number, s: FloatStatus): bigint {
  const x = value(a);
  if (x !== x) return core.convert(F, core.BINARY64, big(a), s); // NaN: canonical, Invalid if signaling
  doubleView.setFloat64(0, x); // exact, subnormals included
  return doubleView.getBigUint64(0);
}
