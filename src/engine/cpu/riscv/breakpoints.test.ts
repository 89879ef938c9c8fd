// Rv32Cpu.breakpoints: run() stops before an instruction at a breakpoint address.
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { Csr, IRQ_MSI, MSTATUS_MIE } from './csr.ts';
import { BASE, boot, runToWfi, setMtvec } from './testing.ts';

const { zero, a0, a1, t0 } = A.Reg;

/** a0 counts 10 → 0 in a loop, a1 counts the iterations; then WFI. */
function loop(p: A.Program): A.Program {
  return p
    .i(A.li(a0, 10))
    .label('loop')
    .i(A.addi(a1, a1, 1))
    .label('second')
    .i(A.addi(a0, a0, -1))
    .branch(A.bne, a0, zero, 'loop')
    .label('end')
    .i(A.wfi());
}

describe('Rv32Cpu breakpoints', () => {
  it('stops before the instruction at a breakpoint and continues from it', () => {
    const { cpu, program } = boot(loop);
    const second = program.address('second');
    cpu.breakpoints.add(second);
    const first = cpu.run(1000);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.pc).toBe(second);
    expect(first).toBe((program.address('loop') - BASE) / 4 + 1); // li, then the addi at 'loop'
    expect(cpu.x[a1]).toBe(1);
    expect(cpu.x[a0]).toBe(10); // the instruction at the breakpoint has not run
    expect(cpu.instret).toBe(first);
    // continuing runs the instruction at the breakpoint, then stops there on the next iteration
    expect(cpu.run(1000)).toBe(3);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.pc).toBe(second);
    expect(cpu.x[a0]).toBe(9);
    expect(cpu.x[a1]).toBe(2);
    cpu.breakpoints.delete(second);
    runToWfi(cpu);
    expect(cpu.stoppedAtBreakpoint).toBe(false);
    expect(cpu.x[a1]).toBe(10);
  });

  it('stops at a breakpoint a run starts at, unless continuing from it', () => {
    const { cpu } = boot(loop);
    cpu.breakpoints.add(BASE);
    expect(cpu.run(1000)).toBe(0);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.run(1000)).toBeGreaterThan(0); // continuing from the breakpoint executes it
    const fresh = boot(loop).cpu;
    fresh.breakpoints.add(BASE);
    fresh.passBreakpointHere(); // a debugger continuing from a pause at pc
    expect(fresh.run(3)).toBe(3);
    expect(fresh.stoppedAtBreakpoint).toBe(false);
  });

  it('a run that ended on its budget just before a breakpoint does not pass it in the next run', () => {
    const { cpu, program } = boot(loop);
    const second = program.address('second');
    cpu.breakpoints.add(second);
    // li a0,10 is one instruction (10 fits in addi); then the addi at 'loop': the budget ends before 'second'
    expect(cpu.run(2)).toBe(2);
    expect(cpu.stoppedAtBreakpoint).toBe(false);
    expect(cpu.pc).toBe(second);
    expect(cpu.run(1000)).toBe(0);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.x[a0]).toBe(10);
  });

  it('reports a budget stop as no breakpoint', () => {
    const { cpu, program } = boot(loop);
    cpu.breakpoints.add(BASE);
    cpu.breakpoints.add(program.address('end'));
    cpu.passBreakpointHere();
    expect(cpu.run(3)).toBe(3);
    expect(cpu.stoppedAtBreakpoint).toBe(false);
    const n = cpu.run(1000);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.pc).toBe(program.address('end'));
    expect(cpu.instret).toBe(3 + n);
    expect(cpu.x[a0]).toBe(0);
    expect(cpu.run(1000)).toBe(1); // the WFI
    expect(cpu.waitingForInterrupt).toBe(true);
  });

  it('stops at a breakpoint in a trap handler, also when an interrupt is taken as the run starts', () => {
    const { cpu, program } = boot((p) =>
      setMtvec(p).i(A.li(t0, MSTATUS_MIE), A.csrw(Csr.MSTATUS, t0), A.ecall(), A.wfi(), A.wfi()).label('trap').i(A.addi(a0, a0, 1), A.csrr(t0, Csr.MEPC), A.addi(t0, t0, 4), A.csrw(Csr.MEPC, t0), A.mret()),
    );
    const handler = program.address('trap');
    cpu.breakpoints.add(handler);
    cpu.run(1000);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.pc).toBe(handler);
    expect(cpu.readCsr(Csr.MCAUSE)).toBe(11);
    expect(cpu.x[a0]).toBe(0);
    cpu.run(1000); // handler returns to the first wfi
    expect(cpu.waitingForInterrupt).toBe(true);
    expect(cpu.x[a0]).toBe(1);
    // a machine software interrupt wakes the hart; the run that takes it stops at the handler
    cpu.writeCsr(Csr.MIE, 1 << 3);
    cpu.setInterruptLine(IRQ_MSI, true);
    expect(cpu.run(1000)).toBe(0);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.pc).toBe(handler);
    expect(cpu.readCsr(Csr.MCAUSE) >>> 0).toBe(0x8000_0003);
  });

  it('finds breakpoints on compressed instructions and on another page', () => {
    const { cpu, program } = boot((p) => {
      p.i(A.li(a0, 0)).la(t0, 'far').i(A.jalr(zero, t0, 0));
      while (p.here < BASE + 0x1ffe) p.c(A.cNop());
      // 'far': a compressed addi at the end of one page, 'next' another at the start of the next
      p.label('far').c(A.cAddi(a0, 1)).label('next').c(A.cAddi(a0, 2)).i(A.wfi());
    });
    cpu.breakpoints.add(program.address('next'));
    cpu.run(1000);
    expect(cpu.stoppedAtBreakpoint).toBe(true);
    expect(cpu.pc).toBe(program.address('next'));
    expect(cpu.x[a0]).toBe(1);
    cpu.run(1000);
    expect(cpu.x[a0]).toBe(3);
  });
});
