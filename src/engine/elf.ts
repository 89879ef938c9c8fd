// Loading ELF images into an address space. Parsing lives with the other image formats in
// src/graph/image-formats.ts, so validation can check images without an engine.
import { ImageError, parseElf, type ElfImage, type ElfSegment } from '../graph/image-formats.ts';
import { AddressSpace, BusFault } from './memory.ts';

export { ImageError, parseElf, type ElfImage, type ElfSegment };

/** Copy an image's segments into memory. Throws ImageError naming the first byte that does not fit. */
export function loadElf(image: ElfImage, space: AddressSpace): void {
  for (const segment of image.segments) {
    const end = segment.address + segment.memorySize;
    const ram = space.findRam(segment.address, segment.memorySize);
    if (ram === undefined) {
      const start = space.findRam(segment.address);
      const miss = start === undefined ? segment.address : start.end;
      throw new ImageError(
        `does not fit in memory: its segment [0x${hex(segment.address)}–0x${hex(end - 1)}] needs memory at 0x${hex(miss)}, where ${start === undefined ? 'nothing is mapped' : `${start.name} ends`}`,
      );
    }
    try {
      space.writeBytes(segment.address, segment.data);
      if (segment.memorySize > segment.data.length) {
        space.writeBytes(segment.address + segment.data.length, new Uint8Array(segment.memorySize - segment.data.length));
      }
    } catch (error) {
      if (error instanceof BusFault) throw new ImageError(`does not fit in memory at 0x${hex(error.address)}`);
      throw error;
    }
  }
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}
