import { describe, expect, it } from 'vitest';
import { resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import { irqSlotHigh, irqSlotRises } from './activity.ts';
import { lbu, li, lw, Program, Reg, sb, sw, wfi } from './cpu/riscv/asm.ts';
import { Button } from './devices/button.ts';
import { Machine } from './machine.ts';

const { zero, t0, t1, t2 } = Reg;
const UART = 0x1000_0000;
const RAM = 0x8000_0000;

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** A small board: two buttons (one to an LED, one to the PLIC), a UART to the PLIC, RAM with `program`. */
function machineWith(program: Uint8Array): { machine: Machine; board: ResolvedBoard } {
  const board = resolved({
    boardlab: 1,
    name: 'activity',
    objects: {
      cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
      ram: { type: 'ram', props: { size: '64K' } },
      uart0: { type: 'ns16550a' },
      plic: { type: 'plic' },
      button0: { type: 'button' },
      button1: { type: 'button' },
      led0: { type: 'led' },
    },
    memory: [
      { map: 'plic.regs', at: '0x0c000000' },
      { map: 'uart0.regs', at: '0x10000000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    irqs: [
      { from: 'button0.out', to: 'led0.in' },
      { from: 'button1.out', to: 'plic.in[3]' },
      { from: 'uart0.irq', to: 'plic.in[10]' },
    ],
    images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }],
  });
  return { machine: Machine.build(board, new Map([['p.bin', program]])), board };
}

/** Index in board.irqs of the wire from `object`.`port` (line 0). */
const wireOf = (board: ResolvedBoard, from: string) => board.irqs.findIndex((w) => `${w.source.object}.${w.source.port}` === `/machine/${from}`);
const mappingOf = (board: ResolvedBoard, object: string) => board.memory.findIndex((m) => m.object === `/machine/${object}`);

/** Writes "hi!" to the UART, then spins in place. */
function printer(): Uint8Array {
  const p = new Program(RAM);
  p.i(li(t0, UART));
  for (const byte of [0x68, 0x69, 0x21]) p.i(li(t1, byte), sb(t1, t0, 0));
  p.label('spin').jal(zero, 'spin');
  return p.bytes();
}

describe('IRQ wire activity', () => {
  it('sets the slot of exactly the wire whose line is raised, and clears it when lowered', () => {
    const { machine, board } = machineWith(printer());
    const button1 = machine.devices.get('/machine/button1') as Button;
    const wire = wireOf(board, 'button1.out');
    expect(wire).toBeGreaterThanOrEqual(0);
    expect([...machine.activitySnapshot().irqWires]).toEqual([0, 0, 0]);

    button1.setPressed(true);
    const raised = machine.activitySnapshot().irqWires;
    expect(raised.findIndex((slot) => irqSlotHigh(slot))).toBe(wire);
    expect(raised.filter((slot) => slot !== 0)).toHaveLength(1);
    expect(irqSlotRises(raised[wire])).toBe(1);

    button1.setPressed(false);
    const lowered = machine.activitySnapshot().irqWires;
    expect(irqSlotHigh(lowered[wire])).toBe(false);
    // The rise stays counted, so a reader that looked only now still learns the line was raised.
    expect(irqSlotRises(lowered[wire])).toBe(1);
    expect(lowered.filter((_, i) => i !== wire).every((slot) => slot === 0)).toBe(true);
  });

  it('writes into an observer\'s arrays from their current state, and stops when told', () => {
    const { machine, board } = machineWith(printer());
    const button0 = machine.devices.get('/machine/button0') as Button;
    const wire = wireOf(board, 'button0.out');
    button0.setPressed(true); // before anyone observes
    const target = { irqWires: new Int32Array(board.irqs.length), mappingHits: new Int32Array(board.memory.length) };
    machine.observeActivity(target);
    expect(irqSlotHigh(target.irqWires[wire])).toBe(true);
    button0.setPressed(false);
    button0.setPressed(true);
    expect(irqSlotRises(target.irqWires[wire])).toBe(2);

    machine.observeActivity(undefined);
    button0.setPressed(false);
    expect(irqSlotHigh(target.irqWires[wire])).toBe(true); // no longer written
    expect(irqSlotHigh(machine.activitySnapshot().irqWires[wire])).toBe(false);
  });

  it('records a device raising its line as the guest runs (UART receive interrupt)', () => {
    // Enable the UART's receive interrupt, then spin.
    const p = new Program(RAM);
    p.i(li(t0, UART), li(t1, 1), sb(t1, t0, 1));
    p.label('spin').jal(zero, 'spin');
    const { machine, board } = machineWith(p.bytes());
    const wire = wireOf(board, 'uart0.irq');
    machine.run(100);
    expect(machine.activitySnapshot().irqWires[wire]).toBe(0);
    machine.serialPort()!.receive([0x61]);
    expect(irqSlotHigh(machine.activitySnapshot().irqWires[wire])).toBe(true);
    expect(irqSlotHigh(machine.activitySnapshot().irqWires[wireOf(board, 'button1.out')])).toBe(false);
  });
});

describe('memory mapping activity', () => {
  it('counts every MMIO access of a region, and samples instruction fetch per run quantum', () => {
    const { machine, board } = machineWith(printer());
    const uart = mappingOf(board, 'uart0');
    const plic = mappingOf(board, 'plic');
    const ram = mappingOf(board, 'ram');
    machine.run(1000);
    const hits = machine.activitySnapshot().mappingHits;
    expect(hits[uart]).toBe(3); // three stores to the transmit register
    expect(hits[plic]).toBe(0); // never touched
    expect(hits[ram]).toBeGreaterThanOrEqual(1); // the hart ran from RAM
    machine.run(1000);
    const later = machine.activitySnapshot().mappingHits;
    expect(later[ram]).toBeGreaterThan(hits[ram]);
    expect(later[uart]).toBe(3);
    expect(later[plic]).toBe(0);
  });

  it('counts RAM data accesses the CPU makes through the bus (the first after switching regions)', () => {
    // Read the UART's line status, then store to and load from RAM: the first RAM data access goes
    // through the address space, later ones through the CPU's fast path.
    const data = RAM + 0x1000;
    const p = new Program(RAM);
    p.i(li(t0, UART), lbu(t2, t0, 5), li(t1, data), sw(t2, t1, 0), lw(t2, t1, 0));
    p.label('spin').jal(zero, 'spin');
    const { machine, board } = machineWith(p.bytes());
    machine.run(1000);
    const hits = machine.activitySnapshot().mappingHits;
    // one fetch sample + at least the first store that went through the bus
    expect(hits[mappingOf(board, 'ram')]).toBeGreaterThanOrEqual(2);
    expect(hits[mappingOf(board, 'uart0')]).toBe(1);
  });

  it('counts nothing for a hart that waits for an interrupt', () => {
    const p = new Program(RAM);
    p.label('sleep').i(wfi()).jal(zero, 'sleep');
    const { machine, board } = machineWith(p.bytes());
    machine.run(1000);
    const before = machine.activitySnapshot().mappingHits[mappingOf(board, 'ram')];
    expect(machine.idle).toBe(true);
    machine.run(1000);
    expect(machine.activitySnapshot().mappingHits[mappingOf(board, 'ram')]).toBe(before);
  });
});
