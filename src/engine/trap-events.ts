// Trap and interrupt events as the machine reports them to whoever listens (the page's trap log,
// a lesson's "hart 0 took a machine timer interrupt" check): every trap a CPU takes, with the CPU's
// path and when it happened, like QEMU's `-d int` log. The cores already tell the machine about
// every trap (CpuCore.onTrap, ./cpu/contract.ts); the machine copies the core's reused CpuTrap into
// a TrapEvent only while a listener is registered, so a board nobody watches pays one length check
// per trap and nothing per instruction.
import type { CpuTrap, TrapAccess, TrapKind } from './cpu/contract.ts';

/** One trap or interrupt a CPU took: a copy of the core's CpuTrap, with who and when. */
export interface TrapEvent {
  /** The CPU's canonical path (/machine/cpu0). */
  cpu: string;
  kind: TrapKind;
  access: TrapAccess | undefined;
  /** The architecture's cause (RISC-V: mcause, interrupt bit included; ARM: the exception number). */
  cause: number;
  /** "machine timer interrupt", "SysTick (SysTick)". */
  causeName: string;
  /** The pc of the trapping or interrupted instruction (RISC-V: mepc/sepc; ARM: the stacked return address). */
  pc: number;
  /** The trap value (RISC-V: mtval/stval): a faulting address, an illegal instruction's bits, else 0. */
  value: number;
  /** Where the handler starts. */
  handler: number;
  /** The register the handler address came from ("mtvec", "stvec", "VTOR"). */
  vector: string;
  /** The register that holds the return address ("mepc", "sepc"). */
  returnRegister: string;
  /** Instructions the CPU had retired when it took the trap (counting from its last reset). */
  instret: number;
  /** Virtual time when it took the trap, in nanoseconds. */
  timeNs: number;
}

/** Called once per trap while registered (Machine.addTrapListener). */
export type TrapListener = (event: TrapEvent) => void;

/** A TrapEvent from the core's reused trap object (copied: the core overwrites it at the next trap). */
export function trapEvent(cpu: string, trap: Readonly<CpuTrap>, instret: number, timeNs: number): TrapEvent {
  return {
    cpu,
    kind: trap.kind,
    access: trap.access,
    cause: trap.cause >>> 0,
    causeName: trap.causeName,
    pc: trap.pc >>> 0,
    value: trap.value >>> 0,
    handler: trap.handler >>> 0,
    vector: trap.vector,
    returnRegister: trap.returnRegister,
    instret,
    timeNs,
  };
}
