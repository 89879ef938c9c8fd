import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boardToConfig, configToBoard } from './config-file.ts';
import { boardFromMachineType, machineTypeDocument, resolveBoard, type BoardDocument } from './index.ts';

const hello = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8')) as BoardDocument;

function roundTrip(document: BoardDocument): BoardDocument {
  const result = configToBoard(boardToConfig(document));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.document;
}

describe('config-file form', () => {
  it('writes readable sections', () => {
    const text = boardToConfig(hello);
    expect(text).toContain('[board]\n  boardlab = 1\n  name = "hello"');
    expect(text).toContain('[object "uart0"]\n  type = "ns16550a"');
    expect(text).toContain('[memory]\n  map = "uart0.regs"\n  at = "0x10000000"');
  });

  it('round-trips whole boards: write then read gives the same document and the same resolved machine', () => {
    const composite: BoardDocument = {
      ...structuredClone(hello),
      params: { n: 2 },
      globals: { ns16550a: { 'fifo-depth': 4 } },
      types: { pair: { params: { k: { default: 1 } }, objects: { 'u${i}': { type: 'ns16550a', repeat: 2 } } } },
      resetDomains: { io: ['uart0'] },
      layout: { 'composition:/machine/uart0': { x: 10, y: 20.5 } },
    };
    composite.objects.soc = { type: 'ram', props: { size: 4096, type: 'not-a-member' }, children: { inner: { type: 'ns16550a', props: { 'fifo-depth': 1 } } } };
    composite.objects.pair0 = { type: 'pair' };
    const virt = { ...machineTypeDocument('riscv-virt')!, images: [{ cpu: 'cpu0', file: 'fw.elf' }] };
    const extending = { ...boardFromMachineType('riscv-virt@1.0', { harts: 2 }), objects: { test: null, ram: { props: { size: '1G' } } } };
    const withSource: BoardDocument = { ...structuredClone(hello), sources: { 'main.s': { text: '  .text\n_start: # "quoted" \\ text\n  j _start\n', march: 'rv32i', textAddress: '0x80000000' } }, images: [{ cpu: 'cpu0', source: 'main.s' }] };
    expect(boardToConfig(withSource)).toContain('[source "main.s"]\n  text = ');
    for (const document of [hello, composite, virt, extending, withSource] as BoardDocument[]) {
      const back = roundTrip(document);
      expect(back).toEqual(document);
      expect(JSON.stringify(resolveBoard(back))).toBe(JSON.stringify(resolveBoard(document)));
    }
  });

  it('round-trips random property values and names', () => {
    const value = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1 }).filter((k) => /^[A-Za-z0-9_$:.-]+$/.test(k)), value), fc.string(), (props, description) => {
        const document: BoardDocument = { boardlab: 1, name: 'x', description, objects: { a: { type: 'ram', props } } };
        expect(roundTrip(document)).toEqual(document);
      }),
      { numRuns: 300 },
    );
  });

  it('reports syntax problems by line', () => {
    const bad = (text: string) => {
      const r = configToBoard(text);
      return r.ok ? 'ok' : r.problems[0].message;
    };
    expect(bad('[board]\n  name = hello\n')).toBe('line 2: the value of "name" is not a JSON literal: hello');
    expect(bad('name = "x"')).toBe('line 1: "name" is outside any section');
    expect(bad('[object]\n')).toBe('line 1: section [object] needs a quoted name');
    expect(bad('[board]\n[gadget]\n')).toBe('line 2: unknown section [gadget]');
    expect(bad('[object "a/b"]\n')).toBe('line 1: [object "a/b"] comes before its parent [object "a"]');
    expect(bad('[board]\nwhat is this\n')).toMatch(/^line 2: expected/);
  });
});
