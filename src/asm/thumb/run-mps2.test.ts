// An assembled Thumb-2 program runs on the mps2-an385 board: its vector table (Thumb handler
// addresses with bit 0 set by `.word` of `.thumb_func` symbols) boots the core, the reset handler
// prints through the CMSDK UART, an SVC reaches its handler, and semihosting ends the run.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assemble } from '../index.ts';
import { boardFromMachineType, resolveBoard } from '../../graph/index.ts';
import { Machine } from '../../engine/machine.ts';

const STEPS_PER_RUN = 100_000;
const MAX_RUNS = 50;

describe('an assembled Thumb-2 program on mps2-an385', () => {
  it('boots from its vector table, prints through the UART, takes an SVC and exits through semihosting', () => {
    const source = readFileSync(new URL('./testdata/vectors.s', import.meta.url), 'utf8');
    const result = assemble(source, { march: 'armv7-m', fileName: 'vectors.s' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const reset = result.symbols.find((s) => s.name === 'reset');
    expect(reset?.address).toBe(0x41); // a Thumb function: bit 0 set, as ld gives it
    const resolved = resolveBoard({ ...boardFromMachineType('mps2-an385'), globals: { 'cortex-m3': { semihosting: true } }, images: [{ cpu: 'cpu0', file: 'prog.elf' }] });
    if (!resolved.ok) throw new Error(resolved.problems[0].message);
    const output: number[] = [];
    const machine = Machine.build(resolved.board, new Map([['prog.elf', result.elf]]), { onSerialOutput: (_, byte) => output.push(byte) });
    expect(machine.cpu('/machine/cpu0')?.pc).toBe(0x40);
    for (let i = 0; i < MAX_RUNS && machine.exit === null; i++) machine.run(STEPS_PER_RUN);
    expect(String.fromCharCode(...output)).toBe('Hello from Thumb-2!\n');
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
  });
});
