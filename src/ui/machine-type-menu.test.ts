import { describe, expect, it } from 'vitest';
import { listMachineTypes, machineTypeId } from '../graph/index.ts';
import { machineTypeGroups } from './machine-type-menu.ts';

describe('the New… menu of machine types', () => {
  it('groups the machine types by their CPUs’ architecture, each once, with its title and doc', () => {
    const groups = machineTypeGroups();
    const byGroup = Object.fromEntries(groups.map((g) => [g.label, g.entries.map((e) => e.id)]));
    expect(byGroup['RISC-V']).toEqual(expect.arrayContaining(['riscv-virt@1.0', 'riscv-virt@1.2', 'boardlab-mcu@1.0']));
    expect(byGroup['ARM Cortex-M']).toEqual(['mps2-an385@1.0', 'boardlab-m0@1.0']);
    expect(groups.flatMap((g) => g.entries.map((e) => e.id)).sort()).toEqual(listMachineTypes().map(machineTypeId).sort());
    const mps2 = groups.flatMap((g) => g.entries).find((e) => e.id === 'mps2-an385@1.0')!;
    expect(mps2.label).toBe('mps2-an385@1.0 — QEMU mps2-an385');
    expect(mps2.doc).toContain('Cortex-M3');
  });
});
