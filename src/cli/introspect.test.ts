import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configToBoard, resolveBoard } from '../graph/index.ts';
import { convertCommand, describeCommand, exportCommand, resolveCommand, typeCommand, typesCommand, validateCommand, type CommandIo } from './introspect.ts';

const root = new URL('../../', import.meta.url).pathname;
const hello = join(root, 'examples/hello.board.json');

function capture() {
  const out: Array<string | Uint8Array> = [];
  const err: string[] = [];
  const io: CommandIo = { stdout: (t) => out.push(t), stderr: (l) => err.push(l) };
  return { io, err, text: () => out.map((t) => (typeof t === 'string' ? t : Buffer.from(t).toString('latin1'))).join(''), bytes: () => out };
}

function scratch(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'boardlab-cli-')), name);
  writeFileSync(file, content);
  return file;
}

describe('boardlab validate / resolve', () => {
  it('summarises a valid board and exits 0', async () => {
    const c = capture();
    expect(await validateCommand(hello, {}, c.io)).toBe(0);
    expect(c.text()).toBe(`${hello}: valid — 4 objects (1 CPU), 3 mappings, 0 IRQ lines, 1 image\n`);
  });

  it('lists problems with pointers and exits 1', async () => {
    const doc = JSON.parse(readFileSync(hello, 'utf8'));
    doc.objects.uart0.props = { 'fifo-depth': 1000 };
    doc.memory[2].at = '0x10000080';
    const file = scratch('bad.board.json', JSON.stringify(doc));
    const c = capture();
    expect(await validateCommand(file, {}, c.io)).toBe(1);
    expect(c.err).toEqual([
      expect.stringMatching(/bad\.board\.json#\/objects\/uart0\/props\/fifo-depth: property "fifo-depth" of uart0 must be 1 to 64 bytes, not 1000\. /),
      expect.stringMatching(/bad\.board\.json#\/memory\/2\/at: ram\.mem \[0x10000080–.*\] overlaps uart0\.regs/),
    ]);
  });

  it('says warnings (a UART wired straight into the hart) and still exits 0', async () => {
    const doc = JSON.parse(readFileSync(hello, 'utf8'));
    doc.irqs = [{ from: 'uart0.irq', to: 'cpu0.meip' }];
    const file = scratch('warned.board.json', JSON.stringify(doc));
    const c = capture();
    expect(await validateCommand(file, {}, c.io)).toBe(0);
    expect(c.err).toEqual([expect.stringMatching(/^warning: .*warned\.board\.json#\/irqs\/0\/to: cpu0\.meip is meant to be driven by an interrupt controller, but uart0\.irq \(ns16550a\) drives it\. /)]);
    expect(c.text()).toMatch(/valid — 4 objects \(1 CPU\), 3 mappings, 1 IRQ line/);
  });

  it('checks images too: a missing image file is a problem at its pointer', async () => {
    const doc = JSON.parse(readFileSync(hello, 'utf8'));
    doc.images[0].file = 'firmware/nothing.elf';
    const c = capture();
    expect(await validateCommand(scratch('noimage.board.json', JSON.stringify(doc)), {}, c.io)).toBe(1);
    expect(c.err).toEqual([expect.stringMatching(/noimage\.board\.json#\/images\/0\/file: image firmware\/nothing\.elf: file not found\./)]);
  });

  it('prints the resolved machine as JSON, with the layer of every property', async () => {
    const c = capture();
    expect(await resolveCommand(hello, { platform: 'browser@1' }, c.io)).toBe(0);
    const board = JSON.parse(c.text());
    expect(board.platform).toBe('browser@1');
    expect(board.objects[1].origins.shared).toEqual({ layer: 'platform', source: 'platform browser@1' });
  });
});

describe('boardlab describe / types / type', () => {
  it('describes a machine type from data: objects, memory map, IRQ and reset wiring', async () => {
    const c = capture();
    expect(await describeCommand({ machine: 'riscv-virt@1.0', params: { harts: 2 } }, c.io)).toBe(0);
    const text = c.text();
    expect(text).toMatch(/^riscv-virt@1\.0 \(harts=2\)/);
    expect(text).toContain('0x10000000–0x100000ff      256 B  mmio  uart0.regs');
    expect(text).toContain('uart0                ns16550a       fifo-depth=1');
    expect(text).toContain('uart0.irq[0] -> plic.in[10]');
    expect(text).toContain('clint.mtip[1] -> cpu1.mtip[0]');
    expect(text).toContain('test.system-reset -> board');
    const list = capture();
    await describeCommand({}, list.io);
    expect(list.text()).toContain('boardlab-mcu@1.0');
    await expect(describeCommand({ machine: 'pc' }, capture().io)).rejects.toThrow('unknown machine type "pc"');
  });

  it('describes a board file with CPUs of their own address spaces: each CPU\'s view, its clock, and what another CPU sees too', async () => {
    const c = capture();
    expect(await describeCommand({ board: new URL('../../examples/amp.board.json', import.meta.url).pathname }, c.io)).toBe(0);
    const text = c.text();
    const views = text.slice(text.indexOf('Memory seen by each CPU:'), text.indexOf('IRQ wiring:'));
    expect(views.split('\n').slice(0, 3)).toEqual(['Memory seen by each CPU:', '  hart (rv32, address space hart, 100 MHz):', '    0x00100000–0x00100fff      4 KiB  mmio  test.regs']);
    expect(views).toContain('    0x90000000–0x9000ffff     64 KiB  ram   shared.mem  (also seen by m3)\n');
    expect(views).toContain('  m3 (cortex-m3, address space m3, 25 MHz):\n    0x00000000–0x0000ffff     64 KiB  ram   code.mem\n');
    expect(views).toContain('    0x38000000–0x3800ffff     64 KiB  ram   shared.mem+0x0 (alias)  (also seen by hart)\n');
    expect(views).toContain('    0x40010000–0x40010fff      4 KiB  mmio  mbox.b.regs\n');
    expect(views).not.toMatch(/m3 \(cortex-m3[^]*0x11000000/); // the hart's mailbox side is not in the M3's view
    // a board whose CPUs all see the system map has no such section
    const virt = capture();
    await describeCommand({ machine: 'riscv-virt' }, virt.io);
    expect(virt.text()).not.toContain('Memory seen by each CPU');
    await expect(describeCommand({ board: 'x.board.json', machine: 'virt' }, capture().io)).rejects.toThrow('describe takes a board file or -M TYPE, not both');
  });

  it('describes mps2-an385: the Cortex-M3, QEMU\'s memory map with its mirrors and stub blocks, the UART and timer IRQs', async () => {
    const c = capture();
    expect(await describeCommand({ machine: 'mps2-an385' }, c.io)).toBe(0);
    const text = c.text();
    expect(text).toMatch(/^mps2-an385@1\.0\n/);
    expect(text).toMatch(/cpu0 +cortex-m3 +num-irq=32 /);
    expect(text).toContain('0x00000000–0x003fffff      4 MiB  ram   ssram1.mem');
    expect(text).toContain('0x00400000–0x007fffff      4 MiB  alias alias of ssram1.mem+0x0');
    expect(text).toContain('0x40004000–0x40004fff      4 KiB  mmio  uart0.regs');
    expect(text).toContain('0x40000000–0x4000ffff     64 KiB  alias alias of unimplemented.regs+0x40000000  priority -1000');
    expect(text).toContain('uart0.rx[0] -> cpu0.irq[0]');
    expect(text).toContain('uartovr.out[0] -> cpu0.irq[12]');
    expect(text).toContain('dualtimer.timintc[0] -> cpu0.irq[10]');
    expect(text).toContain('cpu0.sysresetreq -> board');
    const list = capture();
    await describeCommand({}, list.io);
    expect(list.text()).toContain('mps2-an385@1.0');
    expect(list.text()).toContain('boardlab-m0@1.0');
  });

  it('shows what riscv-virt@1.2 changed: its harts have Zba, Zbb, Zbc, Zbs; @1.1 and the unversioned list say so', async () => {
    const describe = async (machine: string) => {
      const c = capture();
      expect(await describeCommand({ machine }, c.io)).toBe(0);
      return c.text();
    };
    expect(await describe('riscv-virt@1.1')).toMatch(/^ {2}cpu0 +rv32 +.* f=false d=false zba=false zbb=false zbc=false zbs=false debug=false$/m);
    expect(await describe('riscv-virt@1.2')).toMatch(/^ {2}cpu0 +rv32 +.* f=true d=true zba=true zbb=true zbc=true zbs=true debug=true$/m);
    expect(await describe('riscv-virt')).toMatch(/^riscv-virt@1\.2 /);
    const list = capture();
    await describeCommand({}, list.io);
    expect(list.text()).toMatch(/riscv-virt@1\.2.*Zba, Zbb, Zbc and Zbs/);
  });

  it('lists types as JSON with availability, filtered by interface and abstractness', async () => {
    const c = capture();
    await typesCommand({ interface: 'cpu' }, c.io);
    const cpus = JSON.parse(c.text());
    expect(cpus.map((t: { name: string }) => t.name)).toEqual(['cpu', 'riscv-cpu', 'rv32', 'arm-cpu', 'cortex-m3', 'cortex-m0', 'cortex-m0plus']);
    expect(cpus.find((t: { name: string }) => t.name === 'rv32')).toMatchObject({ available: true, module: 'engine/cpu/riscv', ancestors: ['riscv-cpu', 'cpu', 'device'] });
    expect(cpus.find((t: { name: string }) => t.name === 'cortex-m3')).toMatchObject({ module: 'engine/cpu/arm', ancestors: ['arm-cpu', 'cpu', 'device'], category: 'cpu' });
    const concrete = capture();
    await typesCommand({ abstract: false }, concrete.io);
    expect(JSON.parse(concrete.text()).every((t: { abstract: boolean }) => !t.abstract)).toBe(true);
    const machines = capture();
    await typesCommand({ machines: true }, machines.io);
    expect(JSON.parse(machines.text()).map((m: { id: string }) => m.id)).toEqual(['riscv-virt@1.0', 'riscv-virt@1.1', 'riscv-virt@1.2', 'boardlab-mcu@1.0', 'mps2-an385@1.0', 'boardlab-m0@1.0']);
  });

  it('describes one type with inherited properties and ports', async () => {
    const c = capture();
    await typeCommand('rv32', c.io);
    const rv32 = JSON.parse(c.text());
    expect(rv32.props.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['reset-vector', 'hart-id', 'm', 'address-space']));
    expect(rv32.irqs.map((p: { name: string }) => p.name)).toEqual(['msip', 'mtip', 'meip', 'seip']);
    await expect(typeCommand('riscv-virt', capture().io)).rejects.toThrow('"riscv-virt" is a machine type: try boardlab describe -M riscv-virt');
  });

  it('marks descriptive properties with the reason, and lists removed properties', async () => {
    const uart = capture();
    await typeCommand('ns16550a', uart.io);
    const props = JSON.parse(uart.text()).props as Array<{ name: string; descriptive?: string }>;
    expect(props.find((p) => p.name === 'clock-frequency')?.descriptive).toMatch(/^Only the device tree/);
    expect(props.find((p) => p.name === 'fifo-depth')).not.toHaveProperty('descriptive');
    const cpu = capture();
    await typeCommand('rv32', cpu.io);
    const rv32 = JSON.parse(cpu.text());
    expect(rv32.props.map((p: { name: string }) => p.name)).not.toContain('interrupt-parent');
    expect(rv32.removedProps).toEqual([expect.objectContaining({ name: 'interrupt-parent', why: expect.stringContaining('IRQ wires') })]);
  });

  it('lists a device type’s registers with their fields, and a CPU type’s control registers', async () => {
    const uart = capture();
    await typeCommand('ns16550a', uart.io);
    const [block] = JSON.parse(uart.text()).registers as Array<{ region: string; registers: Array<{ name: string; offset: number; fields?: Array<{ name: string; lsb: number }> }> }>;
    expect(block.region).toBe('regs');
    const lsr = block.registers.find((r) => r.name === 'LSR');
    expect(lsr?.offset).toBe(5);
    expect(lsr?.fields?.find((f) => f.name === 'THRE')?.lsb).toBe(5);
    const cpu = capture();
    await typeCommand('cortex-m3', cpu.io);
    const names = (JSON.parse(cpu.text()).controlRegisters as Array<{ name: string }>).map((r) => r.name);
    expect(names).toEqual(expect.arrayContaining(['xPSR', 'CONTROL', 'ICSR', 'CFSR']));
    const ram = capture();
    await typeCommand('ram', ram.io);
    expect(JSON.parse(ram.text())).not.toHaveProperty('registers');
  });
});

describe('boardlab export / convert', () => {
  it('exports DTS, and a DTB that starts with the FDT magic', async () => {
    const dts = capture();
    await exportCommand(hello, { format: 'dts' }, dts.io);
    expect(dts.text()).toMatch(/^\/dts-v1\/;/);
    expect(dts.text()).toContain('serial@10000000');
    const dtb = capture();
    await exportCommand(hello, { format: 'dtb' }, dtb.io);
    expect([...(dtb.bytes()[0] as Uint8Array).subarray(0, 4)]).toEqual([0xd0, 0x0d, 0xfe, 0xed]);
  });

  it('exports the config form, which reads back to the same resolved machine', async () => {
    const c = capture();
    await exportCommand(hello, { format: 'config' }, c.io);
    const back = configToBoard(c.text());
    expect(back.ok).toBe(true);
    if (back.ok) expect(resolveBoard(back.document)).toEqual(resolveBoard(JSON.parse(readFileSync(hello, 'utf8'))));
    const viaFile = capture();
    expect(await validateCommand(scratch('hello.cfg', c.text()), {}, viaFile.io)).toBe(0);
  });

  it('converts QEMU arguments to a board, and exports it back as QEMU arguments', async () => {
    const c = capture();
    expect(await convertCommand(['-M', 'virt', '-smp', '2', '-m', '256M', '-global', 'ns16550a.fifo-depth=8', '-kernel', 'fw.elf'], {}, c.io)).toBe(0);
    const document = JSON.parse(c.text());
    expect(document).toMatchObject({ extends: 'riscv-virt@1.2', params: { harts: 2 }, objects: { ram: { props: { size: 268435456 } } } });
    const args = capture();
    expect(await exportCommand(scratch('conv.board.json', c.text()), { format: 'qemu-args' }, args.io)).toBe(0);
    expect(args.text()).toBe('-M virt -smp 2 -m 268435456B -global ns16550a.fifo-depth=8 -kernel fw.elf\n');
    const refused = capture();
    expect(await exportCommand(hello, { format: 'qemu-args' }, refused.io)).toBe(1);
    expect(refused.err[0]).toContain('cannot be written as QEMU arguments: the board does not extend riscv-virt');
    const bad = capture();
    expect(await convertCommand(['-M', 'virt', '-device', 'e1000'], {}, bad.io)).toBe(1);
    expect(bad.err).toEqual([expect.stringContaining('boardlab: -device e1000: unknown device type.')]);
  });

  it('runs through the boardlab command: convert then run', () => {
    const board = execFileSync(process.execPath, [join(root, 'bin/boardlab.js'), 'convert', '--', '-M', 'virt', '-kernel', join(root, 'public/firmware/hello.elf')], { encoding: 'utf8' });
    const file = scratch('converted.board.json', board);
    const run = spawnSync(process.execPath, [join(root, 'bin/boardlab.js'), 'run', file], { encoding: 'latin1' });
    expect(run.stdout).toBe('Hello, BoardLab!\n1+2+...+100 = 5050\n');
    expect(run.status).toBe(0);
  });
});
