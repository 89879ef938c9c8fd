// The catalog's core register layouts (src/graph/register-layouts.ts) against the cores: every
// CSR the RISC-V layout names is in the hart's register file, every ARM register is in the
// Cortex-M register file or at the SCS offset its implementation names, and each reads a value.
import { beforeAll, describe, expect, it } from 'vitest';
import { coreRegisterLayout, resolveBoard, type BoardDocument } from '../../graph/index.ts';
import { engineModules } from '../registry.ts';
import { Machine } from '../machine.ts';
import * as scs from './arm/scs.ts';

function machine(type: string): Machine {
  const board: BoardDocument = {
    boardlab: 1,
    name: 'cores',
    objects: { cpu0: { type }, ram: { type: 'ram', props: { size: '64K' } } },
    memory: [{ map: 'ram.mem', at: type === 'rv32' ? '0x80000000' : '0x0' }],
  };
  const result = resolveBoard(board);
  if (!result.ok) throw new Error(result.problems[0].message);
  return Machine.build(result.board, new Map());
}

beforeAll(async () => {
  await engineModules.loadCatalogModules();
});

describe('core register layouts', () => {
  it('RISC-V: every CSR of the layout is a register of the hart, and reads', () => {
    const cpu = machine('rv32').cpu('/machine/cpu0')!;
    for (const register of coreRegisterLayout('RISC-V')!) {
      const index = cpu.debug.registers.findIndex((r) => r.name === register.register);
      expect(index, register.name).toBeGreaterThanOrEqual(0);
      expect(cpu.debug.readRegister(index), register.name).toBeTypeOf('number');
    }
  });

  it('RISC-V: the counter CSRs of the layout count what the hart retired', () => {
    const cpu = machine('rv32').cpu('/machine/cpu0')!;
    const RAM = 0x80000000;
    cpu.debug.space.store(RAM, 0x00150513, 4); // addi a0, a0, 1
    cpu.debug.space.store(RAM + 4, 0xffdff06f, 4); // j -4
    cpu.pc = RAM;
    expect(cpu.run(101)).toBe(101);
    const read = (name: string) => cpu.debug.readRegister(cpu.debug.registers.findIndex((r) => r.name === coreRegisterLayout('RISC-V')!.find((l) => l.name === name)!.register));
    expect(cpu.instret).toBe(101);
    expect(read('minstret')).toBe(101);
    expect(read('minstreth')).toBe(0);
    expect(read('mcycle')).toBe(101);
    expect(cpu.debug.readRegister(10)).toBe(51); // a0: the loop ran
  });

  it('ARM: special registers by name, SCB and SysTick registers at the offsets scs.ts names, each peeked', () => {
    const named: Record<string, number> = {
      ICSR: scs.SCB_ICSR, VTOR: scs.SCB_VTOR, SHCSR: scs.SCB_SHCSR, CFSR: scs.SCB_CFSR, HFSR: scs.SCB_HFSR, MMFAR: scs.SCB_MMFAR, BFAR: scs.SCB_BFAR,
      SYST_CSR: scs.SCS_SYSTICK_BASE, SYST_RVR: scs.SCS_SYSTICK_BASE + 4, SYST_CVR: scs.SCS_SYSTICK_BASE + 8,
    };
    const cpu = machine('cortex-m3').cpu('/machine/cpu0')!;
    for (const register of coreRegisterLayout('ARM')!) {
      if (register.register !== undefined) {
        const index = cpu.debug.registers.findIndex((r) => r.name === register.register);
        expect(index, register.name).toBeGreaterThanOrEqual(0);
      } else {
        expect(register.systemOffset, register.name).toBe(named[register.name]);
        expect(cpu.debug.peekSystemRegister?.(register.systemOffset!), register.name).toBeTypeOf('number');
      }
    }
    expect(cpu.debug.peekSystemRegister?.(scs.NVIC_ISER)).toBeUndefined();
  });
});
