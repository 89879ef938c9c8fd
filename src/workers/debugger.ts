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
// Source-level stepping (stepLine, like gdb's step and next) works on the DWARF line tables of the
// harts' ELF images (../graph/dwarf-lines.ts): the hart is stepped one instruction at a time
// (runLineStep, called by the run loop in place of Machine.run) until its pc reaches the start of a
// statement (an is_stmt row) of another line than the one being stepped — gdb's rule, including its
// refresh: landing in the middle of another line (a return into the caller's line) makes that the
// line being stepped, and the next statement start stops. A call is run over at full speed (a
// temporary breakpoint on its return address, the step over's) for Next line, and for Step line when
// the callee has no line information; Step line into a callee with lines treats the callee's first
// line (its prologue) as the line being stepped, so it stops at the callee's second line, as gdb's
// step stops after the prologue — except in assembly (a .s/.S file), where it stops at the callee's
// first line, as gdb does for assembly. Interrupts are taken while stepping, as the hardware takes them:
// a step that enters a handler with line information stops at its first statement (gdb on QEMU
// never does: QEMU masks interrupts while gdb single-steps); code without line information (a
// handler built without -g) stops the step there, as gdb stops when it steps into such code
// without a call. A user breakpoint on the way stops the step, as in gdb.
//
// The memory view's edits come here too (writeMemory): bytes of RAM or ROM at a physical address
// of an address space, written through the space as an image loader or the GDB stub does, so
// every CPU drops the code it decoded from them. Only while the guest does not run.
import type { CodeReader, CpuCore, Disassembly } from '../engine/cpu/contract.ts';
import type { AddressSpace } from '../engine/memory.ts';
import { LineTable, type SourcePosition } from '../graph/dwarf-lines.ts';
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
  /** Step one CPU by one instruction, the others running their turns in between (Machine.stepCpu); returns the instructions run. */
  stepCpu?(path: string): number;
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
  /** A breakpoint the user set, the temporary one of a step over / run to here that arrived, or the end of a line step. */
  kind: 'breakpoint' | 'step-over' | 'run-to' | 'step-line';
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

/** A Step line / Next line in progress (see the file's comment). */
interface LineStep {
  hart: string;
  /** Next line: calls are run over. */
  over: boolean;
  /** The line being stepped through (gdb's "current line", refreshed as the step moves). */
  file: string;
  line: number;
  /** Stepping instruction by instruction, or running over a call to its return address. */
  phase: 'stepping' | 'running';
}

/** What the source view shows of a hart: where it is in its firmware's sources. */
export interface SourceView {
  /** The hart's ELF image (the board's file name), or null when it runs none with line information. */
  image: string | null;
  /** The source position of the hart's pc, or null when no line covers it. */
  position: SourcePosition | null;
  /** The file shown: the one asked for, else the pc's. */
  file: string | null;
  /** Lines of `file` where a statement starts (where a breakpoint can go), ascending. */
  codeLines: number[];
  /** Lines of `file` whose first statement address has a breakpoint (of every hart or this one). */
  breakpointLines: number[];
  /** Every file of the image with lines, sorted. */
  files: string[];
}

/** A file of assembly source (gdb skips no prologue there): `.s`, `.S`, `.asm`. */
function isAssemblySource(file: string): boolean {
  return /\.(s|S|asm)$/.test(file);
}

/** Instructions a line step runs between looks at the wall clock (the run loop's burst ends on time). */
const LINE_STEP_CLOCK_EVERY = 256;

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
  /** Line tables of the ELF images each hart runs, with the image's file name, by hart path. */
  private linesByHart = new Map<string, { image: string; table: LineTable }>();
  private stop: BreakpointStop | null = null;
  private temporary: TemporaryBreakpoint | null = null;
  private lineStep: LineStep | null = null;
  /** A line step ended (runLineStep or its call's return): pauseIfStopped reports it next. */
  private lineStepEnded: { hart: string; kind: BreakpointStop['kind'] } | null = null;

  constructor(private readonly control: Int32Array) {}

  /** True when any breakpoint is set (the run loop checks for stops only then). */
  get active(): boolean {
    return this.addresses.size > 0 || this.temporary !== null || this.lineStep !== null || this.lineStepEnded !== null || [...this.cpuAddresses.values()].some((set) => set.size > 0);
  }

  /** True while a line step steps instruction by instruction: the run loop calls runLineStep instead of running the machine. */
  get lineStepping(): boolean {
    return this.lineStep?.phase === 'stepping';
  }

  /**
   * Step line (`over` false, gdb's step) or Next line (`over` true, gdb's next) on a hart: 'run'
   * when the step is set up (the caller then Runs; the run loop steps the hart by lines), or when
   * the pc has no line information, what an instruction step would do ('step', or for Next line
   * the step over's answer). Null when the hart is not there or its code is not readable.
   */
  stepLine(hartPath: string, over: boolean): 'run' | 'step' | null {
    const hart = this.hart(hartPath);
    if (hart === null) return null;
    const pc = hart.cpu.pc >>> 0;
    if (hart.cpu.debug.instructionLength(hart.read, pc) === undefined) return null;
    const position = this.linesByHart.get(hartPath)?.table.at(pc);
    if (position === undefined) return over ? this.stepOver(hartPath) : 'step';
    this.setTemporary(null);
    this.lineStepEnded = null;
    this.lineStep = { hart: hartPath, over, file: position.file, line: position.line, phase: 'stepping' };
    return 'run';
  }

  /**
   * Runs the line step in progress for up to `budget` instructions or until `deadline`
   * (performance.now() milliseconds); returns the instructions the machine ran. When the step
   * ends, pauseIfStopped reports it; when it reaches a call to run over, the machine runs to the
   * call's return (Machine.run stops at its temporary breakpoint).
   */
  runLineStep(machine: DebuggableMachine, budget: number, deadline = Infinity): number {
    const step = this.lineStep;
    const hart = step === null ? null : this.hart(step.hart);
    const table = step === null ? undefined : this.linesByHart.get(step.hart)?.table;
    if (step === null || step.phase !== 'stepping' || hart === null || table === undefined || machine.stepCpu === undefined) {
      this.lineStep = null;
      return 0;
    }
    let ran = 0;
    while (ran < budget) {
      if (ran % LINE_STEP_CLOCK_EVERY === LINE_STEP_CLOCK_EVERY - 1 && performance.now() >= deadline) break;
      const pc = hart.cpu.pc >>> 0;
      const returnAddress = hart.cpu.debug.callReturnAddress(hart.read, pc);
      const sp = stackPointer(hart.cpu);
      hart.cpu.passBreakpointHere();
      const executed = machine.stepCpu(step.hart);
      ran += executed;
      const now = hart.cpu.pc >>> 0;
      if (machine.halted === true) {
        this.lineStep = null;
        break;
      }
      // Another hart reached a breakpoint: pauseIfStopped reports it; the line step ends.
      const other = machine.stoppedAtBreakpoint;
      if (other !== undefined && other !== null && other !== step.hart) {
        this.lineStep = null;
        break;
      }
      if (executed === 0 || now === pc) {
        if (executed === 0) break; // nothing can happen (every CPU waits): the run loop sleeps until something does
        continue; // a wait for an interrupt, or an instruction that repeats itself: go on
      }
      if (returnAddress !== undefined && now !== returnAddress) {
        // The step entered a callee.
        const callee = table.at(now);
        if (step.over || callee === undefined) {
          step.phase = 'running';
          this.setTemporary({ hart: step.hart, address: returnAddress, kind: 'step-over', sp });
          break;
        }
        // An assembly callee has no prologue to skip: the step stops at its first line, as gdb's does.
        if (isAssemblySource(callee.file) && table.startsStatement(now)) {
          this.endLineStep('step-line');
          break;
        }
        step.file = callee.file;
        step.line = callee.line;
        continue;
      }
      if (this.isUserBreakpoint(step.hart, now)) {
        this.endLineStep('breakpoint');
        break;
      }
      if (this.landed(step, table, now)) {
        this.endLineStep('step-line');
        break;
      }
    }
    return ran;
  }

  /** gdb's stepping rule at a new pc: true when the step ends here (the start of another line's statement, or code without lines); otherwise the line being stepped may change. */
  private landed(step: LineStep, table: LineTable, pc: number): boolean {
    const position = table.at(pc);
    if (position === undefined) return true;
    const another = position.line !== step.line || position.file !== step.file;
    if (position.address === pc) return another && table.startsStatement(pc);
    step.file = position.file; // the middle of a line (a return into the caller's): it is the line now
    step.line = position.line;
    return false;
  }

  private endLineStep(kind: BreakpointStop['kind']): void {
    if (this.lineStep !== null) this.lineStepEnded = { hart: this.lineStep.hart, kind };
    this.lineStep = null;
  }

  private isUserBreakpoint(hart: string, address: number): boolean {
    return this.addresses.has(address) || this.cpuAddresses.get(hart)?.has(address) === true;
  }

  /** What the source view shows of a hart: its position, and for `file` (default: the position's) the lines with code and with breakpoints. */
  sourceView(hartPath: string, file?: string): SourceView | null {
    const hart = this.hart(hartPath);
    if (hart === null) return null;
    const lines = this.linesByHart.get(hartPath);
    if (lines === undefined) return { image: null, position: null, file: null, codeLines: [], breakpointLines: [], files: [] };
    const position = lines.table.at(hart.cpu.pc >>> 0) ?? null;
    const shown = file ?? position?.file ?? null;
    const codeLines = shown === null ? [] : lines.table.linesOf(shown);
    const breakpoints = new Set(this.breakpoints(hartPath));
    const breakpointLines = shown === null ? [] : codeLines.filter((line) => breakpoints.has(lines.table.breakpointAddress(shown, line)!.address));
    return { image: lines.image, position, file: shown, codeLines, breakpointLines, files: lines.table.files() };
  }

  /**
   * Sets or clears a breakpoint on a source line of the hart's firmware, at the line's first
   * statement address (a line without code: the next line with some, as gdb does), on every hart
   * (with `cpu`: that CPU alone). Returns the line and address it went to, or null when the file has no code at or after the line.
   */
  setLineBreakpoint(hartPath: string, file: string, line: number, enabled: boolean, cpu?: string): { line: number; address: number } | null {
    const at = this.linesByHart.get(hartPath)?.table.breakpointAddress(file, line);
    if (at === undefined) return null;
    this.setBreakpoint(at.address, enabled, cpu);
    return at;
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

  /** Drops a step over, run to here or line step that has not arrived (the user paused, or stepped instead). */
  cancelTemporary(): void {
    this.lineStep = null;
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
    this.lineStep = null;
    this.lineStepEnded = null;
    this.symbolsByHart = new Map();
    this.linesByHart = new Map();
    this.firstSymbols = undefined;
    const tables = new Map<string, SymbolTable>();
    const lineTables = new Map<string, LineTable | undefined>();
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
      if (!lineTables.has(image.file)) lineTables.set(image.file, LineTable.fromElf(bytes));
      const lines = lineTables.get(image.file);
      // An image for no particular CPU runs on every hart.
      const harts = image.cpu === undefined ? (machine.cpuPaths ?? []) : [image.cpu];
      for (const path of harts) {
        if (!this.symbolsByHart.has(path)) this.symbolsByHart.set(path, table);
        if (lines !== undefined && !this.linesByHart.has(path)) this.linesByHart.set(path, { image: image.file, table: lines });
      }
    }
    this.applyBreakpoints();
  }

  /** Removes every breakpoint (another board: the previous one's addresses mean nothing there). */
  clearBreakpoints(): void {
    this.addresses.clear();
    this.cpuAddresses.clear();
    this.temporary = null;
    this.lineStep = null;
    this.lineStepEnded = null;
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
    const ended = this.lineStepEnded;
    if (ended !== null) {
      this.lineStepEnded = null;
      const cpu = machine.cpu?.(ended.hart);
      this.stop = { hart: ended.hart, address: isCore(cpu) ? cpu.pc >>> 0 : 0, kind: ended.kind, instructions: machine.instructions, seq: reportBreakpointStop(this.control) };
      return true;
    }
    const hart = machine.stoppedAtBreakpoint;
    if (hart === undefined || hart === null) return false;
    const cpu = machine.cpu?.(hart);
    const address = isCore(cpu) ? cpu.pc >>> 0 : 0;
    const temporary = this.temporary;
    const arrived = temporary !== null && temporary.hart === hart && temporary.address === address;
    const userBreakpoint = this.isUserBreakpoint(hart, address);
    // A step over's return address reached by a deeper (recursive) call: not the frame that stepped.
    if (arrived && !userBreakpoint && temporary.sp !== undefined && isCore(cpu) && (stackPointer(cpu) ?? temporary.sp) < temporary.sp) return false;
    // A line step ran over a call and is back: it goes on stepping unless the return starts another line.
    const step = this.lineStep;
    if (arrived && !userBreakpoint && step !== null && step.phase === 'running' && step.hart === hart) {
      this.setTemporary(null);
      const table = this.linesByHart.get(hart)?.table;
      if (table !== undefined && !this.landed(step, table, address)) {
        step.phase = 'stepping';
        return false;
      }
      this.lineStep = null;
      this.stop = { hart, address, kind: 'step-line', instructions: machine.instructions, seq: reportBreakpointStop(this.control) };
      return true;
    }
    this.lineStep = null; // any other stop ends a line step
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
