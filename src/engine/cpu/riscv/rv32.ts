// RV32IMAFDC + Zicsr + Zifencei hart interpreter with M/S/U privilege modes and Sv32.
//
// Performance design (see docs in DESIGN.md, "Engine internals"):
// - Guest code is decoded once, lazily, into per-physical-page slot arrays (one slot per halfword;
//   see decode.ts for the slot format). Compressed instructions share the ops of their expansions.
// - run() is one function with one big switch over the op numbers (literal case labels, which V8
//   compiles to a jump table; decode.test.ts checks they agree with decode.ts's Op table). Registers
//   live in an Int32Array with a sink slot (index 32) that receives writes to x0. pc is an int32
//   inside run() (a small integer for V8), unsigned in the public field.
// - Loads and stores hit one cached RAM mapping through typed arrays; everything else (MMIO,
//   misaligned accesses, paging, faults) goes through slow-path methods.
// - Stores to 128-byte chunks holding decoded code (AddressSpace.codeChunks) invalidate the
//   affected slots, so self-modifying code works even without fence.i. fence.i drops everything
//   (for RAM written behind the AddressSpace's back, e.g. by another worker).
// - Stop requests, interrupts and privilege changes are handled at block boundaries (after every
//   taken branch, jump, system instruction or page crossing) through one `attention` word.
// - Synchronous exceptions never unwind (a V8 throw costs about a hundred instructions' time): the
//   slow path that meets one takes the trap (the hart is then at the handler) and returns TRAPPED
//   (or false), which run()'s loop passes on to continue at the handler, so a guest that faults at
//   every step costs a few ordinary instructions per step. Only a debugger watchpoint stop is
//   thrown (WATCH_STOP); guest faults never escape run().
// - Breakpoints (a Set of virtual pcs) are checked where run() locates the page it fetches from; a
//   page holding one runs one uncached instruction per block, so the inner loop never checks them.
// - The debug trigger module (./triggers.ts) costs nothing while no trigger is armed: an execute
//   trigger makes its page run uncached like a breakpoint's (checked before each instruction there),
//   and an armed load/store trigger or a debugger watchpoint closes the RAM fast paths, so every
//   data access goes through the slow paths, which check them before the access.
// - F and D (./fpu.ts): the whole op range goes to one slow-path method per kind (memory or not),
//   which checks mstatus.FS, runs the instruction and marks FS dirty as QEMU 7.2 does; FP loads and
//   stores use the integer loads' and stores' slow paths (translation, triggers, watchpoints, MMIO).
// - The guest-visible state is described by RV32_STATE (saveState/loadState, DESIGN.md principle 9).

import { type AccessSize, type AddressSpace, BusFault, CODE_CHUNK_SHIFT, type RamMapping } from '../../memory.ts';
import {
  CAUSE_INTERRUPT,
  Cause,
  Csr,
  MEDELEG_WRITABLE,
  MIE_WRITABLE,
  MIP_WRITABLE,
  MSTATUS_MIE,
  MSTATUS_MPIE,
  MSTATUS_MPP,
  MSTATUS_MPP_SHIFT,
  MSTATUS_MPRV,
  MSTATUS_MXR,
  MSTATUS_SIE,
  MSTATUS_SPIE,
  MSTATUS_SPP,
  MSTATUS_SUM,
  MSTATUS_TSR,
  MSTATUS_TVM,
  MSTATUS_TW,
  MSTATUS_FS,
  MSTATUS_SD,
  MSTATUS_VS,
  MIP_SSIP,
  M_INTERRUPTS,
  PRIV_M,
  PRIV_S,
  PRIV_U,
  PTE_A,
  PTE_D,
  PTE_R,
  PTE_U,
  PTE_V,
  PTE_W,
  PTE_X,
  SATP_MODE_SV32,
  SATP_PPN_MASK,
  SSTATUS_MASK,
  S_INTERRUPTS,
  EXCEPTION_KINDS,
  INTERRUPT_PORTS,
  interruptToTake,
  trapCauseName,
} from './csr.ts';
import type { CpuCore, CpuDebug, CpuTrap, InterruptInput, TimeBase, TrapAccess, TrapKind, WatchpointHit, WatchpointKind } from '../contract.ts';
import { type CompiledUnit, JitTier } from '../../jit/code-cache.ts';
import { CTX_BYTES, CTX_NEXT_PC, CTX_STATUS, DEFAULT_JIT_THRESHOLD, STATUS_ATTENTION, STATUS_OK, STATUS_TRAPPED } from '../../jit/exit-protocol.ts';
import { RV32_CTX, translateRv32Page } from '../../jit/rv32-translator.ts';
import { RiscvDebug } from './debug.ts';
import { EXT_A, EXT_C, EXT_D, EXT_F, EXT_I, EXT_M, EXT_S, EXT_U, EXT_ZBA, EXT_ZBB, EXT_ZBC, EXT_ZBS, MISA_EXTENSION_BITS, Op, SINK, decodeInto, fpMemoryOffset } from './decode.ts';
import type { FloatStatus } from '../softfloat/index.ts';
import { FCSR_FRM_SHIFT, FFLAGS_MASK, FP_DIRTY, FP_ILLEGAL, FRM_MASK, FloatRegisters, executeFloat } from './fpu.ts';
import { type SavedValue, StateError, type Stateful, defineState } from '../../state.ts';
import { TDATA1_RESET, TINFO_TYPES, TRIGGER_COUNT, TRIGGER_CSRS, TriggerMatcher, WATCH_LOAD, WATCH_STORE, isLegalTdata1, legalizeTdata1, rangesOverlap } from './triggers.ts';

/**
 * The hart's guest-visible state (DESIGN.md principle 9): registers, pc, privilege, every CSR, the
 * counters, the LR reservation and the WFI latch. Not saved: the interrupt line levels driven from
 * outside (setInterruptLine; the devices re-drive them when they are restored), configuration
 * (hart id, reset vector, extensions) and caches (decoded code, TLB, RAM fast paths), which
 * postLoad drops. Save between run() calls, not from inside one (a device callback).
 */
export const RV32_STATE = defineState({
  name: 'rv32',
  version: 3,
  upgrades: {
    // version 1 had no trigger module: its triggers load as after reset
    1: (fields) => ({ ...fields, tselect: 0, tdata1: Array<number>(TRIGGER_COUNT).fill(TDATA1_RESET), tdata2: Array<number>(TRIGGER_COUNT).fill(0) }),
    // version 2 had no floating point: the registers and fcsr load as after reset (its mstatus.FS is 0, off)
    2: (fields) => ({ ...fields, fregLo: Array<number>(32).fill(0), fregHi: Array<number>(32).fill(0), fflags: 0, frm: 0 }),
  },
  fields: [
    { name: 'x', type: 'i32[]', doc: 'x0..x31 (x0 always 0)' },
    { name: 'pc', type: 'u32' },
    { name: 'privMode', type: 'u8', doc: 'privilege level: 3 = M, 1 = S, 0 = U' },
    { name: 'instret', type: 'f64', doc: 'instructions retired (64-bit counter as a JS number)' },
    { name: 'cycles', type: 'f64', doc: 'instructions started, including trapping ones (mcycle)' },
    { name: 'waitingForInterrupt', type: 'bool', doc: 'asleep in WFI' },
    { name: 'mstatus', type: 'i32' },
    { name: 'mtvec', type: 'i32' },
    { name: 'mepc', type: 'u32' },
    { name: 'mcause', type: 'u32' },
    { name: 'mtval', type: 'u32' },
    { name: 'mscratch', type: 'i32' },
    { name: 'mie', type: 'i32' },
    { name: 'mipSw', type: 'i32', doc: 'software-writable mip bits (the external lines are not saved)' },
    { name: 'medeleg', type: 'i32' },
    { name: 'mideleg', type: 'i32' },
    { name: 'mcounteren', type: 'i32' },
    { name: 'mcountinhibit', type: 'i32' },
    { name: 'stvec', type: 'i32' },
    { name: 'sepc', type: 'u32' },
    { name: 'scause', type: 'u32' },
    { name: 'stval', type: 'u32' },
    { name: 'sscratch', type: 'i32' },
    { name: 'scounteren', type: 'i32' },
    { name: 'satp', type: 'i32' },
    { name: 'pmpcfg', type: 'i32[]' },
    { name: 'pmpaddr', type: 'i32[]' },
    { name: 'resValid', type: 'bool', doc: 'an LR reservation is held' },
    { name: 'resVa', type: 'u32', doc: 'reserved virtual address' },
    { name: 'resAddr', type: 'u32', doc: 'reserved physical address' },
    { name: 'resValue', type: 'f64', doc: 'the word LR read (SC succeeds while memory still holds it)' },
    { name: 'tselect', type: 'u8', doc: 'the trigger tdata1-3 access (debug trigger module)' },
    { name: 'tdata1', type: 'i32[]', doc: 'each trigger\'s control (mcontrol or mcontrol6)' },
    { name: 'tdata2', type: 'i32[]', doc: 'each trigger\'s address' },
    { name: 'fregLo', type: 'u32[]', doc: 'f0..f31, low 32 bits (a single-precision value, or a double\'s low half)' },
    { name: 'fregHi', type: 'u32[]', doc: 'f0..f31, high 32 bits (all ones for a NaN-boxed single)' },
    { name: 'fflags', type: 'u8', doc: 'accrued floating-point exception flags (fcsr bits 0-4)' },
    { name: 'frm', type: 'u8', doc: 'dynamic rounding mode (fcsr bits 5-7)' },
  ],
});

export interface Rv32Options {
  hartId: number;
  resetVector: number;
  /**
   * ISA extensions beyond I, as misa letters (any of M, A, F, D, C, S, U; case-insensitive; S needs U, D needs F),
   * then multi-letter ones each after an underscore as in ISA strings (Zba, Zbb, Zbc, Zbs):
   * "MACSU_Zba_Zbb". Default "MACSU". Without C, jumps to addresses that are not 4-byte aligned trap.
   */
  extensions?: string;
  /** The debug trigger module (tselect, tdata1-3, tinfo; ./triggers.ts). Default true; without it those CSRs do not exist. */
  triggers?: boolean;
  /** Times execution enters a page of code before the compiling tier compiles it (0: at once; tests). */
  jitThreshold?: number;
  /** Bytes of generated WebAssembly the compiling tier keeps before it drops the oldest pages (tests make it small). */
  jitCacheBytes?: number;
}

/** A debugger watchpoint (CpuDebug.setWatchpoint): accesses of `kinds` (WATCH_LOAD, WATCH_STORE) overlapping [address, address + length). */
interface Watchpoint {
  kind: WatchpointKind;
  kinds: number;
  address: number;
  length: number;
}

const PAGE_SHIFT = 12;
const PAGE_SIZE = 1 << PAGE_SHIFT;
/** Slots (halfwords) per page, plus two sentinel slots that end the page. */
const SLOTS = PAGE_SIZE >>> 1;

// attention word bits
const ATTN_STOP = 1;
/** Re-evaluate interrupts and re-translate the fetch page. */
const ATTN_CHECK = 2;

// translation access kinds
const ACCESS_FETCH = 0;
const ACCESS_READ = 1;
const ACCESS_WRITE = 2;

// indices into `bounds` (fast-path RAM windows for loads and stores)
const LD_BASE = 0;
const LD_SIZE = 1;
const ST_BASE = 2;
const ST_SIZE = 3;

const TLB_ENTRIES = 256;

/** Most instructions one run() call executes (a V8 small integer). */
const MAX_RUN_BUDGET = 0x3fff_ffff;

const TWO_POW_32 = 0x1_0000_0000;

/**
 * What a slow path that returns an address or a loaded value (never negative) returns when the
 * access faulted: the trap is taken and the hart is at the handler.
 */
const TRAPPED = -1;

/** What Sv32 walk() found: the translation is in the TLB, or the access takes a page fault or an access fault. */
const WALK_OK = 0;
const WALK_PAGE_FAULT = 1;
const WALK_ACCESS_FAULT = 2;
/** updatePte(): another hart changed the PTE since the walk read it (walk again). */
const WALK_AGAIN = 3;

/**
 * Thrown (never as an Error, so without a stack trace) to end run() before an instruction whose
 * access a debugger watchpoint watches (this.pc is the instruction). Traps never unwind.
 */
class WatchStop {}
const WATCH_STOP = new WatchStop();

/** Exception codes (mcause without the interrupt bit) are below this. */
const EXCEPTION_CODES = 32;
/** Each exception code's contract kind, access and name (csr.ts), indexed by code: reportTrap reads them at every trap. */
const EXCEPTION_KIND_OF: readonly TrapKind[] = Array.from({ length: EXCEPTION_CODES }, (_, code) => EXCEPTION_KINDS[code]?.[0] ?? 'other');
const EXCEPTION_ACCESS_OF: ReadonlyArray<TrapAccess | undefined> = Array.from({ length: EXCEPTION_CODES }, (_, code) => EXCEPTION_KINDS[code]?.[1]);
const EXCEPTION_NAME_OF: readonly string[] = Array.from({ length: EXCEPTION_CODES }, (_, code) => trapCauseName(code));
/** Trap names of an illegal floating-point instruction, which say why it is illegal (reports end them with its bits). */
const FLOAT_WITHOUT_F = 'floating-point instruction on a hart without F (set the CPU\'s "f" and "d" properties, as riscv-virt@1.2 does): illegal instruction';
const FLOAT_WITH_FS_OFF = 'floating-point instruction while mstatus.FS is off (the firmware must turn the FPU on first): illegal instruction';

/** Major opcodes (bits 6:0) of the F/D instructions: LOAD-FP, STORE-FP, the fused ops, OP-FP. */
const FLOAT_OPCODES: ReadonlySet<number> = new Set([0x07, 0x27, 0x43, 0x47, 0x4b, 0x4f, 0x53]);

/** Are `bits` (as mtval holds them) a floating-point instruction or an access to fflags/frm/fcsr? */
function isFloatInstruction(bits: number): boolean {
  if ((bits & 3) !== 3) {
    // RV32 compressed: every odd funct3 of quadrants 0 and 2 is an FP load or store (c.fld, c.flw, c.fsd, c.fsw and the sp forms)
    return (bits & 3) !== 1 && ((bits >>> 13) & 1) === 1;
  }
  const opcode = bits & 0x7f;
  if (FLOAT_OPCODES.has(opcode)) return true;
  const csr = bits >>> 20;
  return opcode === 0x73 && ((bits >>> 12) & 3) !== 0 && csr >= Csr.FFLAGS && csr <= Csr.FCSR;
}

/**
 * Stores into compiled code at a halfword before the compiling tier leaves the instruction there to
 * the interpreter: once may be a loader replacing code, twice is code that changes as it runs.
 */
const REWRITES_LEFT_TO_INTERPRETER = 2;

/** Decoded instructions of one 4 KiB physical page of RAM or ROM. */
class DecodedPage {
  readonly words = new Int32Array(SLOTS + 2);
  readonly imms = new Int32Array(SLOTS + 2);
  /**
   * The compiling tier: by slot, the compiled function to call when execution enters the page
   * there (null where none is); null until the page first got hot. A page holds several functions
   * when execution found new entries after it was compiled: each new one compiles only the code
   * the others lack, so an entry is added without compiling the page again, and a store into code
   * drops only the functions compiled from the bytes it wrote.
   */
  jit: Array<CompiledPage | null> | null = null;
  /** The page's live compiled functions. */
  readonly units: CompiledPage[] = [];
  /** Entries into the page counted toward compiling it (or toward compiling the entries its functions lack). */
  heat = 0;
  /** Slots execution entered the page at and no compiled function starts at, for the translator (allocated when the page first gets warm). */
  entries: Uint8Array | null = null;
  /**
   * By halfword, how many times a store into it dropped compiled code (saturating); from
   * REWRITES_LEFT_TO_INTERPRETER on, the translator leaves the instruction there to the interpreter.
   * Forgotten with the page (fence.i).
   */
  rewrites: Uint8Array | null = null;
  /**
   * By slot, 1 where a load or store took the interpreter's slow path (a device, memory outside the
   * RAM windows, a store into decoded code): the translator calls a helper there, and elsewhere
   * leaves compiled code on a window miss (no call in the hot code; see rv32-translator.ts).
   */
  slowAccess: Uint8Array | null = null;
  /** Slots known as entries once the page is compiled: a function starts there, or one was compiled from there (code only the interpreter runs); an entry elsewhere heats the page. */
  known: Uint8Array | null = null;
  constructor(
    readonly ppn: number,
    readonly ram: RamMapping | null,
  ) {
    this.words[SLOTS] = Op.PAGE_END;
    this.words[SLOTS + 1] = Op.PAGE_END;
  }
}

/** One compiled function of a page (../../jit/rv32-translator.ts) and the halfwords its code was compiled from. */
class CompiledPage implements CompiledUnit {
  /** False once dropped (invalidated or evicted): compiled code running it must leave. */
  live = true;
  constructor(
    readonly page: DecodedPage,
    readonly run: (vbase: number, slot: number, remaining: number) => number,
    readonly covered: Uint8Array,
    /** The slots it made known: those it can be entered at and the entries it was compiled from. */
    readonly knownSlots: readonly number[],
    readonly bytes: number,
  ) {}

  drop(): void {
    if (!this.live) return;
    this.live = false;
    const page = this.page;
    const units = page.units;
    units.splice(units.indexOf(this), 1);
    // its entries are new again: they heat the page toward compiling them once more
    for (const slot of this.knownSlots) {
      if (page.jit![slot] === this) page.jit![slot] = null;
      page.known![slot] = 0;
    }
  }

  /** Whether compiled code depends on any halfword in [lo, hi) of the page (byte offsets; `covered` marks every halfword of each compiled instruction). */
  covers(lo: number, hi: number): boolean {
    for (let s = lo >> 1; s <= Math.min(SLOTS - 1, (hi - 1) >> 1); s++) if (this.covered[s] !== 0) return true;
    return false;
  }
}

/** Typed-array views of one RAM mapping, including the signed ones RamMapping lacks. */
class RamViews {
  readonly i8: Int8Array;
  readonly i16: Int16Array;
  constructor(readonly ram: RamMapping) {
    this.i8 = new Int8Array(ram.u8.buffer, ram.u8.byteOffset, ram.size);
    this.i16 = new Int16Array(ram.u8.buffer, ram.u8.byteOffset, ram.size >>> 1);
  }
}

const EMPTY_U8 = new Uint8Array(0);
const EMPTY_I8 = new Int8Array(0);
const EMPTY_U16 = new Uint16Array(0);
const EMPTY_I16 = new Int16Array(0);
const EMPTY_I32 = new Int32Array(0);

/** Multi-letter extensions the hart implements, by lower-case name. */
const MULTI_LETTER_EXTENSIONS: Readonly<Record<string, number>> = { zba: EXT_ZBA, zbb: EXT_ZBB, zbc: EXT_ZBC, zbs: EXT_ZBS };

function parseExtensions(text: string): number {
  const [letters, ...multiLetter] = text.split('_');
  let ext = EXT_I;
  for (const name of multiLetter) {
    const bit = MULTI_LETTER_EXTENSIONS[name.toLowerCase()];
    if (bit === undefined) throw new Error(`RISC-V extension "${name}" is not supported (supported: ${Object.keys(MULTI_LETTER_EXTENSIONS).join(', ')})`);
    ext |= bit;
  }
  for (const ch of letters.toUpperCase()) {
    switch (ch) {
      case 'M': ext |= EXT_M; break;
      case 'A': ext |= EXT_A; break;
      case 'C': ext |= EXT_C; break;
      case 'S': ext |= EXT_S; break;
      case 'U': ext |= EXT_U; break;
      case 'F': ext |= EXT_F; break;
      case 'D': ext |= EXT_D; break;
      case 'I': break;
      default: throw new Error(`RISC-V extension "${ch}" is not supported (supported: I, M, A, F, D, C, S, U)`);
    }
  }
  if ((ext & EXT_S) !== 0 && (ext & EXT_U) === 0) throw new Error('RISC-V S-mode needs U-mode: add "U" to the extensions');
  if ((ext & EXT_D) !== 0 && (ext & EXT_F) === 0) throw new Error('RISC-V D extension needs F: add "F" to the extensions');
  return ext;
}

/** Number of set bits (Zbb cpop). */
/** The slots marked in `entries`. */
function entriesOf(entries: Uint8Array): number[] {
  const slots: number[] = [];
  for (let s = 0; s < entries.length; s++) if (entries[s] !== 0) slots.push(s);
  return slots;
}

function popcount(a: number): number {
  a = a - ((a >>> 1) & 0x5555_5555);
  a = (a & 0x3333_3333) + ((a >>> 2) & 0x3333_3333);
  return (Math.imul((a + (a >>> 4)) & 0x0f0f_0f0f, 0x0101_0101) >>> 24) | 0;
}

/** Zbb orc.b: each byte becomes 0xff if any of its bits is set, else 0. */
function orcB(a: number): number {
  let r = 0;
  for (let shift = 0; shift < 32; shift += 8) if (((a >>> shift) & 0xff) !== 0) r |= 0xff << shift;
  return r;
}

/** Zbc clmul: the low 32 bits of the carry-less product. */
function clmul(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) if (((b >>> i) & 1) !== 0) r ^= a << i;
  return r;
}

/** Zbc clmulh: the high 32 bits of the 64-bit carry-less product. */
function clmulh(a: number, b: number): number {
  let r = 0;
  for (let i = 1; i < 32; i++) if (((b >>> i) & 1) !== 0) r ^= a >>> (32 - i);
  return r;
}

/** Zbc clmulr: bits 62..31 of the carry-less product (the bit-reversed product of bit-reversed operands). */
function clmulr(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 32; i++) if (((b >>> i) & 1) !== 0) r ^= a >>> (31 - i);
  return r;
}

/** High 32 bits of the unsigned 64-bit product of two unsigned 32-bit numbers (no BigInt). */
function mulhu(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const lh = aL * bH;
  const hl = aH * bL;
  const mid = ((aL * bL) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (aH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
}

function mulh(a: number, b: number): number {
  let hi = mulhu(a >>> 0, b >>> 0);
  if (a < 0) hi = (hi - b) | 0;
  if (b < 0) hi = (hi - a) | 0;
  return hi;
}

function mulhsu(a: number, b: number): number {
  let hi = mulhu(a >>> 0, b >>> 0);
  if (a < 0) hi = (hi - b) | 0;
  return hi;
}

/**
 * The privilege mstatus.MPP selects for MPRV. MPP holds the reserved value 2 only when software
 * wrote it (kept, as QEMU 7.2 keeps it); loads and stores under MPRV then use U, the least
 * privileged (an mret with MPP = 2 raises illegal instruction, as on QEMU 7.2).
 */
function retPriv(mpp: number): number {
  return mpp === 2 ? PRIV_U : mpp;
}

/** Re-encode a decoded Zicsr instruction (for mtval on illegal-instruction traps). */
function csrInstructionBits(w: number, csr: number): number {
  const rd = (w >>> 8) & 63;
  const f3 = [1, 2, 3, 5, 6, 7][(w & 0xff) - Op.CSRRW];
  return ((csr << 20) | (((w >>> 14) & 31) << 15) | (f3 << 12) | ((rd === SINK ? 0 : rd) << 7) | 0x73) >>> 0;
}

export class Rv32Cpu implements CpuCore, Stateful {
  readonly stateDescriptor = RV32_STATE;
  readonly target = 'riscv32';
  readonly debug: CpuDebug;

  /** Registers x0..x31 (a view of `regs`, whose slot 32 absorbs writes to x0). */
  readonly x: Int32Array;
  /**
   * Initialized here, not left undefined until the constructor sets it: a field that starts
   * undefined holds numbers as tagged values, and every unsigned pc above 2^31 stored into it
   * would allocate a heap number (several per trap); a number field keeps its own double.
   */
  pc = 0;
  /** Instructions retired since reset (trapping instructions do not retire). */
  instret = 0;
  /** Instructions started since reset, including ones that trapped (the mcycle counter). */
  cycles = 0;
  waitingForInterrupt = false;
  /** Value of the time/timeh CSRs: a 64-bit tick count as a JS number. Default: instret. */
  timeSource: () => number;
  /**
   * Breakpoints: virtual addresses (as the hart fetches them, u32) before which run() stops —
   * also when a run() starts there (a run that ended on its budget just before one must not pass
   * it), except to continue from a breakpoint: after a run() stopped at one, or after
   * passBreakpointHere(), the next run() executes the instruction at pc. Checked where run() locates the page it fetches
   * from; code on a page that holds a breakpoint runs one uncached instruction at a time, all other
   * code at full speed. Changes take effect when run() next enters a page (at the latest, at the
   * next run() call).
   */
  readonly breakpoints = new Set<number>();
  /**
   * Observer called after every trap is taken (../contract.ts CpuTrap: cause as in mcause, bit 31
   * set for interrupts; value is mtval). When it is called, `pc` is already the handler's address.
   * The same object is passed for every trap.
   */
  onTrap?: (trap: CpuTrap) => void;
  /** Observer called after an mret or sret: the pc it returned to (a handler going back to the instruction that trapped, or past it). */
  onTrapReturn?: (pc: number) => void;
  onMisalignedAccess?: (access: 'load' | 'store', address: number, size: number, pc: number) => void;

  readonly hartId: number;
  readonly resetVector: number;
  /** The compiling tier (../../jit/): switch, statistics, compiled pages. */
  readonly tiers: JitTier;
  /** Value of the misa CSR (MXL=1 and one bit per implemented extension). */
  readonly misa: number;

  /** x0..x31 and the sink; the start of the hart context in the guest arena when there is one (compiled code reads it there). */
  private readonly regs: Int32Array;
  /** The hart context as words (../../jit/exit-protocol.ts): registers, then NEXT_PC, STATUS and the RAM windows. */
  private readonly ctx: Int32Array;
  /** Arena byte offset of the hart context (-1: no arena). */
  private readonly ctxOffset: number;
  private readonly jitThreshold: number;
  /** The compiled function that runs now, and the current run's budget (helpers turn budget left into steps). */
  private jitUnit: CompiledPage | null = null;
  /** The hart has used RAM outside the guest arena (a RAM with `shared: false`): compiled loads and stores call helpers on every miss (see Rv32TranslationConfig.helperAtEveryAccess). */
  private ramOutsideArena = false;
  private jitBudget = 0;
  private readonly jitHelpers: Record<string, (...args: number[]) => number | void>;
  private readonly ramWriteListener: (address: number, size: number) => void;
  private readonly ext: number;
  /** 0 with C (2-byte instruction alignment), 2 without it. */
  private readonly ialignMask: number;
  /** AddressSpace.codeChunks: stores to chunks with decoded code must be reported. */
  private readonly codeChunks: Uint32Array;

  // privilege and CSR state
  private privMode = PRIV_M;
  private mstatus = 0;
  private mtvec = 0;
  private mepc = 0;
  private mcause = 0;
  private mtval = 0;
  private mscratch = 0;
  private mie = 0;
  /** Software-writable mip bits (SSIP, STIP, SEIP). */
  private mipSw = 0;
  /** mip bits driven from outside through setInterruptLine. */
  private mipLines = 0;
  private medeleg = 0;
  private mideleg = 0;
  private mcounteren = 0;
  private mcountinhibit = 0;
  private stvec = 0;
  private sepc = 0;
  private scause = 0;
  private stval = 0;
  private sscratch = 0;
  private scounteren = 0;
  private satp = 0;
  private readonly pmpcfg = new Int32Array(4);
  private readonly pmpaddr = new Int32Array(16);

  // LR/SC reservation: SC succeeds when the reserved word still holds the value LR read.
  private resValid = false;
  private resVa = 0;
  private resAddr = 0;
  private resValue = 0;

  // debug trigger module (./triggers.ts): the guest's triggers, and the debugger's watchpoints
  private readonly hasTriggers: boolean;
  private tselect = 0;
  private readonly tdata1 = new Int32Array(TRIGGER_COUNT);
  private readonly tdata2 = new Int32Array(TRIGGER_COUNT);
  private readonly triggerMatch = new TriggerMatcher(this.tdata1, this.tdata2);
  private readonly watchpoints: Watchpoint[] = [];

  // F and D (./fpu.ts): f0..f31 (fregLo/fregHi are its halves, saved as state), fcsr's two fields
  private readonly fregs = new FloatRegisters();
  /** f0..f31, low and high 32-bit halves (views of the register file; saved state, read by the debugger). */
  readonly fregLo = this.fregs.lo;
  readonly fregHi = this.fregs.hi;
  private fflags = 0;
  private frm = 0;
  /** Handed to the softfloat library: the rounding mode in, the exception flags of one instruction out. */
  private readonly fpStatus: FloatStatus = { roundingMode: 0, flags: 0 };
  /** Data accesses go through the slow paths (which check triggers and watchpoints): the fast paths are closed. */
  private watchingData = false;
  private watchHit: WatchpointHit | undefined;

  // run() bookkeeping
  private bpHit = false;
  /** pc the next run() may execute even when a breakpoint is there (u32; -1: none): continuing from a breakpoint. */
  private passBreakpointAt = -1;
  /** pc where the current run() started (int32) if a breakpoint there does not stop it; 1 (no pc is odd) otherwise. */
  private runStartPc = 1;
  private attention = 0;
  private running = false;
  /** Steps (started instructions) of the current run() up to and including the current one; valid in slow paths. */
  private curSteps = 0;
  private instretBase = 0;
  private cycleBase = 0;

  // decode cache
  private readonly pages = new Map<number, DecodedPage>();
  private readonly scratch = new DecodedPage(-1, null);
  private fPage: DecodedPage;
  private fVbase = 0;
  private fVpn = -1;
  /**
   * The cached page locateFetch found last, for the virtual page lastFetchVpn at privilege
   * lastFetchPriv (-1: none): a hart trapping again and again into a handler comes back to the same
   * page at every trap, and skips the translation and the page lookup. Forgotten when the TLB is
   * flushed (sfence.vma, satp) or the decoded pages are dropped.
   */
  private lastFetchVpn = -1;
  private lastFetchPriv = PRIV_M;
  private lastFetchPage: DecodedPage;

  // memory fast paths
  private readonly bounds = new Int32Array(4);
  private readonly ramViews = new Map<RamMapping, RamViews>();
  private ldRam: RamMapping | null = null;
  private stRam: RamMapping | null = null;
  private ldU8: Uint8Array = EMPTY_U8;
  private ldI8: Int8Array = EMPTY_I8;
  private ldU16: Uint16Array = EMPTY_U16;
  private ldI16: Int16Array = EMPTY_I16;
  private ldI32: Int32Array = EMPTY_I32;
  private stU8: Uint8Array = EMPTY_U8;
  private stU16: Uint16Array = EMPTY_U16;
  private stI32: Int32Array = EMPTY_I32;
  /** The physical address of each byte of a store that crosses a page boundary under paging. */
  private readonly crossingPas = new Float64Array(4);

  // translation
  private fetchVm = false;
  private dataVm = false;
  private dataPriv = PRIV_M;
  private readonly tlbTag = new Int32Array(TLB_ENTRIES);
  private readonly tlbPte = new Int32Array(TLB_ENTRIES);
  private readonly tlbPpn = new Int32Array(TLB_ENTRIES);
  /**
   * The last walk that page-faulted, so a guest faulting on one page over and over does not walk
   * the table at every trap: its virtual page + 1 (0: none), the access, the privilege it ran at and
   * the mstatus bits that decide permissions (SUM, MXR), and the physical addresses of the PTEs it
   * read (pte0 -1: it stopped at the root). While satp, that key and those PTEs stay the same, a walk
   * would fault the same way, so this is exact: forgotten whenever the TLB is flushed (satp,
   * sfence.vma, reset, loadState) and whenever anything writes to one of those PTEs (their chunks
   * are flagged in codeChunks so every hart's stores report it, as for code; see invalidateCode).
   * Unlike the TLB, which keeps a translation until sfence.vma, a guest that makes the PTE valid
   * sees it at once, as on QEMU 7.2 (which caches no failed walk).
   */
  private faultVpn = 0;
  private faultAccess = 0;
  private faultPriv = 0;
  private faultStatus = 0;
  private faultPte1 = 0;
  private faultPte0 = -1;
  /** The PTEs the current walk read (walkPte0 -1: none at level 0). */
  private walkPte1 = 0;
  private walkPte0 = -1;

  constructor(
    private readonly space: AddressSpace,
    options: Rv32Options,
  ) {
    this.hartId = options.hartId;
    this.resetVector = options.resetVector >>> 0;
    this.ext = parseExtensions(options.extensions ?? 'MACSU');
    this.misa = (0x4000_0000 | (this.ext & MISA_EXTENSION_BITS)) >>> 0;
    this.ialignMask = (this.ext & EXT_C) !== 0 ? 0 : 2;
    this.hasTriggers = options.triggers ?? true;
    const context = space.arena?.allocate(CTX_BYTES, 64);
    this.ctx = context === undefined ? new Int32Array(CTX_BYTES >>> 2) : new Int32Array(context.buffer, context.byteOffset, CTX_BYTES >>> 2);
    this.ctxOffset = context === undefined ? -1 : context.byteOffset;
    this.regs = this.ctx.subarray(0, 64);
    this.jitThreshold = options.jitThreshold ?? DEFAULT_JIT_THRESHOLD;
    this.tiers = new JitTier(
      context === undefined
        ? (space.arena === undefined ? 'this host has no shared WebAssembly memory' : 'the guest arena is full') // no arena: no compiled code
        : space.codeChunksArenaOffset < 0 ? 'the code map is not in the guest arena' : undefined,
      options.jitCacheBytes,
    );
    this.jitHelpers = {
      load: (pc, remaining, address, opAndLength) => this.jitLoad(pc, remaining, address, opAndLength),
      store: (pc, remaining, address, value, sizeAndLength) => this.jitStore(pc, remaining, address, value, sizeAndLength),
      codeWritten: (address, size) => this.jitCodeWritten(address, size),
    };
    this.x = this.regs.subarray(0, 32);
    this.pc = this.resetVector;
    this.codeChunks = space.codeChunks;
    this.fPage = this.scratch;
    this.lastFetchPage = this.scratch;
    this.scratch.words[1] = Op.PAGE_END;
    this.scratch.words[2] = Op.PAGE_END;
    this.timeSource = () => this.instret;
    this.ramWriteListener = (address, size) => this.invalidateCode(address, size);
    space.ramWriteListeners.push(this.ramWriteListener);
    this.debug = new RiscvDebug(this, space);
    this.reset();
  }

  /** The hart id (query-cpus-fast's core-id). */
  get coreId(): number {
    return this.hartId;
  }

  /** The input for port msip, mtip, seip or meip: it drives that mip bit. */
  interruptInput(port: string): InterruptInput | undefined {
    const bit = Object.hasOwn(INTERRUPT_PORTS, port) ? INTERRUPT_PORTS[port] : undefined;
    return bit === undefined ? undefined : (level) => this.setInterruptLine(bit, level);
  }

  /** The time/timeh CSRs read `timeBase`. */
  setTimeBase(timeBase: TimeBase): void {
    this.timeSource = () => timeBase.ticks();
  }

  /** Stop listening to the address space (for a hart that is thrown away while its board lives on). */
  dispose(): void {
    const listeners = this.space.ramWriteListeners;
    const i = listeners.indexOf(this.ramWriteListener);
    if (i >= 0) listeners.splice(i, 1);
    this.tiers.clear();
    this.pages.clear();
    this.lastFetchVpn = -1;
  }

  /** Width of the floating-point registers: 64 with D, 32 with F only, 0 without F. */
  get floatBits(): number {
    return (this.ext & EXT_D) !== 0 ? 64 : (this.ext & EXT_F) !== 0 ? 32 : 0;
  }

  /** Current privilege level: 3 = M, 1 = S, 0 = U. */
  get privilege(): number {
    return this.privMode;
  }

  reset(): void {
    this.regs.fill(0);
    this.pc = this.resetVector;
    this.privMode = PRIV_M;
    this.mstatus = (this.ext & EXT_U) !== 0 ? 0 : MSTATUS_MPP;
    this.mtvec = 0;
    this.mepc = 0;
    this.mcause = 0;
    this.mtval = 0;
    this.mscratch = 0;
    this.mie = 0;
    this.mipSw = 0;
    this.medeleg = 0;
    this.mideleg = 0;
    this.mcounteren = 0;
    this.mcountinhibit = 0;
    this.stvec = 0;
    this.sepc = 0;
    this.scause = 0;
    this.stval = 0;
    this.sscratch = 0;
    this.scounteren = 0;
    this.satp = 0;
    this.pmpcfg.fill(0);
    this.pmpaddr.fill(0);
    this.resValid = false;
    this.tselect = 0;
    this.tdata1.fill(TDATA1_RESET);
    this.tdata2.fill(0);
    this.triggersChanged();
    this.fregs.reset();
    this.fflags = 0;
    this.frm = 0;
    this.instret = 0;
    this.cycles = 0;
    this.waitingForInterrupt = false;
    this.passBreakpointAt = -1;
    this.attention = ATTN_CHECK;
    this.flushTlb();
    this.updateMemoryMode();
  }

  /** True when the last run() returned because the next instruction (at pc) is at a breakpoint. */
  get stoppedAtBreakpoint(): boolean {
    return this.bpHit;
  }

  /**
   * Lets the next run() execute the instruction at pc even if a breakpoint is there — how a
   * debugger continues from a place it stopped at for another reason (a step, a pause).
   */
  passBreakpointHere(): void {
    this.passBreakpointAt = this.pc >>> 0;
  }

  /** Instructions retired since reset, exact even while run() is executing (for virtual time). */
  retiredNow(): number {
    return this.liveInstret();
  }

  requestStop(): void {
    this.attention |= ATTN_STOP;
  }

  cancelStop(): void {
    this.attention &= ~ATTN_STOP;
  }

  setInterruptLine(bit: number, level: boolean): void {
    const mask = 1 << bit;
    const lines = level ? this.mipLines | mask : this.mipLines & ~mask;
    if (lines !== this.mipLines) {
      this.mipLines = lines;
      this.attention |= ATTN_CHECK;
    }
    if (this.waitingForInterrupt && ((this.mipLines | this.mipSw) & this.mie) !== 0) this.waitingForInterrupt = false;
  }

  /** Checks what the generic state checks cannot: the privilege level and the counters. */
  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    const fail = (field: string, message: string): never => {
      throw new StateError(`rv32 hart ${this.hartId}: field ${field} ${message}`, RV32_STATE.name, field);
    };
    const priv = fields.privMode as number;
    const supported = priv === PRIV_M || (priv === PRIV_S && (this.ext & EXT_S) !== 0) || (priv === PRIV_U && (this.ext & EXT_U) !== 0);
    if (!supported) fail('privMode', `is ${priv}, a privilege level this hart (misa 0x${this.misa.toString(16)}) does not have`);
    for (const counter of ['instret', 'cycles']) {
      const value = fields[counter] as number;
      if (!Number.isSafeInteger(value) || value < 0) fail(counter, `must be a non-negative integer (got ${value})`);
    }
    const tselect = fields.tselect as number;
    if (tselect >= TRIGGER_COUNT) fail('tselect', `is ${tselect}; this hart has ${TRIGGER_COUNT} triggers (0-${TRIGGER_COUNT - 1})`);
    for (const [i, tdata1] of (fields.tdata1 as number[]).entries()) {
      if (!isLegalTdata1(tdata1)) fail('tdata1', `[${i}] is 0x${(tdata1 >>> 0).toString(16)}, not a value the trigger module can hold (an mcontrol or mcontrol6 trigger with only the bits it implements)`);
    }
  }

  /** After loadState: drop decoded code and the TLB, recompute the memory mode and re-check interrupts. */
  postLoad(): void {
    this.pc >>>= 0;
    this.x[0] = 0;
    this.invalidateDecodeCache();
    this.flushTlb();
    this.triggersChanged();
    this.updateMemoryMode();
    this.attention = ATTN_CHECK;
  }

  // ---------------------------------------------------------------- debugger watchpoints (CpuDebug)

  /**
   * Stop run() before an instruction whose access of `kind` overlaps [address, address + length)
   * (virtual addresses, as the hart accesses them), as QEMU stops for gdb; the next run() executes
   * that instruction (as after a breakpoint).
   */
  setWatchpoint(kind: WatchpointKind, address: number, length: number): void {
    address >>>= 0;
    if (this.watchpoints.some((w) => w.kind === kind && w.address === address && w.length === length)) return;
    const kinds = kind === 'read' ? WATCH_LOAD : kind === 'write' ? WATCH_STORE : WATCH_LOAD | WATCH_STORE;
    this.watchpoints.push({ kind, kinds, address, length });
    this.triggersChanged();
  }

  /** Remove a watchpoint set with the same arguments; false when there is none. */
  removeWatchpoint(kind: WatchpointKind, address: number, length: number): boolean {
    address >>>= 0;
    const i = this.watchpoints.findIndex((w) => w.kind === kind && w.address === address && w.length === length);
    if (i < 0) return false;
    this.watchpoints.splice(i, 1);
    this.triggersChanged();
    return true;
  }

  /** The watchpoint the last run() stopped at (pc is the accessing instruction), or undefined. */
  get watchpointHit(): WatchpointHit | undefined {
    return this.watchHit;
  }

  /** tdata1/tdata2 or the watchpoints changed: rebuild the matcher, open or close the data fast paths, re-check the fetch page. */
  private triggersChanged(): void {
    this.triggerMatch.update();
    this.watchingData = this.triggerMatch.dataMask !== 0 || this.watchpoints.length !== 0;
    this.applyFastPathBounds();
    this.attention |= ATTN_CHECK;
  }

  /**
   * Before a data access of `size` bytes at virtual `va` (after its translation, before it reaches
   * the bus): a load/store trigger takes its breakpoint exception (false: the hart is at the
   * handler), a debugger watchpoint ends the run before this instruction (throws WATCH_STOP); either
   * way the access does not happen. True: the access goes ahead.
   */
  private watchAccess(va: number, size: number, kinds: number): boolean {
    if (this.triggerMatch.dataMask !== 0 && this.triggerMatch.dataMatches(va, size, kinds, this.privMode)) {
      this.trapHere(Cause.BREAKPOINT, 0);
      return false;
    }
    // a run that continues from a watchpoint (or breakpoint) stop lets its first instruction pass
    if (this.curSteps === 1 && (this.pc | 0) === this.runStartPc) return true;
    for (const w of this.watchpoints) {
      if ((w.kinds & kinds) !== 0 && rangesOverlap(w.address, w.length, va, size)) {
        this.watchHit = { kind: w.kind, address: w.address, accessAddress: va };
        throw WATCH_STOP;
      }
    }
    return true;
  }

  /** Forget all decoded instructions (done by fence.i; call it after writing guest code behind the AddressSpace's back). */
  invalidateDecodeCache(): void {
    this.tiers.clear();
    this.pages.clear();
    this.lastFetchVpn = -1;
    this.attention |= ATTN_CHECK;
  }

  /** Read a CSR as a debugger would: no privilege checks, no side effects. Throws for CSRs this hart lacks. */
  readCsr(csr: number): number {
    const v = this.csrRead(csr);
    if (v === undefined) throw new Error(`CSR 0x${csr.toString(16)} is not implemented`);
    return v >>> 0;
  }

  /** Write a CSR as a debugger would (no privilege checks; read-only CSRs are refused). */
  writeCsr(csr: number, value: number): void {
    if (this.csrRead(csr) === undefined || !this.csrWrite(csr, value | 0)) {
      throw new Error(`CSR 0x${csr.toString(16)} is not implemented or not writable`);
    }
  }

  run(budget: number): number {
    // keep the step counter a small integer for V8; callers loop until their budget is spent
    budget = Math.min(Math.floor(budget), MAX_RUN_BUDGET);
    this.bpHit = false;
    this.watchHit = undefined;
    if (!(budget > 0)) return 0;
    if (this.waitingForInterrupt) {
      if (((this.mipLines | this.mipSw) & this.mie) === 0) {
        this.attention &= ~ATTN_STOP;
        return 0;
      }
      this.waitingForInterrupt = false;
    }
    const x = this.regs;
    x[0] = 0; // in case a debugger wrote to x0
    const bounds = this.bounds;
    const codeChunks = this.codeChunks;
    const ialignMask = this.ialignMask;
    let remaining = budget;
    let pc = this.pc & ~1; // int32 inside the loop; unsigned in this.pc
    const startPc = pc;
    let page = this.scratch;
    let words = page.words;
    let imms = page.imms;
    let vbase = 0;
    let curVpn = -1;
    let slowFetch = false;
    // the compiling tier: on when asked for and possible; checked again at every block (watchpoints close it)
    const jitOn = this.tiers.active;
    const ctx = this.ctx;
    const scratch = this.scratch;
    this.jitBudget = budget;
    this.runStartPc = this.passBreakpointAt === pc >>> 0 ? pc : 1;
    this.passBreakpointAt = -1;
    this.running = true;
    this.instretBase = this.instret;
    this.cycleBase = this.cycles;

    outer: for (;;) {
      try {
        block: for (;;) {
          if (this.attention !== 0) {
            this.pc = pc >>> 0;
            this.curSteps = budget - remaining + 1; // retiredNow() is exact for an interrupt taken here (the trap observer)
            if (this.serviceAttention()) break outer;
            pc = this.pc | 0;
            curVpn = -1;
          }
          if (remaining <= 0) break outer;
          if (slowFetch || pc >>> PAGE_SHIFT !== curVpn) {
            let uncached = slowFetch;
            if ((this.breakpoints.size !== 0 || this.triggerMatch.execMask !== 0) && this.pageHasBreakpoint(pc & ~(PAGE_SIZE - 1))) {
              // A page with a breakpoint runs one uncached instruction per block (the scratch page
              // ends after it), so every instruction on it comes back here: the inner loop pays
              // nothing for breakpoints. Stop before one, unless this run() started at it.
              if (this.breakpoints.has(pc >>> 0) && (remaining !== budget || pc !== this.runStartPc)) {
                this.bpHit = true;
                this.passBreakpointAt = pc >>> 0;
                break outer;
              }
              if (this.triggerMatch.execMask !== 0 && this.triggerMatch.execMatches(pc >>> 0, this.privMode)) {
                // an execute trigger: a breakpoint exception before the instruction (a step that traps)
                this.pc = pc >>> 0;
                this.trapHere(Cause.BREAKPOINT, 0);
                remaining--;
                pc = this.afterTrapInSlowPath();
                slowFetch = false;
                continue block;
              }
              uncached = true;
            }
            this.pc = pc >>> 0;
            slowFetch = false;
            if (!this.locateFetch(pc, uncached)) {
              // the fetch faulted (the trap is taken): a step that does not retire
              remaining--;
              pc = this.afterTrapInSlowPath();
              continue block;
            }
            page = this.fPage;
            words = page.words;
            imms = page.imms;
            vbase = this.fVbase;
            curVpn = this.fVpn;
          }
          let idx = ((pc - vbase) | 0) >> 1;
          if (jitOn && page !== scratch && !this.watchingData) {
            const bySlot = page.jit;
            const compiled = bySlot === null ? null : bySlot[idx];
            if (compiled !== null) {
              const before = remaining;
              this.jitUnit = compiled;
              remaining = compiled.run(vbase, idx, remaining);
              pc = ctx[CTX_NEXT_PC];
              if (remaining !== before) {
                this.tiers.retired(before - remaining);
                continue block;
              }
              // nothing ran: a block longer than the budget left
            } else if ((bySlot === null || page.known![idx] === 0) && !(remaining === budget && pc === startPc) && this.warm(page, idx)) {
              // the page is hot, or an entry its functions lack is: compile the code from the new entries.
              // Where the run starts is no entry to count: mostly where the last run's budget ran out, in
              // the middle of a block; made an entry, it would split hot loops into small functions.
              this.compilePage(page);
              if (page.jit![idx] !== null) continue block;
            }
          }
          for (;;) {
            if (remaining === 0) {
              pc = (vbase + (idx << 1)) | 0;
              break outer;
            }
            remaining--;
            const w = words[idx];
            switch (w & 0xff) {
              case 0: // UNDECODED
                remaining++;
                this.decodeSlot(page, idx);
                continue;
              case 1: // SLOW_FETCH
                remaining++;
                pc = (vbase + (idx << 1)) | 0;
                slowFetch = true;
                continue block;
              case 2: // PAGE_END
                remaining++;
                pc = (vbase + (idx << 1)) | 0;
                continue block;
              case 3: // ILLEGAL
                this.pc = (vbase + (idx << 1)) >>> 0;
                pc = this.exceptionInLoop(budget - remaining, Cause.ILLEGAL_INSTRUCTION, imms[idx]);
                continue block;
              case 4: // LUI
                x[(w >>> 8) & 63] = imms[idx];
                break;
              case 5: // AUIPC
                x[(w >>> 8) & 63] = (vbase + (idx << 1) + imms[idx]) | 0;
                break;
              case 6: { // JAL
                const cur = vbase + (idx << 1);
                const target = (cur + imms[idx]) | 0;
                if ((target & ialignMask) !== 0) {
                  pc = this.misalignedTarget(budget - remaining, cur, target);
                  continue block;
                }
                x[(w >>> 8) & 63] = (cur + (w >>> 24)) | 0;
                pc = target;
                continue block;
              }
              case 7: { // JALR
                const cur = vbase + (idx << 1);
                const target = (x[(w >>> 14) & 31] + imms[idx]) & ~1;
                if ((target & ialignMask) !== 0) {
                  pc = this.misalignedTarget(budget - remaining, cur, target);
                  continue block;
                }
                x[(w >>> 8) & 63] = (cur + (w >>> 24)) | 0;
                pc = target;
                continue block;
              }
              case 8: // BEQ
                if (x[(w >>> 14) & 31] === x[(w >>> 19) & 31]) {
                  const target = (vbase + (idx << 1) + imms[idx]) | 0;
                  if ((target & ialignMask) !== 0) {
                    pc = this.misalignedTarget(budget - remaining, vbase + (idx << 1), target);
                    continue block;
                  }
                  pc = target;
                  continue block;
                }
                break;
              case 9: // BNE
                if (x[(w >>> 14) & 31] !== x[(w >>> 19) & 31]) {
                  const target = (vbase + (idx << 1) + imms[idx]) | 0;
                  if ((target & ialignMask) !== 0) {
                    pc = this.misalignedTarget(budget - remaining, vbase + (idx << 1), target);
                    continue block;
                  }
                  pc = target;
                  continue block;
                }
                break;
              case 10: // BLT
                if (x[(w >>> 14) & 31] < x[(w >>> 19) & 31]) {
                  const target = (vbase + (idx << 1) + imms[idx]) | 0;
                  if ((target & ialignMask) !== 0) {
                    pc = this.misalignedTarget(budget - remaining, vbase + (idx << 1), target);
                    continue block;
                  }
                  pc = target;
                  continue block;
                }
                break;
              case 11: // BGE
                if (x[(w >>> 14) & 31] >= x[(w >>> 19) & 31]) {
                  const target = (vbase + (idx << 1) + imms[idx]) | 0;
                  if ((target & ialignMask) !== 0) {
                    pc = this.misalignedTarget(budget - remaining, vbase + (idx << 1), target);
                    continue block;
                  }
                  pc = target;
                  continue block;
                }
                break;
              case 12: // BLTU
                if (x[(w >>> 14) & 31] >>> 0 < x[(w >>> 19) & 31] >>> 0) {
                  const target = (vbase + (idx << 1) + imms[idx]) | 0;
                  if ((target & ialignMask) !== 0) {
                    pc = this.misalignedTarget(budget - remaining, vbase + (idx << 1), target);
                    continue block;
                  }
                  pc = target;
                  continue block;
                }
                break;
              case 13: // BGEU
                if (x[(w >>> 14) & 31] >>> 0 >= x[(w >>> 19) & 31] >>> 0) {
                  const target = (vbase + (idx << 1) + imms[idx]) | 0;
                  if ((target & ialignMask) !== 0) {
                    pc = this.misalignedTarget(budget - remaining, vbase + (idx << 1), target);
                    continue block;
                  }
                  pc = target;
                  continue block;
                }
                break;
              case 14: { // LB
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[LD_BASE]) | 0;
                if (o >>> 0 < bounds[LD_SIZE] >>> 0) x[(w >>> 8) & 63] = this.ldI8[o];
                else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[LD_SIZE] !== 0;
                  const value = this.loadSlow(a >>> 0, 1);
                  this.noteSlowAccess(page, idx, a, windowOpen, LD_BASE);
                  if (value < 0) {
                    pc = this.afterTrapInSlowPath(); // the load faulted: on to the handler
                    continue block;
                  }
                  x[(w >>> 8) & 63] = (value << 24) >> 24;
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 15: { // LH
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[LD_BASE]) | 0;
                if ((o & 1) === 0 && o >>> 0 < bounds[LD_SIZE] >>> 0) x[(w >>> 8) & 63] = this.ldI16[o >> 1];
                else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[LD_SIZE] !== 0;
                  const value = this.loadSlow(a >>> 0, 2);
                  this.noteSlowAccess(page, idx, a, windowOpen, LD_BASE);
                  if (value < 0) {
                    pc = this.afterTrapInSlowPath(); // the load faulted: on to the handler
                    continue block;
                  }
                  x[(w >>> 8) & 63] = (value << 16) >> 16;
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 16: { // LW
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[LD_BASE]) | 0;
                if ((o & 3) === 0 && o >>> 0 < bounds[LD_SIZE] >>> 0) x[(w >>> 8) & 63] = this.ldI32[o >> 2];
                else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[LD_SIZE] !== 0;
                  const value = this.loadSlow(a >>> 0, 4);
                  this.noteSlowAccess(page, idx, a, windowOpen, LD_BASE);
                  if (value < 0) {
                    pc = this.afterTrapInSlowPath(); // the load faulted: on to the handler
                    continue block;
                  }
                  x[(w >>> 8) & 63] = value | 0;
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 17: { // LBU
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[LD_BASE]) | 0;
                if (o >>> 0 < bounds[LD_SIZE] >>> 0) x[(w >>> 8) & 63] = this.ldU8[o];
                else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[LD_SIZE] !== 0;
                  const value = this.loadSlow(a >>> 0, 1);
                  this.noteSlowAccess(page, idx, a, windowOpen, LD_BASE);
                  if (value < 0) {
                    pc = this.afterTrapInSlowPath(); // the load faulted: on to the handler
                    continue block;
                  }
                  x[(w >>> 8) & 63] = value;
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 18: { // LHU
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[LD_BASE]) | 0;
                if ((o & 1) === 0 && o >>> 0 < bounds[LD_SIZE] >>> 0) x[(w >>> 8) & 63] = this.ldU16[o >> 1];
                else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[LD_SIZE] !== 0;
                  const value = this.loadSlow(a >>> 0, 2);
                  this.noteSlowAccess(page, idx, a, windowOpen, LD_BASE);
                  if (value < 0) {
                    pc = this.afterTrapInSlowPath(); // the load faulted: on to the handler
                    continue block;
                  }
                  x[(w >>> 8) & 63] = value;
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 19: { // SB
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[ST_BASE]) | 0;
                if (o >>> 0 < bounds[ST_SIZE] >>> 0) {
                  this.stU8[o] = x[(w >>> 19) & 31];
                  if (((codeChunks[a >>> PAGE_SHIFT] >>> (a >>> CODE_CHUNK_SHIFT)) & 1) !== 0) {
                    this.space.notifyRamWrite(a, 1);
                    this.markSlowAccess(page, idx);
                  }
                } else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[ST_SIZE] !== 0;
                  const stored = this.storeSlow(a >>> 0, x[(w >>> 19) & 31], 1);
                  this.noteSlowAccess(page, idx, a, windowOpen, ST_BASE);
                  if (!stored) {
                    pc = this.afterTrapInSlowPath(); // the store faulted: on to the handler
                    continue block;
                  }
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 20: { // SH
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[ST_BASE]) | 0;
                if ((o & 1) === 0 && o >>> 0 < bounds[ST_SIZE] >>> 0) {
                  this.stU16[o >> 1] = x[(w >>> 19) & 31];
                  if (((codeChunks[a >>> PAGE_SHIFT] >>> (a >>> CODE_CHUNK_SHIFT)) & 1) !== 0) {
                    this.space.notifyRamWrite(a, 2);
                    this.markSlowAccess(page, idx);
                  }
                } else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[ST_SIZE] !== 0;
                  const stored = this.storeSlow(a >>> 0, x[(w >>> 19) & 31], 2);
                  this.noteSlowAccess(page, idx, a, windowOpen, ST_BASE);
                  if (!stored) {
                    pc = this.afterTrapInSlowPath(); // the store faulted: on to the handler
                    continue block;
                  }
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 21: { // SW
                const a = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                const o = (a - bounds[ST_BASE]) | 0;
                if ((o & 3) === 0 && o >>> 0 < bounds[ST_SIZE] >>> 0) {
                  this.stI32[o >> 2] = x[(w >>> 19) & 31];
                  if (((codeChunks[a >>> PAGE_SHIFT] >>> (a >>> CODE_CHUNK_SHIFT)) & 1) !== 0) {
                    this.space.notifyRamWrite(a, 4);
                    this.markSlowAccess(page, idx);
                  }
                } else {
                  this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                  const windowOpen = bounds[ST_SIZE] !== 0;
                  const stored = this.storeSlow(a >>> 0, x[(w >>> 19) & 31], 4);
                  this.noteSlowAccess(page, idx, a, windowOpen, ST_BASE);
                  if (!stored) {
                    pc = this.afterTrapInSlowPath(); // the store faulted: on to the handler
                    continue block;
                  }
                  if (this.attention !== 0) {
                    // the device asked for a stop or raised an interrupt: end the block after this instruction
                    pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                    continue block;
                  }
                }
                break;
              }
              case 22: // ADDI
                x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] + imms[idx]) | 0;
                break;
              case 23: // SLTI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < imms[idx] ? 1 : 0;
                break;
              case 24: // SLTIU
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> 0 < imms[idx] >>> 0 ? 1 : 0;
                break;
              case 25: // XORI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ imms[idx];
                break;
              case 26: // ORI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | imms[idx];
                break;
              case 27: // ANDI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & imms[idx];
                break;
              case 28: // SLLI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << imms[idx];
                break;
              case 29: // SRLI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> imms[idx];
                break;
              case 30: // SRAI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> imms[idx];
                break;
              case 31: // ADD
                x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] + x[(w >>> 19) & 31]) | 0;
                break;
              case 32: // SUB
                x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] - x[(w >>> 19) & 31]) | 0;
                break;
              case 33: // SLL
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] << x[(w >>> 19) & 31];
                break;
              case 34: // SLT
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] < x[(w >>> 19) & 31] ? 1 : 0;
                break;
              case 35: // SLTU
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> 0 < x[(w >>> 19) & 31] >>> 0 ? 1 : 0;
                break;
              case 36: // XOR
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ x[(w >>> 19) & 31];
                break;
              case 37: // SRL
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >>> x[(w >>> 19) & 31];
                break;
              case 38: // SRA
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] >> x[(w >>> 19) & 31];
                break;
              case 39: // OR
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | x[(w >>> 19) & 31];
                break;
              case 40: // AND
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & x[(w >>> 19) & 31];
                break;
              case 41: // FENCE
                break;
              case 42: // FENCE_I
                this.invalidateDecodeCache();
                pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                continue block;
              case 43: // ECALL
                this.pc = (vbase + (idx << 1)) >>> 0;
                pc = this.exceptionInLoop(budget - remaining, Cause.ECALL_FROM_U + this.privMode, 0);
                continue block;
              case 44: // EBREAK
                this.pc = (vbase + (idx << 1)) >>> 0;
                pc = this.exceptionInLoop(budget - remaining, Cause.BREAKPOINT, 0); // mtval 0 on EBREAK, as Debian's QEMU (7.2) does
                continue block;
              case 45: // CSRRW
              case 46: // CSRRS
              case 47: // CSRRC
              case 48: // CSRRWI
              case 49: // CSRRSI
              case 50: // CSRRCI
                this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                pc = this.csrInstruction(w, imms[idx]) ? (vbase + (idx << 1) + 4) | 0 : this.afterTrapInSlowPath();
                continue block;
              case 51: // MRET
                this.pc = (vbase + (idx << 1)) >>> 0;
                pc = this.mret() ? this.pc | 0 : this.afterTrapInSlowPath();
                continue block;
              case 52: // SRET
                this.pc = (vbase + (idx << 1)) >>> 0;
                pc = this.sret() ? this.pc | 0 : this.afterTrapInSlowPath();
                continue block;
              case 53: // WFI
                this.pc = (vbase + (idx << 1)) >>> 0;
                if (!this.checkWfiAllowed()) {
                  pc = this.afterTrapInSlowPath();
                  continue block;
                }
                pc = (this.pc + 4) | 0;
                if (((this.mipLines | this.mipSw) & this.mie) === 0) {
                  this.waitingForInterrupt = true;
                  break outer;
                }
                continue block;
              case 54: // SFENCE_VMA
                this.pc = (vbase + (idx << 1)) >>> 0;
                if (!this.sfenceVma(w)) {
                  pc = this.afterTrapInSlowPath();
                  continue block;
                }
                pc = (this.pc + 4) | 0;
                curVpn = -1;
                continue block;
              case 55: // MUL
                x[(w >>> 8) & 63] = Math.imul(x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
                break;
              case 56: // MULH
                x[(w >>> 8) & 63] = mulh(x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
                break;
              case 57: // MULHSU
                x[(w >>> 8) & 63] = mulhsu(x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
                break;
              case 58: // MULHU
                x[(w >>> 8) & 63] = mulhu(x[(w >>> 14) & 31] >>> 0, x[(w >>> 19) & 31] >>> 0);
                break;
              case 59: { // DIV
                const a = x[(w >>> 14) & 31];
                const b = x[(w >>> 19) & 31];
                x[(w >>> 8) & 63] = b === 0 ? -1 : b === -1 ? -a | 0 : (a / b) | 0;
                break;
              }
              case 60: { // DIVU
                const b = x[(w >>> 19) & 31] >>> 0;
                x[(w >>> 8) & 63] = b === 0 ? -1 : ((x[(w >>> 14) & 31] >>> 0) / b) | 0;
                break;
              }
              case 61: { // REM
                const a = x[(w >>> 14) & 31];
                const b = x[(w >>> 19) & 31];
                x[(w >>> 8) & 63] = b === 0 ? a : b === -1 ? 0 : a % b | 0;
                break;
              }
              case 62: { // REMU
                const b = x[(w >>> 19) & 31] >>> 0;
                x[(w >>> 8) & 63] = b === 0 ? x[(w >>> 14) & 31] : ((x[(w >>> 14) & 31] >>> 0) % b) | 0;
                break;
              }
              case 63: // LR_W
              case 64: // SC_W
              case 65: // AMOSWAP_W
              case 66: // AMOADD_W
              case 67: // AMOXOR_W
              case 68: // AMOAND_W
              case 69: // AMOOR_W
              case 70: // AMOMIN_W
              case 71: // AMOMAX_W
              case 72: // AMOMINU_W
              case 73: // AMOMAXU_W
                this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                if (!this.atomic(w)) {
                  pc = this.afterTrapInSlowPath(); // the access faulted: on to the handler
                  continue block;
                }
                if (this.attention !== 0) {
                  pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                  continue block;
                }
                break;
              case 74: // SH1ADD
                x[(w >>> 8) & 63] = ((x[(w >>> 14) & 31] << 1) + x[(w >>> 19) & 31]) | 0;
                break;
              case 75: // SH2ADD
                x[(w >>> 8) & 63] = ((x[(w >>> 14) & 31] << 2) + x[(w >>> 19) & 31]) | 0;
                break;
              case 76: // SH3ADD
                x[(w >>> 8) & 63] = ((x[(w >>> 14) & 31] << 3) + x[(w >>> 19) & 31]) | 0;
                break;
              case 77: // ANDN
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & ~x[(w >>> 19) & 31];
                break;
              case 78: // ORN
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | ~x[(w >>> 19) & 31];
                break;
              case 79: // XNOR
                x[(w >>> 8) & 63] = ~(x[(w >>> 14) & 31] ^ x[(w >>> 19) & 31]);
                break;
              case 80: // CLZ
                x[(w >>> 8) & 63] = Math.clz32(x[(w >>> 14) & 31]);
                break;
              case 81: { // CTZ
                const a = x[(w >>> 14) & 31];
                x[(w >>> 8) & 63] = a === 0 ? 32 : 31 - Math.clz32(a & -a);
                break;
              }
              case 82: // CPOP
                x[(w >>> 8) & 63] = popcount(x[(w >>> 14) & 31]);
                break;
              case 83: { // MAX
                const a = x[(w >>> 14) & 31];
                const b = x[(w >>> 19) & 31];
                x[(w >>> 8) & 63] = a > b ? a : b;
                break;
              }
              case 84: { // MAXU
                const a = x[(w >>> 14) & 31];
                const b = x[(w >>> 19) & 31];
                x[(w >>> 8) & 63] = a >>> 0 > b >>> 0 ? a : b;
                break;
              }
              case 85: { // MIN
                const a = x[(w >>> 14) & 31];
                const b = x[(w >>> 19) & 31];
                x[(w >>> 8) & 63] = a < b ? a : b;
                break;
              }
              case 86: { // MINU
                const a = x[(w >>> 14) & 31];
                const b = x[(w >>> 19) & 31];
                x[(w >>> 8) & 63] = a >>> 0 < b >>> 0 ? a : b;
                break;
              }
              case 87: // SEXT_B
                x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] << 24) >> 24;
                break;
              case 88: // SEXT_H
                x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] << 16) >> 16;
                break;
              case 89: // ZEXT_H
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & 0xffff;
                break;
              case 90: { // ROL (JavaScript shift counts are mod 32, so a count of 0 gives a | a)
                const a = x[(w >>> 14) & 31];
                const s = x[(w >>> 19) & 31] & 31;
                x[(w >>> 8) & 63] = (a << s) | (a >>> (32 - s));
                break;
              }
              case 91: { // ROR
                const a = x[(w >>> 14) & 31];
                const s = x[(w >>> 19) & 31] & 31;
                x[(w >>> 8) & 63] = (a >>> s) | (a << (32 - s));
                break;
              }
              case 92: { // RORI
                const a = x[(w >>> 14) & 31];
                const s = imms[idx];
                x[(w >>> 8) & 63] = (a >>> s) | (a << (32 - s));
                break;
              }
              case 93: // ORC_B
                x[(w >>> 8) & 63] = orcB(x[(w >>> 14) & 31]);
                break;
              case 94: { // REV8
                const a = x[(w >>> 14) & 31];
                x[(w >>> 8) & 63] = (a << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
                break;
              }
              case 95: // CLMUL
                x[(w >>> 8) & 63] = clmul(x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
                break;
              case 96: // CLMULH
                x[(w >>> 8) & 63] = clmulh(x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
                break;
              case 97: // CLMULR
                x[(w >>> 8) & 63] = clmulr(x[(w >>> 14) & 31], x[(w >>> 19) & 31]);
                break;
              case 98: // BCLR
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & ~(1 << (x[(w >>> 19) & 31] & 31));
                break;
              case 99: // BCLRI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] & ~(1 << imms[idx]);
                break;
              case 100: // BEXT
                x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] >>> (x[(w >>> 19) & 31] & 31)) & 1;
                break;
              case 101: // BEXTI
                x[(w >>> 8) & 63] = (x[(w >>> 14) & 31] >>> imms[idx]) & 1;
                break;
              case 102: // BINV
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ (1 << (x[(w >>> 19) & 31] & 31));
                break;
              case 103: // BINVI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] ^ (1 << imms[idx]);
                break;
              case 104: // BSET
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | (1 << (x[(w >>> 19) & 31] & 31));
                break;
              case 105: // BSETI
                x[(w >>> 8) & 63] = x[(w >>> 14) & 31] | (1 << imms[idx]);
                break;
              case 106: // FLW
              case 107: // FSW
              case 108: // FLD
              case 109: // FSD
                this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                if (!this.floatMemory(w, imms[idx])) {
                  pc = this.afterTrapInSlowPath(); // FS off, or the access faulted: on to the handler
                  continue block;
                }
                if (this.attention !== 0) {
                  // the device asked for a stop or raised an interrupt: end the block after this instruction
                  pc = (vbase + (idx << 1) + (w >>> 24)) | 0;
                  continue block;
                }
                break;
              case 110: // FMADD_S
              case 111: // FMSUB_S
              case 112: // FNMSUB_S
              case 113: // FNMADD_S
              case 114: // FADD_S
              case 115: // FSUB_S
              case 116: // FMUL_S
              case 117: // FDIV_S
              case 118: // FSQRT_S
              case 119: // FSGNJ_S
              case 120: // FSGNJN_S
              case 121: // FSGNJX_S
              case 122: // FMIN_S
              case 123: // FMAX_S
              case 124: // FCVT_W_S
              case 125: // FCVT_WU_S
              case 126: // FMV_X_W
              case 127: // FEQ_S
              case 128: // FLT_S
              case 129: // FLE_S
              case 130: // FCLASS_S
              case 131: // FCVT_S_W
              case 132: // FCVT_S_WU
              case 133: // FMV_W_X
              case 134: // FMADD_D
              case 135: // FMSUB_D
              case 136: // FNMSUB_D
              case 137: // FNMADD_D
              case 138: // FADD_D
              case 139: // FSUB_D
              case 140: // FMUL_D
              case 141: // FDIV_D
              case 142: // FSQRT_D
              case 143: // FSGNJ_D
              case 144: // FSGNJN_D
              case 145: // FSGNJX_D
              case 146: // FMIN_D
              case 147: // FMAX_D
              case 148: // FCVT_S_D
              case 149: // FCVT_D_S
              case 150: // FEQ_D
              case 151: // FLT_D
              case 152: // FLE_D
              case 153: // FCLASS_D
              case 154: // FCVT_W_D
              case 155: // FCVT_WU_D
              case 156: // FCVT_D_W
              case 157: // FCVT_D_WU
                this.enterSlowPath(vbase + (idx << 1), budget - remaining);
                if (!this.floatInstruction(w, imms[idx])) {
                  pc = this.afterTrapInSlowPath(); // FS off or a reserved rounding mode: illegal instruction
                  continue block;
                }
                break;
              default:
                throw new Error(`rv32: internal op ${w & 0xff} at pc 0x${((vbase + (idx << 1)) >>> 0).toString(16)} has no handler`);
            }
            idx += w >>> 25;
          }
        }
      } catch (e) {
        if (e === WATCH_STOP) {
          // the instruction did not run: it is the next run's first, which passes the watchpoint
          remaining++;
          pc = this.pc | 0;
          this.passBreakpointAt = pc >>> 0;
          break outer;
        }
        this.pc = pc >>> 0;
        this.finishRun(budget - remaining);
        throw e;
      }
    }
    this.pc = pc >>> 0;
    const executed = budget - remaining;
    this.finishRun(executed);
    return executed;
  }

  /** Whether a breakpoint or an execute trigger lies in the 4 KiB page of virtual addresses from `vbase`. */
  private pageHasBreakpoint(vbase: number): boolean {
    const start = vbase >>> 0;
    for (const address of this.breakpoints) if (((address - start) >>> 0) < PAGE_SIZE) return true;
    return this.triggerMatch.execInRange(start, PAGE_SIZE);
  }

  /** Count an entry into `page` at `slot`; true when the page is hot enough to compile (again). */
  private warm(page: DecodedPage, slot: number): boolean {
    const entries = (page.entries ??= new Uint8Array(SLOTS));
    entries[slot] = 1;
    return ++page.heat > this.jitThreshold;
  }

  /**
   * Compile the code from the entries seen since the page's last compile into one more function of
   * the page; code its other functions hold is left to them (the tier falls back to the
   * interpreter, and says so once, when it cannot).
   */
  private compilePage(page: DecodedPage): void {
    page.heat = 0;
    const bySlot = (page.jit ??= new Array<CompiledPage | null>(SLOTS).fill(null));
    const known = (page.known ??= new Uint8Array(SLOTS));
    const entries = page.entries!;
    const newEntries = entriesOf(entries);
    entries.fill(0);
    // entries tried now are known even where nothing compiled starts (system code): only new ones heat the page again
    for (const slot of newEntries) known[slot] = 1;
    const compiledElsewhere = new Uint8Array(SLOTS);
    for (let slot = 0; slot < SLOTS; slot++) if (bySlot[slot] !== null) compiledElsewhere[slot] = 1;
    const start = performance.now();
    let compiled: CompiledPage | undefined;
    try {
      const translation = translateRv32Page(
        {
          words: page.words,
          imms: page.imms,
          decode: (slot) => this.decodeSlot(page, slot),
          entries: newEntries,
          compiledElsewhere,
          rewritten: page.rewrites === null ? undefined : page.rewrites.map((n) => (n >= REWRITES_LEFT_TO_INTERPRETER ? 1 : 0)),
          slowAccess: page.slowAccess ?? undefined,
        },
        { context: this.ctxOffset, codeChunks: this.space.codeChunksArenaOffset, ialignMask: this.ialignMask, helperAtEveryAccess: this.ramOutsideArena },
      );
      if (translation === undefined) {
        this.tiers.fallback('system', 'hot code that the compiling tier leaves to the interpreter runs there (CSR access, system instructions, atomics, floating point)');
        return;
      }
      const module = new WebAssembly.Module(translation.bytes);
      const instance = new WebAssembly.Instance(module, { env: { memory: this.space.arena!.memory, ...this.jitHelpers } });
      const run = instance.exports.run as (vbase: number, slot: number, remaining: number) => number;
      const starts: number[] = [];
      for (let slot = 0; slot < SLOTS; slot++) if (translation.entrySlots[slot] !== 0) starts.push(slot);
      compiled = new CompiledPage(page, run, translation.covered, [...new Set([...newEntries, ...starts])], translation.bytes.length);
      for (const slot of starts) {
        bySlot[slot] = compiled;
        known[slot] = 1;
      }
    } catch (e) {
      page.heat = -0x4000_0000;
      this.tiers.fallback('compile', `code at page 0x${(page.ppn * PAGE_SIZE).toString(16)} could not be compiled to WebAssembly (${e instanceof Error ? e.message : String(e)}); it runs on the interpreter`);
      return;
    }
    page.units.push(compiled);
    this.tiers.add(compiled, performance.now() - start);
  }

  /**
   * After the slow path of a load (`windowBase` LD_BASE) or store (ST_BASE) at `slot`: mark the slot
   * unless the access only opened its window (closed before, holding `address` now).
   */
  private noteSlowAccess(page: DecodedPage, slot: number, address: number, windowWasOpen: boolean, windowBase: typeof LD_BASE | typeof ST_BASE): void {
    const bounds = this.bounds;
    if (windowWasOpen || ((address - bounds[windowBase]) | 0) >>> 0 >= bounds[windowBase + 1] >>> 0) this.markSlowAccess(page, slot);
  }

  /**
   * A load or store at `slot` of `page` took the interpreter's slow path for a reason other than
   * opening a RAM window (see DecodedPage.slowAccess): from now on the translator calls a helper
   * there. Compiled code that holds the instruction leaves at it on every miss, so it is dropped
   * (once per slot) and compiled again when it is hot.
   */
  private markSlowAccess(page: DecodedPage, slot: number): void {
    const marks = (page.slowAccess ??= new Uint8Array(SLOTS));
    if (marks[slot] !== 0) return;
    marks[slot] = 1;
    for (let i = page.units.length - 1; i >= 0; i--) if (page.units[i].covered[slot] !== 0) this.tiers.remove(page.units[i]);
  }

  /** The compiling tier's load helper: a load outside the RAM window, done by the slow path (./../../jit/exit-protocol.ts). */
  private jitLoad(pc: number, remaining: number, address: number, opAndLength: number): number {
    const ctx = this.ctx;
    ctx[CTX_STATUS] = STATUS_OK;
    this.enterSlowPath(pc, this.jitBudget - remaining);
    const op = opAndLength & 0xff;
    const size: AccessSize = op === Op.LW ? 4 : op === Op.LH || op === Op.LHU ? 2 : 1;
    const value = this.loadSlow(address >>> 0, size);
    if (value < 0) {
      ctx[CTX_NEXT_PC] = this.afterTrapInSlowPath();
      ctx[CTX_STATUS] = STATUS_TRAPPED;
      return 0;
    }
    if (this.attention !== 0 || !this.jitUnit!.live) {
      ctx[CTX_NEXT_PC] = pc + (opAndLength >>> 8);
      ctx[CTX_STATUS] = STATUS_ATTENTION;
    }
    return op === Op.LB ? (value << 24) >> 24 : op === Op.LH ? (value << 16) >> 16 : value | 0;
  }

  /** The compiling tier's store helper (see jitLoad). */
  private jitStore(pc: number, remaining: number, address: number, value: number, sizeAndLength: number): void {
    const ctx = this.ctx;
    ctx[CTX_STATUS] = STATUS_OK;
    this.enterSlowPath(pc, this.jitBudget - remaining);
    if (!this.storeSlow(address >>> 0, value, (sizeAndLength & 7) as AccessSize)) {
      ctx[CTX_NEXT_PC] = this.afterTrapInSlowPath();
      ctx[CTX_STATUS] = STATUS_TRAPPED;
      return;
    }
    // a device wants attention, or the store changed this page's code: on after this instruction
    if (this.attention !== 0 || !this.jitUnit!.live) {
      ctx[CTX_NEXT_PC] = pc + (sizeAndLength >>> 8);
      ctx[CTX_STATUS] = STATUS_ATTENTION;
    }
  }

  /** Compiled code stored into bytes decoded as code: tell every hart; 1 when the running function's code is gone. */
  private jitCodeWritten(address: number, size: number): number {
    this.space.notifyRamWrite(address, size);
    return this.jitUnit!.live ? 0 : 1;
  }

  private finishRun(executed: number): void {
    this.instret = this.instretBase + executed;
    this.cycles = this.cycleBase + executed;
    this.running = false;
  }

  /** Called before any slow path that may trap or observe counters: records pc and the step count. */
  private enterSlowPath(pc: number, steps: number): void {
    this.pc = pc >>> 0;
    this.curSteps = steps;
    this.instret = this.instretBase + steps - 1;
    this.cycles = this.cycleBase + steps - 1;
  }

  // ---------------------------------------------------------------- traps and interrupts

  /**
   * Take a synchronous exception at this.pc from run()'s loop itself, without unwinding: returns
   * the handler's pc (int32) for run() to continue at. A throw costs V8 a message object and a
   * stack walk — microseconds, a hundred instructions' worth — so the traps a faulting guest takes
   * over and over (illegal instructions, ecall, ebreak, loads and stores that fault) come this way.
   * The trapping instruction took a step but does not retire.
   */
  private exceptionInLoop(steps: number, cause: number, tval: number): number {
    this.curSteps = steps; // retiredNow() is exact for the trap observer (the trapping instruction does not retire)
    this.takeTrap(cause, false, tval | 0, this.pc | 0);
    this.instretBase--;
    return this.pc | 0;
  }

  /** A slow path took a trap without unwinding (see exceptionInLoop): returns the handler's pc (int32). */
  private afterTrapInSlowPath(): number {
    this.instretBase--;
    return this.pc | 0;
  }

  /**
   * Take a synchronous exception at this.pc from a slow path without unwinding (see
   * exceptionInLoop); returns TRAPPED, which the slow path hands back (as TRAPPED or false) for
   * run() to go on at the handler.
   */
  private trapHere(cause: number, tval: number): number {
    this.takeTrap(cause, false, tval | 0, this.pc | 0);
    return TRAPPED;
  }

  /** A jump or taken branch at `pc` to a target the hart cannot fetch (not 4-byte aligned without C): returns the handler's pc (int32). */
  private misalignedTarget(steps: number, pc: number, target: number): number {
    this.pc = pc >>> 0;
    return this.exceptionInLoop(steps, Cause.INSTRUCTION_MISALIGNED, target);
  }

  /** An illegal-instruction exception at this.pc (mtval: the instruction's bits) taken by a slow path; returns false for it to pass on. */
  private trapIllegal(bits: number): false {
    this.trapHere(Cause.ILLEGAL_INSTRUCTION, bits);
    return false;
  }

  /**
   * Take a trap: `tval` and `epc` come as int32 (stored unsigned), which V8 passes between
   * functions as small integers, where an unsigned address above 2^31 would be boxed (allocated)
   * at every call.
   */
  private takeTrap(cause: number, interrupt: boolean, tval: number, epc: number): void {
    const code = interrupt ? (cause | CAUSE_INTERRUPT) >>> 0 : cause;
    const delegated =
      this.privMode <= PRIV_S && (this.ext & EXT_S) !== 0 && (((interrupt ? this.mideleg : this.medeleg) >>> cause) & 1) !== 0;
    let status = this.mstatus;
    if (delegated) {
      this.scause = code;
      this.sepc = epc >>> 0;
      this.stval = tval >>> 0;
      status = (status & ~(MSTATUS_SPIE | MSTATUS_SIE | MSTATUS_SPP)) | ((status & MSTATUS_SIE) !== 0 ? MSTATUS_SPIE : 0);
      if (this.privMode === PRIV_S) status |= MSTATUS_SPP;
      this.privMode = PRIV_S;
      const base = this.stvec & ~3;
      this.pc = (interrupt && (this.stvec & 1) !== 0 ? base + 4 * cause : base) >>> 0;
    } else {
      this.mcause = code;
      this.mepc = epc >>> 0;
      this.mtval = tval >>> 0;
      status = (status & ~(MSTATUS_MPIE | MSTATUS_MIE | MSTATUS_MPP)) | ((status & MSTATUS_MIE) !== 0 ? MSTATUS_MPIE : 0);
      status |= this.privMode << MSTATUS_MPP_SHIFT;
      this.privMode = PRIV_M;
      const base = this.mtvec & ~3;
      this.pc = (interrupt && (this.mtvec & 1) !== 0 ? base + 4 * cause : base) >>> 0;
    }
    this.mstatus = status;
    this.attention |= ATTN_CHECK;
    this.updateMemoryMode();
    if (this.onTrap !== undefined) this.reportTrap(this.onTrap, code, interrupt, tval, epc);
  }

  /** The trap object handed to onTrap, reused for every trap. */
  private readonly trap: CpuTrap = { kind: 'other', access: undefined, cause: 0, causeName: '', pc: 0, value: 0, virtualAddress: false, handler: 0, vector: 'mtvec', returnRegister: 'mepc', interruptsMasked: true };

  /** Describe the trap just taken (the hart is in the handler's mode now) and tell the observer. `tval` and `epc` as in takeTrap. */
  private reportTrap(observer: (trap: CpuTrap) => void, code: number, interrupt: boolean, tval: number, epc: number): void {
    const trap = this.trap;
    if (interrupt) {
      trap.kind = 'interrupt';
      trap.access = undefined;
      trap.causeName = trapCauseName(code);
    } else {
      trap.kind = EXCEPTION_KIND_OF[code];
      trap.access = EXCEPTION_ACCESS_OF[code];
      trap.causeName = code === Cause.ILLEGAL_INSTRUCTION && isFloatInstruction(tval) ? this.floatIllegalName() : EXCEPTION_NAME_OF[code];
    }
    trap.cause = code;
    trap.pc = epc >>> 0;
    trap.value = tval >>> 0;
    trap.virtualAddress = trap.access !== undefined && this.faultAddressTranslated(trap.access);
    trap.handler = this.pc;
    const machine = this.privMode === PRIV_M;
    trap.vector = machine ? 'mtvec' : 'stvec';
    trap.returnRegister = machine ? 'mepc' : 'sepc';
    trap.interruptsMasked = machine;
    observer(trap);
  }

  /** Why a floating-point instruction was illegal, when the reason is the hart's (no F) or the firmware's (FS off); else the plain name. */
  private floatIllegalName(): string {
    if ((this.ext & EXT_F) === 0) return FLOAT_WITHOUT_F;
    if ((this.mstatus & MSTATUS_FS) === 0) return FLOAT_WITH_FS_OFF;
    return EXCEPTION_NAME_OF[Cause.ILLEGAL_INSTRUCTION];
  }

  /** Did the access that faulted go through Sv32 translation (so mtval is a virtual address)? Asked right after the trap. */
  private faultAddressTranslated(access: 'fetch' | 'load' | 'store'): boolean {
    if ((this.satp & SATP_MODE_SV32) === 0 || (this.ext & EXT_S) === 0) return false;
    // The trap has moved the hart to the handler's mode; the access ran in the mode it came from.
    const from = this.privMode === PRIV_M ? (this.mstatus & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT : PRIV_S;
    if (from < PRIV_M) return true;
    return access !== 'fetch' && (this.mstatus & MSTATUS_MPRV) !== 0;
  }

  /** Handles the attention word at a block boundary. Returns true when run() must return. */
  private serviceAttention(): boolean {
    if ((this.attention & ATTN_STOP) !== 0) {
      this.attention &= ~ATTN_STOP;
      return true;
    }
    this.attention = 0;
    this.checkInterrupts();
    return false;
  }

  private checkInterrupts(): void {
    const pending = (this.mipLines | this.mipSw) & this.mie;
    if (pending === 0) return;
    const priv = this.privMode;
    const mEnabled = priv < PRIV_M || (this.mstatus & MSTATUS_MIE) !== 0;
    const sEnabled = priv < PRIV_S || (priv === PRIV_S && (this.mstatus & MSTATUS_SIE) !== 0);
    const mPending = mEnabled ? pending & ~this.mideleg : 0;
    const candidates = mPending !== 0 ? mPending : sEnabled ? pending & this.mideleg : 0;
    if (candidates === 0) return;
    this.takeTrap(interruptToTake(candidates), true, 0, this.pc | 0);
  }

  /** False when it trapped (the hart is at the handler). */
  private mret(): boolean {
    const status = this.mstatus;
    const mpp = (status & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
    // mret with the reserved MPP = 2 raises illegal instruction on QEMU 7.2 (checked on it)
    if (this.privMode !== PRIV_M || mpp === 2) return this.trapIllegal(0x30200073);
    const target = this.xretTarget(this.mepc);
    if (target === TRAPPED) return false;
    let next = (status & ~(MSTATUS_MIE | MSTATUS_MPP)) | MSTATUS_MPIE | ((status & MSTATUS_MPIE) !== 0 ? MSTATUS_MIE : 0);
    if ((this.ext & EXT_U) === 0) next |= MSTATUS_MPP; // MPP stays M without U-mode
    if (mpp !== PRIV_M) next &= ~MSTATUS_MPRV;
    this.mstatus = next;
    this.privMode = mpp;
    this.pc = target;
    this.attention |= ATTN_CHECK;
    this.updateMemoryMode();
    this.onTrapReturn?.(target);
    return true;
  }

  /** False when it trapped (the hart is at the handler). */
  private sret(): boolean {
    if (this.privMode === PRIV_U || (this.privMode === PRIV_S && (this.mstatus & MSTATUS_TSR) !== 0)) {
      return this.trapIllegal(0x10200073);
    }
    const target = this.xretTarget(this.sepc);
    if (target === TRAPPED) return false;
    const status = this.mstatus;
    const spp = (status & MSTATUS_SPP) !== 0 ? PRIV_S : PRIV_U;
    this.mstatus =
      (status & ~(MSTATUS_SIE | MSTATUS_SPP | MSTATUS_MPRV)) | MSTATUS_SPIE | ((status & MSTATUS_SPIE) !== 0 ? MSTATUS_SIE : 0);
    this.privMode = spp;
    this.pc = target;
    this.attention |= ATTN_CHECK;
    this.updateMemoryMode();
    this.onTrapReturn?.(target);
    return true;
  }

  /**
   * Where mret/sret return to, from mepc/sepc (which hold any value, as on QEMU 7.2). Without C, an
   * address that is not 4-byte aligned raises instruction-address-misaligned at the mret/sret with
   * mtval 0 (QEMU 7.2 does; checked on it); with C, bit 0 is ignored. TRAPPED when it trapped.
   */
  private xretTarget(epc: number): number {
    if (this.ialignMask !== 0 && (epc & 3) !== 0) return this.trapHere(Cause.INSTRUCTION_MISALIGNED, 0);
    return (epc & ~1) >>> 0;
  }

  /** False when WFI is illegal here (the trap is taken). */
  private checkWfiAllowed(): boolean {
    if (this.privMode === PRIV_M) return true;
    if ((this.mstatus & MSTATUS_TW) !== 0 || this.privMode === PRIV_U) return this.trapIllegal(0x10500073);
    return true;
  }

  /** False when it trapped (the hart is at the handler). */
  private sfenceVma(w: number): boolean {
    if (this.privMode === PRIV_U || (this.privMode === PRIV_S && (this.mstatus & MSTATUS_TVM) !== 0)) {
      return this.trapIllegal(0x12000073 | (((w >>> 19) & 31) << 20) | (((w >>> 14) & 31) << 15));
    }
    this.flushTlb();
    return true;
  }

  // ---------------------------------------------------------------- instruction fetch and decode cache

  /**
   * Point fPage/fVbase/fVpn at the decoded code for `pc` (a cached page, or the scratch page for one
   * uncached instruction). False when the fetch faulted (the trap is taken: the hart is at the handler).
   * `pc` is an int32, like run()'s (an unsigned one above 2^31 would be boxed at every call).
   */
  private locateFetch(pc: number, uncached: boolean): boolean {
    if (!uncached && pc >>> PAGE_SHIFT === this.lastFetchVpn && this.privMode === this.lastFetchPriv) {
      this.fPage = this.lastFetchPage;
      this.fVbase = pc & ~(PAGE_SIZE - 1);
      this.fVpn = this.lastFetchVpn;
      return true;
    }
    const pa = this.fetchVm ? this.translate(pc >>> 0, ACCESS_FETCH) : pc >>> 0;
    if (pa === TRAPPED) return false;
    if (!uncached) {
      const ppn = pa >>> PAGE_SHIFT;
      let page = this.pages.get(ppn);
      if (page === undefined) {
        const ram = this.space.findRam(pa, 2);
        if (ram !== undefined) {
          page = new DecodedPage(ppn, ram);
          this.pages.set(ppn, page);
        }
      }
      if (page !== undefined) {
        this.fPage = page;
        this.fVbase = pc & ~(PAGE_SIZE - 1); // int32, like run()'s pc
        this.fVpn = pc >>> PAGE_SHIFT;
        this.lastFetchVpn = this.fVpn;
        this.lastFetchPriv = this.privMode;
        this.lastFetchPage = page;
        return true;
      }
    }
    // Uncached: straddles a page or mapping boundary, or runs from MMIO. Fetch through the bus.
    let raw = this.busLoad(pa, 2, pc, Cause.INSTRUCTION_ACCESS_FAULT);
    if (raw === TRAPPED) return false;
    if ((raw & 3) === 3 || (this.ext & EXT_C) === 0) {
      const hiVa = (pc + 2) >>> 0;
      const hiPa = (hiVa & (PAGE_SIZE - 1)) === 0 && this.fetchVm ? this.translate(hiVa, ACCESS_FETCH) : (pa + 2) >>> 0;
      if (hiPa === TRAPPED) return false;
      const hi = this.busLoad(hiPa, 2, hiVa, Cause.INSTRUCTION_ACCESS_FAULT);
      if (hi === TRAPPED) return false;
      raw |= hi << 16;
    }
    decodeInto(this.scratch.words, this.scratch.imms, 0, raw, this.ext);
    this.fPage = this.scratch;
    this.fVbase = pc | 0;
    this.fVpn = -1;
    return true;
  }

  private decodeSlot(page: DecodedPage, slot: number): void {
    const ram = page.ram;
    const addr = page.ppn * PAGE_SIZE + slot * 2;
    if (ram === null || addr < ram.base || addr + 2 > ram.end) {
      page.words[slot] = Op.SLOW_FETCH;
      return;
    }
    const u8 = ram.u8;
    const off = addr - ram.base;
    let raw = u8[off] | (u8[off + 1] << 8);
    if ((raw & 3) === 3 || (this.ext & EXT_C) === 0) {
      if (slot === SLOTS - 1 || addr + 4 > ram.end) {
        page.words[slot] = Op.SLOW_FETCH;
        return;
      }
      raw |= (u8[off + 2] << 16) | (u8[off + 3] << 24);
    }
    decodeInto(page.words, page.imms, slot, raw, this.ext);
    // tell every CPU's store fast path that these bytes now hold decoded code
    const first = slot << 1;
    const last = first + (page.words[slot] >>> 24) - 1;
    this.codeChunks[page.ppn] |= (1 << (first >>> CODE_CHUNK_SHIFT)) | (1 << (last >>> CODE_CHUNK_SHIFT));
  }

  /** RAM write listener: drop decoded instructions overlapping [address, address+size), and a remembered page fault whose PTEs it writes. */
  private invalidateCode(address: number, size: number): void {
    if (size <= 0) return;
    if (this.faultVpn !== 0 && (rangesOverlap(this.faultPte1, 4, address, size) || (this.faultPte0 !== -1 && rangesOverlap(this.faultPte0, 4, address, size)))) {
      this.faultVpn = 0;
    }
    const start = address >>> 0;
    const end = Math.min(start + size, TWO_POW_32);
    for (let ppn = start >>> PAGE_SHIFT; ppn * PAGE_SIZE < end; ppn++) {
      const page = this.pages.get(ppn);
      if (page === undefined) continue;
      const pageStart = ppn * PAGE_SIZE;
      const lo = Math.max(start, pageStart) - pageStart;
      const hi = Math.min(end, pageStart + PAGE_SIZE) - pageStart;
      // an instruction starting up to 2 bytes before the write can overlap it
      const firstSlot = Math.max(0, (lo >> 1) - 1);
      const endSlot = Math.min(SLOTS, ((hi - 1) >> 1) + 1);
      page.words.fill(0, firstSlot, endSlot);
      // entries there that only the interpreter could run may be code it can compile now
      page.known?.fill(0, firstSlot, endSlot);
      let dropped = false;
      for (let i = page.units.length - 1; i >= 0; i--) {
        if (!page.units[i].covers(lo, hi)) continue;
        this.tiers.remove(page.units[i]);
        dropped = true;
      }
      if (dropped) {
        // code that changes while compiled: count it, so code that keeps changing stops being compiled
        const rewrites = (page.rewrites ??= new Uint8Array(SLOTS));
        for (let s = lo >> 1; s <= (hi - 1) >> 1; s++) if (rewrites[s] < 255) rewrites[s]++;
      }
    }
  }

  // ---------------------------------------------------------------- data memory slow paths

  /** A load run() could not do from its RAM window; -1 when it faulted (the trap is taken: the hart is at the handler). */
  private loadSlow(va: number, size: AccessSize): number {
    if ((va & (size - 1)) !== 0) this.onMisalignedAccess?.('load', va, size, this.pc);
    let pa = va;
    if (this.dataVm) {
      if ((va & (PAGE_SIZE - 1)) + size > PAGE_SIZE) {
        if (this.watchingData && !this.watchAccess(va, size, WATCH_LOAD)) return TRAPPED;
        return this.loadBytes(va, size);
      }
      pa = this.translate(va, ACCESS_READ);
      if (pa === TRAPPED) return TRAPPED;
    }
    if (this.watchingData && !this.watchAccess(va, size, WATCH_LOAD)) return TRAPPED;
    // nothing mapped, or a device refused the access: an access fault, taken without unwinding (see exceptionInLoop)
    const value = this.busLoad(pa, size, va, Cause.LOAD_ACCESS_FAULT);
    if (value === TRAPPED) return TRAPPED;
    if (!this.dataVm) {
      const ram = this.space.findRam(pa, size);
      if (ram !== undefined && ram !== this.ldRam) this.setLoadRam(ram);
    }
    // devices may return more bits than asked for
    return size === 4 ? value : value & (size === 1 ? 0xff : 0xffff);
  }

  /**
   * A load that crosses a page boundary under paging: one byte at a time, each translated, in
   * ascending order, so a fault names the second page's first byte, as on QEMU 7.2 (checked on it).
   */
  private loadBytes(va: number, size: number): number {
    let value = 0;
    for (let i = 0; i < size; i++) {
      const byteVa = (va + i) >>> 0;
      const pa = this.translate(byteVa, ACCESS_READ);
      if (pa === TRAPPED) return TRAPPED;
      const byte = this.busLoad(pa, 1, byteVa, Cause.LOAD_ACCESS_FAULT);
      if (byte === TRAPPED) return TRAPPED;
      value |= byte << (8 * i);
    }
    return value >>> 0;
  }

  /** A store run() could not do through its RAM window; false when it faulted (the trap is taken: the hart is at the handler). */
  private storeSlow(va: number, value: number, size: AccessSize): boolean {
    if ((va & (size - 1)) !== 0) this.onMisalignedAccess?.('store', va, size, this.pc);
    let pa = va;
    if (this.dataVm) {
      if ((va & (PAGE_SIZE - 1)) + size > PAGE_SIZE) {
        // translate every byte first so a fault leaves memory untouched
        const pas = this.crossingPas;
        for (let i = 0; i < size; i++) {
          pas[i] = this.translate((va + i) >>> 0, ACCESS_WRITE);
          if (pas[i] === TRAPPED) return false;
        }
        if (this.watchingData && !this.watchAccess(va, size, WATCH_STORE)) return false;
        for (let i = 0; i < size; i++) if (!this.busStore(pas[i], (value >>> (8 * i)) & 0xff, 1, (va + i) >>> 0)) return false;
        return true;
      }
      pa = this.translate(va, ACCESS_WRITE);
      if (pa === TRAPPED) return false;
    }
    if (this.watchingData && !this.watchAccess(va, size, WATCH_STORE)) return false;
    // nothing writable mapped, or a device refused the access: an access fault, taken without unwinding (see exceptionInLoop)
    if (!this.busStore(pa, size === 4 ? value : value & (size === 1 ? 0xff : 0xffff), size, va)) return false;
    if (!this.dataVm) {
      const ram = this.space.findRam(pa, size);
      if (ram !== undefined && !ram.readOnly && ram !== this.stRam) this.setStoreRam(ram);
    }
    return true;
  }

  /**
   * Load from the physical address space. Where nothing is mapped, or a device refuses the access
   * (throws BusFault), takes `faultCause` with tval `va` and returns TRAPPED.
   */
  private busLoad(pa: number, size: AccessSize, va: number, faultCause: number): number {
    let value: number;
    try {
      value = this.space.tryLoad(pa, size);
    } catch (e) {
      if (!(e instanceof BusFault)) throw e;
      value = TRAPPED;
    }
    return value < 0 ? this.trapHere(faultCause, va) : value;
  }

  /** Store to the physical address space; false (a store access fault at `va` is taken) where nothing writable is mapped or a device refuses. */
  private busStore(pa: number, value: number, size: AccessSize, va: number): boolean {
    let stored: boolean;
    try {
      stored = this.space.tryStore(pa, value, size);
    } catch (e) {
      if (!(e instanceof BusFault)) throw e;
      stored = false;
    }
    if (!stored) this.trapHere(Cause.STORE_ACCESS_FAULT, va);
    return stored;
  }

  private views(ram: RamMapping): RamViews {
    let v = this.ramViews.get(ram);
    if (v === undefined) {
      v = new RamViews(ram);
      this.ramViews.set(ram, v);
    }
    return v;
  }

  private setLoadRam(ram: RamMapping): void {
    const v = this.views(ram);
    this.ldRam = ram;
    this.ldU8 = ram.u8;
    this.ldI8 = v.i8;
    this.ldU16 = ram.u16;
    this.ldI16 = v.i16;
    this.ldI32 = ram.i32;
    this.applyFastPathBounds();
  }

  private setStoreRam(ram: RamMapping): void {
    this.stRam = ram;
    this.stU8 = ram.u8;
    this.stU16 = ram.u16;
    this.stI32 = ram.i32;
    this.applyFastPathBounds();
  }

  /** Fast paths are open only without data translation and without watched data (triggers, watchpoints). */
  private applyFastPathBounds(): void {
    const b = this.bounds;
    const ld = this.dataVm || this.watchingData ? null : this.ldRam;
    const st = this.dataVm || this.watchingData ? null : this.stRam;
    b[LD_BASE] = ld === null ? 0 : ld.base | 0;
    b[LD_SIZE] = ld === null ? 0 : ld.size;
    b[ST_BASE] = st === null ? 0 : st.base | 0;
    b[ST_SIZE] = st === null ? 0 : st.size;
    // compiled code's windows: the same, where the RAM is in the guest arena
    const c = this.ctx;
    const ldArena = ld !== null && ld.arenaOffset >= 0;
    const stArena = st !== null && st.arenaOffset >= 0;
    if (!this.ramOutsideArena && ((ld !== null && !ldArena) || (st !== null && !stArena))) {
      // RAM compiled code cannot reach inline: from now on its loads and stores call helpers (compiled again)
      this.ramOutsideArena = true;
      this.tiers.clear();
    }
    c[RV32_CTX.LD_BASE] = b[LD_BASE];
    c[RV32_CTX.LD_SIZE] = ldArena ? b[LD_SIZE] : 0;
    c[RV32_CTX.LD_OFF] = ldArena ? ld.arenaOffset : 0;
    c[RV32_CTX.ST_BASE] = b[ST_BASE];
    c[RV32_CTX.ST_SIZE] = stArena ? b[ST_SIZE] : 0;
    c[RV32_CTX.ST_OFF] = stArena ? st.arenaOffset : 0;
  }

  /** LR, SC and the AMOs; false when the access faulted (the trap is taken: the hart is at the handler). */
  private atomic(w: number): boolean {
    const op = w & 0xff;
    const rd = (w >>> 8) & 63;
    const x = this.regs;
    const va = x[(w >>> 14) & 31] >>> 0;
    if (op === Op.LR_W) {
      if ((va & 3) !== 0) {
        this.trapHere(Cause.LOAD_MISALIGNED, va);
        return false;
      }
      const pa = this.dataVm ? this.translate(va, ACCESS_READ) : va;
      if (pa === TRAPPED) return false;
      if (this.watchingData && !this.watchAccess(va, 4, WATCH_LOAD)) return false;
      const value = this.busLoad(pa, 4, va, Cause.LOAD_ACCESS_FAULT);
      if (value === TRAPPED) return false;
      this.resValid = true;
      this.resVa = va;
      this.resAddr = pa;
      this.resValue = value;
      x[rd] = value | 0;
      return true;
    }
    const src = x[(w >>> 19) & 31];
    if (op === Op.SC_W) {
      // Like QEMU: an SC to an address other than the reserved one fails without touching memory.
      // An SC that faults keeps the reservation.
      let ok = false;
      if (this.resValid && this.resVa === va) {
        const pa = this.dataVm ? this.translate(va, ACCESS_WRITE) : va;
        if (pa === TRAPPED) return false;
        // QEMU's SC is a compare-and-swap: a load and a store for triggers
        if (this.watchingData && !this.watchAccess(va, 4, WATCH_LOAD | WATCH_STORE)) return false;
        if (this.resAddr === pa) {
          const current = this.busLoad(pa, 4, va, Cause.STORE_ACCESS_FAULT);
          if (current === TRAPPED) return false;
          if (current === this.resValue) {
            if (!this.busStore(pa, src, 4, va)) return false;
            ok = true;
          }
        }
      }
      this.resValid = false;
      x[rd] = ok ? 0 : 1;
      return true;
    }
    // Like QEMU 7.2 (the reference): a misaligned AMO raises load-address-misaligned and a bus
    // error on its read raises load access fault (the spec says store/AMO for both); page faults
    // are store page faults.
    if ((va & 3) !== 0) {
      this.trapHere(Cause.LOAD_MISALIGNED, va);
      return false;
    }
    const pa = this.dataVm ? this.translate(va, ACCESS_WRITE) : va;
    if (pa === TRAPPED) return false;
    if (this.watchingData && !this.watchAccess(va, 4, WATCH_LOAD | WATCH_STORE)) return false;
    const loaded = this.busLoad(pa, 4, va, Cause.LOAD_ACCESS_FAULT);
    if (loaded === TRAPPED) return false;
    const old = loaded | 0;
    let value: number;
    switch (op) {
      case Op.AMOSWAP_W: value = src; break;
      case Op.AMOADD_W: value = (old + src) | 0; break;
      case Op.AMOXOR_W: value = old ^ src; break;
      case Op.AMOAND_W: value = old & src; break;
      case Op.AMOOR_W: value = old | src; break;
      case Op.AMOMIN_W: value = old < src ? old : src; break;
      case Op.AMOMAX_W: value = old > src ? old : src; break;
      case Op.AMOMINU_W: value = old >>> 0 < src >>> 0 ? old : src; break;
      default: value = old >>> 0 > src >>> 0 ? old : src; break; // AMOMAXU_W
    }
    if (!this.busStore(pa, value, 4, va)) return false;
    x[rd] = old;
    return true;
  }

  // ---------------------------------------------------------------- F and D

  /**
   * An F/D instruction is illegal while mstatus.FS is off: take the trap (mtval = its bits, as
   * QEMU 7.2) without unwinding; returns false for run() (afterTrapInSlowPath).
   */
  private floatIllegal(raw: number): false {
    this.takeTrap(Cause.ILLEGAL_INSTRUCTION, false, raw | 0, this.pc | 0);
    return false;
  }

  /** FS becomes dirty (and SD with it), as QEMU's mark_fs_dirty after an instruction that wrote an FP register. */
  private markFsDirty(): void {
    this.mstatus |= MSTATUS_FS | MSTATUS_SD;
  }

  /**
   * flw, fld, fsw, fsd (and their compressed forms; `raw` is the instruction) through the integer
   * loads' and stores' slow paths. A double is two 32-bit accesses, low word first. Returns false
   * when it trapped (FS off, an access or page fault), as lw/sw do, without unwinding.
   */
  private floatMemory(w: number, raw: number): boolean {
    if ((this.mstatus & MSTATUS_FS) === 0) return this.floatIllegal(raw);
    const op = w & 0xff;
    const va = (this.regs[(w >>> 14) & 31] + fpMemoryOffset(raw)) >>> 0;
    const f = this.fregs;
    if (op === Op.FLW || op === Op.FLD) {
      const rd = (w >>> 8) & 63;
      const low = this.loadSlow(va, 4);
      if (low < 0) return false;
      if (op === Op.FLW) f.setSingle(rd, low);
      else {
        const high = this.loadSlow((va + 4) >>> 0, 4);
        if (high < 0) return false;
        f.lo[rd] = low;
        f.hi[rd] = high;
      }
      this.markFsDirty();
      return true;
    }
    const rs2 = (w >>> 19) & 31;
    if (op === Op.FSD && this.dataVm && (va & (PAGE_SIZE - 1)) > PAGE_SIZE - 8) {
      // Across a page boundary QEMU translates both pages before it stores anything: a fault on the
      // second (mtval: its first byte) leaves the first page's bytes as they were.
      if (this.translate(va, ACCESS_WRITE) === TRAPPED) return false;
      if (this.translate(((va + 7) & ~(PAGE_SIZE - 1)) >>> 0, ACCESS_WRITE) === TRAPPED) return false;
    }
    // fsw stores the low 32 bits as they are, boxed or not (QEMU 7.2); stores leave FS as it is
    if (!this.storeSlow(va, f.lo[rs2] | 0, 4)) return false;
    return op === Op.FSW || this.storeSlow((va + 4) >>> 0, f.hi[rs2] | 0, 4);
  }

  /** Every other F/D instruction (./fpu.ts). Returns false when it trapped (FS off, a reserved rounding mode). */
  private floatInstruction(w: number, raw: number): boolean {
    if ((this.mstatus & MSTATUS_FS) === 0) return this.floatIllegal(raw);
    const status = this.fpStatus;
    status.flags = 0;
    const outcome = executeFloat(w, raw, this.fregs, this.regs, this.frm, status);
    if (outcome === FP_ILLEGAL) return this.floatIllegal(raw);
    this.fflags |= status.flags;
    if (outcome === FP_DIRTY) this.markFsDirty();
    return true;
  }

  // ---------------------------------------------------------------- Sv32 translation

  private flushTlb(): void {
    this.tlbTag.fill(0);
    this.faultVpn = 0;
    this.lastFetchVpn = -1;
    this.attention |= ATTN_CHECK;
  }

  private updateMemoryMode(): void {
    const sv32 = (this.satp & SATP_MODE_SV32) !== 0;
    const status = this.mstatus;
    this.dataPriv = (status & MSTATUS_MPRV) !== 0 ? retPriv((status & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT) : this.privMode;
    this.fetchVm = sv32 && this.privMode !== PRIV_M;
    const dataVm = sv32 && this.dataPriv !== PRIV_M;
    // the fast paths' bounds depend on dataVm here (whoever changes their other inputs applies them)
    if (dataVm !== this.dataVm) {
      this.dataVm = dataVm;
      this.applyFastPathBounds();
    }
  }

  /**
   * Virtual → physical for one access. A page fault, or an access fault (a page-table walk hitting
   * no memory), is taken without unwinding: then TRAPPED (the hart is at the handler).
   */
  private translate(va: number, access: number): number {
    const vpn = va >>> PAGE_SHIFT;
    const slot = vpn & (TLB_ENTRIES - 1);
    if (this.tlbTag[slot] !== vpn + 1 || (access === ACCESS_WRITE && (this.tlbPte[slot] & PTE_D) === 0)) {
      if (vpn + 1 === this.faultVpn && access === this.faultAccess && this.faultKeyHolds(access)) return this.translationFault(va, access, WALK_PAGE_FAULT);
      const found = this.walk(va, access); // fills the TLB slot when it succeeds
      if (found !== WALK_OK) {
        if (found === WALK_PAGE_FAULT) this.rememberFault(vpn, access);
        return this.translationFault(va, access, found);
      }
    }
    if (!this.permits(this.tlbPte[slot], access)) return this.translationFault(va, access, WALK_PAGE_FAULT);
    return (this.tlbPpn[slot] * PAGE_SIZE + (va & (PAGE_SIZE - 1))) >>> 0;
  }

  /** The remembered page fault's privilege and permission bits are the current ones for `access`. */
  private faultKeyHolds(access: number): boolean {
    return (access === ACCESS_FETCH ? this.privMode : this.dataPriv) === this.faultPriv && (this.mstatus & (MSTATUS_SUM | MSTATUS_MXR)) === this.faultStatus;
  }

  /**
   * Remember the walk that just page-faulted (see faultVpn), when the PTEs it read are in RAM (a
   * device's register may change by itself): flag their chunks so that a write to them is reported.
   */
  private rememberFault(vpn: number, access: number): void {
    this.faultVpn = 0;
    const pte1 = this.walkPte1;
    const pte0 = this.walkPte0;
    if (this.space.findRam(pte1, 4) === undefined || (pte0 !== -1 && this.space.findRam(pte0, 4) === undefined)) return;
    this.codeChunks[pte1 >>> PAGE_SHIFT] |= 1 << (pte1 >>> CODE_CHUNK_SHIFT);
    if (pte0 !== -1) this.codeChunks[pte0 >>> PAGE_SHIFT] |= 1 << (pte0 >>> CODE_CHUNK_SHIFT);
    this.faultVpn = vpn + 1;
    this.faultAccess = access;
    this.faultPriv = access === ACCESS_FETCH ? this.privMode : this.dataPriv;
    this.faultStatus = this.mstatus & (MSTATUS_SUM | MSTATUS_MXR);
    this.faultPte1 = pte1;
    this.faultPte0 = pte0;
  }

  /** Whether a leaf PTE allows the access at the current privilege (U, SUM, MXR and the R/W/X bits). */
  private permits(pte: number, access: number): boolean {
    const priv = access === ACCESS_FETCH ? this.privMode : this.dataPriv;
    let ok: boolean;
    if (access === ACCESS_FETCH) ok = (pte & PTE_X) !== 0;
    else if (access === ACCESS_READ) ok = (pte & PTE_R) !== 0 || ((this.mstatus & MSTATUS_MXR) !== 0 && (pte & PTE_X) !== 0);
    else ok = (pte & PTE_W) !== 0;
    if ((pte & PTE_U) !== 0) {
      if (priv === PRIV_S && (access === ACCESS_FETCH || (this.mstatus & MSTATUS_SUM) === 0)) ok = false;
    } else if (priv === PRIV_U) ok = false;
    return ok;
  }

  /** Take the page fault (WALK_PAGE_FAULT) or access fault (WALK_ACCESS_FAULT) an access to `va` met; returns TRAPPED. */
  private translationFault(va: number, access: number, fault: number): number {
    let cause: number;
    if (fault === WALK_PAGE_FAULT) cause = access === ACCESS_FETCH ? Cause.INSTRUCTION_PAGE_FAULT : access === ACCESS_READ ? Cause.LOAD_PAGE_FAULT : Cause.STORE_PAGE_FAULT;
    else cause = access === ACCESS_FETCH ? Cause.INSTRUCTION_ACCESS_FAULT : access === ACCESS_READ ? Cause.LOAD_ACCESS_FAULT : Cause.STORE_ACCESS_FAULT;
    return this.trapHere(cause, va);
  }

  /**
   * Walk the Sv32 page table, check the access is allowed, set A (and D for writes), fill the TLB
   * slot: WALK_OK, or the fault the access takes (WALK_PAGE_FAULT, WALK_ACCESS_FAULT), which the
   * caller raises. As in the privileged spec and QEMU 7.2 (get_physical_address), A and D are set
   * only for an access that passes every check: one that page-faults leaves the PTE as it was.
   */
  private walk(va: number, access: number): number {
    let table = (this.satp & SATP_PPN_MASK) * PAGE_SIZE;
    let level = 1;
    let pte: number;
    let pteAddr: number;
    this.walkPte0 = -1;
    for (;;) {
      const index = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
      pteAddr = table + index * 4;
      if (pteAddr >= TWO_POW_32) return WALK_ACCESS_FAULT;
      if (level === 1) this.walkPte1 = pteAddr;
      else this.walkPte0 = pteAddr;
      let loaded: number;
      try {
        loaded = this.space.tryLoad(pteAddr, 4);
      } catch (e) {
        if (!(e instanceof BusFault)) throw e;
        loaded = -1; // a device refused the access
      }
      if (loaded < 0) return WALK_ACCESS_FAULT;
      pte = loaded | 0;
      if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) return WALK_PAGE_FAULT;
      if ((pte & (PTE_R | PTE_X)) !== 0) break;
      if (level === 0) return WALK_PAGE_FAULT;
      level = 0;
      table = (pte >>> 10) * PAGE_SIZE;
    }
    const ptePpn = pte >>> 10;
    if (level === 1 && (ptePpn & 0x3ff) !== 0) return WALK_PAGE_FAULT; // misaligned megapage
    if (!this.permits(pte, access)) return WALK_PAGE_FAULT;
    const updated = pte | PTE_A | (access === ACCESS_WRITE ? PTE_D : 0);
    if (updated !== pte) {
      // A/D are updated by the hart (Svadu behaviour, as QEMU does). Another hart may have changed
      // the PTE since it was read: then walk again, as QEMU does when its cmpxchg fails.
      const result = this.updatePte(pteAddr, pte, updated);
      if (result === WALK_AGAIN) return this.walk(va, access);
      if (result !== WALK_OK) return result;
      pte = updated;
    }
    // Beyond the 32-bit physical address space: the access itself faults (after A/D, as on QEMU,
    // whose 34-bit physical space has nothing there).
    const ppn = level === 1 ? (ptePpn & ~0x3ff) | ((va >>> 12) & 0x3ff) : ptePpn;
    if (ppn >= 1 << 20) return WALK_ACCESS_FAULT;
    const slot = (va >>> PAGE_SHIFT) & (TLB_ENTRIES - 1);
    this.tlbTag[slot] = (va >>> PAGE_SHIFT) + 1;
    this.tlbPte[slot] = pte;
    this.tlbPpn[slot] = ppn;
    return WALK_OK;
  }

  /**
   * Set A/D in the PTE at `pteAddr` if it still holds `expected`: WALK_OK, WALK_AGAIN when it does
   * not, WALK_ACCESS_FAULT when the PTE's memory takes no store (ROM, a device that refuses). In RAM
   * this is a compare-and-swap (Atomics.compareExchange), atomic with respect to harts running in
   * other threads on the same SharedArrayBuffer. A page table in MMIO has no atomic access; a plain
   * store is safe there because the harts of one machine take turns on one thread (Machine.run
   * interleaves them in slices), so no other hart runs between the walk's load and this store.
   */
  private updatePte(pteAddr: number, expected: number, updated: number): number {
    const ram = this.space.findRam(pteAddr, 4);
    const offset = ram === undefined ? 0 : pteAddr - ram.base;
    if (ram !== undefined && !ram.readOnly && (offset & 3) === 0) {
      if (Atomics.compareExchange(ram.i32, offset >>> 2, expected, updated) !== expected) return WALK_AGAIN;
      ram.hits++;
      if (((this.codeChunks[pteAddr >>> PAGE_SHIFT] >>> (pteAddr >>> CODE_CHUNK_SHIFT)) & 1) !== 0) this.space.notifyRamWrite(pteAddr, 4);
      return WALK_OK;
    }
    let stored: boolean;
    try {
      stored = this.space.tryStore(pteAddr, updated, 4);
    } catch (e) {
      if (!(e instanceof BusFault)) throw e;
      stored = false;
    }
    return stored ? WALK_OK : WALK_ACCESS_FAULT;
  }

  // ---------------------------------------------------------------- CSRs

  /** False when it trapped (illegal here: the hart is at the handler). */
  private csrInstruction(w: number, csr: number): boolean {
    const op = w & 0xff;
    const rd = (w >>> 8) & 63;
    const rs1 = (w >>> 14) & 31;
    const immediate = op >= Op.CSRRWI;
    const kind = (op - Op.CSRRW) % 3; // 0 write, 1 set, 2 clear
    // Like QEMU 7.2, csrrs/csrrc write (and so trap on a read-only CSR) only when the mask is not
    // zero: the register's value, not its number, decides (csrrs rd, mhartid, t0 with t0 = 0 reads).
    const src = immediate ? rs1 : this.regs[rs1];
    const writes = kind === 0 || src !== 0;
    // fflags, frm and fcsr exist only while the FPU is on (QEMU 7.2's fs predicate; debugger accesses pass)
    const fpOff = csr <= Csr.FCSR && (this.mstatus & MSTATUS_FS) === 0;
    if (((csr >>> 8) & 3) > this.privMode || (writes && csr >>> 10 === 3) || fpOff || !this.csrAccessible(csr)) {
      return this.trapIllegal(csrInstructionBits(w, csr));
    }
    const old = this.csrRead(csr);
    if (old === undefined) return this.trapIllegal(csrInstructionBits(w, csr));
    if (writes) {
      // read-modify-write of mip/sip uses the software-writable bits, not the external lines
      const base = kind !== 0 && (csr === Csr.MIP || csr === Csr.SIP) ? this.mipSw : old;
      const value = kind === 0 ? src : kind === 1 ? base | src : base & ~src;
      this.csrWrite(csr, value | 0);
    }
    this.regs[rd] = old;
    return true;
  }

  /** Counter-enable and TVM checks (privilege level and read-only checks are done by the caller). */
  private csrAccessible(csr: number): boolean {
    const priv = this.privMode;
    if (priv === PRIV_M) return true;
    if ((csr >= Csr.CYCLE && csr <= Csr.HPMCOUNTER31) || (csr >= Csr.CYCLEH && csr <= Csr.HPMCOUNTER31H)) {
      const bit = 1 << (csr & 31);
      if ((this.mcounteren & bit) === 0) return false;
      if (priv === PRIV_U && (this.scounteren & bit) === 0) return false;
    }
    if (csr === Csr.SATP && priv === PRIV_S && (this.mstatus & MSTATUS_TVM) !== 0) return false;
    return true;
  }

  private liveInstret(): number {
    return this.running ? this.instretBase + this.curSteps - 1 : this.instret;
  }

  private liveCycles(): number {
    return this.running ? this.cycleBase + this.curSteps - 1 : this.cycles;
  }

  private setInstret(value: number): void {
    if (this.running) this.instretBase = value - this.curSteps;
    this.instret = value;
  }

  private setCycles(value: number): void {
    if (this.running) this.cycleBase = value - this.curSteps;
    this.cycles = value;
  }

  /** Value of a CSR as int32, or undefined when this hart does not implement it. */
  private csrRead(csr: number): number | undefined {
    const hasS = (this.ext & EXT_S) !== 0;
    const hasF = (this.ext & EXT_F) !== 0;
    switch (csr) {
      case Csr.FFLAGS: return hasF ? this.fflags : undefined;
      case Csr.FRM: return hasF ? this.frm : undefined;
      case Csr.FCSR: return hasF ? (this.frm << FCSR_FRM_SHIFT) | this.fflags : undefined;
      case Csr.MSTATUS: return this.mstatus;
      case Csr.MISA: return this.misa | 0;
      case Csr.MEDELEG: return hasS ? this.medeleg : undefined;
      case Csr.MIDELEG: return hasS ? this.mideleg : undefined;
      case Csr.MIE: return this.mie;
      case Csr.MTVEC: return this.mtvec;
      case Csr.MCOUNTEREN: return (this.ext & EXT_U) !== 0 ? this.mcounteren : undefined;
      case Csr.MENVCFG:
      case Csr.MENVCFGH:
        return (this.ext & EXT_U) !== 0 ? 0 : undefined;
      case Csr.MSTATUSH: return 0;
      case Csr.MCOUNTINHIBIT: return this.mcountinhibit;
      case Csr.MSCRATCH: return this.mscratch;
      case Csr.MEPC: return this.mepc | 0;
      case Csr.MCAUSE: return this.mcause | 0;
      case Csr.MTVAL: return this.mtval | 0;
      case Csr.MIP: return this.mipSw | this.mipLines;
      case Csr.MVENDORID:
      case Csr.MARCHID:
      case Csr.MIMPID:
      case Csr.MCONFIGPTR:
        return 0;
      case Csr.MHARTID: return this.hartId | 0;
      case Csr.MCYCLE:
      case Csr.CYCLE:
        return this.liveCycles() | 0;
      case Csr.MCYCLEH:
      case Csr.CYCLEH:
        return Math.floor(this.liveCycles() / TWO_POW_32) | 0;
      case Csr.MINSTRET:
      case Csr.INSTRET:
        return this.liveInstret() | 0;
      case Csr.MINSTRETH:
      case Csr.INSTRETH:
        return Math.floor(this.liveInstret() / TWO_POW_32) | 0;
      case Csr.TIME:
        return this.timeSource() | 0;
      case Csr.TIMEH:
        return Math.floor(this.timeSource() / TWO_POW_32) | 0;
      case Csr.SSTATUS: return hasS ? this.mstatus & SSTATUS_MASK : undefined;
      case Csr.SIE: return hasS ? this.mie & this.mideleg & S_INTERRUPTS : undefined;
      case Csr.STVEC: return hasS ? this.stvec : undefined;
      case Csr.SCOUNTEREN: return hasS ? this.scounteren : undefined;
      case Csr.SENVCFG: return hasS ? 0 : undefined;
      case Csr.SSCRATCH: return hasS ? this.sscratch : undefined;
      case Csr.SEPC: return hasS ? this.sepc | 0 : undefined;
      case Csr.SCAUSE: return hasS ? this.scause | 0 : undefined;
      case Csr.STVAL: return hasS ? this.stval | 0 : undefined;
      case Csr.SIP: return hasS ? (this.mipSw | this.mipLines) & this.mideleg & S_INTERRUPTS : undefined;
      case Csr.SATP: return hasS ? this.satp : undefined;
    }
    if (csr >= TRIGGER_CSRS.TSELECT && csr <= TRIGGER_CSRS.TINFO) return this.triggerCsrRead(csr);
    if (csr >= Csr.PMPCFG0 && csr <= Csr.PMPCFG3) return this.pmpcfg[csr - Csr.PMPCFG0];
    if (csr >= Csr.PMPADDR0 && csr <= Csr.PMPADDR15) return this.pmpaddr[csr - Csr.PMPADDR0];
    if (csr >= Csr.MHPMEVENT3 && csr <= Csr.MHPMEVENT31) return 0;
    if (csr >= Csr.MHPMCOUNTER3 && csr <= Csr.MHPMCOUNTER31) return 0;
    if (csr >= Csr.MHPMCOUNTER3H && csr <= Csr.MHPMCOUNTER31H) return 0;
    if (csr >= Csr.HPMCOUNTER3 && csr <= Csr.HPMCOUNTER31) return 0;
    if (csr >= Csr.HPMCOUNTER3H && csr <= Csr.HPMCOUNTER31H) return 0;
    return undefined;
  }

  /** Write a CSR (WARL fields legalized). Returns false for read-only CSRs. */
  private csrWrite(csr: number, value: number): boolean {
    const hasS = (this.ext & EXT_S) !== 0;
    const hasU = (this.ext & EXT_U) !== 0;
    // FS is writable only with F (QEMU 7.2's write_mstatus mask)
    const fsMask = (this.ext & EXT_F) !== 0 ? MSTATUS_FS : 0;
    switch (csr) {
      // writes to the FP CSRs make FS dirty, as QEMU 7.2's write_fflags/write_frm/write_fcsr do
      case Csr.FFLAGS:
        this.fflags = value & FFLAGS_MASK;
        this.markFsDirty();
        return true;
      case Csr.FRM:
        this.frm = value & FRM_MASK; // 5-7 are kept; an instruction using them is illegal
        this.markFsDirty();
        return true;
      case Csr.FCSR:
        this.fflags = value & FFLAGS_MASK;
        this.frm = (value >>> FCSR_FRM_SHIFT) & FRM_MASK;
        this.markFsDirty();
        return true;
      case Csr.MSTATUS: {
        // VS stays writable without a vector unit, as on QEMU 7.2 (see csr.ts).
        let mask = MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_VS | fsMask;
        if (hasU) mask |= MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TW;
        if (hasS) mask |= (SSTATUS_MASK & ~(MSTATUS_SD | MSTATUS_FS)) | MSTATUS_TVM | MSTATUS_TSR;
        let next = (this.mstatus & ~mask) | (value & mask);
        // MPP = 2 (reserved) is kept as QEMU 7.2 keeps it (mret then raises illegal instruction);
        // MPP = S without S-mode keeps the old value.
        const mpp = (next & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT;
        if (mpp === PRIV_S && !hasS) next = (next & ~MSTATUS_MPP) | (this.mstatus & MSTATUS_MPP);
        this.setStatus(next);
        return true;
      }
      case Csr.SSTATUS: {
        const mask = (SSTATUS_MASK & ~(MSTATUS_SD | MSTATUS_FS)) | fsMask;
        this.setStatus((this.mstatus & ~mask) | (value & mask));
        return true;
      }
      case Csr.MISA: return true; // not writable (WARL: writes ignored)
      // QEMU 7.2's writable bits (csr.ts says which and why)
      case Csr.MEDELEG: this.medeleg = value & MEDELEG_WRITABLE; return true;
      case Csr.MIDELEG: this.mideleg = value & MIP_WRITABLE; this.attention |= ATTN_CHECK; return true;
      case Csr.MIE:
        this.mie = value & (hasS ? MIE_WRITABLE : M_INTERRUPTS);
        this.attention |= ATTN_CHECK;
        return true;
      case Csr.SIE: {
        const mask = this.mideleg & S_INTERRUPTS;
        this.mie = (this.mie & ~mask) | (value & mask);
        this.attention |= ATTN_CHECK;
        return true;
      }
      case Csr.MIP:
        if (hasS) this.mipSw = value & MIP_WRITABLE;
        this.attention |= ATTN_CHECK;
        return true;
      case Csr.SIP: {
        const mask = MIP_SSIP & this.mideleg;
        this.mipSw = (this.mipSw & ~mask) | (value & mask);
        this.attention |= ATTN_CHECK;
        return true;
      }
      // reserved modes (2, 3): the write is ignored, as QEMU does
      case Csr.MTVEC: if ((value & 3) < 2) this.mtvec = value; return true;
      case Csr.STVEC: if ((value & 3) < 2) this.stvec = value; return true;
      case Csr.MCOUNTEREN: this.mcounteren = value; return true;
      case Csr.SCOUNTEREN: this.scounteren = value; return true;
      case Csr.MCOUNTINHIBIT: this.mcountinhibit = value & ~2; return true;
      case Csr.MSCRATCH: this.mscratch = value; return true;
      case Csr.SSCRATCH: this.sscratch = value; return true;
      // QEMU 7.2 stores and reads back all 32 bits, with or without C (checked on it); mret/sret
      // check the alignment (see xretTarget).
      case Csr.MEPC: this.mepc = value >>> 0; return true;
      case Csr.SEPC: this.sepc = value >>> 0; return true;
      case Csr.MCAUSE: this.mcause = value >>> 0; return true;
      case Csr.SCAUSE: this.scause = value >>> 0; return true;
      case Csr.MTVAL: this.mtval = value >>> 0; return true;
      case Csr.STVAL: this.stval = value >>> 0; return true;
      case Csr.SATP:
        this.satp = value;
        this.flushTlb();
        this.updateMemoryMode();
        return true;
      case Csr.MCYCLE: {
        const cur = this.liveCycles();
        this.setCycles(Math.floor(cur / TWO_POW_32) * TWO_POW_32 + (value >>> 0));
        return true;
      }
      case Csr.MCYCLEH:
        this.setCycles((value >>> 0) * TWO_POW_32 + (this.liveCycles() >>> 0));
        return true;
      case Csr.MINSTRET: {
        const cur = this.liveInstret();
        this.setInstret(Math.floor(cur / TWO_POW_32) * TWO_POW_32 + (value >>> 0));
        return true;
      }
      case Csr.MINSTRETH:
        this.setInstret((value >>> 0) * TWO_POW_32 + (this.liveInstret() >>> 0));
        return true;
      case Csr.MENVCFG:
      case Csr.MENVCFGH:
      case Csr.SENVCFG:
      case Csr.MSTATUSH:
        return true; // no fields implemented
    }
    if (csr >= TRIGGER_CSRS.TSELECT && csr <= TRIGGER_CSRS.TINFO) return this.triggerCsrWrite(csr, value);
    if (csr >= Csr.PMPCFG0 && csr <= Csr.PMPCFG3) {
      this.pmpcfg[csr - Csr.PMPCFG0] = value;
      return true;
    }
    if (csr >= Csr.PMPADDR0 && csr <= Csr.PMPADDR15) {
      this.pmpaddr[csr - Csr.PMPADDR0] = value;
      return true;
    }
    if (csr >= Csr.MHPMEVENT3 && csr <= Csr.MHPMEVENT31) return true;
    if (csr >= Csr.MHPMCOUNTER3 && csr <= Csr.MHPMCOUNTER31) return true;
    if (csr >= Csr.MHPMCOUNTER3H && csr <= Csr.MHPMCOUNTER31H) return true;
    return false;
  }

  /** tselect, tdata1-3, tinfo (see ./triggers.ts for QEMU 7.2's rules). */
  private triggerCsrRead(csr: number): number | undefined {
    if (!this.hasTriggers) return undefined;
    switch (csr) {
      case TRIGGER_CSRS.TSELECT: return this.tselect;
      case TRIGGER_CSRS.TDATA1: return this.tdata1[this.tselect];
      case TRIGGER_CSRS.TDATA2: return this.tdata2[this.tselect];
      case TRIGGER_CSRS.TDATA3: return 0;
      default: return TINFO_TYPES; // TINFO
    }
  }

  private triggerCsrWrite(csr: number, value: number): boolean {
    switch (csr) {
      case TRIGGER_CSRS.TSELECT:
        if (value >>> 0 < TRIGGER_COUNT) this.tselect = value;
        return true;
      case TRIGGER_CSRS.TDATA1: {
        const legal = legalizeTdata1(value);
        if (legal !== undefined) this.tdata1[this.tselect] = legal;
        this.triggersChanged();
        return true;
      }
      case TRIGGER_CSRS.TDATA2:
        this.tdata2[this.tselect] = value;
        this.triggersChanged();
        return true;
      case TRIGGER_CSRS.TDATA3: return true; // not implemented: reads 0
      default: return false; // TINFO is read-only
    }
  }

  private setStatus(value: number): void {
    // SD summarizes the dirty state fields; FS and VS can be dirty (3) here.
    const dirty = (value & MSTATUS_FS) === MSTATUS_FS || (value & MSTATUS_VS) === MSTATUS_VS;
    this.mstatus = dirty ? value | MSTATUS_SD : value & ~MSTATUS_SD;
    this.attention |= ATTN_CHECK;
    this.updateMemoryMode();
  }
}

export { PRIV_M, PRIV_S, PRIV_U };
