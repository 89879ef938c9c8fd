// An ELF traced instruction by instruction on Debian's QEMU (`-singlestep -d cpu,nochain`) and on
// BoardLab (src/engine/trace.ts), on the machine the ELF's e_machine calls for: RISC-V on QEMU's
// virt and riscv-virt, ARM on mps2-an385 (Cortex-M3, semihosting on) on both. For
// scripts/trace-diff.ts and src/engine/trace.reference.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuArgsToBoard, resolveBoard } from '../../src/graph/index.ts';
import { Machine, engineModules } from '../../src/engine/index.ts';
import { parseQemuCpuLog, traceRun, type DivergenceOptions, type ReferenceState, type TraceStep } from '../../src/engine/trace.ts';

/** ELF e_machine values. */
const EM_ARM = 40;
const EM_RISCV = 243;

export interface TraceTarget {
  /** What the ELF is for, in words. */
  architecture: string;
  qemu: string;
  /** QEMU's machine options; BoardLab builds its board from the same ones (its QEMU command-line import). */
  machineArgs: readonly string[];
  /** QEMU-only options (display, CPU model spelled out). */
  qemuOnlyArgs: readonly string[];
  /** What QEMU logs with -d: the CPU state before every instruction (and the f registers where there are). */
  log: string;
  /** How to compare the two traces (firstDivergence's options). */
  compare: DivergenceOptions;
}

/** xPSR's N, Z, C, V and Q: UNKNOWN at reset (QEMU starts with Z set). */
const APSR_FLAGS = 0xf800_0000;

const TARGETS: ReadonlyMap<number, TraceTarget> = new Map([
  [EM_RISCV, { architecture: 'RISC-V', qemu: 'qemu-system-riscv32', machineArgs: ['-M', 'virt', '-bios', 'none'], qemuOnlyArgs: ['-nographic'], log: 'cpu,fpu,nochain', compare: {} }],
  [EM_ARM, {
    architecture: 'ARM',
    qemu: 'qemu-system-arm',
    machineArgs: ['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=native'],
    qemuOnlyArgs: ['-cpu', 'cortex-m3', '-nographic'],
    log: 'cpu,nochain',
    compare: { statusUnknownAtReset: APSR_FLAGS },
  }],
]);

/** The machine to trace an ELF on, from its e_machine; an error that names what it is otherwise. */
export function traceTargetOf(elf: Uint8Array): TraceTarget {
  const isElf = elf[0] === 0x7f && elf[1] === 0x45 && elf[2] === 0x4c && elf[3] === 0x46;
  if (!isElf || elf.length < 20) throw new Error('not an ELF file (no \\x7fELF header)');
  const machine = elf[18] | (elf[19] << 8);
  const target = TARGETS.get(machine);
  if (target === undefined) throw new Error(`the ELF's machine is ${machine} (e_machine); trace-diff knows RISC-V (${EM_RISCV}) and ARM (${EM_ARM})`);
  return target;
}

/** QEMU's state before every instruction of `elfPath`, from its single-step log. */
export function qemuTrace(elfPath: string, target: TraceTarget): ReferenceState[] {
  const dir = mkdtempSync(join(tmpdir(), 'trace-'));
  const log = join(dir, 'qemu.log');
  try {
    execFileSync(target.qemu, [...target.machineArgs, ...target.qemuOnlyArgs, '-kernel', elfPath, '-singlestep', '-d', target.log, '-D', log], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    // QEMU exits non-zero when the guest reports failure; the log is what matters.
  }
  try {
    return parseQemuCpuLog(readFileSync(log, 'utf8'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** BoardLab's trace of `elf` (up to `limit` instructions) on the target's machine: every step, and the state before each. */
export async function boardLabTrace(elf: Uint8Array, target: TraceTarget, limit: number): Promise<{ steps: TraceStep[]; states: ReferenceState[] }> {
  const converted = qemuArgsToBoard([...target.machineArgs, '-kernel', 'fw.elf'], 'trace');
  if (!converted.ok) throw new Error(converted.problems.map((p) => p.message).join('\n'));
  const result = resolveBoard(converted.document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  await engineModules.loadBoardModules(result.board);
  const machine = Machine.build(result.board, new Map([['fw.elf', elf]]));
  const steps: TraceStep[] = [];
  traceRun(machine, limit, (step) => steps.push(step));
  const states = steps.map((s): ReferenceState => ({ pc: s.pc, x: s.before, names: [...s.names], f: s.floatBefore, ...(s.statusBefore !== undefined && { status: { name: s.statusName ?? 'status', value: s.statusBefore } }) }));
  return { steps, states };
}
