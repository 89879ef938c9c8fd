// Two stubs on one heterogeneous board (the gallery's amp example): each serves one architecture's
// CPU, and the board is all-stop across them.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBoard } from '../../graph/index.ts';
import { Machine } from '../machine.ts';
import { engineModules } from '../registry.ts';
import { GdbBoard } from './board.ts';
import { elfSymbol, FakeGdb } from './testing.ts';

const ampElf = (file: string) => new Uint8Array(readFileSync(new URL(`../../../public/firmware/amp/${file}`, import.meta.url)));
const HART_MAIN = elfSymbol(ampElf('hart.elf'), 'main');
const M3_MAILBOX_HANDLER = elfSymbol(ampElf('arm/m3.elf'), 'mailbox_handler') & ~1; // a Thumb function's address

async function ampMachine(output: number[]): Promise<Machine> {
  const document = JSON.parse(readFileSync(new URL('../../../examples/amp.board.json', import.meta.url), 'utf8'));
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems[0].message);
  await engineModules.loadBoardModules(result.board);
  const images = new Map(result.board.images.map((image) => [image.file, new Uint8Array(readFileSync(new URL(`../../../public/${image.file}`, import.meta.url)))]));
  return Machine.build(result.board, images, { onSerialOutput: (_uart, byte) => output.push(byte) });
}

describe('GdbBoard: a stub per architecture, all-stop together', () => {
  it('each stub has its CPU as its one thread and its own target description; a stop or a step on one holds the other; both hear of the exit', async () => {
    const output: number[] = [];
    const machine = await ampMachine(output);
    const board = new GdbBoard(2);
    const fast = { waitWhileIdle: () => new Promise<void>((resolve) => setTimeout(resolve, 1)), sliceInstructions: 5_000 };
    const hart = new FakeGdb(machine, { cpus: ['/machine/hart'], board, ...fast });
    expect(await hart.request('qfThreadInfo')).toBe('m1');
    expect(await hart.request('qXfer:features:read:target.xml:0,4000')).toMatch(/riscv/);
    expect(await hart.request(`Z0,${HART_MAIN.toString(16)},4`)).toBe('OK');
    hart.send('c');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(machine.instructions).toBe(0); // the second gdb has not attached yet (-S): nothing runs
    const m3 = new FakeGdb(machine, { cpus: ['/machine/m3'], board, ...fast });
    expect(await m3.request('qfThreadInfo')).toBe('m1');
    expect(await m3.request('qXfer:features:read:target.xml:0,4000')).toMatch(/org\.gnu\.gdb\.arm\.m-profile/);
    expect(await m3.request(`Z0,${M3_MAILBOX_HANDLER.toString(16)},2`)).toBe('OK');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(machine.instructions).toBe(0); // the M3's gdb holds its target stopped: all-stop
    m3.send('c');
    expect(await hart.next()).toMatch(/^T05thread:1;/);
    expect(machine.cpu('/machine/hart')!.pc >>> 0).toBe(HART_MAIN);
    const m3Pc = machine.cpu('/machine/m3')!.pc;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(machine.cpu('/machine/m3')!.pc).toBe(m3Pc); // the hart's gdb holds the board: the M3 does not move
    hart.send('c');
    expect(await m3.next()).toMatch(/^T05thread:1;/);
    expect(machine.cpu('/machine/m3')!.pc >>> 0).toBe(M3_MAILBOX_HANDLER);
    // the hart's gdb interrupts its target (which waited, all-stopped): now both are stopped, and
    // stepping the M3 leaves the hart where it is
    hart.sendRaw('\x03');
    expect(await hart.next()).toMatch(/^T02thread:1;/);
    const hartCore = machine.cpu('/machine/hart')!;
    const [hartPc, hartInstret] = [hartCore.pc, hartCore.instret];
    const m3Core = machine.cpu('/machine/m3')!;
    for (let i = 0; i < 10; i++) expect(await m3.request('s')).toMatch(/^T05thread:1;/);
    expect(m3Core.instret).toBeGreaterThanOrEqual(10);
    expect([hartCore.pc, hartCore.instret]).toEqual([hartPc, hartInstret]);
    hart.send('c');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([hartCore.pc, hartCore.instret]).toEqual([hartPc, hartInstret]); // the M3's gdb holds the board now
    m3.send('c');
    expect(await hart.next()).toBe('W00');
    expect(await m3.next()).toBe('W00');
    expect(Buffer.from(output).toString('latin1')).toBe('hart: releasing the M3 and sending it work\nm3: up, waiting for work\nm3: sum of squares of 8 numbers = 204\nhart: the M3 answered 204 (right)\n');
  });
});
