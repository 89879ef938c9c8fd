// Trace mode: run a machine one instruction at a time and report, for each, the PC, the
// instruction word and the registers it changed — to diff a run against a reference (QEMU's
// `-d cpu,nochain -singlestep` log) when something diverges.
// The hart is seen only through its CPU contracts (./cpu/contract.ts): its general and float
// registers and their names come from its register file, the instruction from its debug contract.
import type { CodeReader, CpuCore } from './cpu/contract.ts';
import type { Machine } from './machine.ts';

export interface TraceStep {
  step: number;
  /** PC of the instruction, before it executes. */
  pc: number;
  /** The instruction word (16-bit for compressed), or undefined when its fetch faults. */
  instruction: number | undefined;
  /** Bytes the instruction takes (2 for a compressed one). */
  size: number;
  /** General registers before the instruction executes (RISC-V: x0..x31), unsigned. */
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
}

/** Indices of a core's registers of one group in its register file. */
function registersOf(cpu: CpuCore, group: 'general' | 'float'): number[] {
  return cpu.debug.registers.flatMap((info, index) => (info.group === group ? [index] : []));
}

/** Instruction bytes as the hart would fetch them (translated; any region, through the address space). */
function fetchReader(cpu: CpuCore): CodeReader {
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

/** Run hart `cpuPath` (default: the first) for up to `limit` instructions, reporting each. Other harts run their turns in between (Machine.stepCpu). */
export function traceRun(machine: Machine, limit: number, onStep: (step: TraceStep) => void, cpuPath = machine.cpuPaths[0]): number {
  const cpu = machine.cpu(cpuPath);
  if (cpu === undefined) throw new Error(`no CPU ${cpuPath}`);
  const general = registersOf(cpu, 'general');
  const names = general.map((index) => cpu.debug.registers[index].name);
  const registers = () => general.map((index) => cpu.debug.readRegister(index) ?? 0);
  const float = registersOf(cpu, 'float');
  const floatNames = float.map((index) => cpu.debug.registers[index].name);
  const floatBits = float.length === 0 ? 0 : cpu.debug.registers[float[0]].bits;
  const floatRegisters = () => float.map((index) => cpu.debug.readRegisterBits(index) ?? 0n);
  const read = fetchReader(cpu);
  let steps = 0;
  while (steps < limit && !machine.halted) {
    const pc = cpu.pc >>> 0;
    const before = registers();
    const floatBefore = floatRegisters();
    const size = cpu.debug.instructionLength(read, pc);
    const bytes = size === undefined ? undefined : read(pc, size);
    const instruction = bytes === undefined ? undefined : bytes.reduceRight((word, byte) => word * 256 + byte, 0);
    const ran = machine.stepCpu(cpuPath);
    const after = registers();
    const changed = new Map<number, number>();
    for (let r = 0; r < after.length; r++) if (after[r] !== before[r]) changed.set(r, after[r]);
    const floatAfter = floatRegisters();
    const floatChanged = new Map<number, bigint>();
    for (let r = 0; r < floatAfter.length; r++) if (floatAfter[r] !== floatBefore[r]) floatChanged.set(r, floatAfter[r]);
    onStep({ step: steps, pc, instruction, size: size ?? 4, before, changed, names, floatBefore, floatChanged, floatNames, floatBits });
    steps++;
    if (ran === 0 && machine.idle) break;
  }
  return steps;
}

const hex = (n: number, width = 8) => (n >>> 0).toString(16).padStart(width, '0');

/** One line per instruction: step, pc, instruction word, then the registers it changed (float ones in as many hex digits as they are wide). */
export function formatTraceStep(step: TraceStep): string {
  const word = step.instruction === undefined ? '(fetch fault)' : hex(step.instruction, step.size * 2).padEnd(8);
  const floatChanges = [...step.floatChanged].map(([r, v]) => `${step.floatNames[r]}=${v.toString(16).padStart(step.floatBits / 4, '0')}`);
  const changes = [...[...step.changed].map(([r, v]) => `${step.names[r]}=${hex(v)}`), ...floatChanges].join(' ');
  return `${String(step.step).padStart(8)} ${hex(step.pc)} ${word}${changes ? ` ${changes}` : ''}`;
}

export interface ReferenceState {
  pc: number;
  x: number[];
  /** The log's names of the registers ("x5/t0"), by number. */
  names?: string[];
  /** f0..f31 when the log has them (QEMU's `-d cpu,fpu`; BoardLab's trace of a hart with F/D). */
  f?: bigint[];
}

/** Parse QEMU's `-d cpu` log (with -singlestep: one state per instruction, before it runs; with `fpu`, the f registers too). */
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
    if (current === undefined) continue;
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
  registers: Array<{ name: string; reference: number; boardlab: number }>;
  /** Float registers that differ (only when both states have them). */
  floatRegisters?: Array<{ name: string; reference: bigint; boardlab: bigint }>;
}

/** The first step where BoardLab's state before an instruction differs from the reference's. */
export function firstDivergence(reference: ReferenceState[], boardlab: ReferenceState[]): Divergence | undefined {
  const n = Math.min(reference.length, boardlab.length);
  for (let i = 0; i < n; i++) {
    const r = reference[i];
    const b = boardlab[i];
    const registers = [];
    for (let k = 1; k < 32; k++) if (r.x[k] !== b.x[k]) registers.push({ name: r.names?.[k] ?? `x${k}`, reference: r.x[k], boardlab: b.x[k] });
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
