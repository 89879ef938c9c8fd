// Trace mode: run a machine one instruction at a time and report, for each, the PC, the
// instruction word and the registers it changed — to diff a run against a reference (QEMU's
// `-d cpu,nochain -singlestep` log, RISC-V's or ARM's) when something diverges.
// The hart is seen only through its CPU contracts (./cpu/contract.ts): its general, float and
// status registers and their names come from its register file, the instruction from its debug
// contract.
import type { CodeReader, CpuCore } from './cpu/contract.ts';
import type { Machine } from './machine.ts';
import { relativePath } from '../graph/index.ts';

export interface TraceStep {
  step: number;
  /** PC of the instruction, before it executes. */
  pc: number;
  /** The instruction word (16-bit for compressed), or undefined when its fetch faults. */
  instruction: number | undefined;
  /** Bytes the instruction takes (2 for a compressed one). */
  size: number;
  /** General registers before the instruction executes (RISC-V: x0..x31; ARM: r0..r14), unsigned. */
  before: number[];
  /** Registers it changed: index → new value (unsigned). */
  changed: Map<number, number>;
  /** Names of the general registers, from the core's register file. */
  names: readonly string[];
  /** Floating-point registers before the instruction (RISC-V with F/D: f0..f31), unsigned; empty without them. */
  floatBefore: bigint[];
  /** Float registers it changed: index → new value. */
  floatChanged: Map<number, bigint>;
  /** Names of the float registers ("fa0") and their width in bits (64 with D). */
  floatNames: readonly string[];
  floatBits: number;
  /** The program status register before the instruction (ARM: xPSR), when the core has one; its name. */
  statusBefore?: number;
  statusName?: string;
  /** The status register's new value when the instruction changed it. */
  statusChanged?: number;
}

/** Indices of a core's registers of one group in its register file. */
function registersOf(cpu: CpuCore, group: 'general' | 'float'): number[] {
  return cpu.debug.registers.flatMap((info, index) => (info.group === group ? [index] : []));
}

/** Instruction bytes as the hart would fetch them (translated; any region, through the address space). */
export function fetchReader(cpu: CpuCore): CodeReader {
  const { debug } = cpu;
  return (address, length) => {
    const bytes = new Uint8Array(length);
    for (let i = 0; i < length; i += 2) {
      const pa = debug.translate((address + i) >>> 0);
      if (pa === undefined) return undefined;
      try {
        const half = debug.space.load(pa, 2, 'fetch');
        bytes[i] = half & 0xff;
        bytes[i + 1] = half >>> 8;
      } catch {
        return undefined;
      }
    }
    return bytes;
  };
}

/** What a trace needs of one CPU: its registers before an instruction, and what changed after it. */
interface CpuTracer {
  cpu: CpuCore;
  /** Read the state before the CPU's next instruction. */
  capture(): void;
  /** The step from the state captured to the state now. */
  step(step: number): TraceStep;
}

function cpuTracer(cpu: CpuCore): CpuTracer {
  const general = registersOf(cpu, 'general');
  const names = general.map((index) => cpu.debug.registers[index].name);
  const registers = () => general.map((index) => cpu.debug.readRegister(index) ?? 0);
  const float = registersOf(cpu, 'float');
  const floatNames = float.map((index) => cpu.debug.registers[index].name);
  const floatBits = float.length === 0 ? 0 : cpu.debug.registers[float[0]].bits;
  const floatRegisters = () => float.map((index) => cpu.debug.readRegisterBits(index) ?? 0n);
  const statusIndex = cpu.debug.registers.findIndex((info) => info.role === 'status');
  const status = statusIndex < 0 ? undefined : { name: cpu.debug.registers[statusIndex].name, read: () => cpu.debug.readRegister(statusIndex) ?? 0 };
  const read = fetchReader(cpu);
  let pc = 0;
  let before: number[] = [];
  let floatBefore: bigint[] = [];
  let statusBefore: number | undefined;
  let size: number | undefined;
  let instruction: number | undefined;
  return {
    cpu,
    capture() {
      pc = cpu.pc >>> 0;
      before = registers();
      floatBefore = floatRegisters();
      statusBefore = status?.read();
      size = cpu.debug.instructionLength(read, pc);
      const bytes = size === undefined ? undefined : read(pc, size);
      instruction = bytes === undefined ? undefined : bytes.reduceRight((word, byte) => word * 256 + byte, 0);
    },
    step(step) {
      const after = registers();
      const changed = new Map<number, number>();
      for (let r = 0; r < after.length; r++) if (after[r] !== before[r]) changed.set(r, after[r]);
      const statusAfter = status?.read();
      const floatAfter = floatRegisters();
      const floatChanged = new Map<number, bigint>();
      for (let r = 0; r < floatAfter.length; r++) if (floatAfter[r] !== floatBefore[r]) floatChanged.set(r, floatAfter[r]);
      return {
        step, pc, instruction, size: size ?? 4, before, changed, names, floatBefore, floatChanged, floatNames, floatBits,
        ...(status !== undefined && { statusBefore, statusName: status.name, ...(statusAfter !== statusBefore && { statusChanged: statusAfter }) }),
      };
    },
  };
}

/** Run hart `cpuPath` (default: the first) for up to `limit` instructions, reporting each (`onStep` returns false to stop there). Other harts run their turns in between (Machine.stepCpu). */
export function traceRun(machine: Machine, limit: number, onStep: (step: TraceStep) => unknown, cpuPath = machine.cpuPaths[0]): number {
  const cpu = machine.cpu(cpuPath);
  if (cpu === undefined) throw new Error(`no CPU ${cpuPath}`);
  const tracer = cpuTracer(cpu);
  let steps = 0;
  while (steps < limit && !machine.halted) {
    // A core asleep (WFI) with a timer to come: jump virtual time to it, running nothing, so the
    // interrupt it raises shows at the handler's first instruction as below.
    if (cpu.waitingForInterrupt && machine.clock.pending > 0) machine.run(1, machine.clock.nextDeadline());
    // an interrupt that became pending is entered before the next instruction, and shows as its state
    cpu.takePendingInterrupt?.();
    tracer.capture();
    const ran = machine.stepCpu(cpuPath);
    const goOn = onStep(tracer.step(steps));
    steps++;
    if (goOn === false) break;
    if (ran === 0 && machine.idle) break;
  }
  return steps;
}

/** A step of a board with several CPUs: which CPU ran it. */
export interface CpuTraceStep extends TraceStep {
  /** The CPU's path. */
  cpu: string;
}

/**
 * Trace every CPU of the board, instruction by instruction in the order a free run executes them
 * (each CPU's turns of the rounds, docs/time.md): `onStep` gets each with the CPU that ran it; its
 * `step` counts that CPU's instructions, so one CPU's lines compare with a single-CPU trace. An
 * interrupt a CPU takes shows as a step whose pc is the handler's.
 */
export function traceAll(machine: Machine, limit: number, onStep: (step: CpuTraceStep) => unknown): number {
  const tracers = new Map(machine.cpuPaths.map((path) => [path, cpuTracer(machine.cpu(path)!)]));
  const counts = new Map(machine.cpuPaths.map((path) => [path, 0]));
  let steps = 0;
  // runs that ran nothing (virtual time moved to a timer) count against the limit too, so a board
  // where nothing can run does not keep the tracer going
  for (let tries = 0; steps < limit && tries < limit && !machine.halted; tries++) {
    for (const tracer of tracers.values()) tracer.capture();
    const ran = machine.run(1);
    const path = machine.lastCpuRun;
    if (ran === 0 || path === undefined) {
      if (machine.idle || machine.stoppedAtBreakpoint !== null) break;
      continue;
    }
    const count = counts.get(path)!;
    counts.set(path, count + 1);
    steps++;
    if (onStep({ ...tracers.get(path)!.step(count), cpu: path }) === false) break;
  }
  return steps;
}

const hex = (n: number, width = 8) => (n >>> 0).toString(16).padStart(width, '0');

/** One line per instruction: step, pc, instruction word, then the registers it changed (float ones in as many hex digits as they are wide). */
export function formatTraceStep(step: TraceStep): string {
  const word = step.instruction === undefined ? '(fetch fault)' : hex(step.instruction, step.size * 2).padEnd(8);
  const floatChanges = [...step.floatChanged].map(([r, v]) => `${step.floatNames[r]}=${v.toString(16).padStart(step.floatBits / 4, '0')}`);
  const statusChange = step.statusChanged === undefined ? [] : [`${step.statusName}=${hex(step.statusChanged)}`];
  const changes = [...[...step.changed].map(([r, v]) => `${step.names[r]}=${hex(v)}`), ...statusChange, ...floatChanges].join(' ');
  return `${String(step.step).padStart(8)} ${hex(step.pc)} ${word}${changes ? ` ${changes}` : ''}`;
}

/** A step of a board with several CPUs: the CPU's name (its path relative to the board), then the line formatTraceStep gives. */
export function formatCpuTraceStep(step: CpuTraceStep, nameWidth = 6): string {
  return `${relativePath(step.cpu).padEnd(nameWidth)} ${formatTraceStep(step)}`;
}

export interface ReferenceState {
  pc: number;
  /** The general registers (RISC-V: x0..x31; ARM: r0..r14, the pc being apart). */
  x: number[];
  /** The registers' names ("x5/t0" in a RISC-V log, "r13/sp" in an ARM one), by number. */
  names?: string[];
  /** f0..f31 when the log has them (QEMU's `-d cpu,fpu`; BoardLab's trace of a hart with F/D). */
  f?: bigint[];
  /** The program status register, when the core has one (ARM: xPSR, flags, IT state, T bit and IPSR). */
  status?: { name: string; value: number };
}

/** Names of r0..r14 in an ARM state: the number, and the name gdb uses for the special ones. */
const ARM_NAMES = Array.from({ length: 15 }, (_, i) => (i === 13 ? 'r13/sp' : i === 14 ? 'r14/lr' : `r${i}`));

/**
 * Parse QEMU's `-d cpu` log (with -singlestep: one state per instruction, before it runs).
 * RISC-V's: a " pc" line, then "x5/t0 00000000" pairs (and "f10/fa0 …" with `fpu`). ARM's (M-profile):
 * "R00=… R01=… R02=… R03=…" lines up to R15 (the pc), then "XPSR=41000000 -Z-- T priv-thread".
 */
export function parseQemuCpuLog(text: string): ReferenceState[] {
  const states: ReferenceState[] = [];
  let current: ReferenceState | undefined;
  for (const line of text.split('\n')) {
    const pc = /^\s*pc\s+([0-9a-f]+)/.exec(line);
    if (pc) {
      current = { pc: parseInt(pc[1], 16) >>> 0, x: new Array(32).fill(0), names: [] };
      states.push(current);
      continue;
    }
    if (line.startsWith('R00=')) {
      current = { pc: 0, x: new Array(15).fill(0), names: [...ARM_NAMES] };
      states.push(current);
    }
    if (current === undefined) continue;
    for (const m of line.matchAll(/\bR(\d\d)=([0-9a-f]{8})/g)) {
      const index = Number(m[1]);
      const value = parseInt(m[2], 16) >>> 0;
      if (index === 15) current.pc = value;
      else current.x[index] = value;
    }
    const xpsr = /^XPSR=([0-9a-f]{8})/.exec(line);
    if (xpsr) current.status = { name: 'xpsr', value: parseInt(xpsr[1], 16) >>> 0 };
    for (const m of line.matchAll(/(x(\d+)\/\w+)\s+([0-9a-f]+)/g)) {
      current.x[Number(m[2])] = parseInt(m[3], 16) >>> 0;
      current.names![Number(m[2])] = m[1];
    }
    for (const m of line.matchAll(/f(\d+)\/\w+\s+([0-9a-f]+)/g)) {
      current.f ??= new Array<bigint>(32).fill(0n);
      current.f[Number(m[1])] = BigInt(`0x${m[2]}`);
    }
  }
  return states;
}

export interface Divergence {
  step: number;
  pc: { reference: number; boardlab: number };
  /** General registers that differ, and the status register when both states have it and it differs. */
  registers: Array<{ name: string; reference: number; boardlab: number }>;
  /** Float registers that differ (only when both states have them). */
  floatRegisters?: Array<{ name: string; reference: bigint; boardlab: bigint }>;
}

export interface DivergenceOptions {
  /**
   * Status register bits the architecture leaves UNKNOWN at reset, which two emulators may start
   * with differently (ARM's N, Z, C, V and Q: QEMU's log starts with Z set, a Cortex-M3 resets xPSR
   * to 0x01000000). They are compared from the first step where they agree; every other bit always.
   */
  statusUnknownAtReset?: number;
}

/** The first step where BoardLab's state before an instruction differs from the reference's. */
export function firstDivergence(reference: ReferenceState[], boardlab: ReferenceState[], options: DivergenceOptions = {}): Divergence | undefined {
  const n = Math.min(reference.length, boardlab.length);
  let ignoredStatusBits = options.statusUnknownAtReset ?? 0;
  for (let i = 0; i < n; i++) {
    const r = reference[i];
    const b = boardlab[i];
    const registers = [];
    const count = Math.max(r.x.length, b.x.length);
    for (let k = 0; k < count; k++) {
      if (r.x[k] !== b.x[k]) registers.push({ name: r.names?.[k] ?? b.names?.[k] ?? `x${k}`, reference: r.x[k], boardlab: b.x[k] });
    }
    if (r.status !== undefined && b.status !== undefined) {
      if (((r.status.value ^ b.status.value) & ignoredStatusBits) === 0) ignoredStatusBits = 0;
      if (((r.status.value ^ b.status.value) & ~ignoredStatusBits) !== 0) registers.push({ name: r.status.name, reference: r.status.value, boardlab: b.status.value });
    }
    const floatRegisters = [];
    if (r.f !== undefined && b.f !== undefined) {
      for (let k = 0; k < 32; k++) if (r.f[k] !== b.f[k]) floatRegisters.push({ name: `f${k}`, reference: r.f[k], boardlab: b.f[k] });
    }
    if (r.pc !== b.pc || registers.length > 0 || floatRegisters.length > 0) {
      return { step: i, pc: { reference: r.pc, boardlab: b.pc }, registers, ...(floatRegisters.length > 0 && { floatRegisters }) };
    }
  }
  return undefined;
}
