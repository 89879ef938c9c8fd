// Names and numbers of the Cortex-M exception model the core uses: exception numbers, EXC_RETURN,
// the fault status bits it records (CFSR/HFSR bit numbers, ARMv7-M ARM B3.2.15-B3.2.16), CCR bits
// and the xPSR layout. The registers themselves live in the System Control Space (./scs.ts).

export const Exception = {
  RESET: 1,
  NMI: 2,
  HARD_FAULT: 3,
  MEM_MANAGE: 4,
  BUS_FAULT: 5,
  USAGE_FAULT: 6,
  SVCALL: 11,
  DEBUG_MONITOR: 12,
  PENDSV: 14,
  SYSTICK: 15,
  /** External interrupt n is exception IRQ0 + n. */
  IRQ0: 16,
} as const;

/**
 * Fault status bits as SystemControlSpace.recordFault takes them: the bit inside MMFSR (mem), BFSR
 * (bus) or UFSR (usage), HFSR (hard) or DFSR (debug) — ARMv7-M ARM B3.2.15-B3.2.16, C1.6.1.
 */
export const FaultBit = {
  IACCVIOL: 0,
  DACCVIOL: 1,
  MSTKERR: 4,
  IBUSERR: 0,
  PRECISERR: 1,
  UNSTKERR: 3,
  STKERR: 4,
  UNDEFINSTR: 0,
  INVSTATE: 1,
  INVPC: 2,
  NOCP: 3,
  UNALIGNED: 8,
  DIVBYZERO: 9,
  /** HFSR */
  VECTTBL: 1,
  FORCED: 30,
  DEBUGEVT: 31,
  /** DFSR */
  BKPT: 1,
} as const;

/** CCR bits. */
export const CCR_NONBASETHRDENA = 1 << 0;
export const CCR_UNALIGN_TRP = 1 << 3;
export const CCR_DIV_0_TRP = 1 << 4;
export const CCR_STKALIGN = 1 << 9;

/** xPSR fields. */
export const XPSR_T = 1 << 24;
/** Stacked xPSR bit 9: the frame was realigned by 4 bytes on entry. */
export const XPSR_FRAME_ALIGN = 1 << 9;
export const XPSR_IPSR_MASK = 0x1ff;

/** EXC_RETURN values: back to handler mode, to thread mode on MSP, to thread mode on PSP. */
export const EXC_RETURN_HANDLER = 0xffff_fff1;
export const EXC_RETURN_THREAD_MSP = 0xffff_fff9;
export const EXC_RETURN_THREAD_PSP = 0xffff_fffd;

/** CONTROL bits. */
export const CONTROL_NPRIV = 1 << 0;
export const CONTROL_SPSEL = 1 << 1;

/** MRS/MSR SYSm numbers. */
export const SysReg = {
  APSR: 0, IAPSR: 1, EAPSR: 2, XPSR: 3, IPSR: 5, EPSR: 6, IEPSR: 7,
  MSP: 8, PSP: 9, PRIMASK: 16, BASEPRI: 17, BASEPRI_MAX: 18, FAULTMASK: 19, CONTROL: 20,
} as const;

/** The execution priority of thread mode with nothing active and no mask: below every programmable priority. */
export const PRIORITY_THREAD = 256;

/** The name an exception number has in reports ("HardFault", "IRQ 5"). */
export function exceptionName(exception: number): string {
  switch (exception) {
    case Exception.RESET: return 'Reset';
    case Exception.NMI: return 'NMI';
    case Exception.HARD_FAULT: return 'HardFault';
    case Exception.MEM_MANAGE: return 'MemManage';
    case Exception.BUS_FAULT: return 'BusFault';
    case Exception.USAGE_FAULT: return 'UsageFault';
    case Exception.SVCALL: return 'SVCall';
    case Exception.DEBUG_MONITOR: return 'DebugMonitor';
    case Exception.PENDSV: return 'PendSV';
    case Exception.SYSTICK: return 'SysTick';
    default: return exception >= Exception.IRQ0 ? `IRQ ${exception - Exception.IRQ0}` : `exception ${exception}`;
  }
}
