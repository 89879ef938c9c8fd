/// <reference lib="webworker" />
// The emulator worker: builds machines from board documents and runs them (./runner.ts).
//
// Load-type calls (init, load, lastError) come in through comlink. Run / Pause / Reset and the
// stats never do: they travel through the shared control words (./control.ts), which the run loop
// reads between slices. UART output goes out through the shared serial ring (./serial-ring.ts),
// which the UI drains once per animation frame; typed input, button presses and LED levels use the
// shared board I/O buffers (./board-io.ts). Guest RAM (and framebuffer pixels) live in
// SharedArrayBuffers the UI can read directly.
import * as Comlink from 'comlink';
import { Machine, engineModules } from '../engine/index.ts';
import { unavailableTypeProblems, type ModuleAvailability, type RegisterWatch, type ResolvedBoard, type RunObservations } from '../graph/index.ts';
import type { BoardIoBuffers } from './board-io.ts';
import type { MachineInfo } from './machine-devices.ts';
import { Runner, pageMachineOptions, type HartRegisters, type LoadOptions, type LoadResult, type MachineBuilder, type SharedMemory } from './runner.ts';
import type { BreakpointStop, DisassemblyListing, MemoryWriteResult, SourceView } from './debugger.ts';
import { WorkerQmp, type BoardOrigin, type QmpConsoleSink } from './qmp-session.ts';
import type { CoreRegisterValues, DeviceRegisterValues, TrapLogBatch, WatchTarget, WatchValue } from './explain.ts';
import type { ExecutionTier } from '../engine/cpu/contract.ts';
import { tierReport, type TierReport } from './tiers.ts';

export type { FloatRegisters, HartRegisters, LoadOptions, LoadResult, SharedMemory, SpecialRegisters } from './runner.ts';
export type { BreakpointStop, DisassemblyLine, DisassemblyListing, MemoryWriteResult, SourceView } from './debugger.ts';
export type { BoardDevices, ButtonInfo, FramebufferInfo, GuestFault, GuestFaultKind, HartReport, HartStatus, LedInfo, MachineInfo, TrapInfo } from './machine-devices.ts';
export type { BoardOrigin, QmpConsoleOutput, QmpConsoleSink } from './qmp-session.ts';
export type { CoreRegisterValues, DeviceRegisterValues, TrapLogBatch, TrapLogEntry, WatchTarget, WatchValue } from './explain.ts';
export type { CpuTier, CpuTierState, TierReport } from './tiers.ts';
export type { ExecutionTier } from '../engine/cpu/contract.ts';

export interface EmulatorApi {
  /** Hands over the shared control words, serial rings (one per terminal, ./serial-streams.ts) and board I/O (cloned, never transferred). Called once. */
  init(control: Int32Array, serialRings: readonly SharedArrayBuffer[], io: BoardIoBuffers): void;
  /** Typing goes to the UART at `path` from now on (the page's terminal tab); false when the board has none there. */
  setInputTarget(path: string | null): boolean;
  /** Step advances the CPU at `path` by one instruction (the debugger's selected CPU); null: the board's next instruction. */
  setStepTarget(path: string | null): void;
  /**
   * Builds a machine from a board document and its image files (file name → bytes) and makes it
   * the running one. On failure the previous machine is untouched and keeps running.
   */
  /**
   * Build and run a resolved board (the UI resolves it: it has the libraries and knows the platform).
   * The engine modules of its types load first (each its own chunk, fetched on first use); a type
   * whose module fails is a problem pointing at the object, and the previous machine keeps running.
   */
  load(board: ResolvedBoard, images: Record<string, Uint8Array>, origin?: BoardOrigin, options?: LoadOptions): Promise<LoadResult>;
  /** What the worker knows of each engine module it tried to load (by module name), for the palette. */
  moduleStatuses(): Record<string, ModuleAvailability>;
  /** Why the run loop stopped with WorkerRunState.CRASHED, or null. */
  lastError(): string | null;
  /** Life-cycle state of every object and the engine's recent events (null before a load). */
  inspect(): MachineInfo | null;
  /** Registers of every hart of the running machine. */
  registers(): HartRegisters[];
  /** The running machine's RAM buffers (SharedArrayBuffers, shared with the page, not copied): call once after a load. */
  sharedMemory(): SharedMemory[];
  /**
   * Disassembly of hart `hart` around `address` (default: its pc): about `before` instructions
   * ahead and `after` from it, objdump-style, with the firmware's symbols. Null for an unknown hart.
   */
  disassemble(hart: string, address: number | undefined, before: number, after: number): DisassemblyListing | null;
  /**
   * Writes bytes of guest RAM/ROM at a physical address of an address space (the memory view's
   * edits), as the CPUs will see them; refused, with the reason, while the guest runs.
   */
  writeMemory(address: number, bytes: Uint8Array, space?: string): MemoryWriteResult;
  /** Sets or clears a breakpoint (on every hart); returns the breakpoints now set. */
  setBreakpoint(address: number, enabled: boolean, cpu?: string): number[];
  breakpoints(cpu?: string): number[];
  /** Where the guest last paused at a breakpoint (control word BREAK_SEQ tells when). */
  breakpointStop(): BreakpointStop | null;
  /** Step over a call at the hart's pc: 'run' (a temporary breakpoint after it is set: now Run), 'step' (not a call: Step), null (no code there). */
  stepOver(hart: string): 'run' | 'step' | null;
  /** Run to here: a temporary breakpoint at `address` on the hart; then Run. */
  runTo(hart: string, address: number): boolean;
  /** Step line (`over` false) or Next line (`over` true): 'run' (set up: now Run), 'step' (no line information here: Step), null (no code there). */
  stepLine(hart: string, over: boolean): 'run' | 'step' | null;
  /** Where the hart is in its firmware's sources, and `file`'s lines with code and breakpoints. */
  sourceView(hart: string, file?: string): SourceView | null;
  /** Sets or clears a breakpoint on a source line (at its first statement address); the line and address it went to, or null. */
  setLineBreakpoint(hart: string, file: string, line: number, enabled: boolean, cpu?: string): { line: number; address: number } | null;
  /** An open lesson's register watches: machines built from now on are observed for its run checks (null: no lesson). */
  watchLesson(watches: RegisterWatch[] | null): void;
  /** What the running machine did that a lesson's run checks look at (null: no lesson watches it). */
  lessonObservations(): RunObservations | null;
  /**
   * Opens a QMP monitor session on the running machine (the designer's console): `output` (a
   * Comlink.proxy) receives the greeting, replies and events as they happen. Returns its id.
   */
  qmpOpen(output: QmpConsoleSink): number;
  /** Text typed into QMP session `id`; resolves when every request in it has been answered. */
  qmpFeed(id: number, text: string): Promise<void>;
  /** Ends QMP session `id`. */
  qmpClose(id: number): void;
  /** The registers of the device at `path`, peeked without side effects (layout: its type's in src/graph/register-layouts.ts); null when it has none. */
  deviceRegisters(path: string): DeviceRegisterValues | null;
  /** The control registers of the CPU at `path` (CSRs; Cortex-M special, SCB and SysTick registers); null for no such CPU. */
  coreRegisters(path: string): CoreRegisterValues | null;
  /** Logged traps and interrupts with sequence numbers from `after` on (the trap log's poll). */
  traps(after: number): TrapLogBatch;
  /** Empties the trap log. */
  clearTraps(): void;
  /** Current values of the watch list's entries. */
  watchValues(targets: WatchTarget[]): WatchValue[];
  /** The address of a firmware symbol (of `cpu`'s image, or any), for a watch added by name. */
  symbolAddress(name: string, cpu?: string): number | null;
  /**
   * Runs every CPU's code on `tier` from its next instruction (the running machine, and every
   * machine built from now on: another board, a reload). Returns the report after the switch.
   */
  setTier(tier: ExecutionTier): TierReport;
  /** Which tier runs each CPU of the running machine, and what the compiling tier did so far. */
  tiers(): TierReport;
}

/** The machine the last build made, until load() hands it to the QMP monitor. */
let lastBuilt: Machine | null = null;

function takeBuilt(): Machine | null {
  const machine = lastBuilt;
  lastBuilt = null;
  return machine;
}

/** The tier the page asked for (the engine's default until it asks): every machine built starts on it. */
let tier: ExecutionTier = 'jit';
/** The machine running now (the last one a load built successfully), for tier switches. */
let running: Machine | null = null;

// A hart without firmware is held, not run: it would execute whatever memory holds and trap
// forever, burning a core while the page said "running". The page says "cpu0 has no firmware".
const buildMachine: MachineBuilder = (board, images, onSerialOutput) => (lastBuilt = Machine.build(board, images, { ...pageMachineOptions(onSerialOutput), tier }));

let runner: Runner | null = null;
let qmp: WorkerQmp | null = null;
/** Each QMP session's output callback (a comlink proxy to the page, released when the session ends). */
const qmpOutputs = new Map<number, Comlink.Remote<QmpConsoleSink>>();

const api: EmulatorApi = {
  init(control, serialRings, io) {
    if (runner) throw new Error('emulator worker: init called twice');
    runner = new Runner(control, serialRings, buildMachine, {}, io);
    qmp = new WorkerQmp(control);
    runner.observe(qmp);
    runner.start();
  },

  async load(board, images, origin, options) {
    if (!runner) return { ok: false, problems: [{ pointer: '', message: 'the emulator is not initialised', hint: 'Reload the page.' }] };
    const unavailable = unavailableTypeProblems(board.objects, await engineModules.loadBoardModules(board));
    if (unavailable.length > 0) return { ok: false, problems: unavailable };
    const result = runner.load(board, new Map(Object.entries(images)), options);
    const built = takeBuilt();
    if (result.ok && built !== null) {
      running = built;
      // Without the document (an older caller) the monitor shows a board with no objects of its own.
      const document = origin?.document ?? { boardlab: 1, name: board.name, objects: {} };
      qmp?.attach({ machine: built, board, document, resolve: origin?.resolve });
    }
    return result;
  },

  lastError() {
    return runner?.lastError() ?? null;
  },
  setInputTarget(path) {
    return runner?.setInputTarget(path) ?? false;
  },
  setStepTarget(path) {
    runner?.setStepTarget(path);
  },
  moduleStatuses() {
    return Object.fromEntries(engineModules.statuses());
  },
  inspect() {
    return runner?.info() ?? null;
  },
  registers() {
    return runner?.registers() ?? [];
  },
  sharedMemory() {
    return runner?.sharedMemory() ?? [];
  },
  disassemble(hart, address, before, after) {
    return runner?.debug.disassemble(hart, address, before, after) ?? null;
  },
  writeMemory(address, bytes, space) {
    return runner?.debug.writeMemory(address, bytes, space) ?? { ok: false, reason: 'the emulator is not initialised' };
  },
  setBreakpoint(address, enabled, cpu) {
    return runner?.debug.setBreakpoint(address, enabled, cpu) ?? [];
  },
  breakpoints(cpu) {
    return runner?.debug.breakpoints(cpu) ?? [];
  },
  breakpointStop() {
    return runner?.debug.lastStop() ?? null;
  },
  stepOver(hart) {
    return runner?.debug.stepOver(hart) ?? null;
  },
  runTo(hart, address) {
    return runner?.debug.runTo(hart, address) ?? false;
  },
  stepLine(hart, over) {
    return runner?.debug.stepLine(hart, over) ?? null;
  },
  sourceView(hart, file) {
    return runner?.debug.sourceView(hart, file) ?? null;
  },
  setLineBreakpoint(hart, file, line, enabled, cpu) {
    return runner?.debug.setLineBreakpoint(hart, file, line, enabled, cpu) ?? null;
  },
  watchLesson(watches) {
    runner?.watchLesson(watches);
  },
  lessonObservations() {
    return runner?.lessonObservations() ?? null;
  },

  qmpOpen(output) {
    if (!qmp) throw new Error('emulator worker: qmpOpen before init');
    // `output` is a comlink proxy: a call is a message to the page, and fails only if the page went away.
    const remote = output as unknown as Comlink.Remote<QmpConsoleSink>;
    const id = qmp.open((batch) => void remote(batch).catch(() => undefined));
    qmpOutputs.set(id, remote);
    return id;
  },
  qmpFeed(id, text) {
    return qmp?.feed(id, text) ?? Promise.resolve();
  },
  qmpClose(id) {
    qmp?.close(id);
    qmpOutputs.get(id)?.[Comlink.releaseProxy]();
    qmpOutputs.delete(id);
  },

  deviceRegisters(path) {
    return runner?.explain.deviceRegisters(path) ?? null;
  },
  coreRegisters(path) {
    return runner?.explain.coreRegisters(path) ?? null;
  },
  traps(after) {
    return runner?.explain.traps(after) ?? { entries: [], next: 0, dropped: 0 };
  },
  clearTraps() {
    runner?.explain.clearTraps();
  },
  watchValues(targets) {
    return runner?.explain.watchValues(targets) ?? targets.map(() => ({ value: null, reason: 'the emulator is not initialised' }));
  },
  symbolAddress(name, cpu) {
    return runner?.explain.symbolAddress(name, cpu) ?? null;
  },

  // Called between run slices (comlink messages wait for the loop to yield), so a switch lands
  // between two instructions; the machine notes in its event log a core that cannot compile.
  setTier(next) {
    tier = next;
    running?.setTier(next);
    return tierReport(tier, running);
  },
  tiers() {
    return tierReport(tier, running);
  },
};

Comlink.expose(api);
