// conf-fp (F and D in the hart) on CPU configurations besides the default one that
// firmware.reference.test.ts compares: D switched off on both emulators (QEMU's -cpu rv32,d=false;
// BoardLab's -cpu rv32,d=off), and riscv-virt@1.1, whose harts have neither, against a QEMU CPU
// without them. Each must print the same bytes, and what is off must show up as illegal-instruction
// traps (FS stays off without F).
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { FLOAT_QEMU_CPU, publicFirmwareDir, runOnBoardLabAsync, runOnQemuAsync, type GuestRun, type RunOptions } from './run-reference.ts';

const elf = join(publicFirmwareDir, 'conf-fp.elf');

async function both(qemu: RunOptions, boardLab: RunOptions): Promise<[GuestRun, GuestRun]> {
  return Promise.all([runOnQemuAsync(elf, qemu), runOnBoardLabAsync(elf, boardLab)]);
}

const presence = (run: GuestRun) => run.stdout.toString('latin1').split('\n').filter((line) => /^(misa F D|[fd]): /.test(line));

describe('conf-fp.elf with extensions switched off', () => {
  test('-cpu rv32,d=off: F only on both (misa F, the D encodings trap); same output', async () => {
    const [qemu, boardlab] = await both({ qemuArgs: ['-cpu', `${FLOAT_QEMU_CPU},d=false`] }, { boardLabArgs: ['-cpu', 'rv32,d=off'] });
    expect(presence(qemu)).toEqual(['misa F D: 0x00000020', 'f: on', 'd: off, mcause 0x00000002 mtval 0xd2000053']);
    expect(boardlab.stdout.toString('latin1')).toBe(qemu.stdout.toString('latin1'));
    expect([qemu.status, boardlab.status]).toEqual([0, 0]);
  });

  test('riscv-virt@1.1 keeps the hart without F and D, as QEMU without them', async () => {
    const [qemu, boardlab] = await both({ qemuArgs: ['-cpu', `${FLOAT_QEMU_CPU},f=false,d=false`] }, { machine: 'riscv-virt@1.1' });
    expect(presence(boardlab)).toEqual(['misa F D: 0x00000000', 'f: off, mcause 0x00000002 mtval 0xf0000053', 'd: off, mcause 0x00000002 mtval 0xd2000053']);
    expect(boardlab.stdout.toString('latin1')).toBe(qemu.stdout.toString('latin1'));
    expect([qemu.status, boardlab.status]).toEqual([0, 0]);
  });
});
