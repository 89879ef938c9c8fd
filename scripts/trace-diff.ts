// Diff a firmware run on BoardLab against Debian's QEMU, instruction by instruction, and print the
// first place they part (PC and registers), with the instructions leading up to it.
// Usage: npx tsx scripts/trace-diff.ts FIRMWARE.elf [--steps N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boardFromMachineType, resolveBoard } from '../src/graph/index.ts';
import { Machine, engineModules } from '../src/engine/index.ts';
import { firstDivergence, formatTraceStep, parseQemuCpuLog, traceRun, type ReferenceState, type TraceStep } from '../src/engine/trace.ts';

const args = process.argv.slice(2);
const elf = args.find((a) => !a.startsWith('--'));
const stepsArg = args.indexOf('--steps');
const limit = stepsArg >= 0 ? Number(args[stepsArg + 1]) : 100_000;
if (elf === undefined) {
  console.error('usage: npx tsx scripts/trace-diff.ts FIRMWARE.elf [--steps N]');
  process.exit(1);
}

const log = join(mkdtempSync(join(tmpdir(), 'trace-')), 'qemu.log');
try {
  execFileSync('qemu-system-riscv32', ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', elf, '-singlestep', '-d', 'cpu,fpu,nochain', '-D', log], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 60_000 });
} catch {
  // QEMU exits non-zero when the guest reports failure; the log is what matters.
}
const reference = parseQemuCpuLog(readFileSync(log, 'utf8')).slice(0, limit);

const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
if (!result.ok) throw new Error(result.problems[0].message);
await engineModules.loadBoardModules(result.board);
const machine = Machine.build(result.board, new Map([['fw.elf', new Uint8Array(readFileSync(elf))]]));
const steps: TraceStep[] = [];
traceRun(machine, reference.length, (step) => steps.push(step));
const boardlab: ReferenceState[] = steps.map((s) => ({ pc: s.pc, x: s.before, f: s.floatBefore }));

const divergence = firstDivergence(reference, boardlab);
const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
if (divergence === undefined) {
  console.log(`no divergence in ${Math.min(reference.length, boardlab.length)} instructions (QEMU ran ${reference.length}, BoardLab ${boardlab.length})`);
} else {
  console.log(`first divergence before step ${divergence.step}:`);
  if (divergence.pc.reference !== divergence.pc.boardlab) console.log(`  pc: QEMU ${hex(divergence.pc.reference)}, BoardLab ${hex(divergence.pc.boardlab)}`);
  for (const r of divergence.registers) console.log(`  ${r.name}: QEMU ${hex(r.reference)}, BoardLab ${hex(r.boardlab)}`);
  const hex64 = (n: bigint) => '0x' + n.toString(16).padStart(16, '0');
  for (const r of divergence.floatRegisters ?? []) console.log(`  ${r.name}: QEMU ${hex64(r.reference)}, BoardLab ${hex64(r.boardlab)}`);
  console.log('the instructions before it, on BoardLab:');
  for (const step of steps.slice(Math.max(0, divergence.step - 8), divergence.step)) console.log('  ' + formatTraceStep(step));
  process.exitCode = 1;
}
