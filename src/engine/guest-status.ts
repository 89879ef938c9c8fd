// What a guest is doing wrong, seen from its traps: access faults at addresses where the board has
// nothing (or a device that refuses the access), harts caught in a trap loop, harts spinning on a
// fault. Each hart gets a HartFaultWatch that the machine calls from the CPU's trap observers
// (Rv32Cpu.onTrap / onTrapReturn): it looks at traps only, never at instructions, so a guest that
// does not trap pays nothing, and one that traps pays a few comparisons per trap.
//
//   trap loop    traps with no instruction retired in between: each trap is taken at the address
//                the previous one vectored to (the trap handler's first instruction faults —
//                mtvec points at nothing, at zeros, at MMIO). TRAP_LOOP_TRAPS in a row.
//   fault spin   the same exception (cause, pc, address) over and over, the handler running each
//                time and returning (mret/sret) straight to the instruction that trapped, which
//                traps again. FAULT_SPIN_TRAPS in a row. A handler that emulates the instruction
//                and returns past it (rdtime emulation, say) never counts.
//   access fault a load, store or fetch the bus refused: reported once per (cause, pc, address),
//                with what the board has there (../graph/address-hints.ts).
//
// A loop or spin makes the hart "faulting" and asks the machine to stop the run (the page pauses
// the guest there, as at a breakpoint); rearm() lets it run on, and a loop that persists is
// caught again after as many traps.
import { addressHint, hex, lookupAddress, relativePath, type ResolvedBoard } from '../graph/index.ts';
import { CAUSE_INTERRUPT, Cause, Csr, isAccessFault, MSTATUS_MPP, MSTATUS_MPP_SHIFT, MSTATUS_MPRV, PRIV_M, SATP_MODE_SV32, trapCauseName } from './cpu/csr.ts';
import type { Rv32Cpu } from './cpu/rv32.ts';

/** Traps in a row, each at the address the previous one vectored to, that make a trap loop. */
export const TRAP_LOOP_TRAPS = 8;
/** Identical exceptions in a row, each after the handler returned to the trapping instruction, that make a fault spin. */
export const FAULT_SPIN_TRAPS = 32;
/** Distinct access faults reported per hart; after that, one note says more follow. */
export const ACCESS_FAULTS_REPORTED = 16;

export type GuestFaultKind = 'unmapped-access' | 'refused-access' | 'access-fault' | 'trap-loop' | 'fault-spin';

/** A trap, as a report names it. */
export interface TrapInfo {
  /** mcause. */
  cause: number;
  /** "store/AMO access fault". */
  causeName: string;
  /** The pc of the trapping instruction. */
  pc: number;
  /** mtval: the address an access, page or misaligned fault went to; an illegal instruction's bits. */
  address: number;
}

export interface GuestFault extends TrapInfo {
  /** The hart's path. */
  cpu: string;
  kind: GuestFaultKind;
  /** For a trap loop or fault spin: the trap that led into it, when it was another one. */
  after?: TrapInfo;
  /** For a trap loop or fault spin: the trap vector the handler comes from. */
  vector?: 'mtvec' | 'stvec';
  /** One line naming the CPU, the cause, the address and the pc. */
  message: string;
  /** What the board has at the address, and what to do. */
  hint: string;
}

/**
 * running: executing instructions · waiting-for-interrupt: asleep in WFI · faulting: in a trap
 * loop or spinning on a fault · halted: the guest stopped the board · held: has no firmware, so
 * the host does not run it (see MachineOptions.holdHartsWithoutFirmware).
 */
export type HartStatus = 'running' | 'waiting-for-interrupt' | 'faulting' | 'halted' | 'held';

export interface HartReport {
  path: string;
  status: HartStatus;
  pc: number;
  /** The image this hart runs (../graph/firmware.ts), or null when it has none. */
  firmware: string | null;
  /** The loop or spin that makes it faulting. */
  fault: GuestFault | null;
}

function trapInfo(cause: number, pc: number, address: number): TrapInfo {
  return { cause, causeName: trapCauseName(cause), pc: pc >>> 0, address: address >>> 0 };
}

/** Exceptions whose mtval is the address the access went to. */
const ADDRESS_CAUSES: ReadonlySet<number> = new Set([
  Cause.INSTRUCTION_MISALIGNED,
  Cause.INSTRUCTION_ACCESS_FAULT,
  Cause.LOAD_MISALIGNED,
  Cause.LOAD_ACCESS_FAULT,
  Cause.STORE_MISALIGNED,
  Cause.STORE_ACCESS_FAULT,
  Cause.INSTRUCTION_PAGE_FAULT,
  Cause.LOAD_PAGE_FAULT,
  Cause.STORE_PAGE_FAULT,
]);

/** "load access fault at 0x10000005, pc 0x80000040"; "illegal instruction 0x00000000, pc 0x80000000"; "breakpoint, pc …". */
export function describeTrap(trap: TrapInfo): string {
  if (ADDRESS_CAUSES.has(trap.cause)) return `${trap.causeName} at ${hex(trap.address)}, pc ${hex(trap.pc)}`;
  if (trap.cause === Cause.ILLEGAL_INSTRUCTION) return `${trap.causeName} ${hex(trap.address)}, pc ${hex(trap.pc)}`;
  return `${trap.causeName}, pc ${hex(trap.pc)}`;
}

/** A report as one line, for the event log and the CLI's stderr: "cpu0: load access fault at … — nothing is mapped at …". */
export function faultLine(fault: GuestFault): string {
  return `${fault.message} — ${fault.hint}`;
}

/**
 * A hart that can never leave its loop by itself: a trap loop in M-mode (taking the trap cleared
 * mstatus.MIE, so no interrupt can break in), or a hart held for want of firmware. Only a debugger
 * or a monitor (reset) can change that.
 */
export function stuckForGood(hart: HartReport): boolean {
  return hart.status === 'held' || (hart.status === 'faulting' && hart.fault?.kind === 'trap-loop' && hart.fault.vector === 'mtvec');
}

/** "cpu0 has no firmware", as the page and the CLI say it. */
export function noFirmwareLine(cpuPath: string): string {
  return `${relativePath(cpuPath)} has no firmware`;
}

const article = (words: string) => (/^[aeiou]/.test(words) ? 'an' : 'a');

/** Does the hart translate the addresses of this kind of access (Sv32)? Then mtval is a virtual address. */
function translates(cpu: Rv32Cpu, cause: number): boolean {
  const paging = (cpu.readCsr(Csr.SATP) & SATP_MODE_SV32) !== 0;
  if (!paging) return false;
  // The trap has moved the hart to the handler's mode; the access ran in the mode it came from.
  const from = cpu.privilege === PRIV_M ? (cpu.readCsr(Csr.MSTATUS) & MSTATUS_MPP) >>> MSTATUS_MPP_SHIFT : 1;
  if (from < PRIV_M) return true;
  return cause !== Cause.INSTRUCTION_ACCESS_FAULT && (cpu.readCsr(Csr.MSTATUS) & MSTATUS_MPRV) !== 0;
}

/** Reports for one hart's traps. The machine gives it the board (for hints) and where reports go. */
export class HartFaultWatch {
  /** The loop or spin the hart is caught in, or null. */
  faulting: GuestFault | null = null;

  private readonly name: string;
  /** Where the last trap vectored to (u32), -1 when unknown. */
  private lastTarget = -1;
  private loopTraps = 0;
  /** The trap that began the current run of traps-at-the-handler (scalars: no allocation per trap); entryPc -1: none. */
  private entryCause = 0;
  private entryPc = -1;
  private entryAddress = 0;
  /** instret when a trap loop was caught (nothing retires in one); -1: not yet seen after a run. */
  private loopInstret = -1;
  /** Where the last mret/sret returned to (u32), -1 when a trap came since. */
  private returnedTo = -1;
  /** The exception a fault spin would repeat, and how many times in a row it came (spinPc -1: none). */
  private spinCause = 0;
  private spinPc = -1;
  private spinAddress = 0;
  private spinCount = 0;
  /** Access faults reported, by "cause:pc:address". */
  private readonly reported = new Set<string>();
  private readonly lastAccess = { cause: -1, pc: 0, address: 0 };

  constructor(
    readonly path: string,
    private readonly cpu: Rv32Cpu,
    private readonly board: ResolvedBoard,
    private readonly space: string,
    /** A new report; `stop`: the hart is caught in a loop, stop the run. */
    private readonly report: (fault: GuestFault, stop: boolean) => void,
    /** A line for the machine's event log. */
    private readonly note: (line: string) => void,
  ) {
    this.name = relativePath(path);
  }

  /** From Rv32Cpu.onTrap (cause, tval and epc as u32): the hart's pc is already the handler's address. */
  onTrap(cause: number, tval: number, epc: number): void {
    const target = this.cpu.pc;
    const returnedTo = this.returnedTo;
    this.returnedTo = -1;
    if (cause >= CAUSE_INTERRUPT) {
      this.lastTarget = target;
      return;
    }
    if (isAccessFault(cause)) this.accessFault(cause, tval, epc);

    // Trap loop: taken where the previous trap sent the hart, with nothing retired in between.
    if (epc === this.lastTarget) {
      this.loopTraps++;
      if (this.loopTraps === TRAP_LOOP_TRAPS) this.caught(this.trapLoop(trapInfo(cause, epc, tval)));
    } else {
      if (this.faulting !== null && this.faulting.kind === 'trap-loop') this.faulting = null;
      this.loopTraps = 0;
      this.entryCause = cause;
      this.entryPc = epc;
      this.entryAddress = tval;
    }
    this.lastTarget = target;

    // Fault spin: the same exception again, right where the handler returned to.
    if (epc === returnedTo && epc === this.spinPc && cause === this.spinCause && tval === this.spinAddress) {
      this.spinCount++;
      if (this.spinCount === FAULT_SPIN_TRAPS) this.caught(this.faultSpin(trapInfo(cause, epc, tval)));
    } else {
      if (this.faulting !== null && this.faulting.kind === 'fault-spin') this.faulting = null;
      this.spinCause = cause;
      this.spinPc = epc;
      this.spinAddress = tval;
      this.spinCount = 1;
    }
  }

  /** From Rv32Cpu.onTrapReturn. */
  onTrapReturn(pc: number): void {
    this.returnedTo = pc >>> 0;
  }

  /**
   * After the hart ran a quantum (instret is exact then): a trap loop retires nothing, so a hart
   * that retired instructions since one was caught has left it (a debugger moved its pc).
   */
  settle(): void {
    if (this.faulting?.kind !== 'trap-loop') return;
    const instret = this.cpu.instret;
    if (this.loopInstret === -1) this.loopInstret = instret;
    else if (instret !== this.loopInstret) this.faulting = null;
  }

  /**
   * Let the hart run on from a loop it is caught in: counting starts over, so a loop that persists
   * is caught again (and still names the trap that led into it).
   */
  rearm(): void {
    this.faulting = null;
    this.loopTraps = 0;
    this.spinPc = -1;
    this.spinCount = 0;
    this.loopInstret = -1;
  }

  /** The hart was reset: everything starts over, reported faults included. */
  reset(): void {
    this.rearm();
    this.lastTarget = -1;
    this.returnedTo = -1;
    this.entryPc = -1;
    this.lastAccess.cause = -1;
    this.reported.clear();
  }

  private caught(fault: GuestFault): void {
    this.faulting = fault;
    this.loopInstret = -1;
    this.cpu.requestStop();
    this.report(fault, true);
  }

  private accessFault(cause: number, tval: number, epc: number): void {
    // The same fault as the last one (a loop): nothing new, and no key to build.
    if (cause === this.lastAccess.cause && epc === this.lastAccess.pc && tval === this.lastAccess.address) return;
    this.lastAccess.cause = cause;
    this.lastAccess.pc = epc;
    this.lastAccess.address = tval;
    const key = `${cause}:${epc}:${tval}`;
    if (this.reported.has(key)) return;
    if (this.reported.size >= ACCESS_FAULTS_REPORTED) {
      if (this.reported.size === ACCESS_FAULTS_REPORTED) {
        this.reported.add('more');
        this.note(`${this.name}: more access faults follow; not reporting them`);
      }
      return;
    }
    this.reported.add(key);
    const trap = trapInfo(cause, epc, tval);
    const { kind, hint } = this.describeAccess(cause, tval);
    this.report({ cpu: this.path, kind, ...trap, message: `${this.name}: ${describeTrap(trap)}`, hint }, false);
  }

  /** What the board has at a faulting address, and what to do about it. */
  private describeAccess(cause: number, address: number): { kind: GuestFaultKind; hint: string } {
    if (translates(this.cpu, cause)) {
      return { kind: 'access-fault', hint: `${hex(address)} is a virtual address (the hart translates with Sv32): check the page tables and where they map it` };
    }
    const { mapped } = lookupAddress(this.board, address, this.space);
    const where = addressHint(this.board, address, this.space);
    if (mapped === undefined) {
      const fetch = cause === Cause.INSTRUCTION_ACCESS_FAULT;
      return { kind: 'unmapped-access', hint: `${where}: ${fetch ? 'the hart jumped where there is no memory' : "map the device where the firmware expects it, or build the firmware for this board's addresses"}` };
    }
    return { kind: 'refused-access', hint: `${where}, which refused the access: a register it does not have, or an access size it does not take` };
  }

  private vectorName(): 'mtvec' | 'stvec' {
    return this.cpu.privilege === PRIV_M ? 'mtvec' : 'stvec';
  }

  private trapLoop(trap: TrapInfo): GuestFault {
    const entry = this.entryPc !== -1 && this.entryPc !== trap.pc ? trapInfo(this.entryCause, this.entryPc, this.entryAddress) : undefined;
    const vector = this.vectorName();
    const where = isAccessFault(trap.cause) ? `${addressHint(this.board, trap.address, this.space)}; ` : '';
    return {
      cpu: this.path,
      kind: 'trap-loop',
      ...trap,
      ...(entry && { after: entry }),
      vector,
      message:
        `${this.name} is in a trap loop: its trap handler at ${hex(trap.pc)} (${vector}) faults before any instruction runs: ${describeTrap(trap)}` +
        (entry ? `; it began with ${article(entry.causeName)} ${describeTrap(entry)}` : ''),
      hint: `${where}point ${vector} at a trap handler in the firmware (or fix what trapped first)`,
    };
  }

  private faultSpin(trap: TrapInfo): GuestFault {
    const where = isAccessFault(trap.cause) ? `${addressHint(this.board, trap.address, this.space)}; ` : '';
    return {
      cpu: this.path,
      kind: 'fault-spin',
      ...trap,
      vector: this.vectorName(),
      message: `${this.name} spins on a fault: ${describeTrap(trap)}, again and again (its trap handler returns to the instruction, which traps again)`,
      hint: `${where}fix the cause, or have the handler skip the instruction (${this.vectorName() === 'mtvec' ? 'mepc' : 'sepc'} + 4)`,
    };
  }
}

