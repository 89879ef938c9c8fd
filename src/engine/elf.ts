// ELF32 little-endian RISC-V images: validated up front so a bad file is a one-line error, then
// loaded segment by segment into an address space.
import { AddressSpace, BusFault } from './memory.ts';

export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}

export interface ElfSegment {
  address: number;
  data: Uint8Array;
  /** Size in memory; bytes past data.length are zero (.bss). */
  memorySize: number;
}

export interface ElfImage {
  entry: number;
  segments: ElfSegment[];
}

const EM_RISCV = 243;
const PT_LOAD = 1;

const MACHINE_NAMES: Record<number, string> = { 3: 'x86', 40: 'ARM', 62: 'x86-64', 183: 'AArch64', 243: 'RISC-V' };

/** Parse an ELF file's loadable segments. Throws ImageError with a one-line reason. */
export function parseElf(bytes: Uint8Array): ElfImage {
  if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw new ImageError('not an ELF file (it does not start with the ELF magic bytes 7f 45 4c 46)');
  }
  if (bytes[4] !== 1) throw new ImageError('is a 64-bit ELF file; this board has 32-bit CPUs (build with -march=rv32... -mabi=ilp32)');
  if (bytes[5] !== 1) throw new ImageError('is a big-endian ELF file; RISC-V is little-endian');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = view.getUint16(18, true);
  if (machine !== EM_RISCV) {
    throw new ImageError(`is an ELF file for ${MACHINE_NAMES[machine] ?? `machine ${machine}`}, not RISC-V`);
  }
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phnum === 0) throw new ImageError('has no program headers, so nothing to load (is it an object file rather than a linked executable?)');
  if (phentsize < 32 || phoff + phnum * phentsize > bytes.length) throw new ImageError('is truncated: its program headers run past the end of the file');
  const segments: ElfSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const h = phoff + i * phentsize;
    if (view.getUint32(h, true) !== PT_LOAD) continue;
    const offset = view.getUint32(h + 4, true);
    const address = view.getUint32(h + 12, true); // physical address, as QEMU's loader uses
    const fileSize = view.getUint32(h + 16, true);
    const memorySize = view.getUint32(h + 20, true);
    if (offset + fileSize > bytes.length) throw new ImageError(`is truncated: segment ${i} runs past the end of the file`);
    if (memorySize === 0) continue;
    segments.push({ address, data: bytes.subarray(offset, offset + fileSize), memorySize });
  }
  return { entry, segments };
}

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
