// The UI's handle on the emulator worker: the comlink proxy for load-type calls, and the shared
// control words, serial ring and board I/O (typed input, buttons, LEDs) it reads and writes every
// animation frame. Creating it starts the worker.
import * as Comlink from 'comlink';
import {
  createControl,
  readControl,
  requestPacing,
  requestPause,
  requestReset,
  requestRun,
  requestStep,
  type ControlSnapshot,
} from '../workers/control.ts';
import { ButtonSender, createBoardIo, LedReader, readInfoSeq, TerminalInput } from '../workers/board-io.ts';
import { createSerialRingBuffer, SerialRing } from '../workers/serial-ring.ts';
import { SERIAL_RING_COUNT } from '../workers/serial-streams.ts';
import { ActivityReader } from '../workers/activity.ts';
import { SerialDrain, type SerialSink } from './serial-drain.ts';
import type { BoardOrigin, ExecutionTier, TierReport, BreakpointStop, CoreRegisterValues, DeviceRegisterValues, TrapLogBatch, WatchTarget, WatchValue, DisassemblyListing, EmulatorApi, HartRegisters, LoadOptions, LoadResult, MachineInfo, MemoryWriteResult, QmpConsoleSink, SharedMemory, SourceView } from '../workers/emulator.worker.ts';
import type { ModuleAvailability, RegisterWatch, ResolvedBoard, RunObservations } from '../graph/index.ts';

export class EmulatorClient {
  readonly control = createControl();
  /** One ring per terminal (../workers/serial-streams.ts): the first, the board's first UART, is the largest. */
  readonly rings = Array.from({ length: SERIAL_RING_COUNT }, (_, index) => new SerialRing(createSerialRingBuffer(index === 0 ? 1 << 18 : 1 << 16)));
  readonly io = createBoardIo();
  /** Bytes typed into the terminal, on their way to the guest's UART. */
  readonly input = new TerminalInput(this.io.input, this.control);
  readonly buttons = new ButtonSender(this.io.buttons, this.control);
  readonly leds = new LedReader(this.io.words);
  /** IRQ wire levels and memory hits of the running board (the graphs light them). */
  readonly activity = new ActivityReader(this.io.activity);
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<EmulatorApi>;
  private readonly ready: Promise<void>;
  // The first ring's session boundary is in the control words; the others keep theirs in their header.
  private readonly drains = this.rings.map((ring, index) =>
    index === 0 ? new SerialDrain(ring, () => readControl(this.control)) : new SerialDrain(ring, () => ({ session: readControl(this.control).session, sessionStart: ring.sessionStart() })),
  );

  constructor() {
    this.worker = new Worker(new URL('../workers/emulator.worker.ts', import.meta.url), { type: 'module', name: 'boardlab-emulator' });
    this.api = Comlink.wrap<EmulatorApi>(this.worker);
    // The SharedArrayBuffers are cloned (shared), never transferred.
    this.ready = Promise.resolve(
      this.api.init(
        this.control,
        this.rings.map((ring) => ring.buffer as SharedArrayBuffer),
        this.io,
      ),
    );
  }

  async load(board: ResolvedBoard, images: Record<string, Uint8Array>, origin?: BoardOrigin, options?: LoadOptions): Promise<LoadResult> {
    await this.ready;
    return this.api.load(board, images, origin, options);
  }

  /** The engine modules the worker has tried to load (a board's load fetches its types' modules). */
  async moduleStatuses(): Promise<Record<string, ModuleAvailability>> {
    await this.ready;
    return this.api.moduleStatuses();
  }

  /** Opens a QMP session on the running machine; `output` gets its greeting, replies and events. */
  async qmpOpen(output: QmpConsoleSink): Promise<number> {
    await this.ready;
    return this.api.qmpOpen(Comlink.proxy(output));
  }

  /** Text for QMP session `id`; resolves when every request in it has been answered. */
  async qmpFeed(id: number, text: string): Promise<void> {
    await this.ready;
    return this.api.qmpFeed(id, text);
  }

  async qmpClose(id: number): Promise<void> {
    await this.ready;
    return this.api.qmpClose(id);
  }

  async lastError(): Promise<string | null> {
    await this.ready;
    return this.api.lastError();
  }

  async inspect(): Promise<MachineInfo | null> {
    await this.ready;
    return this.api.inspect();
  }

  async registers(): Promise<HartRegisters[]> {
    await this.ready;
    return this.api.registers();
  }

  async sharedMemory(): Promise<SharedMemory[]> {
    await this.ready;
    return this.api.sharedMemory();
  }

  /** Disassembly of a hart around `address` (default: its pc). */
  async disassemble(hart: string, address: number | undefined, before: number, after: number): Promise<DisassemblyListing | null> {
    await this.ready;
    return this.api.disassemble(hart, address, before, after);
  }

  /** Writes guest RAM/ROM bytes (the memory view's edits); refused, with the reason, while the guest runs. */
  async writeMemory(address: number, bytes: Uint8Array, space?: string): Promise<MemoryWriteResult> {
    await this.ready;
    return this.api.writeMemory(address, bytes, space);
  }

  /** Sets or clears a breakpoint on every hart (with `cpu`: on that CPU alone); resolves to the breakpoints now set. */
  async setBreakpoint(address: number, enabled: boolean, cpu?: string): Promise<number[]> {
    await this.ready;
    return this.api.setBreakpoint(address, enabled, cpu);
  }

  /** The breakpoints set on every hart, and with `cpu` that CPU's own. */
  async breakpoints(cpu?: string): Promise<number[]> {
    await this.ready;
    return this.api.breakpoints(cpu);
  }

  /** Where the guest last paused at a breakpoint (snapshot().breakSeq tells when that changes). */
  async breakpointStop(): Promise<BreakpointStop | null> {
    await this.ready;
    return this.api.breakpointStop();
  }

  /** Observe the machines loaded from now on for a lesson's run checks (null: stop). */
  async watchLesson(watches: RegisterWatch[] | null): Promise<void> {
    await this.ready;
    return this.api.watchLesson(watches);
  }

  /** What the running machine did that the open lesson's run checks look at. */
  async lessonObservations(): Promise<RunObservations | null> {
    await this.ready;
    return this.api.lessonObservations();
  }

  /** Step over: a call at the hart's pc runs to its return (Run), anything else is one Step. */
  async stepOver(hart: string): Promise<void> {
    await this.ready;
    const next = await this.api.stepOver(hart);
    if (next === 'run') requestRun(this.control);
    else if (next === 'step') requestStep(this.control);
  }

  /** Run to here: runs the guest until the hart reaches `address` (or a breakpoint, or a Pause). */
  async runTo(hart: string, address: number): Promise<void> {
    await this.ready;
    if (await this.api.runTo(hart, address)) requestRun(this.control);
  }

  /** The registers of a device, peeked without side effects (null: it has no register layout). */
  async deviceRegisters(path: string): Promise<DeviceRegisterValues | null> {
    await this.ready;
    return this.api.deviceRegisters(path);
  }

  /** The control registers of a CPU (CSRs; Cortex-M special, SCB and SysTick registers). */
  async coreRegisters(path: string): Promise<CoreRegisterValues | null> {
    await this.ready;
    return this.api.coreRegisters(path);
  }

  /** Traps logged from sequence number `after` on. */
  async traps(after: number): Promise<TrapLogBatch> {
    await this.ready;
    return this.api.traps(after);
  }

  async clearTraps(): Promise<void> {
    await this.ready;
    return this.api.clearTraps();
  }

  async watchValues(targets: WatchTarget[]): Promise<WatchValue[]> {
    await this.ready;
    return this.api.watchValues(targets);
  }

  async symbolAddress(name: string, cpu?: string): Promise<number | null> {
    await this.ready;
    return this.api.symbolAddress(name, cpu);
  }

  /** Step line (`over` false, gdb's step) or Next line (`over` true, gdb's next) on a hart: runs until another source line starts. */
  async stepLine(hart: string, over: boolean): Promise<void> {
    await this.ready;
    const next = await this.api.stepLine(hart, over);
    if (next === 'run') requestRun(this.control);
    else if (next === 'step') requestStep(this.control);
  }

  /** Where the hart is in its firmware's sources, and `file`'s lines with code and breakpoints. */
  async sourceView(hart: string, file?: string): Promise<SourceView | null> {
    await this.ready;
    return this.api.sourceView(hart, file);
  }

  /** Sets or clears a breakpoint on a source line; resolves to the line and address it went to, or null. */
  async setLineBreakpoint(hart: string, file: string, line: number, enabled: boolean, cpu?: string): Promise<{ line: number; address: number } | null> {
    await this.ready;
    return this.api.setLineBreakpoint(hart, file, line, enabled, cpu);
  }

  /** Runs every CPU on `tier` from its next instruction, and every board loaded from now on. */
  async setTier(tier: ExecutionTier): Promise<TierReport> {
    await this.ready;
    return this.api.setTier(tier);
  }

  /** Which tier runs each CPU, and what the compiling tier did so far. */
  async tiers(): Promise<TierReport> {
    await this.ready;
    return this.api.tiers();
  }

  step(): void {
    requestStep(this.control);
  }

  setPacing(realTime: boolean): void {
    requestPacing(this.control, realTime);
  }

  /** Bumped by the worker when life-cycle states or engine events changed. */
  infoSeq(): number {
    return readInfoSeq(this.io.words);
  }

  run(): void {
    requestRun(this.control);
  }

  pause(): void {
    requestPause(this.control);
  }

  reset(): void {
    requestReset(this.control);
  }

  snapshot(): ControlSnapshot {
    return readControl(this.control);
  }

  /** Moves pending output of serial ring `ring` into `sink` (see SerialDrain for the session boundary rules). */
  drainSerial(ring: number, sink: SerialSink, max = Infinity): void {
    this.drains[ring]?.drain(sink, max);
  }

  /** Typing goes to the UART at `path` from now on (a terminal tab was chosen). */
  async setInputTarget(path: string | null): Promise<boolean> {
    await this.ready;
    return this.api.setInputTarget(path);
  }

  /** Step advances the CPU at `path` (the debugger's selected CPU). */
  async setStepTarget(path: string | null): Promise<void> {
    await this.ready;
    return this.api.setStepTarget(path);
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}
