// IEEE 754 single and double precision arithmetic, bit-exact with QEMU 7.2's softfloat as RISC-V
// configures it (default-NaN mode, tininess after rounding, no flush-to-zero). Pure functions: the
// CPU passes the rounding mode and collects the exception flags through a FloatStatus.
//
// Single-precision values are their bits as an unsigned number (0..2^32-1); double-precision values
// their bits as a bigint (0n..2n**64n-1n).
export { RoundingMode, FloatFlag, CANONICAL_NAN32, CANONICAL_NAN64, type FloatStatus } from './status.ts';
export {
  f32Add, f32Sub, f32Mul, f32Div, f32Sqrt, f32MulAdd, f32Min, f32Max, f32Eq, f32Lt, f32Le, f32Classify,
  f32ToI32, f32ToU32, i32ToF32, u32ToF32, f32ToF64,
} from './single.ts';
export {
  f64Add, f64Sub, f64Mul, f64Div, f64Sqrt, f64MulAdd, f64Min, f64Max, f64Eq, f64Lt, f64Le, f64Classify,
  f64ToI32, f64ToU32, i32ToF64, u32ToF64, f64ToF32,
} from './double.ts';
