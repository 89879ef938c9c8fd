// The contracts every execution core implements (QEMU's CPUClass hooks, as data and methods): the
// execution contract the machine runs a core through, and the debug contract the GDB stub, the
// worker's debugger, the tracer, QMP and the register panel see it through. Nothing outside a
// core's own folder (src/engine/cpu/<arch>/) knows its class, its registers or its cause numbers.
// docs/engine-contracts.md says what each member means and how to add a core.
import type { VirtualClock } from '../devices/device.ts';
import type { AddressSpace } from '../memory.ts';
import type { Stateful } from '../state.ts';

/** What made a core take a trap, without the architecture's cause numbers. */
export type TrapKind = 'interrupt' | 'access-fault' | 'page-fault' | 'misaligned' | 'illegal-instruction' | 'breakpoint' | 'environment-call' | 'other';

/** The kind of access an access fault, page fault or misaligned fault came from. */
export type TrapAccess = 'fetch' | 'load' | 'store';

/**
 * A trap the core took, as it reports it to its observer. The core reuses one object for every
 * trap (no allocation per trap): read it inside the callback, copy what you keep.
 */
export interface CpuTrap {
  kind: TrapKind;
  /** For access faults, page faults and misaligned accesses; undefined otherwise. */
  access: TrapAccess | undefined;
  /** The architecture's cause code (RISC-V: mcause): reports show it and compare traps by it. */
  cause: number;
  /** "load access fault", "illegal instruction", "machine timer interrupt". */
  causeName: string;
  /** The pc of the trapping (or interrupted) instruction, u32. */
  pc: number;
  /**
   * The trap's value (RISC-V: mtval), u32: the address an access fault, page fault or misaligned
   * access went to; an illegal instruction's bits; 0 when the architecture gives none.
   */
  value: number;
  /** The address in `value` is virtual (the core translated it), not a physical address of the board. */
  virtualAddress: boolean;
  /** Where the handler starts: the core's pc when the observer runs. */
  handler: number;
  /** The register the handler's address came from ("mtvec"), for messages. */
  vector: string;
  /** The register that holds the return address ("mepc"), for hints. */
  returnRegister: string;
  /** The handler runs where no interrupt can break in (RISC-V M-mode): a loop there ends only by a debugger or a reset. */
  interruptsMasked: boolean;
  /**
   * For an access fault the core raised itself, before the access reached the board (ARM: an
   * unprivileged access to the System Control Space), why — reports say this instead of what the
   * board has at the address. Undefined when the board's bus refused the access.
   */
  coreRefusal?: string;
}

/** A time base a core reads its time counter from (RISC-V: the time CSR), in ticks. */
export interface TimeBase {
  /** The current tick count (a 64-bit counter as a JS number). */
  ticks(): number;
}

/** Drives one interrupt input of a core (level semantics). */
export type InterruptInput = (level: boolean) => void;

/** The execution contract: what the machine needs to run a core. */
export interface CpuCore extends Stateful {
  /** Current program counter (u32). A debugger may set it between runs. */
  pc: number;
  /** Instructions retired since reset (exact between runs). */
  readonly instret: number;
  /** Instructions retired since reset, exact also while run() executes (for virtual time from a device callback). */
  retiredNow(): number;
  /**
   * Execute up to `budget` instructions; returns how many it executed (trapping ones included).
   * Returns early when asked to stop (requestStop), at a breakpoint, or when the core waits for an
   * interrupt. A guest fault is a trap of the core, never an exception out of run().
   */
  run(budget: number): number;
  /** Back to the reset state (pc at the reset vector, counters zero). */
  reset(): void;
  /**
   * Take a pending interrupt now, at this instruction boundary, as the core would before its next
   * instruction; whether it took one. For the tracer, whose steps must show the state at the
   * handler's first instruction as QEMU's log does. Absent: the core takes it inside its next run().
   */
  takePendingInterrupt?(): boolean;
  /** End the current run() at the next block boundary (a device callback asks the machine to stop). */
  requestStop(): void;
  /**
   * Forget a stop requested but not yet taken (a run() that ended on its budget leaves it for the
   * next): the machine restoring a snapshot clears it, so the restored run goes as the saved one.
   */
  cancelStop(): void;
  /** Asleep until an interrupt arrives (RISC-V: WFI). */
  readonly waitingForInterrupt: boolean;
  /**
   * Stopped until a reset: the core met a fault it cannot take (ARM lockup: a fault in HardFault or
   * NMI). run() returns 0; describe() says where ("locked up at 0x…"). Absent on cores that cannot.
   */
  readonly lockedUp?: boolean;
  /**
   * Reset takes the pc (and stack pointer) from a vector table in guest memory (ARM M-profile: SP
   * and PC at VTOR): the machine leaves the pc as reset() set it and ignores an image's entry
   * point, as QEMU's M-profile boards do. Absent or false: the core starts at its image's entry.
   */
  readonly bootsFromVectorTable?: boolean;
  /**
   * The interrupt input named `port` (the catalog's IRQ input names: msip, mtip, meip, seip for a
   * RISC-V hart), or undefined when the core has none by that name. The machine resolves each wire once.
   */
  interruptInput(port: string): InterruptInput | undefined;
  /**
   * Breakpoints: virtual addresses before which run() stops (also when a run starts there), except
   * to continue from one: after a run stopped at one, or after passBreakpointHere(), the next run
   * executes the instruction at pc.
   */
  readonly breakpoints: Set<number>;
  /** Let the next run() execute the instruction at pc even if a breakpoint is there. */
  passBreakpointHere(): void;
  /** The last run() returned because the next instruction (at pc) is at a breakpoint. */
  readonly stoppedAtBreakpoint: boolean;
  /** Where the time counter comes from (the machine sets it from the board's time-base link). */
  setTimeBase(timeBase: TimeBase): void;
  /** Observer of every trap taken (see CpuTrap); the core's pc is the handler's address when it runs. */
  onTrap?: (trap: CpuTrap) => void;
  /** Observer of every return from a trap handler (RISC-V: mret, sret), with the pc it returned to. */
  onTrapReturn?: (pc: number) => void;
  /**
   * Observer of data accesses the core performs although they are misaligned (RISC-V loads and
   * stores; ARMv7-M LDR/STR/LDRH/STRH while CCR.UNALIGN_TRP is clear), which hardware does slowly
   * or emulates in a trap handler: the access's kind, address (virtual) and size, and the pc of the
   * instruction. Called from the core's slow path only (a misaligned access never takes the fast
   * one), so it costs nothing when unset. A misaligned access that traps is an onTrap of kind 'misaligned'.
   */
  onMisalignedAccess?: (access: 'load' | 'store', address: number, size: number, pc: number) => void;
  /** Forget decoded code (after a snapshot restore, or code written behind the address space's back). */
  invalidateDecodeCache(): void;
  /** Stop listening to the address space (the core is thrown away while its board lives on). */
  dispose(): void;
  /** The architecture as QEMU names its target ("riscv32"), for query-cpus-fast. */
  readonly target: string;
  /**
   * The core's id within its cluster (RISC-V: the hart id), for query-cpus-fast's props.core-id.
   * Absent where QEMU reports no CPU topology (ARM M-profile: query-cpus-fast has no props).
   */
  readonly coreId?: number;
  /** The debug contract of this core. */
  readonly debug: CpuDebug;
  /**
   * The compiling tier (../jit/): which tier runs this core's code, switchable between runs.
   * Absent on cores with only the interpreter. Both tiers retire exactly the same instructions.
   */
  readonly tiers?: TierControl;
}

/** 'interp': every instruction through the interpreter; 'jit': hot code compiled to WebAssembly, the rest interpreted. */
export type ExecutionTier = 'interp' | 'jit';

/** What the compiling tier did so far (for the bench, the run panel and the event log). */
export interface JitStats {
  /** Code units (pages) compiled, and compiled units dropped (invalidated by stores or evicted). */
  compiled: number;
  dropped: number;
  /** Milliseconds spent generating and compiling WebAssembly. */
  compileMs: number;
  /** Bytes of WebAssembly generated, and bytes of it live in the cache now. */
  codeBytes: number;
  cachedBytes: number;
  /** Instructions retired by compiled code (the rest ran in the interpreter). */
  compiledInstructions: number;
}

export interface TierControl {
  /** The tier asked for (the core may still interpret code the tier cannot compile). */
  readonly tier: ExecutionTier;
  setTier(tier: ExecutionTier): void;
  /**
   * Why the compiling tier cannot run on this core at all (no WebAssembly, RAM outside the guest
   * arena), or undefined when it can. Set once; the machine reports it in the event log.
   */
  readonly unavailable: string | undefined;
  stats(): JitStats;
  /** Called once per problem that made code fall back to the interpreter (a compile error, a unit that cannot be compiled): the machine puts it in the event log. */
  onFallback?: (message: string) => void;
}

/** What a register holds, for tools that treat some registers specially (zero: hard-wired to zero; status: the program status word the tracer compares, ARM's xPSR). */
export type RegisterRole = 'pc' | 'stack-pointer' | 'return-address' | 'pointer' | 'zero' | 'status';

/** One register of a core's register file, described as data. */
export interface RegisterInfo {
  /** The name debuggers and the register panel show ("sp", "pc", "mstatus", "priv"). */
  readonly name: string;
  /** Other names a user may type ("x2"; "fp" for s0). */
  readonly aliases: readonly string[];
  readonly bits: number;
  /** general: the integer registers (the register panel shows them, the tracer compares them); float: the floating-point registers (shown and compared too; RISC-V with D: 64 bits); pc; system: control registers; virtual: state that is no register in hardware. */
  readonly group: 'general' | 'float' | 'pc' | 'system' | 'virtual';
  readonly role?: RegisterRole;
  /** gdb's register number (p/P packets). */
  readonly regnum: number;
}

/** Reads guest code for the disassembler: `length` bytes at virtual `address`, or undefined when they are not readable. */
export type CodeReader = (address: number, length: number) => Uint8Array | undefined;

/** One instruction as a disassembler shows it. */
export interface DisassembledLine {
  /** Bytes the instruction takes. */
  length: number;
  /** Its encoding as objdump shows it ("00001197", "42a1"). */
  bytes: string;
  /** objdump's text, with symbols ("jal\tra,80000100 <main>"). */
  text: string;
}

/** A sequential listing: carries what one instruction tells about the next (lui/auipc values). */
export interface Disassembly {
  /** The instruction at `address`, or undefined when its bytes are not readable. */
  next(read: CodeReader, address: number): DisassembledLine | undefined;
}

export interface DisassemblyOptions {
  /** A symbol's value (the global pointer's symbol, say), for address comments. */
  symbolValue?: (name: string) => number | undefined;
  /** The symbol objdump prints for `address` in an instruction at `from` (`name` or `name+0x10`). */
  symbolize?: (address: number, from: number) => string | undefined;
}

/** Which data accesses a debugger watchpoint stops after: stores (gdb's watch), loads (rwatch) or both (awatch). */
export type WatchpointKind = 'write' | 'read' | 'access';

/** The watchpoint a run stopped at. */
export interface WatchpointHit {
  kind: WatchpointKind;
  /** The watchpoint's first address (as it was set), u32. */
  address: number;
  /** Where the access that hit it started (virtual), u32. */
  accessAddress: number;
}

/** The debug contract: what debuggers, the tracer and the register panel need of a core. */
export interface CpuDebug {
  /** The register file: RegisterInfo by index (readRegister/writeRegister take these indices). */
  readonly registers: readonly RegisterInfo[];
  /** Index of the pc in `registers`. */
  readonly pcIndex: number;
  /** The registers gdb's g/G packets carry, in order (indices into `registers`). */
  readonly gPacketRegisters: readonly number[];
  /** gdb's target description (target.xml) for this core. */
  targetXml(): string;
  /** A register's value (u32), or undefined when the core does not have it. No side effects. */
  readRegister(index: number): number | undefined;
  /** Write a register as a debugger would; false when it does not exist or is read-only. */
  writeRegister(index: number, value: number): boolean;
  /** Any register of any width (a 64-bit float register too), unsigned, or undefined when the core does not have it. No side effects. */
  readRegisterBits(index: number): bigint | undefined;
  /** Write any register of any width (the value's low `bits` bits) as a debugger would; false when it does not exist or is read-only. */
  writeRegisterBits(index: number, value: bigint): boolean;
  /** The physical address a debugger access to `va` reaches (no side effects: no A/D bits, no TLB), or undefined when unmapped. */
  translate(va: number): number | undefined;
  /** The address space the core fetches from and loads from. */
  readonly space: AddressSpace;
  /**
   * A word of the core's own memory-mapped system registers (ARM: the System Control Space at
   * 0xE000E000 + offset: SCB, SysTick) as a debugger sees it, without side effects (SysTick's
   * COUNTFLAG stays set); undefined where there is none. Absent on cores without such registers
   * (RISC-V: its CSRs are in `registers`). The page's register view reads ICSR, CFSR… through it.
   */
  peekSystemRegister?(offset: number): number | undefined;
  /** Instructions start at multiples of this many bytes (RISC-V with C: 2). */
  readonly instructionAlignment: number;
  /** Bytes the instruction at `address` takes, or undefined when unreadable. */
  instructionLength(read: CodeReader, address: number): number | undefined;
  /** Start a disassembly listing. */
  disassembly(options?: DisassemblyOptions): Disassembly;
  /** When the instruction at `address` is a call (it links a return address as the ABI's calls do): the address it returns to; otherwise undefined. */
  callReturnAddress(read: CodeReader, address: number): number | undefined;
  /** ELF e_machine values of images this core runs. */
  readonly elfMachines: readonly number[];
  /** A word for the core's state in a thread list: "hart 0", "hart 1 (wfi)". */
  describe(): string;
  /**
   * Debugger watchpoints (the guest cannot see them): run() stops before an instruction whose data
   * access of `kind` overlaps [address, address + length) (virtual addresses, as the core accesses
   * memory), with pc at it, as QEMU stops for gdb; the next run() executes it, as after a
   * breakpoint (CpuCore.breakpoints). Setting one twice is a no-op.
   */
  setWatchpoint(kind: WatchpointKind, address: number, length: number): void;
  /** Remove the watchpoint set with the same arguments; false when there is none. */
  removeWatchpoint(kind: WatchpointKind, address: number, length: number): boolean;
  /** The watchpoint the last run() stopped at, or undefined when it stopped for any other reason. */
  readonly watchpointHit: WatchpointHit | undefined;
}

/** A host output stream for guest console output: the CLI's stdout or stderr (the page's terminal shows both). */
export type ConsoleStream = 'stdout' | 'stderr';

/** What a core factory gets: the object's path and resolved props, the address space it sees. */
export interface CpuContext {
  readonly path: string;
  readonly props: Readonly<Record<string, number | string | boolean | null>>;
  readonly space: AddressSpace;
  /** The machine's virtual clock, for timers inside a core (an ARM core's SysTick); absent when the core runs without a machine. */
  readonly clock?: VirtualClock;
  /** The core asks for a system reset (ARM AIRCR.SYSRESETREQ): the machine follows the CPU's `sysresetreq` reset output in the board's reset graph. */
  readonly requestReset?: () => void;
  /**
   * Guest console output that is not a device's (ARM semihosting), with the host stream it is for:
   * SYS_WRITEC/SYS_WRITE0 write to stderr and SYS_WRITE to a ":tt" handle opened for writing to
   * stdout, as QEMU 7.2 does. The machine passes it on (MachineOptions.onConsoleOutput).
   */
  readonly console?: (bytes: Uint8Array, stream: ConsoleStream) => void;
  /** The guest ends the run with an exit status (ARM semihosting SYS_EXIT): 0 passes, anything else fails with that code. */
  readonly exit?: (status: number) => void;
  /**
   * Where the board's images put bytes in this CPU's address space (ELF segments with their memory
   * size): ARM semihosting's SYS_HEAPINFO offers the free RAM around them, as QEMU's loader does.
   */
  readonly loadedImages?: () => ReadonlyArray<{ address: number; size: number }>;
}

/** Builds a core for one CPU object. Throws an Error naming the object when its props ask for what the core cannot do. */
export type CpuFactory = (context: CpuContext) => CpuCore;
