// The same ELF on Debian's QEMU and on BoardLab, compared instruction by instruction (PC and all
// registers before every instruction, the f registers too for a program using F and D), boot ROM
// included.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard } from '../graph/index.ts';
import { Machine } from './machine.ts';
import { firstDivergence, parseQemuCpuLog, traceRun, type ReferenceState } from './trace.ts';

const root = new URL('../../', import.meta.url).pathname;

/** QEMU's single-step log of `elf` (with the f registers: -d cpu,fpu) and BoardLab's trace of it on riscv-virt. */
function bothTraces(elf: string): { reference: ReferenceState[]; ours: ReferenceState[] } {
  const log = join(mkdtempSync(join(tmpdir(), 'trace-')), 'qemu.log');
  try {
    execFileSync('qemu-system-riscv32', ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', elf, '-singlestep', '-d', 'cpu,fpu,nochain', '-D', log], { stdio: 'ignore', timeout: 60_000 });
  } catch {
    // fail.elf makes QEMU exit non-zero
  }
  const reference = parseQemuCpuLog(readFileSync(log, 'utf8'));
  const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
  if (!result.ok) throw new Error(result.problems[0].message);
  const machine = Machine.build(result.board, new Map([['fw.elf', new Uint8Array(readFileSync(elf))]]));
  const ours: ReferenceState[] = [];
  traceRun(machine, reference.length + 10, (step) => ours.push({ pc: step.pc, x: step.before, f: step.floatBefore }));
  return { reference, ours };
}

describe('instruction traces against QEMU', () => {
  it.each(['hello', 'fail'])('%s.elf: every instruction sees the same PC and registers on both', (name) => {
    const { reference, ours } = bothTraces(join(root, 'public/firmware', `${name}.elf`));
    expect(reference.length).toBeGreaterThan(100);
    expect(firstDivergence(reference, ours)).toBeUndefined();
    expect(ours.length).toBe(reference.length);
  });

  it('an F/D program: every instruction sees the same PC, x and f registers on both', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trace-fp-'));
    const elf = join(dir, 'fp.elf');
    execFileSync('riscv64-unknown-elf-gcc', [
      '-march=rv32imafdc_zicsr', '-mabi=ilp32', '-nostdlib', '-nostartfiles', '-static', '-T', join(root, 'firmware/common/link.ld'),
      '-Wl,--build-id=none', join(root, 'src/engine/gdb/fixtures/gdb-float.S'), '-o', elf,
    ]);
    const { reference, ours } = bothTraces(elf);
    expect(reference.every((state) => state.f !== undefined)).toBe(true);
    // the f registers change along the way (so the comparison compares something)
    expect(new Set(reference.map((state) => state.f!.join(','))).size).toBeGreaterThan(8);
    expect(firstDivergence(reference, ours)).toBeUndefined();
    expect(ours.length).toBe(reference.length);
  });
});
