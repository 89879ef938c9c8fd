import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard, type BoardDocument, type ResolvedBoard } from '../graph/index.ts';
import { ControllerError } from './controller-error.ts';
import { PreconfigBoard } from './preconfig.ts';

const helloDocument = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8')) as BoardDocument;

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

describe('the preconfig phase: a machine built as data', () => {
  const empty: BoardDocument = { boardlab: 1, name: 'qmp', objects: {} };

  it('builds hello step by step, refusing a step that breaks the board and keeping the rest', () => {
    const board = new PreconfigBoard(empty, undefined);
    // A CPU before any memory is only unfinished, not wrong.
    board.addObject('rv32', 'cpu0', { 'reset-vector': '0x80000000' });
    board.addObject('ram', 'ram', { size: '128M' });
    board.addObject('ns16550a', 'uart0');
    board.addObject('sifive-test', 'test');
    expect(() => board.addObject('ns16550a', 'uart0')).toThrow("Duplicate device ID 'uart0'");
    board.addMapping({ map: 'test.regs', at: '0x100000' });
    board.addMapping({ map: 'uart0.regs', at: '0x10000000' });
    expect(() => board.addMapping({ map: 'ram.mem', at: '0x10000080' })).toThrow(/overlaps uart0\.regs/);
    board.addMapping({ map: 'ram.mem', at: '0x80000000' });
    expect(() => board.setProperty('/machine/uart0', 'fifo-depth', 0)).toThrow('property "fifo-depth" of uart0 must be 1 to 64 bytes, not 0');
    expect(() => board.addIrqWire({ from: 'uart0.irq', to: 'plic.in[10]' })).toThrow(/no object "plic"/);
    board.addResetWire({ from: 'test.system-reset', to: 'board' });
    board.addImage({ cpu: 'cpu0', file: 'firmware/hello.elf' });
    expect(board.problems()).toEqual([]);
    // What was built is the hello board, less its description and doc comment.
    const expected = structuredClone(helloDocument);
    const built = board.document;
    const strip = (resolvedBoard: ResolvedBoard) => ({ ...resolvedBoard, name: '', description: '' });
    expect(strip(resolved(built))).toEqual(strip(resolved(expected)));
    expect(strip(board.launchBoard())).toEqual(strip(resolved(expected)));
  });

  it('a board with problems cannot launch: the refusal lists them', () => {
    const board = new PreconfigBoard(empty, undefined);
    board.addObject('rv32', 'cpu0');
    expect(() => board.launchBoard()).toThrow(ControllerError);
    expect(() => board.launchBoard()).toThrow(/^The board has 1 problem: CPU cpu0 starts at 0x80000000, where no memory is mapped/);
  });

  it('the caller’s document is copied, in and out', () => {
    const document = structuredClone(empty);
    const board = new PreconfigBoard(document, undefined);
    board.addObject('led', 'led0');
    expect(document.objects).toEqual({});
    board.document.objects.led1 = { type: 'led' };
    expect(Object.keys(board.document.objects)).toEqual(['led0']);
  });

  it('removes an object with its mappings and wires, and says what it removed', () => {
    const deleted: unknown[] = [];
    const board = new PreconfigBoard({ ...boardFromMachineType('riscv-virt'), objects: { uart1: { type: 'ns16550a' } }, memory: [{ map: 'uart1.regs', at: '0x10001000' }], irqs: [{ from: 'uart1.irq', to: 'plic.in[11]' }] }, undefined, (devices) => deleted.push(...devices));
    expect(board.removeObject('uart1')).toEqual(['/machine/uart1']);
    expect(deleted).toEqual([{ device: 'uart1', path: '/machine/uart1' }]);
    expect(board.document).toEqual({ ...boardFromMachineType('riscv-virt'), objects: {} });
    // An object the machine type has is removed with null.
    board.removeObject('uart0');
    expect(board.document.objects).toEqual({ uart0: null });
    expect(board.problems()).toEqual([]);
    expect(() => board.removeObject('nope')).toThrow("Device 'nope' not found");
    expect(deleted).toHaveLength(2);
  });

  it('sets parameters and properties of inherited and repeated objects', () => {
    const board = new PreconfigBoard(boardFromMachineType('riscv-virt@1.0'), undefined);
    board.setParam('harts', 2);
    board.setProperty('/machine/cpu1', 'c', false);
    board.setProperty('/machine/uart0', 'fifo-depth', 8);
    const view = board.view();
    expect(view.objects.find((o) => o.path === '/machine/cpu1')?.props.c).toBe(false);
    expect(view.objects.find((o) => o.path === '/machine/uart0')?.props['fifo-depth']).toBe(8);
    expect(() => board.setParam('harts', 99)).toThrow(/parameter "harts" = 99 is above 8/);
  });
});
