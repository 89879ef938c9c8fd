// The System Control Space of a Cortex-M core (0xE000E000–0xE000EFFF): the NVIC, the System Control
// Block (CPUID, ICSR, VTOR, AIRCR, SCR, CCR, SHPR1–3, SHCSR, fault status), SysTick, the MPU's
// registers and STIR. It holds the exception state the core arbitrates with: for every exception
// number, enabled / pending / active, and the programmed priority.
//
// The register behaviour follows what QEMU 7.2's NVIC (hw/intc/armv7m_nvic.c) does for a core
// without the Security Extension, v7-M (cortex-m3) and v6-M (cortex-m0/m0+: the subset):
//   - the whole 4 KiB page answers; offsets nothing implements read as zero and ignore writes
//     (RAZ/WI), as QEMU's page-sized region does — `read` returns undefined only for the SysTick
//     block accessed with a size other than 4 (QEMU rejects it: a BusFault) or an offset outside
//     the page;
//   - word-only registers (everything but the NVIC arrays, SHPR1–3, CFSR and the ID block) read as
//     zero and ignore writes of another size;
//   - registers v6-M lacks (ICTR, SCR, SHCSR, SHPR1, CFSR, HFSR, MMFAR, BFAR, IABR, STIR, CCR
//     writes, PRIGROUP) are RAZ/WI there, as QEMU's feature checks make them;
//   - SCR.SLEEPDEEP is RAZ/WI (QEMU models no deep sleep); AIRCR.VECTCLRACTIVE and VECTRESET do
//     nothing (UNPREDICTABLE outside debug state);
//   - the MPU registers keep what is written (MPU_TYPE: 8 regions on v7-M as QEMU's cortex-m3,
//     none on v6-M), but nothing enforces them yet.
// An external interrupt line is level-sensitive as in QEMU: a rising edge pends it, and a line
// still high when its handler returns pends it again.

import { defineState, StateError, type SavedValue, type Stateful } from '../../state.ts';
import { SysTick, SYST_CSR_COUNTFLAG, SYST_CSR_CLKSOURCE, SYST_CSR_ENABLE, SYST_CSR_TICKINT, SYST_RVR_MASK } from './systick.ts';

export interface ScsOptions {
  /** External interrupt lines (exceptions 16 … 16 + numIrq - 1). */
  numIrq: number;
  /** Implemented priority bits (the top bits of each 8-bit priority field). */
  priorityBits: number;
  profile: 'v7m' | 'v6m';
  /** The CPUID register (see CPUID_CORTEX_M3 …). */
  cpuid: number;
  /** The core clock (SysTick with CLKSOURCE = 1), Hz. */
  clockHz: number;
  /** SysTick's external reference clock (CLKSOURCE = 0), Hz; 0 for none (CLKSOURCE then reads as 1, SYST_CALIB.NOREF set). */
  refClockHz: number;
}

export interface ScsHost {
  /** Virtual time now, in ns (SysTick counts from it) */
  nowNs(): number;
  /** Ask for a callback at virtual time ns (SysTick wrap); replaces the previous one; undefined cancels. The callback is `SystemControlSpace.timerCallback()`. */
  scheduleAt(ns: number | undefined): void;
  /** The pending/enabled/priority state changed: the core re-evaluates whether to take an exception */
  exceptionStateChanged(): void;
  /** AIRCR.SYSRESETREQ written with the right key */
  requestSystemReset(): void;
  /** IPSR's exception number (ICSR.VECTACTIVE); without it VECTACTIVE reads 0. */
  currentException?(): number;
}

// CPUID values QEMU 7.2 gives its models (target/arm/cpu_tcg.c); QEMU has no Cortex-M0+, so that one is
// the Cortex-M0+ r0p1 of ARM's Technical Reference Manual.
/** cortex-m3 as QEMU 7.2 models it: r0p1 (ARM, 0xC23). */
export const CPUID_CORTEX_M3 = 0x410f_c231;
/** cortex-m0 as QEMU 7.2 models it: r0p0 (ARM, 0xC20). */
export const CPUID_CORTEX_M0 = 0x410c_c200;
/** cortex-m0plus, r0p1 (ARM, 0xC60). */
export const CPUID_CORTEX_M0PLUS = 0x410c_c601;

// Exception numbers.
export const EXC_RESET = 1;
export const EXC_NMI = 2;
export const EXC_HARDFAULT = 3;
export const EXC_MEMMANAGE = 4;
export const EXC_BUSFAULT = 5;
export const EXC_USAGEFAULT = 6;
export const EXC_SVCALL = 11;
export const EXC_DEBUGMONITOR = 12;
export const EXC_PENDSV = 14;
export const EXC_SYSTICK = 15;
/** The first external interrupt (IRQ 0). */
export const EXC_IRQ0 = 16;

/** The execution priority with no exception active and no mask set (above every programmable priority). */
export const NO_EXCEPTION_PRIORITY = 0x100;

// Register offsets from 0xE000E000.
export const SCS_ICTR = 0x004;
export const SCS_ACTLR = 0x008;
export const SCS_SYSTICK_BASE = 0x010;
/** SysTick's block ends here (0x010–0x0EF, QEMU's region). */
const SCS_SYSTICK_END = 0x0f0;
export const NVIC_ISER = 0x100;
export const NVIC_ICER = 0x180;
export const NVIC_ISPR = 0x200;
export const NVIC_ICPR = 0x280;
export const NVIC_IABR = 0x300;
export const NVIC_IPR = 0x400;
/** Each set/clear/active array is 0x40 bytes: 512 lines. */
const NVIC_ARRAY_BYTES = 0x40;
/** IPR runs to 0x5EF (496 lines). */
const NVIC_IPR_END = 0x5f0;
export const SCB_CPUID = 0xd00;
export const SCB_ICSR = 0xd04;
export const SCB_VTOR = 0xd08;
export const SCB_AIRCR = 0xd0c;
export const SCB_SCR = 0xd10;
export const SCB_CCR = 0xd14;
export const SCB_SHPR1 = 0xd18;
export const SCB_SHPR2 = 0xd1c;
export const SCB_SHPR3 = 0xd20;
export const SCB_SHCSR = 0xd24;
export const SCB_CFSR = 0xd28;
export const SCB_HFSR = 0xd2c;
export const SCB_DFSR = 0xd30;
export const SCB_MMFAR = 0xd34;
export const SCB_BFAR = 0xd38;
export const SCB_AFSR = 0xd3c;
export const SCB_ID_PFR0 = 0xd40;
export const SCB_ID_PFR1 = 0xd44;
export const SCB_ID_DFR0 = 0xd48;
export const SCB_ID_AFR0 = 0xd4c;
export const SCB_ID_MMFR0 = 0xd50;
export const SCB_ID_MMFR1 = 0xd54;
export const SCB_ID_MMFR2 = 0xd58;
export const SCB_ID_MMFR3 = 0xd5c;
export const SCB_ID_ISAR0 = 0xd60;
export const SCB_ID_ISAR1 = 0xd64;
export const SCB_ID_ISAR2 = 0xd68;
export const SCB_ID_ISAR3 = 0xd6c;
export const SCB_ID_ISAR4 = 0xd70;
export const SCB_ID_ISAR5 = 0xd74;
export const SCB_CPACR = 0xd88;
export const MPU_TYPE = 0xd90;
export const MPU_CTRL = 0xd94;
export const MPU_RNR = 0xd98;
export const MPU_RBAR = 0xd9c;
export const MPU_RASR = 0xda0;
/** RBAR/RASR aliases A1–A3 (v7-M: the same registers as RBAR/RASR). */
export const MPU_RBAR_A1 = 0xda4;
export const MPU_RASR_A1 = 0xda8;
export const MPU_RBAR_A2 = 0xdac;
export const MPU_RASR_A2 = 0xdb0;
export const MPU_RBAR_A3 = 0xdb4;
export const MPU_RASR_A3 = 0xdb8;
export const NVIC_STIR = 0xf00;
/** Peripheral/component ID bytes, one per word, 0xFE0–0xFFC. */
export const SCS_ID_BASE = 0xfe0;
const SCS_SIZE = 0x1000;

// The CPU feature registers QEMU 7.2 answers for cortex-m3 (v6-M: RAZ, as QEMU reads them on its cortex-m0).
const FEATURE_REGISTERS: ReadonlyMap<number, number> = new Map([
  [SCB_ID_PFR0, 0x0000_0030],
  [SCB_ID_PFR1, 0x0000_0200],
  [SCB_ID_DFR0, 0x0010_0000],
  [SCB_ID_AFR0, 0x0000_0000],
  [SCB_ID_MMFR0, 0x0000_0030],
  [SCB_ID_MMFR1, 0x0000_0000],
  [SCB_ID_MMFR2, 0x0000_0000],
  [SCB_ID_MMFR3, 0x0000_0000],
  [SCB_ID_ISAR0, 0x0114_1110],
  [SCB_ID_ISAR1, 0x0211_1000],
  [SCB_ID_ISAR2, 0x2111_2231],
  [SCB_ID_ISAR3, 0x0111_1110],
  [SCB_ID_ISAR4, 0x0131_0102],
  [SCB_ID_ISAR5, 0x0000_0000],
]);
/** The SCS's peripheral/component ID bytes (PID0–3, CID0–3), as QEMU gives them. */
const SCS_ID_BYTES = [0x00, 0xb0, 0x1b, 0x00, 0x0d, 0xe0, 0x05, 0xb1];

// ICSR bits.
export const ICSR_VECTACTIVE_MASK = 0x1ff;
export const ICSR_RETTOBASE = 1 << 11;
export const ICSR_VECTPENDING_SHIFT = 12;
export const ICSR_ISRPENDING = 1 << 22;
export const ICSR_PENDSTCLR = 1 << 25;
export const ICSR_PENDSTSET = 1 << 26;
export const ICSR_PENDSVCLR = 1 << 27;
export const ICSR_PENDSVSET = 1 << 28;
export const ICSR_NMIPENDSET = 1 << 31;

// AIRCR.
export const AIRCR_VECTKEY = 0x05fa;
/** What AIRCR's top half reads as (VECTKEYSTAT). */
const AIRCR_VECTKEYSTAT = 0xfa05_0000;
export const AIRCR_VECTRESET = 1 << 0;
export const AIRCR_VECTCLRACTIVE = 1 << 1;
export const AIRCR_SYSRESETREQ = 1 << 2;
export const AIRCR_PRIGROUP_SHIFT = 8;
export const AIRCR_ENDIANNESS = 1 << 15;

// SCR.
export const SCR_SLEEPONEXIT = 1 << 1;
export const SCR_SLEEPDEEP = 1 << 2;
/** v8-M's SLEEPDEEPS, which QEMU also keeps at zero. */
const SCR_SLEEPDEEPS = 1 << 3;
export const SCR_SEVONPEND = 1 << 4;

// CCR.
export const CCR_NONBASETHRDENA = 1 << 0;
export const CCR_USERSETMPEND = 1 << 1;
export const CCR_UNALIGN_TRP = 1 << 3;
export const CCR_DIV_0_TRP = 1 << 4;
export const CCR_BFHFNMIGN = 1 << 8;
export const CCR_STKALIGN = 1 << 9;
const CCR_WRITABLE = CCR_STKALIGN | CCR_BFHFNMIGN | CCR_DIV_0_TRP | CCR_UNALIGN_TRP | CCR_USERSETMPEND | CCR_NONBASETHRDENA;

// SHCSR bits.
export const SHCSR_MEMFAULTACT = 1 << 0;
export const SHCSR_BUSFAULTACT = 1 << 1;
export const SHCSR_USGFAULTACT = 1 << 3;
export const SHCSR_SVCALLACT = 1 << 7;
export const SHCSR_MONITORACT = 1 << 8;
export const SHCSR_PENDSVACT = 1 << 10;
export const SHCSR_SYSTICKACT = 1 << 11;
export const SHCSR_USGFAULTPENDED = 1 << 12;
export const SHCSR_MEMFAULTPENDED = 1 << 13;
export const SHCSR_BUSFAULTPENDED = 1 << 14;
export const SHCSR_SVCALLPENDED = 1 << 15;
export const SHCSR_MEMFAULTENA = 1 << 16;
export const SHCSR_BUSFAULTENA = 1 << 17;
export const SHCSR_USGFAULTENA = 1 << 18;

/** SHCSR bit → (exception, which state). */
const SHCSR_BITS: ReadonlyArray<readonly [number, number, 'active' | 'pending' | 'enabled']> = [
  [SHCSR_MEMFAULTACT, EXC_MEMMANAGE, 'active'],
  [SHCSR_BUSFAULTACT, EXC_BUSFAULT, 'active'],
  [SHCSR_USGFAULTACT, EXC_USAGEFAULT, 'active'],
  [SHCSR_SVCALLACT, EXC_SVCALL, 'active'],
  [SHCSR_MONITORACT, EXC_DEBUGMONITOR, 'active'],
  [SHCSR_PENDSVACT, EXC_PENDSV, 'active'],
  [SHCSR_SYSTICKACT, EXC_SYSTICK, 'active'],
  [SHCSR_USGFAULTPENDED, EXC_USAGEFAULT, 'pending'],
  [SHCSR_MEMFAULTPENDED, EXC_MEMMANAGE, 'pending'],
  [SHCSR_BUSFAULTPENDED, EXC_BUSFAULT, 'pending'],
  [SHCSR_SVCALLPENDED, EXC_SVCALL, 'pending'],
  [SHCSR_MEMFAULTENA, EXC_MEMMANAGE, 'enabled'],
  [SHCSR_BUSFAULTENA, EXC_BUSFAULT, 'enabled'],
  [SHCSR_USGFAULTENA, EXC_USAGEFAULT, 'enabled'],
];

// Fault status bits, by the `bit` recordFault takes: the bit inside MMFSR (CFSR[7:0]), BFSR
// (CFSR[15:8]), UFSR (CFSR[31:16]), HFSR or DFSR.
export const MMFSR_IACCVIOL = 0;
export const MMFSR_DACCVIOL = 1;
export const MMFSR_MUNSTKERR = 3;
export const MMFSR_MSTKERR = 4;
export const MMFSR_MLSPERR = 5;
export const MMFSR_MMARVALID = 7;
export const BFSR_IBUSERR = 0;
export const BFSR_PRECISERR = 1;
export const BFSR_IMPRECISERR = 2;
export const BFSR_UNSTKERR = 3;
export const BFSR_STKERR = 4;
export const BFSR_LSPERR = 5;
export const BFSR_BFARVALID = 7;
export const UFSR_UNDEFINSTR = 0;
export const UFSR_INVSTATE = 1;
export const UFSR_INVPC = 2;
export const UFSR_NOCP = 3;
export const UFSR_UNALIGNED = 8;
export const UFSR_DIVBYZERO = 9;
export const HFSR_VECTTBL = 1;
export const HFSR_FORCED = 30;
export const HFSR_DEBUGEVT = 31;
export const DFSR_HALTED = 0;
export const DFSR_BKPT = 1;
export const DFSR_DWTTRAP = 2;
export const DFSR_VCATCH = 3;
export const DFSR_EXTERNAL = 4;
const CFSR_MMFSR_SHIFT = 0;
const CFSR_BFSR_SHIFT = 8;
const CFSR_UFSR_SHIFT = 16;

// MPU.
/** The MPU regions QEMU 7.2's cortex-m3 has (pmsav7_dregion); v6-M cores have none. */
export const MPU_REGIONS_V7M = 8;
export const MPU_CTRL_ENABLE = 1 << 0;
export const MPU_CTRL_HFNMIENA = 1 << 1;
export const MPU_CTRL_PRIVDEFENA = 1 << 2;
const MPU_CTRL_MASK = MPU_CTRL_ENABLE | MPU_CTRL_HFNMIENA | MPU_CTRL_PRIVDEFENA;
const MPU_RBAR_VALID = 1 << 4;
const MPU_RBAR_REGION_MASK = 0xf;
/** RASR bits QEMU keeps: DRSR (size, enable, subregion disables) in [15:0] and DRACR (XN, AP, TEX, S, C, B) in [31:16]. */
const MPU_RASR_MASK = 0x173f_ff3f;

/** The largest external interrupt count (the NVIC's 512 exception numbers less the 16 internal ones). */
export const MAX_IRQS = 496;

export type FaultKind = 'usage' | 'bus' | 'mem' | 'hard' | 'debug';

export const SCS_STATE = defineState({
  name: 'armv7m-scs',
  version: 1,
  fields: [
    { name: 'enabled', type: 'u8[]', mask: 1, doc: 'per exception number: enabled (ISER, SHCSR.*ENA; fixed for NMI, HardFault, SVCall, PendSV, SysTick)' },
    { name: 'pending', type: 'u8[]', mask: 1, doc: 'per exception number: pending' },
    { name: 'active', type: 'u8[]', mask: 1, doc: 'per exception number: active' },
    { name: 'level', type: 'u8[]', mask: 1, doc: 'per exception number: the level of the external line (IRQs only)' },
    { name: 'priorities', type: 'u8[]', doc: 'per exception number: the programmed priority (configurable exceptions; implemented bits only)' },
    { name: 'prigroup', type: 'u8', mask: 7, doc: 'AIRCR.PRIGROUP' },
    { name: 'vtor', type: 'u32', doc: 'VTOR' },
    { name: 'scr', type: 'u32', doc: 'SCR' },
    { name: 'ccr', type: 'u32', doc: 'CCR' },
    { name: 'cfsr', type: 'u32', doc: 'CFSR (MMFSR, BFSR, UFSR)' },
    { name: 'hfsr', type: 'u32', doc: 'HFSR' },
    { name: 'dfsr', type: 'u32', mask: 0x1f, doc: 'DFSR' },
    { name: 'mmfar', type: 'u32', doc: 'MMFAR' },
    { name: 'bfar', type: 'u32', doc: 'BFAR' },
    { name: 'mpuCtrl', type: 'u32', mask: MPU_CTRL_MASK, doc: 'MPU_CTRL (kept, not enforced)' },
    { name: 'mpuRnr', type: 'u8', doc: 'MPU_RNR' },
    { name: 'mpuRbar', type: 'u32[]', doc: 'per MPU region: RBAR address bits' },
    { name: 'mpuRasr', type: 'u32[]', mask: MPU_RASR_MASK, doc: 'per MPU region: RASR' },
    { name: 'systCsr', type: 'u32', mask: SYST_CSR_COUNTFLAG | SYST_CSR_CLKSOURCE | SYST_CSR_TICKINT | SYST_CSR_ENABLE, doc: 'SYST_CSR' },
    { name: 'systRvr', type: 'u32', mask: SYST_RVR_MASK, doc: 'SYST_RVR' },
    { name: 'systRunning', type: 'bool', doc: 'SysTick counts (ENABLE and not stopped at zero with RVR = 0)' },
    { name: 'systBaseCount', type: 'u32', mask: SYST_RVR_MASK, doc: 'SysTick counter value at systBaseNs (the value itself while stopped)' },
    { name: 'systBaseNs', type: 'f64', doc: 'virtual time (ns) of systBaseCount' },
  ],
});

export class SystemControlSpace implements Stateful {
  readonly stateDescriptor = SCS_STATE;
  /** Exception numbers 0 … numExceptions - 1 (0 is unused, 1–15 internal, 16+ external). */
  readonly numExceptions: number;
  readonly enabled: Uint8Array;
  readonly pending: Uint8Array;
  readonly active: Uint8Array;
  readonly level: Uint8Array;
  readonly priorities: Uint8Array;
  prigroup = 0;
  vtor = 0;
  scr = 0;
  ccr = 0;
  cfsr = 0;
  hfsr = 0;
  dfsr = 0;
  mmfar = 0;
  bfar = 0;
  mpuCtrl = 0;
  mpuRnr = 0;
  readonly mpuRbar: Uint32Array;
  readonly mpuRasr: Uint32Array;
  readonly systick: SysTick;

  private readonly main: boolean;
  private readonly priorityMask: number;
  private readonly mpuRegions: number;
  /** Cached: the highest-priority pending and enabled exception (0: none) and its group priority. */
  private vectPending = 0;
  private vectPendingPriority = NO_EXCEPTION_PRIORITY;
  /** Cached: the group priority of the highest-priority active exception (NO_EXCEPTION_PRIORITY: none). */
  private activePriorityValue = NO_EXCEPTION_PRIORITY;

  constructor(
    readonly options: ScsOptions,
    private readonly host: ScsHost,
  ) {
    const { numIrq, priorityBits, profile } = options;
    if (!Number.isInteger(numIrq) || numIrq < 0 || numIrq > MAX_IRQS) throw new RangeError(`SCS: numIrq must be an integer in 0..${MAX_IRQS} (got ${numIrq})`);
    if (!Number.isInteger(priorityBits) || priorityBits < 2 || priorityBits > 8) throw new RangeError(`SCS: priorityBits must be an integer in 2..8 (got ${priorityBits})`);
    if (profile !== 'v7m' && profile !== 'v6m') throw new RangeError(`SCS: profile must be 'v7m' or 'v6m' (got ${String(profile)})`);
    this.main = profile === 'v7m';
    this.priorityMask = (0xff << (8 - priorityBits)) & 0xff;
    this.numExceptions = EXC_IRQ0 + numIrq;
    this.enabled = new Uint8Array(this.numExceptions);
    this.pending = new Uint8Array(this.numExceptions);
    this.active = new Uint8Array(this.numExceptions);
    this.level = new Uint8Array(this.numExceptions);
    this.priorities = new Uint8Array(this.numExceptions);
    this.mpuRegions = this.main ? MPU_REGIONS_V7M : 0;
    this.mpuRbar = new Uint32Array(this.mpuRegions);
    this.mpuRasr = new Uint32Array(this.mpuRegions);
    this.systick = new SysTick(options.clockHz, options.refClockHz, {
      nowNs: () => host.nowNs(),
      scheduleAt: (ns) => host.scheduleAt(ns),
      pendSysTick: () => this.setPending(EXC_SYSTICK),
    });
    this.resetState();
  }

  // ---- life cycle ------------------------------------------------------------------------

  reset(): void {
    this.resetState();
    this.host.exceptionStateChanged();
  }

  private resetState(): void {
    this.enabled.fill(0);
    this.pending.fill(0);
    this.active.fill(0);
    this.level.fill(0);
    this.priorities.fill(0);
    // always enabled; MemManage, BusFault and UsageFault are enabled through SHCSR, DebugMonitor by DEMCR
    for (const exception of [EXC_NMI, EXC_HARDFAULT, EXC_SVCALL, EXC_PENDSV, EXC_SYSTICK]) this.enabled[exception] = 1;
    this.prigroup = 0;
    this.vtor = 0;
    this.scr = 0;
    // QEMU resets STKALIGN to 1 (ARM's recommendation); v6-M has UNALIGN_TRP fixed at 1
    this.ccr = CCR_STKALIGN | (this.main ? 0 : CCR_UNALIGN_TRP);
    this.cfsr = 0;
    this.hfsr = 0;
    this.dfsr = 0;
    this.mmfar = 0;
    this.bfar = 0;
    this.mpuCtrl = 0;
    this.mpuRnr = 0;
    this.mpuRbar.fill(0);
    this.mpuRasr.fill(0);
    this.systick.reset();
    this.recompute();
  }

  /** The host's scheduled callback (see ScsHost.scheduleAt): SysTick catches up and asks for the next one. */
  timerCallback(): void {
    this.systick.timerCallback();
  }

  // ---- state -------------------------------------------------------------------------------

  get systCsr(): number {
    return this.systick.csr;
  }
  set systCsr(value: number) {
    this.systick.csr = value;
  }
  get systRvr(): number {
    return this.systick.rvr;
  }
  set systRvr(value: number) {
    this.systick.rvr = value;
  }
  get systRunning(): boolean {
    return this.systick.running;
  }
  set systRunning(value: boolean) {
    this.systick.running = value;
  }
  get systBaseCount(): number {
    return this.systick.baseCount;
  }
  set systBaseCount(value: number) {
    this.systick.baseCount = value;
  }
  get systBaseNs(): number {
    return this.systick.baseNs;
  }
  set systBaseNs(value: number) {
    this.systick.baseNs = value;
  }

  validateState(fields: Readonly<Record<string, SavedValue>>): void {
    const priorities = fields.priorities as number[];
    priorities.forEach((priority, exception) => {
      if ((priority & ~this.priorityMask) !== 0) {
        throw new StateError(`SCS: priorities[${exception}] = 0x${priority.toString(16)} has bits this core does not implement (mask 0x${this.priorityMask.toString(16)})`, SCS_STATE.name, 'priorities');
      }
    });
    if ((fields.mpuRnr as number) >= Math.max(1, this.mpuRegions)) {
      throw new StateError(`SCS: mpuRnr ${String(fields.mpuRnr)} is not a region of this MPU (${this.mpuRegions} regions)`, SCS_STATE.name, 'mpuRnr');
    }
  }

  postLoad(): void {
    this.recompute();
    this.systick.schedule();
    this.host.exceptionStateChanged();
  }

  // ---- the register interface --------------------------------------------------------------

  /**
   * MMIO from the core at 0xE000E000 + offset. The core checks privilege first (every SCS access
   * but STIR with CCR.USERSETMPEND is privileged-only: `unprivilegedAccessAllowed`). Returns
   * undefined where the access is a BusFault (SysTick with a size other than 4, outside the page).
   */
  /**
   * A word of the SCS as a debugger sees it, without side effects: SysTick is not brought up to
   * now (COUNTFLAG stays set, nothing is pended). Undefined outside SysTick and the SCB registers.
   */
  peek(offset: number): number | undefined {
    if (offset >= SCS_SYSTICK_BASE && offset < SCS_SYSTICK_END) return (offset & 3) === 0 ? this.systick.peek(offset - SCS_SYSTICK_BASE) : undefined;
    if (offset < SCB_CPUID || offset > SCB_BFAR || (offset & 3) !== 0) return undefined;
    return this.read(offset, 4);
  }

  read(offset: number, size: 1 | 2 | 4): number | undefined {
    if (offset < 0 || offset + size > SCS_SIZE) return undefined;
    if (offset >= SCS_SYSTICK_BASE && offset < SCS_SYSTICK_END) {
      if (size !== 4) return undefined;
      return this.systick.read(offset - SCS_SYSTICK_BASE);
    }
    const array = this.readNvicArray(offset, size);
    if (array !== undefined) return array >>> 0;
    if (offset >= SCB_SHPR1 && offset < SCB_SHPR3 + 4) {
      if (offset < SCB_SHPR2 && !this.main) return 0;
      let value = 0;
      for (let i = 0; i < size; i++) value |= this.shprField(offset - 0xd14 + i) << (8 * i);
      return value >>> 0;
    }
    if (offset >= SCB_CFSR && offset < SCB_CFSR + 4) {
      if (!this.main) return 0;
      return extractBytes(this.cfsr, offset - SCB_CFSR, size);
    }
    if (offset >= SCS_ID_BASE) return (offset & 3) === 0 ? SCS_ID_BYTES[(offset - SCS_ID_BASE) >> 2] : 0;
    if (size !== 4) return 0; // QEMU: the other registers answer word accesses only (RAZ/WI)
    return this.readWord(offset) >>> 0;
  }

  /** See `read`. Returns false where the access is a BusFault. */
  write(offset: number, value: number, size: 1 | 2 | 4): boolean {
    if (offset < 0 || offset + size > SCS_SIZE) return false;
    value >>>= 0;
    if (offset >= SCS_SYSTICK_BASE && offset < SCS_SYSTICK_END) {
      if (size !== 4) return false;
      this.systick.write(offset - SCS_SYSTICK_BASE, value);
      return true;
    }
    if (this.writeNvicArray(offset, value, size)) return true;
    if (offset >= SCB_SHPR1 && offset < SCB_SHPR3 + 4) {
      if (offset < SCB_SHPR2 && !this.main) return true;
      for (let i = 0; i < size; i++) {
        const exception = offset - 0xd14 + i;
        if (shprImplemented(exception)) this.priorities[exception] = (value >>> (8 * i)) & this.priorityMask;
      }
      this.changed();
      return true;
    }
    if (offset >= SCB_CFSR && offset < SCB_CFSR + 4) {
      // write one to clear, with the bytes the access covers
      if (this.main) this.cfsr = (this.cfsr & ~(value << (8 * (offset - SCB_CFSR)))) >>> 0;
      return true;
    }
    if (size !== 4) return true;
    this.writeWord(offset, value);
    return true;
  }

  /** Whether an unprivileged access may reach `offset` (else the core raises a BusFault): STIR with CCR.USERSETMPEND only. */
  unprivilegedAccessAllowed(offset: number): boolean {
    return offset === NVIC_STIR && (this.ccr & CCR_USERSETMPEND) !== 0;
  }

  private readNvicArray(offset: number, size: number): number | undefined {
    const bitArray = (state: Uint8Array, base: number): number => {
      const first = EXC_IRQ0 + 8 * (offset - base);
      let value = 0;
      for (let i = 0; i < size * 8 && first + i < this.numExceptions; i++) if (state[first + i]) value |= 1 << i;
      return value;
    };
    if (offset >= NVIC_ISER && offset < NVIC_ISER + NVIC_ARRAY_BYTES) return bitArray(this.enabled, NVIC_ISER);
    if (offset >= NVIC_ICER && offset < NVIC_ICER + NVIC_ARRAY_BYTES) return bitArray(this.enabled, NVIC_ICER);
    if (offset >= NVIC_ISPR && offset < NVIC_ISPR + NVIC_ARRAY_BYTES) return bitArray(this.pending, NVIC_ISPR);
    if (offset >= NVIC_ICPR && offset < NVIC_ICPR + NVIC_ARRAY_BYTES) return bitArray(this.pending, NVIC_ICPR);
    if (offset >= NVIC_IABR && offset < NVIC_IABR + NVIC_ARRAY_BYTES) return this.main ? bitArray(this.active, NVIC_IABR) : 0;
    if (offset >= NVIC_IPR && offset < NVIC_IPR_END) {
      const first = EXC_IRQ0 + offset - NVIC_IPR;
      let value = 0;
      for (let i = 0; i < size && first + i < this.numExceptions; i++) value |= this.priorities[first + i] << (8 * i);
      return value;
    }
    return undefined;
  }

  private writeNvicArray(offset: number, value: number, size: number): boolean {
    const setBits = (state: Uint8Array, base: number, to: 0 | 1): true => {
      const first = EXC_IRQ0 + 8 * (offset - base);
      for (let i = 0; i < size * 8 && first + i < this.numExceptions; i++) if ((value >>> i) & 1) state[first + i] = to;
      this.changed();
      return true;
    };
    if (offset >= NVIC_ISER && offset < NVIC_ISER + NVIC_ARRAY_BYTES) return setBits(this.enabled, NVIC_ISER, 1);
    if (offset >= NVIC_ICER && offset < NVIC_ICER + NVIC_ARRAY_BYTES) return setBits(this.enabled, NVIC_ICER, 0);
    if (offset >= NVIC_ISPR && offset < NVIC_ISPR + NVIC_ARRAY_BYTES) return setBits(this.pending, NVIC_ISPR, 1);
    if (offset >= NVIC_ICPR && offset < NVIC_ICPR + NVIC_ARRAY_BYTES) return setBits(this.pending, NVIC_ICPR, 0);
    if (offset >= NVIC_IABR && offset < NVIC_IABR + NVIC_ARRAY_BYTES) return true; // read-only
    if (offset >= NVIC_IPR && offset < NVIC_IPR_END) {
      const first = EXC_IRQ0 + offset - NVIC_IPR;
      for (let i = 0; i < size && first + i < this.numExceptions; i++) this.priorities[first + i] = (value >>> (8 * i)) & this.priorityMask;
      this.changed();
      return true;
    }
    return false;
  }

  /** SHPR's byte for an exception number 4–15 (reserved ones read as zero). */
  private shprField(exception: number): number {
    return shprImplemented(exception) ? this.priorities[exception] : 0;
  }

  private readWord(offset: number): number {
    const featureRegister = FEATURE_REGISTERS.get(offset);
    if (featureRegister !== undefined) return this.main ? featureRegister : 0;
    switch (offset) {
      case SCS_ICTR:
        // INTLINESNUM: lines in blocks of 32, minus one (QEMU's integer division)
        return this.main ? Math.max(0, Math.floor((this.numExceptions - EXC_IRQ0) / 32) - 1) : 0;
      case SCB_CPUID:
        return this.options.cpuid;
      case SCB_ICSR:
        return this.icsr();
      case SCB_VTOR:
        return this.vtor;
      case SCB_AIRCR:
        return AIRCR_VECTKEYSTAT | (this.prigroup << AIRCR_PRIGROUP_SHIFT);
      case SCB_SCR:
        return this.main ? this.scr : 0;
      case SCB_CCR:
        return this.ccr;
      case SCB_SHCSR:
        return this.main ? this.shcsr() : 0;
      case SCB_HFSR:
        return this.main ? this.hfsr : 0;
      case SCB_DFSR:
        return this.dfsr;
      case SCB_MMFAR:
        return this.main ? this.mmfar : 0;
      case SCB_BFAR:
        return this.main ? this.bfar : 0;
      case MPU_TYPE:
        return this.mpuRegions << 8;
      case MPU_CTRL:
        return this.mpuCtrl;
      case MPU_RNR:
        return this.mpuRnr;
      case MPU_RBAR:
      case MPU_RBAR_A1:
      case MPU_RBAR_A2:
      case MPU_RBAR_A3:
        return this.mpuRnr < this.mpuRegions ? (this.mpuRbar[this.mpuRnr] | (this.mpuRnr & MPU_RBAR_REGION_MASK)) >>> 0 : 0;
      case MPU_RASR:
      case MPU_RASR_A1:
      case MPU_RASR_A2:
      case MPU_RASR_A3:
        return this.mpuRnr < this.mpuRegions ? this.mpuRasr[this.mpuRnr] : 0;
      default:
        // ACTLR, AFSR, CPACR (no FPU), the cache registers, STIR (write-only) …: RAZ as in QEMU
        return 0;
    }
  }

  private writeWord(offset: number, value: number): void {
    switch (offset) {
      case SCB_ICSR:
        if (value & ICSR_NMIPENDSET) this.setPending(EXC_NMI);
        if (value & ICSR_PENDSVSET) this.setPending(EXC_PENDSV);
        else if (value & ICSR_PENDSVCLR) this.clearPending(EXC_PENDSV);
        if (value & ICSR_PENDSTSET) this.setPending(EXC_SYSTICK);
        else if (value & ICSR_PENDSTCLR) this.clearPending(EXC_SYSTICK);
        return;
      case SCB_VTOR:
        this.vtor = (value & 0xffff_ff80) >>> 0;
        return;
      case SCB_AIRCR:
        if (value >>> 16 !== AIRCR_VECTKEY) return;
        // VECTCLRACTIVE and VECTRESET are UNPREDICTABLE outside debug state: QEMU ignores them, so do we
        if (this.main) this.prigroup = (value >>> AIRCR_PRIGROUP_SHIFT) & 7;
        this.changed();
        if (value & AIRCR_SYSRESETREQ) this.host.requestSystemReset();
        return;
      case SCB_SCR:
        // no deep sleep is modelled: SLEEPDEEP reads as zero (QEMU)
        if (this.main) this.scr = (value & ~(SCR_SLEEPDEEP | SCR_SLEEPDEEPS)) >>> 0;
        return;
      case SCB_CCR:
        if (this.main) this.ccr = value & CCR_WRITABLE;
        return;
      case SCB_SHCSR:
        if (!this.main) return;
        for (const [bit, exception, which] of SHCSR_BITS) this[which][exception] = value & bit ? 1 : 0;
        this.changed();
        return;
      case SCB_HFSR:
        if (this.main) this.hfsr = (this.hfsr & ~value) >>> 0;
        return;
      case SCB_DFSR:
        this.dfsr = (this.dfsr & ~value) >>> 0;
        return;
      case SCB_MMFAR:
        if (this.main) this.mmfar = value;
        return;
      case SCB_BFAR:
        if (this.main) this.bfar = value;
        return;
      case MPU_CTRL:
        this.mpuCtrl = value & MPU_CTRL_MASK;
        return;
      case MPU_RNR:
        if (value < this.mpuRegions) this.mpuRnr = value;
        return;
      case MPU_RBAR:
      case MPU_RBAR_A1:
      case MPU_RBAR_A2:
      case MPU_RBAR_A3: {
        let region = this.mpuRnr;
        if (value & MPU_RBAR_VALID) {
          // VALID: the region field selects the region and updates RNR
          region = value & MPU_RBAR_REGION_MASK;
          if (region >= this.mpuRegions) return;
          this.mpuRnr = region;
        }
        if (region < this.mpuRegions) this.mpuRbar[region] = (value & ~0x1f) >>> 0;
        return;
      }
      case MPU_RASR:
      case MPU_RASR_A1:
      case MPU_RASR_A2:
      case MPU_RASR_A3:
        if (this.mpuRnr < this.mpuRegions) this.mpuRasr[this.mpuRnr] = (value & MPU_RASR_MASK) >>> 0;
        return;
      case NVIC_STIR: {
        if (!this.main) return;
        const exception = (value & 0x1ff) + EXC_IRQ0;
        if (exception < this.numExceptions) this.setPending(exception);
        return;
      }
      default:
        // CPUID, the feature registers, MPU_TYPE, ICTR (read-only); ACTLR, AFSR, CPACR (RAZ/WI)
        return;
    }
  }

  private icsr(): number {
    let value = (this.host.currentException?.() ?? 0) & ICSR_VECTACTIVE_MASK;
    value |= (this.vectPending & 0x1ff) << ICSR_VECTPENDING_SHIFT;
    if (this.isrPending()) value |= ICSR_ISRPENDING;
    // RETTOBASE: at most one active exception (QEMU reads 1 with none active, as the Cortex-M3 does)
    if (this.activeCount() <= 1) value |= ICSR_RETTOBASE;
    if (this.pending[EXC_SYSTICK]) value |= ICSR_PENDSTSET;
    if (this.pending[EXC_PENDSV]) value |= ICSR_PENDSVSET;
    if (this.pending[EXC_NMI]) value |= ICSR_NMIPENDSET;
    return value >>> 0;
  }

  private isrPending(): boolean {
    for (let exception = EXC_IRQ0; exception < this.numExceptions; exception++) if (this.pending[exception]) return true;
    return false;
  }

  private shcsr(): number {
    let value = 0;
    for (const [bit, exception, which] of SHCSR_BITS) if (this[which][exception]) value |= bit;
    return value >>> 0;
  }

  // ---- interrupt inputs --------------------------------------------------------------------

  /** External line `line` (IRQ n, exception 16 + n): a rising edge pends it; its level is sampled again when its handler returns. */
  setIrqLevel(line: number, high: boolean): void {
    const exception = EXC_IRQ0 + line;
    if (!Number.isInteger(line) || line < 0 || exception >= this.numExceptions) {
      throw new RangeError(`SCS: IRQ line ${line} does not exist (this NVIC has ${this.numExceptions - EXC_IRQ0} lines, 0..${this.numExceptions - EXC_IRQ0 - 1})`);
    }
    const level = high ? 1 : 0;
    if (this.level[exception] === level) return;
    this.level[exception] = level;
    if (high) this.setPending(exception);
  }

  /** NMI input: a high level pends NMI (QEMU keeps no level for it). */
  setNmi(high: boolean): void {
    if (high) this.setPending(EXC_NMI);
  }

  // ---- exception state ---------------------------------------------------------------------

  setPending(exception: number): void {
    this.checkException(exception);
    if (this.pending[exception]) return;
    this.pending[exception] = 1;
    this.changed();
  }

  clearPending(exception: number): void {
    this.checkException(exception);
    if (!this.pending[exception]) return;
    this.pending[exception] = 0;
    this.changed();
  }

  isPending(exception: number): boolean {
    return this.pending[exception] === 1;
  }

  /**
   * A synchronous fault (MemManage, BusFault, UsageFault, SVCall, DebugMonitor, or HardFault) the
   * core raises at `executionPriority`: a fault that is disabled or whose group priority does not
   * preempt escalates to HardFault and sets HFSR.FORCED (QEMU's rule; v6-M has only HardFault).
   * Returns the exception now pending, or 0 when not even HardFault can preempt (lockup).
   */
  raiseFault(exception: number, executionPriority: number): number {
    this.checkException(exception);
    let target = exception;
    if (!this.main && target !== EXC_HARDFAULT && target !== EXC_SVCALL) target = EXC_HARDFAULT;
    if (target !== EXC_HARDFAULT && (!this.enabled[target] || this.groupPriority(this.priority(target)) >= executionPriority)) {
      target = EXC_HARDFAULT;
      if (this.main) this.hfsr = (this.hfsr | (1 << HFSR_FORCED)) >>> 0;
    }
    if (target === EXC_HARDFAULT && executionPriority <= this.priority(EXC_HARDFAULT)) return 0;
    this.setPending(target);
    return target;
  }

  /** The pending exception that would preempt at `executionPriority` (group priority compare with PRIGROUP), or 0 */
  pendingException(executionPriority: number): number {
    return this.vectPendingPriority < executionPriority ? this.vectPending : 0;
  }

  /** The highest-priority pending and enabled exception whatever the execution priority (ICSR.VECTPENDING), or 0. */
  get highestPending(): number {
    return this.vectPending;
  }

  /** Priority of an exception: -3/-2/-1 for Reset/NMI/HardFault, else the programmed value (masked to implemented bits) */
  priority(exception: number): number {
    if (exception === EXC_RESET) return -3;
    if (exception === EXC_NMI) return -2;
    if (exception === EXC_HARDFAULT) return -1;
    return this.priorities[exception];
  }

  /** Group priority of a raw priority under AIRCR.PRIGROUP (for BASEPRI/execution priority) */
  groupPriority(priority: number): number {
    if (priority < 0) return priority;
    return priority & (0xff << (this.prigroup + 1)) & 0xff;
  }

  /** The group priority of the highest-priority active exception, NO_EXCEPTION_PRIORITY (0x100) when none is active. */
  activePriority(): number {
    return this.activePriorityValue;
  }

  /**
   * The execution priority (the ARM ARM's ExecutionPriority): the active exceptions' priority,
   * lowered by BASEPRI (its group priority), PRIMASK (0) and FAULTMASK (-1).
   */
  executionPriority(primask: boolean, faultmask: boolean, basepri: number): number {
    let running = NO_EXCEPTION_PRIORITY;
    const base = basepri & this.priorityMask;
    if (base !== 0) running = this.groupPriority(base);
    if (primask) running = 0;
    if (faultmask) running = -1;
    return Math.min(running, this.activePriorityValue);
  }

  /** On exception entry: pending → active. */
  activate(exception: number): void {
    this.checkException(exception);
    this.pending[exception] = 0;
    this.active[exception] = 1;
    this.changed();
  }

  /** On exception return: not active; an external line still high pends again (QEMU). */
  deactivate(exception: number): void {
    this.checkException(exception);
    this.active[exception] = 0;
    if (exception >= EXC_IRQ0 && this.level[exception]) this.pending[exception] = 1;
    this.changed();
  }

  isActive(exception: number): boolean {
    return this.active[exception] === 1;
  }

  activeCount(): number {
    let count = 0;
    for (let exception = 1; exception < this.numExceptions; exception++) count += this.active[exception];
    return count;
  }

  isEnabled(exception: number): boolean {
    return this.enabled[exception] === 1;
  }

  /** Whether the configurable fault is enabled (SHCSR) — else it escalates to HardFault */
  faultEnabled(exception: 4 | 5 | 6): boolean {
    return this.enabled[exception] === 1;
  }

  get sleepOnExit(): boolean {
    return (this.scr & SCR_SLEEPONEXIT) !== 0;
  }

  get sevOnPend(): boolean {
    return (this.scr & SCR_SEVONPEND) !== 0;
  }

  /**
   * Fault status bookkeeping when the core takes a fault: `bit` is the bit inside MMFSR/BFSR/UFSR
   * (kind mem/bus/usage; e.g. UFSR_UNDEFINSTR, BFSR_PRECISERR), HFSR (hard: HFSR_VECTTBL,
   * HFSR_FORCED) or DFSR (debug: DFSR_BKPT). With an address, a MemManage or BusFault also records
   * MMFAR/BFAR and sets MMARVALID/BFARVALID. v6-M has only DFSR: other kinds record nothing there.
   */
  recordFault(kind: FaultKind, bit: number, address?: number): void {
    if (kind === 'debug') {
      this.dfsr = (this.dfsr | (1 << bit)) & 0x1f;
      return;
    }
    if (!this.main) return;
    switch (kind) {
      case 'mem':
        this.cfsr |= 1 << (CFSR_MMFSR_SHIFT + bit);
        if (address !== undefined) {
          this.mmfar = address >>> 0;
          this.cfsr |= 1 << (CFSR_MMFSR_SHIFT + MMFSR_MMARVALID);
        }
        break;
      case 'bus':
        this.cfsr |= 1 << (CFSR_BFSR_SHIFT + bit);
        if (address !== undefined) {
          this.bfar = address >>> 0;
          this.cfsr |= 1 << (CFSR_BFSR_SHIFT + BFSR_BFARVALID);
        }
        break;
      case 'usage':
        this.cfsr |= 1 << (CFSR_UFSR_SHIFT + bit);
        break;
      case 'hard':
        this.hfsr = (this.hfsr | (1 << bit)) >>> 0;
        break;
    }
    this.cfsr >>>= 0;
  }

  private checkException(exception: number): void {
    if (!Number.isInteger(exception) || exception < 1 || exception >= this.numExceptions) {
      throw new RangeError(`SCS: exception ${exception} does not exist (1..${this.numExceptions - 1})`);
    }
  }

  /** Something that arbitration depends on changed: recompute, tell the core. */
  private changed(): void {
    this.recompute();
    this.host.exceptionStateChanged();
  }

  /** QEMU's nvic_recompute_state: the highest-priority pending+enabled exception (lowest priority, then lowest number) and the active priority. */
  private recompute(): void {
    let pendingPriority = NO_EXCEPTION_PRIORITY;
    let pendingException = 0;
    let activePriority = NO_EXCEPTION_PRIORITY;
    for (let exception = 1; exception < this.numExceptions; exception++) {
      const priority = this.priority(exception);
      if (this.pending[exception] && this.enabled[exception] && priority < pendingPriority) {
        pendingPriority = priority;
        pendingException = exception;
      }
      if (this.active[exception] && priority < activePriority) activePriority = priority;
    }
    this.vectPending = pendingException;
    this.vectPendingPriority = pendingPriority === NO_EXCEPTION_PRIORITY ? pendingPriority : this.groupPriority(pendingPriority);
    this.activePriorityValue = activePriority === NO_EXCEPTION_PRIORITY ? activePriority : this.groupPriority(activePriority);
  }
}

/** SHPR fields: exceptions 4–6, 11, 12, 14, 15 (7–10 and 13 are reserved: RAZ/WI). */
function shprImplemented(exception: number): boolean {
  return exception >= EXC_MEMMANAGE && exception <= EXC_SYSTICK && !(exception >= 7 && exception <= 10) && exception !== 13;
}

/** `size` bytes of `value` from byte `byte`. */
function extractBytes(value: number, byte: number, size: number): number {
  const shifted = value >>> (8 * byte);
  return size === 4 ? shifted >>> 0 : shifted & ((1 << (8 * size)) - 1);
}
