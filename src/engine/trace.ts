// Trace mode: run a machine one instruction at a time and report, for each, the PC, the
// instruction word and the registers it changed — to diff a run against a reference (QEMU's
// `-d cpu,nochain -singlestep` log) when something diverges.
import type { Machine } from './machine.ts';

export const ABI_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

export interface TraceStep {
  step: number;
  /** PC of the instruction, before it executes. */
  pc: number;
  /** The instruction word (16-bit for compressed), or undefined when its fetch faults. */
  instruction: number | undefined;
  /** 2 for a compressed instruction, 4 otherwise. */
  size: 2 | 4;
  /** Registers before the instruction executes (x0..x31, unsigned). */
  before: number[];
  /** Registers it changed: index → new value (unsigned). */
  changed: Map<number, number>;
}

function registers(x: Int32Array): number[] {
  return Array.from(x.subarray(0, 32), (v) => v >>> 0);
}

/** Run hart `cpuPath` (default: the first) for up to `limit` instructions, reporting each. Other harts run in lockstep. */
export function traceRun(machine: Machine, limit: number, onStep: (step: TraceStep) => void, cpuPath = machine.cpuPaths[0]): number {
  const cpu = machine.cpu(cpuPath);
  if (cpu === undefined) throw new Error(`no CPU ${cpuPath}`);
  const space = machine.space('system');
  let steps = 0;
  while (steps < limit && !machine.halted) {
    const pc = cpu.pc >>> 0;
    const before = registers(cpu.x);
    let instruction: number | undefined;
    let size: 2 | 4 = 4;
    try {
      const low = space.load(pc, 2, 'fetch');
      size = (low & 3) === 3 ? 4 : 2;
      instruction = size === 4 ? space.load(pc, 4, 'fetch') : low;
    } catch {
      instruction = undefined;
    }
    const ran = machine.run(1);
    const after = registers(cpu.x);
    const changed = new Map<number, number>();
    for (let r = 1; r < 32; r++) if (after[r] !== before[r]) changed.set(r, after[r]);
    onStep({ step: steps, pc, instruction, size, before, changed });
    steps++;
    if (ran === 0 && machine.idle) break;
  }
  return steps;
}

const hex = (n: number, width = 8) => (n >>> 0).toString(16).padStart(width, '0');

/** One line per instruction: step, pc, instruction word, then the registers it changed. */
export function formatTraceStep(step: TraceStep): string {
  const word = step.instruction === undefined ? '(fetch fault)' : hex(step.instruction, step.size * 2).padEnd(8);
  const changes = [...step.changed].map(([r, v]) => `${ABI_NAMES[r]}=${hex(v)}`).join(' ');
  return `${String(step.step).padStart(8)} ${hex(step.pc)} ${word}${changes ? ` ${changes}` : ''}`;
}

export interface ReferenceState {
  pc: number;
  x: number[];
}

/** Parse QEMU's `-d cpu` log (with -singlestep: one state per instruction, before it runs). */
export function parseQemuCpuLog(text: string): ReferenceState[] {
  const states: ReferenceState[] = [];
  let current: ReferenceState | undefined;
  for (const line of text.split('\n')) {
    const pc = /^\s*pc\s+([0-9a-f]+)/.exec(line);
    if (pc) {
      current = { pc: parseInt(pc[1], 16) >>> 0, x: new Array(32).fill(0) };
      states.push(current);
      continue;
    }
    if (current === undefined) continue;
    for (const m of line.matchAll(/x(\d+)\/\w+\s+([0-9a-f]+)/g)) current.x[Number(m[1])] = parseInt(m[2], 16) >>> 0;
  }
  return states;
}

export interface Divergence {
  step: number;
  pc: { reference: number; boardlab: number };
  registers: Array<{ name: string; reference: number; boardlab: number }>;
}

/** The first step where BoardLab's state before an instruction differs from the reference's. */
export function firstDivergence(reference: ReferenceState[], boardlab: ReferenceState[]): Divergence | undefined {
  const n = Math.min(reference.length, boardlab.length);
  for (let i = 0; i < n; i++) {
    const r = reference[i];
    const b = boardlab[i];
    const registers = [];
    for (let k = 1; k < 32; k++) if (r.x[k] !== b.x[k]) registers.push({ name: `x${k}/${ABI_NAMES[k]}`, reference: r.x[k], boardlab: b.x[k] });
    if (r.pc !== b.pc || registers.length > 0) return { step: i, pc: { reference: r.pc, boardlab: b.pc }, registers };
  }
  return undefined;
}
