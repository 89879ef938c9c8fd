// run() keeps the pc, the IT state and the retired count in locals while a block runs and commits
// them before anything outside the core can look (./cortex-m.ts). Single-stepping (run(1): every
// instruction is a block of its own, all state committed after it) is the simple reference: the
// conformance firmware run in blocks of varying length must reach the same core state (registers,
// flags, IT state, stack pointers, masks, instret, and the SCS's own fields) at every block end,
// the same serial output and the same exit.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { qemuArgsToBoard, resolveBoard } from '../../../graph/index.ts';
import { engineModules, Machine } from '../../index.ts';
import { saveState } from '../../state.ts';
import { cortexMCore } from './index.ts';
import * as A from './asm.ts';
import { boot } from './testing.ts';

const FIRMWARE = new URL('../../../../public/firmware/arm/', import.meta.url);

const PROGRAMS: ReadonlyArray<{ elf: string; machine: string }> = [
  { elf: 'conf-arm-alu', machine: 'mps2-an385' },
  { elf: 'conf-arm-bitfield', machine: 'mps2-an385' },
  { elf: 'conf-arm-branch', machine: 'mps2-an385' },
  { elf: 'conf-arm-exc', machine: 'mps2-an385' },
  { elf: 'conf-arm-excl', machine: 'mps2-an385' },
  { elf: 'conf-arm-mem', machine: 'mps2-an385' },
  { elf: 'conf-arm-muldiv', machine: 'mps2-an385' },
  { elf: 'fault-demo', machine: 'mps2-an385' },
  { elf: 'conf-armv6m', machine: 'boardlab-m0' },
];

await engineModules.loadCatalogModules();

function build(elf: string, machineType: string, output: number[]): Machine {
  const converted = qemuArgsToBoard(['-M', machineType, '-semihosting-config', 'enable=on,target=native', '-kernel', 'guest']);
  if (!converted.ok) throw new Error(converted.problems.map((p) => p.message).join('; '));
  const resolved = resolveBoard(converted.document);
  if (!resolved.ok) throw new Error(resolved.problems.map((p) => p.message).join('; '));
  const bytes = new Uint8Array(readFileSync(new URL(`${elf}.elf`, FIRMWARE)));
  return Machine.build(resolved.board, new Map([['guest', bytes]]), { onSerialOutput: (_uart, byte) => output.push(byte) });
}

function coreState(machine: Machine): unknown {
  return saveState(cortexMCore(machine.cpu(machine.cpuPaths[0])));
}

/** Block lengths from 1 to 400, a deterministic mix of short and long ones. */
function* blockLengths(): Generator<number> {
  let seed = 12345;
  for (;;) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const pick = seed >>> 16;
    yield pick % 4 === 0 ? 1 + (pick % 7) : 1 + (pick % 400);
  }
}

const LIMIT = 1_000_000;

describe('Cortex-M run() in blocks against single steps', () => {
  for (const { elf, machine: machineType } of PROGRAMS) {
    it(`${elf} on ${machineType}: the same core state at every block end, the same output and exit`, () => {
      const blockOutput: number[] = [];
      const blocks = build(elf, machineType, blockOutput);
      const checkpoints = new Map<number, unknown>();
      const lengths = blockLengths();
      while (!blocks.halted && blocks.instructions < LIMIT) {
        const ran = blocks.run(lengths.next().value as number);
        if (ran === 0 && blocks.idle) break;
        checkpoints.set(blocks.instructions, coreState(blocks));
      }
      expect(blocks.exit?.kind).toBe('pass');
      const stepOutput: number[] = [];
      const steps = build(elf, machineType, stepOutput);
      let compared = 0;
      while (!steps.halted && steps.instructions < LIMIT) {
        const ran = steps.run(1);
        if (ran === 0 && steps.idle) break;
        const expected = checkpoints.get(steps.instructions);
        if (expected === undefined) continue;
        expect({ at: steps.instructions, state: expected }).toEqual({ at: steps.instructions, state: coreState(steps) });
        compared++;
      }
      expect(steps.instructions).toBe(blocks.instructions);
      expect(steps.exit).toEqual(blocks.exit);
      expect(Buffer.from(blockOutput).toString('latin1')).toBe(Buffer.from(stepOutput).toString('latin1'));
      expect(compared).toBeGreaterThan(10);
    });
  }
});

describe('Cortex-M run(): the flags a block keeps in a local', () => {
  it('are what MRS reads inside the block, and what xpsr shows when run() returns mid-program', () => {
    const board = boot((p) => p.i(A.movs(0, 0), A.cmpImm(0, 1), A.mrs(1, A.SYSm.APSR), A.movs(2, 5), A.cmpImm(2, 5), A.it(A.Cond.EQ, 8), A.movs(3, 7)));
    // decoded code first (a fetch commits the flags too), then again from the start with the flags clear
    expect(board.cpu.run(7)).toBe(7);
    board.cpu.pc = board.program.address('start');
    board.cpu.xpsr = 0x0100_0000; // EPSR.T
    board.cpu.r.fill(0, 0, 4);
    expect(board.cpu.run(3)).toBe(3); // movs, cmp, mrs: one block
    expect(board.cpu.r[1] >>> 28).toBe(0b1000); // 0 - 1: N, a borrow (C clear), no overflow
    expect(board.cpu.xpsr >>> 28).toBe(0b1000);
    expect(board.cpu.run(2)).toBe(2); // movs r2, #5 (N and Z from 5); cmp r2, #5
    expect(board.cpu.xpsr >>> 28).toBe(0b0110); // Z, C (no borrow)
    expect(board.cpu.run(2)).toBe(2); // the IT block's condition EQ reads the flags: movs r3, #7 runs
    expect(board.cpu.r[3]).toBe(7);
  });
});
