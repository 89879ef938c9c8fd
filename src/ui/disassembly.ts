// The disassembly view's small decisions, kept out of the component so they can be tested: how an
// address typed into its box is read, and when a breakpoint stop is still the reason the guest
// is paused.
import { WorkerRunState } from '../workers/control.ts';
import type { BreakpointStop } from '../workers/emulator.worker.ts';

/**
 * An address typed by the user: "0x80000010", or bare hex digits as the listing shows them
 * ("80000010"). Undefined when it is not one.
 */
export function parseAddress(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  const digits = trimmed.startsWith('0x') ? trimmed.slice(2) : trimmed;
  if (!/^[0-9a-f]{1,8}$/.test(digits)) return undefined;
  return parseInt(digits, 16) >>> 0;
}

/** An address as the listing shows it: 8 hex digits, as objdump prints them. */
export function addressText(address: number): string {
  return (address >>> 0).toString(16).padStart(8, '0');
}

/**
 * True while `stop` is why the guest is paused: paused, and nothing ran since (a step or a run
 * retires instructions; a reset or load starts the count again).
 */
export function stopIsCurrent(stop: BreakpointStop | null, state: WorkerRunState, instructions: number): stop is BreakpointStop {
  return stop !== null && state === WorkerRunState.PAUSED && instructions === stop.instructions;
}

/** "breakpoint at 0x80000010 on cpu0", "stepped over the call, at 0x…", "ran to 0x…". */
export function describeStop(stop: BreakpointStop, hartName: (path: string) => string): string {
  const where = `0x${addressText(stop.address)} on ${hartName(stop.hart)}`;
  if (stop.kind === 'step-over') return `stepped over the call, at ${where}`;
  if (stop.kind === 'run-to') return `ran to ${where}`;
  if (stop.kind === 'step-line') return `stepped to a new line, at ${where}`;
  return `breakpoint at ${where}`;
}

/**
 * Breakpoints set from one code view (the disassembly, the source view) show in the other: a
 * view that changed them says so, and the views listening fetch them again.
 */
const breakpointListeners = new Set<() => void>();

export function onBreakpointsChanged(listener: () => void): () => void {
  breakpointListeners.add(listener);
  return () => breakpointListeners.delete(listener);
}

export function breakpointsChanged(): void {
  for (const listener of [...breakpointListeners]) listener();
}
