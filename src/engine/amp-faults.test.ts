// One CPU of a heterogeneous board stuck for good: it takes no more turns, the other runs on.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBoard } from '../graph/index.ts';
import * as A from './cpu/riscv/asm.ts';
import { Machine } from './machine.ts';
import { engineModules } from './registry.ts';

const MTVEC = 0x305;
const csrw = (csr: number, rs1: number) => A.iType(csr, rs1, 1, 0, 0x73);

/** The example's board, the M3 not held at reset, the hart running `hart` (raw words at 0x80000000). */
async function amp(hart: number[], output: number[]): Promise<Machine> {
  const document = JSON.parse(readFileSync(new URL('../../examples/amp.board.json', import.meta.url), 'utf8'));
  document.objects.rstctl.props['hold-at-reset'] = 0;
  document.objects.hart.props['reset-vector'] = '0x80000000';
  document.images[0] = { cpu: 'hart', file: 'hart.bin', format: 'binary', at: '0x80000000' };
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems[0].message);
  await engineModules.loadBoardModules(result.board);
  const m3 = new Uint8Array(readFileSync(new URL('../../public/firmware/amp/arm/m3.elf', import.meta.url)));
  const words = new Uint8Array(Uint32Array.from(hart).buffer);
  return Machine.build(result.board, new Map([['hart.bin', words], ['firmware/amp/arm/m3.elf', m3]]), { onSerialOutput: (_uart, byte) => output.push(byte) });
}

describe('a CPU stuck for good on a board with several', () => {
  it('a hart in a trap loop with interrupts masked takes no more turns; the M3 runs its program and the board goes idle', async () => {
    const output: number[] = [];
    const machine = await amp([csrw(MTVEC, 0), A.ecall()], output);
    machine.run(5_000_000);
    expect(machine.stoppedAtFault).toBe('/machine/hart'); // the run stops where the loop is caught (the page pauses there)
    machine.run(5_000_000); // and runs on past it
    const [hart, m3] = machine.hartReports();
    expect(hart).toMatchObject({ status: 'faulting', fault: { kind: 'trap-loop', interruptsMasked: true } });
    expect(m3.status).toBe('waiting-for-interrupt');
    expect(Buffer.from(output).toString('latin1')).toBe('m3: up, waiting for work\n');
    expect(machine.idle).toBe(true);
    const time = machine.clock.now();
    expect(machine.run(100_000)).toBe(0); // nothing left to run: the trapping hart is not run again
    expect(machine.clock.now()).toBe(time);
    // a debugger moving it on (passFaults) gives it turns again: it traps again, until caught again
    machine.passFaults();
    expect(machine.run(100_000)).toBeGreaterThan(0);
    expect(machine.hartReports()[0].status).toBe('faulting');
  });
});
