// Shared control words between the UI thread and the emulator worker.
//
// One Int32Array over a SharedArrayBuffer that the UI creates and hands to the worker once. Run,
// Pause and Reset never travel as messages into a busy worker: the UI writes a word, bumps the
// doorbell and notifies; the worker looks at the words between run slices (Atomics.load) and, when
// it has nothing to run, sleeps on the doorbell with Atomics.waitAsync. Stats flow the other way:
// the worker stores them, the UI reads them whenever it paints.
//
// Requests from the UI are level- or sequence-based, never a single "command" slot that a second
// click could overwrite before the worker saw the first:
//   DESIRED      what the user wants: RUN or PAUSE (a level; the last click wins)
//   RESET_SEQ    bumped once per Reset click; the worker resets when it differs from what it handled
//   DOORBELL     bumped on every request; the word the idle worker waits on
//
// Reports from the worker:
//   STATE        a WorkerRunState (below)
//   EXIT_CODE    the finisher's code once halted
//   INSN_LO/HI   instructions retired since build or reset (64-bit split; read with readInstructions)
//   IPS          instructions per second over the last measuring window
//   SESSION      bumped whenever the guest starts from the beginning (load or reset) …
//   SESSION_START … and the serial ring's write position at that moment, so the UI can drop what the
//                previous session printed and clear the terminal exactly at the boundary
//   RESET_DONE   the RESET_SEQ value the worker has handled
//
// Also from the UI:
//   STEP_SEQ     bumped once per Step click (the guest pauses, then runs one instruction per bump)
//   PACING       1: real-time pacing (virtual time may not run ahead of the wall clock), 0: as fast as possible
//
// Also from the worker:
//   BREAK_SEQ    bumped each time a hart reached a breakpoint and the worker paused the guest (it
//                writes DESIRED = PAUSE itself, so the Run/Pause button follows); the worker's
//                lastStop() says where
//   (a hart caught in a trap loop or fault spin pauses the guest the same way, with DESIRED =
//   PAUSE; STATE then says FAULTED and the machine info says which hart and why)

export const Word = {
  DESIRED: 0,
  RESET_SEQ: 1,
  DOORBELL: 2,
  STATE: 3,
  EXIT_CODE: 4,
  INSN_LO: 5,
  INSN_HI: 6,
  IPS: 7,
  SESSION: 8,
  SESSION_START: 9,
  RESET_DONE: 10,
  STEP_SEQ: 11,
  PACING: 12,
  BREAK_SEQ: 13,
} as const;

export const CONTROL_WORDS = 16;
export const CONTROL_BYTES = CONTROL_WORDS * Int32Array.BYTES_PER_ELEMENT;

export const Desired = { PAUSE: 0, RUN: 1 } as const;
export type Desired = (typeof Desired)[keyof typeof Desired];

/**
 * What the worker's run loop is doing, as the number in the STATE word the page reads. Not QEMU's
 * run state: QMP's names (prelaunch, paused, debug …) are QmpRunState in src/engine/run-control.ts.
 */
export const WorkerRunState = {
  /** No machine loaded yet. */
  EMPTY: 0,
  PAUSED: 1,
  RUNNING: 2,
  /** Every CPU waits for an interrupt that nothing will raise; the worker sleeps. */
  IDLE: 3,
  HALTED_PASS: 4,
  HALTED_FAIL: 5,
  /** The engine threw while running; the worker's lastError() says why. */
  CRASHED: 6,
  /** Every CPU stopped without writing the finisher. */
  STOPPED: 7,
  /** No CPU has firmware, so nothing runs (the machine info names them). */
  NO_FIRMWARE: 8,
  /** Paused because a hart is caught in a trap loop or spins on a fault (the machine info says which and why). */
  FAULTED: 9,
} as const;
export type WorkerRunState = (typeof WorkerRunState)[keyof typeof WorkerRunState];

export function runStateName(state: number, exitCode: number): string {
  switch (state) {
    case WorkerRunState.EMPTY:
      return 'no machine';
    case WorkerRunState.PAUSED:
      return 'paused';
    case WorkerRunState.RUNNING:
      return 'running';
    case WorkerRunState.IDLE:
      return 'running (idle)';
    case WorkerRunState.HALTED_PASS:
      return 'halted: pass';
    case WorkerRunState.HALTED_FAIL:
      return `halted: fail code ${exitCode}`;
    case WorkerRunState.CRASHED:
      return 'crashed';
    case WorkerRunState.STOPPED:
      return 'halted: stopped';
    case WorkerRunState.NO_FIRMWARE:
      return 'no firmware';
    case WorkerRunState.FAULTED:
      return 'paused: faulting';
    default:
      return `unknown state ${state}`;
  }
}

export function createControl(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(CONTROL_BYTES));
}

/** Wraps a control array passed from another thread, checking it is the right shape. */
export function adoptControl(words: Int32Array): Int32Array {
  if (!(words.buffer instanceof SharedArrayBuffer)) throw new Error('control words must live in a SharedArrayBuffer');
  if (words.length < CONTROL_WORDS) throw new Error(`control words: need ${CONTROL_WORDS}, got ${words.length}`);
  return words;
}

function ring(words: Int32Array): void {
  Atomics.add(words, Word.DOORBELL, 1);
  Atomics.notify(words, Word.DOORBELL);
}

// ---- UI side -------------------------------------------------------------------------------

export function requestRun(words: Int32Array): void {
  Atomics.store(words, Word.DESIRED, Desired.RUN);
  ring(words);
}

export function requestPause(words: Int32Array): void {
  Atomics.store(words, Word.DESIRED, Desired.PAUSE);
  ring(words);
}

export function requestReset(words: Int32Array): void {
  Atomics.add(words, Word.RESET_SEQ, 1);
  ring(words);
}

/** Pauses the guest and runs one instruction (the worker does one per bump of STEP_SEQ). */
export function requestStep(words: Int32Array): void {
  Atomics.store(words, Word.DESIRED, Desired.PAUSE);
  Atomics.add(words, Word.STEP_SEQ, 1);
  ring(words);
}

/** Turns real-time pacing on or off. */
export function requestPacing(words: Int32Array, realTime: boolean): void {
  Atomics.store(words, Word.PACING, realTime ? 1 : 0);
  ring(words);
}

/** Wakes the worker without asking for anything (e.g. after a load it made itself). */
export function wake(words: Int32Array): void {
  ring(words);
}

export interface ControlSnapshot {
  state: WorkerRunState;
  exitCode: number;
  instructions: number;
  ips: number;
  session: number;
  sessionStart: number;
  desired: Desired;
  /** Bumped each time the guest paused at a breakpoint. */
  breakSeq: number;
}

/** Reads the 64-bit instruction count without tearing: retries if the high word moved meanwhile. */
export function readInstructions(words: Int32Array): number {
  for (;;) {
    const hi = Atomics.load(words, Word.INSN_HI);
    const lo = Atomics.load(words, Word.INSN_LO);
    if (Atomics.load(words, Word.INSN_HI) === hi) return (hi >>> 0) * 0x1_0000_0000 + (lo >>> 0);
  }
}

export function readControl(words: Int32Array): ControlSnapshot {
  return {
    state: Atomics.load(words, Word.STATE) as WorkerRunState,
    exitCode: Atomics.load(words, Word.EXIT_CODE),
    instructions: readInstructions(words),
    ips: Atomics.load(words, Word.IPS) >>> 0,
    session: Atomics.load(words, Word.SESSION),
    sessionStart: Atomics.load(words, Word.SESSION_START),
    desired: Atomics.load(words, Word.DESIRED) as Desired,
    breakSeq: Atomics.load(words, Word.BREAK_SEQ),
  };
}

// ---- worker side ---------------------------------------------------------------------------

/** Stores the instruction count; the high word goes last so a reader that saw it unchanged twice has a matching low word. */
export function writeInstructions(words: Int32Array, count: number): void {
  const hi = Math.floor(count / 0x1_0000_0000);
  Atomics.store(words, Word.INSN_HI, hi | 0);
  Atomics.store(words, Word.INSN_LO, count >>> 0 | 0);
  Atomics.store(words, Word.INSN_HI, hi | 0);
}

export function writeState(words: Int32Array, state: WorkerRunState, exitCode = 0): void {
  Atomics.store(words, Word.EXIT_CODE, exitCode | 0);
  Atomics.store(words, Word.STATE, state);
}

export function writeIps(words: Int32Array, ips: number): void {
  Atomics.store(words, Word.IPS, Math.min(0xffff_ffff, Math.max(0, Math.round(ips))) | 0);
}

/** Marks the start of a new guest session (load or reset) at serial ring position `ringHead`. */
export function beginSession(words: Int32Array, ringHead: number): number {
  Atomics.store(words, Word.SESSION_START, ringHead | 0);
  return Atomics.add(words, Word.SESSION, 1) + 1;
}

/** A hart reached a breakpoint: pause the guest (as the Pause button would) and bump BREAK_SEQ. Returns its new value. */
export function reportBreakpointStop(words: Int32Array): number {
  Atomics.store(words, Word.DESIRED, Desired.PAUSE);
  const seq = Atomics.add(words, Word.BREAK_SEQ, 1) + 1;
  ring(words);
  return seq;
}

/** A hart is caught in a fault loop: pause the guest, as a breakpoint stop does (the Run/Pause button follows). */
export function reportFaultStop(words: Int32Array): void {
  Atomics.store(words, Word.DESIRED, Desired.PAUSE);
  ring(words);
}

/** The worker's view of pending requests. It keeps `handledReset` and `seenDoorbell` between calls. */
export class ControlReader {
  handledReset: number;
  handledStep: number;
  seenDoorbell: number;
  constructor(readonly words: Int32Array) {
    this.handledReset = Atomics.load(words, Word.RESET_SEQ);
    this.handledStep = Atomics.load(words, Word.STEP_SEQ);
    this.seenDoorbell = Atomics.load(words, Word.DOORBELL);
  }
  /** True if anything was requested since the last call to `takeRequests`. Cheap: one load. */
  changed(): boolean {
    return Atomics.load(this.words, Word.DOORBELL) !== this.seenDoorbell;
  }
  /** Consumes pending requests: whether a reset is due, and the desired run level. */
  takeRequests(): { reset: boolean; desired: Desired; steps: number; pacing: boolean } {
    this.seenDoorbell = Atomics.load(this.words, Word.DOORBELL);
    const resetSeq = Atomics.load(this.words, Word.RESET_SEQ);
    const reset = resetSeq !== this.handledReset;
    this.handledReset = resetSeq;
    const stepSeq = Atomics.load(this.words, Word.STEP_SEQ);
    const steps = (stepSeq - this.handledStep) | 0;
    this.handledStep = stepSeq;
    return { reset, desired: Atomics.load(this.words, Word.DESIRED) as Desired, steps: Math.max(0, steps), pacing: Atomics.load(this.words, Word.PACING) === 1 };
  }
  /** Records that resets up to the current RESET_SEQ were done, for the UI. */
  acknowledgeReset(): void {
    Atomics.store(this.words, Word.RESET_DONE, this.handledReset);
  }
  /**
   * Resolves when the doorbell rings (or after `timeoutMs`). Uses Atomics.waitAsync: no CPU while
   * waiting, and the worker's event loop keeps serving messages (comlink calls) meanwhile.
   */
  async waitForRequest(timeoutMs = Infinity): Promise<void> {
    const result = Atomics.waitAsync(this.words, Word.DOORBELL, this.seenDoorbell, timeoutMs);
    if (result.async) await result.value;
  }
}
