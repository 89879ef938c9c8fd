// src/engine: builds and runs resolved boards. No DOM, no React.
export { Machine, MachineError, imageFiles, type MachineExit, type MachineOptions } from './machine.ts';
export { AddressSpace, BusFault, type AccessSize, type MmioHandler } from './memory.ts';
export { parseElf, loadElf, ImageError, type ElfImage } from './elf.ts';
