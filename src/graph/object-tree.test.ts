import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { objectTree } from './object-tree.ts';
import { resolveBoard } from './resolve.ts';
import type { BoardDocument } from './schema.ts';

const uartBank = JSON.parse(readFileSync(new URL('../../examples/uart-bank.board.json', import.meta.url), 'utf8'));
const peripherals = JSON.parse(readFileSync(new URL('../../examples/lib/peripherals.library.json', import.meta.url), 'utf8'));

describe('objectTree: the object tree of a document that may not resolve yet', () => {
  it('lists objects with canonical paths and layered property values of a board that does not resolve', () => {
    const unfinished: BoardDocument = { boardlab: 1, name: 'half', objects: { cpu0: { type: 'rv32', props: { 'hart-id': 0 } }, uart0: { type: 'ns16550a' } } };
    expect(resolveBoard(unfinished).ok).toBe(false); // no memory at the reset vector yet
    const tree = objectTree(unfinished);
    expect(tree.objects.map((o) => o.path)).toEqual(['/machine/cpu0', '/machine/uart0']);
    const uart = tree.objects.find((o) => o.name === 'uart0')!;
    expect(uart.props['fifo-depth']).toBe(16); // the catalog default, layered
    expect(uart.composite).toBe(false);
  });

  it('expands composites from libraries and names their types', () => {
    const tree = objectTree(uartBank, { libraries: new Map([[uartBank.libraries[0], peripherals]]) });
    expect(tree.objects.some((o) => o.composite)).toBe(true);
    const composite = tree.objects.find((o) => o.composite)!;
    expect(Object.keys(tree.compositeTypes)).toContain(composite.type);
    expect(tree.objects.some((o) => o.parent === composite.path)).toBe(true);
  });

  it('gives an empty tree for a document too broken to assemble', () => {
    expect(objectTree({ boardlab: 1, name: 'x', objects: 5 } as never).objects).toEqual([]);
  });
});
