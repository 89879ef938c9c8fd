// Tests of the CPU contract that drive a core ONLY through ./contract.ts: any core passes them
// given a fixture of small programs in its own instruction set. A second core reuses them with
// `describeCpuContract('<name>', fixture)` from a test beside it (./riscv/contract.test.ts does it
// for rv32).
import { describe, expect, it } from 'vitest';
import { loadState, saveState } from '../state.ts';
import type { CpuCore, CpuTrap } from './contract.ts';

/** A core running one of the fixture's programs, and the addresses the suite needs to know. */
export interface ContractProgram {
  core: CpuCore;
  /** Addresses of the instructions of the program's endless loop, in order (count). */
  loop?: number[];
  /** Where the interrupt handler starts (interrupt). */
  handler?: number;
  /** The address the program loads from, where nothing is mapped (fault). */
  faultAddress?: number;
  /** Index in the register file of the register the program copies the time counter into (time). */
  timeRegister?: number;
}

export interface ContractFixture {
  /**
   * count: an endless loop of at least three instructions, no traps.
   * interrupt: enables the interrupt of `interruptPort` and waits for it; its handler waits again.
   * fault: loads from `faultAddress`, where nothing is mapped (the trap handler waits).
   * time: reads the time counter into `timeRegister`, then loops.
   */
  build(program: 'count' | 'interrupt' | 'fault' | 'time'): ContractProgram;
  /** An interrupt input port of the core, as the catalog names it. */
  interruptPort: string;
  /**
   * False when no instruction of the architecture reads a time counter (ARM M-profile: SysTick
   * counts inside the core's SCS, not from setTimeBase): the suite then checks the 'time' program
   * is not asked for.
   */
  timeCounter?: boolean;
}

/** Copy what the suite checks of a trap (the core reuses one object for every trap). */
function copyTrap(trap: CpuTrap): CpuTrap {
  return { ...trap };
}

export function describeCpuContract(name: string, fixture: ContractFixture): void {
  describe(`${name} implements the CPU contract`, () => {
    it('runs for a budget and reports what ran; instret counts retired instructions', () => {
      const { core } = fixture.build('count');
      expect(core.run(100)).toBe(100);
      expect(core.instret).toBe(100);
      expect(core.retiredNow()).toBe(100);
      expect(core.run(0)).toBe(0);
      expect(core.instret).toBe(100);
    });

    it('reset puts the pc back and the counters to zero', () => {
      const { core, loop } = fixture.build('count');
      const start = core.pc;
      core.run(7);
      expect(loop).toContain(core.pc);
      core.reset();
      expect(core.pc).toBe(start);
      expect(core.instret).toBe(0);
    });

    it('stops before a breakpoint, also when a run starts there, and passes it to continue', () => {
      const { core, loop } = fixture.build('count');
      const at = loop![1];
      core.breakpoints.add(at);
      core.run(1000);
      expect(core.stoppedAtBreakpoint).toBe(true);
      expect(core.pc).toBe(at);
      // Continuing after a stop at it executes the instruction there and stops there again a loop later.
      const ran = core.run(1000);
      expect(ran).toBe(loop!.length);
      expect(core.pc).toBe(at);
      // A run that starts there without having stopped there (a debugger moved the pc) stops at once...
      core.pc = loop![0];
      core.run(1);
      core.pc = at;
      expect(core.run(1000)).toBe(0);
      expect(core.stoppedAtBreakpoint).toBe(true);
      // ...unless told to pass the one here.
      core.pc = loop![0];
      core.run(1);
      core.pc = at;
      core.passBreakpointHere();
      expect(core.run(1)).toBe(1);
      expect(core.stoppedAtBreakpoint).toBe(false);
    });

    it('takes interrupts from its input ports by name, and waits for one without running', () => {
      const { core, handler } = fixture.build('interrupt');
      expect(core.interruptInput('no-such-port')).toBeUndefined();
      const input = core.interruptInput(fixture.interruptPort)!;
      expect(input).toBeTypeOf('function');
      const traps: CpuTrap[] = [];
      core.onTrap = (trap) => traps.push(copyTrap(trap));
      core.run(1000);
      expect(core.waitingForInterrupt).toBe(true);
      expect(core.run(1000)).toBe(0);
      expect(traps).toEqual([]);
      input(true);
      expect(core.waitingForInterrupt).toBe(false);
      core.run(1000);
      expect(traps).toHaveLength(1);
      expect(traps[0]).toMatchObject({ kind: 'interrupt', handler, access: undefined });
      expect(traps[0].causeName).toMatch(/interrupt/);
      // The handler waits; with the line low again nothing wakes it.
      input(false);
      core.run(1000);
      expect(core.waitingForInterrupt).toBe(true);
      expect(core.run(1000)).toBe(0);
      expect(traps).toHaveLength(1);
    });

    it('classifies a fault without cause numbers: an access fault of a load, at the address, not virtual', () => {
      const { core, faultAddress } = fixture.build('fault');
      const traps: CpuTrap[] = [];
      core.onTrap = (trap) => traps.push(copyTrap(trap));
      core.run(1000);
      expect(traps[0]).toMatchObject({ kind: 'access-fault', access: 'load', value: faultAddress, virtualAddress: false });
      expect(traps[0].causeName).toMatch(/access fault/);
    });

    it(fixture.timeCounter === false ? 'has no time counter an instruction reads: setTimeBase is accepted and changes nothing' : 'reads its time counter from the time base it is given', () => {
      if (fixture.timeCounter === false) {
        const { core } = fixture.build('count');
        const before = core.debug.registers.map((_, i) => core.debug.readRegister(i));
        core.setTimeBase({ ticks: () => 0x1234_5678 });
        expect(core.debug.registers.map((_, i) => core.debug.readRegister(i))).toEqual(before);
        return;
      }
      const { core, timeRegister } = fixture.build('time');
      core.setTimeBase({ ticks: () => 0x1234_5678 });
      core.run(100);
      expect(core.debug.readRegister(timeRegister!)).toBe(0x1234_5678);
    });

    it('saves and restores its state through its state descriptor: the run goes on exactly', () => {
      const { core } = fixture.build('count');
      core.run(37);
      const saved = saveState(core);
      expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
      const pc = core.pc;
      core.run(11);
      const after = core.pc;
      loadState(core, saved);
      expect(core.pc).toBe(pc);
      expect(core.instret).toBe(37);
      core.run(11);
      expect(core.pc).toBe(after);
    });

    it('describes its registers as data and reads the pc through them', () => {
      const { core } = fixture.build('count');
      const { debug } = core;
      expect(debug.registers[debug.pcIndex].role).toBe('pc');
      expect(debug.readRegister(debug.pcIndex)).toBe(core.pc);
      expect(debug.writeRegister(debug.pcIndex, core.pc)).toBe(true);
      expect(debug.registers.some((r) => r.role === 'stack-pointer')).toBe(true);
      expect(new Set(debug.registers.map((r) => r.regnum)).size).toBe(debug.registers.length);
      expect(debug.targetXml()).toContain('<target');
      expect(debug.elfMachines.length).toBeGreaterThan(0);
    });
  });
}
