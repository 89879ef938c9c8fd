// Breakpoints and disassembly through the run loop, on the real engine: a hart that reaches a
// breakpoint pauses the guest there (DESIRED = PAUSE in the control words, BREAK_SEQ bumped),
// Run continues past it, Step from it works, and the listing around the pc reads like objdump.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import * as A from '../engine/cpu/riscv/asm.ts';
import { Machine } from '../engine/index.ts';
import { SymbolTable } from '../graph/elf-symbols.ts';
import { parseBoard, type ResolvedBoard } from '../graph/index.ts';
import { createControl, Desired, readControl, requestPause, requestReset, requestRun, requestStep, WorkerRunState } from './control.ts';
import { isCall } from '../engine/cpu/riscv/debug.ts';
import { GuestDebugger } from './debugger.ts';
import { Runner } from './runner.ts';
import { createSerialRingBuffer } from './serial-ring.ts';
import { until, yieldToEventLoop } from './run-loop-testing.ts';

const { zero, ra, sp, s0, s1, a0, t0 } = A.Reg;
const BASE = 0x8000_0000;
const HART = '/machine/cpu0';

/** Counts in s0 forever, calling `bump` (s1 += 1) on every turn; `loop` starts with a compressed addi. */
function countingProgram(): A.Program {
  const p = new A.Program(BASE);
  p.i(A.li(s0, 0), A.li(s1, 0));
  p.label('loop').c(A.cAddi(s0, 1));
  p.label('call').jal(ra, 'bump');
  p.label('back').jal(zero, 'loop');
  p.label('bump').i(A.addi(s1, s1, 1));
  p.label('return').i(A.jalr(zero, ra, 0));
  return p;
}

function board(images: Array<Record<string, unknown>>): ResolvedBoard {
  const result = parseBoard(
    JSON.stringify({
      boardlab: 1,
      name: 'debugger-test',
      objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } }, ram: { type: 'ram', props: { size: '1M' } }, test: { type: 'sifive-test' } },
      memory: [
        { map: 'test.regs', at: '0x100000' },
        { map: 'ram.mem', at: '0x80000000' },
      ],
      images,
    }),
    // Resolved as the page resolves boards for the worker: on the browser platform, RAM is shared.
    { platform: 'browser' },
  );
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.board;
}

const runners: Runner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.stop()));
});

function setup() {
  const control = createControl();
  let built: Machine | undefined;
  const runner = new Runner(control, createSerialRingBuffer(1 << 12), (b, images, onSerialOutput) => (built = Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput })), {
    yieldToEventLoop,
    burstMs: 5,
  });
  runners.push(runner);
  runner.start();
  const program = countingProgram();
  const load = () => runner.load(board([{ cpu: 'cpu0', file: 'count.bin', format: 'binary', at: '0x80000000' }]), new Map([['count.bin', program.bytes()]]));
  expect(load().ok).toBe(true);
  const pc = () => runner.registers()[0].pc;
  const register = (n: number) => runner.registers()[0].x[n];
  return { control, runner, program, load, pc, register, state: () => readControl(control), machine: () => built! };
}

describe('GuestDebugger in the run loop', () => {
  it('pauses the running guest exactly at a breakpoint, with the control words showing PAUSE', async () => {
    const t = setup();
    const bump = t.program.address('bump');
    expect(t.runner.debug.setBreakpoint(bump, true)).toEqual([bump]);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1, 'a breakpoint stop');
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    expect(t.state().desired).toBe(Desired.PAUSE);
    expect(t.pc()).toBe(bump);
    expect(t.register(s0)).toBe(1); // the loop's first addi ran
    expect(t.register(s1)).toBe(0); // the instruction at the breakpoint did not
    expect(t.runner.debug.lastStop()).toEqual({ hart: HART, address: bump, kind: 'breakpoint', instructions: t.state().instructions, seq: 1 });
    // Paused, it stays there.
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(t.pc()).toBe(bump);
    expect(t.state().breakSeq).toBe(1);
  });

  it('Run continues past the breakpoint and stops at it again on the next turn of the loop', async () => {
    const t = setup();
    const bump = t.program.address('bump');
    t.runner.debug.setBreakpoint(bump, true);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'first stop');
    const first = t.state().instructions;
    requestRun(t.control);
    await until(() => t.state().breakSeq === 2 && t.state().state === WorkerRunState.PAUSED, 'second stop');
    expect(t.pc()).toBe(bump);
    expect(t.register(s0)).toBe(2);
    expect(t.register(s1)).toBe(1);
    expect(t.state().instructions - first).toBe(5); // bump's addi, ret, j loop, c.addi, jal
    // Without the breakpoint it runs on.
    expect(t.runner.debug.setBreakpoint(bump, false)).toEqual([]);
    requestRun(t.control);
    await until(() => t.register(s1) > 1000, 'running on');
    expect(t.state().state).toBe(WorkerRunState.RUNNING);
    expect(t.state().breakSeq).toBe(2);
  });

  it('Step from a breakpoint runs the instruction there', async () => {
    const t = setup();
    const bump = t.program.address('bump');
    t.runner.debug.setBreakpoint(bump, true);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED && t.state().breakSeq === 1, 'stop');
    const before = t.state().instructions;
    requestStep(t.control);
    await until(() => t.state().instructions === before + 1, 'one step');
    expect(t.pc()).toBe(t.program.address('return'));
    expect(t.register(s1)).toBe(1);
    expect(t.state().breakSeq).toBe(1);
  });

  it('a Step that lands on a breakpoint: the next Step runs it, and so does Run', async () => {
    const t = setup();
    const call = t.program.address('call');
    requestStep(t.control); // li s0
    requestStep(t.control); // li s1
    requestStep(t.control); // c.addi: now at 'call'
    await until(() => t.state().instructions === 3 && t.state().state === WorkerRunState.PAUSED, 'three steps');
    expect(t.pc()).toBe(call);
    t.runner.debug.setBreakpoint(call, true); // a breakpoint where the guest is paused
    requestStep(t.control);
    await until(() => t.state().instructions === 4, 'a step over the breakpoint');
    expect(t.pc()).toBe(t.program.address('bump'));
    // Back to 'call' by steps (bump's addi, ret, j loop, c.addi), then Run: it leaves and comes round again.
    for (let i = 0; i < 4; i++) requestStep(t.control);
    await until(() => t.state().instructions === 8 && t.state().state === WorkerRunState.PAUSED, 'back at call');
    expect(t.pc()).toBe(call);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'the next stop');
    expect(t.pc()).toBe(call);
    expect(t.state().instructions).toBe(13); // jal, addi, ret, j, c.addi
  });

  it('keeps breakpoints across a reload and applies them to the new machine', async () => {
    const t = setup();
    const call = t.program.address('call');
    t.runner.debug.setBreakpoint(call, true);
    expect(t.load().ok).toBe(true);
    expect(t.runner.debug.lastStop()).toBeNull();
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED && t.state().breakSeq === 1, 'stop after reload');
    expect(t.pc()).toBe(call);
  });

  it('forgets breakpoints when another board is loaded (forgetBreakpoints), and the stop of the previous one', async () => {
    const t = setup();
    const call = t.program.address('call');
    t.runner.debug.setBreakpoint(call, true);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'the stop');
    expect(t.runner.debug.lastStop()).not.toBeNull();
    const other = board([{ cpu: 'cpu0', file: 'count.bin', format: 'binary', at: '0x80000000' }]);
    expect(t.runner.load(other, new Map([['count.bin', t.program.bytes()]]), { forgetBreakpoints: true }).ok).toBe(true);
    expect(t.runner.debug.breakpoints()).toEqual([]);
    expect(t.runner.debug.lastStop()).toBeNull();
    requestRun(t.control);
    await until(() => t.register(s1) > 100, 'running past the old breakpoint');
    expect(t.state().breakSeq).toBe(1);
  });

  it('a user Pause is not a breakpoint stop', async () => {
    const t = setup();
    t.runner.debug.setBreakpoint(0x8000_1000, true); // never reached
    requestRun(t.control);
    await until(() => t.register(s1) > 100, 'running');
    requestPause(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    expect(t.state().breakSeq).toBe(0);
    expect(t.runner.debug.lastStop()).toBeNull();
  });
});

describe('GuestDebugger with several harts', () => {
  it('names the hart that reached the breakpoint and lists the code around its pc', async () => {
    // Hart 0 spins; hart 1 branches to `second`, where the breakpoint is.
    const { t0 } = A.Reg;
    const p = new A.Program(BASE);
    p.i(A.csrr(t0, 0xf14)).branch(A.bne, t0, zero, 'second');
    p.label('spin').jal(zero, 'spin');
    p.label('second').i(A.addi(s1, s1, 1));
    p.label('again').jal(zero, 'second');
    const result = parseBoard(
      JSON.stringify({
        boardlab: 1,
        name: 'two-harts',
        objects: {
          cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000', 'hart-id': 0 } },
          cpu1: { type: 'rv32', props: { 'reset-vector': '0x80000000', 'hart-id': 1 } },
          ram: { type: 'ram', props: { size: '1M' } },
        },
        memory: [{ map: 'ram.mem', at: '0x80000000' }],
        images: [{ file: 'two.bin', format: 'binary', at: '0x80000000' }],
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const control = createControl();
    const runner = new Runner(control, createSerialRingBuffer(1 << 12), (b, images, onSerialOutput) => Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput }), { yieldToEventLoop });
    runners.push(runner);
    runner.start();
    expect(runner.load(result.board, new Map([['two.bin', p.bytes()]])).ok).toBe(true);
    const second = p.address('second');
    runner.debug.setBreakpoint(second, true);
    requestRun(control);
    await until(() => readControl(control).state === WorkerRunState.PAUSED && readControl(control).breakSeq === 1, 'stop on cpu1');
    expect(runner.debug.lastStop()?.hart).toBe('/machine/cpu1');
    const [cpu0, cpu1] = runner.registers();
    expect(cpu0.special).toBeUndefined(); // RISC-V's system registers are its CSRs: not in this panel
    expect(cpu1.pc).toBe(second);
    expect(cpu0.pc).toBe(p.address('spin'));
    const listing = runner.debug.disassemble('/machine/cpu1', undefined, 1, 2)!;
    expect(listing.lines.map((l) => l.text)).toEqual([`j\t${p.address('spin').toString(16)}`, 'add\ts1,s1,1', `j\t${second.toString(16)}`]);
  });
});

describe('GuestDebugger disassembly', () => {
  it('lists the instructions around the pc as objdump prints them', async () => {
    const t = setup();
    const bump = t.program.address('bump');
    t.runner.debug.setBreakpoint(bump, true);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED && t.state().breakSeq === 1, 'stop');
    const listing = t.runner.debug.disassemble(HART, undefined, 3, 3)!;
    expect(listing.pc).toBe(bump);
    const text = listing.lines.map((l) => `${l.address.toString(16)} ${l.bytes} ${l.text}`);
    const loop = t.program.address('loop');
    expect(text).toEqual([
      `${loop.toString(16)} 0405 add\ts0,s0,1`,
      `${t.program.address('call').toString(16)} ${hexWord(t.program, 'call')} jal\t${bump.toString(16)}`,
      `${t.program.address('back').toString(16)} ${hexWord(t.program, 'back')} j\t${loop.toString(16)}`,
      `${bump.toString(16)} 00148493 add\ts1,s1,1`,
      `${t.program.address('return').toString(16)} 00008067 ret`,
      `${(t.program.address('return') + 4).toString(16)} 0000 unimp`,
    ]);
    expect(listing.lines.every((l) => l.readable)).toBe(true);
  });

  it('marks addresses outside RAM and ROM as unreadable instead of throwing', () => {
    const t = setup();
    const listing = t.runner.debug.disassemble(HART, 0x4000_0000, 2, 4)!;
    expect(listing.lines.length).toBeGreaterThanOrEqual(4);
    expect(listing.lines.every((l) => !l.readable && l.bytes === '')).toBe(true);
    // MMIO is not read (a read could have side effects): the finisher shows as unreadable too.
    expect(t.runner.debug.disassemble(HART, 0x10_0000, 0, 1)!.lines[0].readable).toBe(false);
    expect(t.runner.debug.disassemble('/machine/nope', undefined, 2, 2)).toBeNull();
  });

  it('names lines and targets by the ELF symbols of the hart’s firmware', () => {
    const elf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));
    const symbols = SymbolTable.fromElf(elf);
    const main = symbols.valueOf('main')!;
    const control = createControl();
    const runner = new Runner(control, createSerialRingBuffer(1 << 12), (b, images, onSerialOutput) => Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput }), { yieldToEventLoop });
    runners.push(runner);
    expect(runner.load(board([{ cpu: 'cpu0', file: 'hello.elf' }]), new Map([['hello.elf', elf]])).ok).toBe(true);
    const listing = runner.debug.disassemble(HART, main, 2, 4)!;
    const mainLine = listing.lines.find((l) => l.address === main)!;
    expect(mainLine.labels).toContain('main');
    // A call into main from _start names its target.
    const start = runner.debug.disassemble(HART, symbols.valueOf('_start')!, 0, 40)!;
    expect(start.lines[0].labels).toContain('_start');
    expect(start.lines.some((l) => l.text.endsWith(`${main.toString(16)} <main>`))).toBe(true);
  });
});

/** The 32-bit instruction at a label, as objdump shows its bytes. */
function hexWord(program: A.Program, label: string): string {
  const bytes = program.bytes();
  const word = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(program.address(label) - program.base, true);
  return word.toString(16).padStart(8, '0');
}

describe('step over and run to here', () => {
  it('knows a call: jal/jalr linking through ra or t0, c.jal, c.jalr', () => {
    expect(isCall(A.jal(ra, 8))).toBe(true);
    expect(isCall(A.jalr(ra, a0, 0))).toBe(true);
    expect(isCall(A.jal(t0, 8))).toBe(true);
    expect(isCall(A.jal(zero, 8))).toBe(false); // j
    expect(isCall(A.jalr(zero, ra, 0))).toBe(false); // ret
    expect(isCall(0x2001)).toBe(true); // c.jal
    expect(isCall(0x9002 | (a0 << 7))).toBe(true); // c.jalr a0
    expect(isCall(0x8002 | (ra << 7))).toBe(false); // c.jr ra (ret)
    expect(isCall(0x9002)).toBe(false); // c.ebreak
    expect(isCall(A.addi(s0, s0, 1))).toBe(false);
  });

  it('steps over a call: the guest runs the callee and pauses after the call; the temporary breakpoint is gone', async () => {
    const t = setup();
    for (let i = 0; i < 3; i++) requestStep(t.control); // li, li, c.addi: at 'call'
    await until(() => t.state().instructions === 3 && t.state().state === WorkerRunState.PAUSED, 'at the call');
    expect(t.pc()).toBe(t.program.address('call'));
    expect(t.runner.debug.stepOver(HART)).toBe('run');
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'back from the call');
    expect(t.pc()).toBe(t.program.address('back'));
    expect(t.register(s1)).toBe(1); // bump ran
    expect(t.runner.debug.lastStop()).toMatchObject({ kind: 'step-over', address: t.program.address('back') });
    // Not a call: the caller steps instead.
    expect(t.runner.debug.stepOver(HART)).toBe('step');
    // Run on: nothing stops it any more.
    requestRun(t.control);
    await until(() => t.register(s1) > 1000, 'running on');
    expect(t.state().breakSeq).toBe(1);
  });

  it('runs to a line; a breakpoint on the way wins and ends the run to here', async () => {
    const t = setup();
    expect(t.runner.debug.runTo(HART, t.program.address('return'))).toBe(true);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'ran to the line');
    expect(t.pc()).toBe(t.program.address('return'));
    expect(t.runner.debug.lastStop()).toMatchObject({ kind: 'run-to' });

    // Run to 'return' again: the way round the loop passes 'bump' first, where a breakpoint is.
    t.runner.debug.setBreakpoint(t.program.address('bump'), true);
    t.runner.debug.runTo(HART, t.program.address('return'));
    requestRun(t.control);
    await until(() => t.state().breakSeq === 2 && t.state().state === WorkerRunState.PAUSED, 'the breakpoint');
    expect(t.pc()).toBe(t.program.address('bump'));
    expect(t.runner.debug.lastStop()).toMatchObject({ kind: 'breakpoint' });
    t.runner.debug.setBreakpoint(t.program.address('bump'), false);
    requestRun(t.control); // the run to 'return' ended with that stop: nothing stops it now
    await until(() => t.register(s1) > 1000, 'running on');
    expect(t.state().breakSeq).toBe(2);
  });

  it('a step over a recursive call stops in the frame that stepped, not where a deeper call returns', async () => {
    // rec(a0): s0 += 1; if (--a0 != 0) rec(a0); — three levels deep.
    const p = new A.Program(BASE);
    p.i(...A.li(sp, BASE + 0x1_0000), A.li(s0, 0), A.li(a0, 3));
    p.jal(ra, 'rec');
    p.label('spin').jal(zero, 'spin');
    p.label('rec').i(A.addi(sp, sp, -16), A.sw(ra, sp, 0), A.addi(s0, s0, 1), A.addi(a0, a0, -1));
    p.branch(A.beq, a0, zero, 'out');
    p.label('inner-call').jal(ra, 'rec');
    p.label('out').i(A.lw(ra, sp, 0), A.addi(sp, sp, 16), A.jalr(zero, ra, 0));
    const t = setup();
    expect(t.runner.load(board([{ cpu: 'cpu0', file: 'rec.bin', format: 'binary', at: '0x80000000' }]), new Map([['rec.bin', p.bytes()]])).ok).toBe(true);
    // To the recursive call in the first frame.
    t.runner.debug.runTo(HART, p.address('inner-call'));
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'at the inner call');
    expect(t.register(s0)).toBe(1);
    const frame = t.register(sp);
    expect(t.runner.debug.stepOver(HART)).toBe('run');
    requestRun(t.control);
    await until(() => t.state().breakSeq === 2 && t.state().state === WorkerRunState.PAUSED, 'stepped over');
    expect(t.pc()).toBe(p.address('out'));
    expect(t.register(sp)).toBe(frame); // the second frame returned here first, with a lower sp: it ran on
    expect(t.register(s0)).toBe(3);
  });
});


describe('GuestDebugger on an ARM machine (mps2-an385, firmware/arm/hello)', () => {
  function armSetup() {
    const elf = new Uint8Array(readFileSync(new URL('../../public/firmware/arm/hello.elf', import.meta.url)));
    const result = parseBoard(JSON.stringify({ boardlab: 1, name: 'arm-debugger-test', extends: 'mps2-an385', objects: {}, images: [{ cpu: 'cpu0', file: 'hello.elf' }] }), { platform: 'browser' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const control = createControl();
    const runner = new Runner(control, createSerialRingBuffer(1 << 12), (b, images, onSerialOutput) => Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput }), { yieldToEventLoop, burstMs: 5 });
    runners.push(runner);
    runner.start();
    expect(runner.load(result.board, new Map([['hello.elf', elf]])).ok).toBe(true);
    // A Thumb function's symbol value has bit 0 set (the Thumb bit); its code starts at the even address.
    const symbols = SymbolTable.fromElf(elf);
    const code = (name: string) => symbols.valueOf(name)! & ~1;
    return { runner, control, code, state: () => readControl(control) };
  }

  it('stops at a breakpoint on main, lists Thumb code as objdump prints it, and steps over a bl', async () => {
    const t = armSetup();
    const main = t.code('main');
    const putsCall = (text: string) => text.startsWith(`bl\t${t.code('uart_puts').toString(16)} <`);
    t.runner.debug.setBreakpoint(main, true);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED && t.state().breakSeq === 1, 'main');
    expect(t.runner.registers()[0]).toMatchObject({ pc: main, names: expect.arrayContaining(['r0', 'sp', 'lr']) });
    // The M-profile special registers beside r0–r15: in thread mode after reset (CONTROL 0: privileged,
    // on the MSP), so msp is sp; the Thumb bit set and IPSR 0; no mask set by this firmware.
    const special = t.runner.registers()[0].special!;
    expect(special.names).toEqual(['xpsr', 'msp', 'psp', 'primask', 'basepri', 'faultmask', 'control']);
    const value = (name: string) => special.values[special.names.indexOf(name)];
    expect(value('msp')).toBe(t.runner.registers()[0].x[13]);
    expect(value('xpsr') & 0x1ff).toBe(0);
    expect((value('xpsr') >>> 24) & 1).toBe(1);
    expect([value('control'), value('primask'), value('basepri'), value('faultmask')]).toEqual([0, 0, 0, 0]);
    const listing = t.runner.debug.disassemble(HART, undefined, 2, 16)!;
    expect(listing.pc).toBe(main);
    const lines = listing.lines.filter((l) => l.address >= main);
    expect(lines.every((l) => l.readable && !l.text.startsWith('.inst'))).toBe(true);
    // objdump's forms: 16-bit instructions as four hex digits, bl as two halfwords with its target
    expect(lines[0].bytes).toMatch(/^[0-9a-f]{4}$/);
    const call = lines.find((l) => putsCall(l.text));
    expect(call, lines.map((l) => `${l.address.toString(16)}: ${l.bytes}  ${l.text}`).join('\n')).toBeDefined();
    expect(call!.bytes).toMatch(/^f[0-7][0-9a-f]{2} [0-9a-f]{4}$/);

    // Run to the call, then step over it: uart_puts runs and the guest pauses after the bl.
    expect(t.runner.debug.runTo(HART, call!.address)).toBe(true);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 2 && t.state().state === WorkerRunState.PAUSED, 'at the call');
    expect(t.runner.registers()[0].pc).toBe(call!.address);
    expect(t.runner.debug.stepOver(HART)).toBe('run');
    requestRun(t.control);
    await until(() => t.state().breakSeq === 3 && t.state().state === WorkerRunState.PAUSED, 'after the call');
    expect(t.runner.debug.lastStop()).toMatchObject({ kind: 'step-over', address: call!.address + 4 });
  });
});

describe('GuestDebugger memory edits', () => {
  /** Little-endian bytes of one 32-bit instruction. */
  const word = (value: number) => new Uint8Array([value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff]);

  it('writes RAM while paused, and the CPUs run the new code (decoded code is dropped)', async () => {
    const t = setup();
    requestRun(t.control);
    await until(() => t.register(s1) > 10, 'bump has run (and been decoded)');
    requestPause(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    const bump = t.program.address('bump');
    // bump: addi s1,s1,1 becomes addi s1,s1,1000.
    expect(t.runner.debug.writeMemory(bump, word(A.addi(s1, s1, 1000)))).toEqual({ ok: true });
    const ram = t.runner.sharedMemory().find((m) => m.path === '/machine/ram')!;
    expect(new Uint8Array(ram.buffer, ram.byteOffset + bump - BASE, 4)).toEqual(word(A.addi(s1, s1, 1000)));
    // s0 counts the loop's turns; s1 gains what bump adds on each. On the compiling tier s1 passes
    // 2^31 within milliseconds, so the two are compared in 32-bit arithmetic, after a pause.
    const turnsBefore = t.register(s0);
    const before = t.register(s1);
    requestRun(t.control);
    await until(() => t.register(s0) - turnsBefore > 10, 'the new code running');
    requestPause(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED again');
    const turns = t.register(s0) - turnsBefore;
    const gained = (t.register(s1) - before) | 0;
    // Every turn added 1000 (the pause may fall between a turn's count and its bump: one turn
    // either way); had the old code run n turns, s1 would be short by 999·n.
    expect([-1000, 0, 1000]).toContain((gained - Math.imul(turns, 1000)) | 0);
  });

  it('refuses, saying why: while the guest runs, device registers, nothing mapped, past the end of RAM', async () => {
    const t = setup();
    requestRun(t.control);
    await until(() => t.register(s1) > 10, 'running');
    const refused = t.runner.debug.writeMemory(BASE, new Uint8Array([1]));
    expect(refused).toEqual({ ok: false, reason: 'the guest is running: pause it (Pause or Step) to change its memory' });
    requestPause(t.control);
    await until(() => t.state().state === WorkerRunState.PAUSED, 'PAUSED');
    expect(t.runner.debug.writeMemory(0x10_0000, new Uint8Array([0x55, 0x55, 0, 0]))).toEqual({
      ok: false,
      reason: "0x00100000 is in test.regs, a device's registers (MMIO): the memory view does not write them",
    });
    expect(t.state().state).toBe(WorkerRunState.PAUSED); // the finisher was not written
    expect(t.runner.debug.writeMemory(0x4000_0000, new Uint8Array([1]))).toEqual({ ok: false, reason: 'nothing is mapped at 0x40000000' });
    expect(t.runner.debug.writeMemory(BASE + 0x10_0000 - 2, new Uint8Array(4))).toEqual({ ok: false, reason: '4 bytes at 0x800ffffe run past the end of ram.mem' });
    expect(t.runner.debug.writeMemory(BASE, new Uint8Array([1]), 'cpu-local')).toEqual({ ok: false, reason: 'the machine has no address space "cpu-local"' });
  });

  it('shares each RAM region with the page by object and region: its block of the guest arena', () => {
    const t = setup();
    const shared = t.runner.sharedMemory();
    expect(shared.map((m) => [m.path, m.region, m.byteLength])).toEqual([['/machine/ram', 'mem', 0x10_0000]]);
    const [ram] = shared;
    const mapping = t.machine().space().findRam(BASE)!;
    expect(ram.byteOffset).toBe(mapping.arenaOffset);
    // The page's view and the hart's are the same bytes.
    mapping.i32[3] = 0x1234_5678;
    expect(new DataView(ram.buffer, ram.byteOffset).getUint32(12, true)).toBe(0x1234_5678);
  });
});

describe('GuestDebugger: breakpoints of one CPU (a heterogeneous board)', () => {
  /** Just enough of a core for breakpoints: the set the run loop checks, a debug contract, a pc. */
  const core = (pc: number) => ({ breakpoints: new Set<number>(), debug: {}, pc });
  function twoCpus() {
    const cores = new Map([
      ['/machine/hart', core(0x100)],
      ['/machine/m3', core(0x100)],
    ]);
    const machine = { cpuPaths: [...cores.keys()], cpu: (path: string) => cores.get(path), instructions: 7, stoppedAtBreakpoint: null as string | null };
    const debug = new GuestDebugger(createControl());
    debug.attach(machine, board([]), new Map());
    return { cores, machine, debug };
  }

  it('sets a breakpoint on the chosen CPU alone; the same address on the other CPU does not stop it', () => {
    const { cores, debug } = twoCpus();
    expect(debug.setBreakpoint(0x100, true, '/machine/m3')).toEqual([0x100]);
    expect([...cores.get('/machine/m3')!.breakpoints]).toEqual([0x100]);
    expect([...cores.get('/machine/hart')!.breakpoints]).toEqual([]);
    expect(debug.breakpoints('/machine/hart')).toEqual([]);
    expect(debug.breakpoints()).toEqual([]);
    expect(debug.active).toBe(true);
    // one on every hart shows for both; clearing it on one CPU clears it
    debug.setBreakpoint(0x200, true);
    expect(debug.breakpoints('/machine/hart')).toEqual([0x200]);
    expect(debug.breakpoints('/machine/m3')).toEqual([0x100, 0x200]);
    expect(debug.setBreakpoint(0x100, false, '/machine/m3')).toEqual([0x200]);
    expect(debug.setBreakpoint(0x200, false, '/machine/m3')).toEqual([]);
    expect([...cores.get('/machine/hart')!.breakpoints]).toEqual([]);
    expect(debug.active).toBe(false);
  });

  it("reports the chosen CPU's stop as a breakpoint stop", () => {
    const { machine, debug } = twoCpus();
    debug.setBreakpoint(0x100, true, '/machine/m3');
    machine.stoppedAtBreakpoint = '/machine/m3';
    expect(debug.pauseIfStopped(machine)).toBe(true);
    expect(debug.lastStop()).toMatchObject({ hart: '/machine/m3', address: 0x100, kind: 'breakpoint' });
  });
});

describe('source-level stepping on firmware built with gcc -g (public/firmware, examples/)', () => {
  const root = new URL('../../', import.meta.url);
  /** An example board running its committed firmware, in the run loop. */
  function exampleSetup(example: string, firmware: string) {
    const elf = new Uint8Array(readFileSync(new URL(`public/firmware/${firmware}`, root)));
    const document = JSON.parse(readFileSync(new URL(`examples/${example}`, root), 'utf8')) as { images: Array<{ file: string }> };
    document.images[0].file = firmware;
    const result = parseBoard(JSON.stringify(document), { platform: 'browser' });
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const control = createControl();
    const runner = new Runner(control, createSerialRingBuffer(1 << 12), (b, images, onSerialOutput) => Machine.build(b, images, { sharesGuestMemory: true, onSerialOutput }), { yieldToEventLoop, burstMs: 5 });
    runners.push(runner);
    runner.start();
    expect(runner.load(result.board, new Map([[firmware, elf]])).ok).toBe(true);
    const symbols = SymbolTable.fromElf(elf);
    const state = () => readControl(control);
    const where = () => runner.debug.sourceView(HART)!.position!;
    /** Step line (or Next line) and wait for the stop; returns the new position. */
    const stepLine = async (over: boolean) => {
      const seq = state().breakSeq;
      expect(runner.debug.stepLine(HART, over)).toBe('run');
      requestRun(control);
      await until(() => state().breakSeq === seq + 1 && state().state === WorkerRunState.PAUSED, 'the line step');
      expect(runner.debug.lastStop()?.kind).toBe('step-line');
      return where();
    };
    const lineOf = (source: string, text: string) => readFileSync(new URL(`firmware/${source}`, root), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
    return { runner, control, symbols, state, where, stepLine, lineOf };
  }

  it('stops at a breakpoint on a C line, steps through the loop line by line, and Next line runs over the calls', async () => {
    const t = exampleSetup('hello.board.json', 'hello.elf');
    const body = t.lineOf('hello/hello.c', 'sum += i;');
    expect(t.runner.debug.setLineBreakpoint(HART, 'hello/hello.c', body, true)).toMatchObject({ line: body });
    expect(t.runner.debug.sourceView(HART, 'hello/hello.c')!.breakpointLines).toEqual([body]);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'the breakpoint on the loop');
    expect(t.where()).toMatchObject({ file: 'hello/hello.c', line: body });
    expect(t.runner.debug.lastStop()?.kind).toBe('breakpoint');
    t.runner.debug.setLineBreakpoint(HART, 'hello/hello.c', body, false);
    // Round the loop: the for line and its body take turns, each stop a new line's statement start.
    const loop = t.lineOf('hello/hello.c', 'for (uint32_t i = 1');
    const seen: number[] = [];
    const registers: number[][] = [t.runner.registers()[0].x.slice()];
    for (let i = 0; i < 4; i++) {
      const position = await t.stepLine(false);
      expect(position.file).toBe('hello/hello.c');
      seen.push(position.line);
      registers.push(t.runner.registers()[0].x.slice());
    }
    expect(seen).toEqual([loop, body, loop, body]);
    expect(registers[2]).not.toEqual(registers[0]); // the loop's registers moved on
    // Next line from the first call after the loop: uart_puts runs, the step stays in hello.c.
    const greet = t.lineOf('hello/hello.c', 'uart_puts("Hello');
    expect(t.runner.debug.setLineBreakpoint(HART, 'hello/hello.c', greet, true)).toMatchObject({ line: greet });
    requestRun(t.control);
    await until(() => t.where().line === greet && t.state().state === WorkerRunState.PAUSED, 'the greeting line');
    t.runner.debug.setLineBreakpoint(HART, 'hello/hello.c', greet, false);
    const before = t.state().instructions;
    const next = await t.stepLine(true);
    expect(next).toMatchObject({ file: 'hello/hello.c', line: t.lineOf('hello/hello.c', 'uart_puts("1+2') });
    expect(t.state().instructions - before).toBeGreaterThan(17 * 4); // 17 characters went out
    // Step line on the next call goes into it: the UART library's source.
    const into = await t.stepLine(false);
    expect(into.file).toBe('common/uart.c');
    const puts = t.symbols.valueOf('uart_puts')!;
    expect(t.runner.registers()[0].pc).toBeGreaterThanOrEqual(puts);
  });

  it('a Step line that takes an interrupt stops at the handler’s first statement (crt0-trap.S), and goes on into trap_handler in C', async () => {
    const t = exampleSetup('blinky.board.json', 'blinky.elf');
    const wait = t.lineOf('blinky/blinky.c', 'wfi_then_take_interrupts();');
    expect(t.runner.debug.setLineBreakpoint(HART, 'blinky/blinky.c', wait, true)).toMatchObject({ line: wait });
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'the wait loop');
    t.runner.debug.setLineBreakpoint(HART, 'blinky/blinky.c', wait, false);
    const trapEntry = t.symbols.valueOf('trap_entry')!;
    let position = t.where();
    for (let i = 0; i < 8 && position.file !== 'common/crt0-trap.S'; i++) position = await t.stepLine(false);
    expect(position.file).toBe('common/crt0-trap.S');
    expect(t.runner.registers()[0].pc).toBe(trapEntry);
    // Step line on through the register saves and into the C handler (its prologue skipped).
    for (let i = 0; i < 80 && position.file === 'common/crt0-trap.S'; i++) position = await t.stepLine(false);
    expect(position.file).toBe('blinky/blinky.c');
    const handler = t.symbols.at(t.symbols.valueOf('trap_handler')!)[0];
    const pc = t.runner.registers()[0].pc;
    expect(pc).toBeGreaterThan(handler.value);
    expect(pc).toBeLessThan(handler.value + handler.size);
  });

  it('a Reset drops a line step that has not arrived: the guest then runs freely', async () => {
    const t = exampleSetup('hello.board.json', 'hello.elf');
    const main = t.symbols.valueOf('main')!;
    t.runner.debug.runTo(HART, main);
    requestRun(t.control);
    await until(() => t.state().breakSeq === 1 && t.state().state === WorkerRunState.PAUSED, 'main');
    expect(t.runner.debug.stepLine(HART, true)).toBe('run');
    requestReset(t.control);
    requestRun(t.control);
    await until(() => t.state().state === WorkerRunState.HALTED_PASS, 'the run to the end');
    expect(t.state().breakSeq).toBe(1);
  });

  it('without line information (a raw binary) a Step line is an instruction step and there are no source lines to break on', () => {
    const t = setup(); // the counting program: a raw binary, no line tables
    expect(t.runner.debug.sourceView(HART)).toMatchObject({ image: null, position: null, files: [] });
    expect(t.runner.debug.stepLine(HART, false)).toBe('step');
    expect(t.runner.debug.setLineBreakpoint(HART, 'x.c', 1, true)).toBeNull();
  });
});

describe('source-level stepping on assembled code (src/asm: its ELF carries a line table)', () => {
  it('Step line goes one source line at a time round the loop, into the call; Next line runs over it', async () => {
    const { assemble } = await import('../asm/index.ts');
    const source = ['  .text', '  .globl _start', '_start:', '  li a0, 3', '  li a1, 0', 'loop:', '  add a1, a1, a0', '  addi a0, a0, -1', '  bnez a0, loop', '  call done', '  call done', 'spin: j spin', 'done: ret'].join('\n');
    const assembled = assemble(source, { fileName: 'sum.s' });
    if (!assembled.ok) throw new Error(JSON.stringify(assembled.errors));
    const t = setup();
    expect(t.runner.load(board([{ cpu: 'cpu0', file: 'sum.elf' }]), new Map([['sum.elf', assembled.elf]])).ok).toBe(true);
    expect(t.runner.debug.sourceView(HART)).toMatchObject({ image: 'sum.elf', position: { file: 'sum.s', line: 4 }, codeLines: [4, 5, 7, 8, 9, 10, 11, 12, 13] });
    const stepLine = async (over: boolean) => {
      const seq = t.state().breakSeq;
      expect(t.runner.debug.stepLine(HART, over)).toBe('run');
      requestRun(t.control);
      await until(() => t.state().breakSeq === seq + 1 && t.state().state === WorkerRunState.PAUSED, 'the line step');
      return t.runner.debug.sourceView(HART)!.position!.line;
    };
    const lines: number[] = [];
    for (let i = 0; i < 11; i++) lines.push(await stepLine(false));
    // li a1 · three turns of the loop · the first call, into done (assembly: no prologue) · back to the second call
    expect(lines).toEqual([5, 7, 8, 9, 7, 8, 9, 7, 8, 9, 10]);
    expect(t.register(a0 + 1)).toBe(6); // a1 = 3 + 2 + 1
    expect(await stepLine(false)).toBe(13);
    expect(await stepLine(false)).toBe(11);
    expect(await stepLine(true)).toBe(12); // Next line: the call runs over
  });
});
