// The emulator's run loop, independent of how it is hosted (a Web Worker in the browser, a plain
// event loop in tests): runs the machine in slices, reads Run / Pause / Reset from the shared
// control words between slices, publishes stats there, and writes UART output to the serial ring.
//
// It never blocks its thread: between bursts of slices it yields to the event loop (so load calls
// get through), and with nothing to run it sleeps on the control doorbell with Atomics.waitAsync.
// An idle guest (every hart waiting for an interrupt, no timer pending) sleeps there too, without
// a timeout: only the UI can change anything then (Run/Pause/Reset, typed input, a button), and it
// rings the doorbell when it does.
//
// Between slices it also moves typed bytes into the first UART and button presses into the
// machine (./board-io.ts), and its LEDs report through shared words as they change.
import type { CpuCore, RegisterRole } from '../engine/cpu/contract.ts';
import type { Device } from '../engine/devices/device.ts';
import { Machine, type MachineOptions } from '../engine/machine.ts';
import type { BoardProblem, RegisterWatch, ResolvedBoard, RunObservations } from '../graph/index.ts';
import { LessonRunObserver, cpuSymbols } from '../engine/lesson-run.ts';
import {
  adoptControl,
  beginSession,
  ControlReader,
  Desired,
  reportFaultStop,
  WorkerRunState,
  wake,
  writeInstructions,
  writeIps,
  writeState,
} from './control.ts';
import {
  adoptBoardIo,
  bumpInfo,
  ButtonEvents,
  createBoardIo,
  InputDelivery,
  LedPublisher,
  MAX_BUTTONS,
  MAX_LEDS,
  type BoardIoBuffers,
} from './board-io.ts';
import { ActivityPublisher, type ActivityHost } from './activity.ts';
import { findDevices, machineInfo, NO_DEVICES, type AttachedDevices, type BoardDevices, type DeviceHost, type HartReport, type MachineInfo } from './machine-devices.ts';
import { problemFromError } from './problems.ts';
import { GuestDebugger } from './debugger.ts';
import { Explainer } from './explain.ts';
import type { TrapListener } from '../engine/trap-events.ts';
import { SerialRing } from './serial-ring.ts';
import { serialRouting, type SerialRouting, type SerialStream } from './serial-streams.ts';

export interface HartRegisters {
  path: string;
  pc: number;
  /** The core's general registers (RISC-V: x0..x31), unsigned. */
  x: number[];
  /** Their names, from the core's register file ("zero", "ra", "sp", …). */
  names: string[];
  /** Other names of each a user may type ("x2"; "fp"). */
  aliases: string[][];
  /** What each holds, where the register file says (stack-pointer, return-address, pointer, zero); null for the rest. */
  roles: (RegisterRole | null)[];
  /** The core's floating-point registers (RISC-V F/D: f0..f31), when it has them. */
  float?: FloatRegisters;
  /** The core's special registers shown beside the general ones (Cortex-M: xpsr, msp, psp, primask, basepri, faultmask, control). */
  special?: SpecialRegisters;
}

/** Special registers a core's register file lists in its 'system' group, as it names them. */
export interface SpecialRegisters {
  names: string[];
  /** Unsigned 32-bit values. */
  values: number[];
}

/** A core's floating-point registers, as its register file names them. */
export interface FloatRegisters {
  /** ABI names ("ft0", "fa0", …). */
  names: string[];
  /** Other names a user may type ("f0"). */
  aliases: string[][];
  /** Width of each register in bits (RISC-V: 64 with D, 32 with F only). */
  bits: number;
  /** Their raw contents, unsigned (a single-precision value NaN-boxed in a 64-bit register shows its box). */
  values: bigint[];
}

export interface SharedMemory {
  /** The RAM object's path; the UI finds where it is mapped from the resolved board. */
  path: string;
  /** The object's region these bytes back ("mem" of a ram, "vram" of a framebuffer). */
  region: string;
  /** The region's bytes: `byteLength` bytes from `byteOffset` (the machine's guest arena holds every region in one buffer). */
  buffer: SharedArrayBuffer;
  byteOffset: number;
  byteLength: number;
}

export interface LoadOptions {
  /** Another board, not an edit of this one: the previous board's breakpoints do not carry over. */
  forgetBreakpoints?: boolean;
}

export type LoadResult =
  | { ok: true; board: ResolvedBoard; devices: BoardDevices; info: MachineInfo }
  | { ok: false; problems: BoardProblem[] };

/** What the loop needs of a machine (src/engine's Machine has all of it; devices are optional). */
export interface RunnableMachine extends DeviceHost, ActivityHost {
  /**
   * Runs up to `budget` instructions; with `timeLimit` (virtual ns) stops when virtual time reaches
   * it, and with `deadline` (performance.now() ms) soon after that moment, however slow the guest's steps.
   */
  run(budget: number, timeLimit?: number, deadline?: number): number;
  /** Lets every hart execute the instruction at its pc next, even at a breakpoint (Run or Step from a pause). */
  passBreakpoints?(): void;
  /** The hart caught in a trap loop or fault spin when the last run() stopped for it, else null. */
  readonly stoppedAtFault?: string | null;
  /** Lets harts caught in a fault loop run on (Run after the pause); a loop that persists stops a run again. */
  passFaults?(): void;
  /** The virtual clock (real-time pacing compares it with the wall clock). */
  readonly clock?: { now(): number; nextDeadline(): number };
  /** One instruction of the CPU at `path` while the others run their turns of virtual time (a debugger's Step on that CPU). */
  stepCpu?(path: string): number;
  reset(): void;
  readonly halted: boolean;
  readonly exit: { kind: 'pass' | 'fail'; code: number } | null;
  readonly instructions: number;
  /** Every hart waits for an interrupt and no timer is pending (absent: assume so when run() returns 0). */
  readonly idle?: boolean;
  /** Harts, for the registers view. */
  readonly cpuPaths?: readonly string[];
  cpu?(path: string): CpuCore | undefined;
  /** Tears the machine down (unrealize, unparent, destroy) when another takes its place. */
  destroy?(): void;
  /** Hears every trap (the trap log, ./explain.ts); returns the function that stops it. */
  addTrapListener?(listener: TrapListener): () => void;
}

/**
 * Told what the loop does, for a monitor that keeps its own run state beside the control words
 * (the QMP console's run controller, ./qmp-session.ts). Called between slices, never during one.
 */
export interface RunObserver {
  /** The loop read the control words, and carried out the Reset they asked for if `reset`. */
  requestsTaken(requests: { reset: boolean; desired: Desired }): void;
  /** The loop ran the machine (a slice, or a step while paused). */
  ran(): void;
  /** A hart reached a breakpoint and the loop paused the guest there. */
  stoppedAtBreakpoint?(): void;
  /** A hart was caught in a trap loop or fault spin and the loop paused the guest there. */
  stoppedAtFault?(): void;
  /** The engine threw while running or resetting: the loop stopped with WorkerRunState.CRASHED. */
  crashed?(message: string): void;
}

/**
 * Builds a machine; `onSerialOutput` receives every byte for the terminal: what a UART transmits
 * and a CPU's own console output (ARM semihosting; see pageMachineOptions). Throws on bad input.
 */
export type MachineBuilder = (board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, onSerialOutput: (uartPath: string, byte: number) => void) => RunnableMachine;

/**
 * The page's machine options: RAM the UI can read (the machine's guest arena is a
 * SharedArrayBuffer; a memory whose `shared` property is false stays out of it, private to the
 * worker), harts without firmware held, and one terminal for everything the guest prints — a
 * UART's bytes and a CPU's semihosting console, whichever stream (stdout or stderr) the CLI would
 * write it to, in the order printed.
 */
export function pageMachineOptions(onSerialOutput: (path: string, byte: number) => void): MachineOptions {
  return {
    sharesGuestMemory: true,
    onSerialOutput,
    onConsoleOutput: (cpuPath, bytes) => bytes.forEach((byte) => onSerialOutput(cpuPath, byte)),
    holdHartsWithoutFirmware: true,
  };
}

export interface RunnerTuning {
  /** Wall time one burst of slices may take before the loop yields to the event loop. */
  burstMs: number;
  /** Wall time one machine.run() slice should take; the budget adapts to it. */
  sliceTargetMs: number;
  minSlice: number;
  maxSlice: number;
  /** Serial bytes held back (ring full) at which the guest waits for the UI to catch up. */
  outputHighWater: number;
  /** How often the IPS figure is recomputed. */
  ipsWindowMs: number;
  /**
   * Lets queued events run between bursts. The default, a MessageChannel round trip, is right for
   * a worker; Node (tests) wants setImmediate, because its MessagePorts drain newly posted
   * messages before timers get a turn.
   */
  yieldToEventLoop: () => Promise<void>;
}

export const DEFAULT_TUNING: Omit<RunnerTuning, 'yieldToEventLoop'> = {
  burstMs: 50,
  sliceTargetMs: 10,
  minSlice: 10_000,
  maxSlice: 20_000_000,
  outputHighWater: 1 << 16,
  ipsWindowMs: 250,
};

/** Output the ring had no room for yet, oldest first. */
class OutputQueue {
  private bytes = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  get length(): number {
    return this.end - this.start;
  }
  push(byte: number): void {
    if (this.end === this.bytes.length) {
      const live = this.length;
      const target = live * 2 > this.bytes.length ? new Uint8Array(this.bytes.length * 2) : this.bytes;
      target.set(this.bytes.subarray(this.start, this.end), 0);
      this.bytes = target;
      this.start = 0;
      this.end = live;
    }
    this.bytes[this.end++] = byte;
  }
  flushInto(ring: SerialRing): void {
    if (this.length === 0) return;
    this.start += ring.write(this.bytes, this.start, this.end);
    if (this.start === this.end) this.start = this.end = 0;
  }
  clear(): void {
    this.start = this.end = 0;
  }
}

/** The shared rings the terminals read, each with the output it had no room for yet (./serial-streams.ts routes bytes to them). */
class SerialOutputs {
  readonly rings: SerialRing[];
  private readonly queues: OutputQueue[];
  private routing: SerialRouting = { streams: [], ringOf: new Map() };

  constructor(buffers: readonly SharedArrayBuffer[]) {
    if (buffers.length === 0) throw new Error('the run loop needs at least one serial ring');
    this.rings = buffers.map((buffer) => new SerialRing(buffer));
    this.queues = buffers.map(() => new OutputQueue());
  }

  /** Routes the new machine's streams (its UARTs and semihosting consoles) to the rings. */
  route(board: ResolvedBoard, uartPaths: readonly string[]): SerialStream[] {
    this.routing = serialRouting(board, uartPaths, this.rings.length);
    return this.routing.streams;
  }

  /** One byte printed by `source` (a UART's or a CPU's path); a source the routing does not know goes to the first ring. */
  emit(source: string, byte: number): void {
    const index = this.routing.ringOf.get(source) ?? 0;
    const queue = this.queues[index];
    if (queue.length > 0 || !this.rings[index].push(byte)) queue.push(byte);
  }

  /** Bytes held back, over every ring. */
  get length(): number {
    let total = 0;
    for (const queue of this.queues) total += queue.length;
    return total;
  }

  flush(): void {
    for (let i = 0; i < this.queues.length; i++) this.queues[i].flushInto(this.rings[i]);
  }

  /** Waits for the terminal of the ring holding back the most output to take some. */
  async waitForSpace(timeoutMs: number): Promise<void> {
    let fullest = 0;
    for (let i = 1; i < this.queues.length; i++) if (this.queues[i].length > this.queues[fullest].length) fullest = i;
    await this.rings[fullest].waitForSpace(timeoutMs);
  }

  /**
   * A new session: output held back is dropped, and every ring notes where the session begins
   * (ring 0 in the control words, the others in their own header), before the session's number
   * changes in the control words.
   */
  beginSession(control: Int32Array): void {
    for (const queue of this.queues) queue.clear();
    for (let i = 1; i < this.rings.length; i++) this.rings[i].markSessionStart(this.rings[i].head());
    beginSession(control, this.rings[0].head());
  }
}

/** The machine has harts, and every one is held for want of firmware: nothing can run. */
function noFirmwareAnywhere(harts: readonly HartReport[]): boolean {
  return harts.length > 0 && harts.every((h) => h.status === 'held');
}

/** The harts' statuses in one string, to see cheaply whether one changed. */
function hartStatusKey(harts: readonly HartReport[]): string {
  return harts.map((h) => h.status).join(',');
}

// A MessageChannel round trip is a macrotask that is not clamped like setTimeout: the loop lets
// pending messages (comlink calls) run, then carries on almost at once.
function messageChannelYield(): () => Promise<void> {
  if (typeof MessageChannel === 'undefined') return () => new Promise((resolve) => setTimeout(resolve, 0));
  const channel = new MessageChannel();
  let waiting: Array<() => void> = [];
  channel.port1.onmessage = () => {
    const resolvers = waiting;
    waiting = [];
    for (const resolve of resolvers) resolve();
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      channel.port2.postMessage(null);
    });
}

export class Runner {
  private readonly control: Int32Array;
  private readonly requests: ControlReader;
  private readonly output: SerialOutputs;
  private readonly tuning: RunnerTuning;
  private readonly io: BoardIoBuffers;
  private readonly input: InputDelivery;
  private readonly buttonEvents: ButtonEvents;
  private readonly leds: LedPublisher;
  private readonly activity: ActivityPublisher;
  /** Breakpoints, the pause when a hart reaches one, disassembly (the run/debug panel). */
  readonly debug: GuestDebugger;
  /** Live registers, the trap log and watches for the page (./explain.ts). */
  readonly explain = new Explainer();
  private machine: RunnableMachine | null = null;
  private attached: AttachedDevices = { info: NO_DEVICES, uart: undefined, leds: [], buttons: [] };
  /** Engine events last published (length and newest), to tell the UI when there are new ones. */
  private seenEvents: { length: number; last: string | undefined } = { length: 0, last: undefined };
  /** Hart statuses last published ("running,faulting"), to tell the UI when one changes. */
  private seenHarts = '';
  private crash: string | null = null;
  private sliceBudget = 100_000;
  private ipsWindowStart = 0;
  private ranInWindow = 0;
  private stopped = false;
  private loop: Promise<void> | null = null;
  private observer: RunObserver | null = null;
  /** The register watches of the open lesson (null: none is open), and the running machine's observer. */
  private lessonWatches: RegisterWatch[] | null = null;
  private lesson: LessonRunObserver | null = null;
  /** Real-time pacing: the wall time (ms) and virtual time (ns) it counts from; null until the guest next runs paced. */
  private pacingAnchor: { wall: number; virtual: number } | null = null;
  /** The CPU a Step advances by one instruction (the debugger's selected CPU), or null: one instruction of the board. */
  private stepTarget: string | null = null;
  /** The run level the loop last acted on: Run after a pause continues past a breakpoint at pc. */
  private lastDesired: Desired = Desired.PAUSE;

  constructor(
    control: Int32Array,
    serialRings: SharedArrayBuffer | readonly SharedArrayBuffer[],
    private readonly build: MachineBuilder,
    tuning: Partial<RunnerTuning> = {},
    io: BoardIoBuffers = createBoardIo(),
  ) {
    this.control = adoptControl(control);
    this.requests = new ControlReader(this.control);
    this.output = new SerialOutputs(serialRings instanceof SharedArrayBuffer ? [serialRings] : serialRings);
    this.io = adoptBoardIo(io);
    this.input = new InputDelivery(io.input);
    this.buttonEvents = new ButtonEvents(io.buttons);
    this.leds = new LedPublisher(io.words);
    this.activity = new ActivityPublisher(io.activity);
    this.debug = new GuestDebugger(this.control);
    this.tuning = { ...DEFAULT_TUNING, yieldToEventLoop: tuning.yieldToEventLoop ?? messageChannelYield(), ...tuning };
  }

  /** Starts the loop (once). */
  start(): void {
    this.loop ??= this.runLoop();
  }

  /** Ends the loop after its current step (tests). */
  async stop(): Promise<void> {
    this.stopped = true;
    wake(this.control);
    await this.loop;
  }

  /**
   * Builds a machine from a resolved board and its images and makes it the running one, starting
   * a new serial session. On failure the previous machine is untouched and keeps running.
   */
  load(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, options: LoadOptions = {}): LoadResult {
    let built: RunnableMachine;
    // An open lesson's run checks watch every machine the page builds (../engine/lesson-run.ts).
    const lesson = this.lessonWatches === null ? null : new LessonRunObserver();
    try {
      built = this.build(board, images, (source, byte) => {
        this.output.emit(source, byte);
        lesson?.onSerialOutput(source, byte);
      });
    } catch (error) {
      return { ok: false, problems: [problemFromError(error, board)] };
    }
    this.detachDevices();
    const previous = this.machine;
    this.machine = built;
    try {
      previous?.destroy?.();
    } catch {
      // A teardown that fails must not stop the new board; the old machine is dropped either way.
    }
    this.crash = null;
    this.sliceBudget = 100_000;
    this.pacingAnchor = null; // the new machine's clock starts again from zero
    this.attachDevices(built, board);
    if (options.forgetBreakpoints) this.debug.clearBreakpoints();
    this.debug.attach(built, board, images);
    // after the debugger, which sets each CPU's breakpoints to its own: the lesson's register watches add theirs
    this.lesson = lesson;
    if (lesson !== null && built instanceof Machine) lesson.attach(built, board, cpuSymbols(board, images), this.lessonWatches ?? []);
    this.explain.attach(built, board, images);
    // Input typed for the previous board, and its button presses, do not carry over.
    this.input.discard();
    this.buttonEvents.discard();
    this.startSession();
    wake(this.control);
    return { ok: true, board, devices: this.attached.info, info: this.currentInfo(built) };
  }

  /** Watch the machines built from now on for a lesson's run checks (null: no lesson is open). */
  watchLesson(watches: RegisterWatch[] | null): void {
    this.lessonWatches = watches;
    if (watches === null) this.lesson = null;
  }

  /** What the running machine did that a lesson's run checks look at, or null when no lesson watches it. */
  lessonObservations(): RunObservations | null {
    this.lesson?.rearm();
    return this.lesson?.observations() ?? null;
  }

  /** Tells `observer` (or nobody: null) what the loop does from now on. */
  observe(observer: RunObserver | null): void {
    this.observer = observer;
  }

  /** The engine threw: the loop stops with WorkerRunState.CRASHED until a reset or a load. */
  private noteCrash(error: unknown): void {
    this.crash = problemFromError(error).message;
    this.observer?.crashed?.(this.crash);
  }

  /** Why the loop stopped with WorkerRunState.CRASHED, or null. */
  lastError(): string | null {
    return this.crash;
  }

  /** Registers of every hart (its general registers and pc, named by its register file), read between slices. */
  registers(): HartRegisters[] {
    const m = this.machine;
    if (!m || !m.cpuPaths || !m.cpu) return [];
    const result: HartRegisters[] = [];
    for (const path of m.cpuPaths) {
      const cpu = m.cpu(path);
      if (cpu) result.push(hartRegisters(path, cpu));
    }
    return result;
  }

  /**
   * The guest RAM regions whose bytes live in SharedArrayBuffers (the page reads them live, no
   * copies), by object path and region. Posting them to the page posts each buffer once: every
   * region in the guest arena names the same memory, at its own offset.
   */
  sharedMemory(): SharedMemory[] {
    const result: SharedMemory[] = [];
    if (typeof SharedArrayBuffer === 'undefined') return result;
    for (const [path, device] of this.machine?.devices ?? []) {
      for (const [region, backing] of (device as Partial<Device>).regions ?? []) {
        if (backing.kind === 'ram' && backing.buffer instanceof SharedArrayBuffer) result.push({ path, region, buffer: backing.buffer, byteOffset: backing.byteOffset, byteLength: backing.byteLength });
      }
    }
    return result;
  }

  /** Life-cycle states and engine events of the current machine (null before the first load). */
  info(): MachineInfo | null {
    return this.machine === null ? null : this.currentInfo(this.machine);
  }

  private currentInfo(m: RunnableMachine): MachineInfo {
    const events = m.events ?? [];
    this.seenEvents = { length: events.length, last: events[events.length - 1] };
    const info = machineInfo(m);
    this.seenHarts = hartStatusKey(info.harts);
    return info;
  }

  /** The state a stopped guest shows: no firmware anywhere, a hart caught in a fault loop, or simply paused. */
  private pausedState(m: RunnableMachine): WorkerRunState {
    const harts = m.hartReports?.() ?? [];
    if (noFirmwareAnywhere(harts)) return WorkerRunState.NO_FIRMWARE;
    return harts.some((h) => h.status === 'faulting') ? WorkerRunState.FAULTED : WorkerRunState.PAUSED;
  }

  /** Nothing runs: every hart waits for an interrupt, or has no firmware at all. */
  private idleState(m: RunnableMachine): WorkerRunState {
    return noFirmwareAnywhere(m.hartReports?.() ?? []) ? WorkerRunState.NO_FIRMWARE : WorkerRunState.IDLE;
  }

  /** The machine's LEDs report through the shared words; its buttons and first UART take UI input. */
  private attachDevices(m: RunnableMachine, board: ResolvedBoard): void {
    this.attached = findDevices(m, MAX_LEDS, MAX_BUTTONS);
    this.attached.info.serial = this.output.route(board, m.serialPaths ?? []);
    this.leds.clear();
    this.attached.leds.forEach((led, index) => {
      led.onChange = (lit) => this.leds.set(index, lit);
      this.leds.set(index, led.lit);
    });
    this.activity.attach(m);
  }

  /** The CPU Step advances from now on (the page's selected CPU), or null for the board's next instruction. */
  setStepTarget(path: string | null): void {
    this.stepTarget = path;
  }

  /**
   * Where typed input goes from now on: the UART at `path` (a terminal tab of the page), or the
   * board's first UART for null. False (and no change) when the board has no such UART.
   */
  setInputTarget(path: string | null): boolean {
    const m = this.machine;
    if (m === null) return false;
    const uart = m.serialPort?.(path ?? undefined);
    if (uart === undefined) return false;
    this.attached.uart = uart;
    return true;
  }

  private detachDevices(): void {
    for (const led of this.attached.leds) led.onChange = undefined;
    this.activity.detach();
    this.attached = { info: NO_DEVICES, uart: undefined, leds: [], buttons: [] };
  }

  /** Typed bytes into the UART (as many as its FIFO takes), button events into the buttons. */
  private feedInput(): void {
    this.input.deliver(this.attached.uart);
    this.buttonEvents.apply(this.attached.buttons);
  }

  /** True if input is waiting that the machine could take now. */
  private inputWaiting(): boolean {
    return this.input.deliverable(this.attached.uart) || this.buttonEvents.waiting > 0;
  }

  /** Tells the UI (through INFO_SEQ) when the engine noted new events or a hart's status changed. Cheap: no copying. */
  private publishInfoChanges(m: RunnableMachine): void {
    const harts = m.hartReports === undefined ? '' : hartStatusKey(m.hartReports());
    if (harts !== this.seenHarts) {
      this.seenHarts = harts;
      bumpInfo(this.io.words);
    }
    const events = m.events;
    if (events === undefined) return;
    const last = events[events.length - 1];
    if (events.length !== this.seenEvents.length || last !== this.seenEvents.last) {
      this.seenEvents = { length: events.length, last };
      bumpInfo(this.io.words);
    }
  }

  /** Marks a fresh start of the guest: the UI drops older output and clears its terminal. */
  private startSession(): void {
    this.output.beginSession(this.control);
    writeInstructions(this.control, this.machine?.instructions ?? 0);
    this.resetIps();
  }

  private resetIps(): void {
    this.ipsWindowStart = performance.now();
    this.ranInWindow = 0;
    writeIps(this.control, 0);
  }

  private countForIps(ran: number, now: number): void {
    this.ranInWindow += ran;
    const elapsed = now - this.ipsWindowStart;
    if (elapsed >= this.tuning.ipsWindowMs) {
      writeIps(this.control, (this.ranInWindow * 1000) / elapsed);
      this.ipsWindowStart = now;
      this.ranInWindow = 0;
    }
  }

  private publishHalt(m: RunnableMachine): void {
    const exit = m.exit;
    if (exit === null) writeState(this.control, WorkerRunState.STOPPED);
    else writeState(this.control, exit.kind === 'pass' ? WorkerRunState.HALTED_PASS : WorkerRunState.HALTED_FAIL, exit.code);
  }

  private async runLoop(): Promise<void> {
    const words = this.control;
    const requests = this.requests;
    const output = this.output;
    const tuning = this.tuning;
    while (!this.stopped) {
      const { reset, desired, steps, pacing } = requests.takeRequests();
      if (reset || !pacing || desired === Desired.PAUSE) this.pacingAnchor = null;
      if (reset) {
        if (this.machine) {
          try {
            this.machine.reset();
            this.debug.cancelTemporary(); // a step over, run to here or line step on its way means nothing after a reset
            this.crash = null;
          } catch (error) {
            this.noteCrash(error);
          }
          this.input.discard();
          this.startSession();
          bumpInfo(this.io.words);
        }
        requests.acknowledgeReset();
      }
      this.observer?.requestsTaken({ reset, desired });

      const m = this.machine;
      if (m === null) {
        writeState(words, WorkerRunState.EMPTY);
        await requests.waitForRequest();
        continue;
      }
      if (this.crash !== null) {
        writeState(words, WorkerRunState.CRASHED);
        writeIps(words, 0);
        await requests.waitForRequest();
        continue;
      }
      // Run or Step from a pause (a Step may have landed on a breakpoint): the instruction at pc runs.
      const resuming = (desired === Desired.RUN && this.lastDesired !== Desired.RUN) || (steps > 0 && desired === Desired.PAUSE);
      // A Pause (or Step) while a step over or run to here is on its way cancels it.
      if (desired === Desired.PAUSE && this.lastDesired === Desired.RUN) this.debug.cancelTemporary();
      // Run after a pause lets a hart caught in a fault loop go on (it is caught again if it still loops).
      if (desired === Desired.RUN && this.lastDesired !== Desired.RUN) m.passFaults?.();
      this.lastDesired = desired;
      if (resuming) m.passBreakpoints?.();
      if (steps > 0 && !m.halted && desired === Desired.PAUSE) {
        try {
          const cpu = this.stepTarget;
          if (cpu !== null && m.stepCpu && m.cpuPaths?.includes(cpu)) {
            for (let i = 0; i < steps && !m.halted; i++) m.stepCpu(cpu);
          } else m.run(steps);
          this.observer?.ran();
        } catch (error) {
          this.noteCrash(error);
          continue;
        }
      }
      if (m.halted || desired === Desired.PAUSE) {
        this.publishInfoChanges(m);
        output.flush();
        writeInstructions(words, m.instructions);
        if (m.halted) this.publishHalt(m);
        else writeState(words, this.pausedState(m));
        writeIps(words, 0);
        // Output still queued (the ring was full) needs the UI to drain first; come back for it.
        await requests.waitForRequest(output.length > 0 ? 20 : Infinity);
        this.resetIps();
        continue;
      }

      // Running. Back-pressure first: a guest that prints faster than the terminal shows waits.
      writeState(words, WorkerRunState.RUNNING);
      output.flush();
      if (output.length >= tuning.outputHighWater) {
        await output.waitForSpace(20);
        this.countForIps(0, performance.now());
        continue;
      }

      const burstEnd = performance.now() + tuning.burstMs;
      let idle = false;
      const clock = m.clock;
      if (pacing && clock && this.pacingAnchor === null) this.pacingAnchor = { wall: performance.now(), virtual: clock.now() };
      const anchor = pacing && clock ? this.pacingAnchor : null;
      try {
        for (;;) {
          this.feedInput();
          const started = performance.now();
          // Paced: virtual time may run up to the wall-clock time elapsed since the anchor.
          const timeLimit = anchor ? anchor.virtual + (started - anchor.wall) * 1e6 : Infinity;
          // The burst's end bounds the slice too: a guest whose steps turn slow (a storm of traps)
          // must not keep Pause, Reset or input waiting for a slice sized for fast code.
          // A Step line / Next line steps its hart instruction by instruction (./debugger.ts).
          const ran = this.debug.lineStepping ? this.debug.runLineStep(m, this.sliceBudget, burstEnd) : m.run(this.sliceBudget, timeLimit, burstEnd);
          this.observer?.ran();
          const now = performance.now();
          if (ran >= this.sliceBudget || now >= burstEnd) {
            // Steer the slice toward sliceTargetMs, changing by at most 2x per step.
            const took = now - started;
            const factor = took > 0 ? Math.min(2, Math.max(0.5, tuning.sliceTargetMs / took)) : 2;
            this.sliceBudget = Math.min(tuning.maxSlice, Math.max(tuning.minSlice, Math.round(this.sliceBudget * factor)));
          }
          this.countForIps(ran, now);
          writeInstructions(words, m.instructions);
          output.flush();
          // A lesson's register watch: read at its symbol, and run on (no pause for the user).
          if (this.lesson?.takeBreakpoint()) continue;
          if (m.halted) break;
          // A hart is caught in a trap loop or fault spin: pause there (the next turn publishes FAULTED)
          // — unless another CPU of the board still runs: one side's fault never stops the other
          // (issue #14); the faulting CPU goes on as hardware would (or sits out, stuck for good) and
          // the run-state badge and the Problems list say which one faults and why.
          if (m.stoppedAtFault && !othersRunOn(m, m.stoppedAtFault)) {
            reportFaultStop(words);
            // The loop paused the guest itself: a Run that comes before it next reads the words
            // (the page's run after a load, say) is still a Run from a pause, which lets the hart go on.
            this.lastDesired = Desired.PAUSE;
            this.observer?.stoppedAtFault?.();
            break;
          }
          // A hart reached a breakpoint: the debugger asked for a pause; the next turn publishes it.
          if (this.debug.active && this.debug.pauseIfStopped(m)) {
            this.observer?.stoppedAtBreakpoint?.();
            break;
          }
          if (ran === 0) {
            idle = true;
            break;
          }
          if (now >= burstEnd || requests.changed() || output.length >= tuning.outputHighWater) break;
        }
      } catch (error) {
        this.noteCrash(error);
        continue;
      }
      this.publishInfoChanges(m);
      if (idle) {
        // Input that arrived after the slice began may wake the guest: go round again for it.
        if (this.inputWaiting()) continue;
        // Every CPU waits for an interrupt and nothing in the machine will raise one by itself:
        // sleep until the UI rings (input, a button, Run/Pause/Reset, a load). Output the ring
        // had no room for needs the UI to drain first, so come back for it; and a machine that
        // ran nothing without being idle (no hart able to run) is looked at again now and then.
        writeState(words, this.idleState(m));
        writeIps(words, 0);
        if (anchor && clock && m.idle === false) {
          // Paced and waiting for a timer: sleep until its wall-clock moment (or a request).
          const deadline = clock.nextDeadline();
          const due = Number.isFinite(deadline) ? anchor.wall + (deadline - anchor.virtual) / 1e6 - performance.now() : 50;
          await requests.waitForRequest(Math.min(50, Math.max(1, due)));
          continue;
        }
        await requests.waitForRequest(output.length > 0 ? 20 : m.idle === false ? 50 : Infinity);
        continue;
      }
      await tuning.yieldToEventLoop();
    }
  }
}

/** A hart's general registers and pc, named as its debug contract describes them. */
function hartRegisters(path: string, cpu: CpuCore): HartRegisters {
  const { debug } = cpu;
  const general = debug.registers.flatMap((info, index) => (info.group === 'general' ? [{ info, index }] : []));
  return {
    path,
    pc: cpu.pc >>> 0,
    x: general.map(({ index }) => debug.readRegister(index) ?? 0),
    names: general.map(({ info }) => info.name),
    aliases: general.map(({ info }) => [...info.aliases]),
    roles: general.map(({ info }) => info.role ?? null),
    ...floatRegisters(debug),
    ...specialRegisters(debug),
  };
}

/** ELF e_machine of ARM: the Cortex-M cores, whose few special registers (xPSR, the stack pointers, the masks, CONTROL) a debugger shows beside r0–r15. */
const EM_ARM = 40;

/**
 * The 'system' registers of an ARM core. RISC-V's system group is its CSRs — hundreds, read through
 * the CSR views and gdb, not this panel — so only the M-profile's handful go here.
 */
function specialRegisters(debug: CpuCore['debug']): { special: SpecialRegisters } | undefined {
  if (!debug.elfMachines.includes(EM_ARM)) return undefined;
  const system = debug.registers.flatMap((info, index) => (info.group === 'system' ? [{ info, index }] : []));
  if (system.length === 0) return undefined;
  return { special: { names: system.map(({ info }) => info.name), values: system.map(({ index }) => (debug.readRegister(index) ?? 0) >>> 0) } };
}

/** The float registers of a core that has them (group 'float' in its register file). */
function floatRegisters(debug: CpuCore['debug']): { float: FloatRegisters } | undefined {
  const float = debug.registers.flatMap((info, index) => (info.group === 'float' ? [{ info, index }] : []));
  if (float.length === 0) return undefined;
  return {
    float: {
      names: float.map(({ info }) => info.name),
      aliases: float.map(({ info }) => [...info.aliases]),
      bits: float[0].info.bits,
      values: float.map(({ index }) => debug.readRegisterBits(index) ?? 0n),
    },
  };
}

/** Whether a CPU other than `faulting` still runs or waits for an interrupt (so a fault loop of one must not pause the board). */
function othersRunOn(m: RunnableMachine, faulting: string): boolean {
  return (m.hartReports?.() ?? []).some((h) => h.path !== faulting && (h.status === 'running' || h.status === 'waiting-for-interrupt'));
}
