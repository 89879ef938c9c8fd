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

/** The faults a fault loop can repeat. */
export const FAULT_LOOP_KINDS = ['illegal-instruction', 'ecall', 'unmapped-load', 'load-page-fault', 'fetch-page-fault'] as const;
export type FaultLoopKind = (typeof FAULT_LOOP_KINDS)[number];

/** What each fault loop traps with (mcause/scause). */
export const FAULT_LOOP_CAUSE: Readonly<Record<FaultLoopKind, number>> = {
  'illegal-instruction': Cause.ILLEGAL_INSTRUCTION,
  ecall: Cause.ECALL_FROM_S,
  'unmapped-load': Cause.LOAD_ACCESS_FAULT,
  'load-page-fault': Cause.LOAD_PAGE_FAULT,
  'fetch-page-fault': Cause.INSTRUCTION_PAGE_FAULT,
};

/** Nothing is mapped here, physically (riscv-virt and the test harness) or in the fault loops' page table (root entry 0 is invalid). */
const UNMAPPED = 0;
/** The Sv32 root table of the paged loops: one identity megapage over RAM from 0x8000_0000 (entry 0x200), nothing else. */
const ROOT_TABLE = FAULT_LOOP_BASE + 0x1000;
const HANDLER = FAULT_LOOP_BASE + 0x200;
const PAGED: ReadonlySet<FaultLoopKind> = new Set<FaultLoopKind>(['load-page-fault', 'fetch-page-fault']);

/** A guest that traps with `kind` at every step, forever. */
export function faultLoop(kind: FaultLoopKind): A.Program {
  const { t0 } = A.Reg;
  const p = new A.Program(FAULT_LOOP_BASE);
  // the handler's address: the fetch page fault's is the unmapped page itself
  const handler = kind === 'fetch-page-fault' ? UNMAPPED : HANDLER;
  p.i(A.li(t0, handler), A.csrw(Csr.STVEC, t0), A.li(t0, 1 << FAULT_LOOP_CAUSE[kind]), A.csrw(Csr.MEDELEG, t0));
  if (PAGED.has(kind)) p.i(A.li(t0, 0x8000_0000 | (ROOT_TABLE >>> 12)), A.csrw(Csr.SATP, t0));
  // mret to the handler in S-mode (mstatus.MPP = S)
  p.i(A.li(t0, 0x1800), A.csrrc(0, Csr.MSTATUS, t0), A.li(t0, 0x800), A.csrrs(0, Csr.MSTATUS, t0));
  p.i(A.li(t0, handler), A.csrw(Csr.MEPC, t0), A.mret());
  p.org(HANDLER);
  switch (kind) {
    case 'illegal-instruction': p.i(0); break;
    case 'ecall': p.i(A.ecall()); break;
    case 'unmapped-load':
    case 'load-page-fault':
      p.i(A.lw(t0, 0, UNMAPPED));
      break;
    case 'fetch-page-fault': break; // never fetched: the hart traps fetching at UNMAPPED
  }
  if (PAGED.has(kind)) {
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
