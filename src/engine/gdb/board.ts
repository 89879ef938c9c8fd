// The GDB stubs of one board whose CPUs have several architectures: gdb holds one architecture per
// connection, so each architecture gets a stub (`-gdb tcp::1234` for the first CPU's, `-gdb
// m3=tcp::1235` for another's), and this keeps them all-stop together, as gdb users expect of
// one board: the board runs only while every attached gdb has resumed its CPUs. When one gdb stops
// its target (a breakpoint, a step, Ctrl-C), the others' CPUs stop too; their gdb sees its target
// as running, without progress, until the first one continues (or interrupts it with Ctrl-C).
// A breakpoint hit on a CPU of another stub during one stub's slice is handed to that stub, which
// tells its gdb.
import type { GdbStub } from './stub.ts';

export class GdbBoard {
  private readonly stubs = new Set<GdbStub>();
  /** A stop found on a CPU of a stub (its path), not yet told to its gdb. */
  private readonly stops = new Map<GdbStub, string>();

  /**
   * `waitFor`: the board does not run before this many gdb have attached (-S with a stub per
   * architecture: the first gdb's continue must not run the CPUs the second one has yet to stop).
   */
  constructor(private waitFor = 0) {}

  /** A stub for a new gdb connection. */
  join(stub: GdbStub): void {
    this.stubs.add(stub);
    if (this.stubs.size >= this.waitFor) this.waitFor = 0;
  }

  /** Its connection is gone. */
  leave(stub: GdbStub): void {
    this.stubs.delete(stub);
    this.stops.delete(stub);
  }

  /** May `stub` run the machine? Only while every other attached gdb has its target running. */
  mayRun(stub: GdbStub): boolean {
    if (this.waitFor > 0) return false;
    for (const other of this.stubs) if (other !== stub && (!other.running || this.stops.has(other))) return false;
    return true;
  }

  /**
   * A slice stopped at a breakpoint or watchpoint of the CPU `path`, which the running stub does
   * not serve: the stub that does will report it. False when no attached stub serves that CPU.
   */
  stopFound(path: string): boolean {
    for (const stub of this.stubs) {
      if (stub.serves(path)) {
        this.stops.set(stub, path);
        return true;
      }
    }
    return false;
  }

  /** The CPUs of the other stubs whose gdb holds its target stopped (a step of `stub`'s must not move them). */
  heldBy(stub: GdbStub): string[] {
    return [...this.stubs].filter((other) => other !== stub && (!other.running || this.stops.has(other))).flatMap((other) => other.cpuPaths);
  }

  /** The stop waiting for `stub`'s gdb, if any (taken: told once). */
  takeStop(stub: GdbStub): string | undefined {
    const path = this.stops.get(stub);
    this.stops.delete(stub);
    return path;
  }
}
