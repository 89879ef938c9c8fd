// The Cortex-M exception model on the real SCS: reset from the vector table, entry and return with
// stacking on MSP/PSP and EXC_RETURN, 8-byte frame alignment, preemption by group priority,
// tail-chaining, the masks, faults and their escalation, lockup, sleep and semihosting. Expected
// values follow the ARMv7-M ARM (B1.5) and ARMv6-M ARM rules.
import { describe, expect, it } from 'vitest';
import type { CpuTrap } from '../contract.ts';
import * as A from './asm.ts';
import type { Program } from './asm.ts';
import { Exception } from './exceptions.ts';
import { AddressSpace } from '../../memory.ts';
import { cortexMCore, cpus } from './index.ts';
import { boot, DATA, runTo, STACK_TOP, type BootOptions } from './testing.ts';

const NVIC_ISER = 0xe000_e100;
const NVIC_ISPR = 0xe000_e200;
const NVIC_IPR = 0xe000_e400;
const SCB_ICSR = 0xe000_ed04;
const SCB_VTOR = 0xe000_ed08;
const SCB_CCR = 0xe000_ed14;
const SCB_SHCSR = 0xe000_ed24;
const SCB_CFSR = 0xe000_ed28;
const SCB_HFSR = 0xe000_ed2c;
const SCB_BFAR = 0xe000_ed38;
const UNMAPPED = 0x6000_0000;

/** STR of a word to an address (clobbers r6, r7). */
function store(p: Program, address: number, value: number): Program {
  return p.i(A.li(6, address), A.li(7, value), A.strImm(7, 6, 0));
}

/** STRB (priority bytes; clobbers r6, r7). */
function storeByte(p: Program, address: number, value: number): Program {
  return p.i(A.li(6, address), A.li(7, value), A.strbImm(7, 6, 0));
}

function load(p: Program, rd: number, address: number): Program {
  return p.i(A.li(6, address), A.ldrW(rd, 6, 0));
}

function traced(build: (p: Program) => void, options: BootOptions = {}) {
  const board = boot(build, options);
  const traps: CpuTrap[] = [];
  const returns: number[] = [];
  board.cpu.onTrap = (trap) => traps.push({ ...trap });
  board.cpu.onTrapReturn = (pc) => returns.push(pc);
  return { ...board, traps, returns };
}

describe('Cortex-M reset', () => {
  it('reads SP_main and the pc (with its Thumb bit dropped) from the vector table at VTOR', () => {
    const b = boot((p) => p.i(A.nop()));
    expect(b.cpu.msp).toBe(STACK_TOP);
    expect(b.cpu.pc).toBe(b.program.address('start'));
    expect(b.cpu.xpsr & (1 << 24)).not.toBe(0); // EPSR.T from the vector's bit 0
    expect(b.cpu.ipsr).toBe(0);
  });
});

describe('Cortex-M reset-vector', () => {
  it('reads the table at reset-vector and makes it VTOR (cortex-m3, through the module factory)', () => {
    const space = new AddressSpace('vtor');
    space.mapRam('flash', 0, new ArrayBuffer(0x1_0000), 0x1_0000);
    space.mapRam('sram', 0x2000_0000, new ArrayBuffer(0x1_0000), 0x1_0000);
    space.store(0x1000, 0x2000_8000, 4);
    space.store(0x1004, 0x1201, 4);
    const cpu = cpus['cortex-m3']({ path: '/machine/cpu', props: { 'reset-vector': 0x1000 }, space });
    cpu.reset();
    expect(cpu.pc).toBe(0x1200);
    expect(cortexMCore(cpu).msp).toBe(0x2000_8000);
    expect(cortexMCore(cpu).scs.vtor).toBe(0x1000);
    expect(() => cpus['cortex-m3']({ path: '/machine/cpu', props: { 'reset-vector': 0x1004 }, space })).toThrow(/\/machine\/cpu: property "reset-vector" is 0x1004; a vector table is aligned to 128 bytes/);
    expect(() => cpus['cortex-m0']({ path: '/machine/cpu', props: { bitband: true }, space })).toThrow(/\/machine\/cpu: cortex-m0 has no bit-band regions/);
    expect(() => cpus['cortex-m3']({ path: '/machine/cpu', props: { 'num-irq': 1000 }, space })).toThrow(/property "num-irq" is 1000; it must be an integer in 0..496/);
  });
});

describe('Cortex-M exception entry and return', () => {
  it('SVC stacks r0-r3, r12, lr, the return address and xPSR on MSP, enters with EXC_RETURN 0xFFFFFFF9, and BX lr unstacks', () => {
    const b = traced(
      (p) => {
        p.i(A.movs(0, 10), A.movs(1, 11), A.movs(2, 12), A.movs(3, 13), A.li(12, 0x1212), A.li(14, 0x1414), A.svc(5));
        p.label('after').i(A.movs(5, 1));
        p.label('end').b('end');
        p.label('svc').i(A.mov(8, 14), A.mrs(9, A.SYSm.IPSR), A.mov(10, 13), A.movs(0, 99), A.movs(1, 98), A.bx(14));
      },
      { vectors: { [Exception.SVCALL]: 'svc' } },
    );
    runTo(b, 'end');
    const r = (i: number) => b.cpu.r[i] >>> 0;
    expect(r(8)).toBe(0xffff_fff9);
    expect(r(9)).toBe(Exception.SVCALL);
    const frame = r(10);
    expect(frame).toBe(STACK_TOP - 0x20);
    const word = (i: number) => b.space.load(frame + 4 * i, 4);
    expect([word(0), word(1), word(2), word(3), word(4), word(5)]).toEqual([10, 11, 12, 13, 0x1212, 0x1414]);
    expect(word(6)).toBe(b.program.address('after'));
    expect(word(7) & (1 << 24)).not.toBe(0);
    // unstacked: r0, r1 back, sp back, the instruction after SVC ran
    expect([r(0), r(1), r(13), r(5)]).toEqual([10, 11, STACK_TOP, 1]);
    expect(b.traps.map((t) => [t.kind, t.cause])).toEqual([['environment-call', Exception.SVCALL]]);
    expect(b.returns).toEqual([b.program.address('after')]);
    expect(b.cpu.instret).toBeGreaterThan(0);
  });

  it('realigns a frame to 8 bytes (CCR.STKALIGN) and notes it in the stacked xPSR bit 9; return restores the odd SP', () => {
    const b = traced(
      (p) => {
        p.i(A.subSp(4), A.svc(0));
        p.label('end').b('end');
        p.label('svc').i(A.mov(10, 13), A.bx(14));
      },
      { vectors: { [Exception.SVCALL]: 'svc' } },
    );
    runTo(b, 'end');
    const frame = b.cpu.r[10] >>> 0;
    expect(frame).toBe(STACK_TOP - 4 - 0x20 - 4);
    expect(b.space.load(frame + 28, 4) & (1 << 9)).not.toBe(0);
    expect(b.cpu.r[13] >>> 0).toBe(STACK_TOP - 4);
  });

  it('thread mode on PSP: the frame goes on PSP, EXC_RETURN is 0xFFFFFFFD, the handler runs on MSP, return goes back to PSP', () => {
    const psp = DATA + 0x1000;
    const b = traced(
      (p) => {
        p.i(A.li(0, psp), A.msr(A.SYSm.PSP, 0), A.movs(0, 2), A.msr(A.SYSm.CONTROL, 0), A.movs(1, 7), A.svc(1));
        p.label('end').b('end');
        p.label('svc').i(A.mov(8, 14), A.mov(9, 13), A.mrs(10, A.SYSm.PSP), A.bx(14));
      },
      { vectors: { [Exception.SVCALL]: 'svc' } },
    );
    runTo(b, 'end');
    expect(b.cpu.r[8] >>> 0).toBe(0xffff_fffd);
    expect(b.cpu.r[9] >>> 0).toBe(STACK_TOP); // MSP untouched in the handler
    expect(b.cpu.r[10] >>> 0).toBe(psp - 0x20);
    expect(b.space.load(psp - 0x20 + 4, 4)).toBe(7); // stacked r1
    expect(b.cpu.r[13] >>> 0).toBe(psp);
    expect(b.cpu.usingPsp).toBe(true);
    expect(b.cpu.msp).toBe(STACK_TOP);
  });

  it('a higher-priority interrupt preempts a handler (EXC_RETURN 0xFFFFFFF1); a lower one waits and tail-chains', () => {
    const b = traced(
      (p) => {
        storeByte(p, NVIC_IPR + 0, 0x80);
        storeByte(p, NVIC_IPR + 1, 0x40);
        storeByte(p, NVIC_IPR + 2, 0xc0);
        store(p, NVIC_ISER, 0b111);
        p.i(A.movs(0, 0));
        store(p, NVIC_ISPR, 0b001);
        p.label('end').b('end');
        // IRQ0: pend IRQ2 (lower: waits), then IRQ1 (higher: preempts at once)
        p.label('irq0').i(A.movs(1, 1));
        store(p, NVIC_ISPR, 0b100);
        p.i(A.movs(2, 2));
        store(p, NVIC_ISPR, 0b010);
        p.i(A.movs(3, 3), A.bx(14));
        p.label('irq1').i(A.mov(8, 14), A.mov(9, 2), A.mov(10, 3), A.bx(14));
        p.label('irq2').i(A.mov(11, 14), A.movs(4, 4), A.bx(14));
      },
      { vectors: { 16: 'irq0', 17: 'irq1', 18: 'irq2' } },
    );
    runTo(b, 'end', 1000);
    b.cpu.run(20);
    const r = (i: number) => b.cpu.r[i] >>> 0;
    expect(r(8)).toBe(0xffff_fff1); // IRQ1 nested in IRQ0
    expect(r(9)).toBe(2); // IRQ1 ran after the "movs r2" of IRQ0...
    expect(r(10)).toBe(0); // ...and before its "movs r3"
    expect(r(4)).toBe(4); // IRQ2 ran at last
    expect(r(11)).toBe(0xffff_fff9); // tail-chained from IRQ0's return to thread: its EXC_RETURN
    expect(b.traps.map((t) => t.cause)).toEqual([16, 17, 18]);
    expect(b.returns).toHaveLength(2); // IRQ1 → IRQ0, then IRQ2 → thread (IRQ0's return tail-chained)
    expect(b.cpu.ipsr).toBe(0);
    expect(b.cpu.r[13] >>> 0).toBe(STACK_TOP);
  });

  it('PRIMASK holds interrupts off until cleared; BASEPRI masks priorities at or below it', () => {
    const b = traced(
      (p) => {
        storeByte(p, NVIC_IPR + 0, 0x80);
        storeByte(p, NVIC_IPR + 1, 0x20);
        store(p, NVIC_ISER, 0b11);
        p.i(A.cpsid(), A.movs(0, 0));
        store(p, NVIC_ISPR, 0b01);
        p.i(A.movs(0, 1), A.cpsie());
        p.label('basepri').i(A.movs(1, 0x80), A.msr(A.SYSm.BASEPRI, 1));
        store(p, NVIC_ISPR, 0b11);
        p.i(A.movs(2, 2), A.movs(1, 0), A.msr(A.SYSm.BASEPRI, 1), A.movs(3, 3));
        p.label('end').b('end');
        p.label('irq0').i(A.mov(8, 0), A.mov(10, 2), A.bx(14));
        p.label('irq1').i(A.mov(9, 2), A.bx(14));
      },
      { vectors: { 16: 'irq0', 17: 'irq1' } },
    );
    runTo(b, 'end', 1000);
    expect(b.cpu.r[8]).toBe(1); // IRQ0 waited for CPSIE (r0 was 1 by then)
    expect(b.cpu.r[9]).toBe(0); // IRQ1 (0x20) is above BASEPRI 0x80: taken at once, before movs r2
    expect(b.cpu.r[10]).toBe(2); // the second IRQ0 (0x80) waited for BASEPRI to drop
    expect(b.traps.map((t) => t.cause)).toEqual([16, 17, 16]);
  });

  it('FAULTMASK (CPSID f) holds off even priority-0 interrupts until CPSIE f', () => {
    const b = traced(
      (p) => {
        store(p, NVIC_ISER, 1);
        p.i(A.cpsidF(), A.movs(0, 0));
        store(p, NVIC_ISPR, 1);
        p.i(A.movs(0, 1), A.cpsieF(), A.movs(0, 2));
        p.label('end').b('end');
        p.label('irq').i(A.mov(8, 0), A.mrs(9, A.SYSm.FAULTMASK), A.bx(14));
      },
      { vectors: { 16: 'irq' } },
    );
    runTo(b, 'end', 1000);
    expect(b.cpu.r[8]).toBe(1);
    expect(b.cpu.r[9]).toBe(0);
  });

  it('PendSV through ICSR.PENDSVSET', () => {
    const b = traced(
      (p) => {
        store(p, SCB_ICSR, 1 << 28);
        p.label('end').b('end');
        p.label('pendsv').i(A.movs(5, 5), A.bx(14));
      },
      { vectors: { [Exception.PENDSV]: 'pendsv' } },
    );
    runTo(b, 'end', 1000);
    expect(b.cpu.r[5]).toBe(5);
    expect(b.traps[0]).toMatchObject({ kind: 'interrupt', cause: Exception.PENDSV });
  });
});

describe('Cortex-M faults', () => {
  it('an undefined instruction takes UsageFault UNDEFINSTR when enabled, at the faulting pc', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        p.label('bad').i(A.udf(1));
        p.label('end').b('end');
        p.label('usage').i(A.mov(8, 13));
        load(p, 9, SCB_CFSR);
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.USAGE_FAULT]: 'usage' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[9] >>> 0).toBe(1 << 16); // UFSR.UNDEFINSTR
    expect(b.space.load((b.cpu.r[8] >>> 0) + 24, 4)).toBe(b.program.address('bad')); // the stacked pc is the faulting instruction
    expect(b.traps[0]).toMatchObject({ kind: 'illegal-instruction', cause: Exception.USAGE_FAULT, pc: b.program.address('bad') });
  });

  it('a BX to an even address takes UsageFault INVSTATE there, also when the code at it is already decoded', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        p.bl('target'); // runs (and decodes) target once, in Thumb state
        p.ldrLit(0, 'target address');
        p.i(A.bx(0)); // bit 0 clear: EPSR.T becomes 0
        p.label('end').b('end');
        p.label('target').i(A.movs(5, 7), A.bx(14));
        p.label('usage').i(A.mov(8, 13));
        load(p, 9, SCB_CFSR);
        p.label('spin').b('spin');
        p.word('target', 'target address');
      },
      { vectors: { [Exception.USAGE_FAULT]: 'usage' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[9] >>> 0).toBe(1 << 17); // UFSR.INVSTATE
    expect(b.space.load((b.cpu.r[8] >>> 0) + 24, 4)).toBe(b.program.address('target')); // the stacked pc: the instruction that did not run
    expect(b.traps[0]).toMatchObject({ kind: 'illegal-instruction', cause: Exception.USAGE_FAULT, pc: b.program.address('target') });
  });

  it('a disabled UsageFault escalates to HardFault with HFSR.FORCED', () => {
    const b = traced(
      (p) => {
        p.i(A.udf(2));
        p.label('hard');
        load(p, 8, SCB_HFSR);
        load(p, 9, SCB_CFSR);
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.HARD_FAULT]: 'hard' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[8] >>> 0).toBe(1 << 30);
    expect(b.cpu.r[9] >>> 0).toBe(1 << 16);
    expect(b.cpu.ipsr).toBe(Exception.HARD_FAULT);
  });

  it('a load from nothing is a precise BusFault with BFAR; the trap is a load access fault at the address', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        p.i(A.li(0, UNMAPPED), A.ldrImm(1, 0, 0));
        p.label('bus');
        load(p, 8, SCB_CFSR);
        load(p, 9, SCB_BFAR);
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.BUS_FAULT]: 'bus' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[8] >>> 0).toBe((1 << 9) | (1 << 15)); // PRECISERR | BFARVALID
    expect(b.cpu.r[9] >>> 0).toBe(UNMAPPED);
    expect(b.traps[0]).toMatchObject({ kind: 'access-fault', access: 'load', value: UNMAPPED, cause: Exception.BUS_FAULT });
    expect(b.traps[0].coreRefusal).toBeUndefined(); // the board refused it: reports say what the board has there
  });

  it('executing from the XN region (0xE0000000 up) is a MemManage IACCVIOL', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        p.i(A.li(0, 0xe000_1001), A.bx(0));
        p.label('mem');
        load(p, 8, SCB_CFSR);
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.MEM_MANAGE]: 'mem' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[8] & 1).toBe(1);
    expect(b.traps[0]).toMatchObject({ kind: 'access-fault', access: 'fetch', cause: Exception.MEM_MANAGE });
  });

  it('an unprivileged access to the SCS is a BusFault', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        p.i(A.movs(0, 1), A.msr(A.SYSm.CONTROL, 0));
        load(p, 1, SCB_CFSR);
        p.label('end').b('end');
        p.label('bus').i(A.movs(5, 5));
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.BUS_FAULT]: 'bus' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[5]).toBe(5);
    expect(b.traps[0]).toMatchObject({ cause: Exception.BUS_FAULT, access: 'load', value: SCB_CFSR });
    // the core refused it, not the board (which maps nothing there): the report says why
    expect(b.traps[0].coreRefusal).toBe("0xe000ed28 is in the core's System Control Space (0xe000e000–0xe000efff), which unprivileged code (thread mode with CONTROL.nPRIV set, or LDRT/STRT) may not access: a BusFault, as the architecture says");
  });

  it('a privileged access to the private peripheral bus outside the SCS is a BusFault the core explains', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        load(p, 1, 0xe000_1000);
        p.label('end').b('end');
        p.label('bus').i(A.movs(5, 5));
        load(p, 1, 0xe000_1000); // the next trap (a HardFault: BusFault cannot preempt itself) names it again
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.BUS_FAULT]: 'bus', [Exception.HARD_FAULT]: 'spin' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.traps[0]).toMatchObject({ cause: Exception.BUS_FAULT, access: 'load', value: 0xe000_1000 });
    expect(b.traps[0].coreRefusal).toBe("0xe0001000 is on the core's private peripheral bus (0xe0000000–0xe00fffff), where this core implements only its System Control Space (0xe000e000–0xe000efff): a BusFault");
    expect(b.traps[1]).toMatchObject({ cause: Exception.HARD_FAULT, value: 0xe000_1000 });
    expect(b.traps[1].coreRefusal).toBe(b.traps[0].coreRefusal);
  });

  it('UDIV by zero traps with CCR.DIV_0_TRP (UsageFault DIVBYZERO)', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        store(p, SCB_CCR, 0x210);
        p.i(A.movs(0, 0), A.movs(1, 5), A.udiv(2, 1, 0));
        p.label('end').b('end');
        p.label('usage');
        load(p, 8, SCB_CFSR);
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.USAGE_FAULT]: 'usage' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[8] >>> 0).toBe(1 << 25);
  });

  it('an exception return with a bad EXC_RETURN takes UsageFault INVPC', () => {
    const b = traced(
      (p) => {
        store(p, SCB_SHCSR, 0x7_0000);
        storeByte(p, 0xe000_ed18 + 2, 0x00); // UsageFault priority 0; SVCall stays 0 too → raise SVCall priority
        storeByte(p, 0xe000_ed1c + 3, 0x80);
        p.i(A.svc(0));
        p.label('end').b('end');
        p.label('svc').i(A.li(0, 0xffff_fff5), A.bx(0));
        p.label('usage');
        load(p, 8, SCB_CFSR);
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.SVCALL]: 'svc', [Exception.USAGE_FAULT]: 'usage' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[8] >>> 0).toBe(1 << 18);
    expect(b.cpu.ipsr).toBe(Exception.USAGE_FAULT);
  });

  it('a fault inside HardFault locks the core up: a state, not an error; run() returns 0; reset recovers', () => {
    const b = traced(
      (p) => {
        p.i(A.udf(0));
        p.label('hard').i(A.li(0, UNMAPPED));
        p.label('again').i(A.ldrImm(1, 0, 0));
        p.label('end').b('end');
      },
      { vectors: { [Exception.HARD_FAULT]: 'hard' } },
    );
    b.cpu.run(100);
    expect(b.cpu.lockedUp).toBe(true);
    expect(b.cpu.describe()).toBe(`cortex-m3 (locked up at 0x${b.program.address('again').toString(16).padStart(8, '0')})`);
    expect(b.cpu.waitingForInterrupt).toBe(false);
    expect(b.cpu.run(100)).toBe(0);
    expect(b.traps.at(-1)?.causeName).toMatch(/lockup/);
    b.cpu.reset();
    expect(b.cpu.lockedUp).toBe(false);
    expect(b.cpu.pc).toBe(b.program.address('start'));
    expect(b.cpu.run(1)).toBe(1);
  });

  it('BKPT without semihosting is a debug event: HardFault with HFSR.DEBUGEVT; with semihosting, bkpt 0xab calls the host', () => {
    const b = traced(
      (p) => {
        p.i(A.bkpt(0xab));
        p.label('hard');
        load(p, 8, SCB_HFSR);
        p.label('spin').b('spin');
      },
      { vectors: { [Exception.HARD_FAULT]: 'hard' } },
    );
    runTo(b, 'spin', 1000);
    expect(b.cpu.r[8] >>> 0).toBe(0x8000_0000);
    expect(b.traps[0]).toMatchObject({ kind: 'breakpoint' });
    // bkpt 0xab is a semihosting call: the report says which property the firmware needs
    expect(b.traps[0].causeName).toMatch(/semihosting call: turn on the CPU's "semihosting" property/);
    const calls: number[][] = [];
    const s = boot(
      (p) => {
        p.i(A.movs(0, 4), A.movs(1, 0x55), A.bkpt(0xab), A.mov(8, 0));
        p.label('end').b('end');
      },
      { semihosting: (op, param) => (calls.push([op, param]), 0x1234) },
    );
    runTo(s, 'end', 100);
    expect(calls).toEqual([[4, 0x55]]);
    expect(s.cpu.r[8]).toBe(0x1234);
  });

  it('ARMv6-M: a v7-only encoding (MOVW) is UNDEFINED and escalates to HardFault', () => {
    const b = traced(
      (p) => {
        p.label('bad').i(A.movw(0, 5));
        p.label('end').b('end');
        p.label('hard').i(A.movs(5, 5));
        p.label('spin').b('spin');
      },
      { profile: 'v6m', vectors: { [Exception.HARD_FAULT]: 'hard' } },
    );
    runTo(b, 'spin', 100);
    expect(b.cpu.ipsr).toBe(Exception.HARD_FAULT);
    expect(b.traps[0]).toMatchObject({ kind: 'illegal-instruction', cause: Exception.HARD_FAULT, pc: b.program.address('bad') });
  });

  it('relocating the vector table through VTOR', () => {
    const b = traced(
      (p) => {
        store(p, SCB_VTOR, 0x2000_0000);
        p.i(A.svc(0));
        p.label('end').b('end');
        p.label('svc2').i(A.movs(5, 9), A.bx(14));
      },
      {},
    );
    // a copy of the table at SRAM whose SVCall vector points at svc2
    b.space.store(0x2000_0000 + 4 * Exception.SVCALL, b.program.address('svc2') | 1, 4);
    runTo(b, 'end', 100);
    expect(b.cpu.r[5]).toBe(9);
  });
});

describe('Cortex-M sleep', () => {
  it('WFI sleeps until an interrupt; with PRIMASK set it wakes without taking it', () => {
    const b = traced(
      (p) => {
        store(p, NVIC_ISER, 1);
        p.i(A.cpsid(), A.wfi(), A.movs(4, 4), A.cpsie(), A.movs(5, 5));
        p.label('end').b('end');
        p.label('irq').i(A.mov(8, 4), A.mov(9, 5), A.bx(14));
      },
      { vectors: { 16: 'irq' } },
    );
    b.cpu.run(100);
    expect(b.cpu.waitingForInterrupt).toBe(true);
    expect(b.cpu.describe()).toBe('cortex-m3 (wfi)');
    expect(b.cpu.run(100)).toBe(0);
    // a pulse: the rising edge pends it (a line left high would pend it again after every return)
    b.cpu.interruptInput('irq[0]')!(true);
    expect(b.cpu.waitingForInterrupt).toBe(false);
    b.cpu.interruptInput('irq[0]')!(false);
    runTo(b, 'end', 100);
    expect(b.cpu.r[8]).toBe(4); // taken after CPSIE, not before "movs r4"
    expect(b.cpu.r[9]).toBe(0);
  });

  it('WFE returns at once when the event register is set (SEV), else sleeps', () => {
    const b = boot((p) => {
      p.i(A.sev(), A.wfe(), A.movs(4, 4), A.wfe(), A.movs(5, 5));
      p.label('end').b('end');
    });
    b.cpu.run(100);
    expect(b.cpu.r[4]).toBe(4);
    expect(b.cpu.r[5]).toBe(0);
    expect(b.cpu.waitingForInterrupt).toBe(true);
    expect(b.cpu.describe()).toBe('cortex-m3 (wfe)');
  });
});
