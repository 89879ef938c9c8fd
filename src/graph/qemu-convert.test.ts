import { describe, expect, it } from 'vitest';
import { boardToQemuArgs, qemuArgsToBoard } from './qemu-convert.ts';
import { resolveBoard, type BoardDocument, type ResolvedBoard } from './index.ts';

function converted(argv: string[]): BoardDocument {
  const result = qemuArgsToBoard(argv);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.document;
}

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

describe('QEMU command line → board', () => {
  it('turns -M, -m, -smp, -global, -device and -kernel into a board extending riscv-virt', () => {
    const doc = converted(['qemu-system-riscv32', '-M', 'virt', '-m', '256', '-smp', '2', '-nographic', '-bios', 'none', '-kernel', 'fw.elf', '-global', 'ns16550a.fifo-depth=4', '-device', 'ns16550a,id=uart1,addr=0x10001000,irq=plic.in[11]']);
    expect(doc).toEqual({
      boardlab: 1,
      name: 'converted',
      extends: 'riscv-virt@1.2',
      params: { harts: 2 },
      objects: { ram: { props: { size: 256 * 1024 * 1024 } }, uart1: { type: 'ns16550a' } },
      globals: { ns16550a: { 'fifo-depth': 4 } },
      memory: [{ map: 'uart1.regs', at: '0x10001000' }],
      irqs: [{ from: 'uart1.irq', to: 'plic.in[11]' }],
      images: [{ cpu: 'cpu0', file: 'fw.elf' }],
    });
    const board = resolved(doc);
    expect(board.objects.filter((o) => o.type === 'rv32')).toHaveLength(2);
    expect(board.objects.find((o) => o.name === 'uart1')?.props['fifo-depth']).toBe(4);
  });

  it('keeps run options apart from the board', () => {
    const result = qemuArgsToBoard(['-M', 'virt', '-S', '-gdb', 'tcp::1234', '-qmp', 'unix:/tmp/q.sock,server,wait=off', '-serial', 'stdio', '-kernel', 'x.elf']);
    expect(result.ok && result.run).toEqual({ serial: ['stdio'], gdb: 'tcp::1234', qmp: ['unix:/tmp/q.sock,server,wait=off'], startPaused: true, nographic: false });
  });

  it('gives clear problems for what BoardLab cannot build', () => {
    const bad = (argv: string[]) => {
      const r = qemuArgsToBoard(argv);
      return r.ok ? 'ok' : r.problems[0].message;
    };
    expect(bad(['-M', 'sifive_u'])).toBe('machine type "sifive_u" is not one BoardLab has');
    expect(bad(['-M', 'virt', '-device', 'e1000'])).toBe('-device e1000: unknown device type');
    expect(bad(['-M', 'virt', '-device'])).toContain('-device needs an argument');
    expect(bad(['-M', 'virt', '-m', '-5'])).toMatch(/non-negative/);
    expect(bad(['-M', 'virt', '-global', 'vga.x=1'])).toContain('unknown type "vga"');
  });
});

describe('board → QEMU command line', () => {
  it('round-trips: board → args → board resolves to the same machine', () => {
    const doc: BoardDocument = {
      boardlab: 1,
      name: 'converted',
      extends: 'riscv-virt',
      params: { harts: 3 },
      objects: { ram: { props: { size: '64M' } }, gpio0: { type: 'gpio', props: { 'num-lines': 8 } } },
      globals: { ns16550a: { 'fifo-depth': 2 } },
      memory: [{ map: 'gpio0.regs', at: '0x10012000' }],
      irqs: [{ from: 'gpio0.irq', to: 'plic.in[5]' }],
      images: [{ cpu: 'cpu0', file: 'fw.elf' }],
    };
    const printed = boardToQemuArgs(doc);
    if (!printed.ok) throw new Error(printed.problems[0].message);
    expect(printed.args).toEqual(['-M', 'virt', '-smp', '3', '-m', '64M', '-device', 'gpio,id=gpio0,num-lines=8,addr=0x10012000,irq=plic.in[5]', '-global', 'ns16550a.fifo-depth=2', '-kernel', 'fw.elf']);
    expect(resolved(converted(printed.args))).toEqual(resolved(doc));
  });

  it('refuses boards QEMU options cannot express, saying what', () => {
    const r = boardToQemuArgs({ boardlab: 1, name: 'x', extends: 'riscv-virt', objects: { test: null } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ pointer: '/objects/test', message: 'cannot be written as QEMU arguments: changes to "test" of riscv-virt@1.2' });
    const standalone = boardToQemuArgs({ boardlab: 1, name: 'x', objects: {} });
    expect(standalone.ok).toBe(false);
  });
});
