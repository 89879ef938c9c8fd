// Double precision (RISC-V D): values are their 64 bits as a bigint.
//
// The common case runs on the host's binary64 numbers, which are exactly this format: in
// round-to-nearest-even a host +, -, ×, ÷ or √ is the correctly rounded result, and error-free
// transformations (TwoSum, TwoProduct) say whether it is exact; the fused multiply-add adds
// rounding to odd. Whenever the result could be tiny or overflow, another rounding mode is in force
// or an operand is special, the format-independent bigint code in core.ts does the work.
import * as core from './core.ts';
import { MIN_NORMAL64, SAFE_MAX64, SAFE_MIN64, productError, sumError } from './host.ts';
import { toInt32Fast } from './single.ts';
import { FloatFlag, RoundingMode, type FloatStatus } from './status.ts';

const F = core.BINARY64;

const view = new DataView(new ArrayBuffer(8));
function value(bits: bigint): number {
  view.setBigUint64(0, bits);
  return view.getFloat64(0);
}
function bitsOf(x: number): bigint {
  view.setFloat64(0, x);
  return view.getBigUint64(0);
}

/** Magnitudes for which ×, ÷ and √ stay far from overflow and underflow (NaN, ∞ and 0 are not). */
const isSafeOperand = (x: number): boolean => {
  const magnitude = Math.abs(x);
  return magnitude >= SAFE_MIN64 && magnitude <= SAFE_MAX64;
};

function addOrSub(a: bigint, b: bigint, subtract: boolean, s: FloatStatus): bigint {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    const y = subtract ? -value(b) : value(b);
    const sum = x + y;
    const magnitude = Math.abs(sum);
    if (magnitude > MIN_NORMAL64 && magnitude !== Infinity) {
      if (sumError(x, y, sum) !== 0) s.flags |= FloatFlag.Inexact;
      return bitsOf(sum);
    }
  }
  return core.add(F, a, b, subtract, s);
}

export const f64Add = (a: bigint, b: bigint, s: FloatStatus): bigint => addOrSub(a, b, false, s);
export const f64Sub = (a: bigint, b: bigint, s: FloatStatus): bigint => addOrSub(a, b, true, s);

export function f64Mul(a: bigint, b: bigint, s: FloatStatus): bigint {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    const y = value(b);
    if (isSafeOperand(x) && isSafeOperand(y)) {
      const product = x * y;
      if (productError(x, y, product) !== 0) s.flags |= FloatFlag.Inexact;
      return bitsOf(product);
    }
  }
  return core.mul(F, a, b, s);
}

export function f64Div(a: bigint, b: bigint, s: FloatStatus): bigint {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    const y = value(b);
    if (isSafeOperand(x) && isSafeOperand(y)) {
      const quotient = x / y;
      // Exact exactly when quotient × divisor is the dividend with no rounding error.
      const back = quotient * y;
      if (back !== x || productError(quotient, y, back) !== 0) s.flags |= FloatFlag.Inexact;
      return bitsOf(quotient);
    }
  }
  return core.div(F, a, b, s);
}

export function f64Sqrt(a: bigint, s: FloatStatus): bigint {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    if (x > 0 && isSafeOperand(x)) {
      const root = Math.sqrt(x);
      const square = root * root;
      if (square !== x || productError(root, root, square) !== 0) s.flags |= FloatFlag.Inexact;
      return bitsOf(root);
    }
  }
  return core.sqrt(F, a, s);
}

/** x + y rounded to odd (Boldo and Melquiond): the nearest-even sum, moved one ulp toward the exact sum when inexact and even. */
function addRoundToOdd(x: number, y: number): { sum: number; exact: boolean } {
  const sum = x + y;
  const error = sumError(x, y, sum);
  if (error === 0) return { sum, exact: true };
  view.setFloat64(0, sum);
  const bits = view.getBigUint64(0);
  if ((bits & 1n) === 0n) {
    // The neighbour in the direction of the error: one more in magnitude if they share a sign.
    view.setBigUint64(0, (error > 0) === (sum > 0) ? bits + 1n : bits - 1n);
    return { sum: view.getFloat64(0), exact: false };
  }
  return { sum, exact: false };
}

/**
 * Fused multiply-add in round-to-nearest-even on the host, after Boldo and Melquiond ("Emulation of
 * FMA and correctly rounded sums: proved algorithms using rounding to odd", IEEE TC 2008): the
 * product split exactly into p + e (TwoProduct), c + p into th + tl (TwoSum), then
 * RN(th + RO(tl + e)) is the correctly rounded a × b + c when nothing underflows or overflows
 * (operands in the safe range, result normal). The result is exact exactly when both of those last
 * two sums are: an exactly representable a × b + c makes tl + e representable.
 */
export function f64MulAdd(a: bigint, b: bigint, c: bigint, negateProduct: boolean, negateAddend: boolean, s: FloatStatus): bigint {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = negateProduct ? -value(a) : value(a);
    const y = value(b);
    const z = negateAddend ? -value(c) : value(c);
    if (isSafeOperand(x) && isSafeOperand(y) && isSafeOperand(z)) {
      const p = x * y;
      const e = productError(x, y, p);
      const th = z + p;
      const tl = sumError(z, p, th);
      const odd = addRoundToOdd(tl, e);
      const result = th + odd.sum;
      const magnitude = Math.abs(result);
      if (magnitude > MIN_NORMAL64 && magnitude !== Infinity) {
        if (!odd.exact || sumError(th, odd.sum, result) !== 0) s.flags |= FloatFlag.Inexact;
        return bitsOf(result);
      }
    }
  }
  return core.mulAdd(F, a, b, c, negateProduct, negateAddend, s);
}

export function f64Min(a: bigint, b: bigint, s: FloatStatus): bigint {
  const x = value(a);
  const y = value(b);
  if (x < y) return a;
  if (y < x) return b;
  return core.minMax(F, a, b, false, s); // equal (±0 decide by sign), or NaNs
}

export function f64Max(a: bigint, b: bigint, s: FloatStatus): bigint {
  const x = value(a);
  const y = value(b);
  if (x > y) return a;
  if (y > x) return b;
  return core.minMax(F, a, b, true, s);
}

export function f64Eq(a: bigint, b: bigint, s: FloatStatus): boolean {
  const x = value(a);
  const y = value(b);
  if (x === x && y === y) return x === y; // no NaN
  return core.eq(F, a, b, s);
}

export function f64Lt(a: bigint, b: bigint, s: FloatStatus): boolean {
  const x = value(a);
  const y = value(b);
  if (x === x && y === y) return x < y;
  return core.less(F, a, b, false, s);
}

export function f64Le(a: bigint, b: bigint, s: FloatStatus): boolean {
  const x = value(a);
  const y = value(b);
  if (x === x && y === y) return x <= y;
  return core.less(F, a, b, true, s);
}

export const f64Classify = (a: bigint): number => core.classify(F, a);
export const f64ToI32 = (a: bigint, s: FloatStatus): number => toInt32Fast(value(a), true, s) ?? core.toInt32(F, a, true, s);
export const f64ToU32 = (a: bigint, s: FloatStatus): number => toInt32Fast(value(a), false, s) ?? core.toInt32(F, a, false, s);
// Every 32-bit integer is exact in binary64.
export const i32ToF64 = (x: number, _s: FloatStatus): bigint => bitsOf(x | 0);
export const u32ToF64 = (x: number, _s: FloatStatus): bigint => bitsOf(x >>> 0);

export function f64ToF32(a: bigint, s: FloatStatus): number {
  if (s.roundingMode === RoundingMode.NearestEven) {
    const x = value(a);
    const rounded = Math.fround(x); // one rounding, to nearest even
    if (Math.abs(x) >= 2 ** -126 && Math.abs(rounded) !== Infinity) {
      if (rounded !== x) s.flags |= FloatFlag.Inexact;
      view.setFloat32(0, rounded);
      return view.getUint32(0);
    }
  }
  return Number(core.convert(F, core.BINARY32, a, s));
}
