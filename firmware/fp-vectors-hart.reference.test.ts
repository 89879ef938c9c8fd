// fp-vectors.elf (firmware/fp-vectors: every F and D instruction on special and PRNG operands, in
// every static and dynamic rounding mode) on BoardLab's hart against Debian's QEMU: the same
// ~49,000 lines (result bits and fflags of each case), byte for byte. fp-vectors.reference.test.ts
// checks QEMU's lines against the softfloat library on its own; this one runs the instructions
// through the hart (decoder, NaN-boxing, rounding-mode selection, fflags accrual).
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { publicFirmwareDir, runOnBoardLabAsync, runOnQemuAsync } from './run-reference.ts';

const elf = join(publicFirmwareDir, 'fp-vectors.elf');

test('fp-vectors.elf prints the same lines on BoardLab (riscv-virt) as on QEMU', async () => {
  const [qemu, boardlab] = await Promise.all([runOnQemuAsync(elf, { timeoutMs: 60_000 }), runOnBoardLabAsync(elf, { timeoutMs: 60_000 })]);
  const qemuLines = qemu.stdout.toString('latin1').split('\n');
  const boardlabLines = boardlab.stdout.toString('latin1').split('\n');
  expect(qemuLines.length).toBeGreaterThan(40_000);
  const firstDifference = qemuLines.findIndex((line, i) => line !== boardlabLines[i]);
  expect(firstDifference, `line ${firstDifference + 1}: QEMU ${JSON.stringify(qemuLines[firstDifference])}, BoardLab ${JSON.stringify(boardlabLines[firstDifference])}`).toBe(-1);
  expect(boardlabLines.length).toBe(qemuLines.length);
  expect([qemu.status, boardlab.status]).toEqual([0, 0]);
});
