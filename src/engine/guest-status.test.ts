import { describe, expect, it } from 'vitest';
import { resolveBoard, type ResolvedBoard } from '../graph/index.ts';
import { Cause, CAUSE_INTERRUPT, IRQ_MTI, trapCauseName } from './cpu/riscv/csr.ts';
import * as A from './cpu/riscv/asm.ts';
import { riscvCore } from './cpu/riscv/index.ts';
import { ACCESS_FAULTS_REPORTED, FAULT_SPIN_TRAPS, HartFaultWatch, stuckForGood, TRAP_LOOP_TRAPS, type GuestFault } from './guest-status.ts';
import type { CpuTrap } from './cpu/contract.ts';
import { Machine, type MachineOptions } from './machine.ts';

const { t0, t1, t2, t3, s0 } = A.Reg;
const CSR = { mstatus: 0x300, mtvec: 0x305, mepc: 0x341, satp: 0x180 };
const RAM = 0x8000_0000;
const CPU = '/machine/cpu0';

/** One hart, RAM, a ROM, the finisher — and the UART at 0x10001000, not where firmware for QEMU virt looks for it. */
function board(images: unknown[]): ResolvedBoard {
  const result = resolveBoard({
    boardlab: 1,
    name: 'faults',
    objects: {
      cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
      ram: { type: 'ram', props: { size: '1M' } },
      rom: { type: 'rom', props: { size: '4K' } },
      uart0: { type: 'ns16550a' },
      test: { type: 'sifive-test' },
    },
    memory: [
      { map: 'test.regs', at: '0x100000' },
      { map: 'uart0.regs', at: '0x10001000' },
      { map: 'rom.mem', at: '0x20000000' },
      { map: 'ram.mem', at: '0x80000000' },
    ],
    images,
  });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

function machineFor(program: A.Program, options: MachineOptions = {}): Machine {
  return Machine.build(board([{ cpu: 'cpu0', file: 'p.bin', format: 'binary', at: '0x80000000' }]), new Map([['p.bin', program.bytes()]]), options);
}

const kinds = (faults: readonly GuestFault[]) => faults.map((f) => f.kind);

/** Stores to 0x10000000 (where the UART is not) with mtvec still 0, where nothing is mapped: a trap loop. */
function storeWithoutHandler(): A.Program {
  const p = new A.Program(RAM);
  p.i(A.li(t1, 0x1000_0000), A.li(t2, 0x41));
  p.label('store').i(A.sw(t2, t1, 0));
  p.label('end').jal(0, 'end');
  return p;
}

/** Loads from `address` in a loop; the trap handler at `handler` runs `handler` instructions then mret. */
function loadWithHandler(address: number, handler: Array<number | number[]>, step = 0): A.Program {
  const p = new A.Program(RAM);
  p.la(t0, 'handler').i(A.csrw(CSR.mtvec, t0), A.li(t1, address));
  p.label('load').i(A.lw(t2, t1, 0), A.addi(s0, s0, 1), A.addi(t1, t1, step));
  p.jal(0, 'load');
  p.org(RAM + 0x100).label('handler').i(...handler, A.mret());
  return p;
}

/** mepc += 4: the handler emulates the instruction and returns past it. */
const skipInstruction = [A.csrr(t3, CSR.mepc), A.addi(t3, t3, 4), A.csrw(CSR.mepc, t3)];

describe('trap causes', () => {
  it('are named as the privileged spec names them', () => {
    expect(trapCauseName(Cause.STORE_ACCESS_FAULT)).toBe('store/AMO access fault');
    expect(trapCauseName(Cause.INSTRUCTION_ACCESS_FAULT)).toBe('instruction access fault');
    expect(trapCauseName(Cause.ILLEGAL_INSTRUCTION)).toBe('illegal instruction');
    expect(trapCauseName((CAUSE_INTERRUPT | IRQ_MTI) >>> 0)).toBe('machine timer interrupt');
    expect(trapCauseName(24)).toBe('exception 24');
  });
});

describe('a store where nothing is mapped, with no trap handler', () => {
  it('is reported with the CPU, pc, cause, address and the board’s nearest region, then caught as a trap loop that stops the run', () => {
    const program = storeWithoutHandler();
    const storeAt = program.address('store');
    const seen: GuestFault[] = [];
    const machine = machineFor(program, { onGuestFault: (fault) => seen.push(fault) });
    const ran = machine.run(1_000_000);
    expect(ran).toBeLessThan(100);
    expect(machine.stoppedAtFault).toBe(CPU);

    const [store, loop] = machine.guestFaults;
    expect(kinds(machine.guestFaults)).toEqual(['unmapped-access', 'trap-loop']);
    expect(store).toMatchObject({ cpu: CPU, cause: Cause.STORE_ACCESS_FAULT, causeName: 'store/AMO access fault', pc: storeAt, address: 0x1000_0000 });
    expect(store.message).toBe(`cpu0: store/AMO access fault at 0x10000000, pc 0x${storeAt.toString(16)}`);
    expect(store.hint).toContain('nothing is mapped at 0x10000000; uart0 is at 0x10001000–0x100010ff');
    // The loop: the handler at mtvec (0) cannot be fetched; it names the store that led there.
    expect(loop).toMatchObject({ kind: 'trap-loop', cause: Cause.INSTRUCTION_ACCESS_FAULT, pc: 0, address: 0, vector: 'mtvec', after: { cause: Cause.STORE_ACCESS_FAULT, pc: storeAt, address: 0x1000_0000 } });
    expect(loop.message).toMatch(/^cpu0 is in a trap loop: its trap handler at 0x00000000 \(mtvec\) faults before any instruction runs: instruction access fault at 0x00000000, pc 0x00000000; it began with a store\/AMO access fault at 0x10000000/);
    expect(loop.hint).toContain('point mtvec at a trap handler');
    // The event log has a line for each report (the loop's own fetch fault too), the callback each report.
    expect(machine.events.filter((e) => e.includes('store/AMO access fault at 0x10000000')).length).toBe(2);
    expect(machine.events.some((e) => e.startsWith('cpu0: instruction access fault at 0x00000000, pc 0x00000000 — nothing is mapped at 0x00000000'))).toBe(true);
    expect(seen.map((f) => f.kind)).toEqual(['unmapped-access', 'unmapped-access', 'trap-loop']);

    const [hart] = machine.hartReports();
    expect(hart).toMatchObject({ path: CPU, status: 'faulting', pc: 0, firmware: 'p.bin' });
    expect(hart.fault).toBe(loop);
  });

  it('runs on after the stop without stopping again, until passFaults re-arms the watch', () => {
    const machine = machineFor(storeWithoutHandler());
    machine.run(1_000_000);
    expect(machine.run(5_000)).toBe(5_000); // the loop goes on: every step traps, nothing retires
    expect(machine.stoppedAtFault).toBe(null);
    expect(machine.hartReports()[0].status).toBe('faulting');
    machine.passFaults();
    expect(machine.hartReports()[0].status).toBe('running');
    // Counting starts over: caught again after TRAP_LOOP_TRAPS more, naming the store that led into the loop.
    expect(machine.run(5_000)).toBe(TRAP_LOOP_TRAPS);
    expect(machine.stoppedAtFault).toBe(CPU);
    // Caught again, the report replaces the one it repeats: still one access fault and one loop.
    expect(kinds(machine.guestFaults)).toEqual(['unmapped-access', 'trap-loop']);
    expect(machine.guestFaults[1].after).toMatchObject({ cause: Cause.STORE_ACCESS_FAULT, address: 0x1000_0000 });
  });

  it('leaves faulting when the hart retires instructions again (a debugger moved its pc), and a reset forgets it all', () => {
    const program = storeWithoutHandler();
    const machine = machineFor(program);
    machine.run(1_000_000);
    const cpu = machine.cpu(CPU)!;
    cpu.pc = program.address('end');
    machine.run(100);
    expect(machine.hartReports()[0].status).toBe('running');
    machine.reset();
    expect(machine.guestFaults).toEqual([]);
    machine.run(1_000_000);
    expect(kinds(machine.guestFaults)).toEqual(['unmapped-access', 'trap-loop']);
  });
});

describe('a handler that returns to the faulting instruction', () => {
  it('is caught as a fault spin: the same load fault again and again', () => {
    const program = loadWithHandler(0x1000_0000, [A.addi(0, 0, 0)]);
    const machine = machineFor(program);
    machine.run(1_000_000);
    expect(machine.stoppedAtFault).toBe(CPU);
    expect(kinds(machine.guestFaults)).toEqual(['fault-spin']); // the spin replaces the access fault it repeats
    const [spin] = machine.guestFaults;
    expect(spin).toMatchObject({ cause: Cause.LOAD_ACCESS_FAULT, causeName: 'load access fault', pc: program.address('load'), address: 0x1000_0000, vector: 'mtvec' });
    expect(spin.message).toMatch(/^cpu0 spins on a fault: load access fault at 0x10000000, pc 0x[0-9a-f]{8}, again and again/);
    expect(spin.hint).toMatch(/^nothing is mapped at 0x10000000; uart0 is at 0x10001000–0x100010ff; fix the cause, or have the handler skip the instruction \(mepc \+ 4\)$/);
    expect(riscvCore(machine.cpu(CPU)).readCsr(CSR.mepc)).toBe(program.address('load'));
    // Caught after FAULT_SPIN_TRAPS handler runs, not before.
    expect(machine.cpu(CPU)!.instret).toBeGreaterThanOrEqual(FAULT_SPIN_TRAPS);
  });

  it('that emulates the instruction and returns past it is no spin: the fault is reported once and the guest runs on', () => {
    const machine = machineFor(loadWithHandler(0x1000_0000, skipInstruction));
    expect(machine.run(200_000)).toBe(200_000);
    expect(machine.stoppedAtFault).toBe(null);
    expect(kinds(machine.guestFaults)).toEqual(['unmapped-access']);
    expect(machine.hartReports()[0].status).toBe('running');
  });
});

describe('access faults', () => {
  it('a store to ROM is refused by a region that is mapped, and the report says so', () => {
    const loads = machineFor(loadWithHandler(0x2000_0000, skipInstruction));
    loads.run(1000);
    expect(loads.guestFaults).toEqual([]); // loads from ROM are fine

    const p = new A.Program(RAM);
    p.la(t0, 'handler').i(A.csrw(CSR.mtvec, t0), A.li(t1, 0x2000_0000));
    p.label('store').i(A.sw(t1, t1, 0));
    p.label('end').jal(0, 'end');
    p.org(RAM + 0x100).label('handler').i(...skipInstruction, A.mret());
    const stores = machineFor(p);
    stores.run(10_000);
    expect(stores.guestFaults).toEqual([
      expect.objectContaining({ kind: 'refused-access', causeName: 'store/AMO access fault', pc: p.address('store'), address: 0x2000_0000, hint: expect.stringMatching(/^0x20000000 is in rom \(0x20000000–0x20000fff\), which refused the access/) }),
    ]);
  });

  it('are recovered from when the hart next returns from its trap handler (onGuestFaultsRecovered), not before and not for other returns', () => {
    const events: string[] = [];
    const options: MachineOptions = { onGuestFault: (fault) => events.push(`fault ${fault.kind}`), onGuestFaultsRecovered: (cpu) => events.push(`recovered ${cpu}`) };
    // the handler skips the load and returns (mret): one report, then the recovery; the same fault again is no news
    const handled = machineFor(loadWithHandler(0x1000_0000, skipInstruction), options);
    handled.run(1000);
    expect(events).toEqual(['fault unmapped-access', `recovered ${CPU}`]);

    // a handler that never returns (it spins): reported, never recovered
    events.length = 0;
    const spinning = new A.Program(RAM);
    spinning.la(t0, 'handler').i(A.csrw(CSR.mtvec, t0), A.li(t1, 0x1000_0000), A.lw(t2, t1, 0));
    spinning.org(RAM + 0x100).label('handler').jal(0, 'handler');
    machineFor(spinning, options).run(10_000);
    expect(events).toEqual(['fault unmapped-access']);
  });

  it('the core refused itself (CpuTrap.coreRefusal, an ARM unprivileged SCS access) are explained by the core, not by the board\'s map', () => {
    const machine = machineFor(loadWithHandler(0x1000_0000, skipInstruction));
    const reports: GuestFault[] = [];
    const cpu = machine.cpu(CPU)!;
    const watch = new HartFaultWatch(CPU, cpu, board([]), 'memory', (fault) => reports.push(fault), () => {}, () => {});
    const trap: CpuTrap = {
      kind: 'access-fault', access: 'load', cause: 5, causeName: 'load access fault (precise bus error) (BusFault)', pc: 0x5a0, value: 0xe000_ed00,
      virtualAddress: false, handler: 0x600, vector: 'VTOR', returnRegister: 'the stacked pc', interruptsMasked: false,
      coreRefusal: 'an unprivileged access to the System Control Space',
    };
    watch.onTrap(trap);
    expect(reports).toEqual([expect.objectContaining({ kind: 'refused-access', hint: 'an unprivileged access to the System Control Space' })]);
    watch.onTrap({ ...trap, value: 0x1000_0000, coreRefusal: undefined });
    expect(reports[1]).toMatchObject({ kind: 'unmapped-access', hint: expect.stringMatching(/^nothing is mapped at 0x10000000/) });
  });

  it('are reported once per place, ACCESS_FAULTS_REPORTED of them per hart, then one note says more follow', () => {
    const machine = machineFor(loadWithHandler(0x4000_0000, skipInstruction, 4));
    machine.run(100_000);
    expect(machine.guestFaults).toHaveLength(ACCESS_FAULTS_REPORTED);
    expect(new Set(machine.guestFaults.map((f) => f.address)).size).toBe(ACCESS_FAULTS_REPORTED);
    expect(machine.events.filter((e) => e === 'cpu0: more access faults follow; not reporting them')).toHaveLength(1);
  });

  it('at a virtual address name it as one: the board cannot say what is there', () => {
    // S-mode with Sv32: VA 0x40000000 is a megapage onto PA 0x10000000, where nothing is mapped.
    const ptes = RAM + 0x1_0000;
    const p = new A.Program(RAM);
    p.la(t0, 'handler').i(A.csrw(CSR.mtvec, t0));
    p.i(A.li(t0, (0x8000_0000 | (ptes >>> 12)) >>> 0), A.csrw(CSR.satp, t0));
    p.i(A.li(t0, 1 << 11), A.csrrs(0, CSR.mstatus, t0)); // MPP = S
    p.la(t0, 'supervisor').i(A.csrw(CSR.mepc, t0), A.mret());
    p.label('supervisor').i(A.li(t1, 0x4000_0000), A.lw(t2, t1, 0));
    p.label('end').jal(0, 'end');
    p.org(RAM + 0x100).label('handler').i(...skipInstruction, A.mret());
    p.org(ptes + (0x4000_0000 >>> 22) * 4).word(((0x1000_0000 >>> 12) << 10) | 0xc7);
    p.org(ptes + (RAM >>> 22) * 4).word(((RAM >>> 12) << 10) | 0xcf);
    const machine = machineFor(p);
    machine.run(10_000);
    expect(machine.guestFaults).toEqual([
      expect.objectContaining({ kind: 'access-fault', cause: Cause.LOAD_ACCESS_FAULT, address: 0x4000_0000, hint: expect.stringContaining('0x40000000 is a virtual address') }),
    ]);
  });
});

describe('hart status', () => {
  it('says running, waiting for an interrupt, halted', () => {
    const spin = new A.Program(RAM).label('spin').jal(0, 'spin');
    const running = machineFor(spin);
    running.run(1000);
    expect(running.hartReports()[0].status).toBe('running');

    const sleep = new A.Program(RAM).label('sleep').i(A.wfi()).jal(0, 'sleep');
    const sleeping = machineFor(sleep);
    sleeping.run(1000);
    expect(sleeping.hartReports()[0].status).toBe('waiting-for-interrupt');

    const finish = new A.Program(RAM).i(A.li(t0, 0x10_0000), A.li(t1, 0x5555), A.sw(t1, t0, 0)).label('end').jal(0, 'end');
    const halting = machineFor(finish);
    halting.run(1000);
    expect(halting.hartReports()[0].status).toBe('halted');
  });

  it('a hart without firmware is held when the host asks for it: it does not run, and the machine is idle', () => {
    const bare = board([]);
    const held = Machine.build(bare, new Map(), { holdHartsWithoutFirmware: true });
    expect(held.hartReports()).toEqual([{ path: CPU, status: 'held', pc: RAM, firmware: null, fault: null }]);
    expect(held.run(10_000)).toBe(0);
    expect(held.idle).toBe(true);
    expect(held.guestFaults).toEqual([]);

    // Without holding (the CLI, gdb loading code into a bare board), it runs the zeros in RAM and loops.
    const free = Machine.build(bare, new Map());
    expect(free.hartReports()[0]).toMatchObject({ status: 'running', firmware: null });
    free.run(10_000);
    expect(free.hartReports()[0].status).toBe('faulting');
    expect(free.guestFaults.at(-1)?.after).toMatchObject({ cause: Cause.ILLEGAL_INSTRUCTION, pc: RAM });
  });
});

describe('a core that locks up (CpuCore.lockedUp, as an ARM core does)', () => {
  it('is reported once as a lockup naming the pc and the last trap, stops the run, shows locked-up, and a reset clears it', () => {
    const seen: GuestFault[] = [];
    const machine = machineFor(storeWithoutHandler(), { onGuestFault: (fault) => seen.push(fault) });
    const cpu = machine.cpu(CPU)!;
    let locked = false;
    // rv32 never locks up: this stands in for a core that does (the machine reads only the contract)
    Object.defineProperty(cpu, 'lockedUp', { get: () => locked });
    machine.run(3);
    expect(machine.hartReports()[0].status).toBe('running');
    locked = true;
    machine.run(100);
    expect(machine.stoppedAtFault).toBe(CPU);
    const report = machine.hartReports()[0];
    expect(report.status).toBe('locked-up');
    expect(stuckForGood(report)).toBe(true);
    const lockups = seen.filter((f) => f.kind === 'lockup');
    expect(lockups).toHaveLength(1);
    // the pc where it stopped, and the last trap it took (here the fetch from mtvec 0, where nothing is)
    expect(lockups[0].message).toMatch(/^cpu0 locked up at 0x00000000: instruction access fault at 0x00000000, pc 0x00000000$/);
    expect(lockups[0].hint).toMatch(/only a reset recovers/);
    machine.run(100);
    expect(seen.filter((f) => f.kind === 'lockup')).toHaveLength(1);
    locked = false;
    machine.reset();
    expect(machine.hartReports()[0].status).toBe('running');
  });
});
