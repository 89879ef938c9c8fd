// The Cortex-M core: an ARMv7-M (Cortex-M3) or ARMv6-M (Cortex-M0/M0+) Thumb interpreter with the
// M-profile exception model (ARMv7-M ARM chapter B1).
//
// - Code is decoded once (./decode.ts) and packed into slots (./slots.ts: per 4 KiB page one
//   Int32Array, four int32s per halfword) that run() reads by slot index; the Insn objects are kept
//   beside them for execute(). A store into a page holding decoded code (the address space's RAM
//   write observers) drops that page. Code outside RAM and ROM is decoded afresh each time it runs.
// - run() is one switch that implements each instruction once; pc, IT state, N/Z/C/V and the
//   retired count live in locals within a block of instructions that cannot fault or leave the
//   core, and are committed before anything that can (see run()). The commonest forms of a few ops
//   (MOV, CMP, ADD/SUB, shifts by a constant, AND/EOR/ORR/BIC of a shifted register: slots.ts's SlotOp;
//   word and byte loads and stores: decode.ts's Op.LDR_IMM...)
//   have cases of their own with fewer checks.
// - Registers live in an Int32Array (r[13] is the active stack pointer; the other one is banked in a
//   field); N, Z, C, V, Q are separate 0/1 fields outside run(), the rest of the core reads those.
// - Faults never throw: the path that meets one takes the exception (stacking, vector fetch: the core
//   is at the handler), marks the instruction as not retired and run()'s loop goes on from the new
//   pc. Faults in HardFault or NMI lock the core up (a state, never an engine error).
// - The System Control Space (NVIC, SCB, SysTick: ./scs.ts) is reached through the
//   ExceptionController interface from the core's own accesses to 0xE000E000-0xE000EFFF (the
//   private peripheral bus), never through the board's address space.
// - The guest-visible state is described by CORTEX_M_STATE; the SCS saves its own.
import type { CpuCore, CpuDebug, CpuTrap, InterruptInput, TimeBase, TrapAccess, TrapKind } from '../contract.ts';
import { type AddressSpace, CODE_CHUNK_SHIFT } from '../../memory.ts';
import { defineState, type FieldSpec, type SavedValue, type StateDescriptor, StateError, type Stateful } from '../../state.ts';
import { AddrMode, decode, type Insn, isThumb32, Op, Shift } from './decode.ts';
import { CONDITION_TABLE, NOT_DECODED_WORD, packInsn, PAGE_END_WORD, SLOT_WORDS } from './slots.ts';
import {
  CCR_DIV_0_TRP, CCR_NONBASETHRDENA, EXC_RETURN_HANDLER, EXC_RETURN_THREAD_MSP, EXC_RETURN_THREAD_PSP, CCR_STKALIGN, CCR_UNALIGN_TRP, CONTROL_NPRIV, CONTROL_SPSEL, Exception, exceptionName, FaultBit, PRIORITY_THREAD, SysReg,
  XPSR_FRAME_ALIGN, XPSR_IPSR_MASK, XPSR_T,
} from './exceptions.ts';
import { ArmDebug } from './debug.ts';
import { type CompiledUnit, JitTier } from '../../jit/code-cache.ts';
import { CTX_BYTES, CTX_NEXT_PC, CTX_STATUS, DEFAULT_JIT_THRESHOLD, STATUS_ATTENTION, STATUS_OK, STATUS_TRAPPED } from '../../jit/exit-protocol.ts';
import { THUMB_CTX, translateThumbPage } from '../../jit/thumb-translator.ts';
import type { SystemControlSpace } from './scs.ts';

/**
 * What the core needs of the System Control Space: the members of ./scs.ts's SystemControlSpace
 * (common13's fixed interface, plus unprivilegedAccessAllowed) the core calls.
 */
export type ExceptionController = Pick<
  SystemControlSpace,
  | 'stateDescriptor' | 'read' | 'write' | 'reset' | 'setIrqLevel' | 'setNmi' | 'pendingException' | 'priority' | 'groupPriority' | 'activate' | 'deactivate'
  | 'isActive' | 'activeCount' | 'vtor' | 'ccr' | 'sleepOnExit' | 'sevOnPend' | 'recordFault' | 'faultEnabled' | 'unprivilegedAccessAllowed'
  | 'validateState' | 'postLoad'
>;

export type ArmProfile = 'v7m' | 'v6m';

export interface CortexMOptions {
  /** The catalog type ("cortex-m3"): describe() and messages name it. */
  model: string;
  profile: ArmProfile;
  /** External interrupt lines (irq[0]..irq[numIrq - 1]). */
  numIrq: number;
  /** Implemented priority bits (BASEPRI keeps only these). */
  priorityBits: number;
  /** The M3 bit-band aliases at 0x22000000 and 0x42000000. */
  bitband: boolean;
  /** Where the vector table is at reset (the CPU's reset-vector prop, VTOR's reset value as QEMU's init-svtor); default 0. */
  resetVectorTable?: number;
  /** `bkpt 0xab` calls this (r0: operation, r1: parameter; the result goes to r0) instead of being a debug event. */
  semihosting?: (operation: number, parameter: number) => number;
  /** Reset calls this: semihosting's own state (open handles, errno) starts afresh with the guest. */
  semihostingReset?: () => void;
  /** Entries into a page of code before the compiling tier translates it (default DEFAULT_JIT_THRESHOLD). */
  jitThreshold?: number;
  /** Bytes of generated WebAssembly the compiling tier keeps before it drops the pages compiled longest ago (default: ../../jit/code-cache.ts). */
  jitCacheBytes?: number;
}

/**
 * The core's guest-visible state (DESIGN.md principle 9): registers, both stack pointers, the
 * special registers, the flags, the IT state, the event register, the exclusive monitor, sleep and
 * lockup. Not saved: interrupt line levels driven from outside (the devices re-drive them),
 * configuration and decoded code (postLoad drops it). The core's descriptor (cortexMState) adds the
 * SCS's own fields under "scs.", so one snapshot entry holds the core with its NVIC, SCB and SysTick.
 */
const CORE_FIELDS: readonly FieldSpec[] = [
  { name: 'r', type: 'i32[]', doc: 'r0..r15 (r13: the active stack pointer; r15: unused, see pc)' },
  { name: 'pc', type: 'u32' },
  { name: 'otherSp', type: 'u32', doc: 'the banked stack pointer that is not active (PSP in handler mode or with SPSEL 0, else MSP)' },
  { name: 'flagN', type: 'u8', mask: 1 },
  { name: 'flagZ', type: 'u8', mask: 1 },
  { name: 'flagC', type: 'u8', mask: 1 },
  { name: 'flagV', type: 'u8', mask: 1 },
  { name: 'flagQ', type: 'u8', mask: 1 },
  { name: 'thumb', type: 'u8', mask: 1, doc: 'EPSR.T (0: the next instruction takes an INVSTATE UsageFault)' },
  { name: 'itState', type: 'u8', doc: 'EPSR IT bits (firstcond << 4 | mask, advancing)' },
  { name: 'ipsr', type: 'u16', mask: 0x1ff, doc: 'the exception number being handled (0: thread mode)' },
  { name: 'primask', type: 'u8', mask: 1 },
  { name: 'faultmask', type: 'u8', mask: 1 },
  { name: 'basepri', type: 'u8' },
  { name: 'control', type: 'u8', mask: 3, doc: 'CONTROL: nPRIV (bit 0), SPSEL (bit 1)' },
  { name: 'eventRegister', type: 'bool' },
  { name: 'exclusiveAddress', type: 'f64', doc: 'the address LDREX marked (-1: the local monitor is open)' },
  { name: 'waitingForInterrupt', type: 'bool' },
  { name: 'waitingForEvent', type: 'bool', doc: 'asleep in WFE (an event also wakes it)' },
  { name: 'lockedUp', type: 'bool' },
  { name: 'instret', type: 'f64' },
];

/** Prefix of the SCS's fields in the core's descriptor. */
const SCS_PREFIX = 'scs.';

/** The core's state descriptor: its own fields and the SCS's (prefixed). */
export function cortexMState(scs: StateDescriptor): StateDescriptor {
  return defineState({
    name: 'cortex-m',
    version: 1,
    fields: [...CORE_FIELDS, ...scs.fields.map((field) => ({ ...field, name: SCS_PREFIX + field.name, doc: `${scs.name} v${scs.version}${field.doc === undefined ? '' : `: ${field.doc}`}` }))],
  });
}

const PAGE_SHIFT = 12;
/** Halfword slots of a page of decoded code; two more (SLOT_PAGE_END) are where running on past the page's end lands. */
const PAGE_SLOTS = 1 << (PAGE_SHIFT - 1);
const MAX_RUN_BUDGET = 0x3fff_ffff;

/** The private peripheral bus and the SCS window in it. */
const PPB_BASE = 0xe000_0000;
const PPB_END = 0xe010_0000;
const SCS_BASE = 0xe000_e000;
const SCS_END = 0xe000_f000;
/** VTOR's offset in the SCS. */
const SCB_VTOR_OFFSET = 0xd08;
/** Executing from 0xE0000000 up is never allowed (XN by the default memory map). */
const XN_BASE = 0xe000_0000;

/** The trap name of a bkpt 0xab (how firmware asks for semihosting) taken while the CPU's semihosting is off. */
const BKPT_SEMIHOSTING_OFF = 'breakpoint (BKPT 0xab, a semihosting call: turn on the CPU\'s "semihosting" property, as QEMU\'s -semihosting-config enable=on)';

/** What a memory access of the core returns when it faulted (the fault is taken). */
const FAULTED = -1;

/** Thrown (never as an Error) to end run() before an instruction a debugger watchpoint watches. */
class WatchStop {}

const WATCH_STOP = new WatchStop();

interface Watchpoint {
  kind: 'write' | 'read' | 'access';
  address: number;
  length: number;
}

/** The SCS field names CortexM.prototype already has accessors for. */
const scsFieldAccessors = new Set<string>();

/**
 * The SCS's fields are properties of the core for saveState/loadState ("scs.vtor" is scs.vtor).
 * The accessors live on the prototype, shared by every core: per-instance accessors (a closure
 * pair per core) give each core its own hidden-class chain, and V8 turns the second core built in
 * a process into a dictionary-mode object, which made every field access in run() several times
 * slower.
 */
function defineScsFieldAccessors(fields: ReadonlyArray<{ name: string }>): void {
  for (const field of fields) {
    if (scsFieldAccessors.has(field.name)) continue;
    scsFieldAccessors.add(field.name);
    const name = field.name;
    Object.defineProperty(CortexM.prototype, SCS_PREFIX + name, {
      get(this: CortexM): unknown {
        return (this.scs as unknown as Record<string, unknown>)[name];
      },
      set(this: CortexM, value: unknown) {
        (this.scs as unknown as Record<string, unknown>)[name] = value;
      },
      configurable: true,
    });
  }
}

/** A load's or store's bytes, as mayOnlyOpenWindow found them. */
interface WindowAccess {
  start: number;
  bytes: number;
  store: boolean;
}

export class CortexM implements CpuCore, Stateful {
  readonly stateDescriptor: StateDescriptor;
  readonly target = 'arm';
  readonly debug: CpuDebug;
  readonly breakpoints = new Set<number>();
  onTrap?: (trap: CpuTrap) => void;
  onTrapReturn?: (pc: number) => void;
  onMisalignedAccess?: (access: 'load' | 'store', address: number, size: number, pc: number) => void;

  // ---- guest state (CORTEX_M_STATE)
  /** r0..r15: the start of the hart context (in the guest arena when there is one: compiled code reads it there). */
  readonly r: Int32Array;
  private pcValue = 0;
  otherSp = 0;
  flagN = 0;
  flagZ = 0;
  flagC = 0;
  flagV = 0;
  flagQ = 0;
  thumb = 1;
  itState = 0;
  ipsr = 0;
  primask = 0;
  faultmask = 0;
  basepri = 0;
  control = 0;
  eventRegister = false;
  exclusiveAddress = -1;
  waitingForInterrupt = false;
  waitingForEvent = false;
  lockedUp = false;
  instret = 0;

  // ---- derived and run state (not saved)
  /** The current execution priority, and the one WFI wakes for (the same without PRIMASK). */
  private executionPriority = PRIORITY_THREAD;
  private wakePriority = PRIORITY_THREAD;
  private attention = true;
  private stopRequested = false;
  private bpHit = false;
  private passBreakpointAt = -1;
  /** The pc this run() lets pass a breakpoint or watchpoint at (its first instruction, after a stop there), else -1. */
  private runPassPc = -1;
  private watchHit: { kind: 'write' | 'read' | 'access'; address: number; accessAddress: number } | undefined;
  private readonly watchpoints: Watchpoint[] = [];
  /** The pc of the instruction being executed, its successor, and whether it faulted. */
  private curPc = 0;
  private nextPc = 0;
  private faulted = false;
  /** The instruction loaded an EXC_RETURN value into the pc in handler mode. */
  private excReturnPending = false;
  /** The IT state before the current instruction advanced it (a watchpoint stop puts it back). */
  private itBefore = 0;
  private shifterCarry = 0;
  private runExecuted = 0;
  private readonly pages = new Map<number, DecodedPage>();
  /** One instruction that cannot be cached (decodeSlot), in its slot; every other slot ends the page. */
  private readonly scratch = new DecodedPage(PAGE_END_WORD);
  private scratchSlot = 0;
  /** Pages whose last halfword starts a 32-bit instruction that ends on the next page: a write to that next page drops them too. */
  private readonly straddlingPages = new Set<number>();
  /** Bumped whenever a page of decoded code is dropped: run() re-finds the page it caches. */
  private codeGeneration = 0;
  /** AddressSpace.codeChunks: fast-path stores to chunks with decoded code must be reported; fetch marks what it decodes. */
  private readonly codeChunks: Uint32Array;
  // the fast-path windows of loads and stores (see openWindow)
  /**
   * Where the window starts (an int32, as run() forms addresses) and how many bytes it has (a
   * multiple of 4): an aligned access of up to 4 bytes is inside when (address - base) >>> 0 < length,
   * compared unsigned on both sides so V8 stays in 32-bit integers.
   */
  private loadBase = 0;
  private loadLength = 0;
  private loadU8: Uint8Array = EMPTY_U8;
  private loadU16: Uint16Array = EMPTY_U16;
  private loadI32: Int32Array = EMPTY_I32;
  /** The load window before the last one: code and data usually sit in different RAMs (literal pools and constants in flash, variables in SRAM), and loads alternate between them. */
  private load2Base = 0;
  private load2Length = 0;
  private load2U8: Uint8Array = EMPTY_U8;
  private load2U16: Uint16Array = EMPTY_U16;
  private load2I32: Int32Array = EMPTY_I32;
  private storeBase = 0;
  private storeLength = 0;
  private storeU8: Uint8Array = EMPTY_U8;
  private storeU16: Uint16Array = EMPTY_U16;
  private storeI32: Int32Array = EMPTY_I32;
  /** Arena offsets of the windows' RAM (-1: not in the guest arena, so compiled code calls the core for it). */
  /** The core has used RAM outside the guest arena (a RAM with `shared: false`): compiled code calls helpers where it cannot go on in line (ThumbTranslationConfig.helperAtEveryAccess). */
  private ramOutsideArena = false;
  private loadArena = -1;
  private load2Arena = -1;
  private storeArena = -1;
  private readonly ramWriteListener: (address: number, size: number) => void;
  /** An unprivileged access to the SCS was refused (busRead/busWrite), for the fault's report. */
  private privilegeRefused = false;
  /** CpuTrap.coreRefusal for the trap about to be reported. */
  private refusal: string | undefined = undefined;
  private readonly trap: CpuTrap = {
    kind: 'other', access: undefined, cause: 0, causeName: '', pc: 0, value: 0, virtualAddress: false, handler: 0,
    vector: 'VTOR', returnRegister: 'the stacked pc', interruptsMasked: false,
  };
  private readonly v7: boolean;
  private readonly basepriMask: number;
  /** The compiling tier (../../jit/): switch, statistics, compiled pages. */
  readonly tiers: JitTier;
  /** The hart context as words (../../jit/exit-protocol.ts, THUMB_CTX): registers, flags, NEXT_PC, STATUS, RAM windows. */
  private readonly ctx: Int32Array;
  /** Arena byte offset of the hart context (-1: no arena). */
  private readonly ctxOffset: number;
  private readonly jitThreshold: number;
  private readonly jitHelpers: Record<string, (...args: number[]) => number | void>;
  /** While compiled code runs: its page, the budget and instret it was entered with. */
  private jitPage: DecodedPage | null = null;
  private jitBudget = 0;
  private jitInstret = 0;

  constructor(
    readonly space: AddressSpace,
    readonly options: CortexMOptions,
    readonly scs: ExceptionController,
  ) {
    this.v7 = options.profile === 'v7m';
    this.basepriMask = (0xff << (8 - Math.min(8, Math.max(0, options.priorityBits)))) & 0xff;
    this.codeChunks = space.codeChunks;
    const context = space.arena?.allocate(CTX_BYTES, 64);
    this.ctx = context === undefined ? new Int32Array(CTX_BYTES >>> 2) : new Int32Array(context.buffer, context.byteOffset, CTX_BYTES >>> 2);
    this.ctxOffset = context === undefined ? -1 : context.byteOffset;
    this.r = this.ctx.subarray(0, 16);
    this.jitThreshold = options.jitThreshold ?? DEFAULT_JIT_THRESHOLD;
    this.tiers = new JitTier(
      context === undefined
        ? (space.arena === undefined ? 'this host has no shared WebAssembly memory' : 'the guest arena is full')
        : space.codeChunksArenaOffset < 0 ? 'the code map is not in the guest arena' : undefined,
      options.jitCacheBytes,
    );
    this.jitHelpers = {
      exec: (pc, remaining) => this.jitExec(pc, remaining),
      codeWritten: (address, size) => this.jitCodeWritten(address, size),
    };
    this.ramWriteListener = (address, size) => {
      if (this.pages.size === 0) return;
      const first = address >>> PAGE_SHIFT;
      const last = (address + size - 1) >>> PAGE_SHIFT;
      for (let page = first; page <= last; page++) {
        if (this.dropPage(page)) this.codeGeneration++;
        // the instruction at the end of the page before has its second halfword here
        if (this.straddlingPages.delete(page - 1) && this.dropPage(page - 1)) this.codeGeneration++;
      }
    };
    space.ramWriteListeners.push(this.ramWriteListener);
    this.debug = new ArmDebug(this, space);
    this.stateDescriptor = cortexMState(scs.stateDescriptor);
    defineScsFieldAccessors(scs.stateDescriptor.fields);
    this.reset();
  }

  get path(): string | undefined {
    return undefined;
  }

  /** Reset reads SP and PC from the vector table: an ELF's entry point does not move the pc (as in QEMU). */
  readonly bootsFromVectorTable = true;

  get pc(): number {
    return this.pcValue;
  }

  /** A debugger sets the pc: the Thumb bit is dropped. */
  set pc(value: number) {
    this.pcValue = (value & ~1) >>> 0;
    this.attention = true;
  }

  get profile(): ArmProfile {
    return this.options.profile;
  }

  get handlerMode(): boolean {
    return this.ipsr !== 0;
  }

  /** The process stack pointer is the active one: thread mode with CONTROL.SPSEL. */
  get usingPsp(): boolean {
    return this.ipsr === 0 && (this.control & CONTROL_SPSEL) !== 0;
  }

  get msp(): number {
    return (this.usingPsp ? this.otherSp : this.r[13]) >>> 0;
  }

  set msp(value: number) {
    if (this.usingPsp) this.otherSp = value & ~3;
    else this.r[13] = value & ~3;
  }

  get psp(): number {
    return (this.usingPsp ? this.r[13] : this.otherSp) >>> 0;
  }

  set psp(value: number) {
    if (this.usingPsp) this.r[13] = value & ~3;
    else this.otherSp = value & ~3;
  }

  get privileged(): boolean {
    return this.ipsr !== 0 || (this.control & CONTROL_NPRIV) === 0;
  }

  /** APSR | IPSR | EPSR as one xPSR value. */
  get xpsr(): number {
    return (
      ((this.flagN << 31) | (this.flagZ << 30) | (this.flagC << 29) | (this.flagV << 28) | (this.flagQ << 27) | (this.thumb << 24) |
        ((this.itState & 3) << 25) | ((this.itState >>> 2) << 10) | this.ipsr) >>>
      0
    );
  }

  set xpsr(value: number) {
    this.setApsr(value);
    this.thumb = (value >>> 24) & 1;
    this.itState = ((value >>> 25) & 3) | (((value >>> 10) & 0x3f) << 2);
    this.ipsr = value & XPSR_IPSR_MASK;
  }

  get stoppedAtBreakpoint(): boolean {
    return this.bpHit;
  }

  get watchpointHit(): { kind: 'write' | 'read' | 'access'; address: number; accessAddress: number } | undefined {
    return this.watchHit;
  }

  retiredNow(): number {
    return this.instret;
  }

  requestStop(): void {
    this.stopRequested = true;
    this.attention = true;
  }

  cancelStop(): void {
    this.stopRequested = false;
  }

  passBreakpointHere(): void {
    this.passBreakpointAt = this.pcValue;
  }

  /** ARM cores have no architectural time counter (SysTick counts from the SCS's clock): the time base is not used. */
  setTimeBase(_timeBase: TimeBase): void {}

  interruptInput(port: string): InterruptInput | undefined {
    if (port === 'nmi') return (level) => this.scs.setNmi(level);
    const match = /^irq\[(\d+)\]$/.exec(port);
    if (match === null) return undefined;
    const line = Number(match[1]);
    if (line >= this.options.numIrq) return undefined;
    return (level) => this.scs.setIrqLevel(line, level);
  }

  /** The SCS's pending/enabled/priority state changed: re-evaluate at the next instruction boundary, wake a sleeping core. */
  exceptionStateChanged(): void {
    this.attention = true;
    if (this.scs.sevOnPend) this.eventRegister = true;
    if (this.waitingForInterrupt) this.wakeIfDue();
  }

  invalidateDecodeCache(): void {
    this.tiers.clear();
    this.pages.clear();
    this.straddlingPages.clear();
  }

  takePendingInterrupt(): boolean {
    if (this.lockedUp || this.waitingForInterrupt || !this.attention) return false;
    const before = this.ipsr;
    const pc = this.pcValue;
    this.takePendingException();
    return this.ipsr !== before || this.pcValue !== pc;
  }

  dispose(): void {
    const listeners = this.space.ramWriteListeners;
    const i = listeners.indexOf(this.ramWriteListener);
    if (i >= 0) listeners.splice(i, 1);
    this.tiers.clear();
  }

  describe(): string {
    if (this.lockedUp) return `${this.options.model} (locked up at 0x${this.pcValue.toString(16).padStart(8, '0')})`;
    if (this.waitingForInterrupt) return `${this.options.model} (${this.waitingForEvent ? 'wfe' : 'wfi'})`;
    return this.options.model;
  }

  // ------------------------------------------------------------------ reset and state

  /** Cold reset: the SCS to its reset state, SP_main and the pc from the vector table at VTOR. */
  reset(): void {
    this.r.fill(0);
    this.r[14] = -1;
    this.flagN = this.flagZ = this.flagC = this.flagV = this.flagQ = 0;
    this.itState = 0;
    this.ipsr = 0;
    this.primask = this.faultmask = this.basepri = this.control = 0;
    this.otherSp = 0;
    this.eventRegister = false;
    this.exclusiveAddress = -1;
    this.waitingForInterrupt = false;
    this.waitingForEvent = false;
    this.lockedUp = false;
    this.instret = 0;
    this.passBreakpointAt = -1;
    this.stopRequested = false;
    this.options.semihostingReset?.();
    this.scs.reset();
    const table = (this.options.resetVectorTable ?? 0) >>> 0;
    // VTOR's reset value; ARMv6-M has no VTOR to hold another (its table stays where reset read it)
    if (table !== 0) this.scs.write(SCB_VTOR_OFFSET, table, 4);
    const vtor = this.v7 ? this.scs.vtor >>> 0 : table;
    const sp = this.space.tryLoad(vtor, 4);
    const entry = this.space.tryLoad(vtor + 4, 4);
    this.r[13] = sp < 0 ? 0 : sp & ~3;
    if (entry < 0) {
      // a vector table nothing answers for: the reset handler cannot be fetched
      this.pcValue = 0;
      this.thumb = 1;
      this.lockedUp = true;
    } else {
      this.pcValue = (entry & ~1) >>> 0;
      this.thumb = entry & 1;
    }
    this.updatePriority();
  }

  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    const scsFields: Record<string, SavedValue> = {};
    for (const [name, value] of Object.entries(fields)) if (name.startsWith(SCS_PREFIX)) scsFields[name.slice(SCS_PREFIX.length)] = value;
    this.scs.validateState?.(scsFields);
    const ipsr = fields.ipsr as number;
    if (ipsr !== 0 && (ipsr < 2 || ipsr >= Exception.IRQ0 + this.options.numIrq)) {
      throw new StateError(`${this.options.model}: field ipsr is ${ipsr}, an exception number this core does not have`, 'cortex-m', 'ipsr');
    }
    const instret = fields.instret as number;
    if (!Number.isSafeInteger(instret) || instret < 0) throw new StateError(`${this.options.model}: field instret must be a non-negative integer`, 'cortex-m', 'instret');
  }

  postLoad(): void {
    this.scs.postLoad?.();
    this.tiers.clear();
    this.pages.clear();
    this.straddlingPages.clear();
    this.pcValue >>>= 0;
    this.updatePriority();
  }

  // ------------------------------------------------------------------ debugger watchpoints

  setWatchpoint(kind: 'write' | 'read' | 'access', address: number, length: number): void {
    address >>>= 0;
    if (!this.watchpoints.some((w) => w.kind === kind && w.address === address && w.length === length)) this.watchpoints.push({ kind, address, length });
  }

  removeWatchpoint(kind: 'write' | 'read' | 'access', address: number, length: number): boolean {
    address >>>= 0;
    const i = this.watchpoints.findIndex((w) => w.kind === kind && w.address === address && w.length === length);
    if (i < 0) return false;
    this.watchpoints.splice(i, 1);
    return true;
  }

  private checkWatch(address: number, size: number, store: boolean): void {
    if (this.runExecuted === 0 && this.curPc === this.runPassPc) return;
    for (const w of this.watchpoints) {
      if ((w.kind === 'access' || (w.kind === 'write') === store) && address < w.address + w.length && w.address < address + size) {
        this.watchHit = { kind: w.kind, address: w.address, accessAddress: address };
        throw WATCH_STOP;
      }
    }
  }

  // ------------------------------------------------------------------ run loop

  /**
   * Run up to `budget` instructions. One switch over the op of the pc's slot (./slots.ts; the
   * inner loop goes from slot to slot of one page, and to the next block when it leaves the page)
   * executes every instruction;
   * the state the rest of the core sees (pc, IT state, the flags N/Z/C/V, instret) lives in locals while the loop
   * runs instructions that cannot fault or reach outside the core (register ops, branches, loads
   * and stores inside the fast-path memory windows), and is written back ("committed") before
   * anything that can: a fetch, a slow access, an exception. Those end the block: the outer loop
   * then checks for a stop request, a pending exception and dropped code before going on.
   * Instructions that need the core's full machinery (faults, exception return, system
   * registers, multiple loads and stores) go to execute() after the switch.
   *
   * run() and the helpers it calls write the constants they use as literals, named in a comment
   * (0x7f followed by OP_MASK in a block comment; SETS_FLAGS_OUTSIDE_IT is SetFlags.ALWAYS | OUTSIDE_IT, SETS_FLAGS_INSIDE_IT
   * SetFlags.ALWAYS, the Insn.setFlags bits that set the flags outside and inside an IT block): V8
   * does not fold a module's constants into optimized code but loads each from its cell, with a
   * check that it is initialised, at every use — 13% of the loop's time. ./slots.test.ts checks
   * that each literal is the constant's value.
   */
  run(budget: number): number {
    budget = Math.min(Math.floor(budget), MAX_RUN_BUDGET);
    this.bpHit = false;
    this.watchHit = undefined;
    if (!(budget > 0) || this.lockedUp) {
      this.stopRequested = false;
      return 0;
    }
    if (this.waitingForInterrupt) {
      this.wakeIfDue();
      if (this.waitingForInterrupt) {
        this.stopRequested = false;
        return 0;
      }
    }
    const r = this.r;
    // the pc is an int32 inside the loop (V8 keeps it in a register) and unsigned in pcValue
    let pc = this.pcValue | 0;
    let it = this.itState;
    // N, Z, C, V as one local (N << 3 | Z << 2 | C << 1 | V: CONDITION_TABLE's index), committed with the pc
    let nzcv = this.packedFlags();
    const startPc = this.pcValue;
    const pass = this.passBreakpointAt === startPc;
    this.runPassPc = pass ? startPc : -1;
    this.passBreakpointAt = -1;
    let executed = 0;
    /** `executed` when instret was last brought up to date (every instruction the inner loop finishes retires). */
    let counted = 0;
    this.runExecuted = 0;
    let pageNumber = -1;
    /** The decoded code of the pc's page (from pageBase; see ./slots.ts): the inner loop runs on it, by slot, until the pc leaves it. */
    let page = EMPTY_PAGE;
    let code = page.code;
    let pageBase = 0;
    /** The slot of the instruction to run (the pc is pageBase + 2 * slot). */
    let slot: number;
    let generation = this.codeGeneration;
    /** The page decodeSlot just gave (the slot at pc decoded into it): the next block start keeps it for one pass. */
    let decodedInto = false;
    const watching = this.watchpoints.length !== 0;
    // the fast-path windows (see openWindow) in locals, taken at each block start (only slow paths, which end the
    // block, open windows); empty while a watchpoint is set (every access checks it) and, for stores, while the
    // exclusive monitor is set (a store may clear it)
    let loadBase: number;
    let loadLength: number;
    let loadU8: Uint8Array;
    let loadU16: Uint16Array;
    let loadI32: Int32Array;
    let load2Base: number;
    let load2Length: number;
    let load2U8: Uint8Array;
    let load2U16: Uint16Array;
    let load2I32: Int32Array;
    let storeBase: number;
    let storeLength: number;
    let storeU8: Uint8Array;
    let storeU16: Uint16Array;
    let storeI32: Int32Array;
    const breakpoints = this.breakpoints.size !== 0 ? this.breakpoints : undefined;
    // the compiling tier: compiled code checks no breakpoints or watchpoints, so either keeps it off for this run
    const jitOn = this.tiers.active && !watching && breakpoints === undefined;
    /** Which bits of a slot's first word send it through the preamble: with breakpoints set, every slot goes there (their check costs nothing otherwise). */
    const preambleMask = breakpoints === undefined ? 0x800_0000 /* PREAMBLE */ : -1;
    try {
      outer: while (executed < budget) {
        // a block starts: the core's fields are up to date
        this.instret += executed - counted;
        counted = executed;
        this.pcValue = pc >>> 0;
        this.itState = it;
        this.commitFlags(nzcv);
        if (this.attention) {
          this.attention = false;
          if (this.stopRequested) {
            this.stopRequested = false;
            break;
          }
          this.takePendingException();
          pc = this.pcValue | 0;
          it = this.itState;
          if (this.lockedUp) break;
        }
        if (this.thumb === 0) {
          // EPSR.T clear (a BX, a POP or an exception return to an even address): the next instruction takes INVSTATE, whether or not its code is decoded
          this.curPc = pc >>> 0;
          this.invalidState();
          executed++;
          counted = executed;
          pc = this.pcValue | 0;
          it = this.itState;
          if (this.lockedUp) break;
          continue;
        }
        // the scratch page holds one uncached instruction for one pass only
        const decodedNow = decodedInto;
        decodedInto = false;
        if (!decodedNow && (pc >>> 12 /* PAGE_SHIFT */ !== pageNumber || generation !== this.codeGeneration || page === this.scratch)) {
          pageNumber = pc >>> 12 /* PAGE_SHIFT */;
          pageBase = pageNumber << 12 /* PAGE_SHIFT */;
          generation = this.codeGeneration;
          page = this.pages.get(pageNumber) ?? EMPTY_PAGE;
          code = page.code;
        }
        slot = ((pc - pageBase) | 0) >>> 1;
        if (jitOn && !decodedNow && it === 0 && page !== EMPTY_PAGE && page !== this.scratch) {
          // a block starts outside an IT block on a page of cached code: its compiled code, once the page is hot.
          // Where the run starts is no entry to count: that is mostly where the last run's budget ran out, in the
          // middle of a block (made a leader, it would split the block, and hot loops would become one-instruction
          // blocks); the interpreter runs on from there to the next jump, where compiled code is found.
          const compiled = page.jit;
          if (compiled !== null) {
            const ran = this.runCompiled(page, pageBase, slot, budget - executed, nzcv);
            if (ran !== 0) {
              executed += ran;
              counted = executed;
              pc = this.ctx[CTX_NEXT_PC];
              nzcv = this.ctx[THUMB_CTX.FLAGS];
              it = this.itState;
              if (this.lockedUp || this.waitingForInterrupt) break outer;
              continue outer;
            }
            // nothing ran: a block longer than the budget left, or an entry the code lacks (compiled again once that is hot)
            if (compiled.known[slot] === 0 && !(executed === 0 && pc >>> 0 === startPc) && this.warm(page, slot)) this.compilePage(page, pageBase);
          } else if (!(executed === 0 && pc >>> 0 === startPc) && this.warm(page, slot)) {
            this.compilePage(page, pageBase);
            if (page.jit !== null) continue outer;
          }
        }
        loadBase = this.loadBase;
        loadLength = watching ? 0 : this.loadLength;
        loadU8 = this.loadU8;
        loadU16 = this.loadU16;
        loadI32 = this.loadI32;
        load2Base = this.load2Base;
        load2Length = watching ? 0 : this.load2Length;
        load2U8 = this.load2U8;
        load2U16 = this.load2U16;
        load2I32 = this.load2I32;
        storeBase = this.storeBase;
        storeLength = watching || this.exclusiveAddress !== -1 ? 0 : this.storeLength;
        storeU8 = this.storeU8;
        storeU16 = this.storeU16;
        storeI32 = this.storeI32;
        for (;;) {
          if (executed >= budget) {
            pc = (pageBase + (slot << 1)) | 0;
            break outer;
          }
          const j = slot << 2; // SLOT_WORDS
          const w = code[j];
          const op = w & 0x7f /* OP_MASK */;
          const next = slot + (w >>> 30 /* SLOTS_SHIFT */);
          const itBefore = it;
          if ((it | (w & preambleMask)) !== 0) {
            if (breakpoints !== undefined && breakpoints.has((pageBase + (slot << 1)) >>> 0) && !(executed === 0 && pass && (pageBase + (slot << 1)) >>> 0 === startPc)) {
              this.bpHit = true;
              pc = (pageBase + (slot << 1)) | 0;
              this.passBreakpointAt = pc >>> 0;
              break outer;
            }
            if (op === 0x7f /* SLOT_NOT_DECODED */) {
              pc = (pageBase + (slot << 1)) | 0;
              this.instret += executed - counted;
              counted = executed;
              this.pcValue = pc >>> 0;
              this.itState = it;
              this.commitFlags(nzcv);
              this.curPc = pc >>> 0;
              const decoded = this.decodeSlot(pc >>> 0);
              if (decoded === undefined) {
                // the fetch faulted (taken): a step that does not retire
                executed++;
                counted = executed;
                pc = this.pcValue | 0;
                it = this.itState;
                if (this.lockedUp) break outer;
                continue outer;
              }
              // on from a block start, so the inner loop never assigns `code` (6% faster by paired A/B; V8's code still
              // checks the array's map at every instruction, so the gain is in how it compiles the loop as a whole)
              page = decoded;
              code = page.code;
              generation = this.codeGeneration;
              decodedInto = true;
              continue outer;
            }
            if (op === 72 /* SLOT_PAGE_END */) {
              // ran on past the page's last halfword (nothing executed): on to the next page
              pc = (pageBase + (slot << 1)) | 0;
              continue outer;
            }
            if (it !== 0) {
              // inside an IT block (ARMv7-M A7.3): the state advances, the condition decides (BKPT runs unconditionally)
              if (op !== 69 /* BKPT */) it = (it & 7) === 0 ? 0 : (it & 0xe0) | ((it << 1) & 0x1f);
              if (((CONDITION_TABLE[itBefore >>> 4] >>> nzcv) & 1) === 0) {
                slot = next;
                executed++;
                continue;
              }
            }
            // the instruction names r15: it reads its own address + 4
            if ((w & 0x800_0000 /* PREAMBLE */) !== 0) r[15] = pageBase + (slot << 1) + 4;
          }
          // a slot's immediate and aux words (./slots.ts) are loaded by the cases that use them: the commonest ops need neither or one
          let address = 0;
          /** The base register's new value for the pre- and post-indexed modes (which alone write it back: any value, 0xffffffff too). */
          let writeBack = 0;
          switch (op) {
            // the commonest data-processing ops have cases of their own (no second switch over the op)
            // the commonest forms of MOV, CMP, ADD and SUB (./slots.ts SlotOp): no operand kind, no shift, rd not r13 or r15
            case 81 /* slot MOV_IMM */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              if (((w >>> 25 /* SET_FLAGS_SHIFT */) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) {
                // N and Z from the value, C from the modified immediate's carry (unchanged when it has none), V unchanged
                const carry = (aux >>> 9 /* AUX_IMM_CARRY */) & 3;
                nzcv = ((imm >>> 31) << 3) | (imm === 0 ? 4 : 0) | (carry === 0 ? nzcv & 2 : (carry - 1) << 1) | (nzcv & 1);
              }
              r[(w >>> 8) & 15] = imm;
              executed++;
              slot = next;
              continue;
            }
            case 82 /* slot MOV_REG */: {
              const result = r[(w >>> 16) & 15];
              if (((w >>> 25 /* SET_FLAGS_SHIFT */) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (nzcv & 3);
              r[(w >>> 8) & 15] = result;
              executed++;
              slot = next;
              continue;
            }
            case 83 /* slot CMP_IMM */: case 84 /* slot CMP_REG */: {
              const imm = code[j + 1];
              const a = r[(w >>> 12) & 15];
              const b = op === 83 /* slot CMP_IMM */ ? imm : r[(w >>> 16) & 15];
              const result = (a - b) | 0;
              nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (a >>> 0 >= b >>> 0 ? 2 : 0) | (((a ^ b) & (a ^ result)) >>> 31);
              executed++;
              slot = next;
              continue;
            }
            case 85 /* slot ADD_IMM */: case 86 /* slot ADD_REG */: {
              const imm = code[j + 1];
              const a = r[(w >>> 12) & 15];
              const b = op === 85 /* slot ADD_IMM */ ? imm : r[(w >>> 16) & 15];
              const result = (a + b) | 0;
              if (((w >>> 25 /* SET_FLAGS_SHIFT */) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) {
                nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | ((((a & b) | ((a | b) & ~result)) >>> 31) << 1) | (((a ^ result) & (b ^ result)) >>> 31);
              }
              r[(w >>> 8) & 15] = result;
              executed++;
              slot = next;
              continue;
            }
            case 87 /* slot SUB_IMM */: case 88 /* slot SUB_REG */: {
              const imm = code[j + 1];
              const a = r[(w >>> 12) & 15];
              const b = op === 87 /* slot SUB_IMM */ ? imm : r[(w >>> 16) & 15];
              const result = (a - b) | 0;
              if (((w >>> 25 /* SET_FLAGS_SHIFT */) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) {
                nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (a >>> 0 >= b >>> 0 ? 2 : 0) | (((a ^ b) & (a ^ result)) >>> 31);
              }
              r[(w >>> 8) & 15] = result;
              executed++;
              slot = next;
              continue;
            }
            case 89 /* slot AND_SHIFTED */: case 90 /* slot EOR_SHIFTED */: case 91 /* slot ORR_SHIFTED */: case 92 /* slot BIC_SHIFTED */: {
              const aux = code[j + 2];
              // a register shifted by a constant (LSL, LSR, ASR by 0-31), no flags set: no call into the shifter
              const m = r[(w >>> 16) & 15];
              const n = (aux >>> 3 /* AUX_SHIFT_N */) & 31;
              const type = aux & 7;
              const b = type === 0 /* Shift.LSL */ ? m << n : type === 1 /* Shift.LSR */ ? (m >>> n) | 0 : m >> n;
              const a = r[(w >>> 12) & 15];
              r[(w >>> 8) & 15] = op === 89 /* slot AND_SHIFTED */ ? a & b : op === 90 /* slot EOR_SHIFTED */ ? a ^ b : op === 91 /* slot ORR_SHIFTED */ ? a | b : a & ~b;
              executed++;
              slot = next;
              continue;
            }
            case 93 /* slot SHIFT_IMM */: {
              const aux = code[j + 2];
              // LSL, LSR or ASR by a constant 1-32 (Shift_C, ARMv7-M A7.4.2): C is the last bit shifted out
              const m = r[(w >>> 16) & 15];
              const n = (aux >>> 3 /* AUX_SHIFT_N */) & 63;
              const type = aux & 7;
              const result = type === 0 /* Shift.LSL */ ? m << n : type === 1 /* Shift.LSR */ ? (n === 32 ? 0 : (m >>> n) | 0) : m >> (n === 32 ? 31 : n);
              if (((w >>> 25 /* SET_FLAGS_SHIFT */) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) {
                const carry = type === 0 /* Shift.LSL */ ? (m >>> (32 - n)) & 1 : (m >>> (n - 1)) & 1;
                nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (carry << 1) | (nzcv & 1);
              }
              r[(w >>> 8) & 15] = result;
              executed++;
              slot = next;
              continue;
            }
            case 7 /* MOV */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const kind = (w >>> 28 /* KIND_SHIFT */) & 3 /* KIND_MASK */;
              const setsFlags = (((w >>> 25) & 3) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0;
              let result: number;
              let carry = (nzcv >>> 1) & 1;
              if (kind === 0 /* Kind.IMM */) {
                result = imm;
                if ((((aux >>> 9) & 3) - 1) >= 0) carry = (((aux >>> 9) & 3) - 1);
              } else if (kind === 1 /* Kind.REG */ && ((aux >>> 3) & 63) === 0) {
                result = r[((w >>> 16) & 15)];
              } else if (kind === 1 /* Kind.REG */ && (aux & 7) === 0 /* Shift.LSL */ && !setsFlags) {
                result = r[((w >>> 16) & 15)] << ((aux >>> 3) & 63);
              } else if (setsFlags) {
                // LSLS, LSRS, ASRS, RORS, RRXS: C from the shifter
                result = this.shift(r[((w >>> 16) & 15)], (aux & 7), kind === 1 /* Kind.REG */ ? ((aux >>> 3) & 63) : r[((w >>> 20) & 15)] & 0xff, carry);
                carry = this.shifterCarry;
              } else {
                result = shiftNoCarry(r[((w >>> 16) & 15)], (aux & 7), kind === 1 /* Kind.REG */ ? ((aux >>> 3) & 63) : r[((w >>> 20) & 15)] & 0xff, carry);
              }
              if (setsFlags) nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (carry << 1) | (nzcv & 1);
              executed++;
              const rd = ((w >>> 8) & 15);
              if (rd < 13) r[rd] = result;
              else if (rd === 13) r[13] = result & ~3;
              else if (rd === 14) r[14] = result;
              else {
                pc = result & ~1;
                continue outer;
              }
              slot = next;
              continue;
            }
            case 16 /* CMP */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              // always sets the flags: a - b as AddWithCarry(a, NOT b, 1); C is "no borrow" (a >= b unsigned)
              const a = r[((w >>> 12) & 15)];
              const b = operandNoCarry(w, imm, aux, r, (nzcv >>> 1) & 1);
              const result = (a - b) | 0;
              nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (a >>> 0 >= b >>> 0 ? 2 : 0) | (((a ^ b) & (a ^ result)) >>> 31);
              executed++;
              slot = next;
              continue;
            }
            case 11 /* ADD */: case 13 /* SUB */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const a = r[((w >>> 12) & 15)];
              const b = operandNoCarry(w, imm, aux, r, (nzcv >>> 1) & 1);
              const subtract = op === 13 /* SUB */;
              const result = subtract ? (a - b) | 0 : (a + b) | 0;
              if ((((w >>> 25) & 3) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) {
                // C: no borrow (SUB) or the carry out of bit 31 (ADD); V: the signed overflow
                const carry = subtract ? (a >>> 0 >= b >>> 0 ? 1 : 0) : ((a & b) | ((a | b) & ~result)) >>> 31;
                const overflow = subtract ? ((a ^ b) & (a ^ result)) >>> 31 : ((a ^ result) & (b ^ result)) >>> 31;
                nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (carry << 1) | overflow;
              }
              executed++;
              const rd = ((w >>> 8) & 15);
              if (rd < 13) r[rd] = result;
              else if (rd === 13) r[13] = result & ~3;
              else if (rd === 14) r[14] = result;
              else {
                pc = result & ~1;
                continue outer;
              }
              slot = next;
              continue;
            }
            case 2 /* AND */: case 3 /* EOR */: case 4 /* ORR */: case 5 /* ORN */: case 6 /* BIC */: case 8 /* MVN */: case 9 /* TST */: case 10 /* TEQ */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              // operand2, and the shifter's carry out when it is not C itself
              const kind = (w >>> 28 /* KIND_SHIFT */) & 3 /* KIND_MASK */;
              const plain = kind === 0 /* Kind.IMM */ || (kind === 1 /* Kind.REG */ && ((aux >>> 3) & 63) === 0);
              const setsFlags = (((w >>> 25) & 3) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0;
              // the shifter's carry out matters only when the flags are set
              const b = kind === 0 /* Kind.IMM */ ? imm : plain ? r[((w >>> 16) & 15)]
                : !setsFlags ? shiftNoCarry(r[((w >>> 16) & 15)], (aux & 7), kind === 1 /* Kind.REG */ ? ((aux >>> 3) & 63) : r[((w >>> 20) & 15)] & 0xff, (nzcv >>> 1) & 1)
                : this.shift(r[((w >>> 16) & 15)], (aux & 7), kind === 1 /* Kind.REG */ ? ((aux >>> 3) & 63) : r[((w >>> 20) & 15)] & 0xff, (nzcv >>> 1) & 1);
              const a = r[((w >>> 12) & 15)];
              let result: number;
              switch (op) {
                case 2 /* AND */: case 9 /* TST */: result = a & b; break;
                case 3 /* EOR */: case 10 /* TEQ */: result = a ^ b; break;
                case 4 /* ORR */: result = a | b; break;
                case 5 /* ORN */: result = a | ~b; break;
                case 6 /* BIC */: result = a & ~b; break;
                default: result = ~b; break;
              }
              if (setsFlags) {
                // N and Z from the result, C from the shifter (unchanged by a plain register or an immediate without a carry), V unchanged
                const carry = !plain ? this.shifterCarry : kind === 0 /* Kind.IMM */ && (((aux >>> 9) & 3) - 1) >= 0 ? (((aux >>> 9) & 3) - 1) : (nzcv >>> 1) & 1;
                nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (carry << 1) | (nzcv & 1);
              }
              executed++;
              if (op === 9 /* TST */ || op === 10 /* TEQ */) {
                slot = next;
                continue;
              }
              const rd = ((w >>> 8) & 15);
              if (rd < 13) r[rd] = result;
              else if (rd === 13) r[13] = result & ~3;
              else if (rd === 14) r[14] = result;
              else {
                // a write to the pc: a branch (not interworking)
                pc = result & ~1;
                continue outer;
              }
              slot = next;
              continue;
            }
            case 12 /* ADC */: case 14 /* SBC */: case 15 /* RSB */: case 17 /* CMN */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const b = operandNoCarry(w, imm, aux, r, (nzcv >>> 1) & 1);
              const a = r[((w >>> 12) & 15)];
              // AddWithCarry (ARMv7-M A2.2.1) of x, y and the carry in
              let x = a;
              let y = b;
              let carryIn = 0;
              switch (op) {
                case 12 /* ADC */: carryIn = (nzcv >>> 1) & 1; break;
                case 14 /* SBC */: y = ~b; carryIn = (nzcv >>> 1) & 1; break;
                case 15 /* RSB */: x = ~a; carryIn = 1; break;
                default: break; // CMN
              }
              const result = (x + y + carryIn) | 0;
              if ((((w >>> 25) & 3) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) {
                // C: the carry out of bit 31; V: the signed overflow
                nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | ((((x & y) | ((x | y) & ~result)) >>> 31) << 1) | (((x ^ result) & (y ^ result)) >>> 31);
              }
              executed++;
              if (op === 17 /* CMN */) {
                slot = next;
                continue;
              }
              const rd = ((w >>> 8) & 15);
              if (rd < 13) r[rd] = result;
              else if (rd === 13) r[13] = result & ~3;
              else if (rd === 14) r[14] = result;
              else {
                pc = result & ~1;
                continue outer;
              }
              slot = next;
              continue;
            }
            case 18 /* MOVT */: {
              const imm = code[j + 1];
              r[((w >>> 8) & 15)] = (r[((w >>> 8) & 15)] & 0xffff) | (imm << 16);
              executed++;
              slot = next;
              continue;
            }
            case 19 /* MUL */: {
              const result = Math.imul(r[((w >>> 12) & 15)], r[((w >>> 16) & 15)]);
              if ((((w >>> 25) & 3) & (itBefore === 0 ? 3 /* SETS_FLAGS_OUTSIDE_IT */ : 1 /* SETS_FLAGS_INSIDE_IT */)) !== 0) {
                nzcv = ((result >>> 31) << 3) | (result === 0 ? 4 : 0) | (nzcv & 3);
              }
              r[((w >>> 8) & 15)] = result;
              executed++;
              slot = next;
              continue;
            }
            case 20 /* MLA */:
              r[((w >>> 8) & 15)] = (Math.imul(r[((w >>> 12) & 15)], r[((w >>> 16) & 15)]) + r[((w >>> 20) & 15)]) | 0;
              executed++;
              slot = next;
              continue;
            case 21 /* MLS */:
              r[((w >>> 8) & 15)] = (r[((w >>> 20) & 15)] - Math.imul(r[((w >>> 12) & 15)], r[((w >>> 16) & 15)])) | 0;
              executed++;
              slot = next;
              continue;
            case 22 /* UMULL */: case 23 /* SMULL */: case 24 /* UMLAL */: case 25 /* SMLAL */:
              this.longMultiply(op, (w >>> 8) & 15, (w >>> 20) & 15, (w >>> 12) & 15, (w >>> 16) & 15);
              executed++;
              slot = next;
              continue;
            case 26 /* UDIV */: case 27 /* SDIV */: {
              const divisor = r[((w >>> 16) & 15)];
              if (divisor === 0) break; // execute(): a fault or 0, as CCR.DIV_0_TRP says
              if (op === 26 /* UDIV */) r[((w >>> 8) & 15)] = Math.trunc((r[((w >>> 12) & 15)] >>> 0) / (divisor >>> 0));
              else r[((w >>> 8) & 15)] = r[((w >>> 12) & 15)] === -0x8000_0000 && divisor === -1 ? -0x8000_0000 : Math.trunc(r[((w >>> 12) & 15)] / divisor);
              executed++;
              slot = next;
              continue;
            }
            case 28 /* SSAT */: case 29 /* USAT */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const operand = (aux & 7) === 2 /* Shift.ASR */ ? r[((w >>> 16) & 15)] >> (((aux >>> 3) & 63) === 0 ? 31 : ((aux >>> 3) & 63)) : r[((w >>> 16) & 15)] << ((aux >>> 3) & 63);
              const bits = imm;
              const max = op === 28 /* SSAT */ ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
              const min = op === 28 /* SSAT */ ? -(2 ** (bits - 1)) : 0;
              const result = operand > max ? max : operand < min ? min : operand;
              if (result !== operand) this.flagQ = 1;
              r[((w >>> 8) & 15)] = result;
              executed++;
              slot = next;
              continue;
            }
            case 30 /* BFI */: case 31 /* BFC */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const mask = imm >= 32 ? -1 : ((1 << imm) - 1) << ((aux >>> 3) & 63);
              const source = op === 31 /* BFC */ ? 0 : r[((w >>> 12) & 15)] << ((aux >>> 3) & 63);
              r[((w >>> 8) & 15)] = (r[((w >>> 8) & 15)] & ~mask) | (source & mask);
              executed++;
              slot = next;
              continue;
            }
            case 32 /* UBFX */: case 33 /* SBFX */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const lsb = ((aux >>> 3) & 63);
              const width = imm;
              if (lsb + width > 32) break; // execute(): UNDEFINED
              const up = r[((w >>> 12) & 15)] << (32 - lsb - width);
              r[((w >>> 8) & 15)] = op === 33 /* SBFX */ ? up >> (32 - width) : up >>> (32 - width);
              executed++;
              slot = next;
              continue;
            }
            case 34 /* CLZ */:
              r[((w >>> 8) & 15)] = Math.clz32(r[((w >>> 16) & 15)]);
              executed++;
              slot = next;
              continue;
            case 35 /* RBIT */: {
              let v = r[((w >>> 16) & 15)];
              v = ((v >>> 1) & 0x5555_5555) | ((v & 0x5555_5555) << 1);
              v = ((v >>> 2) & 0x3333_3333) | ((v & 0x3333_3333) << 2);
              v = ((v >>> 4) & 0x0f0f_0f0f) | ((v & 0x0f0f_0f0f) << 4);
              v = ((v >>> 8) & 0x00ff_00ff) | ((v & 0x00ff_00ff) << 8);
              r[((w >>> 8) & 15)] = (v >>> 16) | (v << 16);
              executed++;
              slot = next;
              continue;
            }
            case 36 /* REV */: {
              const v = r[((w >>> 16) & 15)];
              r[((w >>> 8) & 15)] = ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
              executed++;
              slot = next;
              continue;
            }
            case 37 /* REV16 */: {
              const v = r[((w >>> 16) & 15)];
              r[((w >>> 8) & 15)] = ((v & 0x00ff_00ff) << 8) | ((v >>> 8) & 0x00ff_00ff);
              executed++;
              slot = next;
              continue;
            }
            case 38 /* REVSH */: {
              const v = r[((w >>> 16) & 15)];
              r[((w >>> 8) & 15)] = (((v & 0xff) << 24) >> 16) | ((v >>> 8) & 0xff);
              executed++;
              slot = next;
              continue;
            }
            case 39 /* SXTB */: case 40 /* SXTH */: case 41 /* UXTB */: case 42 /* UXTH */: {
              const aux = code[j + 2];
              const rot = ((aux >>> 3) & 63);
              const v = rot === 0 ? r[((w >>> 16) & 15)] : (r[((w >>> 16) & 15)] >>> rot) | (r[((w >>> 16) & 15)] << (32 - rot));
              r[((w >>> 8) & 15)] = op === 39 /* SXTB */ ? (v << 24) >> 24 : op === 40 /* SXTH */ ? (v << 16) >> 16 : op === 41 /* UXTB */ ? v & 0xff : v & 0xffff;
              executed++;
              slot = next;
              continue;
            }
            case 43 /* B */: {
              const imm = code[j + 1];
              executed++;
              // the condition's mask (./slots.ts COND_MASK_SHIFT): bit nzcv says whether it holds
              if (((w >>> (8 /* COND_MASK_SHIFT */ + nzcv)) & 1) === 0) {
                slot = next;
                continue;
              }
              // a target on this page is a slot of it; else the next block finds its page
              const target = imm;
              const offset = (target - pageBase) | 0;
              if (offset >>> 0 < 4096 /* PAGE_BYTES */ && !(jitOn && page.heat >= 0)) { // (compiling tier on: via the block start, where compiled code is found)
                slot = offset >>> 1;
                continue;
              }
              pc = target;
              continue outer;
            }
            case 44 /* BL */: {
              const imm = code[j + 1];
              r[14] = (pageBase + (next << 1)) | 1;
              executed++;
              const target = imm;
              const offset = (target - pageBase) | 0;
              if (offset >>> 0 < 4096 /* PAGE_BYTES */ && !(jitOn && page.heat >= 0)) { // (compiling tier on: via the block start, where compiled code is found)
                slot = offset >>> 1;
                continue;
              }
              pc = target;
              continue outer;
            }
            case 47 /* CBZ */: case 48 /* CBNZ */: {
              const imm = code[j + 1];
              executed++;
              if ((r[(w >>> 12) & 15] === 0) !== (op === 47 /* CBZ */)) {
                slot = next;
                continue;
              }
              const target = imm;
              const offset = (target - pageBase) | 0;
              if (offset >>> 0 < 4096 /* PAGE_BYTES */ && !(jitOn && page.heat >= 0)) { // (compiling tier on: via the block start, where compiled code is found)
                slot = offset >>> 1;
                continue;
              }
              pc = target;
              continue outer;
            }
            case 45 /* BX */: case 46 /* BLX */: {
              // interworking branch (BXWritePC); an EXC_RETURN value in handler mode is for execute()
              const target = r[(w >>> 16) & 15];
              if (this.ipsr !== 0 && target >>> 28 === 0xf) break;
              if (op === 46 /* BLX */) r[14] = (pageBase + (slot << 1) + 2) | 1;
              this.thumb = target & 1;
              executed++;
              pc = target & ~1;
              const offset = (pc - pageBase) | 0;
              if (this.thumb === 0 || offset >>> 0 >= 4096 /* PAGE_BYTES */) continue outer; // the block start takes INVSTATE, or finds the page
              slot = offset >>> 1;
              continue;
            }
            case 53 /* LDM */: {
              const aux = code[j + 2];
              // fast path: the whole block inside one load window, aligned; a pc that would return from an exception is for execute()
              const list = (aux & 0xffff);
              const count = popcount16(list);
              const base = r[((w >>> 12) & 15)];
              const start = ((aux & 0x2_0000 /* AUX_DECREMENT */) !== 0) ? (base - 4 * count) | 0 : base;
              if ((start & 3) !== 0 || count === 0) break;
              let words: Int32Array;
              let offset = (start - loadBase) | 0;
              if (offset >>> 0 < loadLength >>> 0 && ((offset + 4 * count - 4) | 0) >>> 0 < loadLength >>> 0) words = loadI32;
              else {
                offset = (start - load2Base) | 0;
                if (offset >>> 0 >= load2Length >>> 0 || ((offset + 4 * count - 4) | 0) >>> 0 >= load2Length >>> 0) break;
                words = load2I32;
              }
              let at = offset >>> 2;
              if ((list & 0x8000) !== 0 && this.ipsr !== 0 && words[at + count - 1] >>> 28 === 0xf) break;
              if (((aux & 0x1_0000 /* AUX_WRITE_BACK */) !== 0) && (list & (1 << ((w >>> 12) & 15))) === 0) r[((w >>> 12) & 15)] = ((aux & 0x2_0000 /* AUX_DECREMENT */) !== 0) ? start : base + 4 * count;
              for (let i = 0; i < 15; i++) if ((list & (1 << i)) !== 0) r[i] = words[at++];
              executed++;
              if ((list & 0x8000) !== 0) {
                const target = words[at];
                this.thumb = target & 1;
                pc = target & ~1;
                continue outer;
              }
              slot = next;
              continue;
            }
            case 54 /* STM */: {
              const aux = code[j + 2];
              // fast path: the whole block inside the store window, aligned, the exclusive monitor open
              const list = (aux & 0xffff);
              const count = popcount16(list);
              const base = r[((w >>> 12) & 15)];
              const start = ((aux & 0x2_0000 /* AUX_DECREMENT */) !== 0) ? (base - 4 * count) | 0 : base;
              const offset = (start - storeBase) | 0;
              if ((start & 3) !== 0 || count === 0 || offset >>> 0 >= storeLength >>> 0 || ((offset + 4 * count - 4) | 0) >>> 0 >= storeLength >>> 0) break;
              const words = storeI32;
              let at = offset >>> 2;
              for (let i = 0; i < 16; i++) if ((list & (1 << i)) !== 0) words[at++] = r[i];
              if (((aux & 0x1_0000 /* AUX_WRITE_BACK */) !== 0)) r[((w >>> 12) & 15)] = ((aux & 0x2_0000 /* AUX_DECREMENT */) !== 0) ? start : base + 4 * count;
              executed++;
              slot = next;
              if (this.storeTouchesCode(start, 4 * count)) {
                this.instret += executed - counted;
                counted = executed;
                pc = (pageBase + (next << 1)) | 0;
                this.space.notifyRamWrite(start >>> 0, 4 * count);
                if (jitOn) this.markSlowPath(page, pageBase, j >>> 2);
                continue outer;
              }
              continue;
            }
            case 55 /* LDRD */: case 56 /* STRD */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const mode = (aux >>> 15) & 7;
              switch (mode) {
                case 0 /* AddrMode.OFFSET */: address = r[((w >>> 12) & 15)] + imm; break;
                case 1 /* AddrMode.PRE */: address = r[((w >>> 12) & 15)] + imm; writeBack = address; break;
                case 2 /* AddrMode.POST */: address = r[((w >>> 12) & 15)]; writeBack = r[((w >>> 12) & 15)] + imm; break;
                default: address = imm; break;
              }
              address |= 0;
              if ((address & 3) !== 0) break;
              if (op === 55 /* LDRD */) {
                let words: Int32Array;
                let offset = (address - loadBase) | 0;
                if (offset >>> 0 < loadLength >>> 0 && ((offset + 4) | 0) >>> 0 < loadLength >>> 0) words = loadI32;
                else {
                  offset = (address - load2Base) | 0;
                  if (offset >>> 0 >= load2Length >>> 0 || ((offset + 4) | 0) >>> 0 >= load2Length >>> 0) break;
                  words = load2I32;
                }
                const low = words[offset >>> 2];
                const high = words[(offset >>> 2) + 1];
                if (mode === 1 /* AddrMode.PRE */ || mode === 2 /* AddrMode.POST */) r[((w >>> 12) & 15)] = writeBack;
                r[((w >>> 8) & 15)] = low;
                r[((w >>> 20) & 15)] = high;
                executed++;
                slot = next;
                continue;
              }
              const offset = (address - storeBase) | 0;
              if (offset >>> 0 >= storeLength >>> 0 || ((offset + 4) | 0) >>> 0 >= storeLength >>> 0) break;
              storeI32[offset >>> 2] = r[((w >>> 8) & 15)];
              storeI32[(offset >>> 2) + 1] = r[((w >>> 20) & 15)];
              if (mode === 1 /* AddrMode.PRE */ || mode === 2 /* AddrMode.POST */) r[((w >>> 12) & 15)] = writeBack;
              executed++;
              slot = next;
              if (this.storeTouchesCode(address, 8)) {
                this.instret += executed - counted;
                counted = executed;
                pc = (pageBase + (next << 1)) | 0;
                this.space.notifyRamWrite(address >>> 0, 8);
                if (jitOn) this.markSlowPath(page, pageBase, j >>> 2);
                continue outer;
              }
              continue;
            }
            case 73 /* LDR_IMM */: case 74 /* LDR_REG */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              // a word load inside one of the load windows; else execute()
              address = (r[((w >>> 12) & 15)] + (op === 73 /* LDR_IMM */ ? imm : r[((w >>> 16) & 15)] << ((aux >>> 3) & 63))) | 0;
              if ((address & 3) !== 0) break;
              let offset = (address - loadBase) | 0;
              let value: number;
              if (offset >>> 0 < loadLength >>> 0) {
                value = loadI32[offset >>> 2];
              } else {
                offset = (address - load2Base) | 0;
                if (offset >>> 0 >= load2Length >>> 0) break;
                value = load2I32[offset >>> 2];
              }
              r[((w >>> 8) & 15)] = value;
              executed++;
              slot = next;
              continue;
            }
            case 75 /* STR_IMM */: case 76 /* STR_REG */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              // a word store inside the store window with the exclusive monitor open; else execute()
              address = (r[((w >>> 12) & 15)] + (op === 75 /* STR_IMM */ ? imm : r[((w >>> 16) & 15)] << ((aux >>> 3) & 63))) | 0;
              const offset = (address - storeBase) | 0;
              if ((address & 3) !== 0 || offset >>> 0 >= storeLength >>> 0) break;
              storeI32[offset >>> 2] = r[((w >>> 8) & 15)];
              executed++;
              slot = next;
              if ((this.codeChunks[address >>> 12] & (1 << ((address >>> 7 /* CODE_CHUNK_SHIFT */) & 31))) !== 0) {
                // an aligned access lies within one code chunk: a store into decoded code
                this.instret += executed - counted;
                counted = executed;
                pc = (pageBase + (next << 1)) | 0;
                this.space.notifyRamWrite(address >>> 0, 4);
                if (jitOn) this.markSlowPath(page, pageBase, j >>> 2);
                continue outer;
              }
              continue;
            }
            case 77 /* LDRB_IMM */: case 79 /* LDR_WB */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              // an unsigned byte at [rn, #imm], [rn, #imm]! or [rn], #imm, or a word at the last two, inside one of the load windows; else execute()
              const base = r[((w >>> 12) & 15)];
              const moved = (base + imm) | 0;
              const mode = ((aux >>> 15) & 7);
              address = mode === 2 /* AddrMode.POST */ ? base : moved;
              if (mode !== 0 /* AddrMode.OFFSET */) writeBack = moved;
              const word = op === 79 /* LDR_WB */;
              if ((word && (address & 3) !== 0)) break;
              let offset = (address - loadBase) | 0;
              let value: number;
              if (offset >>> 0 < loadLength >>> 0) {
                value = word ? loadI32[offset >>> 2] : loadU8[offset];
              } else {
                offset = (address - load2Base) | 0;
                if (offset >>> 0 >= load2Length >>> 0) break;
                value = word ? load2I32[offset >>> 2] : load2U8[offset];
              }
              if (mode !== 0 /* AddrMode.OFFSET */) r[((w >>> 12) & 15)] = writeBack;
              r[((w >>> 8) & 15)] = value;
              executed++;
              slot = next;
              continue;
            }
            case 78 /* STRB_IMM */: case 80 /* STR_WB */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              // as LDRB_IMM and LDR_WB, into the store window with the exclusive monitor open
              const base = r[((w >>> 12) & 15)];
              const moved = (base + imm) | 0;
              const mode = ((aux >>> 15) & 7);
              address = mode === 2 /* AddrMode.POST */ ? base : moved;
              if (mode !== 0 /* AddrMode.OFFSET */) writeBack = moved;
              const word = op === 80 /* STR_WB */;
              const offset = (address - storeBase) | 0;
              if ((word && (address & 3) !== 0) || offset >>> 0 >= storeLength >>> 0) break;
              if (word) storeI32[offset >>> 2] = r[((w >>> 8) & 15)];
              else storeU8[offset] = r[((w >>> 8) & 15)];
              if (mode !== 0 /* AddrMode.OFFSET */) r[((w >>> 12) & 15)] = writeBack;
              executed++;
              slot = next;
              if ((this.codeChunks[address >>> 12] & (1 << ((address >>> 7 /* CODE_CHUNK_SHIFT */) & 31))) !== 0) {
                this.instret += executed - counted;
                counted = executed;
                pc = (pageBase + (next << 1)) | 0;
                this.space.notifyRamWrite(address >>> 0, word ? 4 : 1);
                if (jitOn) this.markSlowPath(page, pageBase, j >>> 2);
                continue outer;
              }
              continue;
            }
            case 51 /* LOAD */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const mode = (aux >>> 15) & 7;
              switch (mode) {
                case 0 /* AddrMode.OFFSET */: address = r[((w >>> 12) & 15)] + imm; break;
                case 1 /* AddrMode.PRE */: address = r[((w >>> 12) & 15)] + imm; writeBack = address; break;
                case 2 /* AddrMode.POST */: address = r[((w >>> 12) & 15)]; writeBack = r[((w >>> 12) & 15)] + imm; break;
                case 3 /* AddrMode.REG */: address = r[((w >>> 12) & 15)] + (r[((w >>> 16) & 15)] << ((aux >>> 3) & 63)); break;
                default: address = imm; break;
              }
              address |= 0;
              // fast path: an aligned access inside one of the load windows; else execute() (faults, devices, watchpoints, LDRT, a load into the pc)
              const size = ((aux >>> 18) & 7);
              if ((address & (size - 1)) !== 0 || ((w >>> 8) & 15) === 15 || ((aux & 0x40_0000 /* AUX_UNPRIVILEGED */) !== 0)) break;
              let offset = (address - loadBase) | 0;
              let value: number;
              if (offset >>> 0 < loadLength >>> 0) {
                value = size === 4 ? loadI32[offset >>> 2] : size === 2 ? loadU16[offset >>> 1] : loadU8[offset];
              } else {
                offset = (address - load2Base) | 0;
                if (offset >>> 0 >= load2Length >>> 0) break;
                value = size === 4 ? load2I32[offset >>> 2] : size === 2 ? load2U16[offset >>> 1] : load2U8[offset];
              }
              if (((aux & 0x20_0000 /* AUX_SIGNED */) !== 0)) value = size === 1 ? (value << 24) >> 24 : (value << 16) >> 16;
              if (mode === 1 /* AddrMode.PRE */ || mode === 2 /* AddrMode.POST */) r[((w >>> 12) & 15)] = writeBack;
              r[((w >>> 8) & 15)] = value;
              executed++;
              slot = next;
              continue;
            }
            case 52 /* STORE */: {
              const imm = code[j + 1];
              const aux = code[j + 2];
              const mode = (aux >>> 15) & 7;
              switch (mode) {
                case 0 /* AddrMode.OFFSET */: address = r[((w >>> 12) & 15)] + imm; break;
                case 1 /* AddrMode.PRE */: address = r[((w >>> 12) & 15)] + imm; writeBack = address; break;
                case 2 /* AddrMode.POST */: address = r[((w >>> 12) & 15)]; writeBack = r[((w >>> 12) & 15)] + imm; break;
                default: address = r[((w >>> 12) & 15)] + (r[((w >>> 16) & 15)] << ((aux >>> 3) & 63)); break;
              }
              address |= 0;
              // fast path: an aligned store inside the store window with the exclusive monitor open
              const size = ((aux >>> 18) & 7);
              const offset = (address - storeBase) | 0;
              if ((address & (size - 1)) !== 0 || offset >>> 0 >= storeLength >>> 0 || ((aux & 0x40_0000 /* AUX_UNPRIVILEGED */) !== 0)) break;
              const value = r[((w >>> 8) & 15)];
              if (size === 4) storeI32[offset >>> 2] = value;
              else if (size === 2) storeU16[offset >>> 1] = value;
              else storeU8[offset] = value;
              if (mode === 1 /* AddrMode.PRE */ || mode === 2 /* AddrMode.POST */) r[((w >>> 12) & 15)] = writeBack;
              executed++;
              slot = next;
              if ((this.codeChunks[address >>> 12] & (1 << ((address >>> 7 /* CODE_CHUNK_SHIFT */) & 31))) !== 0) {
                // a store into decoded code (aligned: within one code chunk): the listeners drop it; the next block decodes afresh
                this.instret += executed - counted;
                counted = executed;
                pc = (pageBase + (next << 1)) | 0;
                this.space.notifyRamWrite(address >>> 0, size);
                if (jitOn) this.markSlowPath(page, pageBase, j >>> 2);
                continue outer;
              }
              continue;
            }
            case 59 /* CLREX */:
              this.exclusiveAddress = -1;
              executed++;
              slot = next;
              continue;
            case 63 /* NOP */: case 67 /* BARRIER */:
              executed++;
              slot = next;
              continue;
            case 66 /* SEV */:
              this.eventRegister = true;
              executed++;
              slot = next;
              continue;
            case 70 /* IT */: {
              const aux = code[j + 2];
              it = (aux & 0xffff);
              executed++;
              slot = next;
              continue;
            }
            default:
              break;
          }
          // execute(): the core's fields must be what the instruction's architecture sees
          pc = (pageBase + (slot << 1)) | 0;
          r[15] = pc + 4;
          this.instret += executed - counted;
          this.pcValue = pc >>> 0;
          this.curPc = pc >>> 0;
          this.itState = it;
          this.commitFlags(nzcv);
          this.itBefore = itBefore;
          this.nextPc = (pageBase + (next << 1)) | 0;
          this.faulted = false;
          this.runExecuted = executed;
          // (the compiling tier: whether this was a load or store that only opens its RAM window, else a slow path to mark)
          const opening = jitOn ? this.mayOnlyOpenWindow(page.insns[slot] as Insn, address | 0) : undefined;
          this.execute(page.insns[slot] as Insn, pc >>> 0, address >>> 0, writeBack);
          if (jitOn && !(opening !== undefined && !this.faulted && this.jitWindowsHold(opening))) this.markSlowPath(page, pageBase, slot);
          executed++;
          counted = executed;
          it = this.itState;
          nzcv = this.packedFlags();
          if (this.faulted) {
            pc = this.pcValue | 0;
            if (this.lockedUp) break outer;
            continue outer;
          }
          this.instret++;
          if (this.excReturnPending) {
            this.excReturnPending = false;
            this.exceptionReturn(this.nextPc >>> 0);
            pc = this.pcValue | 0;
            it = this.itState;
            nzcv = this.packedFlags();
            if (this.lockedUp || this.waitingForInterrupt) break outer;
            continue outer;
          }
          pc = this.nextPc | 0;
          if (this.waitingForInterrupt) break outer;
          continue outer;
        }
      }
      this.instret += executed - counted;
      this.pcValue = pc >>> 0;
      this.itState = it;
      this.commitFlags(nzcv);
    } catch (error) {
      if (error !== WATCH_STOP) throw error;
      this.pcValue = this.curPc;
      this.itState = this.itBefore;
      this.passBreakpointAt = this.curPc;
      executed = this.runExecuted;
    }
    // r15 holds pc + 4 only for the instructions that read it, and which of them ran in which tier or path
    // differs: after a run it is pc + 4 whatever ran, so the saved state is the same
    r[15] = (this.pcValue + 4) | 0;
    return executed;
  }

  // ------------------------------------------------------------------ the compiling tier (../../jit/thumb-translator.ts)

  /** Run a page's compiled code from `slot` with `remaining` steps of budget; the steps it took (0: none, the interpreter goes on). */
  private runCompiled(page: DecodedPage, pageBase: number, slot: number, remaining: number, nzcv: number): number {
    const ctx = this.ctx;
    ctx[THUMB_CTX.FLAGS] = nzcv;
    ctx[CTX_STATUS] = STATUS_OK;
    this.syncJitWindows();
    this.jitPage = page;
    this.jitBudget = remaining;
    this.jitInstret = this.instret;
    const ran = remaining - page.jit!.run(pageBase, slot, remaining);
    if (ran !== 0) {
      // every step retired; after a trap (compiled code leaves right after it) the helper has counted as execute() says (an SVC retires, a fault does not)
      if (ctx[CTX_STATUS] !== STATUS_TRAPPED) this.instret = this.jitInstret + ran;
      this.tiers.retired(ran);
    }
    return ran;
  }

  /** Count an entry into `page` at `slot`; true when the page is hot enough to compile (again). */
  private warm(page: DecodedPage, slot: number): boolean {
    const entries = (page.entries ??= new Uint8Array(PAGE_SLOTS));
    entries[slot] = 1;
    return ++page.heat > this.jitThreshold;
  }

  /**
   * Before the interpreter runs `insn` through execute() (its data address `address` as run() formed
   * it): its access, for jitWindowsHold, when it is a load or store whose slow path may only be
   * opening the RAM window it goes to, aligned as compiled code needs and displacing no window in
   * use; else undefined. Anything else run through execute() is a slow path compiled code should
   * call the exec helper for (markSlowPath).
   */
  private mayOnlyOpenWindow(insn: Insn, address: number): WindowAccess | undefined {
    const op = insn.op;
    let start = address;
    let bytes: number;
    let store: boolean;
    if (op === Op.LDM || op === Op.STM) {
      const count = popcount16(insn.list);
      if (count === 0) return undefined;
      start = insn.decrement ? (this.r[insn.rn] - 4 * count) | 0 : this.r[insn.rn];
      bytes = 4 * count;
      store = op === Op.STM;
    } else if (op === Op.LDRD || op === Op.STRD) {
      bytes = 8;
      store = op === Op.STRD;
    } else if (op === Op.LOAD || op === Op.LDR_IMM || op === Op.LDR_REG || op === Op.LDRB_IMM || op === Op.LDR_WB) {
      if (insn.rd === 15 || insn.unprivileged) return undefined;
      bytes = insn.size;
      store = false;
    } else if (op === Op.STORE || op === Op.STR_IMM || op === Op.STR_REG || op === Op.STRB_IMM || op === Op.STR_WB) {
      if (insn.unprivileged) return undefined;
      bytes = insn.size;
      store = true;
    } else {
      return undefined;
    }
    if ((start & (Math.min(bytes, 4) - 1)) !== 0) return undefined;
    // opening a window here would close one in use (the store window, or the second load window): the access would miss in turns with others
    if (store ? this.storeLength !== 0 : this.load2Length !== 0) return undefined;
    return { start, bytes, store };
  }

  /** After mayOnlyOpenWindow and execute(): is `access` now inside a window compiled code sees (syncJitWindows)? */
  private jitWindowsHold(access: WindowAccess): boolean {
    const first = access.start;
    const last = (first + access.bytes - 1) | 0;
    const inside = (base: number, length: number, arena: number) => arena >= 0 && ((first - base) | 0) >>> 0 < length >>> 0 && ((last - base) | 0) >>> 0 < length >>> 0;
    if (access.store) return this.exclusiveAddress === -1 && inside(this.storeBase, this.storeLength, this.storeArena);
    return inside(this.loadBase, this.loadLength, this.loadArena) || inside(this.load2Base, this.load2Length, this.load2Arena);
  }

  /**
   * The interpreter took a slow path at `slot` of `page` (DecodedPage.slowPath). When the page's
   * compiled code lacks the mark, it leaves before that instruction each time it gets there: that
   * heats the page, which is compiled again (calling the helper there) once it is hot.
   */
  private markSlowPath(page: DecodedPage, pageBase: number, slot: number): void {
    (page.slowPath ??= new Uint8Array(PAGE_SLOTS))[slot] = 1;
    const compiled = page.jit;
    if (compiled !== null && (compiled.slowPath === null || compiled.slowPath[slot] === 0) && ++page.heat > this.jitThreshold) this.compilePage(page, pageBase);
  }

  /** Compile the page's code from the entries seen so far (the tier falls back to the interpreter, and says so once, when it cannot). */
  private compilePage(page: DecodedPage, pageBase: number): void {
    page.heat = 0;
    if (page.jit !== null) this.tiers.remove(page.jit);
    const entries = page.entries!;
    const start = performance.now();
    let compiled: CompiledThumbPage;
    try {
      const translation = translateThumbPage(
        { base: pageBase, insn: (slot) => this.insnToTranslate(page, pageBase, slot), entries: entriesOf(entries), slowPath: page.slowPath ?? undefined },
        { context: this.ctxOffset, codeChunks: this.space.codeChunksArenaOffset, helperAtEveryAccess: this.ramOutsideArena },
      );
      if (translation === undefined) {
        // nothing compilable starts at the entries (system code): wait longer before trying again
        page.heat = -8 * this.jitThreshold - 64;
        return;
      }
      const module = new WebAssembly.Module(translation.bytes);
      const instance = new WebAssembly.Instance(module, { env: { memory: this.space.arena!.memory, ...this.jitHelpers } });
      // the slots this code was compiled knowing: its leaders and the entries it was given (some start nothing compilable)
      const known = translation.leaders;
      for (let slot = 0; slot < PAGE_SLOTS; slot++) known[slot] |= entries[slot];
      compiled = new CompiledThumbPage(page, instance.exports.run as CompiledThumbPage['run'], known, translation.bytes.length, page.slowPath?.slice() ?? null);
    } catch (e) {
      page.heat = -0x4000_0000;
      this.tiers.fallback('compile', `code at page 0x${(pageBase >>> 0).toString(16)} could not be compiled to WebAssembly (${e instanceof Error ? e.message : String(e)}); it runs on the interpreter`);
      return;
    }
    page.jit = compiled;
    this.tiers.add(compiled, performance.now() - start);
  }

  /** The instruction at `slot` of a cached page for the translator, decoded now if need be; undefined when its bytes are not all RAM or ROM of this page. */
  private insnToTranslate(page: DecodedPage, pageBase: number, slot: number): Insn | undefined {
    const known = page.insns[slot];
    if (known !== undefined) return known;
    const pc = (pageBase + 2 * slot) >>> 0;
    if (pc >= XN_BASE || this.space.findRam(pc, 2) === undefined) return undefined;
    const hw1 = this.space.tryLoad(pc, 2);
    const wide = isThumb32(hw1);
    if (wide && (slot === PAGE_SLOTS - 1 || this.space.findRam(pc, 4) === undefined)) return undefined;
    const insn = decode(hw1, wide ? this.space.tryLoad(pc + 2, 2) : 0, pc);
    if (!this.v7 && insn.v7Only) insn.op = insn.op === Op.NOCP ? Op.NOCP : Op.UNDEFINED;
    // as decodeSlot: stores to these bytes now reach the listeners
    const last = pc + insn.len - 1;
    this.codeChunks[pc >>> 12] |= 1 << ((pc >>> CODE_CHUNK_SHIFT) & 31);
    this.codeChunks[last >>> 12] |= 1 << ((last >>> CODE_CHUNK_SHIFT) & 31);
    packInsn(insn, page.code, slot * SLOT_WORDS);
    page.insns[slot] = insn;
    return insn;
  }

  /** Forget a page of decoded code and its compiled code; false when there was none. */
  private dropPage(pageNumber: number): boolean {
    const page = this.pages.get(pageNumber);
    if (page === undefined) return false;
    if (page.jit !== null) this.tiers.remove(page.jit);
    this.pages.delete(pageNumber);
    return true;
  }

  /** The fast-path windows as compiled code sees them (only RAM in the guest arena; no store window while the exclusive monitor is open). */
  private syncJitWindows(): void {
    const c = this.ctx;
    c[THUMB_CTX.LD_BASE] = this.loadBase;
    c[THUMB_CTX.LD_SIZE] = this.loadArena >= 0 ? this.loadLength : 0;
    c[THUMB_CTX.LD_OFF] = this.loadArena;
    c[THUMB_CTX.LD2_BASE] = this.load2Base;
    c[THUMB_CTX.LD2_SIZE] = this.load2Arena >= 0 ? this.load2Length : 0;
    c[THUMB_CTX.LD2_OFF] = this.load2Arena;
    c[THUMB_CTX.ST_BASE] = this.storeBase;
    c[THUMB_CTX.ST_SIZE] = this.storeArena >= 0 && this.exclusiveAddress === -1 ? this.storeLength : 0;
    c[THUMB_CTX.ST_OFF] = this.storeArena;
  }

  /**
   * The compiling tier's helper: run the instruction at `pc` as run() does when it leaves one to
   * execute() (`remaining`: the budget left after it). STATUS says whether compiled code goes on
   * (../../jit/thumb-translator.ts).
   */
  private jitExec(pc: number, remaining: number): void {
    const ctx = this.ctx;
    const page = this.jitPage!;
    const insn = page.insns[(pc >>> 1) & (PAGE_SLOTS - 1)]!;
    const steps = this.jitBudget - remaining - 1;
    const r = this.r;
    this.instret = this.jitInstret + steps;
    this.runExecuted = steps;
    this.pcValue = pc >>> 0;
    this.curPc = pc >>> 0;
    this.itState = 0;
    this.itBefore = 0;
    this.commitFlags(ctx[THUMB_CTX.FLAGS]);
    r[15] = pc + 4;
    const next = (pc + insn.len) | 0;
    this.nextPc = next;
    this.faulted = false;
    // the address and write-back value run() forms for LOAD and STORE
    let address = 0;
    let writeBack = 0; // read only for the pre- and post-indexed modes (writesBack)
    if (insn.op === Op.LOAD || insn.op === Op.STORE || (insn.op >= Op.LDR_IMM && insn.op <= Op.STR_WB)) {
      switch (insn.mode) {
        case AddrMode.OFFSET: address = r[insn.rn] + insn.imm; break;
        case AddrMode.PRE: address = r[insn.rn] + insn.imm; writeBack = address; break;
        case AddrMode.POST: address = r[insn.rn]; writeBack = r[insn.rn] + insn.imm; break;
        case AddrMode.REG: address = r[insn.rn] + (r[insn.rm] << insn.shiftN); break;
        default: address = insn.imm; break;
      }
      address |= 0;
    }
    this.execute(insn, pc >>> 0, address >>> 0, writeBack);
    if (this.faulted) {
      ctx[CTX_NEXT_PC] = this.pcValue | 0;
      ctx[CTX_STATUS] = STATUS_TRAPPED;
    } else {
      this.instret++;
      if (this.excReturnPending) {
        this.excReturnPending = false;
        this.exceptionReturn(this.nextPc >>> 0);
        ctx[CTX_NEXT_PC] = this.pcValue | 0;
        ctx[CTX_STATUS] = STATUS_ATTENTION;
      } else {
        ctx[CTX_NEXT_PC] = this.nextPc | 0;
        // a branch, an interrupt or stop to look at, sleep, an IT block, Thumb state left, this page's code changed: back to the core
        const goOn = this.nextPc === next && !this.attention && !this.waitingForInterrupt && this.itState === 0 && this.thumb === 1 && page.jit !== null;
        ctx[CTX_STATUS] = goOn ? STATUS_OK : STATUS_ATTENTION;
      }
    }
    ctx[THUMB_CTX.FLAGS] = this.packedFlags();
    this.syncJitWindows();
  }

  /** Compiled code stored into bytes decoded as code: tell every core; 1 when this page's compiled code is gone. */
  private jitCodeWritten(address: number, size: number): number {
    this.space.notifyRamWrite(address >>> 0, size);
    return this.jitPage!.jit === null ? 1 : 0;
  }

  /**
   * Decode the instruction at `pc` into its slot of the page cache (a new page if it has none), or,
   * when it cannot be cached (not all in RAM or ROM: device registers may change under us), into
   * the scratch page, for one pass of run()'s inner loop. The page, or undefined when the fetch
   * faulted (the fault is taken).
   */
  private decodeSlot(pc: number): DecodedPage | undefined {
    if (this.thumb === 0) {
      this.invalidState();
      return undefined;
    }
    if (pc >= XN_BASE) {
      this.fault(Exception.MEM_MANAGE, FaultBit.IACCVIOL, 'access-fault', 'fetch', pc, 'instruction access fault (execute never region)');
      return undefined;
    }
    const hw1 = this.space.tryLoad(pc, 2);
    if (hw1 < 0) {
      this.fault(Exception.BUS_FAULT, FaultBit.IBUSERR, 'access-fault', 'fetch', pc, 'instruction access fault (bus error)');
      return undefined;
    }
    let hw2 = 0;
    if (isThumb32(hw1)) {
      hw2 = this.space.tryLoad(pc + 2, 2);
      if (hw2 < 0) {
        this.fault(Exception.BUS_FAULT, FaultBit.IBUSERR, 'access-fault', 'fetch', pc + 2, 'instruction access fault (bus error)');
        return undefined;
      }
    }
    const insn = decode(hw1, hw2, pc);
    if (!this.v7 && insn.v7Only) insn.op = insn.op === Op.NOCP ? Op.NOCP : Op.UNDEFINED;
    const slot = (pc >>> 1) & (PAGE_SLOTS - 1);
    let page: DecodedPage;
    // cache only code in RAM or ROM (device registers may change under us)
    if (this.space.findRam(pc, insn.len) !== undefined) {
      const key = pc >>> PAGE_SHIFT;
      const cached = this.pages.get(key);
      if (cached === undefined) {
        page = new DecodedPage(NOT_DECODED_WORD);
        this.pages.set(key, page);
      } else {
        page = cached;
      }
      if ((pc + insn.len - 1) >>> PAGE_SHIFT !== key) this.straddlingPages.add(key);
      // stores by any CPU to these bytes (also through a fast path) now reach the listeners
      const last = pc + insn.len - 1;
      this.codeChunks[pc >>> 12] |= 1 << ((pc >>> CODE_CHUNK_SHIFT) & 31);
      this.codeChunks[last >>> 12] |= 1 << ((last >>> CODE_CHUNK_SHIFT) & 31);
    } else {
      page = this.scratch;
      page.code[this.scratchSlot * SLOT_WORDS] = PAGE_END_WORD;
      this.scratchSlot = slot;
    }
    packInsn(insn, page.code, slot * SLOT_WORDS);
    page.insns[slot] = insn;
    return page;
  }

  /** Executing with EPSR.T clear: a UsageFault INVSTATE at curPc (the instruction does not run). */
  private invalidState(): void {
    this.fault(Exception.USAGE_FAULT, FaultBit.INVSTATE, 'illegal-instruction', undefined, 0, 'invalid state (Thumb bit clear)');
  }

  /** Write run()'s flags local (N << 3 | Z << 2 | C << 1 | V) back to the flag fields. */
  private commitFlags(nzcv: number): void {
    this.flagN = nzcv >>> 3;
    this.flagZ = (nzcv >>> 2) & 1;
    this.flagC = (nzcv >>> 1) & 1;
    this.flagV = nzcv & 1;
  }

  /** The flag fields packed as run()'s local holds them (CONDITION_TABLE's index). */
  private packedFlags(): number {
    return (this.flagN << 3) | (this.flagZ << 2) | (this.flagC << 1) | this.flagV;
  }

  private setApsr(value: number): void {
    this.flagN = (value >>> 31) & 1;
    this.flagZ = (value >>> 30) & 1;
    this.flagC = (value >>> 29) & 1;
    this.flagV = (value >>> 28) & 1;
    this.flagQ = (value >>> 27) & 1;
  }

  /** Shift_C: `value` shifted by `n` (the register-shifted forms may pass up to 255); the carry out goes to shifterCarry. */
  private shift(value: number, type: number, n: number, carryIn: number): number {
    if (n === 0) {
      this.shifterCarry = carryIn;
      return value;
    }
    switch (type) {
      case Shift.LSL:
        this.shifterCarry = n > 32 ? 0 : (value >>> (32 - n)) & 1;
        return n >= 32 ? 0 : value << n;
      case Shift.LSR:
        this.shifterCarry = n > 32 ? 0 : (value >>> (n - 1)) & 1;
        return n >= 32 ? 0 : (value >>> n) | 0;
      case Shift.ASR:
        this.shifterCarry = (value >> (Math.min(n, 32) - 1)) & 1;
        return value >> Math.min(n, 31);
      case Shift.ROR: {
        const m = n & 31;
        const result = m === 0 ? value : (value >>> m) | (value << (32 - m));
        this.shifterCarry = result >>> 31;
        return result;
      }
      default: // RRX
        this.shifterCarry = value & 1;
        return (carryIn << 31) | (value >>> 1);
    }
  }

  /** BXWritePC / LoadWritePC: interworking branch; an EXC_RETURN value in handler mode returns from the exception. */
  private bxWritePc(value: number): void {
    if (this.ipsr !== 0 && value >>> 28 === 0xf) {
      this.excReturnPending = true;
      this.nextPc = value;
      return;
    }
    this.thumb = value & 1;
    this.nextPc = value & ~1;
  }

  /**
   * The instructions run()'s switch leaves to the core's full machinery: those that can fault,
   * branch with interworking or return from an exception, touch system state or sleep, and the
   * loads and stores outside the fast-path windows (`address` and `writeBack`: what run() formed
   * for LOAD and STORE). run() has set curPc, nextPc, itState and instret; the instruction
   * changes nextPc to branch, sets `faulted` when it took a fault. Literal case labels as in run().
   */
  private execute(insn: Insn, pc: number, address: number, writeBack: number): void {
    const r = this.r;
    switch (insn.op) {
      case 1 /* NOCP */:
        this.fault(Exception.USAGE_FAULT, FaultBit.NOCP, 'illegal-instruction', undefined, insn.raw, 'coprocessor instruction (no coprocessor)');
        return;
      case 26 /* UDIV */: case 27 /* SDIV */:
        // run() divides; here the divisor is 0
        if ((this.scs.ccr & CCR_DIV_0_TRP) !== 0) {
          this.fault(Exception.USAGE_FAULT, FaultBit.DIVBYZERO, 'other', undefined, 0, 'division by zero');
          return;
        }
        r[insn.rd] = 0;
        return;
      case 45 /* BX */:
        this.bxWritePc(r[insn.rm]);
        return;
      case 46 /* BLX */: {
        const target = r[insn.rm];
        r[14] = (pc + 2) | 1;
        this.bxWritePc(target);
        return;
      }
      case 49 /* TBB */: case 50 /* TBH */: {
        const half = insn.op === Op.TBH;
        const entry = (r[insn.rn] + (half ? r[insn.rm] << 1 : r[insn.rm])) >>> 0;
        const offset = this.load(entry, half ? 2 : 1, false);
        if (offset < 0) return;
        this.nextPc = pc + 4 + offset * 2;
        return;
      }
      case 51 /* LOAD */: case 73 /* LDR_IMM */: case 74 /* LDR_REG */: case 77 /* LDRB_IMM */: case 79 /* LDR_WB */:
        this.executeLoad(insn, address, writeBack);
        return;
      case 52 /* STORE */: case 75 /* STR_IMM */: case 76 /* STR_REG */: case 78 /* STRB_IMM */: case 80 /* STR_WB */:
        this.executeStore(insn, address, writeBack);
        return;
      case 53 /* LDM */: this.executeLdm(insn); return;
      case 54 /* STM */: this.executeStm(insn); return;
      case 55 /* LDRD */: case 56 /* STRD */: this.executeDual(insn); return;
      case 57 /* LDREX */: {
        const target = (r[insn.rn] + insn.imm) >>> 0;
        if (!this.aligned(target, insn.size, true)) return;
        const value = this.load(target, insn.size as 1 | 2 | 4, false);
        if (value < 0) return;
        this.exclusiveAddress = target;
        r[insn.rd] = value;
        return;
      }
      case 58 /* STREX */: {
        const target = (r[insn.rn] + insn.imm) >>> 0;
        if (!this.aligned(target, insn.size, true)) return;
        if (this.exclusiveAddress === target) {
          if (!this.store(target, r[insn.rd], insn.size as 1 | 2 | 4, false)) return;
          r[insn.ra] = 0;
        } else {
          r[insn.ra] = 1;
        }
        this.exclusiveAddress = -1;
        return;
      }
      case 60 /* MRS */:
        r[insn.rd] = this.readSpecial(insn.imm);
        return;
      case 61 /* MSR */:
        this.writeSpecial(insn.imm, r[insn.rn], insn.list);
        return;
      case 62 /* CPS */:
        if (!this.privileged) return;
        if ((insn.list & 2) !== 0) this.primask = insn.writeBack ? 1 : 0;
        if ((insn.list & 1) !== 0 && this.v7) {
          if (!insn.writeBack) this.faultmask = 0;
          else if (this.executionPriority > -1) this.faultmask = 1;
        }
        this.updatePriority();
        return;
      case 64 /* WFI */:
        this.sleep(false);
        return;
      case 65 /* WFE */:
        if (this.eventRegister) {
          this.eventRegister = false;
          return;
        }
        this.sleep(true);
        return;
      case 68 /* SVC */:
        this.synchronousException(Exception.SVCALL, pc + 2, 'environment-call', 'supervisor call (SVC)', insn.imm);
        return;
      case 69 /* BKPT */:
        if (this.options.semihosting !== undefined && insn.imm === 0xab) {
          r[0] = this.options.semihosting(r[0] >>> 0, r[1] >>> 0);
          return;
        }
        // No debugger in the guest's view (DHCSR.C_DEBUGEN clear, no DebugMonitor): a debug event escalates to HardFault.
        this.scs.recordFault('debug', FaultBit.BKPT);
        this.scs.recordFault('hard', FaultBit.DEBUGEVT);
        // bkpt 0xab is how firmware asks for semihosting: say so, since the fix is a property, not the code
        this.faultEntry(Exception.HARD_FAULT, pc, 'breakpoint', undefined, 0, insn.imm === 0xab ? BKPT_SEMIHOSTING_OFF : 'breakpoint (BKPT)', true);
        return;
      case 0 /* UNDEFINED */: case 71 /* UDF */:
      default:
        // also a UBFX/SBFX whose field runs past bit 31 (run() leaves it here)
        this.fault(Exception.USAGE_FAULT, FaultBit.UNDEFINSTR, 'illegal-instruction', undefined, insn.raw, 'undefined instruction');
    }
  }

  /** UMULL, SMULL, UMLAL, SMLAL: the 64-bit product (plus RdHi:RdLo) from 16-bit partial products, exact in doubles. */
  private longMultiply(op: number, rdLo: number, rdHi: number, rn: number, rm: number): void {
    const r = this.r;
    const a = r[rn] >>> 0;
    const b = r[rm] >>> 0;
    const aLow = a & 0xffff;
    const aHigh = a >>> 16;
    const bLow = b & 0xffff;
    const bHigh = b >>> 16;
    const cross1 = aLow * bHigh;
    const cross2 = aHigh * bLow;
    const middle = ((aLow * bLow) >>> 16) + (cross1 & 0xffff) + (cross2 & 0xffff);
    let high = aHigh * bHigh + Math.floor(cross1 / 0x10000) + Math.floor(cross2 / 0x10000) + Math.floor(middle / 0x10000);
    let low = Math.imul(a, b) >>> 0;
    if (op === 23 /* SMULL */ || op === 25 /* SMLAL */) {
      // the signed product's high word: subtract b·2^32 for a negative a, a·2^32 for a negative b
      if (r[rn] < 0) high -= b;
      if (r[rm] < 0) high -= a;
    }
    if (op === 24 /* UMLAL */ || op === 25 /* SMLAL */) {
      const sum = low + (r[rdLo] >>> 0);
      low = sum >>> 0;
      high += (r[rdHi] >>> 0) + (sum > 0xffff_ffff ? 1 : 0);
    }
    r[rdLo] = low;
    r[rdHi] = high; // ToInt32: modulo 2^32
  }

  // ------------------------------------------------------------------ loads and stores

  /** UsageFault UNALIGNED when `address` is not aligned to `size` and the access must be (always, or by CCR.UNALIGN_TRP, or on ARMv6-M). */
  private aligned(address: number, size: number, always: boolean): boolean {
    if ((address & (size - 1)) === 0) return true;
    if (!always && this.v7 && (this.scs.ccr & CCR_UNALIGN_TRP) === 0) return true;
    this.fault(Exception.USAGE_FAULT, FaultBit.UNALIGNED, 'misaligned', undefined, address, 'unaligned access');
    return false;
  }

  /** A load outside the fast path (run() formed the address and, for the pre- and post-indexed modes, the base's write-back value). */
  private executeLoad(insn: Insn, address: number, writeBack: number): void {
    const r = this.r;
    if (insn.size > 1 && !this.aligned(address, insn.size, insn.rd === 15)) return;
    if ((address & (insn.size - 1)) !== 0) this.onMisalignedAccess?.('load', address >>> 0, insn.size, this.curPc); // allowed: UNALIGN_TRP clear
    let value = this.load(address, insn.size as 1 | 2 | 4, insn.unprivileged);
    if (value < 0) return;
    if (insn.signed) value = insn.size === 1 ? (value << 24) >> 24 : (value << 16) >> 16;
    if (writesBack(insn.mode)) r[insn.rn] = writeBack;
    if (insn.rd === 15) this.bxWritePc(value);
    else r[insn.rd] = value;
  }

  /** A store outside the fast path (as executeLoad). */
  private executeStore(insn: Insn, address: number, writeBack: number): void {
    if (insn.size > 1 && !this.aligned(address, insn.size, false)) return;
    if ((address & (insn.size - 1)) !== 0) this.onMisalignedAccess?.('store', address >>> 0, insn.size, this.curPc); // allowed: UNALIGN_TRP clear
    if (!this.store(address, this.r[insn.rd], insn.size as 1 | 2 | 4, insn.unprivileged)) return;
    if (writesBack(insn.mode)) this.r[insn.rn] = writeBack;
  }

  private readonly ldmValues = new Int32Array(16);

  private executeLdm(insn: Insn): void {
    const r = this.r;
    const count = popcount16(insn.list);
    const base = r[insn.rn] >>> 0;
    let address = insn.decrement ? base - 4 * count : base;
    if (!this.aligned(address >>> 0, 4, true)) return;
    const values = this.ldmValues;
    for (let i = 0; i < 16; i++) {
      if ((insn.list & (1 << i)) === 0) continue;
      const value = this.load(address >>> 0, 4, false);
      if (value < 0) return;
      values[i] = value;
      address += 4;
    }
    if (insn.writeBack && (insn.list & (1 << insn.rn)) === 0) r[insn.rn] = insn.decrement ? base - 4 * count : base + 4 * count;
    for (let i = 0; i < 15; i++) if ((insn.list & (1 << i)) !== 0) r[i] = values[i];
    if ((insn.list & 0x8000) !== 0) this.bxWritePc(values[15]);
  }

  private executeStm(insn: Insn): void {
    const r = this.r;
    const count = popcount16(insn.list);
    const base = r[insn.rn] >>> 0;
    const start = insn.decrement ? base - 4 * count : base;
    let address = start;
    if (!this.aligned(address >>> 0, 4, true)) return;
    for (let i = 0; i < 16; i++) {
      if ((insn.list & (1 << i)) === 0) continue;
      if (!this.store(address >>> 0, r[i], 4, false)) return;
      address += 4;
    }
    if (insn.writeBack) r[insn.rn] = insn.decrement ? start : base + 4 * count;
  }

  private executeDual(insn: Insn): void {
    const r = this.r;
    let address: number;
    let writeBack = -1;
    switch (insn.mode) {
      case AddrMode.OFFSET: address = r[insn.rn] + insn.imm; break;
      case AddrMode.PRE: address = r[insn.rn] + insn.imm; writeBack = address; break;
      case AddrMode.POST: address = r[insn.rn]; writeBack = r[insn.rn] + insn.imm; break;
      default: address = insn.imm; break;
    }
    address >>>= 0;
    if (!this.aligned(address, 4, true)) return;
    if (insn.op === Op.LDRD) {
      const low = this.load(address, 4, false);
      if (low < 0) return;
      const high = this.load((address + 4) >>> 0, 4, false);
      if (high < 0) return;
      if (writesBack(insn.mode)) r[insn.rn] = writeBack;
      r[insn.rd] = low;
      r[insn.ra] = high;
    } else {
      if (!this.store(address, r[insn.rd], 4, false)) return;
      if (!this.store((address + 4) >>> 0, r[insn.ra], 4, false)) return;
      if (writesBack(insn.mode)) r[insn.rn] = writeBack;
    }
  }

  /** A data load by the core (u32, or FAULTED with the fault taken). */
  load(address: number, size: 1 | 2 | 4, unprivileged: boolean): number {
    if (this.watchpoints.length !== 0) this.checkWatch(address, size, false);
    // fast path: the RAM or ROM mappings the last two slow loads found (never the SCS or a bit-band alias)
    if ((address & (size - 1)) === 0) {
      let offset = (address - this.loadBase) | 0;
      if (offset >>> 0 < this.loadLength >>> 0) return size === 4 ? this.loadI32[offset >>> 2] >>> 0 : size === 2 ? this.loadU16[offset >>> 1] : this.loadU8[offset];
      offset = (address - this.load2Base) | 0;
      if (offset >>> 0 < this.load2Length >>> 0) return size === 4 ? this.load2I32[offset >>> 2] >>> 0 : size === 2 ? this.load2U16[offset >>> 1] : this.load2U8[offset];
    }
    const value = this.busRead(address, size, unprivileged || !this.privileged);
    if (value >= 0) this.openWindow(address, size, false);
    if (value < 0) {
      this.fault(Exception.BUS_FAULT, FaultBit.PRECISERR, 'access-fault', 'load', address, 'load access fault (precise bus error)');
      return FAULTED;
    }
    return value;
  }

  /** A data store by the core; false when it faulted (the fault is taken). */
  store(address: number, value: number, size: 1 | 2 | 4, unprivileged: boolean): boolean {
    if (this.watchpoints.length !== 0) this.checkWatch(address, size, true);
    if (this.exclusiveAddress !== -1 && address === this.exclusiveAddress) this.exclusiveAddress = -1;
    // fast path: the writable RAM mapping the last slow store found; a store into a chunk holding
    // decoded code (any CPU's: AddressSpace.codeChunks) is reported to the space's listeners
    const offset = (address - this.storeBase) | 0;
    if (offset >>> 0 < this.storeLength >>> 0) {
      let done = true;
      if (size === 4) {
        if ((offset & 3) === 0) this.storeI32[offset >>> 2] = value;
        else done = false;
      } else if (size === 2) {
        if ((offset & 1) === 0) this.storeU16[offset >>> 1] = value;
        else done = false;
      } else {
        this.storeU8[offset] = value;
      }
      if (done) {
        if (this.storeTouchesCode(address, size)) this.space.notifyRamWrite(address, size);
        return true;
      }
    }
    if (this.busWrite(address, value, size, unprivileged || !this.privileged)) {
      this.openWindow(address, size, true);
      return true;
    }
    this.fault(Exception.BUS_FAULT, FaultBit.PRECISERR, 'access-fault', 'store', address, 'store access fault (precise bus error)');
    return false;
  }

  /** Do `size` bytes at `address` (at most two code chunks) hold decoded code, of any CPU (AddressSpace.codeChunks)? */
  private storeTouchesCode(address: number, size: number): boolean {
    const last = address + size - 1;
    const chunks = this.codeChunks;
    return (chunks[address >>> 12] & (1 << ((address >>> CODE_CHUNK_SHIFT) & 31))) !== 0 || (chunks[last >>> 12] & (1 << ((last >>> CODE_CHUNK_SHIFT) & 31))) !== 0;
  }

  /**
   * After a slow access to plain memory succeeded: make its RAM (or, for loads, ROM) mapping the
   * fast-path window (for loads, the previous window becomes the second one), unless the mapping reaches the PPB or, with bit-banding, an alias region
   * (those must keep going through busRead/busWrite).
   */
  private openWindow(address: number, size: number, store: boolean): void {
    if (address >= PPB_BASE) return;
    const ram = this.space.findRam(address, size);
    if (ram === undefined || (store && ram.readOnly)) return;
    if (ram.end > PPB_BASE) return;
    if (this.options.bitband && (overlaps(ram.base, ram.end, 0x2200_0000, 0x2400_0000) || overlaps(ram.base, ram.end, 0x4200_0000, 0x4400_0000))) return;
    const i32 = ram.i32;
    if (ram.arenaOffset < 0 && !this.ramOutsideArena) {
      // RAM compiled code cannot reach inline: from now on what it cannot do calls helpers (compiled again)
      this.ramOutsideArena = true;
      this.tiers.clear();
    }
    if (store) {
      this.storeBase = ram.base | 0;
      this.storeLength = (ram.end - ram.base) & ~3;
      this.storeArena = ram.arenaOffset;
      this.storeU8 = ram.u8;
      this.storeU16 = ram.u16;
      this.storeI32 = i32;
    } else if ((ram.base | 0) !== this.loadBase || this.loadLength === 0) {
      // (a closed window's base is 0 too: a mapping at 0, flash, must open it)
      this.load2Base = this.loadBase;
      this.load2Length = this.loadLength;
      this.load2Arena = this.loadArena;
      this.loadArena = ram.arenaOffset;
      this.load2U8 = this.loadU8;
      this.load2U16 = this.loadU16;
      this.load2I32 = this.loadI32;
      this.loadBase = ram.base | 0;
      this.loadLength = (ram.end - ram.base) & ~3;
      this.loadU8 = ram.u8;
      this.loadU16 = ram.u16;
      this.loadI32 = i32;
    }
  }

  /** Where the core's data accesses go: the SCS on the private peripheral bus, bit-band aliases, else the board. -1: nothing answered. */
  busRead(address: number, size: 1 | 2 | 4, unprivileged: boolean): number {
    if (address >= PPB_BASE) {
      if (address < PPB_END) {
        if (address < SCS_BASE || address + size > SCS_END) return -1;
        if (unprivileged && !this.scs.unprivilegedAccessAllowed(address - SCS_BASE)) {
          this.privilegeRefused = true;
          return -1;
        }
        const value = this.scs.read(address - SCS_BASE, size);
        return value === undefined ? -1 : value >>> 0;
      }
    } else if (this.options.bitband && (address >>> 25 === 0x11 || address >>> 25 === 0x21)) {
      const byte = this.tryLoad(bitbandTarget(address), 1);
      return byte < 0 ? -1 : (byte >>> ((address >>> 2) & 7)) & 1;
    }
    return this.tryLoad(address, size);
  }

  busWrite(address: number, value: number, size: 1 | 2 | 4, unprivileged: boolean): boolean {
    if (address >= PPB_BASE) {
      if (address < PPB_END) {
        if (address < SCS_BASE || address + size > SCS_END) return false;
        if (unprivileged && !this.scs.unprivilegedAccessAllowed(address - SCS_BASE)) {
          this.privilegeRefused = true;
          return false;
        }
        return this.scs.write(address - SCS_BASE, value >>> 0, size);
      }
    } else if (this.options.bitband && (address >>> 25 === 0x11 || address >>> 25 === 0x21)) {
      const target = bitbandTarget(address);
      const byte = this.tryLoad(target, 1);
      if (byte < 0) return false;
      const bit = 1 << ((address >>> 2) & 7);
      return this.tryStore(target, (value & 1) !== 0 ? byte | bit : byte & ~bit, 1);
    }
    return this.tryStore(address, value, size);
  }

  /** The board's address space, with a device's thrown BusFault taken as "nothing answered". */
  private tryLoad(address: number, size: 1 | 2 | 4): number {
    try {
      return this.space.tryLoad(address, size);
    } catch {
      return -1;
    }
  }

  private tryStore(address: number, value: number, size: 1 | 2 | 4): boolean {
    try {
      return this.space.tryStore(address, value, size);
    } catch {
      return false;
    }
  }

  // ------------------------------------------------------------------ special registers

  readSpecial(sysm: number): number {
    if (sysm <= SysReg.IEPSR) {
      let value = 0;
      if ((sysm & 4) === 0) value |= (this.flagN << 31) | (this.flagZ << 30) | (this.flagC << 29) | (this.flagV << 28) | (this.flagQ << 27);
      if ((sysm & 1) !== 0) value |= this.ipsr;
      return value;
    }
    switch (sysm) {
      case SysReg.MSP: return this.privileged ? this.msp | 0 : 0;
      case SysReg.PSP: return this.privileged ? this.psp | 0 : 0;
      case SysReg.PRIMASK: return this.primask;
      case SysReg.BASEPRI: case SysReg.BASEPRI_MAX: return this.v7 ? this.basepri : 0;
      case SysReg.FAULTMASK: return this.v7 ? this.faultmask : 0;
      case SysReg.CONTROL: return this.control;
      default: return 0;
    }
  }

  writeSpecial(sysm: number, value: number, mask: number): void {
    if (sysm <= SysReg.XPSR) {
      if ((sysm & 4) === 0 && (mask & 2) !== 0) {
        this.flagN = (value >>> 31) & 1;
        this.flagZ = (value >>> 30) & 1;
        this.flagC = (value >>> 29) & 1;
        this.flagV = (value >>> 28) & 1;
        if (this.v7) this.flagQ = (value >>> 27) & 1;
      }
      return;
    }
    if (!this.privileged) return;
    switch (sysm) {
      case SysReg.MSP: this.msp = value; return;
      case SysReg.PSP: this.psp = value; return;
      case SysReg.PRIMASK: this.primask = value & 1; break;
      case SysReg.BASEPRI: if (this.v7) this.basepri = value & this.basepriMask; break;
      case SysReg.BASEPRI_MAX: {
        const v = value & this.basepriMask;
        if (this.v7 && v !== 0 && (this.basepri === 0 || v < this.basepri)) this.basepri = v;
        break;
      }
      case SysReg.FAULTMASK: if (this.v7 && (value & 1) === 0) this.faultmask = 0; else if (this.v7 && this.executionPriority > -1) this.faultmask = 1; break;
      case SysReg.CONTROL:
        this.setControlRegister(value);
        return;
      default: return;
    }
    this.updatePriority();
    this.attention = true;
  }

  /** CONTROL as a debugger writes it (SPSEL only in thread mode, nPRIV on ARMv7-M). */
  setControlRegister(value: number): void {
    if (this.ipsr === 0) this.setControl((this.control & ~CONTROL_SPSEL) | (value & CONTROL_SPSEL));
    if (this.v7) this.control = (this.control & ~CONTROL_NPRIV) | (value & CONTROL_NPRIV);
  }

  /** Change CONTROL keeping r13 the active stack pointer (SPSEL swaps the banks in thread mode). */
  private setControl(control: number): void {
    const wasPsp = this.usingPsp;
    this.control = control;
    if (wasPsp !== this.usingPsp) this.swapSp();
  }

  private swapSp(): void {
    const active = this.r[13];
    this.r[13] = this.otherSp;
    this.otherSp = active;
  }

  // ------------------------------------------------------------------ the exception model

  /** Recompute the execution priority from the active exceptions and the masks (after any change to them). */
  updatePriority(): void {
    let priority = PRIORITY_THREAD;
    if (this.scs.activeCount() !== 0) {
      const last = Exception.IRQ0 + this.options.numIrq;
      for (let e = Exception.NMI; e < last; e++) {
        if (!this.scs.isActive(e)) continue;
        const p = e <= Exception.HARD_FAULT ? this.scs.priority(e) : this.scs.groupPriority(this.scs.priority(e));
        if (p < priority) priority = p;
      }
    }
    if (this.basepri !== 0) priority = Math.min(priority, this.scs.groupPriority(this.basepri));
    if (this.faultmask !== 0) priority = Math.min(priority, -1);
    this.wakePriority = priority;
    if (this.primask !== 0) priority = Math.min(priority, 0);
    this.executionPriority = priority;
    this.attention = true;
  }

  /** The execution priority now (for tests and the register panel). */
  get currentPriority(): number {
    return this.executionPriority;
  }

  private wakeIfDue(): void {
    if (this.waitingForEvent && this.eventRegister) {
      this.eventRegister = false;
      this.waitingForInterrupt = this.waitingForEvent = false;
      return;
    }
    if (this.scs.pendingException(this.wakePriority) !== 0) this.waitingForInterrupt = this.waitingForEvent = false;
  }

  private sleep(forEvent: boolean): void {
    // an exception that would wake it at once: WFI/WFE completes as a NOP
    if (this.scs.pendingException(this.wakePriority) !== 0) return;
    this.waitingForInterrupt = true;
    this.waitingForEvent = forEvent;
  }

  /** At an instruction boundary: take the pending exception that preempts, if any. */
  private takePendingException(): void {
    const exception = this.scs.pendingException(this.executionPriority);
    if (exception === 0) return;
    const interrupted = this.pcValue;
    this.enterException(exception, interrupted);
    this.reportTrap('interrupt', undefined, exception, 'interrupt', interrupted, 0);
  }

  /**
   * A synchronous fault of the instruction at curPc: taken as `exception` when that is enabled and
   * preempts, else escalated to HardFault; a fault that cannot be escalated locks the core up.
   */
  private fault(exception: 4 | 5 | 6, bit: number, kind: TrapKind, access: TrapAccess | undefined, value: number, name: string): void {
    const address = exception === Exception.USAGE_FAULT ? undefined : value;
    if (kind === 'access-fault') this.refusal = this.ppbRefusal(value >>> 0);
    this.privilegeRefused = false;
    const kindName = exception === Exception.MEM_MANAGE ? 'mem' : exception === Exception.BUS_FAULT ? 'bus' : 'usage';
    if (this.v7 && this.scs.faultEnabled(exception) && this.scs.groupPriority(this.scs.priority(exception)) < this.executionPriority) {
      this.scs.recordFault(kindName, bit, address);
      this.faultEntry(exception, this.curPc, kind, access, value, name, false);
      return;
    }
    if (this.v7) {
      this.scs.recordFault(kindName, bit, address);
      this.scs.recordFault('hard', FaultBit.FORCED);
    }
    this.faultEntry(Exception.HARD_FAULT, this.curPc, kind, access, value, `${name}, escalated to HardFault`, true);
  }

  /** SVC: taken when its priority preempts, else a HardFault (FORCED). */
  private synchronousException(exception: number, returnAddress: number, kind: TrapKind, name: string, value: number): void {
    if (this.scs.groupPriority(this.scs.priority(exception)) < this.executionPriority) {
      // the instruction completes (it retires) and the handler starts
      this.instret++;
      this.faulted = true;
      this.enterException(exception, returnAddress >>> 0);
      this.reportTrap(kind, undefined, exception, name, this.curPc, value);
      return;
    }
    if (this.v7) this.scs.recordFault('hard', FaultBit.FORCED);
    this.faultEntry(Exception.HARD_FAULT, this.curPc, kind, undefined, value, `${name}, escalated to HardFault`, true);
  }

  /** Enter the fault handler (or lock up when HardFault cannot preempt: a fault in HardFault or NMI). */
  private faultEntry(exception: number, returnAddress: number, kind: TrapKind, access: TrapAccess | undefined, value: number, name: string, hard: boolean): void {
    this.faulted = true;
    if (hard && this.executionPriority <= -1) {
      this.lockUp();
      this.reportTrap(kind, access, exception, `${name}: lockup`, this.curPc, value);
      return;
    }
    this.enterException(exception, returnAddress >>> 0);
    this.reportTrap(kind, access, exception, name, this.curPc, value);
  }

  private lockUp(): void {
    this.lockedUp = true;
    this.waitingForInterrupt = false;
    this.pcValue = this.curPc >>> 0;
  }

  /**
   * Why an access to the private peripheral bus faulted, for reports (CpuTrap.coreRefusal): the
   * core answers there, not the board. Undefined for any other address.
   */
  private ppbRefusal(address: number): string | undefined {
    if (address < PPB_BASE || address >= PPB_END) return undefined;
    const at = `0x${address.toString(16).padStart(8, '0')}`;
    const scs = 'System Control Space (0xe000e000–0xe000efff)';
    if (address < SCS_BASE || address >= SCS_END) return `${at} is on the core's private peripheral bus (0xe0000000–0xe00fffff), where this core implements only its ${scs}: a BusFault`;
    if (this.privilegeRefused) return `${at} is in the core's ${scs}, which unprivileged code (thread mode with CONTROL.nPRIV set, or LDRT/STRT) may not access: a BusFault, as the architecture says`;
    return `${at} is in the core's ${scs}, which has no register there that takes this access (its offset or size): a BusFault`;
  }

  private reportTrap(kind: TrapKind, access: TrapAccess | undefined, exception: number, name: string, pc: number, value: number): void {
    const refusal = this.refusal;
    this.refusal = undefined;
    const observer = this.onTrap;
    if (observer === undefined) return;
    const trap = this.trap;
    trap.coreRefusal = refusal;
    trap.kind = kind;
    trap.access = access;
    trap.cause = exception;
    trap.causeName = `${name} (${exceptionName(exception)})`;
    trap.pc = pc >>> 0;
    trap.value = value >>> 0;
    trap.handler = this.pcValue;
    trap.interruptsMasked = this.lockedUp || this.executionPriority < 0;
    observer(trap);
  }

  /**
   * Exception entry (ARMv7-M B1.5.6): push the frame onto the active stack (8-byte aligned under
   * CCR.STKALIGN, noted in the stacked xPSR bit 9), LR = EXC_RETURN, handler mode on MSP, the
   * vector. `returnAddress`: the instruction to resume at.
   */
  private enterException(exception: number, returnAddress: number): void {
    const r = this.r;
    const align = !this.v7 || (this.scs.ccr & CCR_STKALIGN) !== 0;
    const sp = r[13] >>> 0;
    const realign = align && (sp & 4) !== 0;
    const frame = ((sp - 0x20) & (align ? ~7 : ~3)) >>> 0;
    const xpsr = (this.xpsr & ~XPSR_FRAME_ALIGN) | (realign ? XPSR_FRAME_ALIGN : 0);
    const words = [r[0], r[1], r[2], r[3], r[12], r[14], returnAddress, xpsr];
    let stackError = false;
    for (let i = 0; i < 8; i++) if (!this.busWrite((frame + 4 * i) >>> 0, words[i], 4, false)) stackError = true;
    if (stackError) this.scs.recordFault(this.v7 ? 'bus' : 'hard', this.v7 ? FaultBit.STKERR : FaultBit.FORCED);
    r[13] = frame;
    const excReturn = this.ipsr !== 0 ? EXC_RETURN_HANDLER : this.usingPsp ? EXC_RETURN_THREAD_PSP : EXC_RETURN_THREAD_MSP;
    if (this.usingPsp) this.swapSp(); // handler mode uses MSP
    this.ipsr = exception;
    this.control &= ~CONTROL_SPSEL;
    r[14] = excReturn;
    this.startHandler(exception);
  }

  /** The common tail of entry and tail-chaining: active, IT cleared, monitor cleared, event set, the vector. */
  private startHandler(exception: number): void {
    this.scs.activate(exception);
    this.ipsr = exception;
    this.itState = 0;
    this.exclusiveAddress = -1;
    this.eventRegister = true;
    this.waitingForInterrupt = false;
    this.waitingForEvent = false;
    const vectorAddress = (this.scs.vtor + 4 * exception) >>> 0;
    const vector = this.tryLoad(vectorAddress, 4);
    this.updatePriority();
    if (vector < 0) {
      // the vector read failed: HardFault (VECTTBL), or lockup when that is where we already are
      this.scs.recordFault('hard', FaultBit.VECTTBL);
      if (exception === Exception.HARD_FAULT || exception === Exception.NMI) {
        this.curPc = this.pcValue;
        this.lockUp();
        return;
      }
      this.scs.deactivate(exception);
      this.startHandler(Exception.HARD_FAULT);
      return;
    }
    this.thumb = vector & 1;
    this.pcValue = (vector & ~1) >>> 0;
  }

  /** Exception return (B1.5.8): `excReturn` was loaded into the pc in handler mode. */
  private exceptionReturn(excReturn: number): void {
    const returning = this.ipsr;
    const low = excReturn & 0xf;
    const valid = (excReturn & 0x0fff_fff0) === 0x0fff_fff0 && (low === 1 || low === 9 || low === 0xd) && this.scs.isActive(returning);
    if (!valid) {
      this.invalidReturn(excReturn);
      return;
    }
    this.scs.deactivate(returning);
    this.updatePriority();
    const toThread = low !== 1;
    if ((toThread && this.scs.activeCount() !== 0 && (this.scs.ccr & CCR_NONBASETHRDENA) === 0) || (!toThread && this.scs.activeCount() === 0)) {
      this.scs.activate(returning);
      this.updatePriority();
      this.invalidReturn(excReturn);
      return;
    }
    this.exclusiveAddress = -1;
    this.eventRegister = true;
    // tail-chaining: a pending exception that preempts the context we return to is taken without unstacking
    const next = this.scs.pendingException(this.executionPriority);
    if (next !== 0) {
      this.r[14] = excReturn;
      this.startHandler(next);
      this.reportTrap('interrupt', undefined, next, `${exceptionName(next)} (tail-chained)`, this.curPc, 0);
      return;
    }
    // unstack from the stack the EXC_RETURN names
    const usePsp = low === 0xd;
    const frame = (usePsp ? this.psp : this.msp) >>> 0;
    const words = new Array<number>(8);
    for (let i = 0; i < 8; i++) {
      const w = this.busRead((frame + 4 * i) >>> 0, 4, false);
      if (w < 0) {
        this.scs.activate(returning);
        this.updatePriority();
        this.curPc = this.pcValue;
        this.fault(Exception.BUS_FAULT, FaultBit.UNSTKERR, 'access-fault', 'load', (frame + 4 * i) >>> 0, 'bus error on exception return (unstacking)');
        return;
      }
      words[i] = w;
    }
    const xpsr = words[7] >>> 0;
    const popped = (frame + 0x20 + ((xpsr & XPSR_FRAME_ALIGN) !== 0 && (!this.v7 || (this.scs.ccr & CCR_STKALIGN) !== 0) ? 4 : 0)) >>> 0;
    // mode and stack: the handler ran on MSP (r13); the frame was on the stack EXC_RETURN names
    if (usePsp) {
      this.otherSp = this.r[13];
      this.r[13] = popped;
      this.control |= CONTROL_SPSEL;
    } else {
      this.r[13] = popped;
      if (toThread) this.control &= ~CONTROL_SPSEL;
    }
    const r = this.r;
    r[0] = words[0]; r[1] = words[1]; r[2] = words[2]; r[3] = words[3]; r[12] = words[4]; r[14] = words[5];
    this.setApsr(xpsr);
    this.thumb = (xpsr & XPSR_T) !== 0 ? 1 : 0;
    this.itState = ((xpsr >>> 25) & 3) | (((xpsr >>> 10) & 0x3f) << 2);
    this.ipsr = toThread ? 0 : xpsr & XPSR_IPSR_MASK;
    this.pcValue = (words[6] & ~1) >>> 0;
    this.updatePriority();
    this.onTrapReturn?.(this.pcValue);
    if (toThread && this.scs.sleepOnExit) {
      this.waitingForInterrupt = true;
      this.wakeIfDue();
    }
  }

  /** An exception return with a bad EXC_RETURN (or to the wrong mode): UsageFault INVPC, taken from the handler without unstacking. */
  private invalidReturn(excReturn: number): void {
    this.pcValue = excReturn >>> 0;
    this.curPc = excReturn >>> 0;
    this.r[14] = excReturn;
    const enabled = this.v7 && this.scs.faultEnabled(Exception.USAGE_FAULT) && this.scs.groupPriority(this.scs.priority(Exception.USAGE_FAULT)) < this.executionPriority;
    this.scs.recordFault(this.v7 ? 'usage' : 'hard', this.v7 ? FaultBit.INVPC : FaultBit.FORCED);
    if (!enabled) {
      if (this.v7) this.scs.recordFault('hard', FaultBit.FORCED);
      if (this.executionPriority <= -1) {
        this.lockUp();
        this.reportTrap('other', undefined, Exception.HARD_FAULT, 'invalid exception return: lockup', excReturn, excReturn);
        return;
      }
    }
    const target = enabled ? Exception.USAGE_FAULT : Exception.HARD_FAULT;
    this.startHandler(target);
    this.reportTrap('other', undefined, target, 'invalid exception return (INVPC)', excReturn, excReturn);
  }
}

/**
 * A page of decoded code: its slots packed in one Int32Array (./slots.ts), every slot starting as
 * `fill` (SLOT_NOT_DECODED, or PAGE_END for the scratch page) and the two past the page's end as
 * PAGE_END; and the decoded Insns by slot, for execute() (the instructions run() leaves to it).
 */
class DecodedPage {
  readonly code = new Int32Array((PAGE_SLOTS + 2) * SLOT_WORDS);
  readonly insns: Array<Insn | undefined> = [];
  /** Compiled code for the page (the compiling tier), or null. */
  jit: CompiledThumbPage | null = null;
  /** Entries into the page counted toward compiling it (or compiling it again with entries its code lacks). */
  heat = 0;
  /** Slots execution entered the page at, for the translator (allocated when the page first gets warm). */
  entries: Uint8Array | null = null;
  /**
   * By slot, 1 where the interpreter ran the instruction through execute() for a reason other than a
   * load or store opening its RAM window (a device, a fault, memory outside the windows, a store into
   * decoded code, a system instruction...): compiled code calls the exec helper there, and elsewhere
   * leaves before the instruction when it cannot run it in line (../../jit/thumb-translator.ts).
   * Forgotten with the page.
   */
  slowPath: Uint8Array | null = null;
  constructor(fill: number) {
    for (let slot = 0; slot < PAGE_SLOTS + 2; slot++) this.code[slot * SLOT_WORDS] = slot < PAGE_SLOTS ? fill : PAGE_END_WORD;
  }
}

/** A page's compiled function (../../jit/thumb-translator.ts). */
class CompiledThumbPage implements CompiledUnit {
  constructor(
    readonly page: DecodedPage,
    readonly run: (vbase: number, slot: number, remaining: number) => number,
    /** 1 for every slot the code can be entered at, or that was an entry when it was compiled: entries elsewhere make the page hot again. */
    readonly known: Uint8Array,
    readonly bytes: number,
    /** The page's slow-path marks when it was compiled (DecodedPage.slowPath): a slot marked since then makes the page hot again. */
    readonly slowPath: Uint8Array | null,
  ) {}

  drop(): void {
    if (this.page.jit === this) this.page.jit = null;
  }
}

function* entriesOf(entries: Uint8Array): Iterable<number> {
  for (let slot = 0; slot < entries.length; slot++) if (entries[slot] !== 0) yield slot;
}

/** The page run() holds while the pc's page has no decoded code yet (never written: decodeSlot makes a page). */
const EMPTY_PAGE = new DecodedPage(NOT_DECODED_WORD);

const EMPTY_U8 = new Uint8Array(0);
const EMPTY_U16 = new Uint16Array(0);
const EMPTY_I32 = new Int32Array(0);

function overlaps(start: number, end: number, otherStart: number, otherEnd: number): boolean {
  return start < otherEnd && otherStart < end;
}

/**
 * `value` shifted by `n` (an encoding's constant, or up to 255 from a register; RRX by 1 shifts
 * `carryIn` in) without the carry out: what run() uses when no flag is set from it (Shift_C's carry
 * is CortexM.shift's).
 */
function shiftNoCarry(value: number, type: number, n: number, carryIn: number): number {
  if (n === 0) return value;
  switch (type) {
    case 0 /* Shift.LSL */: return n >= 32 ? 0 : value << n;
    case 1 /* Shift.LSR */: return n >= 32 ? 0 : (value >>> n) | 0;
    case 2 /* Shift.ASR */: return value >> (n >= 32 ? 31 : n);
    case 3 /* Shift.ROR */: {
      const m = n & 31;
      return m === 0 ? value : (value >>> m) | (value << (32 - m));
    }
    default: return (carryIn << 31) | (value >>> 1); // RRX
  }
}

/** Operand2 of a data-processing op (a slot's first word, immediate and aux word: ./slots.ts) without the shifter's carry out (arithmetic ignores it). */
function operandNoCarry(w: number, imm: number, aux: number, r: Int32Array, carryIn: number): number {
  const kind = (w >>> 28 /* KIND_SHIFT */) & 3 /* KIND_MASK */;
  if (kind === 0 /* Kind.IMM */) return imm;
  // a register, or a register LSL #1-31 (indexing): most register operands
  const shiftType = aux & 7;
  if (kind === 1 /* Kind.REG */ && shiftType === 0 /* Shift.LSL */) return r[(w >>> 16) & 15] << ((aux >>> 3 /* AUX_SHIFT_N */) & 63);
  return shiftNoCarry(r[(w >>> 16) & 15], shiftType, kind === 1 /* Kind.REG */ ? (aux >>> 3 /* AUX_SHIFT_N */) & 63 : r[(w >>> 20) & 15] & 0xff, carryIn);
}

/**
 * Whether an addressing mode writes the base register back ([rn, #imm]! and [rn], #imm). The mode
 * decides, not the write-back value: every value, 0xffffffff too, is a base register's.
 */
function writesBack(mode: number): boolean {
  return mode === AddrMode.PRE || mode === AddrMode.POST;
}

function popcount16(list: number): number {
  let n = 0;
  for (let v = list & 0xffff; v !== 0; v &= v - 1) n++;
  return n;
}

/** The byte a bit-band alias word addresses: 0x22000000 + 32n + 4b → bit b of 0x20000000 + n. */
function bitbandTarget(address: number): number {
  return ((address & 0xf000_0000) | ((address & 0x01ff_ffff) >>> 5)) >>> 0;
}
