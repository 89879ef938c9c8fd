// Diff a firmware run on BoardLab against Debian's QEMU, instruction by instruction, and print the
// first place they part (PC and registers), with the instructions leading up to it. The ELF's
// machine picks the emulators: RISC-V on qemu-system-riscv32 -M virt and riscv-virt; ARM on
// qemu-system-arm -M mps2-an385 (Cortex-M3, semihosting on) and BoardLab's mps2-an385, where r0–r15
// and xPSR are compared (N, Z, C, V and Q from
// the first instruction where they agree: the architecture leaves them UNKNOWN at reset), with both
// clocks counting instructions at 8 ns each so timer interrupts come at the same instruction.
// Usage: npx tsx scripts/trace-diff.ts FIRMWARE.elf [--steps N]
import { readFileSync } from 'node:fs';
import { firstDivergence, formatTraceStep } from '../src/engine/trace.ts';
import { boardLabTrace, qemuTrace, traceTargetOf } from './lib/trace-reference.ts';

const args = process.argv.slice(2);
const elf = args.find((a) => !a.startsWith('--'));
const stepsArg = args.indexOf('--steps');
const limit = stepsArg >= 0 ? Number(args[stepsArg + 1]) : 100_000;
if (elf === undefined) {
  console.error('usage: npx tsx scripts/trace-diff.ts FIRMWARE.elf [--steps N]');
  process.exit(1);
}

let bytes: Uint8Array;
let target;
try {
  bytes = new Uint8Array(readFileSync(elf));
  target = traceTargetOf(bytes);
} catch (error) {
  console.error(`trace-diff: ${elf}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const reference = qemuTrace(elf, target).slice(0, limit);
const { steps, states: boardlab } = await boardLabTrace(bytes, target, reference.length);

const divergence = firstDivergence(reference, boardlab, target.compare);
const hex = (n: number) => '0x' + (n >>> 0).toString(16).padStart(8, '0');
if (divergence === undefined) {
  console.log(`${target.architecture}: no divergence in ${Math.min(reference.length, boardlab.length)} instructions (QEMU ran ${reference.length}, BoardLab ${boardlab.length})`);
} else {
  console.log(`${target.architecture}: first divergence before step ${divergence.step}:`);
  if (divergence.pc.reference !== divergence.pc.boardlab) console.log(`  pc: QEMU ${hex(divergence.pc.reference)}, BoardLab ${hex(divergence.pc.boardlab)}`);
  for (const r of divergence.registers) console.log(`  ${r.name}: QEMU ${hex(r.reference)}, BoardLab ${hex(r.boardlab)}`);
  const hex64 = (n: bigint) => '0x' + n.toString(16).padStart(16, '0');
  for (const r of divergence.floatRegisters ?? []) console.log(`  ${r.name}: QEMU ${hex64(r.reference)}, BoardLab ${hex64(r.boardlab)}`);
  console.log('the instructions before it, on BoardLab:');
  for (const step of steps.slice(Math.max(0, divergence.step - 8), divergence.step)) console.log('  ' + formatTraceStep(step));
  process.exitCode = 1;
}
