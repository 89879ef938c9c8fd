import { describe, expect, it } from 'vitest';
import { parseBoard } from '../graph/index.ts';
import { boardGraph, busId } from './board-graph';

const text = JSON.stringify({
  boardlab: 1,
  name: 'graph-test',
  objects: {
    cpu0: { type: 'rv32' },
    ram: { type: 'ram', props: { size: '1M' } },
    uart0: { type: 'ns16550a' },
    test: { type: 'sifive-test' },
  },
  memory: [
    { map: 'ram.mem', at: '0x80000000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'test.regs', at: '0x100000' },
  ],
  images: [{ cpu: 'cpu0', file: 'firmware/hello.elf' }],
});

describe('boardGraph', () => {
  const result = parseBoard(text);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  const graph = boardGraph(result.board);

  it('has a node per object plus the system bus', () => {
    expect(graph.nodes.map((n) => n.title)).toEqual(['system bus', 'cpu0', 'test', 'uart0', 'ram']);
    expect(graph.nodes.find((n) => n.title === 'uart0')).toMatchObject({ kind: 'serial', subtitle: 'ns16550a' });
    expect(graph.nodes.find((n) => n.title === 'cpu0')?.details).toContain('image hello.elf');
    expect(graph.nodes.find((n) => n.title === 'ram')?.details).toEqual(['mem 0x80000000 · 1 MiB']);
  });

  it("names the image file the document gives the CPU", () => {
    expect(graph.nodes.find((n) => n.title === 'cpu0')?.details).toContain('image hello.elf');
    const blinky = parseBoard(text.replace('firmware/hello.elf', 'blinky.elf'));
    if (!blinky.ok) throw new Error(JSON.stringify(blinky.problems));
    expect(boardGraph(blinky.board).nodes.find((n) => n.title === 'cpu0')?.details).toContain('image blinky.elf');
  });

  it('connects the CPU to the bus and the bus to each mapped region, labelled with its base, in address order', () => {
    expect(graph.edges.filter((e) => e.kind === 'master')).toEqual([
      { id: 'master:/machine/cpu0', kind: 'master', source: '/machine/cpu0', target: busId('system'), label: '' },
    ]);
    const mappings = graph.edges.filter((e) => e.kind === 'mapping');
    expect(mappings.map((e) => [e.target, e.label])).toEqual([
      ['/machine/test', '0x00100000'],
      ['/machine/uart0', '0x10000000'],
      ['/machine/ram', '0x80000000'],
    ]);
    expect(new Set(graph.edges.map((e) => e.id)).size).toBe(graph.edges.length);
  });

  it('names the mapping and the IRQ wire each edge draws, for live activity', () => {
    if (!result.ok) return;
    for (const edge of graph.edges.filter((e) => e.kind === 'mapping')) expect(result.board.memory[edge.mapping!].object).toBe(edge.target);
    const wired = parseBoard(JSON.stringify({ ...JSON.parse(text), objects: { ...JSON.parse(text).objects, b0: { type: 'button' }, l0: { type: 'led' }, b1: { type: 'button' }, l1: { type: 'led' } }, irqs: [{ from: 'b0.out', to: 'l0.in' }, { from: 'b1.out', to: 'l1.in' }] }));
    if (!wired.ok) throw new Error(JSON.stringify(wired.problems));
    const irqs = boardGraph(wired.board).edges.filter((e) => e.kind === 'irq');
    expect(irqs.map((e) => [e.source, wired.board.irqs[e.irqWire!].source.object])).toEqual([
      ['/machine/b0', '/machine/b0'],
      ['/machine/b1', '/machine/b1'],
    ]);
  });
});
