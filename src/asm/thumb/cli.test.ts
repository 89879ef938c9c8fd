// `boardlab asm --march armv7-m|armv6-m`: the CLI writes an ARM ELF (EM_ARM, the EABI 5 soft-float
// flags GNU ld sets, .text at 0) and prints Thumb diagnostics as `file:line:col: error:`.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { asmCommand } from '../../cli/asm.ts';

const EM_ARM = 40;
const work = mkdtempSync(join(tmpdir(), 'thumb-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(source: string, march: string): { code: number; stderr: string[]; elf?: Uint8Array } {
  const file = join(work, `${march}.s`);
  writeFileSync(file, source);
  const stderr: string[] = [];
  const code = asmCommand(file, { march, output: `${file}.elf` }, { stdout: () => {}, stderr: (line) => stderr.push(line) });
  return { code, stderr, elf: code === 0 ? new Uint8Array(readFileSync(`${file}.elf`)) : undefined };
}

describe('boardlab asm for Thumb', () => {
  it.each(['armv7-m', 'armv6-m'])('--march %s writes an ARM executable with .text at 0', (march) => {
    const { code, elf } = run('.syntax unified\n.thumb\n.global _start\n.thumb_func\n_start: movs r0, #1\n b _start\n', march);
    expect(code).toBe(0);
    const view = new DataView(elf!.buffer, elf!.byteOffset);
    expect(view.getUint16(18, true)).toBe(EM_ARM);
    expect(view.getUint32(36, true)).toBe(0x0500_0200);
    expect(view.getUint32(24, true)).toBe(1); // e_entry: _start, a Thumb function
  });

  it('prints a Thumb error with file, line and column and exits 1', () => {
    const { code, stderr } = run('.syntax unified\n mov r0, #1\n', 'armv6-m');
    expect(code).toBe(1);
    expect(stderr[0]).toMatch(/armv6-m\.s:2:2: error: mov with these operands is a 32-bit Thumb-2 instruction, which ARMv6-M \(cortex-m0\) does not have$/);
    expect(stderr[1]).toMatch(/^ {2}hint: /);
  });
});
