// An ELF traced instruction by instruction on Debian's QEMU (`-singlestep -d cpu,nochain`) and on
// BoardLab (src/engine/trace.ts), on the machine the ELF's e_machine calls for: RISC-V on QEMU's
// virt and riscv-virt, ARM on mps2-an385 (Cortex-M3, semihosting on) on both. On ARM both clocks
// count executed instructions at the same rate, so SysTick and the timers interrupt at the same
// instruction on both. For scripts/trace-diff.ts and src/engine/trace.reference.test.ts.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemuArgsToBoard, resolveBoard } from '../../src/graph/index.ts';
import { Machine, engineModules } from '../../src/engine/index.ts';
import { qemuCacheFile, readQemuCache, writeQemuCache } from './qemu-cache.ts';
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
  /** Virtual nanoseconds per instruction on BoardLab: QEMU's with its -icount shift (default: the machine's). */
  nsPerInstruction?: number;
  /**
   * Drop a state equal to the one before it, on both sides: QEMU with -icount logs an instruction
   * that touches a device twice (it translates it again to end its block at the access, and runs
   * it again); BoardLab's `b .` loops lose their repeats too, so both stay aligned.
   */
  collapseRepeats?: boolean;
}

/** xPSR's N, Z, C, V and Q: UNKNOWN at reset (QEMU starts with Z set). */
const APSR_FLAGS = 0xf800_0000;

const TARGETS: ReadonlyMap<number, TraceTarget> = new Map([
  [EM_RISCV, { architecture: 'RISC-V', qemu: 'qemu-system-riscv32', machineArgs: ['-M', 'virt', '-bios', 'none'], qemuOnlyArgs: ['-nographic'], log: 'cpu,fpu,nochain', compare: {} }],
  [EM_ARM, {
    architecture: 'ARM',
    qemu: 'qemu-system-arm',
    machineArgs: ['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=native'],
    // -icount shift=3: QEMU's virtual clock advances 8 ns per instruction, as BoardLab's does here
    qemuOnlyArgs: ['-cpu', 'cortex-m3', '-nographic', '-icount', 'shift=3'],
    log: 'cpu,nochain',
    compare: { statusUnknownAtReset: APSR_FLAGS },
    nsPerInstruction: 8,
    collapseRepeats: true,
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

function sameState(a: ReferenceState, b: ReferenceState): boolean {
  return a.pc === b.pc && a.status?.value === b.status?.value && a.x.length === b.x.length && a.x.every((value, i) => value === b.x[i]);
}

/** QEMU's state before every instruction of `elfPath`, from its single-step log. */
export function qemuTrace(elfPath: string, target: TraceTarget): ReferenceState[] {
  const args = [...target.machineArgs, ...target.qemuOnlyArgs, '-kernel', elfPath, '-singlestep', '-d', target.log];
  // Shared between the tiers' reference suites within one `npm test` (./qemu-cache.ts).
  const cacheFile = qemuCacheFile(target.qemu, args, null, process.cwd());
  let text = readQemuCache<string>(cacheFile);
  if (text === undefined) {
    text = qemuLog(target.qemu, args);
    writeQemuCache(cacheFile, text);
  }
  const states = parseQemuCpuLog(text);
  return target.collapseRepeats === true ? states.filter((state, i) => i === 0 || !sameState(state, states[i - 1])) : states;
}

/** QEMU's single-step log of a run with `args`. */
function qemuLog(qemu: string, args: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'trace-'));
  const log = join(dir, 'qemu.log');
  try {
    execFileSync(qemu, [...args, '-D', log], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    // QEMU exits non-zero when the guest reports failure; the log is what matters.
  }
  try {
    return readFileSync(log, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** BoardLab's trace of `elf` on the target's machine, up to `limit` states (or the guest's end): every step, and the state before each (repeats collapsed as QEMU's). */
export async function boardLabTrace(elf: Uint8Array, target: TraceTarget, limit: number): Promise<{ steps: TraceStep[]; states: ReferenceState[] }> {
  const converted = qemuArgsToBoard([...target.machineArgs, '-kernel', 'fw.elf'], 'trace');
  if (!converted.ok) throw new Error(converted.problems.map((p) => p.message).join('\n'));
  const result = resolveBoard(converted.document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  await engineModules.loadBoardModules(result.board);
  const machine = Machine.build(result.board, new Map([['fw.elf', elf]]), { nsPerInstruction: target.nsPerInstruction });
  const steps: TraceStep[] = [];
  const states: ReferenceState[] = [];
  if (limit <= 0) return { steps, states };
  traceRun(machine, Number.MAX_SAFE_INTEGER, (step) => {
    const state: ReferenceState = { pc: step.pc, x: step.before, names: [...step.names], f: step.floatBefore, ...(step.statusBefore !== undefined && { status: { name: step.statusName ?? 'status', value: step.statusBefore } }) };
    if (target.collapseRepeats === true && states.length > 0 && sameState(state, states[states.length - 1])) return true;
    steps.push(step);
    states.push(state);
    return states.length < limit;
  });
  return { steps, states };
}
