import { afterEach, describe, expect, it } from 'vitest';
import { Button } from '../engine/devices/button.ts';
import { Machine } from '../engine/machine.ts';
import { resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import { ActivityPublisher, ActivityReader, createActivityBuffer, MAX_IRQ_WIRES } from './activity.ts';
import { createBoardIo, TerminalInput } from './board-io.ts';
import { createControl, requestRun } from './control.ts';
import { Runner } from './runner.ts';
import { createSerialRingBuffer } from './serial-ring.ts';
import { echoBoard, echoProgram } from './test-programs.ts';
import { until, yieldToEventLoop } from './run-loop-testing.ts';

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/** The echo test board plus two buttons wired to LEDs (so there are several wires to tell apart). */
function buttonsBoard(): ResolvedBoard {
  const echo = echoBoard('echo.bin') as { objects: Record<string, unknown>; irqs: unknown[] };
  return resolved({
    ...echo,
    objects: { ...echo.objects, b0: { type: 'button' }, b1: { type: 'button' }, l0: { type: 'led' }, l1: { type: 'led' } },
    irqs: [{ from: 'b0.out', to: 'l0.in' }, ...echo.irqs, { from: 'b1.out', to: 'l1.in' }],
  });
}

const build = (board: ResolvedBoard) => Machine.build(board, new Map([['echo.bin', echoProgram(0x8000_0000)]]));

describe('shared activity words', () => {
  it('carry the level of exactly the wire whose line the device drives', () => {
    const board = buttonsBoard();
    const machine = build(board);
    const buffer = createActivityBuffer();
    const publisher = new ActivityPublisher(buffer);
    const reader = new ActivityReader(buffer);
    publisher.attach(machine);
    const b1 = machine.devices.get('/machine/b1') as Button;
    const wire = board.irqs.findIndex((w) => w.source.object === '/machine/b1');
    const levels = () => board.irqs.map((_, i) => reader.irqSlot(i) & 1);

    expect(levels()).toEqual([0, 0, 0]);
    b1.setPressed(true);
    expect(levels()).toEqual(board.irqs.map((_, i) => (i === wire ? 1 : 0)));
    b1.setPressed(false);
    expect(levels()).toEqual([0, 0, 0]);
    expect(reader.irqSlot(wire) >>> 1).toBe(1); // it rose once
  });

  it('carry memory hits of the running guest: its UART (MMIO) and its RAM (fetch)', () => {
    const board = resolved(echoBoard('echo.bin'));
    const machine = build(board);
    const io = createBoardIo();
    const publisher = new ActivityPublisher(io.activity);
    const reader = new ActivityReader(io.activity);
    publisher.attach(machine);
    machine.run(10_000); // prints the prompt, enables the receive interrupt, sleeps
    const uart = board.memory.findIndex((m) => m.object === '/machine/uart0');
    const ram = board.memory.findIndex((m) => m.object === '/machine/ram');
    const test = board.memory.findIndex((m) => m.object === '/machine/test');
    expect(reader.mappingHits(uart)).toBeGreaterThanOrEqual('echo> '.length);
    expect(reader.mappingHits(ram)).toBeGreaterThan(0);
    expect(reader.mappingHits(test)).toBe(0);

    // A key: the UART raises its interrupt, the guest wakes, reads and echoes it.
    const irq = board.irqs.findIndex((w) => w.source.object === '/machine/uart0');
    const uartHits = reader.mappingHits(uart);
    machine.serialPort()!.receive([0x61]);
    expect(reader.irqSlot(irq) & 1).toBe(1);
    machine.run(10_000);
    expect(reader.irqSlot(irq) & 1).toBe(0); // the guest took the byte: line low again
    expect(reader.irqSlot(irq) >>> 1).toBe(1);
    expect(reader.mappingHits(uart)).toBeGreaterThan(uartHits);
  });

  it('start cleared for a new machine, and the old one stops writing them', () => {
    const board = buttonsBoard();
    const first = build(board);
    const second = build(board);
    const buffer = createActivityBuffer();
    const publisher = new ActivityPublisher(buffer);
    const reader = new ActivityReader(buffer);
    publisher.attach(first);
    (first.devices.get('/machine/b0') as Button).setPressed(true);
    const wire = board.irqs.findIndex((w) => w.source.object === '/machine/b0');
    expect(reader.irqSlot(wire)).toBe(3);

    publisher.attach(second);
    expect(reader.irqSlot(wire)).toBe(0);
    (first.devices.get('/machine/b0') as Button).setPressed(false);
    (first.devices.get('/machine/b0') as Button).setPressed(true);
    expect(reader.irqSlot(wire)).toBe(0);
    (second.devices.get('/machine/b0') as Button).setPressed(true);
    expect(reader.irqSlot(wire)).toBe(3);
  });

  it('read as 0 past their capacity', () => {
    const reader = new ActivityReader(createActivityBuffer());
    expect(reader.irqSlot(MAX_IRQ_WIRES)).toBe(0);
    expect(reader.irqSlot(-1)).toBe(0);
  });
});

describe('the runner', () => {
  const runners: Runner[] = [];
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
  });

  it('publishes the loaded machine\'s activity through the board I/O buffers, and only the current machine\'s', async () => {
    const control = createControl();
    const io = createBoardIo();
    const runner = new Runner(
      control,
      createSerialRingBuffer(),
      (board, images, onSerialOutput) => Machine.build(board, images, { sharesGuestMemory: true, onSerialOutput }),
      { yieldToEventLoop },
      io,
    );
    runners.push(runner);
    runner.start();
    const reader = new ActivityReader(io.activity);
    const board = resolved(echoBoard('echo.bin'));
    const images = new Map([['echo.bin', echoProgram(0x8000_0000)]]);
    expect(runner.load(board, images).ok).toBe(true);
    requestRun(control);
    const uart = board.memory.findIndex((m) => m.object === '/machine/uart0');
    const irq = board.irqs.findIndex((w) => w.source.object === '/machine/uart0');
    await until(() => reader.mappingHits(uart) >= 'echo> '.length, 'the prompt to touch the UART');
    new TerminalInput(io.input, control).send(new TextEncoder().encode('k'));
    await until(() => reader.irqSlot(irq) >>> 1 === 1, 'the UART interrupt to rise');

    // Another board: its words start cleared.
    const quiet = resolved({ ...echoBoard('echo.bin'), irqs: [] });
    expect(runner.load(quiet, images).ok).toBe(true);
    expect(reader.irqSlot(irq)).toBe(0);
  });
});
