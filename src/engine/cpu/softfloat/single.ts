// Single precision (RISC-V F): values are their 32 bits as an unsigned number. The operations are
// the format-independent ones in core.ts on binary32 (bigint significands), with the value
// converted at the boundary.
import * as core from './core.ts';
import type { FloatStatus } from './status.ts';

const F = core.BINARY32;
const big = (a: number): bigint => BigInt(a >>> 0);

export const f32Add = (a: number, b: number, s: FloatStatus): number => Number(core.add(F, big(a), big(b), false, s));
export const f32Sub = (a: number, b: number, s: FloatStatus): number => Number(core.add(F, big(a), big(b), true, s));
export const f32Mul = (a: number, b: number, s: FloatStatus): number => Number(core.mul(F, big(a), big(b), s));
export const f32Div = (a: number, b: number, s: FloatStatus): number => Number(core.div(F, big(a), big(b), s));
export const f32Sqrt = (a: number, s: FloatStatus): number => Number(core.sqrt(F, big(a), s));
export const f32MulAdd = (a: number, b: number, c: number, negateProduct: boolean, negateAddend: boolean, s: FloatStatus): number =>
  Number(core.mulAdd(F, big(a), big(b), big(c), negateProduct, negateAddend, s));
export const f32Min = (a: number, b: number, s: FloatStatus): number => Number(core.minMax(F, big(a), big(b), false, s));
export const f32Max = (a: number, b: number, s: FloatStatus): number => Number(core.minMax(F, big(a), big(b), true, s));
export const f32Eq = (a: number, b: number, s: FloatStatus): boolean => core.eq(F, big(a), big(b), s);
export const f32Lt = (a: number, b: number, s: FloatStatus): boolean => core.less(F, big(a), big(b), false, s);
export const f32Le = (a: number, b: number, s: FloatStatus): boolean => core.less(F, big(a), big(b), true, s);
export const f32Classify = (a: number): number => core.classify(F, big(a));
export const f32ToI32 = (a: number, s: FloatStatus): number => core.toInt32(F, big(a), true, s);
export const f32ToU32 = (a: number, s: FloatStatus): number => core.toInt32(F, big(a), false, s);
export const i32ToF32 = (x: number, s: FloatStatus): number => Number(core.fromInt(F, x | 0, s));
export const u32ToF32 = (x: number, s: FloatStatus): number => Number(core.fromInt(F, x >>> 0, s));
export const f32ToF64 = (a: number, s: FloatStatus): bigint => core.convert(F, core.BINARY64, big(a), s);
