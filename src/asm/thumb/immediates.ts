// Thumb-2 immediates: the "modified immediate" constants of 32-bit data processing (ARMv7-M ARM
// A5.3.2, ThumbExpandImm) and GNU as's fallback of the complementary operation when a constant
// does not fit (ADD #-n → SUB #n, AND #~n → BIC #n, …).

/** The 12-bit field i:imm3:imm8 that expands to `value`, or undefined when none does. */
export function modifiedImmediate(value: number): number | undefined {
  const v = value >>> 0;
  if (v <= 0xff) return v;
  const byte = v & 0xff;
  if (v === ((byte << 16) | byte) >>> 0) return 0x100 | byte;
  const high = (v >>> 8) & 0xff;
  if (v === ((high << 24) | (high << 8)) >>> 0) return 0x200 | high;
  if (v === ((byte << 24) | (byte << 16) | (byte << 8) | byte) >>> 0) return 0x300 | byte;
  // An 8-bit value with its top bit set, rotated right by 8..31.
  for (let rotation = 8; rotation < 32; rotation++) {
    const unrotated = ((v << rotation) | (v >>> (32 - rotation))) >>> 0;
    if (unrotated <= 0xff && (unrotated & 0x80) !== 0) return (rotation << 7) | (unrotated & 0x7f);
  }
  return undefined;
}

/** Places a 12-bit i:imm3:imm8 field into the two halfwords of a 32-bit encoding. */
export function splitImm12(imm12: number): [number, number] {
  return [((imm12 >>> 11) & 1) << 10, (((imm12 >>> 8) & 7) << 12) | (imm12 & 0xff)];
}

/** Data-processing (modified immediate) opcodes of the 32-bit encodings (A5.3.1). */
export const T32 = { AND: 0, BIC: 1, ORR: 2, ORN: 3, EOR: 4, ADD: 8, ADC: 10, SBC: 11, SUB: 13, RSB: 14 } as const;

/**
 * The operation and constant GNU as uses instead when `value` is not a modified immediate for `op`:
 * the complementary operation with the negated or inverted constant (tc-arm.c does the same).
 * `hasRd` false for the compare forms (CMP/CMN), true otherwise; MOV/MVN are ORR/ORN with Rn = PC.
 */
export function complementaryOperation(op: number, value: number): { op: number; value: number } | undefined {
  const inverted = ~value >>> 0;
  const negated = -value >>> 0;
  switch (op) {
    case T32.AND: return { op: T32.BIC, value: inverted };
    case T32.BIC: return { op: T32.AND, value: inverted };
    case T32.ORR: return { op: T32.ORN, value: inverted };
    case T32.ORN: return { op: T32.ORR, value: inverted };
    case T32.ADD: return { op: T32.SUB, value: negated };
    case T32.SUB: return { op: T32.ADD, value: negated };
    case T32.ADC: return { op: T32.SBC, value: inverted };
    case T32.SBC: return { op: T32.ADC, value: inverted };
    default: return undefined;
  }
}
