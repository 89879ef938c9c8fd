// Step line / Next line against gdb: a small C program (a loop calling a function, calls into the
// UART library) built here with Debian's riscv64-unknown-elf-gcc -O0 -g runs under
// qemu-system-riscv32 -M virt -S -gdb, where gdb-multiarch breaks at main and steps with `step`
// (and, from the start again, `next`), printing the pc after each; the same ELF runs on BoardLab's
// hello board in the run loop, where GuestDebugger.stepLine does the same from the same address.
// The pcs where the steps stop — and so the lines — must be the same, in the same order. The
// committed hello firmware (gcc -O2 -g) is stepped the same way, RISC-V on QEMU virt and the
// Cortex-M3 build on qemu-system-arm -M mps2-an385.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { freePort, gdbBatch, waitUntilListening } from '../cli/testing/gdb-session.ts';
import { LineTable } from '../graph/dwarf-lines.ts';
import { parseBoard } from '../graph/index.ts';
import { Machine } from '../engine/index.ts';
import { createControl, readControl, requestRun, WorkerRunState } from './control.ts';
import { Runner } from './runner.ts';
import { createSerialRingBuffer } from './serial-ring.ts';
import { until, yieldToEventLoop } from './run-loop-testing.ts';

const root = new URL('../../', import.meta.url).pathname;
const common = join(root, 'firmware/common');
const HART = '/machine/cpu0';

const PROGRAM = `#include "uart.h"
#include "finisher.h"

static int square(int x)
{
    int y = x * x;
    return y;
}

int sum_squares(int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += square(i);
    return total;
}

int main(void)
{
    int a = sum_squares(3);
    uart_puts("sum\\n");
    a += sum_squares(2);
    uart_put_udec((unsigned)a);
    uart_putc('\\n');
    finisher_pass();
}
`;

const work = mkdtempSync(join(tmpdir(), 'source-step-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The program with the firmware's startup and UART library, all -O0 -g, linked at 0x80000000 as the firmware is. */
function buildProgram(): string {
  writeFileSync(join(work, 'steps.c'), PROGRAM);
  const elf = join(work, 'steps.elf');
  execFileSync(
    'riscv64-unknown-elf-gcc',
    ['-march=rv32imac_zicsr', '-mabi=ilp32', '-O0', '-g', '-ffreestanding', '-nostdlib', '-nostartfiles', '-static', `-I${common}`, '-T', join(common, 'link.ld'), '-Wl,--build-id=none', '-o', elf, join(common, 'crt0.S'), 'steps.c', join(common, 'uart.c'), join(common, 'finisher.c'), '-lgcc'],
    { cwd: work },
  );
  return elf;
}

/** gdb on QEMU: break main, continue, then `command` `count` times; the pc after the break and after each step. */
async function gdbStops(elf: string, command: 'step' | 'next', count: number, arm = false): Promise<number[]> {
  const port = await freePort();
  const qemu = arm
    ? spawn('qemu-system-arm', ['-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', '-semihosting-config', 'enable=on,target=native', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' })
    : spawn('qemu-system-riscv32', ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', elf, '-S', '-gdb', `tcp:127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await waitUntilListening(port, 5_000);
    const commands = ['break main', 'continue', 'print/x $pc', ...Array.from({ length: count }, () => [command, 'print/x $pc']).flat()];
    const out = await gdbBatch(elf, port, commands, work);
    const pcs = [...out.matchAll(/^\$\d+ = (0x[0-9a-f]+)$/gm)].map((m) => parseInt(m[1], 16));
    expect(pcs, out).toHaveLength(count + 1);
    return pcs;
  } finally {
    qemu.kill();
  }
}

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

/** BoardLab: the hello board running the ELF; run to `start` (gdb's break main), then Step line / Next line `count` times. */
async function boardlabStops(elf: string, start: number, over: boolean, count: number, arm = false): Promise<number[]> {
  const board = arm
    ? { boardlab: 1, name: 'arm-steps', extends: 'mps2-an385', objects: {}, images: [{ cpu: 'cpu0', file: 'steps.elf' }] }
    : (JSON.parse(readFileSync(join(root, 'examples/hello.board.json'), 'utf8')) as { images: Array<{ file: string }> });
  board.images[0].file = 'steps.elf';
  const parsed = parseBoard(JSON.stringify(board), { platform: 'browser' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const control = createControl();
  const runner = new Runner(control, createSerialRingBuffer(1 << 12), (b, images, onSerialOutput) => Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput }), { yieldToEventLoop, burstMs: 5 });
  runners.push(runner);
  runner.start();
  expect(runner.load(parsed.board, new Map([['steps.elf', new Uint8Array(readFileSync(elf))]])).ok).toBe(true);
  const state = () => readControl(control);
  runner.debug.runTo(HART, start);
  requestRun(control);
  await until(() => state().breakSeq === 1 && state().state === WorkerRunState.PAUSED, 'main');
  const pcs = [runner.registers()[0].pc];
  for (let i = 0; i < count; i++) {
    expect(runner.debug.stepLine(HART, over)).toBe('run');
    requestRun(control);
    await until(() => state().breakSeq === i + 2 && state().state === WorkerRunState.PAUSED, `line step ${i + 1}`);
    expect(runner.debug.lastStop()).toMatchObject({ kind: 'step-line' });
    pcs.push(runner.registers()[0].pc);
  }
  return pcs;
}

describe('Step line and Next line against gdb-multiarch on QEMU', () => {
  const elf = buildProgram();
  const table = LineTable.fromElf(new Uint8Array(readFileSync(elf)))!;
  const lines = (pcs: number[]) => pcs.map((pc) => `${table.at(pc)?.file.replace(/.*\//, '')}:${table.at(pc)?.line}`);

  it('Step line stops where gdb `step` stops: into sum_squares, round its loop and into square, back out, into the UART library', async () => {
    const steps = 40;
    const expected = await gdbStops(elf, 'step', steps);
    const ours = await boardlabStops(elf, expected[0], false, steps);
    expect(lines(ours)).toEqual(lines(expected));
    expect(ours.map((pc) => pc.toString(16))).toEqual(expected.map((pc) => pc.toString(16)));
    // it did go where the test means it to: into square, and into uart.c
    expect(lines(ours).some((l) => l === 'steps.c:6')).toBe(true);
    expect(lines(ours).some((l) => l.startsWith('uart.c:'))).toBe(true);
  }, 120_000);

  it('Next line stops where gdb `next` stops: main line by line, the calls run over', async () => {
    const steps = 4;
    const expected = await gdbStops(elf, 'next', steps);
    const ours = await boardlabStops(elf, expected[0], true, steps);
    expect(lines(ours)).toEqual(lines(expected));
    expect(ours).toEqual(expected);
    expect(lines(ours)).toEqual(['steps.c:20', 'steps.c:21', 'steps.c:22', 'steps.c:23', 'steps.c:24']);
  }, 120_000);

  it('both stop where gdb stops in the committed ARM hello firmware (Cortex-M3, gcc -O2 -g) on qemu-system-arm', async () => {
    const hello = join(root, 'public/firmware/arm/hello.elf');
    for (const [command, count] of [
      ['step', 30],
      ['next', 8],
    ] as const) {
      const expected = await gdbStops(hello, command, count, true);
      const ours = await boardlabStops(hello, expected[0], command === 'next', count, true);
      expect(ours.map((pc) => pc.toString(16)), command).toEqual(expected.map((pc) => pc.toString(16)));
    }
  }, 120_000);

  it('both stop where gdb stops in the committed hello firmware (gcc -O2 -g): its loop, the calls in and over', async () => {
    const hello = join(root, 'public/firmware/hello.elf');
    for (const [command, count] of [
      ['step', 30],
      ['next', 8],
    ] as const) {
      const expected = await gdbStops(hello, command, count);
      const ours = await boardlabStops(hello, expected[0], command === 'next', count);
      expect(ours.map((pc) => pc.toString(16)), command).toEqual(expected.map((pc) => pc.toString(16)));
    }
  }, 120_000);
});
