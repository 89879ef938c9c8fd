// Warnings in the machine's event log about misaligned data accesses, one line each with the CPU,
// the pc and the address, saying whether this core performed the access (RISC-V loads and stores;
// an ARMv7-M core with CCR.UNALIGN_TRP clear) or trapped on it (an AMO or LR/SC on RISC-V, LDM,
// LDRD or any access with UNALIGN_TRP set on ARMv7-M, every one on ARMv6-M).
//
// Rate-limited so a loop cannot flood the log: each instruction (pc) is reported once, at most
// MISALIGNED_REPORTED lines per CPU, then one line saying further ones are not reported, until the
// CPU is reset. Accesses where nothing is mapped (the bus error) are reported by ./guest-status.ts,
// which is rate-limited the same way.
import { hex, relativePath } from '../graph/index.ts';
import type { CpuTrap } from './cpu/contract.ts';

/** Distinct misaligned instructions reported per CPU before the log says more follow. */
export const MISALIGNED_REPORTED = 8;

/** What hardware does with a misaligned access this core performs, by architecture (CpuArchitecture.name). */
const PERFORMED_HINT: Readonly<Record<string, string>> = {
  'RISC-V':
    'this hart performs it, as QEMU does; real RISC-V hardware may instead trap to firmware that emulates it (hundreds of cycles), so keep data naturally aligned',
  ARM: 'this core performs it in several bus accesses (slower), as ARMv7-M allows while CCR.UNALIGN_TRP is clear; ARMv6-M and LDM/LDRD/STRD always fault on it',
};
const DEFAULT_PERFORMED_HINT = 'this core performs it; hardware may be slower or trap on it';

export class MisalignedAccessWarnings {
  private readonly reported = new Set<number>();
  private saidMore = false;
  private readonly name: string;

  constructor(
    path: string,
    private readonly architecture: string | undefined,
    /** A line for the machine's event log. */
    private readonly note: (line: string) => void,
  ) {
    this.name = relativePath(path);
  }

  /** The core performed a misaligned access (CpuCore.onMisalignedAccess). */
  performed(access: 'load' | 'store', address: number, size: number, pc: number): void {
    if (!this.fresh(pc)) return;
    const hint = (this.architecture === undefined ? undefined : PERFORMED_HINT[this.architecture]) ?? DEFAULT_PERFORMED_HINT;
    this.note(`${this.name}: misaligned ${access} of ${size} bytes at ${hex(address)}, pc ${hex(pc)} — ${hint}`);
  }

  /** The core trapped on a misaligned access (CpuCore.onTrap with kind 'misaligned'). */
  trapped(trap: Readonly<CpuTrap>): void {
    if (!this.fresh(trap.pc >>> 0)) return;
    const access = trap.access === 'fetch' ? 'instruction fetch' : (trap.access ?? 'access');
    this.note(`${this.name}: misaligned ${access} at ${hex(trap.value)}, pc ${hex(trap.pc)} — this core traps on it (${trap.causeName}); the handler at ${hex(trap.handler)} runs`);
  }

  /** The CPU was reset: report again. */
  reset(): void {
    this.reported.clear();
    this.saidMore = false;
  }

  /** Whether a line for the instruction at `pc` may be logged (and count it). */
  private fresh(pc: number): boolean {
    if (this.reported.has(pc)) return false;
    if (this.reported.size >= MISALIGNED_REPORTED) {
      if (!this.saidMore) {
        this.saidMore = true;
        this.note(`${this.name}: more misaligned accesses follow; they are not reported until ${this.name} is reset`);
      }
      return false;
    }
    this.reported.add(pc);
    return true;
  }
}
