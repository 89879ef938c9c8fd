// What the page says about the running guest, from the worker's run state and machine info: the
// run-state badge's text ("cpu0 has no firmware", "paused: cpu0 is faulting"), the badge each
// object shows on the graph and in the life-cycle panel (so they agree with the machine: halted,
// paused, waiting for an interrupt, faulting), and the guest's entries in the Problems list.
// Pure functions; the components and the run session call them.
import { relativePath } from '../graph/index.ts';
import { WorkerRunState, runStateName } from '../workers/control.ts';
import type { GuestFaultKind, HartReport, MachineInfo } from '../workers/emulator.worker.ts';

/** One entry of the Problems list's guest section. */
export interface GuestProblem {
  /** The CPU's path. */
  cpu: string;
  kind: 'no-firmware' | GuestFaultKind;
  message: string;
  hint: string;
}

/** Tones the state pills have (styles.css: .state-pill--<tone>). */
export type BadgeTone = 'live' | 'reset' | 'early' | 'gone' | 'none' | 'paused' | 'halted' | 'waiting' | 'fault';

export interface ObjectBadge {
  label: string;
  tone: BadgeTone;
  title: string;
}

/** "cpu0", "cpu0 and cpu1", "cpu0, cpu1 and cpu2". */
function names(paths: readonly string[]): string {
  const list = paths.map(relativePath);
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
}

/** The run-state badge's text: the worker's state, with the CPUs it is about. */
export function runStateText(state: WorkerRunState, exitCode: number, harts: readonly HartReport[]): string {
  if (state === WorkerRunState.NO_FIRMWARE) {
    const held = harts.filter((h) => h.status === 'held').map((h) => h.path);
    if (held.length > 0) return `${names(held)} ${held.length === 1 ? 'has' : 'have'} no firmware`;
  }
  if (state === WorkerRunState.FAULTED) {
    const faulting = harts.filter((h) => h.status === 'faulting').map((h) => h.path);
    if (faulting.length > 0) return `paused: ${names(faulting)} ${faulting.length === 1 ? 'is' : 'are'} faulting`;
  }
  // A locked-up core stays stopped whatever the run state (a paused or running board): only a reset recovers it.
  const locked = harts.filter((h) => h.status === 'locked-up');
  if (locked.length > 0) return `locked up: ${locked.map((h) => `${relativePath(h.path)} at pc ${hex(h.pc)}`).join(', ')}`;
  // One CPU of several faults while the others run on (a fault loop pauses a board only when no other CPU runs).
  const faulting = harts.filter((h) => h.status === 'faulting').map((h) => h.path);
  if (faulting.length > 0 && (state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE)) return `${runStateName(state, exitCode)}: ${names(faulting)} ${faulting.length === 1 ? 'is' : 'are'} faulting`;
  // A board without a CPU (a new, empty one) has nothing to run: "running (idle)" would mislead.
  if ((state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE) && harts.length === 0) return 'no CPU';
  return runStateName(state, exitCode);
}

/** The details behind the run-state badge (its tooltip): what the faulting harts do, what the held ones lack. */
export function runStateDetails(state: WorkerRunState, harts: readonly HartReport[]): string | undefined {
  if (state === WorkerRunState.FAULTED) {
    const faults = harts.flatMap((h) => (h.fault ? [h.fault.message] : []));
    return faults.length > 0 ? `${faults.join('\n')}\nRun lets the guest go on; the Problems list says more.` : undefined;
  }
  if (state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE) {
    const faults = harts.flatMap((h) => (h.status === 'faulting' && h.fault ? [h.fault.message] : []));
    if (faults.length > 0) return `${faults.join('\n')}\nThe other CPUs run on; the Problems list says more.`;
  }
  const locked = harts.filter((h) => h.status === 'locked-up');
  if (locked.length > 0) return `${locked.map((h) => h.fault?.message ?? `${relativePath(h.path)} locked up at ${hex(h.pc)}`).join('\n')}\n${LOCKUP_HINT}`;
  if (state === WorkerRunState.NO_FIRMWARE) return NO_FIRMWARE_HINT;
  if ((state === WorkerRunState.RUNNING || state === WorkerRunState.IDLE) && harts.length === 0) return 'The board has no CPU: drag one (rv32) from the palette onto a view.';
  return undefined;
}

/**
 * The message shown over the canvas when the worker paused the guest at a fault (as a debugger
 * stops on one): what the faulting harts do; undefined when the guest is not paused at a fault.
 */
export function faultStopNotice(state: WorkerRunState, harts: readonly HartReport[]): string | undefined {
  if (state !== WorkerRunState.FAULTED) return undefined;
  const faults = harts.flatMap((h) => (h.status === 'faulting' && h.fault ? [h.fault.message] : []));
  return faults.length === 0 ? undefined : `Paused: ${faults.join('; ')}. Run lets it go on; the Problems list says more.`;
}

const LOCKUP_HINT = 'A locked-up core met a fault it could not take (in its HardFault or NMI handler): Reset recovers it.';

/** An address as the views show it: 0x and 8 hex digits. */
function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

const NO_FIRMWARE_HINT = 'Pick a firmware in the CPU inspector’s image field, or open one with “Open firmware…”. A CPU without firmware is held: it does not run.';

const HALTED: ReadonlySet<number> = new Set([WorkerRunState.HALTED_PASS, WorkerRunState.HALTED_FAIL, WorkerRunState.STOPPED]);

/**
 * The badge of one object: its life-cycle state, except while the machine runs (life cycle
 * "running"), where it says what the object is doing now — running, paused, halted, idle — and a
 * CPU says its own status: waiting for an interrupt, faulting, no firmware.
 */
export function objectBadge(lifecycle: string | undefined, state: WorkerRunState, hart: HartReport | undefined): ObjectBadge {
  if (lifecycle === undefined) return { label: '—', tone: 'none', title: 'Life-cycle state' };
  const lifeTitle = `Life cycle: ${lifecycle}`;
  if (hart?.status === 'held') return { label: 'no firmware', tone: 'fault', title: `${relativePath(hart.path)} has no firmware, so it does not run. ${NO_FIRMWARE_HINT}` };
  if (lifecycle !== 'running') return { label: lifecycle, tone: lifecycleTone(lifecycle), title: lifeTitle };
  const now = (label: string, tone: BadgeTone, what: string): ObjectBadge => ({ label, tone, title: `${lifeTitle}; ${what}` });
  if (HALTED.has(state) || hart?.status === 'halted') return now('halted', 'halted', 'the guest stopped the board');
  if (state === WorkerRunState.CRASHED) return now('crashed', 'gone', 'the emulator stopped with an error');
  if (hart?.status === 'faulting') return now('faulting', 'fault', hart.fault?.message ?? 'caught in a trap loop');
  if (hart?.status === 'locked-up') return now('locked up', 'fault', hart.fault?.message ?? 'locked up: only a reset recovers it');
  if (state === WorkerRunState.PAUSED || state === WorkerRunState.FAULTED) return now('paused', 'paused', 'the guest is paused');
  if (hart !== undefined) {
    if (hart.status === 'waiting-for-interrupt') return now('waiting for interrupt', 'waiting', 'asleep in WFI until an interrupt arrives');
    if (hart.status === 'in-reset') return now('in reset', 'waiting', 'held in reset by a reset line until the guest releases it (a reset controller)');
    return now('running', 'live', 'executing instructions');
  }
  if (state === WorkerRunState.IDLE || state === WorkerRunState.NO_FIRMWARE) return now('idle', 'waiting', 'no CPU is executing: they wait for an interrupt or have no firmware');
  return now('running', 'live', 'the guest is running');
}

/** Colour family of a life-cycle state. */
export function lifecycleTone(state: string | undefined): BadgeTone {
  switch (state) {
    case 'realized':
    case 'running':
      return 'live';
    case 'reset':
      return 'reset';
    case 'created':
    case 'parented':
    case 'configured':
      return 'early';
    case 'unrealized':
    case 'unparented':
    case 'destroyed':
      return 'gone';
    default:
      return 'none';
  }
}

/** "nothing is mapped …; point mtvec …" → "Nothing is mapped …; point mtvec ….", as the Problems list's hints read. */
function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed[0].toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The guest's entries in the Problems list: CPUs without firmware, then what the guest did wrong, as the engine reported it. */
export function guestProblemsOf(info: MachineInfo | null): GuestProblem[] {
  if (info === null) return [];
  const problems: GuestProblem[] = info.harts
    .filter((h) => h.firmware === null)
    .map((h) => ({
      cpu: h.path,
      kind: 'no-firmware',
      message: `${relativePath(h.path)} has no firmware`,
      hint: h.status === 'held' ? NO_FIRMWARE_HINT : 'Pick a firmware in the CPU inspector’s image field, or open one with “Open firmware…”.',
    }));
  for (const fault of info.faults) problems.push({ cpu: fault.cpu, kind: fault.kind, message: fault.message, hint: sentence(fault.hint) });
  return problems;
}

export function sameGuestProblems(a: readonly GuestProblem[], b: readonly GuestProblem[]): boolean {
  return a.length === b.length && a.every((p, i) => p.cpu === b[i].cpu && p.kind === b[i].kind && p.message === b[i].message && p.hint === b[i].hint);
}
