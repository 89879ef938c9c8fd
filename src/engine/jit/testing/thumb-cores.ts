// Test harness for the Thumb-2 compiling tier: an assembled ARMv7-M program (src/asm) in flash and
// SRAM from a guest arena, a Cortex-M3 on the real SCS, and a test device that counts its accesses
// and drives IRQ 0 — one core per tier, so tests run the same program on both and compare their
// whole state after every run().
import { assemble } from '../../../asm/index.ts';
import { parseElf } from '../../../graph/image-formats.ts';
import { EM_ARM } from '../../../graph/elf-symbols.ts';
import type { CpuTrap, ExecutionTier } from '../../cpu/contract.ts';
import { CortexM } from '../../cpu/arm/cortex-m.ts';
import { CPUID_CORTEX_M3, SystemControlSpace } from '../../cpu/arm/scs.ts';
import { GuestArena } from '../../guest-arena.ts';
import { AddressSpace } from '../../memory.ts';

export const FLASH = 0x0000_0000;
export const FLASH_BYTES = 0x1_0000;
export const SRAM = 0x2000_0000;
export const SRAM_BYTES = 0x1_0000;
/** The test device: a read returns how many accesses it has had; a write to offset 0 sets IRQ 0's level to bit 0 of the value. */
export const DEVICE = 0x4000_0000;
/** Nothing answers here: an access is a BusFault. */
export const NOTHING = 0x6000_0000;

const VECTORS = 16 + 8;
/** Virtual time per retired instruction (the 25 MHz core clock). */
export const NS_PER_INSTRUCTION = 40;

/**
 * The program's prelude: a vector table at 0 (reset: `start`; HardFault, MemManage, BusFault,
 * UsageFault: `fault_handler`; SVC: `svc_handler`; IRQ 0: `irq_handler`) and default handlers for
 * the labels a program does not define (SysTick: `systick_handler`).
 */
function prelude(source: string): string {
  const defined = (label: string) => new RegExp(`^\\s*${label}:`, 'm').test(source);
  const handler = (label: string) => (defined(label) ? label : 'spin');
  const words = [
    `0x${(SRAM + SRAM_BYTES).toString(16)}`, 'start', 'spin', handler('fault_handler'), handler('fault_handler'), handler('fault_handler'), handler('fault_handler'),
    '0', '0', '0', '0', handler('svc_handler'), 'spin', '0', 'spin', handler('systick_handler'), handler('irq_handler'), 'spin', 'spin', 'spin', 'spin', 'spin', 'spin', 'spin',
  ];
  if (words.length !== VECTORS) throw new Error('vector table length');
  return `  .syntax unified\n  .thumb\n  .text\nvectors:\n${words.map((w) => `  .word ${w}\n`).join('')}  .thumb_func\nspin:\n  b spin\n${source}\n`;
}

export interface DeviceAccess {
  write: boolean;
  offset: number;
  value: number;
  /** Instructions the core had retired when the access happened. */
  retired: number;
}

export interface TierCore {
  cpu: CortexM;
  space: AddressSpace;
  scs: SystemControlSpace;
  symbols: Map<string, number>;
  sram: Uint8Array;
  flash: Uint8Array;
  traps: CpuTrap[];
  device: DeviceAccess[];
  /**
   * Virtual time is NS_PER_INSTRUCTION per retired instruction plus `skippedNs` (time a test lets
   * pass while the core sleeps); `at` is when the SCS asked to be called back (SysTick): a test that
   * runs SysTick calls scs.timerCallback() then.
   */
  timer: { at: number | undefined; skippedNs: number };
}

/**
 * Assemble `source` (GNU as syntax; its code starts at label `start`) and boot a Cortex-M3 on `tier`
 * with it. `deviceReadSkew` is added to what device reads return (a harness test makes one side differ);
 * `jitCacheBytes` bounds the compiled code the core keeps.
 */
export function bootThumb(source: string, tier: ExecutionTier, jitThreshold = 2, deviceReadSkew = 0, jitCacheBytes?: number): TierCore {
  const result = assemble(prelude(source), { march: 'armv7-m', textAddress: FLASH });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.line}:${e.column}: ${e.message}`).join('\n'));
  const arena = GuestArena.create()!;
  const space = new AddressSpace('sys', arena);
  const flashBlock = arena.allocate(FLASH_BYTES, 65536)!;
  const sramBlock = arena.allocate(SRAM_BYTES, 65536)!;
  space.mapRam('flash', FLASH, flashBlock.buffer, FLASH_BYTES, false, flashBlock.byteOffset);
  space.mapRam('sram', SRAM, sramBlock.buffer, SRAM_BYTES, false, sramBlock.byteOffset);
  for (const segment of parseElf(result.elf, [EM_ARM]).segments) space.writeBytes(segment.address, segment.data);
  let core: CortexM | undefined;
  const timer = { at: undefined as number | undefined, skippedNs: 0 };
  const scs = new SystemControlSpace(
    { numIrq: 8, priorityBits: 3, profile: 'v7m', cpuid: CPUID_CORTEX_M3, clockHz: 25_000_000, refClockHz: 1_000_000 },
    {
      nowNs: () => (core?.retiredNow() ?? 0) * NS_PER_INSTRUCTION + timer.skippedNs,
      scheduleAt: (ns) => (timer.at = ns),
      exceptionStateChanged: () => core?.exceptionStateChanged(),
      requestSystemReset: () => {},
      currentException: () => core?.ipsr ?? 0,
    },
  );
  const device: DeviceAccess[] = [];
  space.mapMmio('device', DEVICE, 0x1000, {
    read: (offset) => {
      device.push({ write: false, offset, value: 0, retired: core!.retiredNow() });
      return device.length + deviceReadSkew;
    },
    write: (offset, value) => {
      device.push({ write: true, offset, value, retired: core!.retiredNow() });
      if (offset === 0) scs.setIrqLevel(0, (value & 1) !== 0);
    },
  });
  const cpu = new CortexM(space, { model: 'cortex-m3', profile: 'v7m', numIrq: 8, priorityBits: 3, bitband: true, jitThreshold, jitCacheBytes }, scs);
  core = cpu;
  cpu.reset();
  cpu.tiers.setTier(tier);
  const traps: CpuTrap[] = [];
  cpu.onTrap = (trap) => traps.push({ ...trap });
  return {
    cpu, space, scs, device, traps, timer,
    symbols: new Map(result.symbols.map((s) => [s.name, s.address])),
    sram: new Uint8Array(sramBlock.buffer, sramBlock.byteOffset, SRAM_BYTES),
    flash: new Uint8Array(flashBlock.buffer, flashBlock.byteOffset, FLASH_BYTES),
  };
}

/** Everything a test compares between the tiers after a run(). */
export function observable(core: TierCore, executed: number) {
  const cpu = core.cpu;
  return {
    executed,
    pc: cpu.pc,
    r: [...cpu.r.subarray(0, 15)],
    xpsr: cpu.xpsr,
    msp: cpu.msp,
    psp: cpu.psp,
    instret: cpu.instret,
    retired: cpu.retiredNow(),
    primask: cpu.primask,
    sleeping: cpu.waitingForInterrupt,
    lockedUp: cpu.lockedUp,
    traps: core.traps.length,
    lastTrap: core.traps.at(-1),
    device: core.device.length,
    lastAccess: core.device.at(-1),
    sram: checksum(core.sram),
    flash: checksum(core.flash),
  };
}

function checksum(bytes: Uint8Array): number {
  let h = 0x811c_9dc5;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x0100_0193);
  return h >>> 0;
}

/** A deterministic generator (mulberry32) for budgets and programs. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b_79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
