// Run control: what a monitor (QMP over a socket, the designer's console through the worker)
// drives. It owns a built Machine — or, in the preconfig phase, the board document being built
// (./preconfig.ts edits it; this module hands it out only in that phase and builds it) — and keeps the run state as QEMU reports it (prelaunch, running, paused, debug, shutdown …),
// with QEMU's transitions: stop pauses a running machine and nothing else, cont needs a reset after
// a shutdown, a reset of a machine that is not running leaves it in prelaunch. Every transition
// is an event (STOP, RESUME, RESET, SHUTDOWN, DEVICE_DELETED) stamped the way QMP stamps events.
import { findMachineType, unavailableTypeProblems, type BoardDocument, type ObjectTree, type ResolveOptions, type ResolvedBoard, type TreeObject } from '../graph/index.ts';
import { ControllerError } from './controller-error.ts';
import { Machine, MachineError, imageFiles, type MachineOptions } from './machine.ts';
import { PreconfigBoard } from './preconfig.ts';
import { engineModules } from './registry.ts';

/**
 * Run states, named as QEMU's query-status names them. Not the worker's numeric run codes the page
 * reads from the control words (WorkerRunState in src/workers/control.ts).
 */
export type QmpRunState = 'preconfig' | 'prelaunch' | 'running' | 'paused' | 'debug' | 'shutdown' | 'internal-error';

/** Why a machine shut down or reset (QEMU's ShutdownCause). */
export type ShutdownCause = 'host-error' | 'host-qmp-quit' | 'host-qmp-system-reset' | 'host-signal' | 'host-ui' | 'guest-shutdown' | 'guest-reset' | 'guest-panic';

/** QMP's event timestamp: wall-clock time in seconds and microseconds. */
export interface Timestamp {
  seconds: number;
  microseconds: number;
}

export type ControllerEvent =
  | { event: 'STOP'; timestamp: Timestamp }
  | { event: 'RESUME'; timestamp: Timestamp }
  | { event: 'RESET'; timestamp: Timestamp; data: { guest: boolean; reason: ShutdownCause } }
  | { event: 'SHUTDOWN'; timestamp: Timestamp; data: { guest: boolean; reason: ShutdownCause } }
  | { event: 'DEVICE_DELETED'; timestamp: Timestamp; data: { device?: string; path: string } };

export interface ControllerOptions {
  /** -S: after the machine is built it waits in prelaunch for cont. */
  startPaused?: boolean;
  /** Platform and libraries for resolving the document. */
  resolve?: ResolveOptions;
  /** Reads the image files a board names (the CLI reads them from disk; default: none available). */
  loadImages?: (files: readonly string[], board: ResolvedBoard) => Promise<ReadonlyMap<string, Uint8Array>>;
  /** Options for the Machine built on x-exit-preconfig. */
  machine?: MachineOptions;
  /** Wall-clock time in microseconds since the epoch, for event timestamps. */
  clock?: () => number;
  /**
   * Carries out a system reset (default: machine.reset() at once). A host whose own run loop owns
   * the machine (the browser's emulator worker) hands the reset to that loop instead; `cause` tells
   * it whether the reset is a monitor's request or one the host already made (host-ui).
   */
  resetMachine?: (machine: Machine, cause: ShutdownCause) => void;
}

/** An object as the object tree shows it, before or after the machine is built. */
export type ViewObject = TreeObject;

/** The composition tree: objects, board parameters, composite types. */
export type BoardView = ObjectTree;

function wallClockMicros(): number {
  return Math.round((performance.timeOrigin + performance.now()) * 1000);
}

export class RunController {
  private runState: QmpRunState;
  private machineInstance: Machine | undefined;
  private resolved: ResolvedBoard | undefined;
  /** The board document: edited in the preconfig phase, the one the machine was built from after it. */
  private readonly draft: PreconfigBoard;
  private readonly listeners = new Set<(event: ControllerEvent) => void>();
  private waiters: Array<() => void> = [];
  private quitting = false;
  private readonly clock: () => number;

  private constructor(
    document: BoardDocument,
    private readonly options: ControllerOptions,
    state: QmpRunState,
  ) {
    this.draft = new PreconfigBoard(document, options.resolve, (deleted) => this.devicesDeleted(deleted));
    this.runState = state;
    this.clock = options.clock ?? wallClockMicros;
  }

  /** A controller for a machine already built from `board` (resolved from `document`). */
  static forMachine(machine: Machine, board: ResolvedBoard, document: BoardDocument, options: ControllerOptions = {}): RunController {
    const controller = new RunController(document, options, options.startPaused ? 'prelaunch' : 'running');
    controller.machineInstance = machine;
    controller.resolved = board;
    return controller;
  }

  /** A controller in the preconfig phase: the document is built into a machine on exitPreconfig(). */
  static preconfig(document: BoardDocument, options: ControllerOptions = {}): RunController {
    return new RunController(document, options, 'preconfig');
  }

  // ------------------------------------------------------------------------------------------
  // State and events

  get status(): QmpRunState {
    return this.runState;
  }

  get isRunning(): boolean {
    return this.runState === 'running';
  }

  /** The machine, once built. */
  get machine(): Machine | undefined {
    return this.machineInstance;
  }

  /** The resolved board the machine was built from. */
  get board(): ResolvedBoard | undefined {
    return this.resolved;
  }

  /** A copy of the board document (in the preconfig phase: as edited so far). */
  get document(): BoardDocument {
    return this.draft.document;
  }

  /** The board document to edit: only in the preconfig phase (QEMU's message otherwise). */
  get preconfigBoard(): PreconfigBoard {
    this.requirePreconfig();
    return this.draft;
  }

  /** A monitor asked the program to quit. */
  get quitRequested(): boolean {
    return this.quitting;
  }

  /** Listen to events; returns a function that stops listening. */
  onEvent(listener: (event: ControllerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves at the next state change, event or wake() — for a run loop waiting while paused. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Wake whoever waits in changed() (new input arrived, a limit should be checked …). */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  timestamp(): Timestamp {
    const micros = this.clock();
    return { seconds: Math.floor(micros / 1e6), microseconds: micros % 1e6 };
  }

  private emit(event: ControllerEvent): void {
    for (const listener of [...this.listeners]) listener(event);
    this.wake();
  }

  private setState(state: QmpRunState): void {
    this.runState = state;
    this.wake();
  }

  private requireMachine(what: string): Machine {
    if (this.machineInstance === undefined) throw new ControllerError(`The command '${what}' is permitted only after machine initialization has completed`);
    return this.machineInstance;
  }

  // ------------------------------------------------------------------------------------------
  // Run control (QEMU's semantics)

  /** Pause a running machine (STOP). In any other state nothing happens, as in QEMU. */
  stop(): void {
    this.requireMachine('stop');
    if (this.runState !== 'running') return;
    this.setState('paused');
    this.emit({ event: 'STOP', timestamp: this.timestamp() });
  }

  /** Stop for a debugger (state debug, STOP). */
  debugStop(): void {
    this.requireMachine('stop');
    if (this.runState !== 'running') return;
    this.setState('debug');
    this.emit({ event: 'STOP', timestamp: this.timestamp() });
  }

  /** The engine failed while the machine ran (STOP, state internal-error); only a reset revives it. */
  internalError(): void {
    this.requireMachine('stop');
    if (this.runState === 'internal-error' || this.runState === 'shutdown') return;
    const wasRunning = this.runState === 'running';
    this.setState('internal-error');
    if (wasRunning) this.emit({ event: 'STOP', timestamp: this.timestamp() });
  }

  /** Start or resume (RESUME). A machine that shut down must be reset first. */
  cont(): void {
    this.requireMachine('cont');
    if (this.runState === 'shutdown' || this.runState === 'internal-error') throw new ControllerError('Resetting the Virtual Machine is required');
    if (this.runState === 'running') return;
    this.setState('running');
    this.emit({ event: 'RESUME', timestamp: this.timestamp() });
  }

  /** System reset (RESET). A machine that is not running is left in prelaunch, as QEMU does. */
  systemReset(cause: ShutdownCause = 'host-qmp-system-reset'): void {
    const machine = this.requireMachine('system_reset');
    this.emit({ event: 'RESET', timestamp: this.timestamp(), data: { guest: false, reason: cause } });
    if (this.options.resetMachine !== undefined) this.options.resetMachine(machine, cause);
    else machine.reset();
    if (this.runState !== 'running') this.setState('prelaunch');
  }

  /** Shut down at a monitor's request (SHUTDOWN); the program using the controller then exits. */
  quit(): void {
    this.quitting = true;
    this.emit({ event: 'SHUTDOWN', timestamp: this.timestamp(), data: { guest: false, reason: 'host-qmp-quit' } });
    if (this.runState !== 'preconfig') this.setState('shutdown');
    else this.wake();
  }

  /**
   * Run up to `budget` instructions if the machine is running; returns how many ran. A guest that
   * stops the board through its finisher shuts the machine down (SHUTDOWN); a guest reset is a
   * RESET event. `run` runs the machine (a tracer can step it instead).
   */
  runSlice(budget: number, run: (machine: Machine, budget: number) => number = (machine, n) => machine.run(n)): number {
    const machine = this.machineInstance;
    if (machine === undefined || this.runState !== 'running' || budget <= 0) return 0;
    const ran = run(machine, budget);
    this.noteGuestRun();
    return ran;
  }

  /**
   * What the guest did in the machine's last run(): RESET if it reset the board, SHUTDOWN if it
   * halted it. runSlice calls it; a host whose own loop runs the machine (the browser's emulator
   * worker, which also single-steps a paused guest) calls it after each run.
   */
  noteGuestRun(): void {
    const machine = this.machineInstance;
    if (machine === undefined || this.runState === 'preconfig' || this.runState === 'shutdown') return;
    // Machine.run resets the board itself when the guest asks. A run puts every realized object in
    // "running"; a reset during it leaves them in "reset" (the life cycle's reset ⇄ running).
    if (guestReset(machine)) this.emit({ event: 'RESET', timestamp: this.timestamp(), data: { guest: true, reason: 'guest-reset' } });
    if (machine.halted) {
      this.setState('shutdown');
      this.emit({ event: 'SHUTDOWN', timestamp: this.timestamp(), data: { guest: true, reason: 'guest-shutdown' } });
    }
  }

  // ------------------------------------------------------------------------------------------
  // The object tree

  /** Objects, parameters and composite types: the built machine's, or the document's as edited so far. */
  view(): BoardView {
    if (this.resolved !== undefined) {
      const board = this.resolved;
      const machineType = board.machineType === undefined ? undefined : findMachineType(board.machineType);
      return {
        machineType,
        params: Object.entries(board.params).map(([name, value]) => ({ name, value, spec: machineType?.params[name] })),
        objects: board.objects.map((o) => ({ path: o.path, name: o.name, type: o.type, parent: o.parent ?? '/machine', props: o.props, composite: o.composite === true })),
        compositeTypes: this.draft.compositeTypes(),
      };
    }
    return this.draft.view();
  }

  // ------------------------------------------------------------------------------------------
  // Preconfig: the phase before the machine is built

  private requirePreconfig(): void {
    if (this.runState !== 'preconfig') throw new ControllerError('The command is permitted only before machine initialization');
  }

  /** Objects the preconfig board removed: DEVICE_DELETED for each, after the caller has had its answer. */
  private devicesDeleted(deleted: Array<{ device?: string; path: string }>): void {
    const timestamp = this.timestamp();
    queueMicrotask(() => {
      for (const data of deleted) this.emit({ event: 'DEVICE_DELETED', timestamp, data });
    });
  }

  /**
   * Leave the preconfig phase: resolve the document, load its images and build the machine, which
   * then waits in prelaunch (-S) or runs (RESUME). A document with problems stays in preconfig.
   */
  async exitPreconfig(): Promise<void> {
    this.requirePreconfig();
    const board = this.draft.launchBoard();
    const files = imageFiles(board);
    let images: ReadonlyMap<string, Uint8Array> = new Map();
    if (files.length > 0) {
      if (this.options.loadImages === undefined) throw new ControllerError(`image ${files[0]}: this monitor cannot read image files`);
      try {
        images = await this.options.loadImages(files, board);
      } catch (error) {
        throw new ControllerError(error instanceof Error ? error.message : String(error));
      }
    }
    const unavailable = unavailableTypeProblems(board.objects, await (this.options.machine?.modules ?? engineModules).loadBoardModules(board));
    if (unavailable.length > 0) throw new ControllerError(unavailable.map((problem) => `${problem.message} (at ${problem.pointer}). ${problem.hint}`).join('; '));
    if (this.runState !== 'preconfig') return; // quit while the images or modules were loaded
    let machine: Machine;
    try {
      machine = Machine.build(board, images, this.options.machine);
    } catch (error) {
      if (error instanceof MachineError) throw new ControllerError(error.message);
      throw error;
    }
    this.machineInstance = machine;
    this.resolved = board;
    if (this.options.startPaused) this.setState('prelaunch');
    else {
      this.setState('running');
      this.emit({ event: 'RESUME', timestamp: this.timestamp() });
    }
  }
}

/** Did the machine reset itself in its last run()? (Its objects are in "reset", not "running".) */
function guestReset(machine: Machine): boolean {
  for (const state of machine.states.values()) return state === 'reset';
  return false;
}
