import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard } from '../graph/index.ts';
import { Machine } from './machine.ts';
import { firstDivergence, formatTraceStep, parseQemuCpuLog, traceRun, type TraceStep } from './trace.ts';

const helloElf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));

function helloMachine(): Machine {
  const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'hello.elf' }] });
  if (!result.ok) throw new Error(result.problems[0].message);
  return Machine.build(result.board, new Map([['hello.elf', helloElf]]));
}

describe('trace mode', () => {
  it('reports each instruction with its PC, word and changed registers, starting in the boot ROM', () => {
    const steps: TraceStep[] = [];
    traceRun(helloMachine(), 7, (s) => steps.push(s));
    expect(steps.map(formatTraceStep)).toEqual([
      '       0 00001000 00000297 t0=00001000',
      '       1 00001004 02828613 a2=00001028',
      '       2 00001008 f1402573',
      '       3 0000100c 0202a583 a1=87e00000',
      '       4 00001010 0182a283 t0=80000000',
      '       5 00001014 00028067',
      expect.stringMatching(/^ {7}6 80000000 [0-9a-f]{4,8} gp=/),
    ]);
  });

  it('runs to the end of the firmware like a normal run, instruction for instruction', () => {
    const traced = helloMachine();
    const count = traceRun(traced, 1_000_000, () => {});
    const normal = helloMachine();
    normal.run(1_000_000);
    expect(traced.exit).toEqual({ kind: 'pass', code: 0 });
    expect(count).toBe(normal.instructions);
  });

  it('parses QEMU -d cpu logs and finds the first divergence', () => {
    const log = [' pc       00001000', ' x0/zero  00000000 x1/ra    00000000 x2/sp    00000000 x3/gp    00000000', ' x4/tp    00000000 x5/t0    00000000', ' pc       00001004', ' x5/t0    00001000 x12/a2   00000000'].join('\n');
    const reference = parseQemuCpuLog(log);
    expect(reference.map((s) => s.pc)).toEqual([0x1000, 0x1004]);
    expect(reference[1].x[5]).toBe(0x1000);
    const same = reference.map((s) => ({ pc: s.pc, x: [...s.x] }));
    expect(firstDivergence(reference, same)).toBeUndefined();
    same[1].x[5] = 0x2000;
    expect(firstDivergence(reference, same)).toEqual({ step: 1, pc: { reference: 0x1004, boardlab: 0x1004 }, registers: [{ name: 'x5/t0', reference: 0x1000, boardlab: 0x2000 }] });
  });
});
