// Guests that take a trap at every step, one per kind of fault, and a plain loop to compare them
// with: what `npm run bench` times (a trap's cost in ordinary instructions) and what the tests of
// the trap path and of Machine.run's wall-clock deadline run. Each is a flat binary for RAM at
// 0x8000_0000 (riscv-virt's RAM, and the test harness's in ./testing.ts).
//
// The fault loops run in S-mode with the fault delegated (medeleg) to an S-mode handler that is
// itself the faulting instruction, so the handler traps into itself forever: every step is a
// trap, no instruction retires, and nothing else runs in between. (S-mode handlers run with
// interrupts open, so the machine's fault watch reports a trap loop without taking the hart out
// of service; see ../../guest-status.ts.)
import * as A from './asm.ts';
import { Cause, Csr, PTE_A, PTE_D, PTE_R, PTE_V, PTE_W, PTE_X } from './csr.ts';

export const FAULT_LOOP_BASE = 0x8000_0000;

interface FaultLoopSpec {
  /** The exception every step takes (mcause/scause). */
  cause: number;
  /** Runs under Sv32 (a page table with one identity megapage over RAM from 0x8000_0000). */
  paged: boolean;
  /** The handler: the instruction that traps (none: the handler's address itself faults on fetch). */
  handler: number[];
  /** Only for a hart without C (RV32 without compressed instructions). */
  withoutC?: boolean;
}

const { t0, t1 } = A.Reg;
/** Nothing is mapped here, physically (riscv-virt and the test harness) or in the fault loops' page table (root entry 0 is invalid). */
const UNMAPPED = 0;
/** The Sv32 root table of the paged loops: one identity megapage over RAM from 0x8000_0000 (entry 0x200), nothing else. */
const ROOT_TABLE = FAULT_LOOP_BASE + 0x1000;
const HANDLER = FAULT_LOOP_BASE + 0x200;
/** What t1 holds in every loop: an address that is 2-byte but not 4-byte aligned. */
const MISALIGNED = HANDLER + 2;

const LOOPS = {
  'illegal-instruction': { cause: Cause.ILLEGAL_INSTRUCTION, paged: false, handler: [0] },
  ecall: { cause: Cause.ECALL_FROM_S, paged: false, handler: [A.ecall()] },
  ebreak: { cause: Cause.BREAKPOINT, paged: false, handler: [A.ebreak()] },
  'csr-illegal': { cause: Cause.ILLEGAL_INSTRUCTION, paged: false, handler: [A.csrr(t0, Csr.MSTATUS)] }, // an M-mode CSR from S-mode
  'unmapped-load': { cause: Cause.LOAD_ACCESS_FAULT, paged: false, handler: [A.lw(t0, 0, UNMAPPED)] },
  'unmapped-store': { cause: Cause.STORE_ACCESS_FAULT, paged: false, handler: [A.sw(t0, 0, UNMAPPED)] },
  'unmapped-fetch': { cause: Cause.INSTRUCTION_ACCESS_FAULT, paged: false, handler: [] },
  'misaligned-lr': { cause: Cause.LOAD_MISALIGNED, paged: false, handler: [A.lrW(t0, t1)] },
  'misaligned-jump': { cause: Cause.INSTRUCTION_MISALIGNED, paged: false, handler: [A.jalr(0, t1, 0)], withoutC: true },
  'load-page-fault': { cause: Cause.LOAD_PAGE_FAULT, paged: true, handler: [A.lw(t0, 0, UNMAPPED)] },
  'store-page-fault': { cause: Cause.STORE_PAGE_FAULT, paged: true, handler: [A.sw(t0, 0, UNMAPPED)] },
  'amo-page-fault': { cause: Cause.STORE_PAGE_FAULT, paged: true, handler: [A.amoaddW(t0, 0, t0)] },
  'fetch-page-fault': { cause: Cause.INSTRUCTION_PAGE_FAULT, paged: true, handler: [] },
} satisfies Record<string, FaultLoopSpec>;

export type FaultLoopKind = keyof typeof LOOPS;
/** Every kind of fault loop. */
export const FAULT_LOOP_KINDS = Object.keys(LOOPS) as FaultLoopKind[];

/** The exception a fault loop takes at every step (mcause/scause). */
export function faultLoopCause(kind: FaultLoopKind): number {
  return LOOPS[kind].cause;
}

/** Whether the loop needs a hart without C (with C, its jump target is aligned enough). */
export function faultLoopNeedsNoC(kind: FaultLoopKind): boolean {
  const spec: FaultLoopSpec = LOOPS[kind];
  return spec.withoutC === true;
}

/** A guest that traps with `kind` at every step, forever. */
export function faultLoop(kind: FaultLoopKind): A.Program {
  const spec: FaultLoopSpec = LOOPS[kind];
  const p = new A.Program(FAULT_LOOP_BASE);
  // a handler that is no instruction: its address faults on fetch (unmapped, or not in the page table)
  const handler = spec.handler.length === 0 ? UNMAPPED : HANDLER;
  p.i(A.li(t0, handler), A.csrw(Csr.STVEC, t0), A.li(t0, 1 << spec.cause), A.csrw(Csr.MEDELEG, t0), A.li(t1, MISALIGNED));
  if (spec.paged) p.i(A.li(t0, 0x8000_0000 | (ROOT_TABLE >>> 12)), A.csrw(Csr.SATP, t0));
  // mret to the handler in S-mode (mstatus.MPP = S)
  p.i(A.li(t0, 0x1800), A.csrrc(0, Csr.MSTATUS, t0), A.li(t0, 0x800), A.csrrs(0, Csr.MSTATUS, t0));
  p.i(A.li(t0, handler), A.csrw(Csr.MEPC, t0), A.mret());
  p.org(HANDLER).i(spec.handler);
  if (spec.paged) {
    p.org(ROOT_TABLE + 0x200 * 4);
    p.word(((FAULT_LOOP_BASE >>> 12) << 10) | PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
  }
  return p;
}

/** Ordinary instructions only: three additions and a jump, forever (M-mode, no paging). */
export function plainLoop(): A.Program {
  const { t0, t1, t2 } = A.Reg;
  const p = new A.Program(FAULT_LOOP_BASE).label('loop').i(A.addi(t0, t0, 1), A.addi(t1, t1, 1), A.addi(t2, t2, 1));
  return p.jal(0, 'loop');
}
