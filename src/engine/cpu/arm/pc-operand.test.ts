// An instruction that names r15 as an operand reads its own address + 4 (ARMv7-M A5.1.2). The
// core writes r15 only before the instructions whose decode says they name it (Insn.readsPc), so
// each of these runs right after instructions that do not, in one block.
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { boot, runTo } from './testing.ts';

describe('Cortex-M: the pc as an operand', () => {
  it('MOV rd, pc and ADD rd, pc read the instruction address + 4; TBB [pc, rm] indexes the table after it', () => {
    const board = boot((p) => {
      p.i(A.movs(1, 100), A.movs(2, 1), A.movs(3, 7));
      p.label('mov').i(A.mov(0, 15));
      p.i(A.movs(4, 1));
      p.label('add').i(A.mov(5, 1), [0x4400 | (15 << 3) | 5]); // add r5, pc
      p.label('tbb').i(A.tbb(15, 2));
      p.i([0x0201], A.movs(6, 1)); // the table: byte 0 = 1 (skip the first halfword after the TBB), byte 1 = 2
      p.label('one').i(A.movs(6, 2)); // byte 1 = 2 lands here (tbb + 4 + 2 * 2)
      p.label('done').b('done');
    });
    runTo(board, 'done');
    const r = board.cpu.r;
    expect(r[0] >>> 0).toBe(board.program.address('mov') + 4);
    expect(r[5] >>> 0).toBe(100 + board.program.address('add') + 2 + 4);
    expect(r[6]).toBe(2);
  });
});
