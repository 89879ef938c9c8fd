// Catalog CPU types → the factories that build their cores. Each architecture's folder provides
// its own record (./riscv/index.ts); this module only joins them, so a lazy loader can replace a
// static import here without touching the machine.
import type { CpuFactory } from './contract.ts';
import { riscvCores } from './riscv/index.ts';

const cpuFactories: Readonly<Record<string, CpuFactory>> = { ...riscvCores };

/** The factory for a catalog CPU type, or undefined when no core implements it. */
export function cpuFactory(type: string): CpuFactory | undefined {
  return Object.hasOwn(cpuFactories, type) ? cpuFactories[type] : undefined;
}
