// What a guest is doing wrong, seen from its traps: access faults at addresses where the board has
// nothing (or a device that refuses the access), harts caught in a trap loop, harts spinning on a
// fault. Each hart gets a HartFaultWatch that the machine calls from the CPU's trap observers
// (CpuCore.onTrap / onTrapReturn, ./cpu/contract.ts): it looks at traps only, as the core classifies
// them (access fault, page fault, illegal instruction, …; no architecture's cause numbers here), never at instructions, so a guest that
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
//                with what the board has there (../graph/address-hints.ts), or why the core
//                itself refused it (CpuTrap.coreRefusal: an ARM unprivileged SCS access). When
//                the hart next returns from a trap handler (mret, an ARM exception return), the
//                watch says the guest recovered from the access faults reported since: a fault
//                demo or a probe handles its faults, and `boardlab run` stays quiet about them.
//
// A loop or spin makes the hart "faulting" and asks the machine to stop the run (the page pauses
// the guest there, as at a breakpoint); rearm() lets it run on, and a loop that persists is
// caught again after as many traps.
import { addressHint, hex, lookupAddress, relativePath, type ResolvedBoard } from '../graph/index.ts';
import type { CpuCore, CpuTrap, TrapKind } from './cpu/contract.ts';

/** Traps in a row, each at the address the previous one vectored to, that make a trap loop. */
export const TRAP_LOOP_TRAPS = 8;
/** Identical exceptions in a row, each after the handler returned to the trapping instruction, that make a fault spin. */
export const FAULT_SPIN_TRAPS = 32;
/** Distinct access faults reported per hart; after that, one note says more follow. */
export const ACCESS_FAULTS_REPORTED = 16;

export type GuestFaultKind = 'unmapped-access' | 'refused-access' | 'access-fault' | 'trap-loop' | 'fault-spin' | 'lockup';

/** A trap, as a report names it. */
export interface TrapInfo {
  /** The architecture's cause code (RISC-V: mcause). */
  cause: number;
  /** "store/AMO access fault". */
  causeName: string;
  /** The pc of the trapping instruction. */
  pc: number;
  /** The trap value (RISC-V: mtval): the address an access, page or misaligned fault went to; an illegal instruction's bits. */
  address: number;
}

export interface GuestFault extends TrapInfo {
  /** The hart's path. */
  cpu: string;
  kind: GuestFaultKind;
  /** For a trap loop or fault spin: the trap that led into it, when it was another one. */
  after?: TrapInfo;
  /** For a trap loop or fault spin: the register the handler's address comes from ("mtvec"). */
  vector?: string;
  /** For a trap loop or fault spin: its handler runs where no interrupt can break in (RISC-V M-mode). */
  interruptsMasked?: boolean;
  /** One line naming the CPU, the cause, the address and the pc. */
  message: string;
  /** What the board has at the address, and what to do. */
  hint: string;
}

/**
 * running: executing instructions · waiting-for-interrupt: asleep in WFI · faulting: in a trap
 * loop or spinning on a fault · locked-up: stopped until a reset (CpuCore.lockedUp, an ARM
 * lockup) · halted: the guest stopped the board · held: has no firmware, so the host does not run
 * it (see MachineOptions.holdHartsWithoutFirmware) · in-reset: a reset line holds it (a reset
 * controller's hold output), until the guest releases it.
 */
export type HartStatus = 'running' | 'waiting-for-interrupt' | 'faulting' | 'locked-up' | 'halted' | 'held' | 'in-reset';

export interface HartReport {
  path: string;
  status: HartStatus;
  pc: number;
  /** The image this hart runs (../graph/firmware.ts), or null when it has none. */
  firmware: string | null;
  /** The loop or spin that makes it faulting. */
  fault: GuestFault | null;
}

function trapInfo(trap: CpuTrap): TrapInfo {
  return { cause: trap.cause, causeName: trap.causeName, pc: trap.pc >>> 0, address: trap.value >>> 0 };
}

/** Trap kinds whose value is the address the access went to. */
const ADDRESS_KINDS: ReadonlySet<TrapKind> = new Set<TrapKind>(['access-fault', 'page-fault', 'misaligned']);

/** "load access fault at 0x10000005, pc 0x80000040"; "illegal instruction 0x00000000, pc 0x80000000"; "breakpoint, pc …". */
export function describeTrap(trap: TrapInfo, kind: TrapKind): string {
  if (ADDRESS_KINDS.has(kind)) return `${trap.causeName} at ${hex(trap.address)}, pc ${hex(trap.pc)}`;
  if (kind === 'illegal-instruction') return `${trap.causeName} ${hex(trap.address)}, pc ${hex(trap.pc)}`;
  return `${trap.causeName}, pc ${hex(trap.pc)}`;
}

/** A report as one line, for the event log and the CLI's stderr: "cpu0: load access fault at … — nothing is mapped at …". */
export function faultLine(fault: GuestFault): string {
  return `${fault.message} — ${fault.hint}`;
}

/**
 * A hart that can never leave its loop by itself: a trap loop whose handler runs where no interrupt
 * can break in (RISC-V M-mode: taking the trap cleared mstatus.MIE), or a hart held for want of
 * firmware. Only a debugger or a monitor (reset) can change that.
 */
export function stuckForGood(hart: HartReport): boolean {
  return hart.status === 'held' || hart.status === 'locked-up' || (hart.status === 'faulting' && hart.fault?.kind === 'trap-loop' && hart.fault.interruptsMasked === true);
}

/** "cpu0 has no firmware", as the page and the CLI say it. */
export function noFirmwareLine(cpuPath: string): string {
  return `${relativePath(cpuPath)} has no firmware`;
}

const article = (words: string) => (/^[aeiou]/.test(words) ? 'an' : 'a');

/** Reports for one hart's traps. The machine gives it the board (for hints) and where reports go. */
export class HartFaultWatch {
  /** The loop or spin the hart is caught in, or null. */
  faulting: GuestFault | null = null;

  private readonly name: string;
  /** Where the last trap vectored to (u32), -1 when unknown. */
  private lastTarget = -1;
  private loopTraps = 0;
  private lastCause = 0;
  private lastCauseName = '';
  private lastPc = 0;
  private lastAddress = 0;
  private lastKind: TrapKind | undefined;
  /** The trap that began the current run of traps-at-the-handler (scalars: no allocation per trap); entryPc -1: none. */
  private entryCause = 0;
  private entryCauseName = '';
  private entryKind: TrapKind = 'other';
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
  /** Access faults were reported since the last trap return. */
  private unrecovered = false;

  constructor(
    readonly path: string,
    private readonly cpu: CpuCore,
    private readonly board: ResolvedBoard,
    private readonly space: string,
    /** A new report; `stop`: the hart is caught in a loop, stop the run. */
    private readonly report: (fault: GuestFault, stop: boolean) => void,
    /** A line for the machine's event log. */
    private readonly note: (line: string) => void,
    /** The hart returned from a trap handler after access faults were reported: the guest handled them. */
    private readonly recovered: () => void,
  ) {
    this.name = relativePath(path);
  }

  /** From CpuCore.onTrap: the hart's pc is already the handler's address. */
  onTrap(trap: CpuTrap): void {
    // the last trap, for a lockup report (scalars: no allocation per trap)
    this.lastCause = trap.cause;
    this.lastCauseName = trap.causeName;
    this.lastPc = trap.pc >>> 0;
    this.lastAddress = trap.value >>> 0;
    this.lastKind = trap.kind;
    const { cause, pc: epc } = trap;
    const tval = trap.value;
    const target = trap.handler;
    const returnedTo = this.returnedTo;
    this.returnedTo = -1;
    if (trap.kind === 'interrupt') {
      this.lastTarget = target;
      return;
    }
    if (trap.kind === 'access-fault') this.accessFault(trap);

    // Trap loop: taken where the previous trap sent the hart, with nothing retired in between.
    if (epc === this.lastTarget) {
      this.loopTraps++;
      if (this.loopTraps === TRAP_LOOP_TRAPS) this.caught(this.trapLoop(trap));
    } else {
      if (this.faulting !== null && this.faulting.kind === 'trap-loop') this.faulting = null;
      this.loopTraps = 0;
      this.entryCause = cause;
      this.entryCauseName = trap.causeName;
      this.entryKind = trap.kind;
      this.entryPc = epc;
      this.entryAddress = tval;
    }
    this.lastTarget = target;

    // Fault spin: the same exception again, right where the handler returned to.
    if (epc === returnedTo && epc === this.spinPc && cause === this.spinCause && tval === this.spinAddress) {
      this.spinCount++;
      if (this.spinCount === FAULT_SPIN_TRAPS) this.caught(this.faultSpin(trap));
    } else {
      if (this.faulting !== null && this.faulting.kind === 'fault-spin') this.faulting = null;
      this.spinCause = cause;
      this.spinPc = epc;
      this.spinAddress = tval;
      this.spinCount = 1;
    }
  }

  /** From CpuCore.onTrapReturn. */
  onTrapReturn(pc: number): void {
    this.returnedTo = pc >>> 0;
    if (this.unrecovered) {
      this.unrecovered = false;
      this.recovered();
    }
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
    this.unrecovered = false;
  }

  /**
   * After a run in which the core locked up (CpuCore.lockedUp): one report, which stops the run,
   * naming where and the last trap (the fault it could not take).
   */
  lockedUp(): void {
    if (this.faulting?.kind === 'lockup') return;
    const pc = this.cpu.pc >>> 0;
    const last: TrapInfo | undefined = this.lastKind === undefined ? undefined : { cause: this.lastCause, causeName: this.lastCauseName, pc: this.lastPc, address: this.lastAddress };
    this.caught({
      cpu: this.path,
      kind: 'lockup',
      cause: last?.cause ?? 0,
      causeName: last?.causeName ?? 'lockup',
      pc,
      address: last?.address ?? 0,
      message: `${this.name} locked up at ${hex(pc)}` + (last === undefined ? '' : `: ${describeTrap(last, this.lastKind!)}`),
      hint: 'a fault where the core cannot take one (in its HardFault or NMI handler, or with FAULTMASK set): fix that handler; only a reset recovers the core',
    });
  }

  private caught(fault: GuestFault): void {
    this.faulting = fault;
    this.loopInstret = -1;
    this.cpu.requestStop();
    this.report(fault, true);
  }

  private accessFault(trap: CpuTrap): void {
    const { cause, pc: epc, value: tval } = trap;
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
    const info = trapInfo(trap);
    const { kind, hint } = this.describeAccess(trap);
    this.unrecovered = true;
    this.report({ cpu: this.path, kind, ...info, message: `${this.name}: ${describeTrap(info, trap.kind)}`, hint }, false);
  }

  /** What the board has at a faulting address, and what to do about it. */
  private describeAccess(trap: CpuTrap): { kind: GuestFaultKind; hint: string } {
    const address = trap.value >>> 0;
    // the core refused it itself: the board's map has nothing to say about that address
    if (trap.coreRefusal !== undefined) return { kind: 'refused-access', hint: trap.coreRefusal };
    if (trap.virtualAddress) {
      return { kind: 'access-fault', hint: `${hex(address)} is a virtual address (the hart translates it through its page tables): check the page tables and where they map it` };
    }
    const { mapped } = lookupAddress(this.board, address, this.space);
    const where = addressHint(this.board, address, this.space);
    if (mapped === undefined) {
      const fetch = trap.access === 'fetch';
      return { kind: 'unmapped-access', hint: `${where}: ${fetch ? 'the hart jumped where there is no memory' : "map the device where the firmware expects it, or build the firmware for this board's addresses"}` };
    }
    return { kind: 'refused-access', hint: `${where}, which refused the access: a register it does not have, or an access size it does not take` };
  }

  private trapLoop(trap: CpuTrap): GuestFault {
    const info = trapInfo(trap);
    const entry = this.entryPc !== -1 && this.entryPc !== info.pc ? { cause: this.entryCause, causeName: this.entryCauseName, pc: this.entryPc >>> 0, address: this.entryAddress >>> 0 } : undefined;
    const vector = trap.vector;
    const where = trap.kind === 'access-fault' ? `${addressHint(this.board, info.address, this.space)}; ` : '';
    return {
      cpu: this.path,
      kind: 'trap-loop',
      ...info,
      ...(entry && { after: entry }),
      vector,
      interruptsMasked: trap.interruptsMasked,
      message:
        `${this.name} is in a trap loop: its trap handler at ${hex(info.pc)} (${vector}) faults before any instruction runs: ${describeTrap(info, trap.kind)}` +
        (entry ? `; it began with ${article(entry.causeName)} ${describeTrap(entry, this.entryKind)}` : ''),
      hint: `${where}point ${vector} at a trap handler in the firmware (or fix what trapped first)`,
    };
  }

  private faultSpin(trap: CpuTrap): GuestFault {
    const info = trapInfo(trap);
    const where = trap.kind === 'access-fault' ? `${addressHint(this.board, info.address, this.space)}; ` : '';
    return {
      cpu: this.path,
      kind: 'fault-spin',
      ...info,
      vector: trap.vector,
      interruptsMasked: trap.interruptsMasked,
      message: `${this.name} spins on a fault: ${describeTrap(info, trap.kind)}, again and again (its trap handler returns to the instruction, which traps again)`,
      hint: `${where}fix the cause, or have the handler skip the instruction (${trap.returnRegister} + 4)`,
    };
  }
}
