// The packed form of decoded Thumb instructions that the Cortex-M core's run loop reads: a page of
// decoded code is one Int32Array with SLOT_WORDS int32s per halfword slot, so the loop loads plain
// integers (no object, no hidden-class check) and finds the next slot from the first word.
//
//   word 0 (SLOT_WORD): op (bits 0-6) | rd << 8 | rn << 12 | rm << 16 | ra << 20 | setFlags << 25 |
//     PREAMBLE (bit 27) | kind << 28 | the slots the instruction takes << 30 (1, or 2 for a 32-bit
//     encoding: run()'s next slot is one shift and an add away, on its critical path); for B (which has no
//     registers) bits 8-23 hold its condition's CONDITION_TABLE mask instead (COND_MASK_SHIFT)
//   word 1 (SLOT_IMM):  Insn.imm
//   word 2 (SLOT_AUX):  LDM, STM, IT: list | writeBack << 16 | decrement << 17;
//     everything else: shiftType | shiftN << 3 | (immCarry + 1) << 9 | cond << 11 | mode << 15 | size << 18 | signed << 21 |
//     unprivileged << 22
//   word 3: unused (a power-of-two stride)
//
// PREAMBLE marks the slots run() must look at before the switch: an instruction that names r15
// (Insn.readsPc: r15 is set to pc + 4 first), a slot with no instruction decoded yet
// (SLOT_NOT_DECODED) and the two slots past a page's end (SLOT_PAGE_END). Together with the IT state
// it is one test per instruction.
import { type Insn, Kind, Op, SetFlags, Shift } from './decode.ts';

export const SLOT_WORDS = 4;
export const SLOT_IMM = 1;
export const SLOT_AUX = 2;

export const OP_MASK = 0x7f;
export const SET_FLAGS_SHIFT = 25;
export const PREAMBLE = 1 << 27;
export const KIND_SHIFT = 28;
/** Kind takes two bits. */
export const KIND_MASK = 3;
/** Where word 0 holds the number of slots the instruction takes (its length in halfwords). */
export const SLOTS_SHIFT = 30;

/** A slot whose instruction has not been decoded yet (never an Insn's op). */
export const SLOT_NOT_DECODED = 0x7f;
/** The two slots past a page's last halfword, where running on past the page's end lands (never an Insn's op). */
export const SLOT_PAGE_END = 72;

/**
 * Ops of slots only: the commonest forms of MOV, CMP, ADD and SUB, told apart when an instruction is
 * packed so that run() has no operand-kind test, no shift and no check of the destination for them:
 * an immediate or an unshifted register operand, and (but for CMP) a destination other than r13
 * (aligned) and r15 (a branch). Insn.op (what execute() and the debugger see) is unchanged.
 */
export const SlotOp = {
  MOV_IMM: 81, MOV_REG: 82, CMP_IMM: 83, CMP_REG: 84, ADD_IMM: 85, ADD_REG: 86, SUB_IMM: 87, SUB_REG: 88,
  AND_SHIFTED: 89, EOR_SHIFTED: 90, ORR_SHIFTED: 91, BIC_SHIFTED: 92, SHIFT_IMM: 93,
} as const;

/**
 * The *_SHIFTED slot ops: AND, EOR, ORR, BIC of a register shifted by a constant (LSL, LSR or ASR by
 * 0-31), setting no flags (so the shifter's carry out does not matter), rd not r13 or r15 — the
 * 32-bit forms compilers emit for `x ^ (y >> 8)` and the like.
 */
const SHIFTED_LOGIC: ReadonlyMap<number, number> = new Map<number, number>([
  [Op.AND, SlotOp.AND_SHIFTED], [Op.EOR, SlotOp.EOR_SHIFTED], [Op.ORR, SlotOp.ORR_SHIFTED], [Op.BIC, SlotOp.BIC_SHIFTED],
]);
/*
 * SHIFT_IMM: LSL, LSR, ASR by a constant 1-32 (MOV of a shifted register, the 16-bit LSLS/LSRS/ASRS and
 * their 32-bit forms), flag-setting or not, rd not r13 or r15: the carry out is worked out in run().
 */
/** The largest constant shift the *_SHIFTED ops take (LSR #32 and ASR #32 are left to the general case). */
const SHIFTED_MAX_N = 31;

/** Where a B slot's first word holds CONDITION_TABLE[cond]: the branch is taken when bit COND_MASK_SHIFT + nzcv is set. */
export const COND_MASK_SHIFT = 8;

/**
 * For each condition code (EQ, NE, CS, CC, MI, PL, VS, VC, HI, LS, GE, LT, GT, LE, AL, and 15 as AL):
 * bit nzcv (N << 3 | Z << 2 | C << 1 | V) is set when the condition holds for those flags.
 */
export const CONDITION_TABLE: Uint16Array = (() => {
  const table = new Uint16Array(16);
  for (let cond = 0; cond < 16; cond++) {
    for (let nzcv = 0; nzcv < 16; nzcv++) {
      const n = (nzcv >>> 3) & 1;
      const z = (nzcv >>> 2) & 1;
      const c = (nzcv >>> 1) & 1;
      const v = nzcv & 1;
      const base = [z === 1, c === 1, n === 1, v === 1, c === 1 && z === 0, n === v, z === 0 && n === v, true][cond >>> 1];
      const holds = cond >= 14 ? true : (cond & 1) !== 0 ? !base : base;
      if (holds) table[cond] |= 1 << nzcv;
    }
  }
  return table;
})();

/** The aux word's fields (not LDM/STM/IT). */
export const AUX_SHIFT_N = 3;
export const AUX_IMM_CARRY = 9;
export const AUX_COND = 11;
export const AUX_MODE = 15;
export const AUX_SIZE = 18;
export const AUX_SIGNED = 1 << 21;
export const AUX_UNPRIVILEGED = 1 << 22;
/** LDM/STM's aux fields. */
export const AUX_WRITE_BACK = 1 << 16;
export const AUX_DECREMENT = 1 << 17;

/** Word 0 of a slot with no instruction yet, and of the two past a page's end. */
export const NOT_DECODED_WORD = SLOT_NOT_DECODED | PREAMBLE | (1 << SLOTS_SHIFT);
export const PAGE_END_WORD = SLOT_PAGE_END | PREAMBLE | (1 << SLOTS_SHIFT);

/** Write `insn` into the slot at `index` (the slot number times SLOT_WORDS) of `code`. */
export function packInsn(insn: Insn, code: Int32Array, index: number): void {
  const op = insn.op;
  const fields = op === Op.B ? CONDITION_TABLE[insn.cond] << COND_MASK_SHIFT : (insn.rd << 8) | (insn.rn << 12) | (insn.rm << 16) | (insn.ra << 20);
  code[index] =
    slotOp(insn) | fields | (insn.setFlags << SET_FLAGS_SHIFT) | (insn.readsPc ? PREAMBLE : 0) | (insn.kind << KIND_SHIFT) | ((insn.len >>> 1) << SLOTS_SHIFT);
  code[index + SLOT_IMM] = insn.imm;
  code[index + SLOT_AUX] = op === Op.LDM || op === Op.STM || op === Op.IT
    ? insn.list | (insn.writeBack ? AUX_WRITE_BACK : 0) | (insn.decrement ? AUX_DECREMENT : 0)
    : insn.shiftType | (insn.shiftN << AUX_SHIFT_N) | ((insn.immCarry + 1) << AUX_IMM_CARRY) | (insn.cond << AUX_COND) | (insn.mode << AUX_MODE) |
      (insn.size << AUX_SIZE) | (insn.signed ? AUX_SIGNED : 0) | (insn.unprivileged ? AUX_UNPRIVILEGED : 0);
}

/** The op run() switches on for `insn`: a SlotOp for the forms that have one, else insn.op. */
function slotOp(insn: Insn): number {
  const op = insn.op;
  const shifted = SHIFTED_LOGIC.get(op);
  if (shifted !== undefined) {
    return insn.kind === Kind.REG && insn.setFlags === SetFlags.NEVER && insn.shiftType <= Shift.ASR && insn.shiftN <= SHIFTED_MAX_N &&
      insn.rd !== 13 && insn.rd !== 15 ? shifted : op;
  }
  const immediate = insn.kind === Kind.IMM;
  if (op === Op.MOV && insn.kind === Kind.REG && insn.shiftType <= Shift.ASR && insn.shiftN !== 0 && insn.rd !== 13 && insn.rd !== 15) return SlotOp.SHIFT_IMM;
  if (!immediate && !(insn.kind === Kind.REG && insn.shiftType === Shift.LSL && insn.shiftN === 0)) return op;
  if (op === Op.CMP) return immediate ? SlotOp.CMP_IMM : SlotOp.CMP_REG;
  if (insn.rd === 13 || insn.rd === 15) return op;
  if (op === Op.MOV) return immediate ? SlotOp.MOV_IMM : SlotOp.MOV_REG;
  if (op === Op.ADD) return immediate ? SlotOp.ADD_IMM : SlotOp.ADD_REG;
  if (op === Op.SUB) return immediate ? SlotOp.SUB_IMM : SlotOp.SUB_REG;
  return op;
}
