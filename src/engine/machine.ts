// A running board: builds the devices and CPUs of a resolved board, maps their regions into
// address spaces, wires IRQ lines and resets, loads images, and runs the harts in slices against
// a virtual clock. Build errors are MachineErrors with a one-line message naming the object or image.
//
// The machine knows no concrete device or CPU class. CPUs come from the CPU registry and are seen
// through their contracts (./cpu/contract.ts); devices declare what they offer the host
// (DeviceCapabilities in ./devices/device.ts: a serial port, system control, a time base, boot
// information) and the machine wires those.
import { ImageError, ROOT_PATH, addressSpaceView, addressSpaces, boardToDtb, bootRam, cpuAddressSpace, cpuArchitecture, cpuFirmware, imageArchitectureProblem, imageFitProblem, imageOverlapProblem, isA, loadableImage, type PlacedImage, type ResolvedBoard, type ResolvedIrq } from '../graph/index.ts';
import { TimerQueue } from './clock.ts';
import type { ConsoleStream, CpuCore, CpuTrap, ExecutionTier } from './cpu/contract.ts';
import { trapEvent, type TrapListener } from './trap-events.ts';
import { MisalignedAccessWarnings } from './access-warnings.ts';
import { blockBytes, type Device, type IrqLine, type RamBlock } from './devices/device.ts';
import { GuestArena } from './guest-arena.ts';
import type { SerialPort, SystemControlRequest } from './devices/device.ts';
import type { ImageChunk } from './images.ts';
import { AddressSpace } from './memory.ts';
import { MachineActivity, type ActivityTarget } from './activity.ts';
import { loadState, saveState, type SavedState } from './state.ts';
import { faultLine, HartFaultWatch, type GuestFault, type HartReport, type HartStatus } from './guest-status.ts';
import { engineModules, type ModuleRegistry } from './registry.ts';

export class MachineError extends Error {
  constructor(
    message: string,
    readonly path?: string,
    /** What to do about it, when the engine knows better than a generic hint. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'MachineError';
  }
}

export interface MachineOptions {
  /**
   * The host's own backing store for RAM (except memories whose `shared` property is false, which
   * get private ArrayBuffers). A host that passes it takes RAM allocation over: no RAM goes into the
   * guest arena, so the compiling tier reaches it only through slow paths (the event log says so).
   * Without it, RAM comes from the machine's guest arena (see `guestArena`).
   */
  allocateRam?: (bytes: number) => ArrayBufferLike;
  /**
   * The host hands guest memory to another thread (the browser's page reads the arena's
   * SharedArrayBuffer): a memory whose `shared` property is false then stays out of the arena, in
   * an ArrayBuffer only the engine sees. Without it (Node: nothing outside the engine reads the
   * arena) every memory goes into the arena, as `shared` changes nothing anyone can observe there.
   */
  sharesGuestMemory?: boolean;
  /**
   * Makes the machine's guest arena (default GuestArena.create: one shared WebAssembly.Memory of up
   * to 4 GiB; undefined where WebAssembly or SharedArrayBuffer is missing). RAM that cannot go into
   * it gets a buffer of its own, and the event log says which and why. Tests pass a small arena or none.
   */
  guestArena?: () => GuestArena | undefined;
  /** Every byte a UART transmits. */
  onSerialOutput?: (uartPath: string, byte: number) => void;
  /**
   * A CPU's own console output (ARM semihosting), with the host stream QEMU writes it to
   * (SYS_WRITEC/SYS_WRITE0: stderr; SYS_WRITE to ":tt": stdout or stderr). Without it, the output is dropped.
   */
  onConsoleOutput?: (cpuPath: string, bytes: Uint8Array, stream: ConsoleStream) => void;
  /**
   * Virtual time per retired instruction, in nanoseconds, for every CPU whatever its
   * `clock-frequency` (as QEMU's `-icount shift=N` fixes it; the trace comparison uses it). Without
   * it a CPU retires one instruction per cycle of its clock, and one with no clock every 10 ns.
   */
  nsPerInstruction?: number;
  /**
   * Do not run harts that have no firmware (no image names them, none fills their reset vector,
   * no boot ROM hands them one): they would execute whatever memory holds and trap forever. The
   * page holds them (and says so); the CLI does not, so gdb can load code into a bare board.
   */
  holdHartsWithoutFirmware?: boolean;
  /** Every new guest fault report (access faults, trap loops, fault spins), as it is made. */
  onGuestFault?: (fault: GuestFault) => void;
  /**
   * A hart returned from a trap handler (RISC-V mret/sret, an ARM exception return) after access
   * faults were reported for it: the guest handled those faults and carried on.
   */
  onGuestFaultsRecovered?: (cpuPath: string) => void;
  /** Where device factories come from (default: the engine's registry, with the board's modules loaded beforehand). */
  modules?: ModuleRegistry;
  /** Which tier runs the harts' code (default 'jit': hot code compiled to WebAssembly, exactly as the interpreter would run it). */
  tier?: ExecutionTier;
}

export type MachineExit = { kind: 'pass'; code: 0 } | { kind: 'fail'; code: number };

export const SNAPSHOT_FORMAT = 'boardlab-snapshot@1';

export interface MachineSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** Virtual time, ns. */
  time: number;
  retiredBeforeReset: number;
  exit: MachineExit | null;
  devices: Record<string, SavedState>;
  cpus: Record<string, SavedState>;
  /** Contents of every RAM/ROM region, by "<object path>.<region>". */
  memory: Record<string, Uint8Array>;
  /** Virtual time (ns) each CPU is behind the clock, by path (absent: none is; see Hart.owed). */
  owed?: Record<string, number>;
  /** CPUs held in reset by a reset line, by path (absent: none is). */
  inReset?: string[];
  /** The round of virtual time a board with several CPUs was in (absent: between rounds). */
  round?: { start: number; span: number; index: number; turns: number[]; ran: number[]; stopped: boolean[] };
}

/**
 * created → parented → configured → realized → (reset ⇄ running) → unrealized → unparented → destroyed
 */
export type LifecycleState = 'created' | 'parented' | 'configured' | 'realized' | 'reset' | 'running' | 'unrealized' | 'unparented' | 'destroyed';

/** An image ready to (re)load: its bytes placed at addresses of one address space. */
interface PreparedImage {
  file: string;
  space: AddressSpace;
  chunks: ImageChunk[];
  /** Bytes to zero after the chunks (ELF .bss), as [address, length]. */
  zero: Array<[number, number]>;
  cpu: string | undefined;
  entry: number | undefined;
  /** The device tree or boot ROM contents the machine made, not an image of the board. */
  generated?: boolean;
}

/** A round of the interleaved run (Machine.runInterleaved), kept between run() calls until it ends. */
interface Round {
  /** Virtual time at its start (ns) and its length. */
  start: number;
  span: number;
  /** The CPU whose turn it is (index into the machine's harts). */
  index: number;
  /** Each CPU's turn, in its own instructions, and what it ran of it. */
  turns: number[];
  ran: number[];
  /** The CPU stopped before its turn ended (WFI, breakpoint, stop request). */
  stopped: boolean[];
}

interface Hart {
  path: string;
  cpu: CpuCore;
  entry: number | undefined;
  /** Access faults, trap loops and fault spins of this hart (./guest-status.ts). */
  watch: HartFaultWatch;
  /** Misaligned accesses it performed or trapped on, for the event log (./access-warnings.ts). */
  misaligned: MisalignedAccessWarnings;
  /** The image the hart runs, or null (../graph/firmware.ts). */
  firmware: string | null;
  /** Not run: it has no firmware and the host asked to hold such harts. */
  held: boolean;
  /** Held in reset by a reset output wired to it (a reset controller's hold line): not run until released. */
  inReset: boolean;
  /** Virtual time per instruction (ns): one cycle of its clock-frequency. */
  nsPerInstruction: number;
  /**
   * Virtual time (ns) this CPU is behind the clock: a turn covers a whole number of its
   * instructions, so a CPU whose period does not divide the round's span carries the rest into
   * the next round (./docs/time.md). 0 after a reset, and for a CPU that waits for an interrupt.
   */
  owed: number;
}

/**
 * A CPU that cannot leave its fault by itself: locked up (an ARM core: only a reset recovers it),
 * or in a trap loop whose handler runs with interrupts masked. On a board with several CPUs it
 * gets no more turns, as one held in reset, while the others run on in the same virtual time: what
 * it would do (trap at the same address for ever, or nothing at all) touches nothing they can see,
 * and running it would only spend the host's time. A reset of it, or a debugger moving it on
 * (passFaults), gives it turns again.
 */
function stuckForGood(hart: Hart): boolean {
  if (hart.cpu.lockedUp === true) return true;
  const fault = hart.watch.faulting;
  return fault !== null && fault.kind === 'trap-loop' && fault.interruptsMasked === true;
}

const NS_PER_SECOND = 1e9;
/**
 * A CPU's turn is floor((span + owed) / period) instructions: this much slack keeps a span that is
 * an exact multiple of the period (rounding aside) from losing an instruction to floating point.
 */
const TURN_EPSILON = 1e-9;

/** Nanoseconds per tick of the default time base (virtual time at 10 MHz, QEMU virt's timebase). */
const VIRTUAL_TICK_NS = 100;

/** Guest fault reports kept (./guest-status.ts caps each hart's access faults; this caps the rest). */
const GUEST_FAULTS_KEPT = 64;

/** Harts take turns in slices of this many instructions. */
const HART_SLICE = 10_000;
/** A single step of one CPU on a board with several gives up after this many turns of the others (it waits for an interrupt that does not come). */
const STEP_TURNS_MAX = 1000;
/** Longest single run() call, so timers and stop requests are seen in good time. */
const MAX_QUANTUM = 1_000_000;
/**
 * Longest single run() call when the host gave a wall-clock deadline: the deadline is checked
 * between calls, so this bounds the overshoot (a hart trapping at every step still runs this many
 * steps in a few milliseconds).
 */
const DEADLINE_QUANTUM = 65_536;
/** Shortest such call: a guest whose steps are slow (traps, device accesses) gets calls this short at the least. */
const DEADLINE_QUANTUM_MIN = 1024;
/**
 * With a deadline, a round of hart turns should last about this long (ms): a round that takes
 * longer halves the next ones' turns (down to DEADLINE_QUANTUM_MIN), one that takes under a
 * quarter of it doubles them again (up to DEADLINE_QUANTUM). So the clock is read every few
 * milliseconds whatever the guest does, and --timeout holds within a round.
 */
const DEADLINE_ROUND_MS = 8;

/** RAM blocks in the arena start on a wasm page (64 KiB): generated code may rely on it. */
const ARENA_RAM_ALIGN = 65536;

/** Why RAM is not in the guest arena, as the event log says it. */
const OUTSIDE_ARENA = {
  private: 'its shared property is false: private to the engine, out of the memory the page reads',
  host: 'the host supplies its buffers (the allocateRam option)',
  noArena: 'this host has no shared WebAssembly memory (WebAssembly or SharedArrayBuffer missing, or the page is not cross-origin isolated)',
  full: "the guest arena is full (a machine's arena holds at most 4 GiB)",
} as const;

export class Machine {
  readonly clock = new TimerQueue();
  readonly spaces = new Map<string, AddressSpace>();
  readonly devices = new Map<string, Device>();
  /** Life-cycle state of every object, by path. */
  readonly states = new Map<string, LifecycleState>();
  /** Recent engine events worth showing a user (resets, unwired reset requests, guest faults). */
  readonly events: string[] = [];
  /** What the guest did wrong since build or the last reset: access faults, trap loops, fault spins (one each, newest last). */
  readonly guestFaults: GuestFault[] = [];
  private readonly harts: Hart[] = [];
  private readonly images: PreparedImage[] = [];
  private readonly nsPerInstruction: number;
  /** Turn length in runs with a deadline, adapted to how fast the guest's steps are (see DEADLINE_ROUND_MS). */
  private deadlineQuantum = DEADLINE_QUANTUM;
  private exitStatus: MachineExit | null = null;
  private resetRequested = false;
  private breakpointStop: string | null = null;
  private faultStop: string | null = null;
  /** The round of virtual time the CPUs of a board with several are in, while it lasts (see runInterleaved). */
  private round: Round | undefined;
  /** CPUs a debugger holds stopped while it steps another (holdForDebugger). */
  private readonly debugHeld = new Set<string>();
  /** The CPU that ran last (see lastCpuRun). */
  private lastRan: string | undefined;
  /** The running CPU held or released another: its turn ends after this instruction (see driveResetLine). */
  private turnCut = false;
  /** The CPU whose turn it is, while it runs. */
  private turnOf: Hart | undefined;
  private readonly onGuestFault: ((fault: GuestFault) => void) | undefined;
  private readonly modules: ModuleRegistry;
  /** The catalog type of every device, by path: hosts find models by type, not class (the classes load lazily). */
  readonly deviceTypes = new Map<string, string>();
  private retiredBeforeReset = 0;
  private resetWires: ResolvedBoard['resets'] = [];
  private realizedOrder: string[] = [];
  private destroyed = false;
  private running = false;
  /** IRQ wire levels and sampled memory accesses, for the designer's graphs (./activity.ts). */
  private activity = new MachineActivity(0, 0);
  /** Who hears of every trap (addTrapListener); empty: the CPUs' trap observers copy nothing. */
  private trapListeners: readonly TrapListener[] = [];
  /**
   * This machine's guest memory that generated code addresses (./guest-arena.ts): its RAM, the
   * address spaces' code-chunk maps, the harts' register files. Undefined where the host has no
   * shared WebAssembly memory; RAM then lives in buffers of its own.
   */
  readonly arena: GuestArena | undefined;
  /** Objects whose RAM is outside the arena, by why, until the build says so in the event log. */
  private readonly outsideArena = new Map<string, Set<string>>();

  private constructor(options: MachineOptions) {
    this.arena = (options.guestArena ?? GuestArena.create)();
    this.nsPerInstruction = options.nsPerInstruction ?? 10;
    this.onGuestFault = options.onGuestFault;
    this.modules = options.modules ?? engineModules;
  }

  /** Build a machine from a resolved board and its image files (by the file names the board uses). */
  static build(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, options: MachineOptions = {}): Machine {
    const machine = new Machine(options);
    machine.construct(board, images, options);
    machine.reset();
    return machine;
  }

  /** The address space CPUs using `name` see ("system" is shared by every CPU). */
  space(name = 'system'): AddressSpace {
    const space = this.spaces.get(name);
    if (space === undefined) throw new MachineError(`no address space "${name}"`);
    return space;
  }

  /**
   * The life cycle, phase by phase for every object: create, parent, configure (final property
   * values, an engine model for each type), then realize in dependency order. A failing realize
   * unrealizes everything realized so far and reports the object and the reason.
   */
  private construct(board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>, options: MachineOptions): void {
    const byPath = new Map(board.objects.map((o) => [o.path, o]));
    this.activity = new MachineActivity(board.irqs.length, board.memory.length);
    for (const object of board.objects) this.states.set(object.path, 'created');
    for (const object of board.objects) {
      if (object.parent !== null && object.parent !== ROOT_PATH && !byPath.has(object.parent)) {
        throw new MachineError(`${object.path}: parent ${object.parent} does not exist`, object.path);
      }
      this.states.set(object.path, 'parented');
    }
    for (const object of board.objects) {
      if (!object.composite) {
        const model = isA(object.type, 'cpu') ? this.modules.cpuFactory(object.type) : this.modules.deviceFactory(object.type);
        if (model === undefined) throw new MachineError(`${object.path}: no engine model for type "${object.type}": ${this.modules.missingReason(object.type)}`, object.path);
      }
      this.states.set(object.path, 'configured');
    }
    const order = realizeOrder(board);
    const realized: string[] = [];
    try {
      for (const path of order) {
        const object = byPath.get(path)!;
        try {
          this.realize(object, board, options);
        } catch (error) {
          throw new MachineError(`${path}: realize failed: ${error instanceof Error ? error.message : String(error)}`, path);
        }
        realized.push(path);
        this.states.set(path, 'realized');
      }
      this.noteRamOutsideArena();
      this.wireIrqs(board.irqs);
      this.resetWires = board.resets;
      this.wireResetLines();
      for (const image of board.images) this.prepareImage(board, image, images.get(image.file));
      this.checkImageOverlap(board);
      this.prepareBoot(board);
      this.assignFirmware(board, options.holdHartsWithoutFirmware === true);
      this.setTier(options.tier ?? 'jit');
    } catch (error) {
      for (const path of realized.reverse()) this.unrealize(path);
      throw error;
    }
    this.realizedOrder = order;
  }

  private realize(object: ResolvedBoard['objects'][number], board: ResolvedBoard, options: MachineOptions): void {
    if (object.composite) return; // a composite is realized through its components
    if (isA(object.type, 'cpu')) {
      if (this.spaces.size === 0) for (const name of addressSpaces(board)) this.spaces.set(name, this.buildSpace(board, name));
      const spaceName = cpuAddressSpace(object);
      const space = this.space(spaceName);
      const consoleSink = options.onConsoleOutput;
      const cpu = this.modules.cpuFactory(object.type)!({
        path: object.path,
        props: object.props,
        space,
        clock: this.clock,
        requestReset: () => this.resetFrom(object.path, `${object.path}.sysresetreq`),
        console: consoleSink === undefined ? undefined : (bytes, stream) => consoleSink(object.path, bytes, stream),
        exit: (status) => this.finish(object.path, status === 0 ? { kind: 'pass', code: 0 } : { kind: 'fail', code: status }),
        loadedImages: () => this.images.filter((i) => i.space === space).flatMap((i) => [...i.chunks.map((c) => ({ address: c.address, size: c.data.length })), ...i.zero.map(([address, size]) => ({ address, size }))]),
      });
      cpu.setTimeBase(this.timeBase(object));
      const path = object.path;
      const recovered = options.onGuestFaultsRecovered;
      const watch = new HartFaultWatch(path, cpu, board, spaceName, (fault, stop) => this.reportFault(path, fault, stop), (line) => this.note(line), () => recovered?.(path));
      const misaligned = new MisalignedAccessWarnings(path, cpuArchitecture(object.type)?.name, (line) => this.note(line));
      cpu.onTrap = (trap) => {
        watch.onTrap(trap);
        if (trap.kind === 'misaligned') misaligned.trapped(trap);
        if (this.trapListeners.length !== 0) this.tellTrapListeners(path, cpu, trap);
      };
      cpu.onMisalignedAccess = (access, address, size, pc) => misaligned.performed(access, address, size, pc);
      cpu.onTrapReturn = (pc) => watch.onTrapReturn(pc);
      const hz = object.props['clock-frequency'];
      const nsPerInstruction = options.nsPerInstruction ?? (typeof hz === 'number' && hz > 0 ? NS_PER_SECOND / hz : this.nsPerInstruction);
      this.harts.push({ path, cpu, entry: undefined, watch, misaligned, firmware: null, held: false, inReset: false, nsPerInstruction, owed: 0 });
      this.activity.addHart(cpu, space);
      return;
    }
    const allocateRam = (bytes: number): RamBlock => this.allocateRam(object, bytes, options);
    const device = this.modules.deviceFactory(object.type)!({ path: object.path, props: object.props, allocateRam, clock: this.clock });
    const path = object.path;
    this.deviceTypes.set(path, object.type);
    const { serial, systemControl } = device.capabilities ?? {};
    const sink = options.onSerialOutput;
    if (serial !== undefined && sink !== undefined) serial.onTransmit = (byte) => sink(path, byte);
    if (systemControl !== undefined) systemControl.onRequest = (request) => this.finish(path, request);
    this.devices.set(path, device);
  }

  /**
   * Memory for a device's region: a block of the guest arena, 64 KiB aligned (one wasm page:
   * generated code may rely on it), or, where RAM cannot go there, a buffer of its own, noted for
   * the event log with the reason. A memory whose `shared` property is false stays private to the
   * engine when the host shares guest memory with another thread (the page reads only what is
   * shared; it says so for the rest).
   */
  private allocateRam(object: ResolvedBoard['objects'][number], bytes: number, options: MachineOptions): RamBlock {
    const outside = (reason: string, buffer: ArrayBufferLike): RamBlock => {
      const paths = this.outsideArena.get(reason) ?? new Set<string>();
      this.outsideArena.set(reason, paths.add(object.path));
      return { buffer, byteOffset: 0, byteLength: bytes };
    };
    const shared = object.props.shared;
    if (shared === false && (options.sharesGuestMemory === true || options.allocateRam !== undefined)) return outside(OUTSIDE_ARENA.private, new ArrayBuffer(bytes));
    if (options.allocateRam !== undefined) return outside(OUTSIDE_ARENA.host, options.allocateRam(bytes));
    const block = this.arena?.allocate(bytes, ARENA_RAM_ALIGN);
    if (block !== undefined) return block;
    // Outside the arena, memory others read still goes where they can read it, when the host has that.
    const shareable = shared === true || (options.sharesGuestMemory === true && shared !== false);
    const buffer = shareable && typeof SharedArrayBuffer !== 'undefined' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
    return outside(this.arena === undefined ? OUTSIDE_ARENA.noArena : OUTSIDE_ARENA.full, buffer);
  }

  /** Say once, in the event log, which RAM could not go into the arena and why. */
  private noteRamOutsideArena(): void {
    for (const [reason, paths] of this.outsideArena) this.note(`RAM outside the guest arena (compiled code reaches it only through slow paths): ${[...paths].join(', ')}: ${reason}`);
    this.outsideArena.clear();
  }

  /**
   * The time base a CPU's time counter reads: the device its time-base property links to (a CLINT's
   * mtime, as on QEMU virt), or, without a link, virtual time at 10 MHz.
   */
  private timeBase(object: ResolvedBoard['objects'][number]) {
    const link = object.props['time-base'];
    if (typeof link !== 'string') return { ticks: () => Math.floor(this.clock.now() / VIRTUAL_TICK_NS) };
    const timeBase = this.devices.get(link)?.capabilities?.timeBase;
    if (timeBase === undefined) throw new Error(`time-base links to ${link}, which offers no time base`);
    return timeBase;
  }

  private unrealize(path: string): void {
    this.devices.get(path)?.unrealize?.();
    this.devices.delete(path);
    const hart = this.harts.findIndex((h) => h.path === path);
    if (hart >= 0) this.harts.splice(hart, 1);
    this.states.set(path, 'unrealized');
  }

  /** Tear the machine down: unrealize in reverse order, unparent, destroy. The machine cannot run again. */
  destroy(): void {
    if (this.destroyed) return;
    for (const path of [...this.realizedOrder].reverse()) this.unrealize(path);
    for (const path of this.states.keys()) this.states.set(path, 'unparented');
    for (const path of this.states.keys()) this.states.set(path, 'destroyed');
    this.spaces.clear();
    this.images.length = 0;
    this.destroyed = true;
  }

  private buildSpace(board: ResolvedBoard, name: string): AddressSpace {
    const space = new AddressSpace(name, this.arena);
    for (const segment of addressSpaceView(board, name)) {
      const { mapping } = segment;
      const device = this.devices.get(mapping.object);
      const region = device?.regions.get(mapping.region);
      if (region === undefined) throw new MachineError(`${mapping.object}: has no region "${mapping.region}" to map`, mapping.object);
      const label = `${mapping.object}.${mapping.region}${mapping.kind === 'alias' ? ' (alias)' : ''}`;
      // A region's block may be one of many in the arena's buffer: a segment past its end would show a neighbour's bytes.
      if (region.kind === 'ram' && segment.offset + segment.size > region.byteLength) {
        throw new MachineError(`${mapping.object}: ${label} maps [+0x${segment.offset.toString(16)}, +0x${(segment.offset + segment.size).toString(16)}) of a region of 0x${region.byteLength.toString(16)} bytes`, mapping.object);
      }
      try {
        const bus =
          region.kind === 'ram'
            ? space.mapRam(label, segment.base, region.buffer, segment.size, region.readOnly, region.byteOffset + segment.offset)
            : space.mapMmio(label, segment.base, segment.size, region.handler, segment.offset);
        this.activity.addSegment(space, bus, board.memory.indexOf(mapping));
      } catch (error) {
        throw new MachineError(`${mapping.object}: ${error instanceof Error ? error.message : String(error)}`, mapping.object);
      }
    }
    return space;
  }

  private wireIrqs(irqs: ResolvedIrq[]): void {
    const bySource = new Map<string, ResolvedIrq[]>();
    for (const wire of irqs) {
      const key = `${wire.source.object}\u0000${wire.source.port}\u0000${wire.source.index}`;
      bySource.set(key, [...(bySource.get(key) ?? []), wire]);
    }
    const wireIndex = new Map(irqs.map((wire, index) => [wire, index]));
    for (const wires of bySource.values()) {
      const { source } = wires[0];
      const deliveries = wires.map((wire) => this.activity.tapIrq(wireIndex.get(wire)!, this.irqInput(wire)));
      const line: IrqLine = deliveries.length === 1 ? { set: deliveries[0] } : { set: (level) => deliveries.forEach((deliver) => deliver(level)) };
      const device = this.devices.get(source.object);
      if (device?.connectIrqOutput === undefined) throw new MachineError(`${source.object}: its model has no IRQ output "${source.port}"`, source.object);
      device.connectIrqOutput(source.port, source.index, line);
    }
  }

  /** Reset outputs that devices drive as levels (a reset controller's hold lines): asserted holds their targets in reset. */
  private wireResetLines(): void {
    for (const [path, device] of this.devices) {
      if (device.connectResetOutput === undefined) continue;
      const sources = new Set(this.resetWires.filter((w) => w.from.startsWith(`${path}.`)).map((w) => w.from));
      for (const source of sources) {
        const wires = this.resetWires.filter((w) => w.from === source);
        device.connectResetOutput(source.slice(path.length + 1), { set: (asserted) => this.driveResetLine(source, wires, asserted) });
      }
    }
  }

  private driveResetLine(source: string, wires: ResolvedBoard['resets'], asserted: boolean): void {
    let changed = false;
    for (const wire of wires) {
      if (wire.to === 'board') {
        if (asserted) this.resetFrom(source.slice(0, source.lastIndexOf('.')), source);
        continue;
      }
      for (const path of wire.to) {
        const hart = this.harts.find((h) => h.path === path);
        if (hart === undefined) {
          if (asserted) this.devices.get(path)?.reset();
          continue;
        }
        if (hart.inReset === asserted) continue;
        // Reset on both edges: a core released from reset starts from its reset state as memory is
        // now (a Cortex-M core reads the vector table another CPU may have written meanwhile).
        hart.inReset = asserted;
        this.resetHart(hart);
        changed = true;
        if (this.running) this.note(`${path} ${asserted ? 'held in reset' : 'released from reset'} by ${source}`);
      }
    }
    // The CPU that wrote the register ends its turn, so the one it held or released changes course
    // at once (a stop requested of the others would cut their next turn short).
    // (A CPU whose budget ends at that very instruction has consumed the request by returning: the
    // flag says it all the same, so a run sliced one instruction at a time keeps the same rounds.)
    if (changed && this.turnOf !== undefined) {
      this.turnOf.cpu.requestStop();
      this.turnCut = true;
    }
  }

  private irqInput(wire: ResolvedIrq): (level: boolean) => void {
    const { target } = wire;
    const hart = this.harts.find((h) => h.path === target.object);
    if (hart !== undefined) {
      // a port with a count (a Cortex-M core's irq) is asked for by element, "irq[5]"; a single one by its name
      const input = hart.cpu.interruptInput(`${target.port}[${target.index}]`) ?? (target.index === 0 ? hart.cpu.interruptInput(target.port) : undefined);
      if (input === undefined) throw new MachineError(`${target.object}: CPU has no IRQ input "${target.port}[${target.index}]"`, target.object);
      return input;
    }
    const device = this.devices.get(target.object);
    if (device?.setIrqInput === undefined) throw new MachineError(`${target.object}: its model has no IRQ input "${target.port}"`, target.object);
    const setIrqInput = device.setIrqInput.bind(device);
    return (level) => setIrqInput(target.port, target.index, level);
  }

  private prepareImage(board: ResolvedBoard, image: ResolvedBoard['images'][number], bytes: Uint8Array | undefined): void {
    if (bytes === undefined) throw new MachineError(`image ${image.file}: file not provided`, image.cpu);
    const space = this.space(image.space);
    // An image for another architecture: the same words (and hint) as validation's.
    const wrongArchitecture = imageArchitectureProblem(board, image, bytes);
    if (wrongArchitecture !== undefined) throw new MachineError(wrongArchitecture.message, image.cpu, wrongArchitecture.hint);
    let prepared: PreparedImage;
    try {
      const loadable = loadableImage(image, bytes, this.elfMachines(image));
      const reason = imageFitProblem(loadable, addressSpaceView(board, image.space));
      if (reason !== undefined) throw new ImageError(reason);
      prepared = { file: image.file, space, chunks: loadable.chunks, zero: loadable.zero, cpu: image.cpu, entry: loadable.entry };
    } catch (error) {
      if (error instanceof ImageError) throw new MachineError(`image ${image.file}: ${error.message}`, image.cpu);
      throw error;
    }
    this.images.push(prepared);
    // A core that boots from a vector table (Cortex-M) starts where its reset put it, whatever the ELF's entry says.
    const hart = this.harts.find((h) => h.path === image.cpu);
    if (hart !== undefined && prepared.entry !== undefined && hart.cpu.bootsFromVectorTable !== true) hart.entry = prepared.entry;
  }

  /** Images of two CPUs in the same bytes of shared memory: the same error as validation's. */
  private checkImageOverlap(board: ResolvedBoard): void {
    const layouts = board.images.map((image, i) => {
      const prepared = this.images[i];
      const ranges = [...prepared.chunks.map((c) => ({ address: c.address, size: c.data.length })), ...prepared.zero.map(([address, size]) => ({ address, size }))];
      return { image, layout: { ranges, entry: prepared.entry } };
    });
    const overlap = imageOverlapProblem(board, layouts);
    if (overlap !== undefined) throw new MachineError(overlap.message, layouts.find((l) => l.image.pointer === overlap.pointer)?.image.cpu, overlap.hint);
  }

  /** The ELF machines the cores that may run an image accept: its CPU's, or those of every CPU that sees its address space. */
  private elfMachines(image: ResolvedBoard['images'][number]): readonly number[] | undefined {
    const harts = this.harts.filter((h) => (image.cpu !== undefined ? h.path === image.cpu : h.cpu.debug.space.name === image.space || image.space === 'system'));
    return harts.length === 0 ? undefined : [...new Set(harts.flatMap((h) => h.cpu.debug.elfMachines))];
  }

  /**
   * A device that offers boot information (QEMU virt's boot ROM) decides what harts run first: the
   * machine loads the images it makes on every reset, and harts start at their reset vectors.
   */
  private prepareBoot(board: ResolvedBoard): void {
    for (const [path, device] of this.devices) {
      const boot = device.capabilities?.boot;
      if (boot === undefined) continue;
      const ram = bootRam(board);
      const bootImages = boot.bootImages({
        entry: this.images.find((image) => image.entry !== undefined)?.entry,
        ram: ram && { base: ram.base, size: ram.size },
        regionBase: (region) => board.memory.find((m) => m.object === path && m.region === region && m.space === 'system')?.base,
        deviceTree: () => boardToDtb(board),
      });
      if (bootImages.length === 0) continue;
      for (const image of bootImages) {
        this.images.push({ file: image.name, space: this.space(), chunks: [{ address: image.address, data: image.data }], zero: [], cpu: undefined, entry: undefined, generated: true });
      }
      for (const hart of this.harts) hart.entry = undefined; // harts start at their reset vector, in the boot device
      return;
    }
  }

  /** Which image each hart runs (../graph/firmware.ts); with `hold`, harts that have none do not run. */
  private assignFirmware(board: ResolvedBoard, hold: boolean): void {
    const placed: PlacedImage[] = this.images
      .filter((image) => image.generated !== true)
      .map((image) => ({
        file: image.file,
        cpu: image.cpu,
        space: image.space.name,
        entry: image.entry,
        ranges: [...image.chunks.map((c): [number, number] => [c.address, c.address + c.data.length]), ...image.zero.map(([address, length]): [number, number] => [address, address + length])],
      }));
    const firmware = new Map(cpuFirmware(board, placed).map((f) => [f.cpu, f.file]));
    for (const hart of this.harts) {
      hart.firmware = firmware.get(hart.path) ?? null;
      hart.held = hold && hart.firmware === null;
    }
  }

  /** A hart's watch made a report: keep it (a loop replaces the access fault it repeats), log it, and stop the run for a loop. */
  private reportFault(path: string, fault: GuestFault, stop: boolean): void {
    const same = (a: GuestFault) => a.cpu === fault.cpu && a.cause === fault.cause && a.pc === fault.pc && a.address === fault.address;
    const looping = fault.kind === 'trap-loop' || fault.kind === 'fault-spin';
    for (let i = this.guestFaults.length - 1; i >= 0; i--) {
      const old = this.guestFaults[i];
      if (same(old) && (old.kind === fault.kind || looping)) this.guestFaults.splice(i, 1);
    }
    if (this.guestFaults.length < GUEST_FAULTS_KEPT) this.guestFaults.push(fault);
    this.note(faultLine(fault));
    this.onGuestFault?.(fault);
    if (stop) this.faultStop ??= path;
  }

  private loadImages(): void {
    for (const image of this.images) {
      for (const chunk of image.chunks) image.space.writeBytes(chunk.address, chunk.data);
      for (const [address, length] of image.zero) image.space.writeBytes(address, new Uint8Array(length));
    }
  }

  private finish(path: string, event: SystemControlRequest): void {
    if (event.kind === 'reset') {
      this.resetFrom(path, `${path}.system-reset`);
      return;
    }
    this.exitStatus = event;
    for (const hart of this.harts) hart.cpu.requestStop();
  }

  /** An object drove its reset output `source` (a finisher's system-reset, a CPU's sysresetreq): reset what the reset graph wires it to. */
  private resetFrom(path: string, source: string): void {
    const wires = this.resetWires.filter((w) => w.from === source);
    if (wires.length === 0) this.note(`${path} asked for a reset, but its ${source.slice(path.length + 1)} output is not wired`);
    for (const wire of wires) {
      if (wire.to === 'board') this.resetRequested = true;
      else this.resetObjects(wire.to);
    }
    for (const hart of this.harts) hart.cpu.requestStop();
  }

  private setRealizedStates(state: 'reset' | 'running'): void {
    this.running = state === 'running';
    for (const path of this.realizedOrder) this.states.set(path, state);
  }

  /**
   * Calls `listener` with every trap and interrupt any CPU takes from now on (./trap-events.ts),
   * until the returned function is called. A machine without listeners copies nothing.
   */
  addTrapListener(listener: TrapListener): () => void {
    // copy on write: a trap iterates the array it finds, so a listener may remove itself meanwhile
    this.trapListeners = [...this.trapListeners, listener];
    return () => {
      this.trapListeners = this.trapListeners.filter((l) => l !== listener);
    };
  }

  private tellTrapListeners(path: string, cpu: CpuCore, trap: CpuTrap): void {
    const event = trapEvent(path, trap, cpu.retiredNow(), this.clock.now());
    for (const listener of this.trapListeners) listener(event);
  }

  /** How many events have been noted since build (events keeps only the last 100). */
  eventCount = 0;

  /** The tier asked for with setTier (or the option at build). */
  get tier(): ExecutionTier {
    return this.executionTier;
  }

  /**
   * Run every hart's code on `tier` from its next instruction on (the run is exact either way). A
   * hart whose core cannot compile says why in the event log, once; its code stays interpreted.
   */
  setTier(tier: ExecutionTier): void {
    this.executionTier = tier;
    for (const hart of this.harts) {
      const tiers = hart.cpu.tiers;
      if (tiers === undefined) {
        if (tier === 'jit' && !this.tierNoted.has(hart.path)) {
          this.tierNoted.add(hart.path);
          this.note(`${hart.path}: runs on the interpreter: its core (${hart.cpu.target}) has no compiling tier yet`);
        }
        continue;
      }
      if (tiers.onFallback === undefined) {
        const path = hart.path;
        tiers.onFallback = (message) => this.note(`${path}: ${message}`);
      }
      tiers.setTier(tier);
      if (tier === 'jit' && tiers.unavailable !== undefined && !this.tierNoted.has(hart.path)) {
        this.tierNoted.add(hart.path);
        this.note(`${hart.path}: runs on the interpreter: ${tiers.unavailable}`);
      }
    }
  }

  private executionTier: ExecutionTier = 'jit';
  private readonly tierNoted = new Set<string>();

  private note(message: string): void {
    this.eventCount++;
    this.events.push(message);
    if (this.events.length > 100) this.events.shift();
  }

  private resetObjects(paths: string[]): void {
    for (const path of paths) {
      this.devices.get(path)?.reset();
      const hart = this.harts.find((h) => h.path === path);
      if (hart) this.resetHart(hart);
    }
  }

  private resetHart(hart: Hart): void {
    hart.cpu.reset();
    hart.owed = 0;
    hart.watch.reset();
    hart.misaligned.reset();
    if (hart.entry !== undefined) hart.cpu.pc = hart.entry >>> 0;
  }

  /** How the guest stopped the board through the finisher, or null while it has not. */
  get exit(): MachineExit | null {
    return this.exitStatus;
  }

  get halted(): boolean {
    return this.exitStatus !== null;
  }

  /**
   * The hart (path) whose next instruction is at one of its breakpoints (CpuCore.breakpoints), or
   * whose next instruction accesses what one of its watchpoints watches (CpuDebug.watchpointHit), when the last
   * run() stopped there; null when that run stopped for any other reason.
   */
  get stoppedAtBreakpoint(): string | null {
    return this.breakpointStop;
  }

  /** Lets every hart execute the instruction at its pc in the next run(), breakpoint or not (a debugger continuing). */
  passBreakpoints(): void {
    for (const hart of this.harts) hart.cpu.passBreakpointHere();
  }

  /**
   * The hart (path) caught in a trap loop or fault spin when the last run() stopped for it
   * (./guest-status.ts); null when that run stopped for any other reason.
   */
  get stoppedAtFault(): string | null {
    return this.faultStop;
  }

  /** Lets harts caught in a fault loop run on: detection starts over, so a loop that persists stops a run again. */
  passFaults(): void {
    for (const hart of this.harts) hart.watch.rearm();
  }

  /** What every hart is doing now, its firmware and the loop it is caught in, if any. */
  hartReports(): HartReport[] {
    return this.harts.map((hart) => ({ path: hart.path, status: this.hartStatus(hart), pc: hart.cpu.pc >>> 0, firmware: hart.firmware, fault: hart.watch.faulting }));
  }

  private hartStatus(hart: Hart): HartStatus {
    if (this.halted) return 'halted';
    if (hart.held) return 'held';
    if (hart.inReset) return 'in-reset';
    if (hart.cpu.lockedUp === true) return 'locked-up';
    if (hart.watch.faulting !== null) return 'faulting';
    return hart.cpu.waitingForInterrupt ? 'waiting-for-interrupt' : 'running';
  }

  /**
   * Writes the level of every IRQ wire and sampled accesses per memory mapping into `target` from
   * now on (undefined: stop). Slots follow board.irqs and board.memory; see ./activity.ts.
   */
  observeActivity(target: ActivityTarget | undefined): void {
    this.activity.observe(target);
  }

  /** The current IRQ wire slots and mapping counters (a copy). */
  activitySnapshot(): { irqWires: Int32Array; mappingHits: Int32Array } {
    return this.activity.snapshot();
  }

  /** True when every hart waits for an interrupt (or is held, or stuck for good) and no timer is pending: nothing will happen until input arrives. */
  get idle(): boolean {
    return this.harts.every((h) => this.sitsOut(h) || h.cpu.waitingForInterrupt) && this.clock.pending === 0;
  }

  /** Total instructions retired by all harts since build or the last reset. */
  get instructions(): number {
    let total = 0;
    for (const hart of this.harts) total += hart.cpu.instret;
    return total - this.retiredBeforeReset;
  }

  /**
   * Hold these CPUs (paths) out of the rounds until the next call, as CPUs held in reset: a
   * debugger stepping one CPU while another debugger holds its own stopped (../engine/gdb/board.ts).
   * Their virtual time does not carry over: released, they start from the clock as it is then.
   */
  holdForDebugger(paths: Iterable<string>): void {
    this.debugHeld.clear();
    for (const path of paths) this.debugHeld.add(path);
  }

  /** A CPU that gets no turns: held without firmware, in reset, stuck for good, or held by a debugger. */
  private sitsOut(hart: Hart): boolean {
    return hart.held || hart.inReset || stuckForGood(hart) || this.debugHeld.has(hart.path);
  }

  /** The CPU whose turn ran last: after a run(1) that ran an instruction, the CPU that ran it (the tracer's way to tell). */
  get lastCpuRun(): string | undefined {
    return this.lastRan;
  }

  get cpuPaths(): string[] {
    return this.harts.map((h) => h.path);
  }

  /** A hart's core (its execution and debug contracts), for debuggers and tests. */
  cpu(path: string): CpuCore | undefined {
    return this.harts.find((h) => h.path === path)?.cpu;
  }

  /** The serial port of device `path`, or of the board's first device that offers one. */
  serialPort(path?: string): SerialPort | undefined {
    const found = path === undefined ? this.serialPaths[0] : path;
    return found === undefined ? undefined : this.devices.get(found)?.capabilities?.serial;
  }

  /** Paths of the devices that offer a serial port, in board order. */
  get serialPaths(): string[] {
    return [...this.devices].filter(([, device]) => device.capabilities?.serial !== undefined).map(([path]) => path);
  }

  /**
   * Run up to `budget` instructions over all harts; returns how many ran. Stops early when halted
   * or idle, and — for real-time pacing — when virtual time reaches `timeLimit` (ns): then a WFI
   * sleeps only up to the limit instead of jumping to the next timer. A hart that reaches one of
   * its breakpoints stops the run there (see stoppedAtBreakpoint); the next run() starts by
   * executing that instruction, so continuing from a breakpoint works. With a `deadline` (wall
   * clock, performance.now() milliseconds) it also stops soon after that moment, whatever the
   * guest does: harts run in shorter turns and the clock is read between them.
   *
   * A board with several CPUs runs them in rounds of virtual time (docs/time.md): the rounds do
   * not depend on `budget`, `timeLimit` or `deadline` (a run that ends mid-round resumes it), so
   * the same board and images give the same interleaving however the host slices the run.
   */
  run(budget: number, timeLimit = Infinity, deadline = Infinity): number {
    this.breakpointStop = null;
    this.faultStop = null;
    if (this.destroyed) return 0;
    if (!this.running) this.setRealizedStates('running');
    return this.harts.length > 1 ? this.runInterleaved(budget, timeLimit, deadline) : this.runAlone(budget, timeLimit, deadline);
  }

  /**
   * Step one CPU by one instruction (a debugger's single step, the tracer): on a board with several
   * CPUs the others run their turns of the rounds in between, as in a free run, so stepping keeps
   * their timing. Returns the instructions all CPUs ran. Stops early, as run() does, when the
   * board halts or stops at a breakpoint or fault, or when nothing can happen.
   */
  stepCpu(path: string): number {
    const target = this.harts.find((h) => h.path === path);
    if (target === undefined || this.harts.length === 1) return this.run(1);
    const before = target.cpu.retiredNow();
    let executed = 0;
    for (let turns = 0; turns < STEP_TURNS_MAX && target.cpu.retiredNow() === before; turns++) {
      const round = this.round;
      const current = round === undefined ? undefined : this.harts[round.index];
      // another CPU's turn: let it run the rest of it at once
      const budget = round === undefined || current === undefined || current === target ? 1 : Math.max(1, round.turns[round.index] - round.ran[round.index]);
      const ran = this.run(budget);
      executed += ran;
      if (this.halted || this.breakpointStop !== null || this.faultStop !== null || (ran === 0 && this.idle)) break;
    }
    return executed;
  }

  /** One CPU (or none): turns as long as the budget, the next timer and the deadline allow. */
  private runAlone(budget: number, timeLimit: number, deadline: number): number {
    let executed = 0;
    const hart = this.harts[0] as Hart | undefined;
    const ns = hart?.nsPerInstruction ?? this.nsPerInstruction;
    let roundStart = deadline !== Infinity ? performance.now() : 0;
    while (executed < budget && !this.halted && this.breakpointStop === null && this.faultStop === null && this.clock.now() < timeLimit) {
      const untilTimer = Math.ceil((Math.min(this.clock.nextDeadline(), timeLimit) - this.clock.now()) / ns);
      const longestTurn = deadline !== Infinity ? this.deadlineQuantum : MAX_QUANTUM;
      const quantum = Math.max(1, Math.min(budget - executed, untilTimer, longestTurn));
      let ran = 0;
      if (hart !== undefined && !hart.held && !hart.inReset) {
        ran = this.runTurn(hart, quantum, 0);
        if (hart.cpu.stoppedAtBreakpoint || hart.cpu.debug.watchpointHit !== undefined) this.breakpointStop ??= hart.path;
      }
      this.activity.collectBusHits();
      executed += ran;
      if (this.resetRequested) {
        this.reset();
        continue;
      }
      if (ran > 0) this.clock.advanceTo(this.clock.now() + ran * ns);
      else if (hart === undefined || hart.held || hart.inReset || hart.cpu.waitingForInterrupt) {
        // The CPU waits for an interrupt: jump to the next timer (no further than the time limit),
        // or stop if there is none.
        if (this.clock.pending === 0) break;
        this.clock.advanceTo(Math.min(this.clock.nextDeadline(), timeLimit));
      } else break;
      if (deadline !== Infinity) {
        const now = performance.now();
        if (now >= deadline) break;
        this.adaptDeadlineQuantum(now - roundStart, quantum);
        roundStart = now;
      }
    }
    return executed;
  }

  /**
   * Run `hart` for up to `steps` instructions at virtual time clock.now() + `offset` ns (its place
   * in the current round); returns how many it ran.
   */
  private runTurn(hart: Hart, steps: number, offset: number): number {
    const period = hart.nsPerInstruction;
    const retired = hart.cpu.retiredNow();
    this.clock.liveOffset = () => offset + (hart.cpu.retiredNow() - retired) * period;
    this.turnOf = hart;
    this.lastRan = hart.path;
    const ran = hart.cpu.run(steps);
    this.turnOf = undefined;
    this.clock.liveOffset = undefined;
    if (ran > 0) this.activity.sampleFetch(hart.cpu, hart.cpu.pc);
    if (hart.cpu.lockedUp === true) hart.watch.lockedUp();
    if (hart.watch.faulting !== null) hart.watch.settle();
    return ran;
  }

  /**
   * Several CPUs: rounds of virtual time. A round ends at the next multiple of the slice span
   * (HART_SLICE instructions of the fastest CPU) or at the next timer, whichever is first; in it
   * each CPU, in board order, runs the whole instructions of its own clock that fit (what does not
   * fit is owed to it in the next round). Then the clock moves to the round's end.
   */
  private runInterleaved(budget: number, timeLimit: number, deadline: number): number {
    let executed = 0;
    while (!this.halted && this.breakpointStop === null && this.faultStop === null) {
      if (this.round === undefined) {
        if (executed >= budget || this.clock.now() >= timeLimit) break;
        this.round = this.planRound();
      }
      const round = this.round;
      while (round.index < this.harts.length && executed < budget) {
        const i = round.index;
        const hart = this.harts[i];
        const left = round.turns[i] - round.ran[i];
        if (left <= 0 || this.sitsOut(hart)) {
          round.index++;
          continue;
        }
        const steps = Math.min(left, budget - executed);
        this.turnCut = false;
        const ran = this.runTurn(hart, steps, round.ran[i] * hart.nsPerInstruction - hart.owed);
        round.ran[i] += ran;
        executed += ran;
        if (ran < steps || this.turnCut) {
          // It stopped before its turn ended (WFI, a breakpoint, a stop request, lockup): its turn is over.
          round.stopped[i] = true;
          round.index++;
        } else if (round.ran[i] >= round.turns[i]) round.index++;
        if (hart.cpu.stoppedAtBreakpoint || hart.cpu.debug.watchpointHit !== undefined) this.breakpointStop ??= hart.path;
        if (this.breakpointStop !== null || this.faultStop !== null || this.halted || this.resetRequested) break;
      }
      this.activity.collectBusHits();
      if (this.resetRequested) {
        this.reset();
        continue;
      }
      if (round.index < this.harts.length) break; // the budget ran out or something stopped the run: resume the round next time
      this.round = undefined;
      if (!this.finishRound(round, timeLimit)) break;
      if (deadline !== Infinity && performance.now() >= deadline) break;
    }
    return executed;
  }

  /** The next round: from now to the next slice boundary or timer, each CPU's turn in its own instructions. */
  private planRound(): Round {
    const now = this.clock.now();
    const sliceNs = HART_SLICE * this.fastestNs();
    const boundary = (Math.floor(now / sliceNs) + 1) * sliceNs;
    const end = Math.min(boundary, Math.max(this.clock.nextDeadline(), now + this.fastestNs()));
    const span = end - now;
    const turns = this.harts.map((hart) => (this.sitsOut(hart) ? 0 : Math.floor((span + hart.owed) / hart.nsPerInstruction + TURN_EPSILON)));
    return { start: now, span, index: 0, turns, ran: turns.map(() => 0), stopped: turns.map(() => false) };
  }

  /** Move the clock past a finished round and settle what each CPU owes; false when the run should stop (idle or stuck). */
  private finishRound(round: Round, timeLimit: number): boolean {
    const { start, span } = round;
    let reached = start;
    let total = 0;
    for (let i = 0; i < this.harts.length; i++) {
      const hart = this.harts[i];
      total += round.ran[i];
      if (round.ran[i] > 0) reached = Math.max(reached, start - hart.owed + round.ran[i] * hart.nsPerInstruction);
    }
    const waiting = (h: Hart) => this.sitsOut(h) || h.cpu.waitingForInterrupt;
    if (total > 0) {
      // a CPU that ran its whole turn holds the round open to its end
      this.clock.advanceTo(round.turns.some((turn, i) => turn > 0 && !round.stopped[i]) ? Math.max(reached, start + span) : reached);
    } else if (this.harts.every(waiting)) {
      // Every CPU waits for an interrupt: jump to the next timer (no further than the time limit), or stop if there is none.
      if (this.clock.pending === 0) return false;
      this.clock.advanceTo(Math.min(this.clock.nextDeadline(), timeLimit));
    } else if (this.harts.some((h, i) => !waiting(h) && round.turns[i] === 0)) this.clock.advanceTo(start + span);
    else return false;
    const now = this.clock.now();
    this.harts.forEach((hart, i) => {
      const ranWholeTurn = round.turns[i] > 0 && !round.stopped[i];
      const lagging = round.turns[i] === 0 && !waiting(hart);
      hart.owed = ranWholeTurn || lagging ? Math.max(0, now - (start - hart.owed + round.ran[i] * hart.nsPerInstruction)) : 0;
    });
    return true;
  }

  /** Virtual time per instruction of the fastest CPU (ns): rounds are counted in its instructions. */
  private fastestNs(): number {
    let fastest = Infinity;
    for (const hart of this.harts) fastest = Math.min(fastest, hart.nsPerInstruction);
    return fastest === Infinity ? this.nsPerInstruction : fastest;
  }

  /** After a round of `quantum`-step turns that took `ms`: shorten or lengthen the next ones (see DEADLINE_ROUND_MS). */
  private adaptDeadlineQuantum(ms: number, quantum: number): void {
    if (quantum < this.deadlineQuantum) return; // a short round (a timer was due): it says nothing of the guest's speed
    if (ms > DEADLINE_ROUND_MS) this.deadlineQuantum = Math.max(DEADLINE_QUANTUM_MIN, this.deadlineQuantum >> 1);
    else if (ms < DEADLINE_ROUND_MS / 4) this.deadlineQuantum = Math.min(DEADLINE_QUANTUM, this.deadlineQuantum * 2);
  }

  /**
   * A snapshot of the whole machine: virtual time, every device's and hart's state (through their
   * versioned state descriptors) and the contents of every memory. Restoring it into a machine
   * built from the same board continues the run exactly (DESIGN.md principle 9).
   */
  snapshot(): MachineSnapshot {
    const devices: Record<string, SavedState> = {};
    const memory: Record<string, Uint8Array> = {};
    for (const [path, device] of this.devices) {
      devices[path] = saveState(device);
      for (const [name, region] of device.regions) if (region.kind === 'ram') memory[`${path}.${name}`] = blockBytes(region).slice();
    }
    const cpus: Record<string, SavedState> = {};
    const owed: Record<string, number> = {};
    for (const hart of this.harts) {
      cpus[hart.path] = saveState(hart.cpu);
      if (hart.owed !== 0) owed[hart.path] = hart.owed;
    }
    return {
      format: SNAPSHOT_FORMAT,
      time: this.clock.now(),
      retiredBeforeReset: this.retiredBeforeReset,
      exit: this.exitStatus,
      devices,
      cpus,
      memory,
      owed,
      inReset: this.harts.filter((h) => h.inReset).map((h) => h.path),
      round: this.round && structuredClone(this.round),
    };
  }

  /** Restore a snapshot taken from a machine of the same board. Throws StateError/MachineError naming what does not fit. */
  restore(snapshot: MachineSnapshot): void {
    if (snapshot.format !== SNAPSHOT_FORMAT) throw new MachineError(`not a ${SNAPSHOT_FORMAT} snapshot (format ${String(snapshot.format)})`);
    const missing = [...this.devices.keys(), ...this.harts.map((h) => h.path)].find((path) => !(path in snapshot.devices) && !(path in snapshot.cpus));
    if (missing !== undefined) throw new MachineError(`the snapshot has no state for ${missing}: it was taken from another board`, missing);
    // Every memory is checked before any is written: a snapshot that does not fit changes nothing.
    const memories: Array<[RamBlock, Uint8Array]> = [];
    for (const [path, device] of this.devices) {
      for (const [name, region] of device.regions) {
        if (region.kind !== 'ram') continue;
        const saved = snapshot.memory[`${path}.${name}`];
        if (saved === undefined) throw new MachineError(`the snapshot has no memory for ${path}.${name}: it was taken from another board`, path);
        if (saved.length !== region.byteLength) throw new MachineError(`the snapshot's memory for ${path}.${name} is ${saved.length} bytes, this board's is ${region.byteLength}: it was taken from another board`, path);
        memories.push([region, saved]);
      }
    }
    this.clock.restore(snapshot.time);
    for (const [region, saved] of memories) blockBytes(region).set(saved);
    // Devices that derive state from their inputs last (interrupt controllers): sources re-drive
    // their lines in postLoad, and the controller's own saved pending bits must have the final word.
    const last = (device: Device) => device.capabilities?.restoreAfterSources === true;
    const devices = [...this.devices];
    for (const [path, device] of [...devices.filter(([, d]) => !last(d)), ...devices.filter(([, d]) => last(d))]) loadState(device, snapshot.devices[path]);
    for (const hart of this.harts) {
      loadState(hart.cpu, snapshot.cpus[hart.path]);
      hart.cpu.cancelStop(); // one the finisher asked of every CPU as the run ended, say
      hart.owed = snapshot.owed?.[hart.path] ?? 0;
      hart.inReset = snapshot.inReset?.includes(hart.path) ?? false;
      hart.cpu.invalidateDecodeCache();
      hart.watch.reset();
    }
    this.guestFaults.length = 0;
    const round = snapshot.round;
    this.round = round !== undefined && round.turns.length === this.harts.length ? structuredClone(round) : undefined;
    this.retiredBeforeReset = snapshot.retiredBeforeReset;
    this.exitStatus = snapshot.exit;
    this.resetRequested = false;
  }

  /** System reset: clock, devices to their reset state, images reloaded, harts to their entry points. */
  reset(): void {
    if (this.destroyed) throw new MachineError('the machine has been destroyed');
    this.setRealizedStates('reset');
    this.resetRequested = false;
    this.exitStatus = null;
    this.faultStop = null;
    this.round = undefined;
    this.guestFaults.length = 0;
    this.clock.reset();
    for (const device of this.devices.values()) device.reset();
    this.loadImages();
    for (const hart of this.harts) this.resetHart(hart);
    this.retiredBeforeReset = this.harts.reduce((sum, h) => sum + h.cpu.instret, 0);
  }
}

/** Order in which objects are realized: link targets before the objects that link to them,
 * devices before CPUs (CPUs need the finished address spaces), components before composites. */
export function realizeOrder(board: ResolvedBoard): string[] {
  const byPath = new Map(board.objects.map((o) => [o.path, o]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (path: string, chain: string[]) => {
    const mark = state.get(path);
    if (mark === 'done') return;
    if (mark === 'visiting') throw new MachineError(`link cycle: ${[...chain, path].join(' → ')}`, path);
    state.set(path, 'visiting');
    const object = byPath.get(path)!;
    for (const value of Object.values(object.props)) {
      if (typeof value === 'string' && value !== path && byPath.has(value)) visit(value, [...chain, path]);
    }
    for (const child of board.objects) if (child.parent === path && object.composite) visit(child.path, [...chain, path]);
    state.set(path, 'done');
    order.push(path);
  };
  const isCpu = (path: string) => isA(byPath.get(path)!.type, 'cpu');
  for (const object of board.objects) if (!isCpu(object.path)) visit(object.path, []);
  for (const object of board.objects) if (isCpu(object.path)) visit(object.path, []);
  return order;
}

/** Image file names a board needs, in document order, without duplicates. */
export function imageFiles(board: ResolvedBoard): string[] {
  return [...new Set(board.images.map((image) => image.file))];
}
