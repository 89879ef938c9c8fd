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

describe('QEMU command lines for the Cortex-M machine types', () => {
  const problemOf = (argv: string[]) => {
    const result = qemuArgsToBoard(argv);
    if (result.ok) throw new Error('expected a problem');
    return result.problems[0];
  };

  it('qemu-system-arm -M mps2-an385 -cpu cortex-m3 -nographic -semihosting-config enable=on,target=native -kernel fw.elf: the cpu\'s semihosting is on', () => {
    const result = qemuArgsToBoard(['qemu-system-arm', '-M', 'mps2-an385', '-cpu', 'cortex-m3', '-nographic', '-semihosting-config', 'enable=on,target=native', '-serial', 'stdio', '-kernel', 'fw.elf']);
    if (!result.ok) throw new Error(result.problems[0].message);
    expect(result.document).toEqual({ boardlab: 1, name: 'converted', extends: 'mps2-an385@1.0', objects: {}, globals: { 'cortex-m3': { semihosting: true } }, images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    expect(result.run).toMatchObject({ serial: ['stdio'], nographic: true });
    expect(result.warnings).toEqual([]);
    const cpu = resolved(result.document).objects.find((o) => o.name === 'cpu0')!;
    expect(cpu.props.semihosting).toBe(true);
    expect(cpu.origins.semihosting).toMatchObject({ layer: 'global' });
  });

  it('without semihosting options (or with enable=off) the cpu has none; -semihosting alone turns it on, as QEMU', () => {
    const off = resolved(converted(['-M', 'mps2-an385', '-kernel', 'fw.elf']));
    expect(off.objects.find((o) => o.name === 'cpu0')?.props.semihosting).toBe(false);
    expect(converted(['-M', 'mps2-an385', '-semihosting-config', 'enable=off', '-kernel', 'fw.elf']).globals).toBeUndefined();
    expect(converted(['-M', 'mps2-an385', '-semihosting', '-kernel', 'fw.elf']).globals).toEqual({ 'cortex-m3': { semihosting: true } });
    expect(converted(['-M', 'boardlab-m0', '-semihosting-config', 'on', '-kernel', 'fw.elf']).globals).toEqual({ 'cortex-m0plus': { semihosting: true } });
  });

  it('-cpu with properties configures the board\'s CPU type; another model is refused, as QEMU\'s mps2 boards refuse it', () => {
    expect(converted(['-M', 'mps2-an385', '-cpu', 'cortex-m3,num-prio-bits=4', '-kernel', 'fw.elf']).globals).toEqual({ 'cortex-m3': { 'num-prio-bits': 4 } });
    expect(problemOf(['-M', 'mps2-an385', '-cpu', 'cortex-m0', '-kernel', 'fw.elf'])).toMatchObject({ message: '-cpu cortex-m0: mps2-an385 can only be used with CPU cortex-m3', hint: 'Leave -cpu out, or give -cpu cortex-m3.' });
    // riscv-virt keeps running any other model as rv32, with a warning.
    const virt = qemuArgsToBoard(['-M', 'virt', '-cpu', 'sifive-u54', '-kernel', 'fw.elf']);
    expect(virt.ok && virt.warnings).toEqual(['-cpu sifive-u54: BoardLab models rv32 only; using rv32']);
  });

  it('-m must be mps2-an385\'s fixed 16 MiB, as QEMU requires', () => {
    expect(converted(['-M', 'mps2-an385', '-m', '16M', '-kernel', 'fw.elf']).objects).toEqual({});
    expect(problemOf(['-M', 'mps2-an385', '-m', '32M', '-kernel', 'fw.elf']).message).toBe('-m 32M: invalid RAM size for mps2-an385, should be 16 MiB');
    expect(problemOf(['-M', 'boardlab-m0', '-m', '1M', '-kernel', 'fw.elf']).message).toBe('-m: boardlab-m0 has no main RAM that -m sizes');
  });

  it('refuses semihosting on a CPU without it, target=gdb and unknown keys; ignores chardev with a warning', () => {
    expect(problemOf(['-M', 'virt', '-semihosting-config', 'enable=on', '-kernel', 'fw.elf']).message).toBe('-semihosting-config enable=on: the CPU of riscv-virt (rv32) has no semihosting in BoardLab');
    expect(problemOf(['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=gdb', '-kernel', 'fw.elf']).message).toBe('-semihosting-config enable=on,target=gdb: target=gdb is not supported by BoardLab');
    expect(problemOf(['-M', 'mps2-an385', '-semihosting-config', 'enable=on,frob=1']).message).toBe("-semihosting-config enable=on,frob=1: Invalid parameter 'frob'");
    expect(problemOf(['-M', 'mps2-an385', '-semihosting-config', 'enable=maybe']).message).toContain('-semihosting-config enable=maybe:');
    expect(problemOf(['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=serial']).message).toBe('-semihosting-config enable=on,target=serial: Unsupported semihosting-config enable=on,target=serial');
    const withChardev = qemuArgsToBoard(['-M', 'mps2-an385', '-semihosting-config', 'enable=on,chardev=ch0', '-kernel', 'fw.elf']);
    expect(withChardev.ok && withChardev.warnings).toEqual(['-semihosting-config chardev= is not supported by BoardLab and was ignored']);
  });

  it('prints a board extending mps2-an385 back as QEMU arguments (semihosting as -semihosting-config), and reads them back to the same machine', () => {
    const doc: BoardDocument = { boardlab: 1, name: 'converted', extends: 'mps2-an385@1.0', objects: {}, globals: { 'cortex-m3': { semihosting: true, 'num-prio-bits': 4 } }, images: [{ cpu: 'cpu0', file: 'fw.elf' }] };
    const printed = boardToQemuArgs(doc);
    if (!printed.ok) throw new Error(printed.problems[0].message);
    expect(printed.args).toEqual(['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=native', '-global', 'cortex-m3.num-prio-bits=4', '-kernel', 'fw.elf']);
    expect(resolved(converted(printed.args))).toEqual(resolved(doc));
    const other = boardToQemuArgs({ boardlab: 1, name: 'x', extends: 'boardlab-m0', objects: {} });
    expect(!other.ok && other.problems[0].message).toBe('cannot be written as QEMU arguments: the board does not extend riscv-virt or mps2-an385');
  });

  it('names every machine type when the machine is unknown', () => {
    expect(problemOf(['-M', 'mps2-an505']).hint).toBe('Known: virt (riscv-virt), riscv-virt@1.0, riscv-virt@1.1, riscv-virt@1.2, boardlab-mcu@1.0, mps2-an385@1.0, boardlab-m0@1.0.');
  });
});
