import { describe, expect, it } from 'vitest';
import { boardWarnings, parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { boardView, compositionView, isBoardEntry, memoryView, objectOfPointer, overlappingMappings, irqView, resetView, sameEntry, warningsByObject } from './views';

function resolve(document: unknown): ResolvedBoard {
  const result = parseBoard(JSON.stringify(document));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

const board = resolve({
  boardlab: 1,
  name: 'views',
  objects: {
    cpu0: { type: 'rv32' },
    ram: { type: 'ram', props: { size: '64M' } },
    boot: { type: 'rom', props: { size: '4K' } },
    uart0: { type: 'ns16550a' },
    plic: { type: 'plic' },
    gpio: { type: 'gpio', props: { 'num-lines': 8 } },
    led0: { type: 'led' },
    test: { type: 'sifive-test' },
  },
  memory: [
    { map: 'ram.mem', at: '0x80000000' },
    { map: 'boot.mem', at: '0x80000000', priority: 1 },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'plic.regs', at: '0x0c000000' },
    { map: 'test.regs', at: '0x100000' },
    { alias: 'ram.mem', offset: '0x1000', size: '4K', at: '0x0' },
  ],
  irqs: [
    { from: 'uart0.irq', to: 'plic.in[10]' },
    { from: 'gpio.out[0..3]', to: 'plic.in[19..22]' },
    { from: 'gpio.out[4]', to: 'led0.in' },
  ],
  resets: [{ from: 'test.system-reset', to: 'board' }],
});

describe('memory view', () => {
  it('lists regions in address order with readable sizes, priorities, aliases and overlaps', () => {
    const view = memoryView(board);
    const regions = view.nodes.filter((n) => n.inputs.some((p) => p.id === 'in:map') && n.kind !== 'unmapped');
    const bases = regions.map((n) => parseInt(n.details[0].slice(2, 10), 16));
    expect(bases).toEqual([...bases].sort((a, b) => a - b));
    const ram = view.nodes.find((n) => n.title === 'ram.mem')!;
    expect(ram.details).toContain('64 MiB');
    expect(ram.overlap).toBe(true);
    const boot = view.nodes.find((n) => n.title === 'boot.mem')!;
    expect(boot.details).toContain('4 KiB');
    expect(boot.details).toContain('priority 1');
    expect(view.nodes.find((n) => n.title === 'uart0.regs')!.overlap).toBe(false);
    const alias = view.nodes.find((n) => n.kind === 'alias')!;
    expect(view.edges).toContainEqual(expect.objectContaining({ kind: 'alias', source: ram.id, target: alias.id }));
    expect(alias.details.some((d) => d.startsWith('alias of ram.mem'))).toBe(true);
    expect(view.edges.some((e) => e.kind === 'mapping' && e.source === 'space:system' && e.target === ram.id && e.label === '0x80000000')).toBe(true);
  });

  it('shows regions that are not mapped yet', () => {
    const unmapped = resolve({ boardlab: 1, name: 'u', objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram' }, uart0: { type: 'ns16550a' } }, memory: [{ map: 'ram.mem', at: '0x80000000' }] });
    const view = memoryView(unmapped);
    expect(view.nodes.find((n) => n.title === 'uart0.regs')?.kind).toBe('unmapped');
  });

  it('finds overlapping mappings per address space', () => {
    expect([...overlappingMappings(board.memory)].map((i) => board.memory[i].object).sort()).toEqual(['/machine/boot', '/machine/ram']);
  });
});

describe('IRQ view', () => {
  it('draws ports as handles and a range wire as one labelled edge', () => {
    const view = irqView(board);
    const plic = view.nodes.find((n) => n.id === '/machine/plic')!;
    expect(plic.inputs.map((p) => p.id)).toContain('in:in');
    const gpio = view.nodes.find((n) => n.id === '/machine/gpio')!;
    expect(gpio.outputs.map((p) => p.id)).toContain('out:out');
    const range = view.edges.find((e) => e.source === '/machine/gpio' && e.target === '/machine/plic')!;
    expect(range.label).toBe('out[0..3] → in[19..22]');
    expect(range.sourceHandle).toBe('out:out');
    expect(view.edges.find((e) => e.source === '/machine/uart0')!.label).toBe('irq → in[10]');
    // fan-out: gpio.out drives two targets
    expect(view.edges.filter((e) => e.source === '/machine/gpio').length).toBe(2);
    expect(view.nodes.some((n) => n.id === '/machine/ram')).toBe(false);
  });

  it('gives each end with more than one line its line numbers, to show beside that end', () => {
    const view = irqView(board);
    expect(view.edges.find((e) => e.source === '/machine/uart0')!.lines).toEqual({ target: '10' });
    expect(view.edges.find((e) => e.target === '/machine/plic' && e.source === '/machine/gpio')!.lines).toEqual({ source: '0..3', target: '19..22' });
    expect(view.edges.find((e) => e.target === '/machine/led0')!.lines).toEqual({ source: '4' });
    // a port whose line count comes from a property that is 1 has no number to show
    const virt = resolve({ boardlab: 1, name: 'v', extends: 'riscv-virt', objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    expect(irqView(virt).edges.find((e) => e.sourceHandle === 'out:meip')!.lines).toEqual({});
  });
});

describe('live activity: edges to wires and mappings', () => {
  it('gives every IRQ edge the wires it draws (indices into board.irqs), each wire on exactly one edge', () => {
    const view = irqView(board);
    const drawn = view.edges.flatMap((e) => e.irqWires ?? []);
    expect([...drawn].sort((a, b) => a - b)).toEqual(board.irqs.map((_, i) => i));
    for (const edge of view.edges) {
      for (const wire of edge.irqWires!) {
        expect(board.irqs[wire].source.object).toBe(edge.source);
        expect(board.irqs[wire].target.object).toBe(edge.target);
        expect(`out:${board.irqs[wire].source.port}`).toBe(edge.sourceHandle);
      }
    }
    const range = view.edges.find((e) => e.source === '/machine/gpio' && e.target === '/machine/plic')!;
    expect(range.irqWires!.map((w) => board.irqs[w].target.index)).toEqual([19, 20, 21, 22]);
  });

  it('gives every mapping edge of the memory view the mapping it draws (index into board.memory)', () => {
    const view = memoryView(board);
    const mapped = view.edges.filter((e) => e.mapping !== undefined);
    expect(mapped.map((e) => e.mapping).sort((a, b) => a! - b!)).toEqual(board.memory.map((_, i) => i));
    for (const edge of mapped) {
      const mapping = board.memory[edge.mapping!];
      const region = view.nodes.find((n) => n.id === edge.target)!;
      expect(region.details[0].startsWith(`0x${(mapping.base >>> 0).toString(16).padStart(8, '0')}`)).toBe(true);
      if (mapping.kind !== 'alias') expect(region.title).toBe(`${mapping.object.replace('/machine/', '')}.${mapping.region}`);
    }
    // aliases and containers have no counter of their own to show
    expect(view.edges.filter((e) => e.kind === 'alias').every((e) => e.mapping === undefined)).toBe(true);
  });
});

describe('reset view', () => {
  it('wires reset outputs to the board', () => {
    const view = resetView(board);
    expect(view.edges).toContainEqual(expect.objectContaining({ source: '/machine/test', sourceHandle: 'out:system-reset', target: 'board' }));
  });
});

describe('composition view', () => {
  it('is the object tree; collapsing a composite hides its descendants', () => {
    const nested = resolve({
      boardlab: 1,
      name: 'nested',
      types: { soc: { objects: { uart: { type: 'ns16550a' }, ram: { type: 'ram', props: { size: '1M' } } }, memory: [{ map: 'ram.mem', at: '0x80000000' }] } },
      objects: { cpu0: { type: 'rv32' }, soc: { type: 'soc' } },
    });
    const open = compositionView(nested);
    expect(open.nodes.map((n) => n.id)).toContain('/machine/soc/uart');
    expect(open.edges).toContainEqual(expect.objectContaining({ source: '/machine/soc', target: '/machine/soc/uart' }));
    expect(open.nodes.find((n) => n.id === '/machine/soc')!.collapsible).toBe(true);
    const closed = compositionView(nested, new Set(['/machine/soc']));
    expect(closed.nodes.map((n) => n.id)).not.toContain('/machine/soc/uart');
    expect(closed.nodes.find((n) => n.id === '/machine/soc')!.collapsed).toBe(true);
  });
});

describe('problems on nodes', () => {
  it('finds the object a pointer points into and marks its node', () => {
    expect(objectOfPointer(board, '/objects/cpu0/props/reset-vector')).toBe('/machine/cpu0');
    const view = boardView('composition', board, { problems: [{ pointer: '/objects/cpu0', message: 'CPU cpu0 starts at 0x80000000, where no memory is mapped', hint: '' }] });
    expect(view.nodes.find((n) => n.id === '/machine/cpu0')!.problems).toEqual(['CPU cpu0 starts at 0x80000000, where no memory is mapped']);
  });
});

describe('warnings on nodes and wires', () => {
  const warned = resolve({
    boardlab: 1,
    name: 'warned',
    objects: { cpu0: { type: 'rv32' }, ram: { type: 'ram' }, uart0: { type: 'ns16550a' } },
    memory: [{ map: 'ram.mem', at: '0x80000000' }],
    irqs: [{ from: 'uart0.irq', to: 'cpu0.meip' }],
  });
  const warnings = boardWarnings(warned);

  it('marks both ends of a warned wire in the IRQ and Composition views, and the wire itself', () => {
    const irq = boardView('irq', warned, { warnings });
    const message = 'cpu0.meip is meant to be driven by an interrupt controller, but uart0.irq (ns16550a) drives it';
    expect(irq.nodes.find((n) => n.id === '/machine/cpu0')!.warnings).toEqual([message]);
    expect(irq.nodes.find((n) => n.id === '/machine/uart0')!.warnings).toEqual([message]);
    expect(irq.edges[0].warning).toBe(message);
    expect(boardView('composition', warned, { warnings }).nodes.find((n) => n.id === '/machine/uart0')!.warnings).toEqual([message]);
    expect(warningsByObject(warned, warnings).get('/machine/ram')).toBeUndefined();
  });

  it('leaves the views of a board without warnings unmarked', () => {
    const view = boardView('irq', board, { warnings: boardWarnings(board) });
    expect(view.nodes.some((n) => n.warnings)).toBe(false);
    expect(view.edges.some((e) => e.warning)).toBe(false);
  });
});

describe('edges know the document entry they draw', () => {
  it('IRQ wires, mappings and resets carry their pointer; a range wire is one entry', () => {
    expect(irqView(board).edges.map((e) => e.entry?.pointer)).toEqual(['/irqs/0', '/irqs/1', '/irqs/2']);
    const mappings = memoryView(board).edges.filter((e) => e.kind === 'mapping');
    expect(mappings.find((e) => e.target === '/machine/uart0.regs')!.entry).toEqual({ kind: 'mapping', pointer: '/memory/2', key: '/machine/uart0.regs@0x10000000' });
    expect(resetView(board).edges[0].entry).toMatchObject({ kind: 'reset', pointer: '/resets/0' });
  });

  it('tell inherited entries (one pointer, "/extends") apart by what they connect', () => {
    const virt = resolve({ boardlab: 1, name: 'v', extends: 'riscv-virt', objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    const entries = irqView(virt).edges.map((e) => e.entry!);
    expect(entries.every((e) => e.pointer === '/extends' && !isBoardEntry(e))).toBe(true);
    expect(sameEntry(entries[0], entries[1])).toBe(false);
    expect(sameEntry(entries[0], { ...entries[0] })).toBe(true);
    const own = irqView(board).edges[0].entry!;
    expect(isBoardEntry(own)).toBe(true);
    // an edit in place (another line) keeps a board entry selected
    expect(sameEntry(own, { ...own, key: 'something else' })).toBe(true);
  });
});
