import { describe, expect, it } from 'vitest';
import { parseBoard, type BoardDocument } from '../graph/index.ts';
import { addIrqWire, addMapping, addObject, deleteObject, History, pasteObjects, removeEntry, renameObject, setIrqWire, setLayout, setMappingAddress, setProperty, uniqueName, withoutLayout } from './document-edit';

const base: BoardDocument = {
  boardlab: 1,
  name: 'edit',
  objects: {
    cpu0: { type: 'rv32' },
    ram: { type: 'ram', props: { size: '1M' } },
    uart0: { type: 'ns16550a' },
    plic: { type: 'plic' },
  },
  memory: [
    { map: 'ram.mem', at: '0x80000000' },
    { map: 'uart0.regs', at: '0x10000000' },
    { map: 'plic.regs', at: '0x0c000000' },
  ],
  irqs: [{ from: 'uart0.irq', to: 'plic.in[10]' }],
  resetDomains: { io: ['uart0'] },
  layout: { 'irq:/machine/uart0': { x: 1, y: 2 } },
};

/** The base board with a CLINT that cpu0's time-base links to (a link property refers to an object by name). */
const timed: BoardDocument = {
  ...base,
  objects: { ...base.objects, cpu0: { type: 'rv32', props: { 'time-base': 'clint' } }, clint: { type: 'clint' } },
  memory: [...base.memory!, { map: 'clint.regs', at: '0x2000000' }],
};

const resolves = (document: BoardDocument) => {
  const result = parseBoard(JSON.stringify(document));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('\n'));
  return result.board;
};

describe('document edits', () => {
  it('sets and clears explicit properties without touching the input', () => {
    const next = setProperty(base, '/machine/ram', 'size', '4M');
    expect(next.objects.ram!.props).toEqual({ size: '4M' });
    expect(base.objects.ram!.props).toEqual({ size: '1M' });
    const cleared = setProperty(next, '/machine/uart0', 'reg-shift', undefined);
    expect(cleared.objects.uart0).toEqual({ type: 'ns16550a' });
    expect(setProperty(base, '/machine/ram', 'size', undefined).objects.ram).toEqual({ type: 'ram' });
  });

  it('names new objects uniquely', () => {
    expect(uniqueName(base, 'uart0')).toBe('uart1');
    expect(uniqueName(base, 'ram')).toBe('ram0');
    expect(uniqueName(base, 'gpio')).toBe('gpio');
    const { document, name } = addObject(base, 'ns16550a', 'uart0');
    expect(name).toBe('uart1');
    expect(document.objects.uart1).toEqual({ type: 'ns16550a' });
    expect(pasteObjects(base, { ram: { type: 'ram' } }).names).toEqual(['ram0']);
  });

  it('renames an object and every reference to it', () => {
    const result = renameObject(base, '/machine/plic', 'intc');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const next = result.document;
    expect(Object.keys(next.objects)).toEqual(['cpu0', 'ram', 'uart0', 'intc']);
    expect(next.memory![2].map).toBe('intc.regs');
    expect(next.irqs![0].to).toBe('intc.in[10]');
    resolves(next);
    const clint = renameObject(timed, '/machine/clint', 'timer');
    expect(clint.ok && clint.document.objects.cpu0!.props!['time-base']).toBe('timer');
    if (clint.ok) resolves(clint.document);
    const uart = renameObject(base, '/machine/uart0', 'serial');
    expect(uart.ok && uart.document.layout).toEqual({ 'irq:/machine/serial': { x: 1, y: 2 } });
    expect(uart.ok && uart.document.resetDomains).toEqual({ io: ['serial'] });
    expect(renameObject(base, '/machine/uart0', 'ram')).toEqual({ ok: false, reason: 'there is already an object named "ram"' });
    expect(renameObject(base, '/machine/uart0', 'Bad Name').ok).toBe(false);
  });

  it('deletes an object with its mappings, wires, links and layout', () => {
    const next = deleteObject(base, '/machine/plic');
    expect(next.objects.plic).toBeUndefined();
    expect(next.memory!.map((m) => m.map)).toEqual(['ram.mem', 'uart0.regs']);
    expect(next.irqs).toBeUndefined();
    resolves(next);
    const withoutClint = deleteObject(timed, '/machine/clint');
    expect(withoutClint.objects.cpu0!.props!['time-base']).toBeNull();
    resolves(withoutClint);
    const uart = deleteObject(base, '/machine/uart0');
    expect(uart.layout).toEqual({});
    expect(uart.resetDomains).toEqual({ io: [] });
    expect(deleteObject(base, '/machine/ram', true).objects.ram).toBeNull();
  });

  it('deletes a device whose port names have a dot (a mailbox side) with its mappings and wires', () => {
    const withMailbox = addIrqWire(addMapping(addObject(base, 'mailbox', 'mbox').document, 'mbox.a.regs', 0x11000000), 'mbox.a.irq', 'plic.in[11]');
    expect(withMailbox.memory!.map((m) => m.map)).toContain('mbox.a.regs');
    resolves(withMailbox);
    const next = deleteObject(withMailbox, '/machine/mbox');
    expect(next.memory!.map((m) => m.map)).toEqual(['ram.mem', 'uart0.regs', 'plic.regs']);
    expect(next.irqs).toEqual(base.irqs);
    resolves(next);
  });

  it('wires, maps and places', () => {
    const wired = addIrqWire(base, 'uart0.irq', 'plic.in[11]');
    expect(wired.irqs!.length).toBe(2);
    expect(addMapping({ ...base, memory: [] }, 'ram.mem', 0x80000000).memory).toEqual([{ map: 'ram.mem', at: '0x80000000' }]);
    const placed = setLayout(base, 'memory:/machine/ram.mem', { x: 10.4, y: -3.6 });
    expect(placed.layout!['memory:/machine/ram.mem']).toEqual({ x: 10, y: -4 });
    expect(withoutLayout(placed).layout).toBeUndefined();
  });
});

describe('History', () => {
  it('undoes and redoes document states; a new edit drops the redo states', () => {
    const history = new History();
    history.record('a');
    history.record('b');
    expect(history.undo('c')).toBe('b');
    expect(history.undo('b')).toBe('a');
    expect(history.canUndo).toBe(false);
    expect(history.redo('a')).toBe('b');
    history.record('b');
    expect(history.canRedo).toBe(false);
    expect(history.undo('x')).toBe('b');
  });
});

describe('edits of wires and mappings', () => {
  it('removes the entry a pointer names, and the list when it empties', () => {
    const next = removeEntry(base, '/memory/1');
    expect(next.memory!.map((m) => m.map)).toEqual(['ram.mem', 'plic.regs']);
    expect(base.memory).toHaveLength(3);
    expect(removeEntry(base, '/irqs/0').irqs).toBeUndefined();
    expect(removeEntry(base, '/extends')).toEqual(base);
    expect(removeEntry(base, '/irqs/7')).toEqual(base);
    resolves(next);
  });

  it('changes a wire in place', () => {
    const next = setIrqWire(base, '/irqs/0', { to: 'plic.in[11]' });
    expect(next.irqs).toEqual([{ from: 'uart0.irq', to: 'plic.in[11]' }]);
    expect(resolves(next).irqs[0].target.index).toBe(11);
    expect(setIrqWire(base, '/memory/0', { to: 'x' })).toEqual(base);
  });

  it("moves a board's own mapping in place, and overrides an inherited one with an entry of the board", () => {
    expect(setMappingAddress(base, '/memory/1', 'uart0.regs', 0x10002000).memory![1]).toEqual({ map: 'uart0.regs', at: '0x10002000' });
    const virt: BoardDocument = { boardlab: 1, name: 'v', extends: 'riscv-virt', objects: {}, images: [{ cpu: 'cpu0', file: 'fw.elf' }] };
    const moved = setMappingAddress(virt, '/extends', 'uart0.regs', 0x10003000);
    expect(moved.memory).toEqual([{ map: 'uart0.regs', at: '0x10003000' }]);
    expect(resolves(moved).memory.find((m) => m.object === '/machine/uart0')!.base).toBe(0x10003000);
  });
});
