import { describe, expect, it } from 'vitest';
import { boardFromMachineType, cpuFirmware, resolveBoard, type PlacedImage, type ResolvedBoard } from './index.ts';

function resolved(document: unknown): ResolvedBoard {
  const result = resolveBoard(document);
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.pointer}: ${p.message}`).join('\n'));
  return result.board;
}

const bare = (images: unknown[] = []) =>
  resolved({
    boardlab: 1,
    name: 'bare',
    objects: {
      cpu0: { type: 'rv32', props: { 'reset-vector': '0x80000000' } },
      cpu1: { type: 'rv32', props: { 'reset-vector': '0x80000000', 'hart-id': 1 } },
      ram: { type: 'ram', props: { size: '1M' } },
    },
    memory: [{ map: 'ram.mem', at: '0x80000000' }],
    images,
  });

const placed = (file: string, cpu: string | undefined, ranges: Array<[number, number]>, entry?: number): PlacedImage => ({ file, cpu, space: 'system', entry, ranges });

describe('cpuFirmware', () => {
  it('a CPU with no image and nothing at its reset vector has none', () => {
    expect(cpuFirmware(bare(), [])).toEqual([
      { cpu: '/machine/cpu0', file: null, via: null },
      { cpu: '/machine/cpu1', file: null, via: null },
    ]);
  });

  it('an image names its CPU; another CPU starting inside that image runs it too', () => {
    const board = bare([{ cpu: 'cpu0', file: 'fw.elf' }]);
    expect(cpuFirmware(board, [placed('fw.elf', '/machine/cpu0', [[0x8000_0000, 0x8000_1000]], 0x8000_0000)])).toEqual([
      { cpu: '/machine/cpu0', file: 'fw.elf', via: 'image' },
      { cpu: '/machine/cpu1', file: 'fw.elf', via: 'reset-vector' },
    ]);
    // An image that does not reach the reset vector leaves cpu1 without firmware.
    expect(cpuFirmware(board, [placed('fw.elf', '/machine/cpu0', [[0x8001_0000, 0x8001_1000]], 0x8001_0000)])[1]).toEqual({ cpu: '/machine/cpu1', file: null, via: null });
  });

  it("a microcontroller's flash filled at the reset vector is firmware", () => {
    const mcu = resolved({ ...boardFromMachineType('boardlab-mcu'), images: [{ file: 'blink.bin', format: 'binary', at: '0x0' }] });
    expect(cpuFirmware(mcu, [placed('blink.bin', undefined, [[0, 0x200]])])).toEqual([{ cpu: '/machine/cpu0', file: 'blink.bin', via: 'reset-vector' }]);
    expect(cpuFirmware(mcu, [])).toEqual([{ cpu: '/machine/cpu0', file: null, via: null }]);
  });

  it('on riscv-virt the boot ROM hands every hart the image with an entry point', () => {
    const virt = resolved({ ...boardFromMachineType('riscv-virt'), params: { harts: 2 }, images: [{ cpu: 'cpu0', file: 'hello.elf' }] });
    expect(cpuFirmware(virt, [placed('hello.elf', '/machine/cpu0', [[0x8000_0000, 0x8000_0400]], 0x8000_0000)])).toEqual([
      { cpu: '/machine/cpu0', file: 'hello.elf', via: 'image' },
      { cpu: '/machine/cpu1', file: 'hello.elf', via: 'boot-rom' },
    ]);
    // With no image, the ROM jumps to the start of RAM, where nothing was loaded.
    expect(cpuFirmware(virt, []).map((f) => f.file)).toEqual([null, null]);
    // A raw binary at the start of RAM is what it jumps to.
    expect(cpuFirmware(virt, [placed('raw.bin', undefined, [[0x8000_0000, 0x8000_0100]])]).map((f) => f.via)).toEqual(['boot-rom', 'boot-rom']);
  });
});
