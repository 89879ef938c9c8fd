// Control and status register numbers and bit fields (RISC-V privileged spec 1.12, RV32), trap
// causes and interrupt numbers: defined once, used by the hart, its debug side and the tests.
import type { TrapAccess, TrapKind } from '../contract.ts';

export const Csr = {
  // Floating point (F, D): accessible only while mstatus.FS is not off
  FFLAGS: 0x001,
  FRM: 0x002,
  FCSR: 0x003,
  // Supervisor
  SSTATUS: 0x100,
  SIE: 0x104,
  STVEC: 0x105,
  SCOUNTEREN: 0x106,
  SENVCFG: 0x10a,
  SSCRATCH: 0x140,
  SEPC: 0x141,
  SCAUSE: 0x142,
  STVAL: 0x143,
  SIP: 0x144,
  SATP: 0x180,
  // Machine
  MSTATUS: 0x300,
  MISA: 0x301,
  MEDELEG: 0x302,
  MIDELEG: 0x303,
  MIE: 0x304,
  MTVEC: 0x305,
  MCOUNTEREN: 0x306,
  MENVCFG: 0x30a,
  MSTATUSH: 0x310,
  MENVCFGH: 0x31a,
  MCOUNTINHIBIT: 0x320,
  MHPMEVENT3: 0x323,
  MHPMEVENT31: 0x33f,
  MSCRATCH: 0x340,
  MEPC: 0x341,
  MCAUSE: 0x342,
  MTVAL: 0x343,
  MIP: 0x344,
  PMPCFG0: 0x3a0,
  PMPCFG3: 0x3a3,
  PMPADDR0: 0x3b0,
  PMPADDR15: 0x3bf,
  MCYCLE: 0xb00,
  MINSTRET: 0xb02,
  MHPMCOUNTER3: 0xb03,
  MHPMCOUNTER31: 0xb1f,
  MCYCLEH: 0xb80,
  MINSTRETH: 0xb82,
  MHPMCOUNTER3H: 0xb83,
  MHPMCOUNTER31H: 0xb9f,
  // Unprivileged counters
  CYCLE: 0xc00,
  TIME: 0xc01,
  INSTRET: 0xc02,
  HPMCOUNTER3: 0xc03,
  HPMCOUNTER31: 0xc1f,
  CYCLEH: 0xc80,
  TIMEH: 0xc81,
  INSTRETH: 0xc82,
  HPMCOUNTER3H: 0xc83,
  HPMCOUNTER31H: 0xc9f,
  // Machine information
  MVENDORID: 0xf11,
  MARCHID: 0xf12,
  MIMPID: 0xf13,
  MHARTID: 0xf14,
  MCONFIGPTR: 0xf15,
} as const;

/** mstatus / sstatus bits. */
export const MSTATUS_SIE = 1 << 1;
export const MSTATUS_MIE = 1 << 3;
export const MSTATUS_SPIE = 1 << 5;
export const MSTATUS_MPIE = 1 << 7;
export const MSTATUS_SPP = 1 << 8;
export const MSTATUS_MPP_SHIFT = 11;
export const MSTATUS_MPP = 3 << MSTATUS_MPP_SHIFT;
export const MSTATUS_MPRV = 1 << 17;
export const MSTATUS_SUM = 1 << 18;
export const MSTATUS_MXR = 1 << 19;
export const MSTATUS_TVM = 1 << 20;
export const MSTATUS_TW = 1 << 21;
export const MSTATUS_TSR = 1 << 22;
/** Vector-unit state (2 bits). BoardLab has no V extension, but QEMU 7.2 keeps the field writable. */
export const MSTATUS_VS = 3 << 9;
/** Floating-point unit state (2 bits: 0 off, 1 initial, 2 clean, 3 dirty); writable only on a hart with F. */
export const MSTATUS_FS = 3 << 13;
/** Summary dirty bit: set when FS, VS or XS is 3 (dirty); FS and VS can be, here (XS is always 0). */
export const MSTATUS_SD = 0x8000_0000;

/** The mstatus bits visible through sstatus. */
export const SSTATUS_MASK = MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_FS | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_VS | MSTATUS_SD;

/** Interrupt numbers (bit positions in mip/mie) and their masks. */
export const IRQ_SSI = 1;
export const IRQ_MSI = 3;
export const IRQ_STI = 5;
export const IRQ_MTI = 7;
export const IRQ_SEI = 9;
export const IRQ_MEI = 11;
export const MIP_SSIP = 1 << IRQ_SSI;
export const MIP_MSIP = 1 << IRQ_MSI;
export const MIP_STIP = 1 << IRQ_STI;
export const MIP_MTIP = 1 << IRQ_MTI;
export const MIP_SEIP = 1 << IRQ_SEI;
export const MIP_MEIP = 1 << IRQ_MEI;
export const S_INTERRUPTS = MIP_SSIP | MIP_STIP | MIP_SEIP;
export const M_INTERRUPTS = MIP_MSIP | MIP_MTIP | MIP_MEIP;

/*
 * QEMU 7.2 compatibility (BoardLab matches Debian's qemu-system-riscv32 7.2, the project's
 * reference, bit for bit; firmware/conf-csr checks these masks). QEMU 7.2 keeps the hypervisor's
 * VS-level interrupt bits (VSSIP 2, VSTIP 6, VSEIP 10) and the Sscofpmf counter-overflow bit
 * LCOFIP (13) writable even on a CPU without H and Sscofpmf, and more medeleg bits (see
 * MEDELEG_WRITABLE). Nothing in BoardLab raises those interrupts, but software can set the mip
 * bits, and a pending, enabled one is taken as QEMU takes it (cause = its bit number; checked on
 * qemu-system-riscv32; see interruptToTake).
 */
export const IRQ_VSSI = 2;
export const IRQ_VSTI = 6;
export const IRQ_VSEI = 10;
export const IRQ_LCOFI = 13;
export const VS_INTERRUPTS = (1 << IRQ_VSSI) | (1 << IRQ_VSTI) | (1 << IRQ_VSEI);
/** mie bits writable on QEMU 7.2 (with S-mode): 0x2eee. */
export const MIE_WRITABLE = M_INTERRUPTS | S_INTERRUPTS | VS_INTERRUPTS | (1 << IRQ_LCOFI);
/** mip bits software can write on QEMU 7.2 (with S-mode), and mideleg's writable bits (the same set): 0x2666. */
export const MIP_WRITABLE = S_INTERRUPTS | VS_INTERRUPTS | (1 << IRQ_LCOFI);

/**
 * Which interrupt is taken when several are pending and enabled, as on QEMU 7.2 without AIA
 * (checked on qemu-system-riscv32: SSIP and MSIP pending in M-mode give cause 1 first): the ones
 * that trap to M-mode (not delegated) come first, and among them, and then among the delegated
 * ones, the lowest-numbered interrupt wins. (The privileged spec orders MEI, MSI, MTI, SEI, SSI,
 * STI instead; BoardLab follows its reference.)
 */
export function interruptToTake(candidates: number): number {
  return 31 - Math.clz32(candidates & -candidates);
}

/** Synchronous exception causes (mcause values without the interrupt bit). */
export const Cause = {
  INSTRUCTION_MISALIGNED: 0,
  INSTRUCTION_ACCESS_FAULT: 1,
  ILLEGAL_INSTRUCTION: 2,
  BREAKPOINT: 3,
  LOAD_MISALIGNED: 4,
  LOAD_ACCESS_FAULT: 5,
  STORE_MISALIGNED: 6,
  STORE_ACCESS_FAULT: 7,
  ECALL_FROM_U: 8,
  ECALL_FROM_S: 9,
  ECALL_FROM_M: 11,
  INSTRUCTION_PAGE_FAULT: 12,
  LOAD_PAGE_FAULT: 13,
  STORE_PAGE_FAULT: 15,
} as const;

/** mcause bit 31: the trap is an interrupt. */
export const CAUSE_INTERRUPT = 0x8000_0000;

/** What each synchronous exception is called (the privileged spec's table 3.6), for logs and problem reports. */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  [Cause.INSTRUCTION_MISALIGNED]: 'instruction address misaligned',
  [Cause.INSTRUCTION_ACCESS_FAULT]: 'instruction access fault',
  [Cause.ILLEGAL_INSTRUCTION]: 'illegal instruction',
  [Cause.BREAKPOINT]: 'breakpoint',
  [Cause.LOAD_MISALIGNED]: 'load address misaligned',
  [Cause.LOAD_ACCESS_FAULT]: 'load access fault',
  [Cause.STORE_MISALIGNED]: 'store/AMO address misaligned',
  [Cause.STORE_ACCESS_FAULT]: 'store/AMO access fault',
  [Cause.ECALL_FROM_U]: 'environment call from U-mode',
  [Cause.ECALL_FROM_S]: 'environment call from S-mode',
  [Cause.ECALL_FROM_M]: 'environment call from M-mode',
  [Cause.INSTRUCTION_PAGE_FAULT]: 'instruction page fault',
  [Cause.LOAD_PAGE_FAULT]: 'load page fault',
  [Cause.STORE_PAGE_FAULT]: 'store/AMO page fault',
};

/** What each interrupt is called, by its number (mcause without CAUSE_INTERRUPT). */
export const INTERRUPT_NAMES: Readonly<Record<number, string>> = {
  [IRQ_SSI]: 'supervisor software interrupt',
  [IRQ_MSI]: 'machine software interrupt',
  [IRQ_STI]: 'supervisor timer interrupt',
  [IRQ_MTI]: 'machine timer interrupt',
  [IRQ_SEI]: 'supervisor external interrupt',
  [IRQ_MEI]: 'machine external interrupt',
};

/** The name of an mcause value ("store/AMO access fault", "machine timer interrupt"); unknown ones by number. */
export function trapCauseName(mcause: number): string {
  const interrupt = (mcause & CAUSE_INTERRUPT) !== 0;
  const code = mcause & ~CAUSE_INTERRUPT;
  const name = interrupt ? INTERRUPT_NAMES[code] : EXCEPTION_NAMES[code];
  return name ?? `${interrupt ? 'interrupt' : 'exception'} ${code}`;
}

/** The contract's classification of each synchronous exception (../contract.ts TrapKind), with the access it came from. */
export const EXCEPTION_KINDS: Readonly<Record<number, readonly [TrapKind, TrapAccess | undefined]>> = {
  [Cause.INSTRUCTION_MISALIGNED]: ['misaligned', 'fetch'],
  [Cause.INSTRUCTION_ACCESS_FAULT]: ['access-fault', 'fetch'],
  [Cause.ILLEGAL_INSTRUCTION]: ['illegal-instruction', undefined],
  [Cause.BREAKPOINT]: ['breakpoint', undefined],
  [Cause.LOAD_MISALIGNED]: ['misaligned', 'load'],
  [Cause.LOAD_ACCESS_FAULT]: ['access-fault', 'load'],
  [Cause.STORE_MISALIGNED]: ['misaligned', 'store'],
  [Cause.STORE_ACCESS_FAULT]: ['access-fault', 'store'],
  [Cause.ECALL_FROM_U]: ['environment-call', undefined],
  [Cause.ECALL_FROM_S]: ['environment-call', undefined],
  [Cause.ECALL_FROM_M]: ['environment-call', undefined],
  [Cause.INSTRUCTION_PAGE_FAULT]: ['page-fault', 'fetch'],
  [Cause.LOAD_PAGE_FAULT]: ['page-fault', 'load'],
  [Cause.STORE_PAGE_FAULT]: ['page-fault', 'store'],
};

/** A hart's interrupt input ports (the catalog's IRQ input names of riscv-cpu) and the mip bits they drive. */
export const INTERRUPT_PORTS: Readonly<Record<string, number>> = { msip: IRQ_MSI, mtip: IRQ_MTI, seip: IRQ_SEI, meip: IRQ_MEI };

/**
 * medeleg's writable bits on QEMU 7.2: 0xf0bfff, the standard ones plus ecall from VS and M (10,
 * 11; an M-mode trap is never delegated, so bit 11 has no effect) and the guest page faults (20,
 * 21, 23) and virtual instruction (22), which nothing here raises. See the QEMU 7.2 note above.
 */
export const MEDELEG_WRITABLE = 0xf0bfff;

/** Privilege levels. */
export const PRIV_U = 0;
export const PRIV_S = 1;
export const PRIV_M = 3;

/** satp fields (Sv32). */
export const SATP_MODE_SV32 = 0x8000_0000;
export const SATP_PPN_MASK = 0x003f_ffff;

/** Page table entry bits. */
export const PTE_V = 1 << 0;
export const PTE_R = 1 << 1;
export const PTE_W = 1 << 2;
export const PTE_X = 1 << 3;
export const PTE_U = 1 << 4;
// bit 5, G (global mapping), is a hint: this TLB flushes every mapping alike, so nothing reads it.
export const PTE_A = 1 << 6;
export const PTE_D = 1 << 7;

/** CSR number → name, for logs and debuggers (ranges are named by their first and last member). */
export const CSR_NAMES: ReadonlyMap<number, string> = new Map(Object.entries(Csr).map(([name, value]) => [value, name.toLowerCase()] as const));
