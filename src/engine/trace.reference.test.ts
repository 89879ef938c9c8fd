// The same ELF on Debian's QEMU and on BoardLab, compared instruction by instruction (PC and all
// registers before every instruction), boot ROM included.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { boardFromMachineType, resolveBoard } from '../graph/index.ts';
import { Machine } from './machine.ts';
import { firstDivergence, parseQemuCpuLog, traceRun, type ReferenceState } from './trace.ts';

const root = new URL('../../', import.meta.url).pathname;

describe('instruction traces against QEMU', () => {
  it.each(['hello', 'fail'])('%s.elf: every instruction sees the same PC and registers on both', (name) => {
    const elf = join(root, 'public/firmware', `${name}.elf`);
    const log = join(mkdtempSync(join(tmpdir(), 'trace-')), 'qemu.log');
    try {
      execFileSync('qemu-system-riscv32', ['-M', 'virt', '-nographic', '-bios', 'none', '-kernel', elf, '-singlestep', '-d', 'cpu,nochain', '-D', log], { stdio: 'ignore', timeout: 60_000 });
    } catch {
      // fail.elf makes QEMU exit non-zero
    }
    const reference = parseQemuCpuLog(readFileSync(log, 'utf8'));
    const result = resolveBoard({ ...boardFromMachineType('riscv-virt'), images: [{ cpu: 'cpu0', file: 'fw.elf' }] });
    if (!result.ok) throw new Error(result.problems[0].message);
    const machine = Machine.build(result.board, new Map([['fw.elf', new Uint8Array(readFileSync(elf))]]));
    const ours: ReferenceState[] = [];
    traceRun(machine, reference.length + 10, (step) => ours.push({ pc: step.pc, x: step.before }));
    expect(reference.length).toBeGreaterThan(100);
    expect(firstDivergence(reference, ours)).toBeUndefined();
    expect(ours.length).toBe(reference.length);
  });
});
