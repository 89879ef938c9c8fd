// The registers view's small decisions, kept out of the component so they can be tested: register
// names (each hart's register file names them, through the worker API), which registers changed since the guest last stopped (highlighted after each step),
// the value of a register the memory view follows, and how a floating-point register reads (raw
// bits and the number they hold: a NaN-boxed single as the single, else the double).
import type { HartRegisters } from '../workers/emulator.worker.ts';

/** The pc's index beside x0..x31 in change sets and register references. */
export const PC = 32;
/** Floating-point register i's index in change sets: FIRST_FLOAT + i, after the pc (gdb numbers f0 33 too). */
export const FIRST_FLOAT = PC + 1;
/** Special register i's index in change sets: FIRST_SPECIAL + i, after room for 64 float registers. */
export const FIRST_SPECIAL = FIRST_FLOAT + 64;

/** A register's name as the view shows it: the hart's name for general register `index` ("sp"), or "pc". */
export function registerName(hart: Pick<HartRegisters, 'names'>, index: number): string {
  return index === PC ? 'pc' : (hart.names[index] ?? `r${index}`);
}

/** "sp", "x2", "fp" (s0) or "pc" → its index in the hart's registers (PC for the pc); undefined for anything else. */
export function registerIndex(hart: Pick<HartRegisters, 'names' | 'aliases'>, name: string): number | undefined {
  const n = name.trim().toLowerCase();
  if (n === 'pc') return PC;
  const index = hart.names.findIndex((registerName, i) => registerName === n || hart.aliases[i]?.includes(n));
  return index >= 0 ? index : undefined;
}

/** Registers worth following first, in this order: they hold addresses. */
const POINTER_ROLES = ['stack-pointer', 'return-address', 'pointer'] as const;

/** The registers the memory view offers to follow, in order: the pc, the pointers, then the rest (not a hard-wired zero). */
export function followOrder(hart: Pick<HartRegisters, 'roles'>): number[] {
  const indices = hart.roles.map((_, i) => i);
  const pointers = POINTER_ROLES.flatMap((role) => indices.filter((i) => hart.roles[i] === role));
  const rest = indices.filter((i) => hart.roles[i] === null);
  return [PC, ...pointers, ...rest];
}

/** Register `index` (PC for the pc) of hart `path`, unsigned; undefined when that hart is not there. */
export function registerValue(harts: readonly HartRegisters[], path: string, index: number): number | undefined {
  const hart = harts.find((h) => h.path === path);
  if (hart === undefined) return undefined;
  return index === PC ? hart.pc >>> 0 : hart.x[index] === undefined ? undefined : hart.x[index] >>> 0;
}

/** Per hart: the registers (indices, PC for the pc) whose values differ between two readings. A hart new in `after` has none. */
export function changedRegisters(before: readonly HartRegisters[], after: readonly HartRegisters[]): Map<string, ReadonlySet<number>> {
  const result = new Map<string, ReadonlySet<number>>();
  for (const hart of after) {
    const previous = before.find((h) => h.path === hart.path);
    const changed = new Set<number>();
    if (previous !== undefined) {
      hart.x.forEach((value, i) => {
        if (value !== previous.x[i]) changed.add(i);
      });
      if (hart.pc !== previous.pc) changed.add(PC);
      hart.float?.values.forEach((value, i) => {
        if (value !== previous.float?.values[i]) changed.add(FIRST_FLOAT + i);
      });
      hart.special?.values.forEach((value, i) => {
        if (value !== previous.special?.values[i]) changed.add(FIRST_SPECIAL + i);
      });
    }
    result.set(hart.path, changed);
  }
  return result;
}

/** A reading of the registers and when it was taken. */
export interface RegisterReading {
  harts: readonly HartRegisters[];
  /** Instructions retired when read (a step retires one; the same count is the same stop). */
  instructions: number;
  /** The guest was running when read: no stop to compare. */
  running: boolean;
  /** Which machine (a new board or a reload starts over). */
  machine: unknown;
}

const NOTHING_CHANGED: ReadonlyMap<string, ReadonlySet<number>> = new Map();

/**
 * Remembers the registers at the last stop, so each new stop (a step, a pause, a breakpoint) shows
 * what changed since the one before; while the guest runs nothing is highlighted.
 */
export class RegisterChanges {
  private machine: unknown = undefined;
  private lastStop: RegisterReading | null = null;
  private changes: ReadonlyMap<string, ReadonlySet<number>> = NOTHING_CHANGED;

  /** Takes a reading and returns the registers to highlight. */
  observe(reading: RegisterReading): ReadonlyMap<string, ReadonlySet<number>> {
    if (reading.machine !== this.machine) {
      // Another machine: nothing to compare with until its first stop.
      this.machine = reading.machine;
      this.lastStop = null;
      this.changes = NOTHING_CHANGED;
    }
    if (reading.running) {
      this.changes = NOTHING_CHANGED;
      return this.changes;
    }
    if (this.lastStop === null) {
      this.lastStop = reading;
      return this.changes;
    }
    if (reading.instructions === this.lastStop.instructions) return this.changes; // the same stop, read again
    this.changes = changedRegisters(this.lastStop.harts, reading.harts);
    this.lastStop = reading;
    return this.changes;
  }
}

// ---- Cortex-M special registers ----------------------------------------------------------------

/** ARMv7-M exception numbers' names (the xPSR's IPSR field; 16 and up are external interrupts). */
const EXCEPTION_NAMES: Record<number, string> = { 0: 'Thread', 1: 'Reset', 2: 'NMI', 3: 'HardFault', 4: 'MemManage', 5: 'BusFault', 6: 'UsageFault', 11: 'SVCall', 12: 'DebugMonitor', 14: 'PendSV', 15: 'SysTick' };
/** xPSR: the APSR flags N Z C V Q (bits 31..27), the Thumb bit (24), IPSR (bits 8..0). */
const XPSR_FLAGS: ReadonlyArray<[string, number]> = [['N', 31], ['Z', 30], ['C', 29], ['V', 28], ['Q', 27]];
const XPSR_T = 24;
const IPSR_MASK = 0x1ff;
/** CONTROL: nPRIV (bit 0: unprivileged thread mode), SPSEL (bit 1: thread mode uses the PSP). */
const CONTROL_NPRIV = 1;
const CONTROL_SPSEL = 2;
const FIRST_IRQ = 16;

/**
 * What a Cortex-M special register holds, in words ("nZCv T · Thread", "unprivileged · PSP",
 * "masked"); undefined for one whose hex says it all (msp, psp) or a name it does not know.
 */
export function specialRegisterText(name: string, value: number): string | undefined {
  const v = value >>> 0;
  switch (name) {
    case 'xpsr': {
      const flags = XPSR_FLAGS.map(([flag, bit]) => ((v >>> bit) & 1 ? flag : flag.toLowerCase())).join('');
      const exception = v & IPSR_MASK;
      const handler = EXCEPTION_NAMES[exception] ?? (exception >= FIRST_IRQ ? `IRQ ${exception - FIRST_IRQ}` : `exception ${exception}`);
      return `${flags}${(v >>> XPSR_T) & 1 ? ' T' : ' no T'} · ${handler}`;
    }
    case 'primask':
    case 'faultmask':
      return v & 1 ? 'masked' : 'open';
    case 'basepri':
      return v === 0 ? 'off' : `masks priority ≥ ${v}`;
    case 'control':
      return `${v & CONTROL_NPRIV ? 'unprivileged' : 'privileged'} · ${v & CONTROL_SPSEL ? 'PSP' : 'MSP'}`;
    default:
      return undefined;
  }
}

// ---- floating-point registers ----------------------------------------------------------------

const SINGLE_BITS = 32;
/** The upper half of a 64-bit register that holds a single-precision value: all ones (NaN-boxing). */
const NAN_BOX = 0xffff_ffffn;
/** A single's largest significant-digit count needed to read back the same value (FLT_DECIMAL_DIG). */
const SINGLE_DIGITS = 9;
const SINGLE_QUIET_BIT = 0x0040_0000;
const DOUBLE_QUIET_BIT = 0x0008_0000_0000_0000n;

/** A floating-point register's raw bits as hex digits: 16 for a 64-bit register, 8 for a 32-bit one. */
export function floatRegisterHex(value: bigint, bits: number): string {
  return BigInt.asUintN(bits, value).toString(16).padStart(bits / 4, '0');
}

/**
 * What a floating-point register holds, as a number: a 32-bit register, or a 64-bit one whose
 * upper half is all ones (a NaN-boxed single), as the single with " (s)" after it ("1.5 (s)");
 * anything else in a 64-bit register as the double (an improperly boxed single reads as the
 * double its bits make, which is what D instructions see). NaNs read "NaN" or "sNaN"
 * (signaling), infinities "inf"/"-inf", negative zero "-0".
 */
export function floatRegisterText(value: bigint, bits: number): string {
  const raw = BigInt.asUintN(bits, value);
  if (bits === SINGLE_BITS || raw >> 32n === NAN_BOX) return `${singleText(Number(raw & 0xffff_ffffn))} (s)`;
  return doubleText(raw);
}

function singleText(bits: number): string {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint32(0, bits);
  const value = view.getFloat32(0);
  if (Number.isNaN(value)) return bits & SINGLE_QUIET_BIT ? 'NaN' : 'sNaN';
  const special = specialText(value);
  if (special !== undefined) return special;
  // The shortest decimal that reads back as the same single (0.1, not 0.10000000149011612).
  for (let digits = 1; digits < SINGLE_DIGITS; digits++) {
    const shorter = Number(value.toPrecision(digits));
    if (Math.fround(shorter) === value) return String(shorter);
  }
  return String(Number(value.toPrecision(SINGLE_DIGITS)));
}

function doubleText(bits: bigint): string {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, bits);
  const value = view.getFloat64(0);
  if (Number.isNaN(value)) return bits & DOUBLE_QUIET_BIT ? 'NaN' : 'sNaN';
  return specialText(value) ?? String(value); // JavaScript prints a double's shortest exact decimal
}

function specialText(value: number): string | undefined {
  if (value === Infinity) return 'inf';
  if (value === -Infinity) return '-inf';
  if (Object.is(value, -0)) return '-0';
  return undefined;
}
