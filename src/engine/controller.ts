// A run controller: what a monitor (QMP over a socket, the designer's console through the worker)
// drives. It owns a built Machine — or, in the preconfig phase, the board document being built —
// and keeps the run state as QEMU reports it (prelaunch, running, paused, debug, shutdown …),
// with QEMU's transitions: stop pauses a running machine and nothing else, cont needs a reset after
// a shutdown, a reset of a machine that is not running leaves it in prelaunch. Every transition
// is an event (STOP, RESUME, RESET, SHUTDOWN, DEVICE_DELETED) stamped the way QMP stamps events.
//
// In the preconfig phase the machine is data: objects are added, removed and configured, regions
// mapped and lines wired by editing the document. Each edit is checked by resolving the document;
// an edit that introduces a problem is refused with that problem and the document is left as it
// was. Problems that only say the board is not finished yet (a CPU whose reset vector has no memory
// mapped yet) do not block an edit; x-exit-preconfig reports everything still wrong.
import {
  findMachineType,
  libraryTypes,
  objectTree,
  resolveBoard,
  unavailableTypeProblems,
  type BoardDocument,
  type BoardProblem,
  type CompositeTypeDocument,
  type ImageDocument,
  type IrqWireDocument,
  type MemoryEntryDocument,
  type ObjectTree,
  type ObjectDocument,
  type PropertyValueDocument,
  type ResetWireDocument,
  type ResolveOptions,
  type ResolvedBoard,
  type TreeObject,
} from '../graph/index.ts';
import { Machine, MachineError, imageFiles, type MachineOptions } from './machine.ts';
import { engineModules } from './registry.ts';

/** Run states, named as QEMU's query-status names them. */
export type RunState = 'preconfig' | 'prelaunch' | 'running' | 'paused' | 'debug' | 'shutdown' | 'internal-error';

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

/** A refused request. `kind` says which QMP error class it maps to. */
export class ControllerError extends Error {
  constructor(
    message: string,
    readonly kind: 'GenericError' | 'DeviceNotFound' = 'GenericError',
  ) {
    super(message);
    this.name = 'ControllerError';
  }
}

export interface ControllerOptions {
  /** -S: after the machine is built it waits in prelaunch for cont. */
  startPaused?: boolean;
  /** Platform and libraries for resolving the document. */
  resolve?: ResolveOptions;
  /** Reads the image files a board names (the CLI reads them from disk; default: none available). */
  loadImages?: (files: readonly string[]) => Promise<ReadonlyMap<string, Uint8Array>>;
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

/** Problems that only say the board is unfinished: they never block an edit in the preconfig phase. */
function isIncompleteness(problem: BoardProblem): boolean {
  return /^CPU \S+ (starts at 0x[0-9a-f]+, where no memory is mapped|uses address space "[^"]*", where nothing is mapped)/.test(problem.message);
}

const problemKey = (p: BoardProblem) => `${p.pointer}\u0000${p.message}`;

/** "message. hint" — how a refused edit explains itself. */
function describeProblem(problem: BoardProblem): string {
  return `${problem.message}${problem.pointer ? ` (at ${problem.pointer})` : ''}. ${problem.hint}`;
}

/** Does a reference in a document ("uart0.regs", "soc/uart0", "/machine/uart0.irq") name object `name` or something inside it? */
function refersTo(reference: string | undefined, name: string): boolean {
  if (reference === undefined) return false;
  const relative = reference.replace(/^\/machine\//, '');
  return relative === name || relative.startsWith(`${name}.`) || relative.startsWith(`${name}/`);
}

export class RunController {
  private runState: RunState;
  private machineInstance: Machine | undefined;
  private resolved: ResolvedBoard | undefined;
  private doc: BoardDocument;
  private problemsBefore: BoardProblem[] | undefined;
  private readonly listeners = new Set<(event: ControllerEvent) => void>();
  private waiters: Array<() => void> = [];
  private quitting = false;
  private readonly clock: () => number;

  private constructor(
    document: BoardDocument,
    private readonly options: ControllerOptions,
    state: RunState,
  ) {
    this.doc = structuredClone(document);
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

  get status(): RunState {
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
    return structuredClone(this.doc);
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

  private setState(state: RunState): void {
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
        compositeTypes: this.compositeTypes(),
      };
    }
    return objectTree(this.doc, this.options.resolve ?? {});
  }

  private compositeTypes(): Record<string, CompositeTypeDocument> {
    return { ...libraryTypes(this.doc, this.options.resolve ?? {}), ...(this.doc.types ?? {}) };
  }

  /** Problems the document has now (none once it resolves). */
  problems(): BoardProblem[] {
    const result = resolveBoard(this.doc, this.options.resolve);
    return result.ok ? [] : result.problems;
  }

  // ------------------------------------------------------------------------------------------
  // Preconfig: editing the document

  private requirePreconfig(): void {
    if (this.runState !== 'preconfig') throw new ControllerError('The command is permitted only before machine initialization');
  }

  /** Apply an edit to a copy of the document; keep it unless it introduces a problem. */
  private edit(change: (document: BoardDocument) => void, check = true): void {
    this.requirePreconfig();
    const next = structuredClone(this.doc);
    change(next);
    if (check) {
      this.problemsBefore ??= this.problems();
      const before = new Set(this.problemsBefore.map(problemKey));
      const result = resolveBoard(next, this.options.resolve);
      const after = result.ok ? [] : result.problems;
      const introduced = after.filter((p) => !before.has(problemKey(p)) && !isIncompleteness(p));
      if (introduced.length > 0) throw new ControllerError(describeProblem(introduced[0]));
      this.problemsBefore = after;
    } else {
      this.problemsBefore = undefined;
    }
    this.doc = next;
  }

  /** Add an object at /machine/<name> (cold plug). Returns its path. */
  addObject(type: string, name: string, props: Record<string, PropertyValueDocument> = {}): string {
    this.requirePreconfig();
    if (this.view().objects.some((o) => o.path === `/machine/${name}`)) throw new ControllerError(`Duplicate device ID '${name}'`);
    this.edit((document) => {
      const object: ObjectDocument = { type };
      if (Object.keys(props).length > 0) object.props = { ...props };
      document.objects[name] = object;
    });
    return `/machine/${name}`;
  }

  /**
   * Remove a top-level object, with everything inside it and every mapping, wire and image of the
   * document that names it. DEVICE_DELETED follows for each object removed (components first),
   * after the caller has had its answer.
   */
  removeObject(id: string): string[] {
    this.requirePreconfig();
    const path = id.startsWith('/') ? id : `/machine/${id}`;
    const objects = this.view().objects;
    const object = objects.find((o) => o.path === path);
    if (object === undefined) throw new ControllerError(`Device '${id}' not found`, 'DeviceNotFound');
    if (object.parent !== '/machine') throw new ControllerError(`Device '${id}' is a part of ${object.parent} and cannot be removed on its own`);
    const name = object.name;
    this.edit((document) => {
      delete document.objects[name];
      const keep = <T>(list: T[] | undefined, refs: (entry: T) => Array<string | undefined>) => list?.filter((entry) => !refs(entry).some((r) => refersTo(r, name)));
      document.memory = keep(document.memory, (m) => [m.map, m.alias, m.into]);
      document.irqs = keep(document.irqs, (w) => [w.from, w.to]);
      document.resets = keep(document.resets, (w) => [w.from, w.to]);
      document.images = keep(document.images, (i) => [i.cpu]);
      for (const [domain, members] of Object.entries(document.resetDomains ?? {})) document.resetDomains![domain] = members.filter((m) => !refersTo(m, name));
      for (const key of ['memory', 'irqs', 'resets', 'images'] as const) if (document[key]?.length === 0) delete document[key];
      // An object the document inherits (through "extends") is removed with null.
      if (objectTree(document, this.options.resolve ?? {}).objects.some((o) => o.path === path)) document.objects[name] = null;
    }, false);
    const removed = objects.filter((o) => o.path === path || o.path.startsWith(`${path}/`)).map((o) => o.path);
    removed.sort((a, b) => b.split('/').length - a.split('/').length);
    const timestamp = this.timestamp();
    queueMicrotask(() => {
      for (const removedPath of removed) {
        this.emit({ event: 'DEVICE_DELETED', timestamp, data: removedPath === path ? { device: id, path: removedPath } : { path: removedPath } });
      }
    });
    return removed;
  }

  /** Set a property of an object in the document (its explicit value). */
  setProperty(path: string, prop: string, value: PropertyValueDocument): void {
    this.requirePreconfig();
    const view = this.view();
    const object = view.objects.find((o) => o.path === path);
    if (object === undefined) throw new ControllerError(`Device '${path}' not found`, 'DeviceNotFound');
    const names = path.replace(/^\/machine\//, '').split('/');
    this.edit((document) => {
      let entry: ObjectDocument | null | undefined = document.objects[names[0]];
      if (entry === null) throw new ControllerError(`${names[0]} has been removed`);
      if (entry === undefined) {
        if (names.length > 1) throw new ControllerError(`${path} is a part of composite ${view.objects.find((o) => o.path === `/machine/${names[0]}`)?.type ?? names[0]}; set its properties through the composite`);
        entry = document.objects[names[0]] = {};
      }
      for (const name of names.slice(1)) {
        const child: ObjectDocument | null | undefined = entry.children?.[name];
        if (child === undefined || child === null) throw new ControllerError(`${path} is a part of composite ${entry.type ?? names[0]}; set its properties through the composite`);
        entry = child;
      }
      entry.props = { ...(entry.props ?? {}), [prop]: value };
    });
  }

  /** Set a board parameter (e.g. harts). */
  setParam(name: string, value: number): void {
    this.edit((document) => {
      document.params = { ...(document.params ?? {}), [name]: value };
    });
  }

  /** Map a region (a memory entry of the document: map or alias, at, into, space, priority). */
  addMapping(entry: MemoryEntryDocument): void {
    this.edit((document) => void (document.memory ??= []).push({ ...entry }));
  }

  /** Wire IRQ output(s) to input(s). */
  addIrqWire(entry: IrqWireDocument): void {
    this.edit((document) => void (document.irqs ??= []).push({ ...entry }));
  }

  /** Wire a reset source to objects, a domain or the board. */
  addResetWire(entry: ResetWireDocument): void {
    this.edit((document) => void (document.resets ??= []).push({ ...entry }));
  }

  /** Add an image loaded at build and at every reset. */
  addImage(entry: ImageDocument): void {
    this.edit((document) => void (document.images ??= []).push({ ...entry }));
  }

  /**
   * Leave the preconfig phase: resolve the document, load its images and build the machine, which
   * then waits in prelaunch (-S) or runs (RESUME). A document with problems stays in preconfig.
   */
  async exitPreconfig(): Promise<void> {
    this.requirePreconfig();
    const result = resolveBoard(this.doc, this.options.resolve);
    if (!result.ok) {
      const shown = result.problems.slice(0, 5).map(describeProblem).join('; ');
      throw new ControllerError(`The board has ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}: ${shown}${result.problems.length > 5 ? '; …' : ''}`);
    }
    const files = imageFiles(result.board);
    let images: ReadonlyMap<string, Uint8Array> = new Map();
    if (files.length > 0) {
      if (this.options.loadImages === undefined) throw new ControllerError(`image ${files[0]}: this monitor cannot read image files`);
      try {
        images = await this.options.loadImages(files);
      } catch (error) {
        throw new ControllerError(error instanceof Error ? error.message : String(error));
      }
    }
    const unavailable = unavailableTypeProblems(result.board.objects, await (this.options.machine?.modules ?? engineModules).loadBoardModules(result.board));
    if (unavailable.length > 0) throw new ControllerError(unavailable.map(describeProblem).join('; '));
    if (this.runState !== 'preconfig') return; // quit while the images or modules were loaded
    let machine: Machine;
    try {
      machine = Machine.build(result.board, images, this.options.machine);
    } catch (error) {
      if (error instanceof MachineError) throw new ControllerError(error.message);
      throw error;
    }
    this.machineInstance = machine;
    this.resolved = result.board;
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
