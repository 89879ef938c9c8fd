// The same ELF on Debian's QEMU and on BoardLab, compared instruction by instruction (PC and all
// general registers before every instruction; the f registers too for a RISC-V program using F and
// D; xPSR on ARM), from the first instruction: RISC-V on virt and riscv-virt (boot ROM included),
// ARM on mps2-an385, timer interrupts included. And `boardlab run --trace` on an ARM guest retires
// the instructions QEMU does.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstDivergence, type ReferenceState } from './trace.ts';
import { boardLabTrace, qemuTrace, traceTargetOf, type TraceTarget } from '../../scripts/lib/trace-reference.ts';

const root = new URL('../../', import.meta.url).pathname;

/** QEMU's single-step log of `elf` and BoardLab's trace of it, on the machine its e_machine calls for. */
async function bothTraces(elf: string): Promise<{ reference: ReferenceState[]; ours: ReferenceState[]; target: TraceTarget }> {
  const bytes = new Uint8Array(readFileSync(elf));
  const target = traceTargetOf(bytes);
  const reference = qemuTrace(elf, target);
  const { states: ours } = await boardLabTrace(bytes, target, reference.length + 10);
  return { reference, ours, target };
}

describe('instruction traces against QEMU', () => {
  it.each(['hello', 'fail'])('%s.elf: every instruction sees the same PC and registers on both', async (name) => {
    const { reference, ours, target } = await bothTraces(join(root, 'public/firmware', `${name}.elf`));
    expect(target.qemu).toBe('qemu-system-riscv32');
    expect(reference.length).toBeGreaterThan(100);
    expect(firstDivergence(reference, ours, target.compare)).toBeUndefined();
    expect(ours.length).toBe(reference.length);
  });

  it('an F/D program: every instruction sees the same PC, x and f registers on both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-fp-'));
    const elf = join(dir, 'fp.elf');
    execFileSync('riscv64-unknown-elf-gcc', [
      '-march=rv32imafdc_zicsr', '-mabi=ilp32', '-nostdlib', '-nostartfiles', '-static', '-T', join(root, 'firmware/common/link.ld'),
      '-Wl,--build-id=none', join(root, 'src/engine/gdb/fixtures/gdb-float.S'), '-o', elf,
    ]);
    const { reference, ours, target } = await bothTraces(elf);
    expect(reference.every((state) => state.f !== undefined)).toBe(true);
    // the f registers change along the way (so the comparison compares something)
    expect(new Set(reference.map((state) => state.f!.join(','))).size).toBeGreaterThan(8);
    expect(firstDivergence(reference, ours, target.compare)).toBeUndefined();
    expect(ours.length).toBe(reference.length);
  });
});

describe('ARM instruction traces against QEMU (mps2-an385)', () => {
  // hello: startup and UART output; gdb-demo: an SVC and its exception return; conf-arm-exc: pended
  // exceptions, priorities, preemption, tail-chaining, BASEPRI, PSP thread mode; fault-demo: a bus
  // and a usage fault; systick-blinky: SysTick interrupts waking the core from WFI (QEMU's clock
  // counts instructions with -icount, 8 ns each, as BoardLab's here, so they come at the same one).
  it.each(['hello', 'gdb-demo', 'conf-arm-exc', 'fault-demo', 'systick-blinky'])('arm/%s.elf: every instruction sees the same pc, r0-r14 and xPSR on both', async (name) => {
    const { reference, ours, target } = await bothTraces(join(root, 'public/firmware/arm', `${name}.elf`));
    expect(target.qemu).toBe('qemu-system-arm');
    expect(reference.length).toBeGreaterThan(800);
    expect(reference.every((state) => state.status !== undefined && state.x.length === 15)).toBe(true);
    expect(firstDivergence(reference, ours, target.compare)).toBeUndefined();
    expect(ours.length).toBe(reference.length);
  });

  it('conf-arm-exc and systick-blinky: the exception entries and returns (IPSR changes) are at the same instructions', async () => {
    const changes = (states: ReferenceState[]) => states.flatMap((s, i) => (i > 0 && (s.status!.value & 0x1ff) !== (states[i - 1].status!.value & 0x1ff) ? [[i, s.status!.value & 0x1ff]] : []));
    for (const [name, atLeast] of [['conf-arm-exc', 20], ['systick-blinky', 30]] as const) {
      const { reference, ours } = await bothTraces(join(root, 'public/firmware/arm', `${name}.elf`));
      expect(changes(reference).length, name).toBeGreaterThan(atLeast);
      expect(changes(ours), name).toEqual(changes(reference));
    }
    // SysTick (exception 15) is among them
    const { reference } = await bothTraces(join(root, 'public/firmware/arm/systick-blinky.elf'));
    expect(changes(reference).filter(([, ipsr]) => ipsr === 15).length).toBeGreaterThanOrEqual(30);
  });

  it('a changed register or flag is reported by name, at its step', async () => {
    const { reference, ours, target } = await bothTraces(join(root, 'public/firmware/arm/conf-arm-exc.elf'));
    // QEMU's log starts with Z set, a Cortex-M3 resets xPSR to 0x01000000: compared strictly, step 0 differs in xpsr only
    expect(firstDivergence(reference, ours)).toEqual({ step: 0, pc: { reference: reference[0].pc, boardlab: ours[0].pc }, registers: [{ name: 'xpsr', reference: 0x4100_0000, boardlab: 0x0100_0000 }] });
    // deliberately different states further on are reported at their step, naming the register
    const step = Math.floor(ours.length / 2);
    const changed = ours.map((s) => ({ ...s, x: [...s.x] }));
    changed[step].x[5] = (changed[step].x[5] + 1) >>> 0;
    expect(firstDivergence(reference, changed, target.compare)).toEqual({ step, pc: { reference: reference[step].pc, boardlab: ours[step].pc }, registers: [{ name: 'r5', reference: reference[step].x[5], boardlab: (reference[step].x[5] + 1) >>> 0 }] });
    const carry = ours.map((s) => ({ ...s }));
    carry[step + 1] = { ...carry[step + 1], status: { name: 'xpsr', value: (carry[step + 1].status!.value ^ 0x2000_0000) >>> 0 } };
    expect(firstDivergence(reference, carry, target.compare)?.registers).toEqual([{ name: 'xpsr', reference: reference[step + 1].status!.value, boardlab: (reference[step + 1].status!.value ^ 0x2000_0000) >>> 0 }]);
  });

  it('boardlab run --trace on mps2-an385: one line per instruction, at the pcs QEMU executes, and the guest\'s output unchanged', () => {
    const elf = join(root, 'public/firmware/arm/hello.elf');
    const target = traceTargetOf(new Uint8Array(readFileSync(elf)));
    const reference = qemuTrace(elf, target);
    const traceFile = join(mkdtempSync(join(tmpdir(), 'trace-cli-')), 'trace.txt');
    const stdout = execFileSync(process.execPath, [join(root, 'bin/boardlab.js'), 'run', ...target.machineArgs, '-kernel', elf, '--trace', traceFile], { encoding: 'utf8', timeout: 60_000 });
    expect(stdout).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
    const lines = readFileSync(traceFile, 'utf8').trim().split('\n');
    expect(lines.map((line) => parseInt(line.trim().split(/\s+/)[1], 16))).toEqual(reference.map((s) => s.pc));
    // the last instruction is the semihosting call that ends the run: bkpt 0xab
    expect(lines.at(-1)).toMatch(/^ +\d+ [0-9a-f]{8} beab\b/);
  });
});
