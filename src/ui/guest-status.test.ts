import { describe, expect, it } from 'vitest';
import { WorkerRunState } from '../workers/control.ts';
import type { GuestFault, HartReport, MachineInfo } from '../workers/emulator.worker.ts';
import { faultStopNotice, guestProblemsOf, objectBadge, runStateDetails, runStateText, sameGuestProblems } from './guest-status.ts';

const loop: GuestFault = {
  cpu: '/machine/cpu0',
  kind: 'trap-loop',
  cause: 1,
  causeName: 'instruction access fault',
  pc: 0,
  address: 0,
  vector: 'mtvec',
  message: 'cpu0 is in a trap loop: its trap handler at 0x00000000 (mtvec) faults before any instruction runs',
  hint: 'nothing is mapped at 0x00000000; test is at 0x00100000–0x00100fff; point mtvec at a trap handler in the firmware (or fix what trapped first)',
};
const access: GuestFault = {
  cpu: '/machine/cpu0',
  kind: 'unmapped-access',
  cause: 5,
  causeName: 'load access fault',
  pc: 0x8000_00a0,
  address: 0x1000_0005,
  message: 'cpu0: load access fault at 0x10000005, pc 0x800000a0',
  hint: 'nothing is mapped at 0x10000005; uart0 is at 0x10001000–0x100010ff: map the device where the firmware expects it',
};

const hart = (path: string, status: HartReport['status'], extra: Partial<HartReport> = {}): HartReport => ({ path, status, pc: 0, firmware: 'hello.elf', fault: null, ...extra });

describe('the message of a fault stop', () => {
  it('names what the faulting harts do, only while the guest is paused at a fault', () => {
    const harts = [hart('/machine/cpu0', 'faulting', { fault: loop }), hart('/machine/cpu1', 'running')];
    expect(faultStopNotice(WorkerRunState.FAULTED, harts)).toBe(`Paused: ${loop.message}. Run lets it go on; the Problems list says more.`);
    expect(faultStopNotice(WorkerRunState.RUNNING, harts)).toBeUndefined();
    expect(faultStopNotice(WorkerRunState.FAULTED, [hart('/machine/cpu0', 'running')])).toBeUndefined();
  });
});

describe('run-state text', () => {
  it('names the CPUs without firmware', () => {
    expect(runStateText(WorkerRunState.NO_FIRMWARE, 0, [hart('/machine/cpu0', 'held', { firmware: null })])).toBe('cpu0 has no firmware');
    const three = ['cpu0', 'cpu1', 'cpu2'].map((n) => hart(`/machine/${n}`, 'held', { firmware: null }));
    expect(runStateText(WorkerRunState.NO_FIRMWARE, 0, three)).toBe('cpu0, cpu1 and cpu2 have no firmware');
    expect(runStateDetails(WorkerRunState.NO_FIRMWARE, three)).toContain('CPU inspector');
  });

  it('names the faulting CPUs, with the details in the tooltip', () => {
    const harts = [hart('/machine/cpu0', 'faulting', { fault: loop }), hart('/machine/cpu1', 'running')];
    expect(runStateText(WorkerRunState.FAULTED, 0, harts)).toBe('paused: cpu0 is faulting');
    expect(runStateDetails(WorkerRunState.FAULTED, harts)).toContain('cpu0 is in a trap loop');
  });

  it('names a CPU that faults while the others run on (a heterogeneous board does not pause for one side), with its fault in the tooltip', () => {
    const harts = [hart('/machine/cpu0', 'faulting', { fault: loop }), hart('/machine/cpu1', 'waiting-for-interrupt')];
    expect(runStateText(WorkerRunState.RUNNING, 0, harts)).toBe('running: cpu0 is faulting');
    expect(runStateText(WorkerRunState.IDLE, 0, harts)).toBe('running (idle): cpu0 is faulting');
    expect(runStateDetails(WorkerRunState.RUNNING, harts)).toBe(`${loop.message}\nThe other CPUs run on; the Problems list says more.`);
    expect(runStateText(WorkerRunState.RUNNING, 0, [hart('/machine/cpu0', 'running')])).toBe('running');
  });

  it('says a locked-up CPU is locked up, with its pc, whatever the run state, and that Reset recovers it', () => {
    const lockup: GuestFault = { ...access, message: 'cpu0 locked up at 0x0000011e: breakpoint (BKPT): lockup (HardFault), pc 0x0000011e' };
    const harts = [hart('/machine/cpu0', 'locked-up', { pc: 0x11e, fault: lockup })];
    expect(runStateText(WorkerRunState.PAUSED, 0, harts)).toBe('locked up: cpu0 at pc 0x0000011e');
    expect(runStateText(WorkerRunState.IDLE, 0, harts)).toBe('locked up: cpu0 at pc 0x0000011e');
    expect(runStateDetails(WorkerRunState.PAUSED, harts)).toBe(`${lockup.message}\nA locked-up core met a fault it could not take (in its HardFault or NMI handler): Reset recovers it.`);
    expect(runStateText(WorkerRunState.PAUSED, 0, [hart('/machine/cpu0', 'running', { pc: 0x11e })])).toBe('paused');
  });

  it('is the worker’s state name otherwise', () => {
    expect(runStateText(WorkerRunState.HALTED_FAIL, 3, [])).toBe('halted: fail code 3');
    expect(runStateText(WorkerRunState.RUNNING, 0, [hart('/machine/cpu0', 'running')])).toBe('running');
    expect(runStateDetails(WorkerRunState.RUNNING, [hart('/machine/cpu0', 'running')])).toBeUndefined();
  });

  it('says a board without a CPU has none, rather than "running (idle)"', () => {
    expect(runStateText(WorkerRunState.IDLE, 0, [])).toBe('no CPU');
    expect(runStateText(WorkerRunState.RUNNING, 0, [])).toBe('no CPU');
    expect(runStateDetails(WorkerRunState.IDLE, [])).toContain('drag one (rv32) from the palette');
  });
});

describe('object badges', () => {
  it('show the life cycle before the machine runs', () => {
    expect(objectBadge('reset', WorkerRunState.PAUSED, undefined)).toMatchObject({ label: 'reset', tone: 'reset' });
    expect(objectBadge(undefined, WorkerRunState.EMPTY, undefined)).toMatchObject({ label: '—' });
  });

  it('agree with the machine while it runs: paused, halted, idle', () => {
    expect(objectBadge('running', WorkerRunState.PAUSED, undefined)).toMatchObject({ label: 'paused', tone: 'paused' });
    expect(objectBadge('running', WorkerRunState.FAULTED, undefined).label).toBe('paused');
    expect(objectBadge('running', WorkerRunState.HALTED_PASS, undefined)).toMatchObject({ label: 'halted', tone: 'halted' });
    expect(objectBadge('running', WorkerRunState.STOPPED, undefined).label).toBe('halted');
    expect(objectBadge('running', WorkerRunState.IDLE, undefined)).toMatchObject({ label: 'idle', tone: 'waiting' });
    expect(objectBadge('running', WorkerRunState.RUNNING, undefined)).toMatchObject({ label: 'running', tone: 'live' });
    expect(objectBadge('running', WorkerRunState.CRASHED, undefined).label).toBe('crashed');
  });

  it('a CPU says its own status', () => {
    expect(objectBadge('running', WorkerRunState.RUNNING, hart('/machine/cpu0', 'waiting-for-interrupt')).label).toBe('waiting for interrupt');
    expect(objectBadge('running', WorkerRunState.IDLE, hart('/machine/cpu0', 'waiting-for-interrupt')).label).toBe('waiting for interrupt');
    expect(objectBadge('running', WorkerRunState.RUNNING, hart('/machine/cpu0', 'running')).label).toBe('running');
    expect(objectBadge('running', WorkerRunState.RUNNING, hart('/machine/m3', 'in-reset'))).toMatchObject({ label: 'in reset', tone: 'waiting' });
    const faulting = objectBadge('running', WorkerRunState.FAULTED, hart('/machine/cpu0', 'faulting', { fault: loop }));
    expect(faulting).toMatchObject({ label: 'faulting', tone: 'fault' });
    expect(faulting.title).toContain('trap loop');
    expect(objectBadge('running', WorkerRunState.PAUSED, hart('/machine/cpu0', 'running')).label).toBe('paused');
    expect(objectBadge('running', WorkerRunState.HALTED_PASS, hart('/machine/cpu0', 'halted')).label).toBe('halted');
    // Held for want of firmware, whatever the life cycle says.
    expect(objectBadge('reset', WorkerRunState.NO_FIRMWARE, hart('/machine/cpu0', 'held', { firmware: null }))).toMatchObject({ label: 'no firmware', tone: 'fault' });
  });
});

describe('the guest’s problems', () => {
  const info = (harts: HartReport[], faults: GuestFault[]): MachineInfo => ({ states: {}, events: [], harts, faults });

  it('list CPUs without firmware, then the faults as the engine reported them, hints as sentences', () => {
    const problems = guestProblemsOf(info([hart('/machine/cpu0', 'faulting', { fault: loop }), hart('/machine/cpu1', 'held', { firmware: null })], [access, loop]));
    expect(problems.map((p) => [p.cpu, p.kind, p.message])).toEqual([
      ['/machine/cpu1', 'no-firmware', 'cpu1 has no firmware'],
      ['/machine/cpu0', 'unmapped-access', access.message],
      ['/machine/cpu0', 'trap-loop', loop.message],
    ]);
    expect(problems[0].hint).toMatch(/CPU inspector’s image field.*Open firmware…/);
    expect(problems[1].hint).toBe('Nothing is mapped at 0x10000005; uart0 is at 0x10001000–0x100010ff: map the device where the firmware expects it.');
  });

  it('are none without machine info, and compare by content', () => {
    expect(guestProblemsOf(null)).toEqual([]);
    const a = guestProblemsOf(info([], [access]));
    expect(sameGuestProblems(a, guestProblemsOf(info([], [access])))).toBe(true);
    expect(sameGuestProblems(a, guestProblemsOf(info([], [access, loop])))).toBe(false);
  });
});
