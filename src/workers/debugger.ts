// The run/debug panel's worker side: breakpoints on every hart, the pause when a hart reaches
// one, and disassembly around an address with the firmware's symbols.
//
// Breakpoints are addresses (virtual, as the harts fetch them) set on every hart's
// CpuCore.breakpoints; Machine.run stops when a hart reaches one. The run loop (./runner.ts) asks
// `pauseIfStopped` after a slice only while breakpoints are set, so the hot loop pays nothing
// otherwise. A stop writes DESIRED = PAUSE into the control words from this side (the Run/Pause
// button follows it) and bumps BREAK_SEQ; `lastStop` says where and on which hart. Step over and
// run to here set one temporary breakpoint on one hart, which the next stop of any kind removes.
//
// Everything about the harts goes through the CPU contracts (../engine/cpu/contract.ts): the
// debug contract translates addresses (page tables, without side effects), disassembles, and says
// whether an instruction is a call. Disassembly reads guest memory the way a debugger does, but only RAM and ROM: reading MMIO can have side
// effects (a UART's receive register), so anything else shows as unreadable, never throws.
//
// The memory view's edits come here too (writeMemory): bytes of RAM or ROM at a physical address
// of an address space, written through the space as an image loader or the GDB stub does, so
// every CPU drops the code it decoded from them. Only while the guest does not run.
import type { CodeReader, CpuCore, Disassembly } from '../engine/cpu/contract.ts';
import type { AddressSpace } from '../engine/memory.ts';
import { SymbolTable } from '../graph/elf-symbols.ts';
import { hex, type ResolvedBoard } from '../graph/index.ts';
import { Desired, reportBreakpointStop, Word } from './control.ts';

/** What the debugger needs of a machine (src/engine's Machine has it all). */
export interface DebuggableMachine {
  readonly cpuPaths?: readonly string[];
  cpu?(path: string): unknown;
  space?(name?: string): AddressSpace;
  /** The hart whose next instruction is at a breakpoint when the last run() stopped there. */
  readonly stoppedAtBreakpoint?: string | null;
  readonly instructions: number;
  /** The guest stopped for good (the finisher, every hart stopped): its memory may change. */
  readonly halted?: boolean;
}

/** What became of a memory view's edit: written, or why not (for the user, in words). */
export type MemoryWriteResult = { ok: true } | { ok: false; reason: string };

/** Where the guest paused at a breakpoint. */
export interface BreakpointStop {
  /** Hart path. */
  hart: string;
  address: number;
  /** A breakpoint the user set, or the temporary one of a step over / run to here that arrived. */
  kind: 'breakpoint' | 'step-over' | 'run-to';
  /** Instructions retired at the stop: a later step or run makes the stop old news. */
  instructions: number;
  /** The BREAK_SEQ value this stop set. */
  seq: number;
}

export interface DisassemblyLine {
  address: number;
  /** The instruction's bytes as objdump shows them ("00001197", "42a1"); "" when unreadable. */
  bytes: string;
  /** objdump's text ("add\tgp,gp,-896 # 80000c80 <__global_pointer$>"), or why there is none. */
  text: string;
  /** False when the address is not readable RAM/ROM (not mapped, MMIO, no translation). */
  readable: boolean;
  /** Symbols that start here (labels shown above the line). */
  labels: string[];
}

export interface DisassemblyListing {
  hart: string;
  /** The hart's pc when the listing was made. */
  pc: number;
  lines: DisassemblyLine[];
}

/** One hart as the debugger sees it: its CPU and a reader of its code (RAM and ROM only). */
interface DebugHart {
  cpu: CpuCore;
  read: CodeReader;
}

/**
 * A breakpoint the debugger sets for itself: on one hart, gone at the next stop. A step over's
 * stops only in the frame that made the call (its sp at least the caller's: a recursive call
 * reaching the return address deeper down the stack runs on).
 */
interface TemporaryBreakpoint {
  hart: string;
  address: number;
  kind: 'step-over' | 'run-to';
  /** The caller's sp (step over only). */
  sp?: number;
}

/** Most lines a listing gives on either side of its address (a request is a comlink call; keep answers small). */
const MAX_LINES = 256;

/** Is `value` a CPU core (../engine/cpu/contract.ts)? DebuggableMachine.cpu is loosely typed for tests' fakes. */
function isCore(value: unknown): value is CpuCore {
  return typeof value === 'object' && value !== null && (value as { breakpoints?: unknown }).breakpoints instanceof Set && typeof (value as { debug?: unknown }).debug === 'object';
}

/** The stack pointer of a core (for step over's frame check), or undefined when it has none. */
function stackPointer(cpu: CpuCore): number | undefined {
  const index = cpu.debug.registers.findIndex((r) => r.role === 'stack-pointer');
  return index < 0 ? undefined : cpu.debug.readRegister(index);
}

export class GuestDebugger {
  /** Breakpoints of every hart. */
  private readonly addresses = new Set<number>();
  /** Breakpoints of one CPU each (a heterogeneous board: the same address means different code on each), by CPU path. */
  private readonly cpuAddresses = new Map<string, Set<number>>();
  private machine: DebuggableMachine | null = null;
  /** Symbols of the ELF images each hart runs, by hart path. */
  private symbolsByHart = new Map<string, SymbolTable>();
  /** Symbols of the board's first ELF image, for harts with no image of their own (they often run the same firmware). */
  private firstSymbols: SymbolTable | undefined;
  private stop: BreakpointStop | null = null;
  private temporary: TemporaryBreakpoint | null = null;

  constructor(private readonly control: Int32Array) {}

  /** True when any breakpoint is set (the run loop checks for stops only then). */
  get active(): boolean {
    return this.addresses.size > 0 || this.temporary !== null || [...this.cpuAddresses.values()].some((set) => set.size > 0);
  }

  /**
   * Step over: when the instruction at the hart's pc is a call, a temporary breakpoint after it
   * (the caller must then Run) — returns 'run'; otherwise 'step' (the caller Steps). Null when
   * the hart is not there or its code is not readable.
   */
  stepOver(hartPath: string): 'run' | 'step' | null {
    const hart = this.hart(hartPath);
    if (hart === null) return null;
    const pc = hart.cpu.pc >>> 0;
    if (hart.cpu.debug.instructionLength(hart.read, pc) === undefined) return null;
    const returnAddress = hart.cpu.debug.callReturnAddress(hart.read, pc);
    if (returnAddress === undefined) return 'step';
    this.setTemporary({ hart: hartPath, address: returnAddress, kind: 'step-over', sp: stackPointer(hart.cpu) });
    return 'run';
  }

  /** Run to here: a temporary breakpoint at `address` on the hart (the caller then Runs). */
  runTo(hartPath: string, address: number): boolean {
    if (this.hart(hartPath) === null) return false;
    this.setTemporary({ hart: hartPath, address: address >>> 0, kind: 'run-to' });
    return true;
  }

  /** Drops a step over or run to here that has not arrived (the user paused, or stepped instead). */
  cancelTemporary(): void {
    if (this.temporary !== null) this.setTemporary(null);
  }

  private setTemporary(temporary: TemporaryBreakpoint | null): void {
    this.temporary = temporary;
    this.applyBreakpoints();
  }

  /** A new machine: its harts get the breakpoints; symbols come from its ELF images. */
  attach(machine: DebuggableMachine, board: ResolvedBoard, images: ReadonlyMap<string, Uint8Array>): void {
    this.machine = machine;
    this.stop = null;
    this.temporary = null;
    this.symbolsByHart = new Map();
    this.firstSymbols = undefined;
    const tables = new Map<string, SymbolTable>();
    for (const image of board.images) {
      if (image.format !== 'elf') continue;
      const bytes = images.get(image.file);
      if (bytes === undefined) continue;
      let table = tables.get(image.file);
      if (table === undefined) {
        table = SymbolTable.fromElf(bytes);
        tables.set(image.file, table);
        this.firstSymbols ??= table;
      }
      // An image for no particular CPU runs on every hart.
      const harts = image.cpu === undefined ? (machine.cpuPaths ?? []) : [image.cpu];
      for (const path of harts) {
        if (!this.symbolsByHart.has(path)) this.symbolsByHart.set(path, table);
      }
    }
    this.applyBreakpoints();
  }

  /** Removes every breakpoint (another board: the previous one's addresses mean nothing there). */
  clearBreakpoints(): void {
    this.addresses.clear();
    this.cpuAddresses.clear();
    this.temporary = null;
    this.stop = null;
    this.applyBreakpoints();
  }

  /**
   * Writes `bytes` at physical `address` of address space `spaceName`, as the guest's RAM or ROM
   * holds them (a debugger may patch ROM). Refused while the guest runs, and for anything but
   * RAM/ROM: a device's registers have side effects, and nothing mapped is nothing to write.
   */
  writeMemory(address: number, bytes: Uint8Array, spaceName = 'system'): MemoryWriteResult {
    const m = this.machine;
    if (m === null || m.space === undefined) return { ok: false, reason: 'no machine is loaded' };
    if (Atomics.load(this.control, Word.DESIRED) === Desired.RUN && m.halted !== true) return { ok: false, reason: 'the guest is running: pause it (Pause or Step) to change its memory' };
    let space: AddressSpace;
    try {
      space = m.space(spaceName);
    } catch {
      return { ok: false, reason: `the machine has no address space "${spaceName}"` };
    }
    address >>>= 0;
    const at = hex(address);
    if (bytes.length === 0) return { ok: true };
    if (space.findRam(address, bytes.length) === undefined) {
      const mapping = space.describe().find((r) => address >= r.base && address < r.base + r.size);
      const name = mapping?.name.replace(/^\/machine\//, '');
      if (mapping === undefined) return { ok: false, reason: `nothing is mapped at ${at}` };
      if (mapping.kind === 'mmio') return { ok: false, reason: `${at} is in ${name}, a device's registers (MMIO): the memory view does not write them` };
      return { ok: false, reason: `${bytes.length} bytes at ${at} run past the end of ${name}` };
    }
    space.writeBytes(address, bytes); // the CPUs drop code they decoded from these bytes
    return { ok: true };
  }

  /**
   * Sets or clears a breakpoint on every hart, or with `cpu` on that CPU alone (clearing there
   * clears an every-hart one too); returns the breakpoints now set (for `cpu`: the ones it stops at), ascending.
   */
  setBreakpoint(address: number, enabled: boolean, cpu?: string): number[] {
    address >>>= 0;
    if (cpu === undefined) {
      if (enabled) this.addresses.add(address);
      else this.addresses.delete(address);
    } else if (enabled) {
      const set = this.cpuAddresses.get(cpu) ?? new Set<number>();
      set.add(address);
      this.cpuAddresses.set(cpu, set);
    } else {
      this.cpuAddresses.get(cpu)?.delete(address);
      this.addresses.delete(address);
    }
    this.applyBreakpoints();
    return this.breakpoints(cpu);
  }

  /** The breakpoints set, ascending: those of every hart, and with `cpu` that CPU's own. */
  breakpoints(cpu?: string): number[] {
    const own = cpu === undefined ? [] : [...(this.cpuAddresses.get(cpu) ?? [])];
    return [...new Set([...this.addresses, ...own])].sort((a, b) => a - b);
  }

  /** Where the guest last paused at a breakpoint (null after a load, or when it never did). */
  lastStop(): BreakpointStop | null {
    return this.stop;
  }

  /**
   * After a slice: when a hart stopped at a breakpoint, asks for a pause through the control words
   * (as the UI's Pause button does) and records where. Returns true if it paused the guest.
   */
  pauseIfStopped(machine: DebuggableMachine): boolean {
    const hart = machine.stoppedAtBreakpoint;
    if (hart === undefined || hart === null) return false;
    const cpu = machine.cpu?.(hart);
    const address = isCore(cpu) ? cpu.pc >>> 0 : 0;
    const temporary = this.temporary;
    const arrived = temporary !== null && temporary.hart === hart && temporary.address === address;
    const userBreakpoint = this.addresses.has(address) || this.cpuAddresses.get(hart)?.has(address) === true;
    // A step over's return address reached by a deeper (recursive) call: not the frame that stepped.
    if (arrived && !userBreakpoint && temporary.sp !== undefined && isCore(cpu) && (stackPointer(cpu) ?? temporary.sp) < temporary.sp) return false;
    // Any stop ends a step over or run to here (a user breakpoint on the way wins, as in gdb).
    if (temporary !== null) this.setTemporary(null);
    const seq = reportBreakpointStop(this.control);
    const kind = arrived && !userBreakpoint ? temporary.kind : 'breakpoint';
    this.stop = { hart, address, kind, instructions: machine.instructions, seq };
    return true;
  }

  /**
   * Disassembles about `before` instructions before `address` (default: the hart's pc) and `after`
   * from it, as objdump would print them, with the symbols of the hart's firmware.
   */
  disassemble(hartPath: string, address: number | undefined, before: number, after: number): DisassemblyListing | null {
    const hart = this.hart(hartPath);
    if (hart === null) return null;
    before = Math.max(0, Math.min(MAX_LINES, Math.floor(before)));
    after = Math.max(0, Math.min(MAX_LINES, Math.floor(after)));
    const pc = hart.cpu.pc >>> 0;
    const wanted = (address ?? pc) >>> 0;
    const center = wanted - (wanted % hart.cpu.debug.instructionAlignment);
    const symbols = this.symbolsByHart.get(hartPath) ?? this.firstSymbols;
    const start = this.syncedStart(hart, center, before);
    const listing = hart.cpu.debug.disassembly(symbols ? { symbolValue: (name) => symbols.valueOf(name), symbolize: (target, from) => symbols.label(target, from) } : {});
    const lines: DisassemblyLine[] = [];
    let at = start;
    let afterCenter = 0;
    while (afterCenter < after) {
      const line = this.line(hart, at, listing, symbols);
      lines.push(line.line);
      if (at >= center) afterCenter++;
      at = (at + line.length) >>> 0;
      if (at === 0) break; // wrapped around the top of the address space
    }
    // Keep `before` lines before the center (the synchronising start may give more).
    const first = Math.max(0, lines.findIndex((l) => l.address >= center) - before);
    return { hart: hartPath, pc, lines: lines.slice(first) };
  }

  private applyBreakpoints(): void {
    const m = this.machine;
    if (m === null) return;
    for (const path of m.cpuPaths ?? []) {
      const cpu = m.cpu?.(path);
      if (!isCore(cpu)) continue;
      cpu.breakpoints.clear();
      for (const address of this.addresses) cpu.breakpoints.add(address);
      for (const address of this.cpuAddresses.get(path) ?? []) cpu.breakpoints.add(address);
      if (this.temporary !== null && this.temporary.hart === path) cpu.breakpoints.add(this.temporary.address);
    }
  }

  private hart(path: string): DebugHart | null {
    const m = this.machine;
    const cpu = m?.cpu?.(path);
    if (m === null || !isCore(cpu)) return null;
    return { cpu, read: (va, length) => this.readCode(cpu, va, length) };
  }

  /** `length` bytes of code at a virtual address, or undefined when they are not all in RAM/ROM. */
  private readCode(cpu: CpuCore, va: number, length: number): Uint8Array | undefined {
    const pa = cpu.debug.translate(va >>> 0);
    if (pa === undefined) return undefined;
    const ram = cpu.debug.space.findRam(pa, length);
    if (ram === undefined) return undefined;
    return ram.u8.subarray(pa - ram.base, pa - ram.base + length);
  }

  private line(hart: DebugHart, address: number, listing: Disassembly, symbols: SymbolTable | undefined): { line: DisassemblyLine; length: number } {
    const labels = symbols?.at(address).map((s) => s.name) ?? [];
    const insn = listing.next(hart.read, address);
    const alignment = hart.cpu.debug.instructionAlignment;
    if (insn === undefined) return { line: { address, bytes: '', text: 'not readable (unmapped, MMIO or no translation)', readable: false, labels }, length: alignment };
    return { line: { address, bytes: insn.bytes, text: insn.text, readable: true, labels }, length: insn.length };
  }

  /**
   * Where to start so that disassembling forward lands exactly on `center` with about `before`
   * instructions ahead of it. Compressed code makes backwards ambiguous: try starts from far to
   * near and take the first whose instruction boundaries meet `center`.
   */
  private syncedStart(hart: DebugHart, center: number, before: number): number {
    const alignment = hart.cpu.debug.instructionAlignment;
    for (let back = before * 4; back > 0; back -= alignment) {
      const start = (center - back) >>> 0;
      if (start > center) continue; // below address 0
      let at = start;
      while (at < center) at += hart.cpu.debug.instructionLength(hart.read, at) ?? alignment;
      if (at === center) return start;
    }
    return center;
  }
}
