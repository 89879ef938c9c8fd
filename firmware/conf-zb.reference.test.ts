// conf-zb (the bit-manipulation extensions) on CPU configurations besides the default one that
// firmware.reference.test.ts compares: one extension switched off on both emulators (QEMU's
// -cpu rv32,zbb=false; BoardLab's -cpu rv32,zbb=off), and riscv-virt@1.1, whose harts have none of
// them, against a QEMU CPU without them. Each must print the same bytes, and the extensions that are
// off must show up as illegal-instruction traps.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { BITMANIP_QEMU_CPU, publicFirmwareDir, runOnBoardLabAsync, runOnQemuAsync, type GuestRun, type RunOptions } from './run-reference.ts';

const elf = join(publicFirmwareDir, 'conf-zb.elf');

async function both(qemu: RunOptions, boardLab: RunOptions): Promise<[GuestRun, GuestRun]> {
  return Promise.all([runOnQemuAsync(elf, qemu), runOnBoardLabAsync(elf, boardLab)]);
}

const presence = (run: GuestRun) => run.stdout.toString('latin1').split('\n').filter((line) => /^zb[abcs]: /.test(line));

describe('conf-zb.elf with extensions switched off', () => {
  test('-cpu rv32,zbb=off: zbb instructions trap on both, the other extensions still run; same output', async () => {
    const [qemu, boardlab] = await both({ qemuArgs: ['-cpu', `${BITMANIP_QEMU_CPU},zbb=false`] }, { boardLabArgs: ['-cpu', 'rv32,zbb=off'] });
    expect(presence(qemu)).toEqual(['zba: on', 'zbb: off, mcause 0x00000002 mtval 0x60091793', 'zbc: on', 'zbs: on']);
    expect(boardlab.stdout.toString('latin1')).toBe(qemu.stdout.toString('latin1'));
    expect([qemu.status, boardlab.status]).toEqual([0, 0]);
  });

  test('riscv-virt@1.1 keeps the hart without them, as QEMU without them', async () => {
    const [qemu, boardlab] = await both({ qemuArgs: ['-cpu', `${BITMANIP_QEMU_CPU},zba=false,zbb=false,zbc=false,zbs=false`] }, { machine: 'riscv-virt@1.1' });
    expect(presence(boardlab).map((line) => line.slice(0, 9))).toEqual(['zba: off,', 'zbb: off,', 'zbc: off,', 'zbs: off,']);
    expect(boardlab.stdout.toString('latin1')).toBe(qemu.stdout.toString('latin1'));
    expect([qemu.status, boardlab.status]).toEqual([0, 0]);
  });
});
