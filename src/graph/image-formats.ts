// Firmware image formats, parsed from bytes into what gets loaded where: ELF32 (little-endian
// RISC-V or ARM), Intel HEX and raw binaries. Pure data — the engine loads the result into memory, and
// validation checks it fits, without building anything.

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

/** e_machine values: the architecture, and the value's name in elf.h. */
const MACHINE_NAMES: Record<number, string> = { 3: 'x86 (EM_386)', 8: 'MIPS (EM_MIPS)', 40: 'ARM (EM_ARM)', 62: 'x86-64 (EM_X86_64)', 183: 'AArch64 (EM_AARCH64)', 243: 'RISC-V (EM_RISCV)' };

/** "ARM (EM_ARM)" for 40: how messages name an ELF machine. */
export function elfMachineName(machine: number): string {
  return MACHINE_NAMES[machine] ?? `e_machine ${machine}`;
}

/** The e_machine of a 32-bit little-endian ELF file, or undefined when `bytes` is not one. */
export function elfMachineOf(bytes: Uint8Array): number | undefined {
  if (!hasElfHeader(bytes) || bytes[4] !== 1 || bytes[5] !== 1) return undefined;
  return bytes[18] | (bytes[19] << 8);
}

/** Size of an ELF32 file header. */
export const ELF32_HEADER_BYTES = 52;

/** Does `bytes` start with an ELF header (the magic 7f 45 4c 46, and room for a 32-bit header)? */
export function hasElfHeader(bytes: Uint8Array): boolean {
  return bytes.length >= ELF32_HEADER_BYTES && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/**
 * Parse an ELF file's loadable segments. `machines`: the e_machine values the CPU that runs it
 * accepts (the engine passes its core's, from the debug contract; RISC-V when nobody says).
 * Throws ImageError with a one-line reason.
 */
export function parseElf(bytes: Uint8Array, machines: readonly number[] = [EM_RISCV]): ElfImage {
  if (!hasElfHeader(bytes)) {
    throw new ImageError('not an ELF file (it does not start with the ELF magic bytes 7f 45 4c 46)');
  }
  if (bytes[4] !== 1) throw new ImageError('is a 64-bit ELF file; this board has 32-bit CPUs (build with -march=rv32... -mabi=ilp32 for RISC-V, -mcpu=cortex-m3 -mthumb for ARM)');
  if (bytes[5] !== 1) throw new ImageError('is a big-endian ELF file; the CPUs here are little-endian');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = view.getUint16(18, true);
  if (!machines.includes(machine)) throw new ImageError(`is an ELF file for ${elfMachineName(machine)}, not ${machines.map(elfMachineName).join(' or ')}`);
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

export interface ImageChunk {
  address: number;
  data: Uint8Array;
}

/** Parse Intel HEX text (record types 00 data, 01 EOF, 02/04 segment/linear base, 03/05 start). */
export function parseIntelHex(bytes: Uint8Array): { chunks: ImageChunk[]; entry: number | undefined } {
  const text = new TextDecoder().decode(bytes);
  const chunks: ImageChunk[] = [];
  let base = 0;
  let entry: number | undefined;
  let ended = false;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length && !ended; n++) {
    const line = lines[n].trim();
    if (line === '') continue;
    const where = `line ${n + 1}`;
    if (!/^:([0-9a-fA-F]{2})+$/.test(line)) throw new ImageError(`is not Intel HEX: ${where} does not look like a ":…" hex record`);
    const record = Uint8Array.from(line.slice(1).match(/../g)!.map((h) => parseInt(h, 16)));
    const length = record[0];
    if (record.length !== length + 5) throw new ImageError(`is not valid Intel HEX: ${where} has the wrong length`);
    const sum = record.reduce((a, b) => (a + b) & 0xff, 0);
    if (sum !== 0) throw new ImageError(`is not valid Intel HEX: ${where} has a bad checksum`);
    const offset = (record[1] << 8) | record[2];
    const type = record[3];
    const data = record.subarray(4, 4 + length);
    switch (type) {
      case 0x00:
        chunks.push({ address: (base + offset) >>> 0, data: data.slice() });
        break;
      case 0x01:
        ended = true;
        break;
      case 0x02:
        base = ((data[0] << 8) | data[1]) * 16;
        break;
      case 0x04:
        base = (((data[0] << 8) | data[1]) << 16) >>> 0;
        break;
      case 0x03:
        entry = (((data[0] << 8) | data[1]) * 16 + ((data[2] << 8) | data[3])) >>> 0;
        break;
      case 0x05:
        entry = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
        break;
      default:
        throw new ImageError(`is not valid Intel HEX: ${where} has unknown record type ${type}`);
    }
  }
  if (!ended) throw new ImageError('is not valid Intel HEX: it has no end-of-file record (:00000001FF)');
  return { chunks, entry };
}
