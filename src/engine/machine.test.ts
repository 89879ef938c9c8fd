import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, parseBoard, resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import { riscvCore } from './cpu/riscv/index.ts';
import { SymbolTable } from '../graph/elf-symbols.ts';
import { Machine, MachineError, realizeOrder } from './machine.ts';

const { t0, t1, t2, a0 } = A.Reg;
const CSR = { mstatus: 0x300, mie: 0x304, mtvec: 0x305 };
const helloText = readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8');
const helloElf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));
const armHelloElf = new Uint8Array(readFileSync(new URL('../../public/firmware/arm/hello.elf', import.meta.url)));
/** Offset of e_entry in an ELF32 header. */
const E_ENTRY = 24;

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** Little-endian image of instruction words; `handler` is placed at offset 0x100 (mtvec target). */
function image(main: Array<number | number[]>, handler: Array<number | number[]> = []): Uint8Array {
  const words: number[] = main.flat();
  if (handler.length > 0) {
    while (words.length < 0x40) words.push(A.addi(0, 0, 0));
    words.push(...handler.flat());
  }
  const bytes = new Uint8Array(words.length * 4);
  new DataView(bytes.buffer).setUint32(0, 0, true);
  words.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w >>> 0, true));
  return bytes;
}

/** riscv-virt (CLINT, PLIC, UART, finisher) running a raw binary at 0x80000000. */
function virtWith(program: Uint8Array): Machine {
  const board = resolved({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }] });
  return Machine.build(board, new Map([['p.bin', program]]));
}

const finishWith = (value: number) => [...A.li(t0, 0x100000), ...A.li(t1, value), A.sw(t1, t0, 0), A.jal(0, 0)];

describe('life cycle', () => {
  const hello = () => {
    const result = parseBoard(helloText);
    if (!result.ok) throw new Error('hello must resolve');
    return result.board;
  };

  it('goes created → … → realized → reset → running → reset, and destroy ends it', () => {
    const machine = Machine.build(hello(), new Map([['firmware/hello.elf', helloElf]]));
    expect([...machine.states.values()]).toEqual(['reset', 'reset', 'reset', 'reset']);
    machine.run(10);
    expect(machine.states.get('/machine/cpu0')).toBe('running');
    machine.reset();
    expect(machine.states.get('/machine/uart0')).toBe('reset');
    machine.destroy();
    expect([...machine.states.values()].every((s) => s === 'destroyed')).toBe(true);
    expect(machine.run(100)).toBe(0);
    expect(() => machine.reset()).toThrow(MachineError);
  });

  it('a failing realize unwinds what was realized and names the object and the reason', () => {
    const board = resolved(JSON.parse(helloText.replace('"uart0": { "type": "ns16550a" },', '"uart0": { "type": "ns16550a" }, "ram2": { "type": "ram", "props": { "size": "1M", "shared": true } },')));
    let calls = 0;
    const allocateRam = (bytes: number) => {
      if (++calls === 1) throw new Error(`cannot allocate ${bytes} bytes`); // the first shared memory: ram2
      return new ArrayBuffer(bytes);
    };
    let error: unknown;
    try {
      Machine.build(board, new Map([['firmware/hello.elf', helloElf]]), { allocateRam });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MachineError);
    expect((error as MachineError).message).toBe('/machine/ram2: realize failed: cannot allocate 1048576 bytes');
    expect((error as MachineError).path).toBe('/machine/ram2');
  });

  it('realizes link targets before the objects that link to them, devices before CPUs', () => {
    const board = resolved({ ...boardFromMachineType('riscv-virt'), objects: { cpu0: { props: { 'time-base': 'clint' } } } });
    const order = realizeOrder(board);
    expect(order.indexOf('/machine/clint')).toBeLessThan(order.indexOf('/machine/cpu0'));
    expect(order.indexOf('/machine/plic')).toBeLessThan(order.indexOf('/machine/cpu0'));
    expect(order.slice(-1)).toEqual(['/machine/cpu0']);
  });

  it('an image that does not fit fails the build without leaving anything realized', () => {
    const board = resolved(JSON.parse(helloText.replace('"128M"', '"4K"')));
    expect(() => Machine.build(board, new Map([['firmware/hello.elf', helloElf]]))).toThrow(/image firmware\/hello\.elf: does not fit in memory/);
  });
});

describe('virtual time', () => {
  it('derives from retired instructions: 10 ns each, so mtime runs at 10 MHz per 100 instructions… per instruction/10', () => {
    const machine = virtWith(image([A.jal(0, 0)]));
    expect(machine.run(1000)).toBe(1000);
    expect(machine.clock.now()).toBe(10_000);
    expect(machine.space().load(0x200bff8, 4)).toBe(100); // CLINT mtime: 10 µs at 10 MHz
  });

  it('jumps over WFI to the next timer, and the timer interrupt arrives', () => {
    const program = image(
      [
        ...A.li(t0, 0x80000100), A.csrw(CSR.mtvec, t0),
        ...A.li(t0, 0x2004000), ...A.li(t1, 100_000), A.sw(t1, t0, 0), A.sw(0, t0, 4), // mtimecmp = 100000 ticks = 10 ms
        ...A.li(t0, 0x80), A.csrw(CSR.mie, t0), A.csrrsi(0, CSR.mstatus, 8),
        A.wfi(), A.jal(0, -4),
      ],
      finishWith(0x5555),
    );
    const machine = virtWith(program);
    const executed = machine.run(1_000_000);
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(executed).toBeLessThan(100); // it slept, it did not spin
    expect(machine.clock.now()).toBeGreaterThanOrEqual(10_000_000);
  });

  it('two runs of the same board and image are identical, instruction for instruction', () => {
    const trace = () => {
      const machine = Machine.build(resolved({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'hello.elf' }] }), new Map([['hello.elf', helloElf]]));
      const pcs: number[] = [];
      while (!machine.halted && pcs.length < 5000) {
        machine.run(1);
        pcs.push(machine.cpu('/machine/cpu0')!.pc);
      }
      return { pcs, time: machine.clock.now(), instructions: machine.instructions };
    };
    expect(trace()).toEqual(trace());
  });
});

describe('IRQ wiring', () => {
  it('UART receive → PLIC source 10 → hart MEIP → trap handler claims and completes', () => {
    const program = image(
      [
        ...A.li(t0, 0x80000100), A.csrw(CSR.mtvec, t0),
        ...A.li(t0, 0xc000000 + 4 * 10), ...A.li(t1, 1), A.sw(t1, t0, 0), // priority of source 10
        ...A.li(t0, 0xc002000), ...A.li(t1, 1 << 10), A.sw(t1, t0, 0), // enable for context 0 (hart 0, M)
        ...A.li(t0, 0xc200000), A.sw(0, t0, 0), // threshold 0
        ...A.li(t0, 0x10000001), ...A.li(t1, 1), A.sb(t1, t0, 0), // UART IER: received data
        ...A.li(t0, 0x800), A.csrw(CSR.mie, t0), A.csrrsi(0, CSR.mstatus, 8),
        A.wfi(), A.jal(0, -4),
      ],
      [
        ...A.li(t0, 0xc200004), A.lw(t1, t0, 0), // claim
        ...A.li(t2, 0x10000000), A.lbu(a0, t2, 0), // the byte
        A.sw(t1, t0, 0), // complete
        A.slli(a0, a0, 16), ...A.li(t1, 0x3333), A.or(a0, a0, t1), ...A.li(t0, 0x100000), A.sw(a0, t0, 0), A.jal(0, 0),
      ],
    );
    const machine = virtWith(program);
    machine.run(100_000);
    expect(machine.halted).toBe(false);
    expect(machine.idle).toBe(true); // waiting in WFI, nothing pending
    machine.serialPort()!.receive([0x41]);
    machine.run(100_000);
    expect(machine.exit).toEqual({ kind: 'fail', code: 0x41 });
  });

  it('a finisher reset follows the reset graph to a system reset', () => {
    const machine = virtWith(image([...A.li(t0, 0x100000), ...A.li(t1, 0x7777), A.sw(t1, t0, 0), A.jal(0, 0)]));
    machine.run(20);
    expect(machine.instructions).toBeLessThan(20); // it reset and started again
    expect(machine.halted).toBe(false);
  });

  it('an access to unmapped memory traps the hart and is logged with the address', () => {
    const machine = virtWith(image([...A.li(t0, 0x40000000), A.lw(t1, t0, 0), A.jal(0, 0)]));
    machine.run(50);
    expect(machine.events.some((e) => e.includes('access fault') && e.includes('0x40000000'))).toBe(true);
  });
});

describe('real-time pacing', () => {
  it('a time limit stops a sleeping guest at the limit instead of jumping to its timer', () => {
    const program = image(
      [
        ...A.li(t0, 0x80000100), A.csrw(CSR.mtvec, t0),
        ...A.li(t0, 0x2004000), ...A.li(t1, 100_000), A.sw(t1, t0, 0), A.sw(0, t0, 4), // 10 ms
        ...A.li(t0, 0x80), A.csrw(CSR.mie, t0), A.csrrsi(0, CSR.mstatus, 8),
        A.wfi(), A.jal(0, -4),
      ],
      finishWith(0x5555),
    );
    const machine = virtWith(program);
    machine.run(1_000_000, 4_000_000); // 4 ms of virtual time
    expect(machine.halted).toBe(false);
    expect(machine.clock.now()).toBe(4_000_000);
    machine.run(1_000_000, 9_999_999);
    expect(machine.halted).toBe(false);
    machine.run(1_000_000, 10_000_100);
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
  });
});

describe('snapshots', () => {
  it('a restored snapshot continues the run exactly: same output, time and instruction count', () => {
    const board = resolved({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'counter.elf' }] });
    const counterElf = new Uint8Array(readFileSync(new URL('../../public/firmware/counter.elf', import.meta.url)));
    const build = (out: number[]) => Machine.build(board, new Map([['counter.elf', counterElf]]), { onSerialOutput: (_u, b) => out.push(b) });
    const firstOut: number[] = [];
    const first = build(firstOut);
    first.run(3_333_333);
    const snapshot = structuredClone(first.snapshot());
    const printedBefore = firstOut.length;
    first.run(5_000_000);
    const secondOut: number[] = [];
    const second = build(secondOut);
    second.run(1234); // somewhere else entirely
    second.restore(snapshot);
    expect(second.instructions).toBe(3_333_333);
    second.run(5_000_000);
    expect(String.fromCharCode(...secondOut.slice(-20))).toBe(String.fromCharCode(...firstOut.slice(-20)));
    expect(secondOut.slice(secondOut.length - (firstOut.length - printedBefore))).toEqual(firstOut.slice(printedBefore));
    expect(second.clock.now()).toBe(first.clock.now());
    expect(second.instructions).toBe(first.instructions);
    expect(second.cpu('/machine/cpu0')!.pc).toBe(first.cpu('/machine/cpu0')!.pc);
  });

  it('refuses a snapshot of another board, naming what is missing', () => {
    const other = resolved({ ...boardFromMachineType('riscv-virt'), objects: { uart1: { type: 'ns16550a' } }, memory: [{ map: 'uart1.regs', at: '0x10001000' }], images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }] });
    const snapshot = Machine.build(other, new Map([['p.bin', image([A.jal(0, 0)])]])).snapshot();
    const machine = virtWith(image([A.jal(0, 0)]));
    const changed = { ...snapshot, devices: { ...snapshot.devices } };
    delete changed.devices['/machine/uart0'];
    expect(() => machine.restore(changed)).toThrow('the snapshot has no state for /machine/uart0: it was taken from another board');
  });
});

describe('breakpoints', () => {
  it('a hart at one of its breakpoints stops the run there; the next run continues from it', () => {
    const machine = virtWith(image([A.addi(a0, a0, 1), A.addi(a0, a0, 1), A.addi(a0, a0, 1), ...finishWith(0x5555)]));
    const path = machine.cpuPaths[0];
    const cpu = riscvCore(machine.cpu(path));
    cpu.breakpoints.add(0x80000004);
    machine.run(1_000_000);
    expect(machine.stoppedAtBreakpoint).toBe(path);
    expect(cpu.pc).toBe(0x80000004);
    expect(cpu.x[a0]).toBe(1);
    expect(machine.halted).toBe(false);
    const before = machine.instructions;
    machine.run(1);
    expect(machine.stoppedAtBreakpoint).toBeNull();
    expect(cpu.x[a0]).toBe(2);
    expect(machine.instructions).toBe(before + 1);
    machine.run(1_000_000);
    expect(machine.stoppedAtBreakpoint).toBeNull();
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
  });

  it('the other harts run their share of every round while one stops at a breakpoint again and again', () => {
    const board = resolved({ ...boardFromMachineType('riscv-virt', { harts: 2 }), images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }] });
    const machine = Machine.build(board, new Map([['p.bin', image([A.addi(a0, a0, 1), A.jal(0, -4)])]]));
    const [first, second] = machine.cpuPaths.map((path) => riscvCore(machine.cpu(path)));
    first.breakpoints.add(0x80000000); // only hart 0 stops there
    for (let i = 0; i < 5; i++) {
      machine.run(1_000_000);
      expect(machine.stoppedAtBreakpoint).toBe(machine.cpuPaths[0]);
    }
    expect(first.x[a0]).toBe(4); // stopped before the addi five times; ran it on each of the four continues
    expect(second.x[a0]).toBeGreaterThan(1000);
  });
});

describe('device capabilities', () => {
  /** A board of its own: no machine type, devices under names the machine cannot guess. */
  function capabilityBoard(objects: Record<string, unknown>, memory: unknown[], program: Uint8Array, output?: Array<[string, number]>): Machine {
    const board = resolved({
      boardlab: 1,
      name: 'capabilities',
      objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } }, ram: { type: 'ram', props: { size: '1M' } }, ...objects },
      memory: [{ map: 'ram.mem', at: '0x80000000' }, ...memory],
      images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }],
    });
    return Machine.build(board, new Map([['p.bin', program]]), { onSerialOutput: output ? (path, byte) => output.push([path, byte]) : undefined });
  }

  it('finds serial ports and system control by what the devices offer, under any name', () => {
    const output: Array<[string, number]> = [];
    const program = image([...A.li(t0, 0x2000_1000), ...A.li(t1, 0x41), A.sb(t1, t0, 0), ...A.li(t0, 0x3000_0000), ...A.li(t1, 0x2a3333), A.sw(t1, t0, 0), A.jal(0, 0)]);
    const machine = capabilityBoard(
      { console: { type: 'ns16550a' }, aux: { type: 'ns16550a' }, stopper: { type: 'sifive-test' } },
      [{ map: 'console.regs', at: '0x20000000' }, { map: 'aux.regs', at: '0x20001000' }, { map: 'stopper.regs', at: '0x30000000' }],
      program,
      output,
    );
    expect(machine.serialPaths).toEqual(['/machine/console', '/machine/aux']);
    expect(machine.serialPort()).toBe(machine.serialPort('/machine/console'));
    expect(machine.serialPort('/machine/aux')).toBeDefined();
    expect(machine.serialPort('/machine/stopper')).toBeUndefined();
    machine.run(1000);
    expect(output).toEqual([['/machine/aux', 0x41]]);
    expect(machine.exit).toEqual({ kind: 'fail', code: 0x2a });
  });

  it("a hart's time CSR reads the CLINT its time-base links to, not the first one; without a link, virtual time", () => {
    // Set clint1's mtime to 0x50000000, then read the time CSR into a0.
    const program = image([...A.li(t0, 0x0201_bff8), ...A.li(t1, 0x5000_0000), A.sw(t1, t0, 0), A.csrr(a0, 0xc01), A.jal(0, 0)]);
    const timeRead = (timeBase: string | null) => {
      const machine = capabilityBoard(
        { clint0: { type: 'clint' }, clint1: { type: 'clint' }, cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000', 'time-base': timeBase } } },
        [{ map: 'clint0.regs', at: '0x2000000' }, { map: 'clint1.regs', at: '0x2010000' }],
        program,
      );
      machine.run(20);
      return riscvCore(machine.cpu('/machine/cpu0')).x[a0] >>> 0;
    };
    const linked = timeRead('clint1');
    expect(linked).toBeGreaterThanOrEqual(0x5000_0000);
    expect(linked).toBeLessThan(0x5000_0000 + 100);
    expect(timeRead('clint0')).toBeLessThan(100);
    expect(timeRead(null)).toBeLessThan(100);
  });

  it('gives a CPU exactly the extensions its props say: S without U is an error naming the CPU, not a silent change', () => {
    const board = resolved({ ...boardFromMachineType('riscv-virt'), objects: { ...boardFromMachineType('riscv-virt').objects } });
    const cpu = board.objects.find((o) => o.path === '/machine/cpu0')!;
    cpu.props.u = false;
    expect(() => Machine.build(board, new Map())).toThrow(/\/machine\/cpu0: .*supervisor mode \(s\) needs user mode \(u\)/);
  });

  it("checks an ELF image's machine against the machines its CPU's core accepts", () => {
    const arm = helloElf.slice();
    arm[18] = 40; // e_machine: ARM
    const board = resolved({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    expect(() => Machine.build(board, new Map([['fw.elf', arm]]))).toThrow('image fw.elf: an ELF file for ARM (EM_ARM), but its CPU cpu0 (rv32) is RISC-V, which runs RISC-V (EM_RISCV) images');
    let caught: unknown;
    try {
      Machine.build(board, new Map([['fw.elf', arm]]));
    } catch (error) {
      caught = error;
    }
    // The hint travels with the error to the page's problem list (workers/problems.ts).
    expect(caught).toBeInstanceOf(MachineError);
    {
      expect((caught as MachineError).hint).toMatch(/^Build the image for RISC-V \(riscv64-unknown-elf-gcc .*\), or run it on a CPU that runs ARM \(EM_ARM\) images \(a board that extends mps2-an385@1\.0\)\.$/);
    }
  });
});

describe('where a core starts', () => {
  const entryOf = (elf: Uint8Array) => new DataView(elf.buffer, elf.byteOffset).getUint32(E_ENTRY, true);

  it('a Cortex-M core boots from its vector table, as QEMU does, even when the ELF entry point says otherwise', () => {
    // hello.elf with e_entry moved to main: the vector table (word 1 at address 0) still says reset_handler.
    const patched = armHelloElf.slice();
    const main = SymbolTable.fromElf(armHelloElf).valueOf('main')! | 1;
    new DataView(patched.buffer).setUint32(E_ENTRY, main, true);
    expect(entryOf(armHelloElf)).not.toBe(main);
    const run = (elf: Uint8Array) => {
      const output: number[] = [];
      const machine = Machine.build(resolved({ ...boardFromMachineType('mps2-an385'), images: [{ cpu: 'cpu0', file: 'fw.elf' }] }), new Map([['fw.elf', elf]]), { onSerialOutput: (_, byte) => output.push(byte) });
      const resetHandler = (machine.space().load(4, 4) & ~1) >>> 0;
      const cpu = machine.cpu('/machine/cpu0')!;
      const startPc = cpu.pc;
      for (let i = 0; i < 20 && output.length < 20; i++) machine.run(100_000);
      machine.reset();
      return { resetHandler, startPc, pcAfterReset: cpu.pc, output: String.fromCharCode(...output) };
    };
    const original = run(armHelloElf);
    const moved = run(patched);
    expect(moved.startPc).toBe(moved.resetHandler);
    expect(moved.startPc).not.toBe(main & ~1);
    expect(moved.pcAfterReset).toBe(moved.resetHandler);
    expect(moved.output).toMatch(/^Hello/);
    expect(moved).toEqual(original);
  });

  it('a RISC-V hart starts at its ELF entry point', () => {
    const board = resolved({
      boardlab: 1,
      name: 'entry',
      // a reset vector that is not the entry point, so the test tells them apart
      objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80080000' } }, ram: { type: 'ram', props: { size: '1M' } } },
      memory: [{ map: 'ram.mem', at: '0x80000000' }],
      images: [{ cpu: 'cpu0', file: 'fw.elf' }],
    });
    const machine = Machine.build(board, new Map([['fw.elf', helloElf]]));
    expect(entryOf(helloElf)).not.toBe(0x8008_0000);
    expect(machine.cpu('/machine/cpu0')!.pc).toBe(entryOf(helloElf));
    machine.reset();
    expect(machine.cpu('/machine/cpu0')!.pc).toBe(entryOf(helloElf));
  });
});
