// The registers view's small decisions, kept out of the component so they can be tested: the ABI
// names, which registers changed since the guest last stopped (highlighted after each step), and
// the value of a register the memory view follows.
import type { HartRegisters } from '../workers/emulator.worker.ts';

export const ABI_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'] as const;

/** The pc's index beside x0..x31 in change sets and register references. */
export const PC = 32;

/** A register's name as the view shows it: ABI names for x0..x31, then "pc". */
export function registerName(index: number): string {
  return index === PC ? 'pc' : (ABI_NAMES[index] ?? `x${index}`);
}

/** "sp", "x2", "fp" (s0) or "pc" → its index (PC for the pc); undefined for anything else. */
export function registerIndex(name: string): number | undefined {
  const n = name.trim().toLowerCase();
  if (n === 'pc') return PC;
  if (n === 'fp') return 8;
  const abi = (ABI_NAMES as readonly string[]).indexOf(n);
  if (abi >= 0) return abi;
  const x = /^x(\d{1,2})$/.exec(n);
  return x && Number(x[1]) < 32 ? Number(x[1]) : undefined;
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
