// The debug trigger module (Sdtrig) as QEMU 7.2 implements it (target/riscv/debug.c; every rule
// below was checked on Debian's qemu-system-riscv32 7.2 by firmware/conf-trigger):
// - two triggers, selected by tselect (a write of 2 or more is ignored); tinfo says types 2
//   (mcontrol) and 6 (mcontrol6) are supported; tdata3 reads 0 and ignores writes; tcontrol,
//   mcontext and scontext do not exist.
// - A tdata1 write whose type field is 2 or 6 makes the trigger that type and keeps only the bits
//   QEMU implements: the m/s/u (and, for type 6, vs/vu) mode bits, execute/store/load and a size
//   QEMU supports; dmode, action (always "breakpoint exception"), timing, select, chain, match and
//   hit read 0. A write with any other type is ignored.
// - A trigger is armed when it has a mode bit and one of execute/load/store. It fires when the
//   current privilege level's bit (u 3, s 4, m 6) is set: an execute trigger before the instruction
//   at tdata2 runs; a load or store trigger before an access that overlaps [tdata2, tdata2 + len),
//   where len is the size field's value as it is encoded (QEMU passes the encoding, not the byte
//   count: sizelo 3, "4 bytes", watches 3) or, for size 0 (any), 4 bytes for type 2 and 8 for type
//   6. AMOs and a store-conditional that reaches memory are loads and stores at once. Firing raises
//   a breakpoint exception (mcause 3) with mtval 0 and mepc at the instruction.
// The state (tselect, tdata1, tdata2) lives in the hart (its state descriptor saves it); this module
// only computes from it.

/** Triggers QEMU 7.2's rv32 CPU has. */
export const TRIGGER_COUNT = 2;

export const TRIGGER_CSRS = { TSELECT: 0x7a0, TDATA1: 0x7a1, TDATA2: 0x7a2, TDATA3: 0x7a3, TINFO: 0x7a4 } as const;

const TYPE_SHIFT = 28;
export const TRIGGER_TYPE_MCONTROL = 2;
export const TRIGGER_TYPE_MCONTROL6 = 6;
/** tdata1 after reset: an mcontrol trigger that matches nothing. */
export const TDATA1_RESET = TRIGGER_TYPE_MCONTROL << TYPE_SHIFT;
/** tinfo: the trigger types every trigger supports (one bit per type). */
export const TINFO_TYPES = (1 << TRIGGER_TYPE_MCONTROL) | (1 << TRIGGER_TYPE_MCONTROL6);

// mcontrol / mcontrol6 fields (RV32)
export const MCONTROL_LOAD = 1 << 0;
export const MCONTROL_STORE = 1 << 1;
export const MCONTROL_EXECUTE = 1 << 2;
export const MCONTROL_U = 1 << 3;
export const MCONTROL_S = 1 << 4;
export const MCONTROL_M = 1 << 6;
/** The mode bits start here: bit (MODE_SHIFT + privilege level) enables that level. */
const MODE_SHIFT = 3;
const MCONTROL_SIZELO_SHIFT = 16;
const MCONTROL_SIZELO = 3 << MCONTROL_SIZELO_SHIFT;
const MCONTROL6_VU = 1 << 23;
const MCONTROL6_VS = 1 << 24;
const MCONTROL6_SIZE_SHIFT = 16;
const MCONTROL6_SIZE = 15 << MCONTROL6_SIZE_SHIFT;
/** mcontrol6 size encodings QEMU 7.2 supports: any, 1, 2, 4 and 8 bytes (6 bytes and 7+ are dropped). */
const MCONTROL6_SIZES = new Set([0, 1, 2, 3, 5]);
const ACCESS_BITS = MCONTROL_LOAD | MCONTROL_STORE | MCONTROL_EXECUTE;
const MODE_BITS = MCONTROL_U | MCONTROL_S | MCONTROL_M;

/** Access kinds a data trigger or watchpoint matches (an AMO is both): the bits of mcontrol's load and store, so a trigger's tdata1 tests them directly. */
export const WATCH_LOAD = 1 << 0;
export const WATCH_STORE = 1 << 1;

/** The trigger type in a tdata1 value. */
export function triggerType(tdata1: number): number {
  return tdata1 >>> TYPE_SHIFT;
}

/** What a tdata1 write leaves in the register (QEMU 7.2's WARL rules), or undefined when the write is ignored. */
export function legalizeTdata1(value: number): number | undefined {
  const type = triggerType(value);
  if (type === TRIGGER_TYPE_MCONTROL) {
    return ((TRIGGER_TYPE_MCONTROL << TYPE_SHIFT) | (value & (MCONTROL_SIZELO | MODE_BITS | ACCESS_BITS))) | 0;
  }
  if (type === TRIGGER_TYPE_MCONTROL6) {
    const size = (value & MCONTROL6_SIZE) >>> MCONTROL6_SIZE_SHIFT;
    const kept = MODE_BITS | ACCESS_BITS | MCONTROL6_VU | MCONTROL6_VS | (MCONTROL6_SIZES.has(size) ? MCONTROL6_SIZE : 0);
    return ((TRIGGER_TYPE_MCONTROL6 << TYPE_SHIFT) | (value & kept)) | 0;
  }
  return undefined;
}

/** Is tdata1 a value legalizeTdata1 can leave (for snapshot checks)? */
export function isLegalTdata1(tdata1: number): boolean {
  return legalizeTdata1(tdata1) === (tdata1 | 0);
}

/** Armed: some mode bit and some access bit set (QEMU inserts a breakpoint/watchpoint only then). */
function armed(tdata1: number): boolean {
  const modes = triggerType(tdata1) === TRIGGER_TYPE_MCONTROL6 ? MODE_BITS | MCONTROL6_VU | MCONTROL6_VS : MODE_BITS;
  return (tdata1 & modes) !== 0 && (tdata1 & ACCESS_BITS) !== 0;
}

/** Bytes a data trigger watches from tdata2: the size field as encoded, or the default for "any". */
function watchLength(tdata1: number): number {
  if (triggerType(tdata1) === TRIGGER_TYPE_MCONTROL6) {
    const size = (tdata1 & MCONTROL6_SIZE) >>> MCONTROL6_SIZE_SHIFT;
    return size === 0 ? 8 : size;
  }
  const size = (tdata1 & MCONTROL_SIZELO) >>> MCONTROL_SIZELO_SHIFT;
  return size === 0 ? 4 : size;
}

/** Does [address, address + length) overlap [start, start + size)? Addresses u32. */
export function rangesOverlap(address: number, length: number, start: number, size: number): boolean {
  return !(start > address + length - 1 || address > start + size - 1);
}

/**
 * The triggers' derived match state: rebuilt from tdata1/tdata2 whenever they change (update), so
 * the hart's checks read plain numbers.
 */
export class TriggerMatcher {
  /** Triggers armed for execution (a bit per trigger). */
  execMask = 0;
  /** Triggers armed for loads or stores with a valid watch range (a bit per trigger). */
  dataMask = 0;
  private readonly tdata1: Int32Array;
  private readonly tdata2: Int32Array;
  private readonly length = new Float64Array(TRIGGER_COUNT);

  constructor(tdata1: Int32Array, tdata2: Int32Array) {
    this.tdata1 = tdata1;
    this.tdata2 = tdata2;
  }

  update(): void {
    this.execMask = 0;
    this.dataMask = 0;
    for (let i = 0; i < TRIGGER_COUNT; i++) {
      const ctrl = this.tdata1[i];
      if (!armed(ctrl)) continue;
      if ((ctrl & MCONTROL_EXECUTE) !== 0) this.execMask |= 1 << i;
      const length = watchLength(ctrl);
      this.length[i] = length;
      // QEMU refuses a watchpoint that wraps past the top of the address space
      if ((ctrl & (MCONTROL_LOAD | MCONTROL_STORE)) !== 0 && (this.tdata2[i] >>> 0) + length - 1 <= 0xffff_ffff) this.dataMask |= 1 << i;
    }
  }

  private privilegeMatches(i: number, privilege: number): boolean {
    return ((this.tdata1[i] >>> MODE_SHIFT) & (1 << privilege)) !== 0;
  }

  /** Does an execute trigger fire before the instruction at `pc` (u32) at this privilege level? */
  execMatches(pc: number, privilege: number): boolean {
    for (let i = 0; i < TRIGGER_COUNT; i++) {
      if ((this.execMask & (1 << i)) !== 0 && this.tdata2[i] >>> 0 === pc && this.privilegeMatches(i, privilege)) return true;
    }
    return false;
  }

  /** Is there an execute trigger at an address in [start, start + size)? */
  execInRange(start: number, size: number): boolean {
    for (let i = 0; i < TRIGGER_COUNT; i++) {
      if ((this.execMask & (1 << i)) !== 0 && ((this.tdata2[i] - start) >>> 0) < size) return true;
    }
    return false;
  }

  /**
   * Does a load/store trigger fire before an access of `size` bytes at virtual `address` of the
   * given kinds (WATCH_LOAD, WATCH_STORE or both)? As QEMU: the trigger whose range the access
   * overlaps is confirmed by any trigger at the same address with a common access kind whose mode
   * bit matches the privilege level.
   */
  dataMatches(address: number, size: number, kinds: number, privilege: number): boolean {
    for (let j = 0; j < TRIGGER_COUNT; j++) {
      if ((this.dataMask & (1 << j)) === 0) continue;
      const ctrl = this.tdata1[j];
      const start = this.tdata2[j] >>> 0;
      if ((ctrl & kinds) === 0 || !rangesOverlap(address, size, start, this.length[j])) continue;
      for (let i = 0; i < TRIGGER_COUNT; i++) {
        if ((this.tdata1[i] & ctrl & (MCONTROL_LOAD | MCONTROL_STORE)) !== 0 && this.tdata2[i] >>> 0 === start && this.privilegeMatches(i, privilege)) return true;
      }
    }
    return false;
  }
}
