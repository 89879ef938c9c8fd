// The worker's Explainer (./explain.ts): device and core registers read without side effects, the
// trap log (named causes, handler symbols, a bounded ring), watches on memory and registers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as A from '../engine/cpu/riscv/asm.ts';
import { Machine } from '../engine/index.ts';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { Explainer, TRAP_BATCH, TRAP_LOG_SIZE } from './explain.ts';

const { zero, t0, t1 } = A.Reg;
const RAM = 0x8000_0000;
const UART_LSR = 5;

function board(images: Array<Record<string, unknown>>): ResolvedBoard {
  const result = parseBoard(
    JSON.stringify({
      boardlab: 1,
      name: 'explain-test',
      objects: {
        cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
        ram: { type: 'ram', props: { size: '1M' } },
        uart0: { type: 'ns16550a' },
        plic: { type: 'plic' },
        test: { type: 'sifive-test' },
      },
      memory: [
        { map: 'test.regs', at: '0x100000' },
        { map: 'uart0.regs', at: '0x10000000' },
        { map: 'plic.regs', at: '0xc000000' },
        { map: 'ram.mem', at: '0x80000000' },
      ],
      irqs: [{ from: 'uart0.irq', to: 'plic.in[10]' }, { from: 'plic.meip[0]', to: 'cpu0.meip' }],
      images,
    }),
    { platform: 'browser' },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.board;
}

/** Stores 0x1234 at RAM + 0x100, then takes an ecall `count` times (the handler skips it), then loops. */
function ecallProgram(count: number): A.Program {
  const p = new A.Program(RAM);
  p.la(t0, 'handler').i(A.csrw(0x305, t0), A.li(t0, RAM + 0x100), A.li(t1, 0x1234), A.sw(t1, t0, 0), A.li(t1, count));
  p.label('loop').label('ecall').i(A.ecall(), A.addi(t1, t1, -1));
  p.branch(A.bne, t1, zero, 'loop');
  p.label('done').jal(zero, 'done');
  p.label('handler').i(A.csrr(t0, 0x341), A.addi(t0, t0, 4), A.csrw(0x341, t0), A.mret());
  return p;
}

function setup(program: A.Program) {
  const resolved = board([{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }]);
  const images = new Map([['p.bin', program.bytes()]]);
  const machine = Machine.build(resolved, images);
  const explainer = new Explainer();
  explainer.attach(machine, resolved, images);
  return { machine, explainer };
}

const valueAt = (values: { region: string; offset: number; value: number | null }[], offset: number) => values.find((v) => v.offset === offset)?.value;

describe('Explainer', () => {
  it('reads a UART without taking its byte, and a PLIC claim without claiming', () => {
    const { machine, explainer } = setup(ecallProgram(1));
    machine.serialPort('/machine/uart0')!.receive([0x61]);
    for (let i = 0; i < 3; i++) {
      const uart = explainer.deviceRegisters('/machine/uart0')!;
      expect(uart.type).toBe('ns16550a');
      expect(valueAt(uart.values, 0)).toBe(0x61);
      expect(valueAt(uart.values, UART_LSR)! & 1).toBe(1);
    }
    expect(machine.space().load(0x1000_0000 + UART_LSR, 1) & 1).toBe(1); // still there for the guest
    const plic = explainer.deviceRegisters('/machine/plic')!;
    expect(plic.values.length).toBe(96 + 4 + 2 * 4 + 2 + 2); // priorities, pending words, enables, thresholds, claims
    expect(explainer.deviceRegisters('/machine/ram')).toBeNull(); // no registers
    expect(explainer.deviceRegisters('/machine/nothing')).toBeNull();
  });

  it('reads a hart’s CSRs by the layout: mcause and mepc after an ecall', () => {
    const program = ecallProgram(1);
    const { machine, explainer } = setup(program);
    machine.run(40);
    const core = explainer.coreRegisters('/machine/cpu0')!;
    expect(core.architecture).toBe('RISC-V');
    const value = (name: string) => core.values.find((v) => v.name === name)?.value;
    expect(value('mcause')).toBe(11);
    expect(value('mepc')).toBe(program.address('ecall') + 4); // the handler moved it past the ecall
    expect(value('mtvec')).toBe(program.address('handler'));
    expect(value('priv')).toBe(3);
    expect(explainer.coreRegisters('/machine/uart0')).toBeNull();
  });

  it('logs traps with named causes in a bounded ring, in batches after a sequence number', () => {
    const program = ecallProgram(TRAP_LOG_SIZE + 50);
    const { machine, explainer } = setup(program);
    for (let i = 0; i < 200 && machine.cpu('/machine/cpu0')!.pc !== program.address('done'); i++) machine.run(1000);
    const first = explainer.traps(0);
    expect(first.dropped).toBe(50);
    expect(first.entries.length).toBe(TRAP_BATCH);
    expect(first.entries[0]).toMatchObject({ seq: 50, cpu: '/machine/cpu0', causeName: 'environment call from M-mode', pc: program.address('ecall'), handler: program.address('handler') });
    let next = first.next;
    let count = first.entries.length;
    for (;;) {
      const batch = explainer.traps(next);
      if (batch.entries.length === 0) break;
      expect(batch.dropped).toBe(0);
      expect(batch.entries[0].seq).toBe(next);
      count += batch.entries.length;
      next = batch.next;
    }
    expect(count).toBe(TRAP_LOG_SIZE);
    expect(next).toBe(TRAP_LOG_SIZE + 50);
    explainer.clearTraps();
    expect(explainer.traps(0)).toEqual({ entries: [], next: TRAP_LOG_SIZE + 50, dropped: TRAP_LOG_SIZE + 50 });
  });

  it('names the handler by the firmware’s symbol', () => {
    const elf = new Uint8Array(readFileSync(new URL('../../public/firmware/echo.elf', import.meta.url)));
    const resolved = board([{ cpu: 'cpu0', file: 'echo.elf' }]);
    const images = new Map([['echo.elf', elf]]);
    const machine = Machine.build(resolved, images);
    const explainer = new Explainer();
    explainer.attach(machine, resolved, images);
    for (let i = 0; i < 100 && explainer.traps(0).entries.length === 0; i++) {
      machine.run(10_000);
      machine.serialPort('/machine/uart0')!.receive([0x61]);
    }
    const [trap] = explainer.traps(0).entries;
    expect(trap.causeName).toBe('machine external interrupt');
    expect(trap.handlerSymbol).toBe('trap_entry');
    expect(explainer.symbolAddress('trap_entry')).toBe(trap.handler);
  });

  it('watches RAM and registers, and refuses MMIO (a read there has side effects)', () => {
    const program = ecallProgram(1);
    const { machine, explainer } = setup(program);
    machine.run(40);
    const values = explainer.watchValues([
      { kind: 'memory', address: RAM + 0x100, size: 4 },
      { kind: 'memory', address: RAM + 0x100, size: 1 },
      { kind: 'register', cpu: '/machine/cpu0', register: 'pc' },
      { kind: 'register', cpu: '/machine/cpu0', register: 'x6' },
      { kind: 'memory', address: 0x1000_0000, size: 1 },
      { kind: 'register', cpu: '/machine/cpu0', register: 'nope' },
    ]);
    expect(values.slice(0, 4).map((v) => v.value)).toEqual([0x1234, 0x34, program.address('done'), 0]);
    expect(values[4].value).toBeNull();
    expect(values[4].reason).toContain('not RAM or ROM');
    expect(values[5]).toEqual({ value: null, reason: '/machine/cpu0 has no register nope' });
  });
});
