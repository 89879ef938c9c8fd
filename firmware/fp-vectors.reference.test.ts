// fp-vectors.elf (firmware/fp-vectors) on Debian's QEMU, whose default rv32 CPU has F and D: every
// case line it prints (instruction, rounding mode, operands, result, flags) must be what BoardLab's
// softfloat library computes for the same operands and rounding mode, bit for bit and flag for flag.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FP_VECTOR_INSTRUCTIONS, checkVectorLine, type VectorMismatch } from './fp-vectors-check.ts';
import { publicFirmwareDir, runOnQemuAsync } from './run-reference.ts';

const elf = join(publicFirmwareDir, 'fp-vectors.elf');
const qemuRun = runOnQemuAsync(elf, { timeoutMs: 60_000 });
qemuRun.catch(() => {}); // reported by the tests

async function caseLines(): Promise<string[]> {
  const run = await qemuRun;
  return run.stdout.toString('latin1').split('\n').filter((line) => line !== '' && !line.startsWith('fp-vectors: '));
}

describe('fp-vectors.elf on QEMU against the softfloat library', () => {
  test('QEMU runs it to the end: begin and count lines, every case printed, finisher passes', async () => {
    const run = await qemuRun;
    const lines = run.stdout.toString('latin1').split('\n');
    expect(lines[0]).toBe('fp-vectors: begin');
    const count = /^fp-vectors: ([0-9a-f]{8}) cases$/.exec(lines[lines.length - 2]);
    expect(count, `last line ${JSON.stringify(lines[lines.length - 2])}`).not.toBeNull();
    expect((await caseLines()).length).toBe(parseInt(count![1], 16));
    expect(run.status).toBe(0);
  });

  test('the cases cover every instruction, every static rounding mode and every dynamic one', async () => {
    const lines = await caseLines();
    expect(new Set(lines.map((line) => line.split(' ')[0]))).toEqual(new Set(FP_VECTOR_INSTRUCTIONS));
    expect(new Set(lines.map((line) => line.split(' ')[1]))).toEqual(new Set(['-', '0', '1', '2', '3', '4', 'd0', 'd1', 'd2', 'd3', 'd4']));
    expect(lines.length).toBeGreaterThan(40_000);
  });

  test('every line: the library computes the same result and raises the same flags as QEMU', async () => {
    const mismatches: VectorMismatch[] = [];
    const lines = await caseLines();
    for (const line of lines) {
      const mismatch = checkVectorLine(line);
      if (mismatch) mismatches.push(mismatch);
    }
    const shown = mismatches.slice(0, 20).map((m) => `QEMU:    ${m.line}\nlibrary: ${m.expected}`).join('\n');
    expect(mismatches.length, `${mismatches.length} of ${lines.length} cases differ (first 20: "insn rm operands result fflags"):\n${shown}`).toBe(0);
  });
});
