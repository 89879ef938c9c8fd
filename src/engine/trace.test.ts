import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard } from '../graph/index.ts';
import { Machine } from './machine.ts';
import { firstDivergence, formatCpuTraceStep, formatTraceStep, parseQemuCpuLog, traceAll, traceRun, type TraceStep } from './trace.ts';
import { elfSymbol } from './gdb/testing.ts';
import * as ArmAsm from './cpu/arm/asm.ts';
import { traceTargetOf } from '../../scripts/lib/trace-reference.ts';

const helloElf = new Uint8Array(readFileSync(new URL('../../public/firmware/hello.elf', import.meta.url)));

function helloMachine(): Machine {
  const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'hello.elf' }] });
  if (!result.ok) throw new Error(result.problems[0].message);
  return Machine.build(result.board, new Map([['hello.elf', helloElf]]));
}

describe('trace mode', () => {
  it('reports each instruction with its PC, word and changed registers, starting in the boot ROM', () => {
    const steps: TraceStep[] = [];
    traceRun(helloMachine(), 7, (s) => steps.push(s));
    expect(steps.map(formatTraceStep)).toEqual([
      '       0 00001000 00000297 t0=00001000',
      '       1 00001004 02828613 a2=00001028',
      '       2 00001008 f1402573',
      '       3 0000100c 0202a583 a1=87e00000',
      '       4 00001010 0182a283 t0=80000000',
      '       5 00001014 00028067',
      expect.stringMatching(/^ {7}6 80000000 [0-9a-f]{4,8} gp=/),
    ]);
  });

  it('runs to the end of the firmware like a normal run, instruction for instruction', () => {
    const traced = helloMachine();
    const count = traceRun(traced, 1_000_000, () => {});
    const normal = helloMachine();
    normal.run(1_000_000);
    expect(traced.exit).toEqual({ kind: 'pass', code: 0 });
    expect(count).toBe(normal.instructions);
  });

  it('reports float register changes in as many hex digits as the registers are wide (64 with D)', () => {
    const words = [0x000022b7, 0x3002a073, 0x3ff002b7, 0xf0028053, 0xd2028053, 0x00100073]; // lui t0,0x2; csrs mstatus,t0; lui t0,0x3ff00; fmv.w.x ft0,t0; fcvt.d.w ft0,t0; ebreak
    const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'fp.bin', format: 'binary', at: '0x80000000' }] });
    if (!result.ok) throw new Error(result.problems[0].message);
    const machine = Machine.build(result.board, new Map([['fp.bin', new Uint8Array(Uint32Array.from(words).buffer)]]));
    const steps: TraceStep[] = [];
    traceRun(machine, 12, (s) => steps.push(s));
    const lines = steps.map(formatTraceStep).filter((line) => / 800000[0-9a-f]{2} /.test(line));
    expect(lines.slice(3, 5)).toEqual(['       9 8000000c f0028053 ft0=ffffffff3ff00000', '      10 80000010 d2028053 ft0=41cff80000000000']);
  });

  it('parses QEMU -d cpu logs and finds the first divergence', () => {
    const log = [' pc       00001000', ' x0/zero  00000000 x1/ra    00000000 x2/sp    00000000 x3/gp    00000000', ' x4/tp    00000000 x5/t0    00000000', ' pc       00001004', ' x5/t0    00001000 x12/a2   00000000'].join('\n');
    const reference = parseQemuCpuLog(log);
    expect(reference.map((s) => s.pc)).toEqual([0x1000, 0x1004]);
    expect(reference[1].x[5]).toBe(0x1000);
    const same = reference.map((s) => ({ pc: s.pc, x: [...s.x] }));
    expect(firstDivergence(reference, same)).toBeUndefined();
    same[1].x[5] = 0x2000;
    expect(firstDivergence(reference, same)).toEqual({ step: 1, pc: { reference: 0x1004, boardlab: 0x1004 }, registers: [{ name: 'x5/t0', reference: 0x1000, boardlab: 0x2000 }] });
  });

  it('parses the f registers of a QEMU -d cpu,fpu log and compares them', () => {
    const log = [' pc       00001000', ' x5/t0    00000000', ' f0/ft0   0000000000000000 f1/ft1   ffffffff3f800000', ' pc       00001004', ' f10/fa0  400921fb54442d18'].join('\n');
    const reference = parseQemuCpuLog(log);
    expect(reference[0].f?.[1]).toBe(0xffff_ffff_3f80_0000n);
    expect(reference[1].f?.[10]).toBe(0x4009_21fb_5444_2d18n);
    const ours = reference.map((s) => ({ pc: s.pc, x: [...s.x], f: [...(s.f ?? [])] }));
    expect(firstDivergence(reference, ours)).toBeUndefined();
    ours[1].f[10] = 0n;
    expect(firstDivergence(reference, ours)).toEqual({ step: 1, pc: { reference: 0x1004, boardlab: 0x1004 }, registers: [], floatRegisters: [{ name: 'f10', reference: 0x4009_21fb_5444_2d18n, boardlab: 0n }] });
  });
});

describe('trace mode on ARM (mps2-an385)', () => {
  // Two states as QEMU 7.2 logs them for a Cortex-M (`qemu-system-arm -M mps2-an385 -singlestep -d cpu,nochain`).
  const armLog = [
    'R00=00000000 R01=00000000 R02=00000000 R03=00000000',
    'R04=00000000 R05=00000000 R06=00000000 R07=00000000',
    'R08=00000000 R09=00000000 R10=00000000 R11=00000000',
    'R12=00000000 R13=20002008 R14=ffffffff R15=0000012c',
    'XPSR=41000000 -Z-- T priv-thread',
    'R00=00000000 R01=00000000 R02=20000000 R03=00000000',
    'R04=00000000 R05=00000007 R06=00000000 R07=00000000',
    'R08=00000000 R09=00000000 R10=00000000 R11=00000000',
    'R12=00000000 R13=20002000 R14=ffffffff R15=0000012e',
    'XPSR=61000000 -ZC- T priv-thread',
  ].join('\n');

  it('parses QEMU\'s ARM -d cpu log: r0-r14, R15 as the pc, XPSR as the status register', () => {
    const states = parseQemuCpuLog(armLog);
    expect(states.map((s) => s.pc)).toEqual([0x12c, 0x12e]);
    expect(states[1].x).toHaveLength(15);
    expect(states[1].x[2]).toBe(0x2000_0000);
    expect(states[1].x[5]).toBe(7);
    expect(states[1].x[13]).toBe(0x2000_2000);
    expect(states[1].x[14]).toBe(0xffff_ffff);
    expect(states[1].names?.[13]).toBe('r13/sp');
    expect(states.map((s) => s.status)).toEqual([{ name: 'xpsr', value: 0x4100_0000 }, { name: 'xpsr', value: 0x6100_0000 }]);
  });

  it('reports a differing general register by name, and xPSR', () => {
    const reference = parseQemuCpuLog(armLog);
    const ours = parseQemuCpuLog(armLog);
    expect(firstDivergence(reference, ours)).toBeUndefined();
    ours[1].x[5] = 8;
    ours[1].status = { name: 'xpsr', value: 0x2100_0000 };
    expect(firstDivergence(reference, ours)).toEqual({
      step: 1, pc: { reference: 0x12e, boardlab: 0x12e },
      registers: [{ name: 'r5', reference: 7, boardlab: 8 }, { name: 'xpsr', reference: 0x6100_0000, boardlab: 0x2100_0000 }],
    });
  });

  it('compares the flags the architecture leaves UNKNOWN at reset from the first step where they agree, every other xPSR bit always', () => {
    const reference = parseQemuCpuLog(armLog);
    const flags = { statusUnknownAtReset: 0xf800_0000 };
    const ours = parseQemuCpuLog(armLog);
    ours[0].status = { name: 'xpsr', value: 0x0100_0000 }; // a Cortex-M3's reset xPSR; QEMU's log starts with Z set
    expect(firstDivergence(reference, ours)?.registers).toEqual([{ name: 'xpsr', reference: 0x4100_0000, boardlab: 0x0100_0000 }]);
    expect(firstDivergence(reference, ours, flags)).toBeUndefined();
    // a wrong T bit or exception number is a divergence even at reset
    ours[0].status = { name: 'xpsr', value: 0x4000_0000 };
    expect(firstDivergence(reference, ours, flags)?.step).toBe(0);
    // once the flags agreed (step 0), a flag that differs later is reported
    const later = parseQemuCpuLog(armLog);
    later[1].status = { name: 'xpsr', value: 0x4100_0000 };
    expect(firstDivergence(reference, later, flags)).toEqual({ step: 1, pc: { reference: 0x12e, boardlab: 0x12e }, registers: [{ name: 'xpsr', reference: 0x6100_0000, boardlab: 0x4100_0000 }] });
  });

  it('traces an ARM guest: starts at the reset vector, shows the SVC\'s exception entry (sp, lr = EXC_RETURN, xPSR with IPSR 11) and the handler next', () => {
    const elf = new Uint8Array(readFileSync(new URL('../../public/firmware/arm/gdb-demo.elf', import.meta.url)));
    const result = resolveBoard({ ...boardFromMachineType('mps2-an385'), globals: { 'cortex-m3': { semihosting: true } }, images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    if (!result.ok) throw new Error(result.problems[0].message);
    const machine = Machine.build(result.board, new Map([['fw.elf', elf]]));
    const steps: TraceStep[] = [];
    traceRun(machine, 100_000, (s) => steps.push(s));
    expect(machine.exit).toEqual({ kind: 'pass', code: 0 });
    expect(steps[0].pc).toBe(elfSymbol(elf, 'reset_handler') & ~1);
    expect(steps[0].names).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11', 'r12', 'sp', 'lr']);
    const handler = elfSymbol(elf, 'svc_handler') & ~1;
    const entry = steps.findIndex((s) => s.pc === handler);
    const svc = steps[entry - 1];
    expect(svc.instruction).toBe(0xdf00); // svc 0
    expect(svc.changed.get(14)).toBe(0xffff_fff9); // lr: return to thread mode on the MSP
    expect(svc.changed.get(13)).toBe(((svc.before[13] - 32) & ~7) >>> 0); // the 8-word frame, 8-byte aligned (CCR.STKALIGN)
    expect((svc.statusChanged ?? 0) & 0x1ff).toBe(11); // IPSR: SVCall
    expect(formatTraceStep(svc)).toMatch(/^ +\d+ [0-9a-f]{8} df00 {5}sp=[0-9a-f]{8} lr=fffffff9 xpsr=[0-9a-f]{5}00b$/);
  });
});

describe('trace mode and interrupts (Cortex-M)', () => {
  it('an interrupt that becomes pending shows as the next step at the handler\'s first instruction, in handler mode', () => {
    // cpsid i; enable and pend IRQ 0 in the NVIC; cpsie i: the interrupt is taken before the nop after it (QEMU's log shows the handler next)
    const code = new ArmAsm.Program(0x200);
    code.label('start').i(ArmAsm.cpsid()).ldrLit(0, 'iser').i(ArmAsm.movs(1, 1), ArmAsm.strImm(1, 0, 0)).ldrLit(0, 'ispr').i(ArmAsm.strImm(1, 0, 0));
    code.label('unmask').i(ArmAsm.cpsie());
    code.label('after').i(ArmAsm.nop()).label('spin').b('spin');
    code.label('irq').i(ArmAsm.movs(7, 7)).label('irqspin').b('irqspin');
    code.word(0xe000_e100, 'iser').word(0xe000_e200, 'ispr');
    const image = new Uint8Array(0x200 + code.bytes().length);
    const vectors = new DataView(image.buffer);
    vectors.setUint32(0, 0x2000_1000, true);
    vectors.setUint32(4, code.address('start') | 1, true);
    vectors.setUint32(4 * 16, code.address('irq') | 1, true); // IRQ 0
    image.set(code.bytes(), 0x200);
    const result = resolveBoard({ ...boardFromMachineType('mps2-an385'), images: [{ cpu: 'cpu0', file: 'irq.bin', format: 'binary', at: '0x0' }] });
    if (!result.ok) throw new Error(result.problems[0].message);
    const machine = Machine.build(result.board, new Map([['irq.bin', image]]));
    const steps: TraceStep[] = [];
    traceRun(machine, 12, (s) => steps.push(s));
    const unmask = steps.findIndex((s) => s.pc === code.address('unmask'));
    expect(unmask).toBeGreaterThan(0);
    const next = steps[unmask + 1];
    expect(next.pc).toBe(code.address('irq'));
    expect((next.statusBefore ?? 0) & 0x1ff).toBe(16); // IPSR: IRQ 0
    expect(next.before[14]).toBe(0xffff_fff9);
    expect(next.changed.get(7)).toBe(7);
    expect(steps.some((s) => s.pc === code.address('after'))).toBe(false);
  });

  it('a core asleep in WFI wakes at its timer: the next step is the SysTick handler\'s first instruction', () => {
    // SysTick: reload 100 cycles, counting the core clock, interrupt on; wfi
    const code = new ArmAsm.Program(0x200);
    code.label('start').ldrLit(0, 'syst').i(ArmAsm.movs(1, 100), ArmAsm.strImm(1, 0, 4), ArmAsm.movs(1, 7), ArmAsm.strImm(1, 0, 0));
    code.label('sleep').i(ArmAsm.wfi());
    code.label('after').i(ArmAsm.nop()).label('spin').b('spin');
    code.label('tick').i(ArmAsm.movs(7, 7)).label('tickspin').b('tickspin');
    code.word(0xe000_e010, 'syst');
    const image = new Uint8Array(0x200 + code.bytes().length);
    const vectors = new DataView(image.buffer);
    vectors.setUint32(0, 0x2000_1000, true);
    vectors.setUint32(4, code.address('start') | 1, true);
    vectors.setUint32(4 * 15, code.address('tick') | 1, true); // SysTick
    image.set(code.bytes(), 0x200);
    const result = resolveBoard({ ...boardFromMachineType('mps2-an385'), images: [{ cpu: 'cpu0', file: 'wfi.bin', format: 'binary', at: '0x0' }] });
    if (!result.ok) throw new Error(result.problems[0].message);
    const machine = Machine.build(result.board, new Map([['wfi.bin', image]]));
    const steps: TraceStep[] = [];
    traceRun(machine, 12, (s) => steps.push(s));
    const sleep = steps.findIndex((s) => s.pc === code.address('sleep'));
    expect(sleep).toBeGreaterThan(0);
    expect(steps[sleep + 1].pc).toBe(code.address('tick'));
    expect((steps[sleep + 1].statusBefore ?? 0) & 0x1ff).toBe(15); // IPSR: SysTick
    expect(steps.some((s) => s.pc === code.address('after'))).toBe(false);
  });
});

describe('trace-diff\'s choice of machine', () => {
  const elf = (path: string) => new Uint8Array(readFileSync(new URL(`../../public/firmware/${path}`, import.meta.url)));

  it('follows the ELF\'s e_machine: RISC-V on QEMU\'s virt, ARM on mps2-an385 with semihosting, the same options for BoardLab\'s board', () => {
    expect(traceTargetOf(elf('hello.elf'))).toMatchObject({ architecture: 'RISC-V', qemu: 'qemu-system-riscv32', machineArgs: ['-M', 'virt', '-bios', 'none'] });
    expect(traceTargetOf(elf('arm/hello.elf'))).toMatchObject({
      architecture: 'ARM', qemu: 'qemu-system-arm', machineArgs: ['-M', 'mps2-an385', '-semihosting-config', 'enable=on,target=native'], compare: { statusUnknownAtReset: 0xf800_0000 },
    });
  });

  it('names what it cannot trace: another machine, or no ELF at all', () => {
    const x86 = elf('hello.elf').slice();
    x86[18] = 62; // EM_X86_64
    x86[19] = 0;
    expect(() => traceTargetOf(x86)).toThrow("the ELF's machine is 62 (e_machine); trace-diff knows RISC-V (243) and ARM (40)");
    expect(() => traceTargetOf(new TextEncoder().encode('#!/bin/sh\necho hello\n'))).toThrow('not an ELF file');
  });
});

describe('trace mode on a board with several CPUs', () => {
  const ampMachine = () => {
    const document = JSON.parse(readFileSync(new URL('../../examples/amp.board.json', import.meta.url), 'utf8'));
    const result = resolveBoard(document);
    if (!result.ok) throw new Error(result.problems[0].message);
    const images = new Map(result.board.images.map((image) => [image.file, new Uint8Array(readFileSync(new URL(`../../public/${image.file}`, import.meta.url)))]));
    return Machine.build(result.board, images);
  };

  it('traces every CPU of the heterogeneous example, each step marked with its CPU, in the order a free run executes them', () => {
    const traced = ampMachine();
    const steps: Array<{ cpu: string; step: number; line: string }> = [];
    const count = traceAll(traced, 1_000_000, (step) => steps.push({ cpu: step.cpu, step: step.step, line: formatCpuTraceStep(step) }));
    const free = ampMachine();
    free.run(1_000_000);
    expect(traced.exit).toEqual({ kind: 'pass', code: 0 });
    expect(count).toBe(free.instructions);
    for (const path of ['/machine/hart', '/machine/m3']) {
      const own = steps.filter((s) => s.cpu === path);
      expect(own.length).toBe(free.cpu(path)!.instret);
      expect(own.map((s) => s.step)).toEqual(own.map((_, i) => i)); // each CPU's own count
    }
    // the M3 starts once the hart has released it, at its reset handler, in its own ISA
    const firstM3 = steps.findIndex((s) => s.cpu === '/machine/m3');
    expect(firstM3).toBeGreaterThan(100);
    expect(steps[firstM3].line).toMatch(/^m3 {12}0 0000[0-9a-f]{4} [0-9a-f]{4} +r\d+=/); // a Thumb instruction, r registers
    expect(steps[0].line).toBe('hart          0 80000000 00020117 sp=80020000');
    // turns of the rounds: the hart releases the M3 and hands it work (its turn ends at the
    // release, the next round's turn goes on), the M3 does all its work in its turn and sleeps, the
    // hart reads the answer
    const blocks = steps.map((s) => s.cpu).filter((cpu, i, all) => i === 0 || all[i - 1] !== cpu);
    expect(blocks).toEqual(['/machine/hart', '/machine/m3', '/machine/hart']);
  });
});
