// Which of the guest's faults `boardlab run` notes on stderr, and when. A note helps when the guest
// does not recover: it names the address and what the board has there. A fault the guest handles —
// its handler returns (MachineOptions.onGuestFaultsRecovered), as in a fault demo, a conformance
// program or a driver probing for a device — is no news, and QEMU prints nothing for it either
// (firmware/arm's reference suite compares stderr byte for byte). So:
//   - a trap loop, a fault spin or a lockup is noted at once (the run stops for it), after the
//     access faults still waiting, which usually led into it;
//   - an access fault waits: it is dropped when the hart's handler returns, and noted when the
//     guest has not recovered within UNRECOVERED_AFTER_INSTRUCTIONS (a handler spinning in
//     `b .`), or when the run ends without the guest passing (--timeout, --max-instructions, a
//     stuck or idle board, a failing exit status).
import { faultLine, type GuestFault } from '../engine/index.ts';

/** Guest fault lines printed per run; after that, one note says more follow. */
export const FAULT_LINES_PRINTED = 10;
/** Instructions (all harts) an access fault may go unhandled before it is noted: a handler returns long before. */
export const UNRECOVERED_AFTER_INSTRUCTIONS = 10_000_000;

const ACCESS_KINDS: ReadonlySet<GuestFault['kind']> = new Set(['unmapped-access', 'refused-access', 'access-fault']);

export class FaultNotes {
  private waiting: Array<{ fault: GuestFault; at: number }> = [];
  private lines = 0;

  constructor(
    /** Writes one line to stderr. */
    private readonly print: (line: string) => void,
    /** Instructions the machine has run (all harts). */
    private readonly instructions: () => number,
  ) {}

  /** A new report from the machine (MachineOptions.onGuestFault). */
  report(fault: GuestFault): void {
    if (ACCESS_KINDS.has(fault.kind)) {
      this.waiting.push({ fault, at: this.instructions() });
      return;
    }
    this.flush();
    this.write(fault);
  }

  /** The hart's trap handler returned: the guest handled its waiting access faults (MachineOptions.onGuestFaultsRecovered). */
  recovered(cpuPath: string): void {
    if (this.waiting.length > 0) this.waiting = this.waiting.filter((w) => w.fault.cpu !== cpuPath);
  }

  /** Between slices: note the access faults the guest has not recovered from for a while. */
  settle(): void {
    const now = this.instructions();
    while (this.waiting.length > 0 && (now - this.waiting[0].at >= UNRECOVERED_AFTER_INSTRUCTIONS || now < this.waiting[0].at)) this.write(this.waiting.shift()!.fault);
  }

  /** Note every waiting access fault (the run ends without the guest passing, or a loop follows them). */
  flush(): void {
    for (const { fault } of this.waiting.splice(0)) this.write(fault);
  }

  private write(fault: GuestFault): void {
    this.lines++;
    if (this.lines <= FAULT_LINES_PRINTED) this.print(`boardlab: ${faultLine(fault)}`);
    else if (this.lines === FAULT_LINES_PRINTED + 1) this.print('boardlab: more guest faults follow; not printing them');
  }
}
