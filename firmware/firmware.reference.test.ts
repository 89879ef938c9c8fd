// Each committed firmware must behave the same on Debian's QEMU and on BoardLab:
// byte-identical UART output and the same exit status.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RUNS_FOREVER, firmwarePrograms, firstLinesOnBoardLab, firstLinesOnQemu, publicFirmwareDir, runOnBoardLab, runOnQemu, type GuestRun } from './run-reference.ts';

/** What QEMU is known to print for some programs, so a broken reference is caught too. */
const EXPECTED_ON_QEMU: Record<string, { stdout: string; status: number }> = {
  hello: { stdout: 'Hello, BoardLab!\n1+2+...+100 = 5050\n', status: 0 },
  fail: { stdout: 'failing with code 3\n', status: 3 },
};

const qemuRuns = new Map<string, GuestRun>();
function qemuRun(elf: string): GuestRun {
  let run = qemuRuns.get(elf);
  if (!run) {
    run = runOnQemu(elf);
    qemuRuns.set(elf, run);
  }
  return run;
}

const show = (bytes: Buffer): string => JSON.stringify(bytes.toString('latin1'));

describe.each(firmwarePrograms().filter((name) => RUNS_FOREVER.has(name)))('%s.elf (runs until stopped)', (name) => {
  const elf = join(publicFirmwareDir, `${name}.elf`);
  const LINES = 5;

  test(`BoardLab prints the same first ${LINES} lines as QEMU`, () => {
    const qemu = firstLinesOnQemu(elf, LINES);
    expect(qemu, 'QEMU printed too few lines in its time').toHaveLength(LINES);
    expect(firstLinesOnBoardLab(elf, LINES)).toEqual(qemu);
  });
});

describe.each(firmwarePrograms().filter((name) => !RUNS_FOREVER.has(name)))('%s.elf', (name) => {
  const elf = join(publicFirmwareDir, `${name}.elf`);
  const expected = EXPECTED_ON_QEMU[name];

  test.runIf(expected !== undefined)('QEMU prints the expected output and exit status', () => {
    const qemu = qemuRun(elf);
    expect(qemu.stdout.toString('latin1')).toBe(expected.stdout);
    expect(qemu.status).toBe(expected.status);
  });

  test('BoardLab matches QEMU: same UART bytes and exit status', () => {
    const qemu = qemuRun(elf);
    const boardlab = runOnBoardLab(elf);
    expect(boardlab.stdout.equals(qemu.stdout),
      `UART output differs: QEMU ${show(qemu.stdout)}, BoardLab ${show(boardlab.stdout)}` +
      (boardlab.stderr.length > 0 ? `; BoardLab stderr: ${boardlab.stderr.toString()}` : '')).toBe(true);
    expect(boardlab.status, `exit status: QEMU ${qemu.status}, BoardLab ${boardlab.status}`).toBe(qemu.status);
  });
});
