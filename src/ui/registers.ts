// The registers view's small decisions, kept out of the component so they can be tested: register
// names (each hart's register file names them, through the worker API), which registers changed since the guest last stopped (highlighted after each step), and
// the value of a register the memory view follows.
import type { HartRegisters } from '../workers/emulator.worker.ts';

/** The pc's index beside x0..x31 in change sets and register references. */
export const PC = 32;

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
