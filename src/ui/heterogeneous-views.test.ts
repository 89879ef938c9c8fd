// The designer's views of a heterogeneous board (issue #14 point 5): CPUs grouped into clusters
// coloured by architecture, each CPU's view of memory, both interrupt controllers.
import { describe, expect, it } from 'vitest';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { boardView, compositionView, cpuArchitectureOf, cpuClusters, declaredCpuSpaces, memoryView } from './views.ts';

function resolve(document: unknown): ResolvedBoard {
  const result = parseBoard(JSON.stringify(document));
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** The shape of issue #14's example: a hart and a Cortex-M3, each in its own space, 64 KiB seen by both. */
const ampDocument = {
  boardlab: 1,
  name: 'amp',
  objects: {
    hart: { type: 'rv32', props: { 'address-space': 'hart' } },
    m3: { type: 'cortex-m3', props: { 'address-space': 'm3' } },
    ram: { type: 'ram', props: { size: '64K' } },
    code: { type: 'ram', props: { size: '64K' } },
    shared: { type: 'ram', props: { size: '64K' } },
    uart0: { type: 'ns16550a' },
    m3uart: { type: 'cmsdk-apb-uart' },
    plic: { type: 'plic' },
    mbox: { type: 'mailbox' },
  },
  memory: [
    { map: 'ram.mem', at: '0x80000000', space: 'hart' },
    { map: 'shared.mem', at: '0x90000000', space: 'hart' },
    { map: 'uart0.regs', at: '0x10000000', space: 'hart' },
    { map: 'plic.regs', at: '0x0c000000', space: 'hart' },
    { map: 'mbox.a.regs', at: '0x11000000', space: 'hart' },
    { map: 'code.mem', at: '0x0', space: 'm3' },
    { alias: 'shared.mem', at: '0x38000000', space: 'm3' },
    { map: 'm3uart.regs', at: '0x40004000', space: 'm3' },
    { map: 'mbox.b.regs', at: '0x40010000', space: 'm3' },
  ],
  irqs: [
    { from: 'mbox.a.irq', to: 'plic.in[11]' },
    { from: 'plic.meip[0]', to: 'hart.meip' },
    { from: 'mbox.b.irq', to: 'm3.irq[0]' },
  ],
};

describe('CPU clusters', () => {
  it('groups the CPUs of a board by architecture and address space', () => {
    const clusters = cpuClusters(resolve(ampDocument));
    expect(clusters.map((c) => [c.architecture.name, c.space, c.cpus])).toEqual([
      ['RISC-V', 'hart', ['/machine/hart']],
      ['ARM', 'm3', ['/machine/m3']],
    ]);
    expect(cpuArchitectureOf('cortex-m0plus')?.slug).toBe('arm');
    expect(cpuArchitectureOf('rv32')?.slug).toBe('riscv');
    expect(cpuArchitectureOf('ns16550a')).toBeUndefined();
  });

  it('puts each cluster between the CPUs and their parent in the composition view, coloured by its architecture', () => {
    const view = compositionView(resolve(ampDocument));
    const riscv = view.nodes.find((n) => n.id === 'cluster:riscv:hart');
    const arm = view.nodes.find((n) => n.id === 'cluster:arm:m3');
    expect(riscv).toMatchObject({ kind: 'cluster', title: 'RISC-V cluster', architecture: 'riscv', subtitle: 'address space hart' });
    expect(arm).toMatchObject({ kind: 'cluster', title: 'ARM cluster', architecture: 'arm' });
    expect(view.nodes.find((n) => n.id === '/machine/hart')?.architecture).toBe('riscv');
    expect(view.nodes.find((n) => n.id === '/machine/m3')?.architecture).toBe('arm');
    const parentOf = (id: string) => view.edges.find((e) => e.target === id)?.source;
    expect(parentOf('/machine/hart')).toBe('cluster:riscv:hart');
    expect(parentOf('/machine/m3')).toBe('cluster:arm:m3');
    expect(parentOf('cluster:arm:m3')).toBe('/machine');
    expect(parentOf('/machine/uart0')).toBe('/machine');
    expect(view.nodes.find((n) => n.id === '/machine/uart0')?.architecture).toBeUndefined();
  });

  it('leaves a board of one architecture and one view of memory as its tree is (colours only)', () => {
    const view = compositionView(resolve({ boardlab: 1, name: 'two harts', objects: { cpu0: { type: 'rv32' }, cpu1: { type: 'rv32', props: { 'hart-id': 1 } }, ram: { type: 'ram' } }, memory: [{ map: 'ram.mem', at: '0x80000000' }] }));
    expect(view.nodes.some((n) => n.kind === 'cluster')).toBe(false);
    expect(view.edges.find((e) => e.target === '/machine/cpu1')?.source).toBe('/machine');
    expect(view.nodes.find((n) => n.id === '/machine/cpu1')?.architecture).toBe('riscv');
  });

  it('makes two clusters of two architectures in one address space', () => {
    const view = compositionView(resolve({ boardlab: 1, name: 'mixed', objects: { cpu0: { type: 'rv32' }, cpu1: { type: 'cortex-m3' }, ram: { type: 'ram' }, code: { type: 'ram', props: { size: '64K' } } }, memory: [{ map: 'ram.mem', at: '0x80000000' }, { map: 'code.mem', at: '0x0' }] }));
    expect(view.nodes.filter((n) => n.kind === 'cluster').map((n) => n.title)).toEqual(['RISC-V cluster', 'ARM cluster']);
  });
});

describe("each CPU's view of memory", () => {
  it('says whose view each bus is, in its architecture colour', () => {
    const view = memoryView(resolve(ampDocument));
    expect(view.nodes.find((n) => n.id === 'space:hart')).toMatchObject({ title: 'hart bus', details: ['view of hart (RISC-V)'], architecture: 'riscv' });
    expect(view.nodes.find((n) => n.id === 'space:m3')).toMatchObject({ title: 'm3 bus', details: ['view of m3 (ARM)'], architecture: 'arm' });
  });

  it("shows one CPU's address space alone, the shared RAM at that CPU's address", () => {
    const board = resolve(ampDocument);
    const m3 = boardView('memory', board, { space: 'm3' });
    const mapped = m3.edges.filter((e) => e.kind === 'mapping').map((e) => e.label);
    expect(mapped).toEqual(['0x00000000', '0x38000000', '0x40004000', '0x40010000']);
    expect(m3.nodes.some((n) => n.id === 'space:hart')).toBe(false);
    expect(m3.nodes.find((n) => n.title === 'alias @0x38000000')?.details).toContain('alias of shared.mem');
    const hart = boardView('memory', board, { space: 'hart' });
    expect(hart.edges.filter((e) => e.kind === 'mapping').map((e) => e.label)).toEqual(['0x0c000000', '0x10000000', '0x11000000', '0x80000000', '0x90000000']);
    expect(hart.nodes.find((n) => n.id === '/machine/shared.mem')?.details[0]).toBe('0x90000000 – 0x9000ffff');
  });
});

describe('a draft whose CPU names an address space with nothing mapped yet', () => {
  it("shows that space's bus, so that the first region can be mapped into it by dragging from it", () => {
    const document = {
      boardlab: 1,
      name: 'draft',
      objects: { hart: { type: 'rv32' }, m3: { type: 'cortex-m3', props: { 'address-space': 'm3' } }, ram: { type: 'ram' }, code: { type: 'ram', props: { size: '64K' } } },
      memory: [{ map: 'ram.mem', at: '0x80000000' }, { map: 'code.mem', at: '0x0' }],
    };
    // the same board resolved without the space (as a draft's resolution drops the rejected value)
    const board = resolve({ ...document, objects: { ...document.objects, m3: { type: 'cortex-m3' } } });
    const declared = declaredCpuSpaces(document);
    expect([...declared]).toEqual([['/machine/m3', 'm3']]);
    const view = boardView('memory', board, { cpuSpaces: declared });
    expect(view.nodes.find((n) => n.id === 'space:m3')).toMatchObject({ details: ['view of m3 (ARM)'], outputs: [{ id: 'out:map', label: '' }] });
    expect(compositionView(board, new Set(), new Map(), declared).nodes.find((n) => n.id === 'cluster:arm:m3')?.subtitle).toBe('address space m3');
    expect(boardView('memory', board).nodes.some((n) => n.id === 'space:m3')).toBe(false);
  });
});

describe('both interrupt controllers in the IRQ view', () => {
  it("shows the PLIC into the hart and the M3's NVIC lines as the M3's inputs", () => {
    const view = boardView('irq', resolve(ampDocument));
    expect(view.nodes.find((n) => n.id === '/machine/m3')?.inputs.map((p) => p.label)).toEqual(['irq[32]', 'nmi']);
    expect(view.nodes.find((n) => n.id === '/machine/hart')?.inputs.map((p) => p.label)).toContain('meip');
    expect(view.edges.map((e) => e.label)).toEqual(['a.irq → in[11]', 'meip[0] → meip', 'b.irq → irq[0]']);
  });
});
