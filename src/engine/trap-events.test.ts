// The machine's trap listeners (./trap-events.ts): a RISC-V timer interrupt and an ecall, an ARM
// SysTick exception and an SVC reach a listener with the CPU, cause, pc and handler the cores took;
// a listener changes nothing the guest can see.
import { describe, expect, it } from 'vitest';
import { resolveBoard, type BoardDocument, type ResolvedBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import * as T from './cpu/arm/asm.ts';
import { CLINT_MTIMECMP } from './devices/clint.ts';
import { Machine } from './machine.ts';
import type { TrapEvent } from './trap-events.ts';

const { zero, t0, t1, t2, t3 } = A.Reg;
const CSR = { mstatus: 0x300, mie: 0x304, mtvec: 0x305, mepc: 0x341, mcause: 0x342 };
const RAM = 0x8000_0000;
const CLINT = 0x0200_0000;
const MIE_MTIE = 0x80;
const MSTATUS_MIE = 0x8;
const MCAUSE_MACHINE_TIMER = 0x8000_0007;
const MCAUSE_ECALL_FROM_M = 11;
const HANDLER = RAM + 0x200;

function resolved(document: BoardDocument): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

/**
 * A hart that arms mtimecmp, sleeps in WFI until the machine timer interrupt, then makes an
 * ecall; the handler disarms the timer for an interrupt and steps over the ecall for an exception.
 * Ends in a `j .` loop at `done`, after bumping t3 once per handler run.
 */
function riscvProgram(): A.Program {
  const p = new A.Program(RAM);
  p.la(t0, 'handler').i(A.csrw(CSR.mtvec, t0));
  p.i(A.li(t0, CLINT + CLINT_MTIMECMP), A.li(t1, 500), A.sw(zero, t0, 4), A.sw(t1, t0, 0));
  p.i(A.li(t0, MIE_MTIE), A.csrw(CSR.mie, t0), A.li(t0, MSTATUS_MIE), A.csrrs(zero, CSR.mstatus, t0));
  p.label('sleep').i(A.wfi()).label('woken').label('ecall').i(A.ecall());
  p.label('done').jal(zero, 'done');
  p.org(HANDLER).label('handler');
  p.i(A.addi(t3, t3, 1), A.csrr(t2, CSR.mcause));
  p.branch(A.blt, t2, zero, 'timer');
  p.i(A.csrr(t2, CSR.mepc), A.addi(t2, t2, 4), A.csrw(CSR.mepc, t2), A.mret());
  p.label('timer').i(A.li(t0, CLINT + CLINT_MTIMECMP), A.li(t1, -1), A.sw(t1, t0, 4), A.mret());
  return p;
}

function riscvMachine(program: A.Program): Machine {
  const board: BoardDocument = {
    boardlab: 1,
    name: 'traps',
    objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000', 'time-base': 'clint' } }, ram: { type: 'ram', props: { size: '64K' } }, clint: { type: 'clint' } },
    memory: [{ map: 'ram.mem', at: '0x80000000' }, { map: 'clint.regs', at: '0x2000000' }],
    irqs: [{ from: 'clint.mtip[0]', to: 'cpu0.mtip' }],
    images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }],
  };
  return Machine.build(resolved(board), new Map([['p.bin', program.bytes()]]));
}

// The Cortex-M board: code at 0, SRAM at 0x20000000, the vector table at 0.
const ARM_CODE = 0x200;
const ARM_STACK_TOP = 0x2000_8000;
const SYST_CSR = 0xe000_e010;
const SYST_ENABLE_TICKINT_CLKSOURCE = 0x7;
const EXC_SVCALL = 11;
const EXC_SYSTICK = 15;

/** Enables SysTick (reload 99), waits for its exception (the handler stops it), then SVC #5; loops at `done`. */
function armImage(): { image: Uint8Array; program: T.Program } {
  const p = new T.Program(ARM_CODE);
  p.label('start').ldrLit(0, 'syst').i(T.movs(1, 99), T.strImm(1, 0, 4), T.movs(1, 0), T.strImm(1, 0, 8), T.movs(1, SYST_ENABLE_TICKINT_CLKSOURCE), T.strImm(1, 0, 0));
  p.label('sleep').i(T.wfi()).label('woken').i(T.svc(5));
  p.label('done').b('done');
  p.label('tick').ldrLit(0, 'syst').i(T.movs(1, 0), T.strImm(1, 0, 0), T.bx(14));
  p.label('svc').i(T.bx(14));
  p.label('spin').b('spin');
  p.word(SYST_CSR, 'syst');
  const code = p.bytes();
  const image = new Uint8Array(ARM_CODE + code.length);
  image.set(code, ARM_CODE);
  const table = new DataView(image.buffer, 0, 4 * 48);
  table.setUint32(0, ARM_STACK_TOP, true);
  const vector = (e: number) => (e === 1 ? 'start' : e === EXC_SYSTICK ? 'tick' : e === EXC_SVCALL ? 'svc' : 'spin');
  for (let e = 1; e < 48; e++) table.setUint32(4 * e, (p.address(vector(e)) | 1) >>> 0, true);
  return { image, program: p };
}

function armMachine(image: Uint8Array): Machine {
  const board: BoardDocument = {
    boardlab: 1,
    name: 'arm-traps',
    objects: { cpu0: { type: 'cortex-m3' }, flash: { type: 'ram', props: { size: '64K' } }, sram: { type: 'ram', props: { size: '64K' } } },
    memory: [{ map: 'flash.mem', at: '0x0' }, { map: 'sram.mem', at: '0x20000000' }],
    images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x0' }],
  };
  return Machine.build(resolved(board), new Map([['p.bin', image]]));
}

/** Runs until the CPU sits at `address` (or the budget runs out). */
function runTo(machine: Machine, address: number, budget = 200_000): void {
  const cpu = machine.cpu('/machine/cpu0')!;
  for (let ran = 0; ran < budget && cpu.pc !== address; ) ran += Math.max(1, machine.run(64));
}

/** The CPU's retired count (exact between runs) each of the first `times` times it stands at `handler`. */
function instretAtHandler(machine: Machine, handler: number, times: number): number[] {
  const cpu = machine.cpu('/machine/cpu0')!;
  cpu.breakpoints.add(handler);
  const seen: number[] = [];
  for (let ran = 0; ran < 200_000 && seen.length < times; ) {
    ran += Math.max(1, machine.run(1000));
    if (machine.stoppedAtBreakpoint !== null && cpu.pc === handler) {
      seen.push(cpu.instret);
      machine.passBreakpoints();
    }
  }
  return seen;
}

/** Every register and the retired count: what a listener must not change. */
function guestState(machine: Machine): number[] {
  const cpu = machine.cpu('/machine/cpu0')!;
  return [...cpu.debug.registers.keys()].map((i) => cpu.debug.readRegister(i) ?? -1).concat(cpu.instret, machine.clock.now());
}

describe('Machine.addTrapListener', () => {
  it('reports a RISC-V machine timer interrupt and an ecall with cause, pc, handler and instret', () => {
    const program = riscvProgram();
    const machine = riscvMachine(program);
    const events: TrapEvent[] = [];
    machine.addTrapListener((event) => events.push(event));
    runTo(machine, program.address('done'));
    expect(events.map((e) => [e.cpu, e.kind, e.cause, e.causeName, e.pc, e.handler, e.vector])).toEqual([
      ['/machine/cpu0', 'interrupt', MCAUSE_MACHINE_TIMER, 'machine timer interrupt', program.address('woken'), HANDLER, 'mtvec'],
      ['/machine/cpu0', 'environment-call', MCAUSE_ECALL_FROM_M, 'environment call from M-mode', program.address('ecall'), HANDLER, 'mtvec'],
    ]);
    // the timer fired at mtimecmp = 500 ticks of 100 ns
    expect(events[0].timeNs).toBeGreaterThanOrEqual(500 * 100);
    // instret is what the hart had retired when it took each trap: as a debugger sees it at the handler
    expect(events.map((e) => e.instret)).toEqual(instretAtHandler(riscvMachine(program), HANDLER, 2));
  });

  it('reports an ARM SysTick exception and an SVC with the vector table handler', () => {
    const { image, program } = armImage();
    const machine = armMachine(image);
    const events: TrapEvent[] = [];
    machine.addTrapListener((event) => events.push(event));
    runTo(machine, program.address('done'));
    expect(events.map((e) => [e.kind, e.cause, e.pc, e.handler])).toEqual([
      ['interrupt', EXC_SYSTICK, program.address('woken'), program.address('tick')],
      ['environment-call', EXC_SVCALL, program.address('woken'), program.address('svc')],
    ]);
    expect(events.map((e) => e.instret)).toEqual([program.address('tick'), program.address('svc')].map((at) => instretAtHandler(armMachine(image), at, 1)[0]));
    expect(events[0].causeName).toContain('SysTick');
    expect(events[1].causeName).toContain('SVCall');
  });

  it('changes nothing the guest sees: the same state with and without a listener, and none after removal', () => {
    const { image } = armImage();
    for (const build of [() => riscvMachine(riscvProgram()), () => armMachine(image)]) {
      const quiet = build();
      const heard = build();
      const events: TrapEvent[] = [];
      const remove = heard.addTrapListener((event) => events.push(event));
      for (let i = 0; i < 50; i++) {
        quiet.run(97);
        heard.run(97);
        expect(guestState(heard)).toEqual(guestState(quiet));
      }
      expect(events.length).toBe(2);
      remove();
      heard.reset();
      quiet.reset();
      for (let i = 0; i < 50; i++) heard.run(97);
      expect(events.length).toBe(2);
    }
  });
});
