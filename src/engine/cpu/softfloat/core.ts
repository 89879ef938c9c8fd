// The arithmetic of IEEE 754 binary formats on exact integer significands, written once for any
// format: every operation unpacks its operands into sign, exponent and integer significand, computes
// the exact result (or enough of it: a significand with at least two bits below the last kept bit
// and a sticky bit that stands for everything further down), and hands it to roundPack, the one
// place that rounds, detects overflow and underflow and sets the flags.
//
// The rules are RISC-V's as QEMU 7.2's softfloat implements them:
//   - default-NaN mode: every NaN result is the format's canonical NaN; Invalid when an operand is a
//     signaling NaN, whatever the operation;
//   - tininess is detected after rounding (would the result, rounded to full precision with an
//     unbounded exponent, be below the smallest normal?), and Underflow is raised only for a tiny
//     result that is also inexact;
//   - no flush-to-zero of inputs or outputs.
//
// Significands are bigints here, so one implementation serves both precisions; single precision
// uses the number-based fast paths in single.ts where they are simple, and this code otherwise.
import { FloatFlag, RoundingMode, type FloatStatus } from './status.ts';

/** An IEEE 754 binary interchange format, with the constants its operations need. */
export interface Format {
  /** Stored fraction bits (23 for binary32, 52 for binary64). */
  readonly fracBits: number;
  /** Significand bits including the implicit one. */
  readonly precision: number;
  readonly bias: number;
  /** Exponent of the smallest normal number (1 - bias). */
  readonly emin: number;
  /** The all-ones biased exponent of infinities and NaNs. */
  readonly maxBiased: number;
  readonly signBit: bigint;
  readonly fracMask: bigint;
  readonly implicitBit: bigint;
  /** The fraction bit that makes a NaN quiet. */
  readonly quietBit: bigint;
  readonly infinity: bigint;
  readonly maxFinite: bigint;
  readonly canonicalNaN: bigint;
}

function makeFormat(expBits: number, fracBits: number): Format {
  const maxBiased = (1 << expBits) - 1;
  const bias = (1 << (expBits - 1)) - 1;
  const implicitBit = 1n << BigInt(fracBits);
  const infinity = BigInt(maxBiased) << BigInt(fracBits);
  return {
    fracBits,
    precision: fracBits + 1,
    bias,
    emin: 1 - bias,
    maxBiased,
    signBit: 1n << BigInt(expBits + fracBits),
    fracMask: implicitBit - 1n,
    implicitBit,
    quietBit: implicitBit >> 1n,
    infinity,
    maxFinite: infinity - 1n,
    // RISC-V's canonical NaN: positive, quiet, no payload.
    canonicalNaN: infinity | (implicitBit >> 1n),
  };
}

export const BINARY32: Format = makeFormat(8, 23);
export const BINARY64: Format = makeFormat(11, 52);

/** What an operand is; Finite covers normal and subnormal numbers. */
export const Kind = { Zero: 0, Finite: 1, Infinity: 2, QuietNaN: 3, SignalingNaN: 4 } as const;
type KindValue = (typeof Kind)[keyof typeof Kind];

/** An unpacked operand: for Finite, its value is (-1)^sign × sig × 2^exp exactly. */
export interface Parts {
  kind: KindValue;
  sign: boolean;
  exp: number;
  sig: bigint;
}

export function unpack(fmt: Format, bits: bigint): Parts {
  const sign = bits >= fmt.signBit;
  const biased = Number((bits >> BigInt(fmt.fracBits)) & BigInt(fmt.maxBiased));
  const frac = bits & fmt.fracMask;
  if (biased === fmt.maxBiased) {
    const kind = frac === 0n ? Kind.Infinity : (frac & fmt.quietBit) !== 0n ? Kind.QuietNaN : Kind.SignalingNaN;
    return { kind, sign, exp: 0, sig: 0n };
  }
  if (biased === 0) {
    // Subnormal: no implicit bit, and the exponent of the smallest normal.
    return frac === 0n ? { kind: Kind.Zero, sign, exp: 0, sig: 0n } : { kind: Kind.Finite, sign, exp: fmt.emin - fmt.fracBits, sig: frac };
  }
  return { kind: Kind.Finite, sign, exp: biased - fmt.bias - fmt.fracBits, sig: frac | fmt.implicitBit };
}

export function isNaN(p: Parts): boolean {
  return p.kind === Kind.QuietNaN || p.kind === Kind.SignalingNaN;
}

/** Number of significant bits of a non-negative bigint (0 for 0). */
export function bitLength(x: bigint): number {
  let n = 0;
  while (x >= 0x100000000n) {
    x >>= 32n;
    n += 32;
  }
  return n + 32 - Math.clz32(Number(x));
}

/** Whether rounding away the discarded `tail` (out of `half` × 2) of a truncated value `q` increments it, per mode. */
export function roundsUp(mode: number, sign: boolean, qIsOdd: boolean, tailVsHalf: number, tailIsZero: boolean): boolean {
  if (tailIsZero) return false;
  switch (mode) {
    case RoundingMode.NearestEven: return tailVsHalf > 0 || (tailVsHalf === 0 && qIsOdd);
    case RoundingMode.NearestMaxMagnitude: return tailVsHalf >= 0;
    case RoundingMode.TowardZero: return false;
    case RoundingMode.Down: return sign;
    case RoundingMode.Up: return !sign;
    default: throw new RangeError(`softfloat: rounding mode ${mode} is not one of RISC-V's (0-4)`);
  }
}

/** sig >> shift (shift > 0) rounded per mode; `inexact` when bits were lost. */
function roundShift(sig: bigint, shift: number, sign: boolean, mode: number): { q: bigint; inexact: boolean } {
  const s = BigInt(shift);
  const q = sig >> s;
  const tail = sig - (q << s);
  if (tail === 0n) return { q, inexact: false };
  const half = 1n << (s - 1n);
  const up = roundsUp(mode, sign, (q & 1n) === 1n, tail > half ? 1 : tail === half ? 0 : -1, false);
  return { q: up ? q + 1n : q, inexact: true };
}

/** The result of an overflow: infinity or the largest finite number, per mode and sign. */
function overflowResult(fmt: Format, sign: boolean, mode: number): bigint {
  const toInfinity = mode === RoundingMode.NearestEven || mode === RoundingMode.NearestMaxMagnitude ||
    (mode === RoundingMode.Up && !sign) || (mode === RoundingMode.Down && sign);
  return (sign ? fmt.signBit : 0n) | (toInfinity ? fmt.infinity : fmt.maxFinite);
}

/**
 * Rounds the exact value (-1)^sign × sig × 2^exp to the format with the status's rounding mode and
 * packs it, ORing Inexact, Underflow and Overflow into the status as IEEE 754 (tininess after
 * rounding) and QEMU define them. `sig` may carry a sticky bit in bit 0 when at least two bits below
 * the last kept bit are present. A zero `sig` packs as a zero of that sign.
 */
export function roundPack(fmt: Format, sign: boolean, exp: number, sig: bigint, s: FloatStatus): bigint {
  const signBits = sign ? fmt.signBit : 0n;
  if (sig === 0n) return signBits;
  const mode = s.roundingMode;
  const top = exp + bitLength(sig) - 1; // exponent of the leading bit
  // Weight of the last kept bit: full precision below the leading bit, but never below the
  // subnormals' last bit.
  let lsb = Math.max(top, fmt.emin) - fmt.fracBits;
  const shift = lsb - exp;
  let q: bigint;
  let inexact = false;
  if (shift <= 0) {
    q = sig << BigInt(-shift);
  } else {
    ({ q, inexact } = roundShift(sig, shift, sign, mode));
  }
  if (q >> BigInt(fmt.precision) !== 0n) {
    // Rounding carried into a new leading bit (q was all ones): one bit shorter, still exact.
    q >>= 1n;
    lsb += 1;
  }
  let flags = inexact ? FloatFlag.Inexact : 0;
  if (inexact && top < fmt.emin) {
    // Tiny after rounding unless rounding to full precision (as if the exponent were unbounded)
    // carries a value just below the smallest normal up to it.
    let tiny = true;
    if (top === fmt.emin - 1) {
      const fullShift = top - fmt.fracBits - exp;
      if (fullShift > 0 && roundShift(sig, fullShift, sign, mode).q >> BigInt(fmt.precision) !== 0n) tiny = false;
    }
    if (tiny) flags |= FloatFlag.Underflow;
  }
  let bits: bigint;
  if (q < fmt.implicitBit) {
    bits = q; // subnormal or zero: biased exponent 0
  } else {
    const biased = lsb + fmt.fracBits + fmt.bias;
    if (biased >= fmt.maxBiased) {
      s.flags |= FloatFlag.Overflow | FloatFlag.Inexact;
      return overflowResult(fmt, sign, mode);
    }
    bits = (BigInt(biased) << BigInt(fmt.fracBits)) | (q - fmt.implicitBit);
  }
  s.flags |= flags;
  return signBits | bits;
}

/** The canonical NaN, with Invalid when an operand is a signaling NaN. */
function nanResult(fmt: Format, s: FloatStatus, ...operands: Parts[]): bigint {
  if (operands.some((p) => p.kind === Kind.SignalingNaN)) s.flags |= FloatFlag.Invalid;
  return fmt.canonicalNaN;
}

function invalid(fmt: Format, s: FloatStatus): bigint {
  s.flags |= FloatFlag.Invalid;
  return fmt.canonicalNaN;
}

function zero(fmt: Format, sign: boolean): bigint {
  return sign ? fmt.signBit : 0n;
}

function infinity(fmt: Format, sign: boolean): bigint {
  return (sign ? fmt.signBit : 0n) | fmt.infinity;
}

/** A finite operand packed again (it is representable, so nothing rounds), with the given sign. */
function repack(fmt: Format, p: Parts, sign: boolean, s: FloatStatus): bigint {
  return roundPack(fmt, sign, p.exp, p.sig, s);
}

/**
 * The exact sum of ±x × 2^xExp and ±y × 2^yExp (x, y > 0) as sign, significand and exponent,
 * short-cut when one is so much smaller than the other that it only acts as a sticky bit: then the
 * larger is widened to at least precision + 3 bits (and by two bits at least) and the smaller
 * becomes ±1 in the lowest bit, so
 * rounding to `precision` bits still sees the right round and sticky bits. An exact zero sum is +0,
 * or -0 when rounding down (IEEE 754 6.3).
 */
function exactSum(xSign: boolean, x: bigint, xExp: number, ySign: boolean, y: bigint, yExp: number, precision: number, mode: number): { sign: boolean; sig: bigint; exp: number } {
  const xTop = xExp + bitLength(x); // exclusive: x × 2^xExp < 2^xTop
  let yTop = yExp + bitLength(y);
  if (yTop > xTop) {
    [xSign, x, xExp, ySign, y, yExp, yTop] = [ySign, y, yExp, xSign, x, xExp, xTop];
  }
  // At least two zero bits below x's last one, so that ±1 there is a sticky bit that cannot be
  // mistaken for an exact tail.
  const widen = Math.max(2, precision + 3 - bitLength(x));
  if (yTop <= xExp - widen) {
    const wide = x << BigInt(widen);
    return { sign: xSign, sig: xSign === ySign ? wide + 1n : wide - 1n, exp: xExp - widen };
  }
  const exp = Math.min(xExp, yExp);
  const xs = x << BigInt(xExp - exp);
  const ys = y << BigInt(yExp - exp);
  if (xSign === ySign) return { sign: xSign, sig: xs + ys, exp };
  if (xs === ys) return { sign: mode === RoundingMode.Down, sig: 0n, exp };
  return xs > ys ? { sign: xSign, sig: xs - ys, exp } : { sign: ySign, sig: ys - xs, exp };
}

/** a + b, or a - b when `subtract`. */
export function add(fmt: Format, a: bigint, b: bigint, subtract: boolean, s: FloatStatus): bigint {
  const pa = unpack(fmt, a);
  const pb = unpack(fmt, b);
  if (isNaN(pa) || isNaN(pb)) return nanResult(fmt, s, pa, pb);
  const bSign = pb.sign !== subtract;
  if (pa.kind === Kind.Infinity) {
    if (pb.kind === Kind.Infinity && pa.sign !== bSign) return invalid(fmt, s); // ∞ - ∞
    return infinity(fmt, pa.sign);
  }
  if (pb.kind === Kind.Infinity) return infinity(fmt, bSign);
  if (pa.kind === Kind.Zero) {
    if (pb.kind === Kind.Zero) return zero(fmt, pa.sign === bSign ? pa.sign : s.roundingMode === RoundingMode.Down);
    return repack(fmt, pb, bSign, s);
  }
  if (pb.kind === Kind.Zero) return a;
  const sum = exactSum(pa.sign, pa.sig, pa.exp, bSign, pb.sig, pb.exp, fmt.precision, s.roundingMode);
  return roundPack(fmt, sum.sign, sum.exp, sum.sig, s);
}

export function mul(fmt: Format, a: bigint, b: bigint, s: FloatStatus): bigint {
  const pa = unpack(fmt, a);
  const pb = unpack(fmt, b);
  if (isNaN(pa) || isNaN(pb)) return nanResult(fmt, s, pa, pb);
  const sign = pa.sign !== pb.sign;
  if (pa.kind === Kind.Infinity || pb.kind === Kind.Infinity) {
    if (pa.kind === Kind.Zero || pb.kind === Kind.Zero) return invalid(fmt, s); // ∞ × 0
    return infinity(fmt, sign);
  }
  if (pa.kind === Kind.Zero || pb.kind === Kind.Zero) return zero(fmt, sign);
  return roundPack(fmt, sign, pa.exp + pb.exp, pa.sig * pb.sig, s);
}

export function div(fmt: Format, a: bigint, b: bigint, s: FloatStatus): bigint {
  const pa = unpack(fmt, a);
  const pb = unpack(fmt, b);
  if (isNaN(pa) || isNaN(pb)) return nanResult(fmt, s, pa, pb);
  const sign = pa.sign !== pb.sign;
  if (pa.kind === Kind.Infinity) return pb.kind === Kind.Infinity ? invalid(fmt, s) : infinity(fmt, sign);
  if (pb.kind === Kind.Infinity) return zero(fmt, sign);
  if (pb.kind === Kind.Zero) {
    if (pa.kind === Kind.Zero) return invalid(fmt, s); // 0 / 0
    s.flags |= FloatFlag.DivideByZero;
    return infinity(fmt, sign);
  }
  if (pa.kind === Kind.Zero) return zero(fmt, sign);
  // Scale the dividend so the quotient has at least precision + 2 bits whatever the significands
  // (subnormal ones are shorter), then fold the remainder into a sticky bit.
  const scale = 2 * fmt.precision + 2;
  const dividend = pa.sig << BigInt(scale);
  const q = dividend / pb.sig;
  const sticky = q * pb.sig === dividend ? 0n : 1n;
  return roundPack(fmt, sign, pa.exp - pb.exp - scale, q | sticky, s);
}

/** floor(sqrt(x)) for x ≥ 0: Newton's iteration from above, started from the host's estimate. */
function isqrt(x: bigint): bigint {
  if (x < 2n) return x;
  const estimate = BigInt(Math.ceil(Math.sqrt(Number(x))));
  let y = estimate + (estimate >> 40n) + 1n; // above the root despite the estimate's rounding
  for (;;) {
    const next = (y + x / y) >> 1n;
    if (next >= y) return y;
    y = next;
  }
}

export function sqrt(fmt: Format, a: bigint, s: FloatStatus): bigint {
  const pa = unpack(fmt, a);
  if (isNaN(pa)) return nanResult(fmt, s, pa);
  if (pa.kind === Kind.Zero) return a; // √±0 = ±0
  if (pa.sign) return invalid(fmt, s);
  if (pa.kind === Kind.Infinity) return a;
  // An even exponent halves exactly; scale by 2^(2k) so the root has at least precision + 2 bits.
  let sig = pa.sig;
  let exp = pa.exp;
  if ((exp & 1) !== 0) {
    sig <<= 1n;
    exp -= 1;
  }
  const scale = 2 * fmt.precision + 4;
  const radicand = sig << BigInt(scale);
  const root = isqrt(radicand);
  const sticky = root * root === radicand ? 0n : 1n;
  return roundPack(fmt, false, (exp - scale) / 2, root | sticky, s);
}

/**
 * a × b + c with one rounding; the product's and the addend's signs flipped first when asked
 * (QEMU's float_muladd_negate_product / _negate_c: fmsub, fnmsub, fnmadd).
 */
export function mulAdd(fmt: Format, a: bigint, b: bigint, c: bigint, negateProduct: boolean, negateAddend: boolean, s: FloatStatus): bigint {
  const pa = unpack(fmt, a);
  const pb = unpack(fmt, b);
  const pc = unpack(fmt, c);
  const infTimesZero = (pa.kind === Kind.Infinity && pb.kind === Kind.Zero) || (pa.kind === Kind.Zero && pb.kind === Kind.Infinity);
  if (isNaN(pa) || isNaN(pb) || isNaN(pc)) {
    // QEMU raises Invalid for ∞ × 0 even when the addend is a quiet NaN.
    if (infTimesZero) s.flags |= FloatFlag.Invalid;
    return nanResult(fmt, s, pa, pb, pc);
  }
  if (infTimesZero) return invalid(fmt, s);
  const productSign = (pa.sign !== pb.sign) !== negateProduct;
  const cSign = pc.sign !== negateAddend;
  if (pa.kind === Kind.Infinity || pb.kind === Kind.Infinity) {
    if (pc.kind === Kind.Infinity && cSign !== productSign) return invalid(fmt, s); // ∞ - ∞
    return infinity(fmt, productSign);
  }
  if (pc.kind === Kind.Infinity) return infinity(fmt, cSign);
  if (pa.kind === Kind.Zero || pb.kind === Kind.Zero) {
    if (pc.kind === Kind.Zero) return zero(fmt, productSign === cSign ? cSign : s.roundingMode === RoundingMode.Down);
    return repack(fmt, pc, cSign, s);
  }
  const product = pa.sig * pb.sig;
  const productExp = pa.exp + pb.exp;
  if (pc.kind === Kind.Zero) return roundPack(fmt, productSign, productExp, product, s);
  const sum = exactSum(productSign, product, productExp, cSign, pc.sig, pc.exp, fmt.precision, s.roundingMode);
  return roundPack(fmt, sum.sign, sum.exp, sum.sig, s);
}

/** Ordering of two operands that are not NaNs: -1, 0 or 1 (±0 equal). */
function compareOrdered(fmt: Format, a: bigint, b: bigint): number {
  const aSign = a >= fmt.signBit;
  const bSign = b >= fmt.signBit;
  const aMag = aSign ? a - fmt.signBit : a;
  const bMag = bSign ? b - fmt.signBit : b;
  if (aMag === 0n && bMag === 0n) return 0;
  if (aSign !== bSign) return aSign ? -1 : 1;
  const cmp = aMag < bMag ? -1 : aMag > bMag ? 1 : 0;
  return aSign ? -cmp : cmp;
}

/** Quiet equality (feq): Invalid only for a signaling NaN. */
export function eq(fmt: Format, a: bigint, b: bigint, s: FloatStatus): boolean {
  const pa = unpack(fmt, a);
  const pb = unpack(fmt, b);
  if (isNaN(pa) || isNaN(pb)) {
    if (pa.kind === Kind.SignalingNaN || pb.kind === Kind.SignalingNaN) s.flags |= FloatFlag.Invalid;
    return false;
  }
  return compareOrdered(fmt, a, b) === 0;
}

/** Signaling less-than (flt) or less-or-equal (fle): Invalid for any NaN. */
export function less(fmt: Format, a: bigint, b: bigint, orEqual: boolean, s: FloatStatus): boolean {
  const pa = unpack(fmt, a);
  const pb = unpack(fmt, b);
  if (isNaN(pa) || isNaN(pb)) {
    s.flags |= FloatFlag.Invalid;
    return false;
  }
  const cmp = compareOrdered(fmt, a, b);
  return orEqual ? cmp <= 0 : cmp < 0;
}

/**
 * RISC-V fmin/fmax as QEMU 7.2 implements them for privileged spec 1.11 and later (IEEE 754-2019
 * minimumNumber/maximumNumber): a NaN operand gives way to a number, a signaling one raising Invalid;
 * two NaNs give the canonical NaN; -0 is below +0. The chosen operand comes back unchanged.
 */
export function minMax(fmt: Format, a: bigint, b: bigint, max: boolean, s: FloatStatus): bigint {
  const pa = unpack(fmt, a);
  const pb = unpack(fmt, b);
  const aNaN = isNaN(pa);
  const bNaN = isNaN(pb);
  if (aNaN || bNaN) {
    if (pa.kind === Kind.SignalingNaN || pb.kind === Kind.SignalingNaN) s.flags |= FloatFlag.Invalid;
    if (aNaN && bNaN) return fmt.canonicalNaN;
    return aNaN ? b : a;
  }
  // Signs first (so -0 < +0), then magnitudes.
  const aSign = a >= fmt.signBit;
  const bSign = b >= fmt.signBit;
  let aLess: boolean;
  if (aSign !== bSign) aLess = aSign;
  else aLess = aSign ? a > b : a < b;
  return aLess !== max ? a : b;
}

/** The RISC-V fclass mask. */
export const ClassBit = {
  NegativeInfinity: 1 << 0,
  NegativeNormal: 1 << 1,
  NegativeSubnormal: 1 << 2,
  NegativeZero: 1 << 3,
  PositiveZero: 1 << 4,
  PositiveSubnormal: 1 << 5,
  PositiveNormal: 1 << 6,
  PositiveInfinity: 1 << 7,
  SignalingNaN: 1 << 8,
  QuietNaN: 1 << 9,
} as const;

export function classify(fmt: Format, a: bigint): number {
  const p = unpack(fmt, a);
  switch (p.kind) {
    case Kind.SignalingNaN: return ClassBit.SignalingNaN;
    case Kind.QuietNaN: return ClassBit.QuietNaN;
    case Kind.Infinity: return p.sign ? ClassBit.NegativeInfinity : ClassBit.PositiveInfinity;
    case Kind.Zero: return p.sign ? ClassBit.NegativeZero : ClassBit.PositiveZero;
    default: {
      const subnormal = p.sig < fmt.implicitBit;
      if (p.sign) return subnormal ? ClassBit.NegativeSubnormal : ClassBit.NegativeNormal;
      return subnormal ? ClassBit.PositiveSubnormal : ClassBit.PositiveNormal;
    }
  }
}

const INT32_MAX = 0x7fffffff;
const INT32_MIN = -0x80000000;
const UINT32_MAX = 0xffffffff;

/**
 * Conversion to a 32-bit integer (fcvt.w / fcvt.wu), rounded per the status's mode. As QEMU: a NaN
 * gives the largest integer, an infinity or a rounded value out of range saturates, all with
 * Invalid alone (an out-of-range result does not also raise Inexact); a negative value that rounds
 * to zero is 0 even for the unsigned conversion (Inexact only).
 */
export function toInt32(fmt: Format, a: bigint, signed: boolean, s: FloatStatus): number {
  const p = unpack(fmt, a);
  const max = signed ? INT32_MAX : UINT32_MAX;
  const min = signed ? INT32_MIN : 0;
  if (isNaN(p)) {
    s.flags |= FloatFlag.Invalid;
    return max;
  }
  if (p.kind === Kind.Infinity) {
    s.flags |= FloatFlag.Invalid;
    return p.sign ? min : max;
  }
  if (p.kind === Kind.Zero) return 0;
  let magnitude: bigint;
  let inexact = false;
  if (p.exp >= 0) {
    // Already an integer; anything shifted past bit 40 is out of range anyway.
    magnitude = p.exp > 40 ? 1n << 41n : p.sig << BigInt(p.exp);
  } else {
    ({ q: magnitude, inexact } = roundShift(p.sig, -p.exp, p.sign, s.roundingMode));
  }
  const limit = p.sign ? (signed ? 0x80000000n : 0n) : BigInt(max);
  if (magnitude > limit) {
    s.flags |= FloatFlag.Invalid;
    return p.sign ? min : max;
  }
  if (inexact) s.flags |= FloatFlag.Inexact;
  const value = Number(magnitude);
  return p.sign ? -value | 0 : value;
}

/** A 32-bit integer (or any safe integer) to the format, rounded per the status's mode. */
export function fromInt(fmt: Format, x: number, s: FloatStatus): bigint {
  if (x === 0) return 0n;
  return roundPack(fmt, x < 0, 0, BigInt(Math.abs(x)), s);
}

/** Conversion between formats (fcvt.s.d, fcvt.d.s): rounds when narrowing; a NaN becomes the canonical NaN. */
export function convert(from: Format, to: Format, a: bigint, s: FloatStatus): bigint {
  const p = unpack(from, a);
  if (isNaN(p)) return nanResult(to, s, p);
  if (p.kind === Kind.Infinity) return infinity(to, p.sign);
  if (p.kind === Kind.Zero) return zero(to, p.sign);
  return roundPack(to, p.sign, p.exp, p.sig, s);
}
