// The core's decoded code is cached per 4 KiB page; a store into code drops what it decoded there,
// so the next fetch decodes the new bytes (self-modifying code, code loaded by the guest).
import { describe, expect, it } from 'vitest';
import * as A from './asm.ts';
import { boot, runTo, SRAM } from './testing.ts';

describe('Cortex-M decode cache', () => {
  it('a 32-bit instruction whose second halfword is on the next page is decoded afresh when that halfword is written', () => {
    // movw r0, #5 at 0x20000ffe: its first halfword ends page 0x20000, its second starts page 0x20001; then bx lr
    const routine = SRAM + 0xffe;
    const [movwHw1, movwHw2] = A.movw(0, 5);
    const board = boot((p) =>
      p.i(
        A.li(3, routine | 1),
        A.li(2, SRAM + 0x1000),
        A.li(1, A.movw(0, 7)[1]), // the second halfword of movw r0, #7
        A.blx(3), // r0 = 5, and the routine is decoded
        A.mov(4, 0),
        A.strhImm(1, 2, 0), // the routine becomes movw r0, #7: only its second halfword's page is written
        A.blx(3),
      ),
    );
    const code = new Uint8Array([movwHw1 & 0xff, movwHw1 >>> 8, movwHw2 & 0xff, movwHw2 >>> 8, ...A.bx(14).flatMap((hw) => [hw & 0xff, hw >>> 8])]);
    board.space.writeBytes(routine, code);
    runTo(board, 'default');
    expect(board.cpu.r[4]).toBe(5);
    expect(board.cpu.r[0]).toBe(7);
  });
});

describe('Cortex-M decode cache and the stores of the fast path', () => {
  // movs r0, #5; bx lr in SRAM; the guest opens the store window on SRAM (a push), calls it, rewrites movs's immediate to 9 with one store, calls it again
  const routine = SRAM + 0x800;
  const stores: ReadonlyArray<{ name: string; value: number; store: A.Halfwords }> = [
    { name: 'STR [rn, #imm]', value: (A.bx(14)[0] << 16) | A.movs(0, 9)[0], store: A.strImm(1, 2, 0) },
    { name: 'STR [rn, rm]', value: (A.bx(14)[0] << 16) | A.movs(0, 9)[0], store: [0x5000 | (6 << 6) | (2 << 3) | 1] }, // str r1, [r2, r6]
    { name: 'STRB [rn, #imm]', value: 9, store: A.strbImm(1, 2, 0) },
    { name: 'STR [rn, #imm]!', value: (A.bx(14)[0] << 16) | A.movs(0, 9)[0], store: A.t32(0xf840 | 2, (1 << 12) | 0xd00 | 0x200 | 0) }, // str.w r1, [r2, #0]!
  ];
  for (const { name, value, store } of stores) {
    it(`${name} into decoded code drops it: the next call runs the new instruction`, () => {
      const board = boot((p) => p.i(A.push([6]), A.li(3, routine | 1), A.li(2, routine), A.li(1, value), A.movs(6, 0), A.blx(3), A.mov(4, 0), store, A.blx(3)));
      board.space.writeBytes(routine, new Uint8Array([...A.movs(0, 5), ...A.bx(14)].flatMap((hw) => [hw & 0xff, hw >>> 8])));
      runTo(board, 'default');
      expect(board.cpu.r[4]).toBe(5);
      expect(board.cpu.r[0]).toBe(9);
    });
  }
});
