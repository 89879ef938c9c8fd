// Every catalog property that is not marked descriptive changes what the device or CPU does. Each
// test here is named "<type>.<property>: …" and runs the same thing with two values of the
// property, so it fails if the engine ignores the property. The last test checks that every such
// property of the catalog has its test, here or (for a new device) in any engine test file, so a
// property cannot be added silently.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findType, listTypes, resolveBoard, type BoardDocument, type ObjectDocument, type PropertyValueDocument, type ResolvedBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import * as T from './cpu/arm/asm.ts';
import { cpus as armCpus, cortexMCore } from './cpu/arm/index.ts';
import { Machine } from './machine.ts';
import { Button } from './devices/button.ts';
import { CLINT_MSIP, CLINT_MTIME, Clint } from './devices/clint.ts';
import { privateRam, type DeviceContext, type IrqLine, type VirtualClock } from './devices/device.ts';
import { Framebuffer } from './devices/framebuffer.ts';
import { GPIO_INPUT, Gpio } from './devices/gpio.ts';
import { LSR_DR, Ns16550a, UART_LSR } from './devices/ns16550a.ts';
import { PLIC_CONTEXT, PLIC_CONTEXT_STRIDE, PLIC_CLAIM_COMPLETE, PLIC_ENABLE, PLIC_PRIORITY, Plic, plicMachineContext } from './devices/plic.ts';

const { zero, t0, t1, t2, a1 } = A.Reg;
const CSR = { time: 0xc01, mhartid: 0xf14, mtvec: 0x305, mstatus: 0x300, satp: 0x180 };
const RAM = 0x8000_0000;
const FINISHER = 0x10_0000;
/** Where the test programs leave a result word. */
const RESULT = RAM + 0x800;

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

function bytesOf(words: number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((w, i) => view.setUint32(i * 4, w >>> 0, true));
  return bytes;
}

/** Stores t1 at RESULT and stops the machine through the finisher (pass). */
const storeResultAndPass = [...A.li(t0, RESULT), A.sw(t1, t0, 0), ...A.li(t0, FINISHER), ...A.li(t1, 0x5555), A.sw(t1, t0, 0), A.jal(0, 0)];

/** A hart, 64 KiB of RAM at 0x80000000 and a finisher; `program` is a raw binary at the start of RAM. */
function bareBoard(cpuProps: Record<string, PropertyValueDocument>, extra: Partial<BoardDocument> = {}): BoardDocument {
  return {
    boardlab: 1,
    name: 'probe',
    objects: { cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000', ...cpuProps } as ObjectDocument['props'] }, ram: { type: 'ram', props: { size: '64K' } }, test: { type: 'sifive-test' }, ...(extra.objects ?? {}) },
    memory: [{ map: 'ram.mem', at: '0x80000000' }, { map: 'test.regs', at: '0x100000' }, ...(extra.memory ?? [])],
    images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }],
  };
}

/** Runs `program` on `document` until the finisher stops it; returns the machine. */
function runProgram(document: BoardDocument, program: number[], slices = 100): Machine {
  const machine = Machine.build(resolved(document), new Map([['p.bin', bytesOf(program)]]));
  for (let i = 0; i < slices && !machine.halted; i++) machine.run(10_000);
  return machine;
}

/**
 * Runs `probe` with a trap handler: t1 = 1 when the probe ran, 2 when it trapped (illegal
 * instruction); the result word says which.
 */
function probeRuns(cpuProps: Record<string, PropertyValueDocument>, probe: number[]): number {
  const handlerOffset = 0x200;
  const main = [...A.li(t0, RAM + handlerOffset), A.csrw(CSR.mtvec, t0), ...probe, ...A.li(t1, 1), ...storeResultAndPass];
  const words = [...main];
  while (words.length < handlerOffset / 4) words.push(A.addi(0, 0, 0));
  words.push(...A.li(t1, 2), ...storeResultAndPass);
  const machine = runProgram(bareBoard(cpuProps), words);
  expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
  return machine.space().load(RESULT, 4);
}

const RAN = 1;
const TRAPPED = 2;

describe('CPU properties change what the hart does', () => {
  it('cpu.reset-vector: the hart starts at the reset vector', () => {
    // Two entry points: 0x80000000 leaves 1, 0x80000100 leaves 2.
    const words = [...A.li(t1, 1), ...storeResultAndPass];
    while (words.length < 0x40) words.push(A.addi(0, 0, 0));
    words.push(...A.li(t1, 2), ...storeResultAndPass);
    const at = (vector: string) => runProgram(bareBoard({ 'reset-vector': vector }), words).space().load(RESULT, 4);
    expect(at('0x80000000')).toBe(1);
    expect(at('0x80000100')).toBe(2);
  });

  it('cpu.address-space: a CPU sees the mappings of its own address space over "system"', () => {
    // "local" RAM is mapped at 0x90000000 only in address space "private".
    const extra: Partial<BoardDocument> = { objects: { local: { type: 'ram', props: { size: '4K' } } }, memory: [{ map: 'local.mem', at: '0x90000000', space: 'private' }] };
    const program = [...A.li(t2, 0x9000_0000), ...A.li(t1, 77), A.sw(t1, t2, 0), A.lw(t1, t2, 0), ...storeResultAndPass];
    const own = runProgram(bareBoard({ 'address-space': 'private' }, extra), program);
    expect(own.exit).toEqual({ kind: 'pass', code: 0 });
    expect(own.space().load(RESULT, 4)).toBe(77);
    const system = runProgram(bareBoard({}, extra), program, 1);
    expect(system.exit).toBeNull(); // 0x90000000 is not mapped in "system": the store faults, the finisher is never reached
    expect(system.stoppedAtFault).toContain('/machine/cpu0');
  });

  it('cpu.time-base: the time CSR reads the linked CLINT\'s mtime; without a link, virtual time', () => {
    // mtime is set to 12345 and counts at 1 Hz, so it stays there while the program runs.
    const extra: Partial<BoardDocument> = { objects: { clint: { type: 'clint', props: { 'timebase-frequency': 1 } } }, memory: [{ map: 'clint.regs', at: '0x2000000' }] };
    const program = [...A.li(t2, 0x200_bff8), ...A.li(t1, 12345), A.sw(t1, t2, 0), A.sw(0, t2, 4), A.csrr(t1, CSR.time), ...storeResultAndPass];
    expect(runProgram(bareBoard({ 'time-base': 'clint' }, extra), program).space().load(RESULT, 4)).toBe(12345);
    expect(runProgram(bareBoard({ 'time-base': null }, extra), program).space().load(RESULT, 4)).toBeLessThan(1000);
  });

  it('riscv-cpu.hart-id: mhartid reads the hart id', () => {
    const program = [A.csrr(t1, CSR.mhartid), ...storeResultAndPass];
    expect(runProgram(bareBoard({ 'hart-id': 0 }), program).space().load(RESULT, 4)).toBe(0);
    expect(runProgram(bareBoard({ 'hart-id': 5 }), program).space().load(RESULT, 4)).toBe(5);
  });

  it('riscv-cpu.clock-frequency: each retired instruction takes one cycle of virtual time (the time CSR after the same 1000-instruction loop)', () => {
    // 1000 iterations of addi + bne = 2000 instructions, then rdtime: virtual time at 10 MHz (100 ns a tick)
    const loop = [...A.li(t0, 1000), A.addi(t0, t0, -1), A.bne(t0, zero, -4), A.csrr(t1, CSR.time), ...storeResultAndPass];
    const ticks = (hz: number) => runProgram(bareBoard({ 'clock-frequency': hz }), loop).space().load(RESULT, 4);
    expect(ticks(100_000_000)).toBe(200); // 2000+ instructions × 10 ns = 20 µs
    expect(ticks(50_000_000)).toBe(400); // × 20 ns = 40 µs
  });

  it('riscv-cpu.m: mul is an instruction with M, illegal without', () => {
    const probe = [A.mul(t2, t2, t2)];
    expect(probeRuns({ m: true }, probe)).toBe(RAN);
    expect(probeRuns({ m: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.a: amoadd.w is an instruction with A, illegal without', () => {
    const probe = [...A.li(t2, RESULT), A.amoaddW(0, t2, 0)];
    expect(probeRuns({ a: true }, probe)).toBe(RAN);
    expect(probeRuns({ a: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.c: compressed instructions run with C, are illegal without', () => {
    const probe = [(A.cNop() | (A.cNop() << 16)) >>> 0]; // two c.nop in one word
    expect(probeRuns({ c: true }, probe)).toBe(RAN);
    expect(probeRuns({ c: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.s: satp (an S-mode CSR) exists with S, is illegal without', () => {
    const probe = [A.csrr(t2, CSR.satp)];
    expect(probeRuns({ s: true, u: true }, probe)).toBe(RAN);
    expect(probeRuns({ s: false, u: true }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.u: mstatus.MPP holds U (0) with U-mode; without it MPP stays M', () => {
    const MPP = 3 << 11;
    const program = [...A.li(t2, MPP), A.csrrc(0, CSR.mstatus, t2), A.csrr(t1, CSR.mstatus), ...A.li(t2, MPP), A.and(t1, t1, t2), A.srli(t1, t1, 11), ...storeResultAndPass];
    expect(runProgram(bareBoard({ s: false, u: true }), program).space().load(RESULT, 4)).toBe(0);
    expect(runProgram(bareBoard({ s: false, u: false }), program).space().load(RESULT, 4)).toBe(3);
  });

  it('riscv-cpu.f: with F, mstatus.FS turns on and fmv.w.x is an instruction; without F, illegal', () => {
    const probe = [...A.li(t2, 1 << 13), A.csrrs(0, CSR.mstatus, t2), A.fmvWX(1, t2)]; // FS = initial, then f1 = t2
    expect(probeRuns({ f: true }, probe)).toBe(RAN);
    expect(probeRuns({ f: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.d: with D, fsgnj.d is an instruction; with F only, illegal; D without F is refused', () => {
    const probe = [...A.li(t2, 1 << 13), A.csrrs(0, CSR.mstatus, t2), A.fsgnjD(1, 2, 3)];
    expect(probeRuns({ f: true, d: true }, probe)).toBe(RAN);
    expect(probeRuns({ f: true, d: false }, probe)).toBe(TRAPPED);
    expect(() => Machine.build(resolved(bareBoard({ f: false, d: true })), new Map([['p.bin', bytesOf(probe)]]))).toThrow(/double precision \(d\) needs single precision \(f\)/);
  });

  it('riscv-cpu.zba: sh1add is an instruction with Zba, illegal without', () => {
    const probe = [A.sh1add(t2, t2, t2)];
    expect(probeRuns({ zba: true }, probe)).toBe(RAN);
    expect(probeRuns({ zba: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.zbb: clz is an instruction with Zbb, illegal without', () => {
    const probe = [A.clz(t2, t2)];
    expect(probeRuns({ zbb: true }, probe)).toBe(RAN);
    expect(probeRuns({ zbb: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.zbc: clmul is an instruction with Zbc, illegal without', () => {
    const probe = [A.clmul(t2, t2, t2)];
    expect(probeRuns({ zbc: true }, probe)).toBe(RAN);
    expect(probeRuns({ zbc: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.zbs: bseti is an instruction with Zbs, illegal without', () => {
    const probe = [A.bseti(t2, t2, 5)];
    expect(probeRuns({ zbs: true }, probe)).toBe(RAN);
    expect(probeRuns({ zbs: false }, probe)).toBe(TRAPPED);
  });

  it('riscv-cpu.debug: csrw tselect is an instruction with the trigger module, illegal without', () => {
    const probe = [A.csrw(0x7a0, zero)]; // tselect
    expect(probeRuns({ debug: true }, probe)).toBe(RAN);
    expect(probeRuns({ debug: false }, probe)).toBe(TRAPPED);
  });
});

// ---- Cortex-M: a board of flash at 0 and SRAM at 0x20000000, one raw image at 0 holding a vector
// table and a Thumb program (./cpu/arm/asm.ts); registers are read and written by the guest.
const ARM_SRAM = 0x2000_0000;
const ARM_STACK_TOP = ARM_SRAM + 0x8000;
/** Where the ARM probes leave their result word (r2). */
const ARM_RESULT = ARM_SRAM + 0x100;
/** The program starts after the vector table (16 system + 32 external entries). */
const ARM_CODE = 0x200;
const NVIC_ISER0 = 0xe000_e100;
const NVIC_IPR0 = 0xe000_e400;
const SYST_CSR = 0xe000_e010;
const SYST_CSR_ENABLE = 1 << 0;
const SYST_CSR_TICKINT = 1 << 1;
const SYST_CSR_CLKSOURCE = 1 << 2;
/** System Control Block registers, as offsets in the System Control Space at 0xE000E000 (the core's own, not the board's address space). */
const SCB_VTOR = 0xd08;
const SCB_CFSR = 0xd28;
const SCB_HFSR = 0xd2c;
const SCB_BFAR = 0xd38;
const CFSR_PRECISERR = 1 << 9;
const CFSR_BFARVALID = 1 << 15;
const HFSR_FORCED = 1 << 30;
const HFSR_DEBUGEVT = 1 << 31;
const EXC_HARDFAULT = 3;
const EXC_SYSTICK = 15;
const SYS_WRITEC = 0x03;

/** A Thumb program at ARM_CODE with a literal pool (ARMv6-M has no MOVW, so constants are literal loads). */
class ArmProgram {
  readonly p = new T.Program(ARM_CODE);
  private readonly pool: Array<{ label: string; value: number }> = [];
  constructor() {
    this.p.label('start');
  }
  /** rd = value (LDR rd, =value). */
  li(rd: number, value: number): this {
    const label = `lit${this.pool.length}`;
    this.pool.push({ label, value: value >>> 0 });
    this.p.ldrLit(rd, label);
    return this;
  }
  /** The image: a vector table at `tableAt` (SP, reset → start, `vectors` by exception number, the rest → `spin`) and the program. */
  image(vectors: Record<number, string> = {}, tableAt = 0): Uint8Array {
    this.p.label('spin').b('spin');
    for (const { label, value } of this.pool) this.p.word(value, label);
    const code = this.p.bytes();
    const bytes = new Uint8Array(ARM_CODE + code.length);
    bytes.set(code, ARM_CODE);
    const table = new DataView(bytes.buffer, tableAt, 4 * 48);
    table.setUint32(0, ARM_STACK_TOP, true);
    for (let e = 1; e < 48; e++) table.setUint32(4 * e, (this.p.address(e === 1 ? 'start' : (vectors[e] ?? 'spin')) | 1) >>> 0, true);
    return bytes;
  }
}

function armBoard(type: string, cpuProps: Record<string, PropertyValueDocument>): BoardDocument {
  return {
    boardlab: 1,
    name: 'arm-probe',
    objects: { cpu0: { type, props: cpuProps as ObjectDocument['props'] }, flash: { type: 'ram', props: { size: '64K' } }, sram: { type: 'ram', props: { size: '64K' } } },
    memory: [{ map: 'flash.mem', at: '0x0' }, { map: 'sram.mem', at: '0x20000000' }],
    images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x0' }],
  };
}

function armMachine(type: string, cpuProps: Record<string, PropertyValueDocument>, image: Uint8Array, console?: number[]): Machine {
  // semihosting writes reach the host through onConsoleOutput (with QEMU's stream), UART bytes through onSerialOutput
  return Machine.build(resolved(armBoard(type, cpuProps)), new Map([['p.bin', image]]), {
    onSerialOutput: console && ((_, byte) => console.push(byte)),
    onConsoleOutput: console && ((_, bytes) => console.push(...bytes)),
  });
}

/** A System Control Space register of the machine's core (offset from 0xE000E000). */
function scsRegister(machine: Machine, offset: number): number {
  return (cortexMCore(machine.cpu('/machine/cpu0')).scs.read(offset, 4) ?? Number.NaN) >>> 0;
}

/** Runs the machine until its core is about to execute `address`; returns the virtual time (ns) then. */
function runArmTo(machine: Machine, address: number, budget = 1_000_000): number {
  const cpu = machine.cpu('/machine/cpu0')!;
  cpu.breakpoints.add(address);
  let executed = 0;
  while (!(machine.stoppedAtBreakpoint !== null && cpu.pc === address)) {
    const ran = machine.run(budget - executed);
    executed += ran;
    if (executed >= budget || (ran === 0 && machine.stoppedAtBreakpoint === null)) throw new Error(`the core did not reach 0x${address.toString(16)}: pc 0x${cpu.pc.toString(16)}, ${cpu.debug.describe()}`);
  }
  cpu.breakpoints.delete(address);
  return machine.clock.now();
}

/** Runs `build` (it leaves its answer in r2) on a `type` core with `cpuProps`; returns the word it stored. */
function armProbe(type: string, cpuProps: Record<string, PropertyValueDocument>, build: (a: ArmProgram) => void): number {
  const a = new ArmProgram();
  build(a);
  a.li(3, ARM_RESULT).p.i(T.strImm(2, 3, 0)).label('done').b('done');
  const machine = armMachine(type, cpuProps, a.image());
  runArmTo(machine, a.p.address('done'));
  return machine.space().load(ARM_RESULT, 4) >>> 0;
}

/**
 * Virtual time (ns) from enabling SysTick with `csr` and `rvr` (the counter cleared first) to
 * entering its handler, on a core whose WFI lets the machine jump to the timer.
 */
function sysTickPeriodNs(cpuProps: Record<string, PropertyValueDocument>, csr: number, rvr: number): number {
  const a = new ArmProgram();
  a.li(0, SYST_CSR).li(1, rvr).p.i(T.strImm(1, 0, 4), T.movs(1, 0), T.strImm(1, 0, 8), T.movs(1, csr), T.strImm(1, 0, 0));
  a.p.label('enabled').i(T.wfi()).b('enabled');
  a.p.label('tick').i(T.wfi()).b('tick');
  const machine = armMachine('cortex-m3', cpuProps, a.image({ [EXC_SYSTICK]: 'tick' }));
  const enabled = runArmTo(machine, a.p.address('enabled'));
  return runArmTo(machine, a.p.address('tick')) - enabled;
}

/** NVIC_IPR0 after writing all ones to it on a `type` core with `cpuProps`. */
function ipr0AfterAllOnes(type: string, cpuProps: Record<string, PropertyValueDocument>): number {
  return armProbe(type, cpuProps, (a) => a.li(0, NVIC_IPR0).li(1, 0xffff_ffff).p.i(T.strImm(1, 0, 0), T.ldrImm(2, 0, 0)));
}

/** How close a measured SysTick period must be: the enabling store and the exception entry take an instruction or two of the core (40 ns each at 25 MHz). */
const systickSlackNs = (coreHz = 25_000_000) => (2 * 1e9) / coreHz;

describe('Cortex-M properties change what the core does', () => {
  it('arm-cpu.reset-vector: reset reads SP and PC from the vector table there (and VTOR holds it)', () => {
    // Two tables: at 0 (reset → start) and at 0x80 (reset → other, another stack).
    const a = new ArmProgram();
    a.p.i(T.nop()).label('other').i(T.nop());
    const image = a.image();
    const second = new DataView(image.buffer, 0x80, 8);
    second.setUint32(0, ARM_STACK_TOP - 0x100, true);
    second.setUint32(4, (a.p.address('other') | 1) >>> 0, true);
    const booted = (vector: string) => {
      const machine = armMachine('cortex-m3', { 'reset-vector': vector }, image);
      const cpu = machine.cpu('/machine/cpu0')!;
      const sp = cpu.debug.registers.findIndex((r) => r.name === 'sp');
      return { pc: cpu.pc, sp: cpu.debug.readRegister(sp), vtor: scsRegister(machine, SCB_VTOR) };
    };
    expect(booted('0x0')).toEqual({ pc: a.p.address('start'), sp: ARM_STACK_TOP, vtor: 0 });
    expect(booted('0x80')).toEqual({ pc: a.p.address('other'), sp: ARM_STACK_TOP - 0x100, vtor: 0x80 });
  });

  it('arm-cpu.num-irq: external lines at or beyond num-irq do not exist (their ISER bits read 0, there is no port)', () => {
    const iser0 = (numIrq: number) => armProbe('cortex-m3', { 'num-irq': numIrq }, (a) => a.li(0, NVIC_ISER0).li(1, 0xffff_ffff).p.i(T.strImm(1, 0, 0), T.ldrImm(2, 0, 0)));
    expect(iser0(32)).toBe(0xffff_ffff);
    expect(iser0(8)).toBe(0xff);
    const port = (numIrq: number, line: number) => armMachine('cortex-m3', { 'num-irq': numIrq }, new ArmProgram().image()).cpu('/machine/cpu0')!.interruptInput(`irq[${line}]`);
    expect(port(32, 8)).toBeTypeOf('function');
    expect(port(8, 7)).toBeTypeOf('function');
    expect(port(8, 8)).toBeUndefined();
  });

  it('arm-cpu.clock-frequency: SysTick with CLKSOURCE = 1 wraps after RVR + 1 core-clock ticks of virtual time', () => {
    const csr = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE;
    expect(Math.abs(sysTickPeriodNs({ 'clock-frequency': 25_000_000 }, csr, 999) - 40_000)).toBeLessThanOrEqual(systickSlackNs()); // 1000 / 25 MHz
    expect(Math.abs(sysTickPeriodNs({ 'clock-frequency': 10_000_000 }, csr, 999) - 100_000)).toBeLessThanOrEqual(systickSlackNs(10_000_000)); // 1000 / 10 MHz
  });

  it('arm-cpu.refclk-frequency: SysTick with CLKSOURCE = 0 counts the reference clock, and SYST_CALIB.TENMS is its ticks in 10 ms minus one', () => {
    const csr = SYST_CSR_ENABLE | SYST_CSR_TICKINT;
    expect(Math.abs(sysTickPeriodNs({ 'refclk-frequency': 1_000_000 }, csr, 99) - 100_000)).toBeLessThanOrEqual(systickSlackNs()); // 100 / 1 MHz
    expect(Math.abs(sysTickPeriodNs({ 'refclk-frequency': 4_000_000 }, csr, 99) - 25_000)).toBeLessThanOrEqual(systickSlackNs()); // 100 / 4 MHz
    const calib = (hz: number) => armProbe('cortex-m3', { 'refclk-frequency': hz }, (a) => a.li(0, SYST_CSR).p.i(T.ldrImm(2, 0, 12)));
    expect(calib(1_000_000)).toBe(9_999);
    expect(calib(3_000_000)).toBe(29_999);
  });

  it('arm-cpu.semihosting: bkpt 0xab is a semihosting call (SYS_WRITEC to the console) with it; without it, a debug event that escalates to HardFault', () => {
    const run = (semihosting: boolean) => {
      const a = new ArmProgram();
      a.li(1, ARM_RESULT).p.i(T.movs(0, 0x42), T.strbImm(0, 1, 0), T.movs(0, SYS_WRITEC), T.bkpt(0xab));
      a.p.label('after').b('after');
      a.p.label('hard').b('hard');
      const console: number[] = [];
      const machine = armMachine('cortex-m3', { semihosting }, a.image({ [EXC_HARDFAULT]: 'hard' }), console);
      const cpu = machine.cpu('/machine/cpu0')!;
      cpu.breakpoints.add(a.p.address('after'));
      cpu.breakpoints.add(a.p.address('hard'));
      machine.run(10_000);
      return { at: cpu.pc === a.p.address('after') ? 'after' : cpu.pc === a.p.address('hard') ? 'hard' : `0x${cpu.pc.toString(16)}`, console: String.fromCharCode(...console), hfsr: scsRegister(machine, SCB_HFSR) };
    };
    expect(run(true)).toEqual({ at: 'after', console: 'B', hfsr: 0 });
    expect(run(false)).toEqual({ at: 'hard', console: '', hfsr: HFSR_DEBUGEVT >>> 0 });
  });

  it('cortex-m3.num-prio-bits: NVIC_IPR keeps only the top num-prio-bits bits of a priority', () => {
    expect(ipr0AfterAllOnes('cortex-m3', { 'num-prio-bits': 8 })).toBe(0xffff_ffff);
    expect(ipr0AfterAllOnes('cortex-m3', { 'num-prio-bits': 3 })).toBe(0xe0e0_e0e0);
  });

  /** ARMv6-M implements 2 priority bits: 0xFF reads back 0xC0, and the core refuses another count. */
  const v6mPriorityBits = (type: string) => {
    expect(ipr0AfterAllOnes(type, { 'num-prio-bits': 2 })).toBe(0xc0c0_c0c0);
    const space = Machine.build(resolved(armBoard(type, {})), new Map([['p.bin', new ArmProgram().image()]])).space();
    expect(() => armCpus[type]({ path: '/machine/cpu0', props: { 'num-prio-bits': 3 }, space })).toThrow(/implements 2 priority bits; "num-prio-bits" is 3/);
  };

  it('cortex-m0.num-prio-bits: NVIC_IPR keeps the top 2 bits (ARMv6-M implements 2); the core refuses another count', () => v6mPriorityBits('cortex-m0'));

  it('cortex-m0plus.num-prio-bits: NVIC_IPR keeps the top 2 bits (ARMv6-M implements 2); the core refuses another count', () => v6mPriorityBits('cortex-m0plus'));

  it('cortex-m3.bitband: a store to a bit-band alias sets the bit with it; without it the alias is unmapped and the store a BusFault (escalated to HardFault)', () => {
    const target = ARM_SRAM + 0x200;
    const alias = 0x2200_0000 + 0x200 * 32 + 5 * 4; // bit 5 of the word at 0x20000200
    const run = (bitband: boolean) => {
      const a = new ArmProgram();
      a.li(0, alias).p.i(T.movs(1, 1), T.strImm(1, 0, 0));
      a.p.label('stored').b('stored');
      a.p.label('hard').b('hard');
      const machine = armMachine('cortex-m3', { bitband }, a.image({ [EXC_HARDFAULT]: 'hard' }));
      const cpu = machine.cpu('/machine/cpu0')!;
      cpu.breakpoints.add(a.p.address('stored'));
      cpu.breakpoints.add(a.p.address('hard'));
      machine.run(10_000);
      const space = machine.space();
      return {
        at: cpu.pc === a.p.address('stored') ? 'stored' : cpu.pc === a.p.address('hard') ? 'hard' : `0x${cpu.pc.toString(16)}`,
        word: space.load(target, 4) >>> 0,
        cfsr: scsRegister(machine, SCB_CFSR),
        hfsr: scsRegister(machine, SCB_HFSR),
        bfar: scsRegister(machine, SCB_BFAR),
      };
    };
    expect(run(true)).toMatchObject({ at: 'stored', word: 1 << 5, cfsr: 0, hfsr: 0 });
    expect(run(false)).toEqual({ at: 'hard', word: 0, cfsr: CFSR_PRECISERR | CFSR_BFARVALID, hfsr: HFSR_FORCED, bfar: alias });
  });
});

describe('memory properties', () => {
  const region = (machine: Machine, path: string) => {
    const found = machine.devices.get(path)?.regions.get('mem');
    if (found?.kind !== 'ram') throw new Error(`${path} has no RAM region`);
    return found;
  };
  const halt = [...A.li(t0, FINISHER), ...A.li(t1, 0x5555), A.sw(t1, t0, 0)];

  it('ram.size: the memory is as large as its size, and the guest sees exactly that much', () => {
    const probeEnd = (size: string) => {
      const document = bareBoard({});
      document.objects.scratch = { type: 'ram', props: { size } };
      document.memory!.push({ map: 'scratch.mem', at: '0x90000000' });
      const machine = runProgram(document, halt);
      return { bytes: region(machine, '/machine/scratch').byteLength, space: machine.space() };
    };
    const small = probeEnd('4K');
    const large = probeEnd('8K');
    expect(small.bytes).toBe(4096);
    expect(large.bytes).toBe(8192);
    expect(() => small.space.load(0x9000_1000, 4)).toThrow();
    expect(large.space.load(0x9000_1000, 4)).toBe(0);
  });

  it('ram.shared: where the host shares guest memory with the page, the memory is in the shared arena only when shared', () => {
    const backing = (shared: boolean) => {
      const document = bareBoard({});
      document.objects.ram = { type: 'ram', props: { size: '64K', shared } };
      const machine = Machine.build(resolved(document), new Map([['p.bin', bytesOf(halt)]]), { sharesGuestMemory: true });
      const ram = machine.space().findRam(0x8000_0000)!;
      return { buffer: region(machine, '/machine/ram').buffer, arenaOffset: ram.arenaOffset };
    };
    expect(backing(true).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(backing(true).arenaOffset).toBeGreaterThan(0);
    expect(backing(false).buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(backing(false).arenaOffset).toBe(-1);
  });

  it('ram.shared: false keeps the memory private also when the host supplies its own shared buffers (allocateRam)', () => {
    const backing = (shared: boolean) => {
      const document = bareBoard({});
      document.objects.ram = { type: 'ram', props: { size: '64K', shared } };
      const machine = Machine.build(resolved(document), new Map([['p.bin', bytesOf(halt)]]), { allocateRam: (bytes) => new SharedArrayBuffer(bytes) });
      return region(machine, '/machine/ram').buffer;
    };
    expect(backing(true)).toBeInstanceOf(SharedArrayBuffer);
    expect(backing(false)).not.toBeInstanceOf(SharedArrayBuffer);
  });

  it('boot-rom.fdt: a1 holds the address of a device tree in RAM, or 0 without one', () => {
    const a1At = (fdt: boolean) => {
      const document: BoardDocument = { boardlab: 1, name: 'virt', extends: 'riscv-virt', objects: { mrom: { props: { fdt } } }, images: [{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }] };
      const machine = runProgram(document, [A.addi(t1, a1, 0), ...storeResultAndPass]);
      expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
      const address = machine.space().load(RESULT, 4) >>> 0;
      return { address, magic: address === 0 ? 0 : machine.space().load(address, 4) >>> 0 };
    };
    const withTree = a1At(true);
    expect(withTree.address).toBeGreaterThan(RAM);
    expect(withTree.magic).toBe(0xedfe0dd0); // 0xd00dfeed, big-endian in memory
    expect(a1At(false)).toEqual({ address: 0, magic: 0 });
  });
});

const context = (path: string, props: DeviceContext['props'], clock?: VirtualClock): DeviceContext => ({ path, props, allocateRam: privateRam, clock });

/** A clock that shows `time()` ns and never fires timers. */
const clockAt = (time: () => number): VirtualClock => ({ now: time, schedule: () => 0, cancel: () => {} });

describe('device properties change what the device does', () => {
  it('ns16550a.fifo-depth: the receive FIFO holds that many bytes of a burst', () => {
    const held = (depth: number) => {
      const uart = new Ns16550a(context('/machine/uart0', { 'fifo-depth': depth }));
      uart.receive(new Uint8Array(40));
      let count = 0;
      while (uart.read(UART_LSR, 1) & LSR_DR) {
        uart.read(0, 1);
        count++;
      }
      return count;
    };
    expect(held(1)).toBe(1);
    expect(held(16)).toBe(16);
  });

  it('clint.timebase-frequency: mtime counts at that rate', () => {
    const mtimeAfterOneSecond = (frequency: number) => {
      let now = 0;
      const clint = new Clint(context('/machine/clint', { 'timebase-frequency': frequency }, clockAt(() => now)));
      now = 1e9;
      return clint.read(CLINT_MTIME, 4);
    };
    expect(mtimeAfterOneSecond(10_000_000)).toBe(10_000_000);
    expect(mtimeAfterOneSecond(1_000_000)).toBe(1_000_000);
  });

  it('clint.num-harts: one msip register per hart, the ones beyond are not there', () => {
    const msipOfHart1 = (harts: number) => {
      const clint = new Clint(context('/machine/clint', { 'num-harts': harts }, clockAt(() => 0)));
      clint.write(CLINT_MSIP + 4, 1, 4);
      return clint.read(CLINT_MSIP + 4, 4);
    };
    expect(msipOfHart1(2)).toBe(1);
    expect(msipOfHart1(1)).toBe(0);
  });

  it('plic.num-sources: sources at or above num-sources do not exist', () => {
    const claimed = (sources: number) => {
      const plic = new Plic(context('/machine/plic', { 'num-sources': sources, 'num-harts': 1 }));
      const lines: boolean[] = [];
      plic.connectIrqOutput('meip', 0, { set: (level) => lines.push(level) });
      plic.write(PLIC_PRIORITY + 4 * 20, 1, 4);
      plic.write(PLIC_ENABLE, 1 << 20, 4);
      plic.setIrqInput('in', 20, true);
      return plic.read(PLIC_CONTEXT + PLIC_CONTEXT_STRIDE * plicMachineContext(0) + PLIC_CLAIM_COMPLETE, 4);
    };
    expect(claimed(32)).toBe(20);
    expect(claimed(8)).toBe(0);
  });

  it('plic.num-harts: two contexts (M and S) per hart, each driving its hart\'s line', () => {
    const meipOfHart1 = (harts: number) => {
      const plic = new Plic(context('/machine/plic', { 'num-sources': 32, 'num-harts': harts }));
      const lines: boolean[] = [];
      plic.connectIrqOutput('meip', 1, { set: (level) => lines.push(level) });
      plic.write(PLIC_PRIORITY + 4 * 3, 1, 4);
      plic.write(PLIC_ENABLE + 0x80 * plicMachineContext(1), 1 << 3, 4);
      plic.setIrqInput('in', 3, true);
      return { contexts: plic.numContexts, raised: lines.includes(true) };
    };
    expect(meipOfHart1(2)).toEqual({ contexts: 4, raised: true });
    expect(meipOfHart1(1)).toEqual({ contexts: 2, raised: false });
  });

  it('gpio.num-lines: input lines beyond num-lines are not there', () => {
    const inputs = (lines: number) => {
      const gpio = new Gpio(context('/machine/gpio', { 'num-lines': lines }));
      for (let line = 0; line < 32; line++) gpio.setIrqInput('in', line, true);
      return gpio.read(GPIO_INPUT, 4) >>> 0;
    };
    expect(inputs(8)).toBe(0xff);
    expect(inputs(32)).toBe(0xffffffff);
  });

  it('button.active-low: a pressed button drives its line low instead of high', () => {
    const levelWhilePressed = (activeLow: boolean) => {
      const button = new Button(context('/machine/button0', { 'active-low': activeLow }));
      const levels: boolean[] = [];
      const line: IrqLine = { set: (level) => levels.push(level) };
      button.connectIrqOutput('out', 0, line);
      button.press();
      return levels[levels.length - 1];
    };
    expect(levelWhilePressed(false)).toBe(true);
    expect(levelWhilePressed(true)).toBe(false);
  });

  it('framebuffer.width: the row length, so pixel (0, 1) starts width pixels in', () => {
    const secondRow = (width: number) => {
      const fb = new Framebuffer(context('/machine/fb', { width, height: 4, format: 'xrgb8888' }));
      new DataView(fb.memory.buffer, fb.memory.byteOffset).setUint32(8 * 4, 0x00ff0000, true); // pixel 8 of the memory
      return fb.pixel(0, 1);
    };
    expect(secondRow(8)).toBe(0x00ff0000);
    expect(secondRow(16)).toBe(0);
  });

  it('framebuffer.height: the number of rows, and with width the size of pixel memory', () => {
    const fb = (height: number) => new Framebuffer(context('/machine/fb', { width: 8, height, format: 'xrgb8888' }));
    expect(fb(4).height).toBe(4);
    expect(fb(4).memory.byteLength).toBe(8 * 4 * 4);
    expect(fb(6).memory.byteLength).toBe(8 * 6 * 4);
  });

  it('framebuffer.format: the same bytes are one xrgb8888 pixel or two rgb565 pixels', () => {
    const firstPixels = (format: string) => {
      const fb = new Framebuffer(context('/machine/fb', { width: 4, height: 1, format }));
      new DataView(fb.memory.buffer, fb.memory.byteOffset).setUint32(0, 0xf800_001f, true); // rgb565: blue, then red
      return [fb.pixel(0, 0), fb.pixel(1, 0)];
    };
    expect(firstPixels('xrgb8888')).toEqual([0x00001f, 0]); // bytes 1f 00 00 f8: X is ignored
    expect(firstPixels('rgb565')).toEqual([0x0000ff, 0xff0000]); // 0x001f blue, 0xf800 red
  });
});

describe('the catalog tells the truth', () => {
  it('every property of every type has its behaviour test (here or in its device\'s test), or is marked descriptive with the reason', () => {
    // A test named "<type>.<property>: …" in any engine test file counts, so a new device keeps its
    // property tests beside its code.
    const engineDir = fileURLToPath(new URL('.', import.meta.url));
    const testFiles = readdirSync(engineDir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.test.ts'));
    const titles = testFiles.flatMap((file) => [...readFileSync(join(engineDir, file), 'utf8').matchAll(/^\s*(?:it|test)\('([a-z0-9-]+\.[a-z0-9-]+): /gm)].map((m) => m[1]));
    const tested = new Set(titles);
    const declared = listTypes().flatMap((type) => (findType(type.name)?.props ?? []).map((prop) => ({ key: `${type.name}.${prop.name}`, prop })));
    expect(declared.length).toBeGreaterThan(20);
    const untested = declared.filter(({ key, prop }) => prop.descriptive === undefined && !tested.has(key)).map(({ key }) => key);
    expect(untested, 'give each a test named "<type>.<property>: …" here, or mark it descriptive in src/graph/catalog.ts').toEqual([]);
    const descriptive = declared.filter(({ prop }) => prop.descriptive !== undefined);
    expect(descriptive.map(({ key }) => key)).toEqual(['ns16550a.clock-frequency', 'led.color']);
    for (const { prop } of descriptive) expect(prop.descriptive).toMatch(/^Only .{20,}/);
    expect([...tested].filter((key) => !declared.some((d) => d.key === key && d.prop.descriptive === undefined)), 'tests here name behavioural catalog properties only').toEqual([]);
  });
});
