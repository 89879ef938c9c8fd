// Rounding modes, exception flags and the status word every softfloat operation reads and updates.
// The numbers are RISC-V's own encodings (the fcsr rm field and the fflags bits), so the CPU passes
// them through unchanged.

/** IEEE 754 rounding-direction attributes, numbered as RISC-V's rm field encodes them. */
export const RoundingMode = {
  NearestEven: 0,
  TowardZero: 1,
  Down: 2,
  Up: 3,
  NearestMaxMagnitude: 4,
} as const;

/** IEEE 754 exception flags, as RISC-V's fflags bits. */
export const FloatFlag = {
  Inexact: 1,
  Underflow: 2,
  Overflow: 4,
  DivideByZero: 8,
  Invalid: 16,
} as const;

/** What an operation needs from the environment: the rounding mode to use, and the sticky flags it ORs its exceptions into. */
export interface FloatStatus {
  roundingMode: number;
  flags: number;
}

/**
 * RISC-V's canonical NaNs (QEMU runs RISC-V in default-NaN mode): every operation that produces a
 * NaN produces exactly these bits, whatever NaNs went in.
 */
export const CANONICAL_NAN32 = 0x7fc00000;
export const CANONICAL_NAN64 = 0x7ff8000000000000n;
