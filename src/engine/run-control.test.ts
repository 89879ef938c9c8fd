import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard, type BoardDocument, type ResolvedBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import { ControllerError } from './controller-error.ts';
import { RunController, type ControllerEvent } from './run-control.ts';
import { Machine } from './machine.ts';

const { t0, t1, t2 } = A.Reg;
const helloDocument = JSON.parse(readFileSync(new URL('../../examples/hello.board.json', import.meta.url), 'utf8')) as BoardDocument;
const helloElf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));
const CLOCK = 1_700_000_000_123_456;
const clock = () => CLOCK;

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

function words(list: Array<number | number[]>): Uint8Array {
  const flat = list.flat();
  const bytes = new Uint8Array(flat.length * 4);
  flat.forEach((w, i) => new DataView(bytes.buffer).setUint32(i * 4, w >>> 0, true));
  return bytes;
}

/** hello.board.json, built, with a controller recording its events. */
function hello(startPaused = true) {
  const board = resolved(helloDocument);
  const machine = Machine.build(board, new Map([['firmware/hello.elf', helloElf]]));
  const controller = RunController.forMachine(machine, board, helloDocument, { startPaused, clock });
  const events: ControllerEvent[] = [];
  controller.onEvent((e) => events.push(e));
  return { controller, machine, events };
}

function runToEnd(controller: RunController): void {
  for (let i = 0; i < 1000 && controller.status === 'running'; i++) controller.runSlice(1_000_000);
}

describe('run control, as QEMU reports it', () => {
  it('starts in prelaunch with -S; stop does nothing there; cont resumes', () => {
    const { controller, events } = hello();
    expect(controller.status).toBe('prelaunch');
    controller.stop();
    expect(controller.status).toBe('prelaunch');
    expect(controller.runSlice(1000)).toBe(0);
    controller.cont();
    controller.cont();
    expect(controller.status).toBe('running');
    expect(events).toEqual([{ event: 'RESUME', timestamp: { seconds: 1_700_000_000, microseconds: 123_456 } }]);
  });

  it('stop pauses a running machine (STOP), system_reset leaves a paused one in prelaunch (RESET)', () => {
    const { controller, events } = hello(false);
    expect(controller.status).toBe('running');
    controller.stop();
    controller.stop();
    expect(controller.status).toBe('paused');
    controller.systemReset();
    expect(controller.status).toBe('prelaunch');
    expect(events.map((e) => e.event)).toEqual(['STOP', 'RESET']);
    expect(events[1]).toMatchObject({ data: { guest: false, reason: 'host-qmp-system-reset' } });
  });

  it('a guest that finishes shuts the machine down; cont then needs a reset', () => {
    const { controller, machine, events } = hello(false);
    runToEnd(controller);
    expect(controller.status).toBe('shutdown');
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(events).toEqual([{ event: 'SHUTDOWN', timestamp: expect.any(Object), data: { guest: true, reason: 'guest-shutdown' } }]);
    expect(() => controller.cont()).toThrow('Resetting the Virtual Machine is required');
    controller.systemReset();
    expect(controller.status).toBe('prelaunch');
    controller.cont();
    runToEnd(controller);
    expect(controller.status).toBe('shutdown');
  });

  it('a guest reset through the finisher is a RESET event', () => {
    // Reset once (a flag in RAM survives the reset), then finish with pass.
    const flag = 0x80001000;
    const program = words([...A.li(t0, flag), A.lw(t2, t0, 0), A.bne(t2, 0, 20), ...A.li(t1, 1), A.sw(t1, t0, 0), ...A.li(t0, 0x100000), ...A.li(t1, 0x7777), A.sw(t1, t0, 0), A.jal(0, 0)]);
    const passAt = program.length;
    const finish = words([...A.li(t0, 0x100000), ...A.li(t1, 0x5555), A.sw(t1, t0, 0), A.jal(0, 0)]);
    // bne jumps over the reset to the pass code placed right after it.
    const board = resolved({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }] });
    const bytes = new Uint8Array(passAt + finish.length);
    bytes.set(program);
    bytes.set(finish, passAt);
    // Patch the branch to land on the pass code.
    const branchAt = A.li(t0, flag).length * 4 + 4;
    new DataView(bytes.buffer).setUint32(branchAt, A.bne(t2, 0, passAt - branchAt) >>> 0, true);
    const machine = Machine.build(board, new Map([['p.bin', bytes]]));
    const controller = RunController.forMachine(machine, board, boardFromMachineType('riscv-virt'), { clock });
    const events: ControllerEvent[] = [];
    controller.onEvent((e) => events.push(e));
    runToEnd(controller);
    expect(events.map((e) => (e.event === 'RESET' || e.event === 'SHUTDOWN' ? `${e.event} ${e.data.reason}` : e.event))).toEqual(['RESET guest-reset', 'SHUTDOWN guest-shutdown']);
  });

  it('a guest that only traps is not a reset', () => {
    const board = resolved(boardFromMachineType('riscv-virt'));
    const machine = Machine.build(board, new Map());
    const controller = RunController.forMachine(machine, board, boardFromMachineType('riscv-virt'), { clock });
    const events: ControllerEvent[] = [];
    controller.onEvent((e) => events.push(e));
    // The first slice stops where the trap loop is caught; the loop goes on in the next ones.
    expect(controller.runSlice(2000)).toBeLessThan(2000);
    expect(machine.stoppedAtFault).toBe('/machine/cpu0');
    expect(controller.runSlice(2000)).toBe(2000);
    expect(events).toEqual([]);
  });

  it('quit is a SHUTDOWN event at the host’s request', () => {
    const { controller, events } = hello();
    controller.quit();
    expect(controller.quitRequested).toBe(true);
    expect(controller.status).toBe('shutdown');
    expect(events[0]).toMatchObject({ event: 'SHUTDOWN', data: { guest: false, reason: 'host-qmp-quit' } });
  });

  it('changed() resolves at the next transition, so a paused run loop waits without spinning', async () => {
    const { controller } = hello();
    let woke = false;
    const waiting = controller.changed().then(() => (woke = true));
    await Promise.resolve();
    expect(woke).toBe(false);
    controller.cont();
    await waiting;
    expect(woke).toBe(true);
  });

  it('a host that runs the machine itself: resetMachine carries out resets, noteGuestRun reports the guest', () => {
    const board = resolved(helloDocument);
    const machine = Machine.build(board, new Map([['firmware/hello.elf', helloElf]]));
    const resets: string[] = [];
    const controller = RunController.forMachine(machine, board, helloDocument, { clock, resetMachine: (_m, cause) => resets.push(cause) });
    const events: ControllerEvent[] = [];
    controller.onEvent((e) => events.push(e));
    machine.run(1000);
    const retired = machine.instructions;
    controller.systemReset();
    controller.systemReset('host-ui');
    // The host decides when the machine resets: the controller only announced it.
    expect(resets).toEqual(['host-qmp-system-reset', 'host-ui']);
    expect(machine.instructions).toBe(retired);
    expect(events.map((e) => ('data' in e ? `${e.event}:${(e.data as { reason?: string }).reason}` : e.event))).toEqual(['RESET:host-qmp-system-reset', 'RESET:host-ui']);
    // The host ran the guest to its end outside runSlice: noteGuestRun turns that into SHUTDOWN, once.
    while (!machine.halted) machine.run(1_000_000);
    controller.noteGuestRun();
    controller.noteGuestRun();
    expect(controller.status).toBe('shutdown');
    expect(events.at(-1)).toEqual({ event: 'SHUTDOWN', timestamp: expect.any(Object), data: { guest: true, reason: 'guest-shutdown' } });
    expect(events.filter((e) => e.event === 'SHUTDOWN')).toHaveLength(1);
  });
});

describe('the preconfig phase: a machine built as data', () => {
  const empty: BoardDocument = { boardlab: 1, name: 'qmp', objects: {} };
  const loadImages = async (files: readonly string[]) => new Map(files.map((f) => [f, helloElf]));

  it('refuses run control before the machine exists, with QEMU’s message', () => {
    const controller = RunController.preconfig(empty, { clock });
    expect(controller.status).toBe('preconfig');
    expect(() => controller.stop()).toThrow("The command 'stop' is permitted only after machine initialization has completed");
    expect(() => controller.systemReset()).toThrow(ControllerError);
  });

  it('builds the board edited in the preconfig phase on x-exit-preconfig, then refuses edits', async () => {
    const controller = RunController.preconfig(empty, { clock, loadImages, startPaused: true });
    const board = controller.preconfigBoard;
    board.addObject('rv32', 'cpu0', { 'reset-vector': '0x80000000' });
    board.addObject('ram', 'ram', { size: '128M' });
    board.addObject('ns16550a', 'uart0');
    board.addObject('sifive-test', 'test');
    board.addMapping({ map: 'test.regs', at: '0x100000' });
    board.addMapping({ map: 'uart0.regs', at: '0x10000000' });
    board.addMapping({ map: 'ram.mem', at: '0x80000000' });
    board.addResetWire({ from: 'test.system-reset', to: 'board' });
    board.addImage({ cpu: 'cpu0', file: 'firmware/hello.elf' });
    await controller.exitPreconfig();
    expect(controller.status).toBe('prelaunch');
    expect(controller.document).toEqual(board.document);
    expect(() => controller.preconfigBoard).toThrow('The command is permitted only before machine initialization');
    await expect(controller.exitPreconfig()).rejects.toThrow('The command is permitted only before machine initialization');
    controller.cont();
    runToEnd(controller);
    expect(controller.machine?.exit).toEqual({ kind: 'pass', code: 0 });
  });

  it('x-exit-preconfig with problems lists them and stays in preconfig', async () => {
    const controller = RunController.preconfig(empty, { clock, loadImages });
    controller.preconfigBoard.addObject('rv32', 'cpu0');
    await expect(controller.exitPreconfig()).rejects.toThrow(/^The board has 1 problem: CPU cpu0 starts at 0x80000000, where no memory is mapped/);
    expect(controller.status).toBe('preconfig');
  });

  it('removing an object is DEVICE_DELETED, after the answer, components first', async () => {
    const controller = RunController.preconfig({ ...boardFromMachineType('riscv-virt'), objects: { uart1: { type: 'ns16550a' } }, memory: [{ map: 'uart1.regs', at: '0x10001000' }], irqs: [{ from: 'uart1.irq', to: 'plic.in[11]' }] }, { clock });
    const events: ControllerEvent[] = [];
    controller.onEvent((e) => events.push(e));
    expect(controller.preconfigBoard.removeObject('uart1')).toEqual(['/machine/uart1']);
    expect(events).toEqual([]);
    await Promise.resolve();
    expect(events).toEqual([{ event: 'DEVICE_DELETED', timestamp: { seconds: 1_700_000_000, microseconds: 123_456 }, data: { device: 'uart1', path: '/machine/uart1' } }]);
    expect(controller.document).toEqual({ ...boardFromMachineType('riscv-virt'), objects: {} });
    expect(() => controller.preconfigBoard.removeObject('nope')).toThrow("Device 'nope' not found");
    await Promise.resolve();
    expect(events).toHaveLength(1);
  });
});
