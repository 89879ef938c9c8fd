// Checks the lines firmware/fp-vectors prints (its format is documented at the top of
// firmware/fp-vectors/fp-vectors.c) against BoardLab's softfloat library: each line names an
// instruction, its rounding mode, operands, result and flags; the library must compute the same
// result and raise exactly the same flags.
import * as SF from '../src/engine/cpu/softfloat/index.ts';

type Status = SF.FloatStatus;
/** One instruction as the library computes it: operands in, [result, flags] out (values as the lines print them). */
type Compute = (operands: bigint[], s: Status) => bigint;

const u32 = (x: bigint): number => Number(x & 0xffffffffn);
const bool = (x: boolean): bigint => (x ? 1n : 0n);
const int = (x: number): bigint => BigInt(x >>> 0);
const single = (x: number): bigint => BigInt(x >>> 0);
const SIGN32 = 0x80000000n;
const SIGN64 = 0x8000000000000000n;

/** Sign injection and moves are the CPU's (not the library's); their expected results follow the spec. */
function signInject(value: bigint, signSource: bigint, signBit: bigint, how: 'j' | 'n' | 'x'): bigint {
  const sign = how === 'j' ? signSource & signBit : how === 'n' ? ~signSource & signBit : (value ^ signSource) & signBit;
  return (value & ~signBit) | sign;
}

const COMPUTE: Readonly<Record<string, Compute>> = {
  'fadd.s': ([a, b], s) => single(SF.f32Add(u32(a), u32(b), s)),
  'fsub.s': ([a, b], s) => single(SF.f32Sub(u32(a), u32(b), s)),
  'fmul.s': ([a, b], s) => single(SF.f32Mul(u32(a), u32(b), s)),
  'fdiv.s': ([a, b], s) => single(SF.f32Div(u32(a), u32(b), s)),
  'fsqrt.s': ([a], s) => single(SF.f32Sqrt(u32(a), s)),
  'fmadd.s': ([a, b, c], s) => single(SF.f32MulAdd(u32(a), u32(b), u32(c), false, false, s)),
  'fmsub.s': ([a, b, c], s) => single(SF.f32MulAdd(u32(a), u32(b), u32(c), false, true, s)),
  'fnmsub.s': ([a, b, c], s) => single(SF.f32MulAdd(u32(a), u32(b), u32(c), true, false, s)),
  'fnmadd.s': ([a, b, c], s) => single(SF.f32MulAdd(u32(a), u32(b), u32(c), true, true, s)),
  'fmin.s': ([a, b], s) => single(SF.f32Min(u32(a), u32(b), s)),
  'fmax.s': ([a, b], s) => single(SF.f32Max(u32(a), u32(b), s)),
  'fsgnj.s': ([a, b]) => signInject(a, b, SIGN32, 'j'),
  'fsgnjn.s': ([a, b]) => signInject(a, b, SIGN32, 'n'),
  'fsgnjx.s': ([a, b]) => signInject(a, b, SIGN32, 'x'),
  'feq.s': ([a, b], s) => bool(SF.f32Eq(u32(a), u32(b), s)),
  'flt.s': ([a, b], s) => bool(SF.f32Lt(u32(a), u32(b), s)),
  'fle.s': ([a, b], s) => bool(SF.f32Le(u32(a), u32(b), s)),
  'fclass.s': ([a]) => int(SF.f32Classify(u32(a))),
  'fmv.x.w': ([a]) => a,
  'fmv.w.x': ([a]) => a,
  'fcvt.w.s': ([a], s) => int(SF.f32ToI32(u32(a), s)),
  'fcvt.wu.s': ([a], s) => int(SF.f32ToU32(u32(a), s)),
  'fcvt.s.w': ([a], s) => single(SF.i32ToF32(u32(a) | 0, s)),
  'fcvt.s.wu': ([a], s) => single(SF.u32ToF32(u32(a), s)),
  'fadd.d': ([a, b], s) => SF.f64Add(a, b, s),
  'fsub.d': ([a, b], s) => SF.f64Sub(a, b, s),
  'fmul.d': ([a, b], s) => SF.f64Mul(a, b, s),
  'fdiv.d': ([a, b], s) => SF.f64Div(a, b, s),
  'fsqrt.d': ([a], s) => SF.f64Sqrt(a, s),
  'fmadd.d': ([a, b, c], s) => SF.f64MulAdd(a, b, c, false, false, s),
  'fmsub.d': ([a, b, c], s) => SF.f64MulAdd(a, b, c, false, true, s),
  'fnmsub.d': ([a, b, c], s) => SF.f64MulAdd(a, b, c, true, false, s),
  'fnmadd.d': ([a, b, c], s) => SF.f64MulAdd(a, b, c, true, true, s),
  'fmin.d': ([a, b], s) => SF.f64Min(a, b, s),
  'fmax.d': ([a, b], s) => SF.f64Max(a, b, s),
  'fsgnj.d': ([a, b]) => signInject(a, b, SIGN64, 'j'),
  'fsgnjn.d': ([a, b]) => signInject(a, b, SIGN64, 'n'),
  'fsgnjx.d': ([a, b]) => signInject(a, b, SIGN64, 'x'),
  'feq.d': ([a, b], s) => bool(SF.f64Eq(a, b, s)),
  'flt.d': ([a, b], s) => bool(SF.f64Lt(a, b, s)),
  'fle.d': ([a, b], s) => bool(SF.f64Le(a, b, s)),
  'fclass.d': ([a]) => int(SF.f64Classify(a)),
  'fcvt.w.d': ([a], s) => int(SF.f64ToI32(a, s)),
  'fcvt.wu.d': ([a], s) => int(SF.f64ToU32(a, s)),
  'fcvt.d.w': ([a], s) => SF.i32ToF64(u32(a) | 0, s),
  'fcvt.d.wu': ([a], s) => SF.u32ToF64(u32(a), s),
  'fcvt.d.s': ([a], s) => SF.f32ToF64(u32(a), s),
  'fcvt.s.d': ([a], s) => single(SF.f64ToF32(a, s)),
};

/** The instructions the lines may name. */
export const FP_VECTOR_INSTRUCTIONS: readonly string[] = Object.keys(COMPUTE);

export interface VectorMismatch {
  line: string;
  expected: string;
}

const LINE = /^(\S+) (-|d?[0-4])((?: [0-9a-f]{8}(?:[0-9a-f]{8})?)+) ([0-9a-f]{2})$/;

/**
 * Checks one case line; returns undefined when the library agrees, else the line the library would
 * have printed. Throws on a line that is not a case line.
 */
export function checkVectorLine(line: string): VectorMismatch | undefined {
  const match = LINE.exec(line);
  const compute = match ? COMPUTE[match[1]] : undefined;
  if (!match || !compute) throw new Error(`fp-vectors: not a case line: ${JSON.stringify(line)}`);
  const [, insn, rm, values, flagsHex] = match;
  const fields = values.trim().split(' ');
  const operandTexts = fields.slice(0, -1);
  const resultText = fields[fields.length - 1];
  const operands = operandTexts.map((text) => BigInt(`0x${text}`));
  const status: Status = { roundingMode: rm === '-' ? SF.RoundingMode.NearestEven : Number(rm.slice(-1)), flags: 0 };
  const result = compute(operands, status);
  const ours = `${insn} ${rm} ${operandTexts.join(' ')} ${result.toString(16).padStart(resultText.length, '0')} ${status.flags.toString(16).padStart(2, '0')}`;
  return ours === `${insn} ${rm}${values} ${flagsHex}` ? undefined : { line, expected: ours };
}
