// Double precision (RISC-V D): values are their 64 bits as a bigint, and every operation is the
// format-independent one in core.ts on binary64.
import * as core from './core.ts';
import type { FloatStatus } from './status.ts';

const F = core.BINARY64;

export const f64Add = (a: bigint, b: bigint, s: FloatStatus): bigint => core.add(F, a, b, false, s);
export const f64Sub = (a: bigint, b: bigint, s: FloatStatus): bigint => core.add(F, a, b, true, s);
export const f64Mul = (a: bigint, b: bigint, s: FloatStatus): bigint => core.mul(F, a, b, s);
export const f64Div = (a: bigint, b: bigint, s: FloatStatus): bigint => core.div(F, a, b, s);
export const f64Sqrt = (a: bigint, s: FloatStatus): bigint => core.sqrt(F, a, s);
export const f64MulAdd = (a: bigint, b: bigint, c: bigint, negateProduct: boolean, negateAddend: boolean, s: FloatStatus): bigint =>
  core.mulAdd(F, a, b, c, negateProduct, negateAddend, s);
export const f64Min = (a: bigint, b: bigint, s: FloatStatus): bigint => core.minMax(F, a, b, false, s);
export const f64Max = (a: bigint, b: bigint, s: FloatStatus): bigint => core.minMax(F, a, b, true, s);
export const f64Eq = (a: bigint, b: bigint, s: FloatStatus): boolean => core.eq(F, a, b, s);
export const f64Lt = (a: bigint, b: bigint, s: FloatStatus): boolean => core.less(F, a, b, false, s);
export const f64Le = (a: bigint, b: bigint, s: FloatStatus): boolean => core.less(F, a, b, true, s);
export const f64Classify = (a: bigint): number => core.classify(F, a);
export const f64ToI32 = (a: bigint, s: FloatStatus): number => core.toInt32(F, a, true, s);
export const f64ToU32 = (a: bigint, s: FloatStatus): number => core.toInt32(F, a, false, s);
export const i32ToF64 = (x: number, s: FloatStatus): bigint => core.fromInt(F, x | 0, s);
export const u32ToF64 = (x: number, s: FloatStatus): bigint => core.fromInt(F, x >>> 0, s);
export const f64ToF32 = (a: bigint, s: FloatStatus): number => Number(core.convert(F, core.BINARY32, a, s));
