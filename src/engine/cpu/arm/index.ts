// The engine module "engine/cpu/arm" (loaded by ../../registry.ts): the Cortex-M cores by catalog
// type. Each factory builds the System Control Space (./scs.ts) from the object's props (num-irq,
// num-prio-bits, clock-frequency, refclk-frequency), wires its host to the machine's virtual clock
// (SysTick) and reset request (AIRCR.SYSRESETREQ → the CPU's sysresetreq reset output), and builds
// the core on it (bitband, semihosting).
import type { CpuContext, CpuCore, CpuFactory } from '../contract.ts';
import { type ArmProfile, CortexM } from './cortex-m.ts';
import { CPUID_CORTEX_M0, CPUID_CORTEX_M0PLUS, CPUID_CORTEX_M3, type ScsHost, SystemControlSpace } from './scs.ts';
import { heapLayout, semihostingCall, type SemihostingHost, type SemihostingMemory } from './semihosting.ts';

interface Model {
  name: string;
  profile: ArmProfile;
  cpuid: number;
  /** Default implemented priority bits (QEMU 7.2: 8 on its v7-M NVIC; ARMv6-M has 2). */
  priorityBits: number;
}

const DEFAULT_NUM_IRQ = 32;
const MAX_NUM_IRQ = 496;
const DEFAULT_CLOCK_HZ = 25_000_000;
const DEFAULT_REFCLK_HZ = 1_000_000;

function unsignedProp(context: CpuContext, name: string, fallback: number, min: number, max: number): number {
  const value = context.props[name];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${context.path}: property "${name}" is ${JSON.stringify(value)}; it must be an integer in ${min}..${max}`);
  }
  return value;
}

function build(model: Model, context: CpuContext): CpuCore {
  const { path, props } = context;
  const numIrq = unsignedProp(context, 'num-irq', DEFAULT_NUM_IRQ, 0, MAX_NUM_IRQ);
  const priorityBits = unsignedProp(context, 'num-prio-bits', model.priorityBits, 2, 8);
  const clockHz = unsignedProp(context, 'clock-frequency', DEFAULT_CLOCK_HZ, 1, Number.MAX_SAFE_INTEGER);
  const refClockHz = unsignedProp(context, 'refclk-frequency', DEFAULT_REFCLK_HZ, 0, Number.MAX_SAFE_INTEGER);
  if (model.profile === 'v6m' && priorityBits !== 2) {
    throw new Error(`${path}: ${model.name} (ARMv6-M) implements 2 priority bits; "num-prio-bits" is ${priorityBits}: remove it or set 2`);
  }
  const resetVectorTable = unsignedProp(context, 'reset-vector', 0, 0, 0xffff_ffff);
  if (resetVectorTable % 128 !== 0) throw new Error(`${path}: property "reset-vector" is 0x${resetVectorTable.toString(16)}; a vector table is aligned to 128 bytes (VTOR's low 7 bits are zero)`);
  const bitband = model.profile === 'v7m' ? props.bitband !== false : props.bitband === true;
  if (bitband && model.profile === 'v6m') throw new Error(`${path}: ${model.name} has no bit-band regions: set "bitband" to false`);
  const clock = context.clock;
  let core: CortexM | undefined;
  let timer: number | undefined;
  const host: ScsHost = {
    nowNs: () => clock?.now() ?? 0,
    scheduleAt: (ns) => {
      if (clock === undefined) return;
      if (timer !== undefined) clock.cancel(timer);
      timer = ns === undefined ? undefined : clock.schedule(ns, () => {
        timer = undefined;
        scs.timerCallback();
      });
    },
    exceptionStateChanged: () => core?.exceptionStateChanged(),
    requestSystemReset: () => context.requestReset?.(),
    currentException: () => core?.ipsr ?? 0,
  };
  const scs = new SystemControlSpace({ numIrq, priorityBits, profile: model.profile, cpuid: model.cpuid, clockHz, refClockHz }, host);
  const semihosting = props.semihosting === true ? semihostingHandler(context, () => core) : undefined;
  core = new CortexM(context.space, {
    model: model.name, profile: model.profile, numIrq, priorityBits, bitband, semihosting: semihosting?.call, semihostingReset: semihosting?.reset, resetVectorTable,
  }, scs);
  return core;
}

/** Centiseconds of virtual time (SYS_CLOCK). */
const NS_PER_CENTISECOND = 10_000_000;

/**
 * `bkpt 0xab` as QEMU's -semihosting-config enable=on,target=native: the call (./semihosting.ts) on
 * the board's memory, console output to the machine on the stream QEMU uses (CpuContext.console), SYS_EXIT ending the run
 * with the guest's status, SYS_HEAPINFO from the board's RAM and loaded images (heapLayout). `reset`
 * forgets the open handles and errno (the core's reset calls it).
 */
function semihostingHandler(context: CpuContext, core: () => CortexM | undefined): { call: (operation: number, parameter: number) => number; reset: () => void } {
  const space = context.space;
  const memory: SemihostingMemory = {
    read8: (address) => Math.max(0, space.tryLoad(address >>> 0, 1)),
    read32: (address) => Math.max(0, space.tryLoad(address >>> 0, 4)),
    write32: (address, value) => void space.tryStore(address >>> 0, value, 4),
  };
  const host: SemihostingHost = {
    writeConsole: (bytes, stream) => context.console?.(bytes, stream),
    exit: (status) => {
      context.exit?.(status);
      core()?.requestStop();
    },
    clockCentiseconds: () => Math.floor((context.clock?.now() ?? 0) / NS_PER_CENTISECOND),
    heapInfo: () => heapLayout(space.ram, context.loadedImages?.() ?? []),
  };
  return {
    call: (operation, parameter) => semihostingCall(operation, parameter, memory, host),
    reset: () => {
      host.semihostingState = undefined;
    },
  };
}

const model = (m: Model): CpuFactory => (context) => build(m, context);

export const cpus: Readonly<Record<string, CpuFactory>> = {
  'cortex-m3': model({ name: 'cortex-m3', profile: 'v7m', cpuid: CPUID_CORTEX_M3, priorityBits: 8 }),
  'cortex-m0': model({ name: 'cortex-m0', profile: 'v6m', cpuid: CPUID_CORTEX_M0, priorityBits: 2 }),
  'cortex-m0plus': model({ name: 'cortex-m0plus', profile: 'v6m', cpuid: CPUID_CORTEX_M0PLUS, priorityBits: 2 }),
};

/** The Cortex-M core behind a core built by this module, for tests that need its internals. */
export function cortexMCore(core: CpuCore | undefined): CortexM {
  if (!(core instanceof CortexM)) throw new Error('not a Cortex-M core');
  return core;
}
