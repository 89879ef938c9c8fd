// Which firmware each CPU of a board runs, from data: an image that names the CPU; a boot ROM at
// the CPU's reset vector that hands it an image's entry point (QEMU virt's MROM: every hart of a
// riscv-virt board starts there); or an image whose bytes lie at the reset vector (flash of a
// microcontroller, RAM loaded by an image for no particular CPU). A CPU with none of these starts
// in memory nobody filled: it "runs" zeros and traps forever.
import { isA } from './catalog.ts';
import { cpuAddressSpace } from './memory-map.ts';
import type { ResolvedBoard, ResolvedMapping } from './resolve.ts';

/** An image as loaded: where its bytes went. */
export interface PlacedImage {
  file: string;
  /** The CPU the image names, if any. */
  cpu: string | undefined;
  /** The address space it was loaded into. */
  space: string;
  /** Its entry point (ELF), if it has one. */
  entry: number | undefined;
  /** Address ranges its bytes fill, [start, end) . */
  ranges: ReadonlyArray<readonly [number, number]>;
}

export interface CpuFirmware {
  /** The CPU's path. */
  cpu: string;
  /** The image it runs, or null when it has none. */
  file: string | null;
  /** How the image reaches it. */
  via: 'image' | 'boot-rom' | 'reset-vector' | null;
}

/**
 * The RAM a boot ROM hands a hart to when no image has an entry point, and where it places the
 * device tree: the largest RAM of the system address space (as QEMU's virt board does).
 */
export function bootRam(board: ResolvedBoard): ResolvedMapping | undefined {
  return board.memory.filter((m) => m.space === 'system' && m.kind === 'ram').sort((a, b) => b.size - a.size)[0];
}

/** For every CPU of the board (document order): the image it runs, and how. */
export function cpuFirmware(board: ResolvedBoard, images: readonly PlacedImage[]): CpuFirmware[] {
  const bootRoms = board.objects.filter((o) => !o.composite && isA(o.type, 'boot-rom'));
  const romMappings = board.memory.filter((m) => m.space === 'system' && bootRoms.some((rom) => rom.path === m.object));
  // The boot ROM jumps to the entry point of the first image that has one, else to the start of
  // the largest RAM (src/engine/machine.ts, as QEMU's virt board does).
  const ram = bootRam(board);
  const fills = (image: PlacedImage, address: number) => image.ranges.some(([start, end]) => address >= start && address < end);
  const handedOver = images.find((image) => image.entry !== undefined) ?? (ram === undefined ? undefined : images.find((image) => image.space === 'system' && fills(image, ram.base)));
  return board.objects
    .filter((o) => !o.composite && isA(o.type, 'cpu'))
    .map((cpu): CpuFirmware => {
      const named = images.find((image) => image.cpu === cpu.path);
      if (named !== undefined) return { cpu: cpu.path, file: named.file, via: 'image' };
      const vector = Number(cpu.props['reset-vector']) >>> 0;
      const space = cpuAddressSpace(cpu);
      const inRom = romMappings.some((m) => vector >= m.base && vector < m.base + m.size);
      if (inRom) return handedOver ? { cpu: cpu.path, file: handedOver.file, via: 'boot-rom' } : { cpu: cpu.path, file: null, via: null };
      const filled = images.find((image) => (image.space === space || image.space === 'system') && fills(image, vector));
      return filled ? { cpu: cpu.path, file: filled.file, via: 'reset-vector' } : { cpu: cpu.path, file: null, via: null };
    });
}
