// single.ts and double.ts answer most operations on the host's binary64 numbers and hand the rest
// to core.ts. Both must give the same result and flags: this runs the public functions against the
// format-independent core on operands aimed at the fast paths' edges (near the smallest normal,
// near overflow, ties, cancellation, integer limits) in every rounding mode.
import { describe, expect, test } from 'vitest';
import * as core from './core.ts';
import * as SF from './index.ts';

const MODES = [0, 1, 2, 3, 4];

function prng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/** Random operands of a format: mostly finite with exponents clustered at interesting places. */
function operands(fmt: core.Format, next: () => number): () => bigint {
  const half = Math.floor(fmt.bias / 2);
  const centres = [1, fmt.bias, fmt.bias + 24, fmt.bias - 24, 2 * fmt.bias - 1, half, fmt.bias + half, fmt.bias + 31, 0];
  return () => {
    const random = (BigInt(next()) << 32n | BigInt(next())) & (fmt.signBit * 2n - 1n);
    if (next() % 8 === 0) return random; // anything: NaNs, infinities, zeros too
    const centre = centres[next() % centres.length];
    const biased = Math.min(Math.max(centre + (next() % 9) - 4, 0), fmt.maxBiased - 1);
    let frac = random & fmt.fracMask;
    if (next() % 4 === 0) frac &= ~((1n << BigInt(next() % (fmt.fracBits + 1))) - 1n); // short significand: ties
    return (random & fmt.signBit) | (BigInt(biased) << BigInt(fmt.fracBits)) | frac;
  };
}

type Outcome = [bigint | number | boolean, number];
function outcome<T extends bigint | number | boolean>(mode: number, op: (s: SF.FloatStatus) => T): Outcome {
  const s = { roundingMode: mode, flags: 0 };
  const result = op(s);
  return [result, s.flags];
}

describe('fast paths agree with the bigint core, result and flags, in every rounding mode', () => {
  test('single precision', () => {
    const next = prng(0xfeed);
    const gen = operands(core.BINARY32, next);
    const F = core.BINARY32;
    const wrong: string[] = [];
    for (let i = 0; i < 6000; i++) {
      const [a, b, c] = [gen(), gen(), next() % 2 ? gen() : 0n];
      // An addend near -(a × b) for the fused multiply-add's cancellation.
      const nearProduct = (core.mul(F, a, b, { roundingMode: 0, flags: 0 }) ^ F.signBit) ^ BigInt(next() % 4);
      const [x, y, z, w] = [Number(a), Number(b), Number(c), Number(nearProduct)];
      const int = next() % 2 ? next() | 0 : (next() >>> (next() % 32));
      for (const mode of MODES) {
        const pairs: Array<[string, Outcome, Outcome]> = [
          ['add', outcome(mode, (s) => SF.f32Add(x, y, s)), outcome(mode, (s) => Number(core.add(F, a, b, false, s)))],
          ['sub', outcome(mode, (s) => SF.f32Sub(x, y, s)), outcome(mode, (s) => Number(core.add(F, a, b, true, s)))],
          ['mul', outcome(mode, (s) => SF.f32Mul(x, y, s)), outcome(mode, (s) => Number(core.mul(F, a, b, s)))],
          ['div', outcome(mode, (s) => SF.f32Div(x, y, s)), outcome(mode, (s) => Number(core.div(F, a, b, s)))],
          ['sqrt', outcome(mode, (s) => SF.f32Sqrt(x, s)), outcome(mode, (s) => Number(core.sqrt(F, a, s)))],
          ['fma', outcome(mode, (s) => SF.f32MulAdd(x, y, z, false, false, s)), outcome(mode, (s) => Number(core.mulAdd(F, a, b, c, false, false, s)))],
          ['fma-cancel', outcome(mode, (s) => SF.f32MulAdd(x, y, w, true, true, s)), outcome(mode, (s) => Number(core.mulAdd(F, a, b, nearProduct, true, true, s)))],
          ['min', outcome(mode, (s) => SF.f32Min(x, y, s)), outcome(mode, (s) => Number(core.minMax(F, a, b, false, s)))],
          ['max', outcome(mode, (s) => SF.f32Max(x, y, s)), outcome(mode, (s) => Number(core.minMax(F, a, b, true, s)))],
          ['eq', outcome(mode, (s) => SF.f32Eq(x, y, s)), outcome(mode, (s) => core.eq(F, a, b, s))],
          ['lt', outcome(mode, (s) => SF.f32Lt(x, y, s)), outcome(mode, (s) => core.less(F, a, b, false, s))],
          ['le', outcome(mode, (s) => SF.f32Le(x, y, s)), outcome(mode, (s) => core.less(F, a, b, true, s))],
          ['toI32', outcome(mode, (s) => SF.f32ToI32(x, s)), outcome(mode, (s) => core.toInt32(F, a, true, s))],
          ['toU32', outcome(mode, (s) => SF.f32ToU32(x, s)), outcome(mode, (s) => core.toInt32(F, a, false, s))],
          ['i32To', outcome(mode, (s) => SF.i32ToF32(int, s)), outcome(mode, (s) => Number(core.fromInt(F, int | 0, s)))],
          ['u32To', outcome(mode, (s) => SF.u32ToF32(int, s)), outcome(mode, (s) => Number(core.fromInt(F, int >>> 0, s)))],
          ['toF64', outcome(mode, (s) => SF.f32ToF64(x, s)), outcome(mode, (s) => core.convert(F, core.BINARY64, a, s))],
        ];
        for (const [name, fast, reference] of pairs) {
          if (fast[0] !== reference[0] || fast[1] !== reference[1]) wrong.push(`${name} mode ${mode} ${a.toString(16)} ${b.toString(16)} ${c.toString(16)}: ${fast} vs ${reference}`);
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  test('double precision', () => {
    const next = prng(0xbeef);
    const gen = operands(core.BINARY64, next);
    const F = core.BINARY64;
    const wrong: string[] = [];
    for (let i = 0; i < 4000; i++) {
      const [a, b, c] = [gen(), gen(), gen()];
      const nearProduct = (core.mul(F, a, b, { roundingMode: 0, flags: 0 }) ^ F.signBit) ^ BigInt(next() % 4);
      const int = next() | 0;
      for (const mode of MODES) {
        const pairs: Array<[string, Outcome, Outcome]> = [
          ['fma', outcome(mode, (s) => SF.f64MulAdd(a, b, c, false, false, s)), outcome(mode, (s) => core.mulAdd(F, a, b, c, false, false, s))],
          ['fma-cancel', outcome(mode, (s) => SF.f64MulAdd(a, b, nearProduct, true, true, s)), outcome(mode, (s) => core.mulAdd(F, a, b, nearProduct, true, true, s))],
          ['fms', outcome(mode, (s) => SF.f64MulAdd(a, b, nearProduct, false, true, s)), outcome(mode, (s) => core.mulAdd(F, a, b, nearProduct, false, true, s))],
          ['add', outcome(mode, (s) => SF.f64Add(a, b, s)), outcome(mode, (s) => core.add(F, a, b, false, s))],
          ['sub', outcome(mode, (s) => SF.f64Sub(a, b, s)), outcome(mode, (s) => core.add(F, a, b, true, s))],
          ['mul', outcome(mode, (s) => SF.f64Mul(a, b, s)), outcome(mode, (s) => core.mul(F, a, b, s))],
          ['div', outcome(mode, (s) => SF.f64Div(a, b, s)), outcome(mode, (s) => core.div(F, a, b, s))],
          ['sqrt', outcome(mode, (s) => SF.f64Sqrt(a, s)), outcome(mode, (s) => core.sqrt(F, a, s))],
          ['min', outcome(mode, (s) => SF.f64Min(a, b, s)), outcome(mode, (s) => core.minMax(F, a, b, false, s))],
          ['max', outcome(mode, (s) => SF.f64Max(a, b, s)), outcome(mode, (s) => core.minMax(F, a, b, true, s))],
          ['eq', outcome(mode, (s) => SF.f64Eq(a, b, s)), outcome(mode, (s) => core.eq(F, a, b, s))],
          ['lt', outcome(mode, (s) => SF.f64Lt(a, b, s)), outcome(mode, (s) => core.less(F, a, b, false, s))],
          ['le', outcome(mode, (s) => SF.f64Le(a, b, s)), outcome(mode, (s) => core.less(F, a, b, true, s))],
          ['toI32', outcome(mode, (s) => SF.f64ToI32(a, s)), outcome(mode, (s) => core.toInt32(F, a, true, s))],
          ['toU32', outcome(mode, (s) => SF.f64ToU32(a, s)), outcome(mode, (s) => core.toInt32(F, a, false, s))],
          ['i32To', outcome(mode, (s) => SF.i32ToF64(int, s)), outcome(mode, (s) => core.fromInt(F, int, s))],
          ['u32To', outcome(mode, (s) => SF.u32ToF64(int, s)), outcome(mode, (s) => core.fromInt(F, int >>> 0, s))],
          ['toF32', outcome(mode, (s) => SF.f64ToF32(a, s)), outcome(mode, (s) => Number(core.convert(F, core.BINARY32, a, s)))],
        ];
        for (const [name, fast, reference] of pairs) {
          if (fast[0] !== reference[0] || fast[1] !== reference[1]) wrong.push(`${name} mode ${mode} ${a.toString(16)} ${b.toString(16)}: ${fast} vs ${reference}`);
        }
      }
    }
    expect(wrong.slice(0, 10)).toEqual([]);
  });
});
