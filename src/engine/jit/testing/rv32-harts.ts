// Test harness for the compiling tier: an assembled RV32 program in RAM from a guest arena, on one
// hart per tier, so tests compare the tiers on the same program.
import { assemble } from '../../../asm/index.ts';
import { parseElf } from '../../../graph/image-formats.ts';
import { Rv32Cpu, type Rv32Options } from '../../cpu/riscv/rv32.ts';
import type { ExecutionTier } from '../../cpu/contract.ts';
import { GuestArena } from '../../guest-arena.ts';
import { AddressSpace, type MmioHandler } from '../../memory.ts';

export const RAM_BASE = 0x8000_0000;
export const RAM_BYTES = 0x10_0000;

export interface TierHart {
  cpu: Rv32Cpu;
  space: AddressSpace;
  symbols: Map<string, number>;
  ram: Uint8Array;
}

/** Assemble `source` (GNU as syntax, .text at RAM_BASE) and boot a hart on `tier` with it; `mmio` maps extra devices. */
export function bootTier(source: string, tier: ExecutionTier, options: Partial<Rv32Options> = {}, mmio: Array<{ base: number; size: number; handler: MmioHandler }> = []): TierHart {
  const result = assemble(source, { march: 'rv32imac', textAddress: RAM_BASE });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  const arena = GuestArena.create()!;
  const space = new AddressSpace('sys', arena);
  const block = arena.allocate(RAM_BYTES, 65536)!;
  space.mapRam('ram', RAM_BASE, block.buffer, RAM_BYTES, false, block.byteOffset);
  for (const m of mmio) space.mapMmio(`mmio@${m.base.toString(16)}`, m.base, m.size, m.handler);
  for (const segment of parseElf(result.elf).segments) space.writeBytes(segment.address, segment.data);
  const cpu = new Rv32Cpu(space, { hartId: 0, resetVector: RAM_BASE, jitThreshold: 0, ...options });
  cpu.tiers.setTier(tier);
  const symbols = new Map(result.symbols.map((s) => [s.name, s.address]));
  return { cpu, space, symbols, ram: new Uint8Array(block.buffer, block.byteOffset, RAM_BYTES) };
}
