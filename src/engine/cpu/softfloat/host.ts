// Exact-arithmetic helpers on the host's binary64 numbers, for the fast paths: JS arithmetic is
// IEEE binary64 with round-to-nearest-even, so a host result is the correctly rounded one, and these
// error-free transformations tell whether it was exact (the Inexact flag).
import { RoundingMode } from './status.ts';

/** The rounding error of s = a + b (Knuth's TwoSum): a + b - s exactly, 0 when s is exact. Needs s finite. */
export function sumError(a: number, b: number, s: number): number {
  const bVirtual = s - a;
  return (a - (s - bVirtual)) + (b - bVirtual);
}

/** Veltkamp's splitting constant for binary64: 2^27 + 1. */
const SPLIT = 134217729;

/**
 * The rounding error of p = a × b (Dekker's TwoProduct): a × b - p exactly, 0 when p is exact.
 * Needs |a|, |b| well inside the exponent range (no overflow in the split, no underflow in the error).
 */
export function productError(a: number, b: number, p: number): number {
  let t = SPLIT * a;
  const aHigh = t - (t - a);
  const aLow = a - aHigh;
  t = SPLIT * b;
  const bHigh = t - (t - b);
  const bLow = b - bHigh;
  return ((aHigh * bHigh - p) + aHigh * bLow + aLow * bHigh) + aLow * bLow;
}

/** Binary32's smallest normal number: results at least this large (exactly) are not tiny. */
export const MIN_NORMAL32 = 2 ** -126;
export const MIN_NORMAL64 = 2 ** -1022;
/**
 * Operands of binary64 multiply, divide and square root whose magnitudes lie in this range give
 * results far from overflow and underflow, and productError is exact for them.
 */
export const SAFE_MIN64 = 2 ** -400;
export const SAFE_MAX64 = 2 ** 400;

/** A finite number rounded to an integer (as a number) per RISC-V rounding mode. */
export function roundToIntegral(x: number, mode: number): number {
  const magnitude = Math.abs(x);
  const whole = Math.trunc(magnitude);
  const fraction = magnitude - whole; // exact
  let rounded: number;
  switch (mode) {
    case RoundingMode.NearestEven: rounded = fraction > 0.5 || (fraction === 0.5 && whole % 2 === 1) ? whole + 1 : whole; break;
    case RoundingMode.NearestMaxMagnitude: rounded = fraction >= 0.5 ? whole + 1 : whole; break;
    case RoundingMode.TowardZero: rounded = whole; break;
    case RoundingMode.Down: rounded = x < 0 && fraction !== 0 ? whole + 1 : whole; break;
    case RoundingMode.Up: rounded = x > 0 && fraction !== 0 ? whole + 1 : whole; break;
    default: throw new RangeError(`softfloat: rounding mode ${mode} is not one of RISC-V's (0-4)`);
  }
  return x < 0 ? -rounded : rounded;
}
